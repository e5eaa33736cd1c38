#pragma once
// A receipt (領収書) that is a qualified simplified invoice (適格簡易請求書): the issuer and its
// registration number (T + 13 digits), the day paid, what was bought, the amount received
// with the consumption tax per rate (10 % or the reduced 8 %, tax included, rounded down
// once per rate), and the receiver. Numbered without gaps per tenant (ReceiptStore); what
// it says is kept as issued, so a changed price or issuer later does not change it. Refunds
// made since are stated on it with their tax (返還).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/offerings/fees.hpp"

namespace yoyaku::payments {

/// Who issues a tenant's receipts (its invoice settings).
struct Issuer {
    std::string name;                 ///< 1–200 characters; the tenant's name when empty
    std::string registration_number;  ///< "T" + 13 digits; empty: not a registered issuer
    std::string address;              ///< at most 300 characters
};

/// "T" followed by exactly 13 digits.
bool is_registration_number(std::string_view s) noexcept;

struct ReceiptLine {
    std::string name;
    int quantity = 1;
    std::int64_t unit_jpy = 0;
    std::int64_t amount_jpy = 0;  ///< negative for a discount
};

using offerings::tax_included;

struct Receipt {
    std::int64_t number = 0;
    Instant issued_at{};
    std::string time_zone;
    Issuer issuer;
    std::string reference;  ///< the booking's
    std::string offering;
    Instant starts_at{};
    std::vector<ReceiptLine> lines;
    std::int64_t received_jpy = 0;
    int tax_rate = 10;
    std::optional<Instant> paid_at;
    bool online = false;  ///< paid through the provider (else at the venue)
    // Not kept with the receipt: read from the booking when it is drawn.
    std::string customer_name;
    std::int64_t refunded_jpy = 0;
};

/// What is kept of a receipt as issued (everything but the customer's name and refunds).
std::string content_json(const Receipt& r);
/// The receipt kept as `content` (numbered `number`, issued at `issued_at`). Errors:
/// internal when it is not content_json's.
Result<Receipt> from_content(std::int64_t number, Instant issued_at, std::string_view content);

/// "R-000012": the receipt number as printed.
std::string receipt_number(std::int64_t number);
/// The receipt as an A4 PDF in Japanese. Errors: internal (drawing).
Result<std::string> render_pdf(const Receipt& r);

}  // namespace yoyaku::payments

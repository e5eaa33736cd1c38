#pragma once
// A booking's permit (使用許可書) and invoice (請求書) (issue 27, ADR 0023): numbered without
// gaps per tenant and kind, what they say kept as issued, issued again (marked 再発行, under a
// new number naming the one it replaces) when what they state of the booking changed, with the
// tenant's wording and seal image.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/payments/receipt.hpp"

namespace yoyaku::payments {

enum class DocumentKind { permit, invoice };
std::string_view to_string(DocumentKind k) noexcept;
std::optional<DocumentKind> parse_document_kind(std::string_view s) noexcept;

/// What a tenant prints on its permits and invoices besides the booking.
struct DocumentWording {
    std::string permit_text;   ///< conditions of use (≤ 2000 characters; a default when empty)
    std::string invoice_text;  ///< how to pay: bank account, deadline (≤ 2000 characters)
};
/// The largest seal image kept (a PNG).
inline constexpr std::size_t kMaxSealBytes = 256 * 1024;
/// Whether `bytes` is a PNG image of at most 2000 × 2000 pixels that cairo reads.
bool is_seal_image(std::string_view bytes);

struct BookingDocument {
    DocumentKind kind = DocumentKind::permit;
    std::int64_t number = 0;
    Instant issued_at{};
    std::optional<std::int64_t> replaces;  ///< 再発行: the number it replaces
    std::string time_zone;
    Issuer issuer;
    std::string reference;
    std::string offering;
    std::string place;  ///< the rented resource (empty for other kinds)
    Instant starts_at{};
    Instant ends_at{};
    std::vector<ReceiptLine> lines;
    std::int64_t total_jpy = 0;
    int tax_rate = 10;
    std::string wording;
    // Not kept with the document: read from the booking when it is drawn.
    std::string customer_name;
};

/// What makes a document issued again when it changes: the booking's place, times, lines and
/// total as the document states them.
std::string basis_of(const BookingDocument& d);
/// What is kept of a document as issued (everything but the customer's name).
std::string content_json(const BookingDocument& d);
/// The document kept as `content`. Errors: internal when it is not content_json's.
Result<BookingDocument> document_from(
    DocumentKind kind, std::int64_t number, Instant issued_at, std::string_view content
);
/// "P-000012" (permit), "I-000012" (invoice).
std::string document_number(DocumentKind kind, std::int64_t number);
/// The document as an A4 PDF in Japanese, with the seal (a PNG; empty: none) by the issuer.
/// Errors: internal (drawing).
Result<std::string> render_pdf(const BookingDocument& d, std::string_view seal_png);

}  // namespace yoyaku::payments

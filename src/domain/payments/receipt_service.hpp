#pragma once
// A tenant's receipts (receipt.hpp): who issues them (its invoice settings), and the receipt
// of a paid booking, issued on first request under the tenant's next number and the same
// receipt (number, date, lines) on every later one.

#include <optional>
#include <string>

#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/payments/receipt.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

struct InvoiceSettings {
    Issuer issuer;
    std::optional<Instant> updated_at;
};

/// A receipt ready to send: "R-000012.pdf" and its bytes.
struct ReceiptDocument {
    std::int64_t number = 0;
    std::string filename;
    std::string pdf;
};

/// What the booking bought, line by line: a rental's fee lines as booked, else its tickets or
/// blocks; a member class's discount (or any difference to the booking's total) as a line of
/// its own.
std::vector<ReceiptLine> booking_lines(const bookings::Booking& b, const offerings::Offering& o);
/// Who issues the scoped tenant's documents (its invoice settings; its name when unset).
Result<Issuer> issuer_in(storage::ScopedTx& stx);

class ReceiptService {
public:
    ReceiptService(storage::Database& db, const Clock& clock, bookings::BookingService& bookings)
        : db_(db), clock_(clock), bookings_(bookings) {}

    Result<InvoiceSettings> settings(TenantId tenant);
    /// Sets who issues the tenant's receipts; audited. Errors: invalid_input on "name",
    /// "registration_number" (T + 13 digits, or empty) or "address".
    Result<InvoiceSettings> set_settings(
        TenantId tenant, Issuer in, const audit::Actor& actor, const audit::Origin& origin
    );
    /// The receipt of booking `reference` (issued now when it has none; audited then).
    /// Errors: not_found; unprocessable (field "reference") when nothing was paid.
    Result<ReceiptDocument> receipt(
        TenantId tenant,
        std::string_view reference,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    const Clock& clock_;
    bookings::BookingService& bookings_;
};

}  // namespace yoyaku::payments

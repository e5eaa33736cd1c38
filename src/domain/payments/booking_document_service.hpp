#pragma once
// A booking's permit (使用許可書) and invoice (請求書) (booking_document.hpp, ADR 0023): the
// tenant's wording and seal for them, and a booking's document as it stands — the one issued
// last while the booking is still as it states, else a new one under the next number.

#include <optional>
#include <string>

#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/payments/booking_document.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

struct DocumentSettings {
    DocumentWording wording;
    bool has_seal = false;
    std::optional<Instant> updated_at;
};

/// A document ready to send: "P-000012.pdf" and its bytes.
struct IssuedDocument {
    std::int64_t number = 0;
    std::optional<std::int64_t> replaces;
    std::string filename;
    std::string pdf;
};

class BookingDocumentService {
public:
    BookingDocumentService(
        storage::Database& db, const Clock& clock, bookings::BookingService& bookings
    )
        : db_(db), clock_(clock), bookings_(bookings) {}

    Result<DocumentSettings> settings(TenantId tenant);
    /// The tenant's seal image (a PNG; empty: none).
    Result<std::string> seal(TenantId tenant);
    /// Sets the wording and the seal (nullopt keeps it, empty removes it); audited. Errors:
    /// invalid_input on "permit_text" or "invoice_text" (at most 2000 characters of text) or
    /// "seal" (a PNG of at most 256 KiB and 2000 × 2000 pixels).
    Result<DocumentSettings> set_settings(
        TenantId tenant,
        DocumentWording wording,
        std::optional<std::string> seal,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The booking's document of `kind`: the last issued while the booking's place, times,
    /// lines and total are still what it states; else issued now (再発行 naming the one it
    /// replaces; audited "document.issued"). Errors: not_found; unprocessable on "reference"
    /// for a permit of a booking not confirmed, or an invoice of a booking not live or with
    /// nothing to pay.
    Result<IssuedDocument> document(
        TenantId tenant,
        std::string_view reference,
        DocumentKind kind,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    const Clock& clock_;
    bookings::BookingService& bookings_;
};

}  // namespace yoyaku::payments

#pragma once
// The `booking_documents` table (permits and invoices as issued, each with the basis whose
// change issues it again), the `document_numbers` counter that numbers them without gaps per
// tenant and kind (taken in the storing transaction: a rollback gives it back), and the
// tenant's `document_settings` (wording, seal image).

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/payments/booking_document.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

struct DocumentRow {
    std::int64_t number = 0;
    Instant issued_at{};
    std::string basis;
    std::string content;
};

struct DocumentSettingsRow {
    DocumentWording wording;
    std::string seal_png;  ///< empty: none
    std::optional<Instant> updated_at;
};

class BookingDocumentStore {
public:
    explicit BookingDocumentStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The booking's latest document of `kind`.
    Result<std::optional<DocumentRow>> find_latest(BookingId booking, DocumentKind kind);
    /// Stores a document of the booking under the tenant's next number of `kind`.
    Result<std::int64_t> issue(
        BookingId booking,
        DocumentKind kind,
        const std::string& basis,
        const std::string& content,
        Instant now
    );
    /// Every number of `kind` issued, ascending.
    Result<std::vector<std::int64_t>> numbers(DocumentKind kind);

    Result<DocumentSettingsRow> settings();
    Result<void> put_settings(const DocumentSettingsRow& s, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::payments

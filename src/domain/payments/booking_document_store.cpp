#include "domain/payments/booking_document_store.hpp"

namespace yoyaku::payments {

Result<std::optional<DocumentRow>> BookingDocumentStore::find_latest(
    BookingId booking, DocumentKind kind
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT number, issued_at, basis, content FROM booking_documents WHERE tenant_id = $1 AND booking_id = $2 AND kind = $3 ORDER BY number DESC LIMIT 1",
            stx_.tenant_id(),
            booking,
            std::string(to_string(kind))
        )
    );
    if (rows.empty()) return std::optional<DocumentRow>();
    const auto& r = rows.front();
    return std::optional<DocumentRow>(DocumentRow{
        r.i64("number"), from_micros(r.i64("issued_at")), r.text("basis"), r.text("content")});
}

Result<std::int64_t> BookingDocumentStore::issue(
    BookingId booking,
    DocumentKind kind,
    const std::string& basis,
    const std::string& content,
    Instant now
) {
    // One statement takes the next number: concurrent issuers of a tenant wait on its row.
    YOYAKU_TRY_ASSIGN(
        const auto next,
        stx_.tx().query(
            "INSERT INTO document_numbers(tenant_id, kind, last_number) VALUES ($1, $2, 1) ON CONFLICT (tenant_id, kind) DO UPDATE SET last_number = document_numbers.last_number + 1 RETURNING last_number",
            stx_.tenant_id(),
            std::string(to_string(kind))
        )
    );
    const auto number = next.front().i64("last_number");
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO booking_documents(tenant_id, kind, number, booking_id, issued_at, basis, content) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        stx_.tenant_id(),
        std::string(to_string(kind)),
        number,
        booking,
        to_micros(now),
        basis,
        content
    ));
    return number;
}

Result<std::vector<std::int64_t>> BookingDocumentStore::numbers(DocumentKind kind) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT number FROM booking_documents WHERE tenant_id = $1 AND kind = $2 ORDER BY number",
            stx_.tenant_id(),
            std::string(to_string(kind))
        )
    );
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.i64("number"));
    return out;
}

Result<DocumentSettingsRow> BookingDocumentStore::settings() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT permit_text, invoice_text, seal_png, updated_at FROM document_settings WHERE tenant_id = $1",
            stx_.tenant_id()
        )
    );
    DocumentSettingsRow s;
    if (rows.empty()) return s;
    const auto& r = rows.front();
    s.wording = {r.text("permit_text"), r.text("invoice_text")};
    if (!r.is_null("seal_png")) s.seal_png = r.blob("seal_png").bytes;
    s.updated_at = from_micros(r.i64("updated_at"));
    return s;
}

Result<void> BookingDocumentStore::put_settings(const DocumentSettingsRow& s, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO document_settings(tenant_id, permit_text, invoice_text, seal_png, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO UPDATE SET permit_text = excluded.permit_text, invoice_text = excluded.invoice_text, seal_png = excluded.seal_png, updated_at = excluded.updated_at",
        stx_.tenant_id(),
        s.wording.permit_text,
        s.wording.invoice_text,
        s.seal_png.empty() ? storage::Value() : storage::Value(storage::Blob{s.seal_png}),
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::payments

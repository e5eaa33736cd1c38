// A booking's permit and invoice (booking_document_service.hpp).

#include "domain/payments/booking_document_service.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/groups/group_store.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/payments/booking_document_store.hpp"
#include "domain/payments/receipt_service.hpp"
#include "domain/resources/resources.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::payments {
namespace {

using bookings::BookingStatus;
using storage::ScopedTx;

Result<void> issuable(const bookings::Booking& b, DocumentKind kind) {
    const bool confirmed =
        b.status == BookingStatus::confirmed || b.status == BookingStatus::checked_in;
    if (kind == DocumentKind::permit && !confirmed)
        return Error{
            Errc::unprocessable,
            "a permit is issued once the booking is confirmed",
            "reference",
            {}};
    if (kind == DocumentKind::invoice &&
        (b.total_jpy <= 0 || !(confirmed || b.status == BookingStatus::pending)))
        return Error{Errc::unprocessable, "this booking has nothing to invoice", "reference", {}};
    return {};
}

// The document as it would be issued now (its number, and what it replaces, come later).
Result<BookingDocument> draft(
    ScopedTx& stx, const bookings::Booking& b, DocumentKind kind, const DocumentWording& w
) {
    YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id));
    YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
    BookingDocument d;
    d.kind = kind;
    d.time_zone = t.time_zone;
    YOYAKU_TRY_ASSIGN(d.issuer, issuer_in(stx));
    d.reference = b.reference;
    d.offering = o.name;
    if (o.kind == offerings::OfferingKind::rental && b.resource_id) {
        YOYAKU_TRY_ASSIGN(const auto r, resources::load_resource(stx, *b.resource_id));
        d.place = r.name;
    }
    d.starts_at = b.starts_at;
    d.ends_at = b.ends_at;
    d.lines = booking_lines(b, o);
    d.total_jpy = b.total_jpy;
    d.tax_rate = o.tax_rate;
    d.wording = kind == DocumentKind::permit ? w.permit_text : w.invoice_text;
    return d;
}

Result<std::string> checked_text(const std::string& text, const char* field) {
    if (text::code_points(text) > 2000 || text::has_control_chars(text, true))
        return Error::invalid(field, "must be at most 2000 characters of text");
    return text;
}

DocumentSettings settings_of(const DocumentSettingsRow& row) {
    return {row.wording, !row.seal_png.empty(), row.updated_at};
}

}  // namespace

Result<DocumentSettings> BookingDocumentService::settings(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<DocumentSettings> {
        YOYAKU_TRY_ASSIGN(const auto row, BookingDocumentStore(stx).settings());
        return settings_of(row);
    });
}

Result<std::string> BookingDocumentService::seal(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<std::string> {
        YOYAKU_TRY_ASSIGN(auto row, BookingDocumentStore(stx).settings());
        return std::move(row.seal_png);
    });
}

Result<DocumentSettings> BookingDocumentService::set_settings(
    TenantId tenant,
    DocumentWording wording,
    std::optional<std::string> seal,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(wording.permit_text, checked_text(wording.permit_text, "permit_text"));
    YOYAKU_TRY_ASSIGN(wording.invoice_text, checked_text(wording.invoice_text, "invoice_text"));
    if (seal && !seal->empty() && !is_seal_image(*seal))
        return Error::invalid(
            "seal", "must be a PNG image of at most 256 KiB and 2000 × 2000 pixels"
        );
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<DocumentSettings> {
        BookingDocumentStore store(stx);
        YOYAKU_TRY_ASSIGN(auto row, store.settings());
        row.wording = wording;
        if (seal) row.seal_png = *seal;
        YOYAKU_TRY(store.put_settings(row, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"settings.documents_changed",
             "tenant:" + std::to_string(tenant.value),
             "success",
             boost::json::serialize(boost::json::object{
                 {"seal", seal ? (seal->empty() ? "removed" : "replaced") : "kept"}})},
            now
        ));
        row.updated_at = now;
        return settings_of(row);
    });
}

Result<IssuedDocument> BookingDocumentService::document(
    TenantId tenant,
    std::string_view reference,
    DocumentKind kind,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto b, bookings_.find_by_reference(tenant, reference));
    YOYAKU_TRY(issuable(b, kind));
    const Instant now = clock_.now();
    std::string seal;
    // Issued to the customer, or to their registered group (利用団体) with them as its contact.
    std::string issued_to = b.customer.name;
    YOYAKU_TRY_ASSIGN(
        auto d,
        db_.write(
            storage::TenantScope(tenant),
            [&](ScopedTx& stx) -> Result<BookingDocument> {
                BookingDocumentStore store(stx);
                YOYAKU_TRY_ASSIGN(auto settings, store.settings());
                seal = std::move(settings.seal_png);
                if (b.group_id) {
                    YOYAKU_TRY_ASSIGN(const auto g, groups::GroupStore(stx).find(*b.group_id));
                    issued_to = g.group.name + "（" + b.customer.name + "）";
                }
                YOYAKU_TRY_ASSIGN(auto fresh, draft(stx, b, kind, settings.wording));
                const auto basis = basis_of(fresh);
                YOYAKU_TRY_ASSIGN(const auto kept, store.find_latest(b.id, kind));
                if (kept && kept->basis == basis)
                    return document_from(kind, kept->number, kept->issued_at, kept->content);
                if (kept) fresh.replaces = kept->number;
                YOYAKU_TRY_ASSIGN(
                    fresh.number, store.issue(b.id, kind, basis, content_json(fresh), now)
                );
                fresh.issued_at = now;
                YOYAKU_TRY(audit::append(
                    stx,
                    actor,
                    origin,
                    {"document.issued",
                     "booking:" + b.reference,
                     "success",
                     boost::json::serialize(boost::json::object{
                         {"kind", to_string(kind)},
                         {"number", fresh.number},
                         {"replaces",
                          fresh.replaces ? boost::json::value(*fresh.replaces) : nullptr},
                         {"total_jpy", fresh.total_jpy}})},
                    now
                ));
                return fresh;
            }
        )
    );
    d.customer_name = issued_to;
    YOYAKU_TRY_ASSIGN(auto pdf, render_pdf(d, seal));
    return IssuedDocument{
        d.number, d.replaces, document_number(kind, d.number) + ".pdf", std::move(pdf)};
}

}  // namespace yoyaku::payments

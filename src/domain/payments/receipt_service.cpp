// A tenant's receipts (receipt_service.hpp).

#include "domain/payments/receipt_service.hpp"

#include <boost/json.hpp>
#include <tuple>

#include "core/text.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/payments/payment_store.hpp"
#include "domain/payments/receipt_store.hpp"
#include "domain/tenants/tenant_setting_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::payments {

using storage::ScopedTx;

namespace {

constexpr std::pair<const char*, std::string Issuer::*> kSettings[] = {
    {"invoice.issuer_name", &Issuer::name},
    {"invoice.registration_number", &Issuer::registration_number},
    {"invoice.address", &Issuer::address},
};

Result<InvoiceSettings> load(ScopedTx& stx) {
    YOYAKU_TRY_ASSIGN(const auto all, tenants::TenantSettingStore(stx).list());
    InvoiceSettings out;
    for (const auto& s : all)
        for (const auto& [key, field] : kSettings)
            if (s.key == key) {
                out.issuer.*field = s.value;
                if (!out.updated_at || *out.updated_at < s.updated_at)
                    out.updated_at = s.updated_at;
            }
    return out;
}

Result<Issuer> check(Issuer in) {
    for (auto [field, value, max] :
         {std::tuple{"name", &in.name, 200}, {"address", &in.address, 300}}) {
        if (value->empty()) continue;
        auto c = text::check_line(*value, 0, static_cast<std::size_t>(max));
        if (!c.value) return Error::invalid(field, c.problem);
        *value = std::move(*c.value);
    }
    if (!in.registration_number.empty() && !is_registration_number(in.registration_number))
        return Error::invalid(
            "registration_number", "must be T followed by the 13 digits of the registration"
        );
    return in;
}

}  // namespace

std::vector<ReceiptLine> booking_lines(const bookings::Booking& b, const offerings::Offering& o) {
    std::vector<ReceiptLine> lines;
    // A rental's fee as it was itemised when booked (ADR 0023).
    for (const auto& l : b.fees.lines)
        lines.push_back({l.label, l.quantity, l.unit_jpy, l.amount_jpy});
    if (lines.empty())
        for (const auto& [code, count] : b.tickets)
            for (const auto& t : o.ticket_types)
                if (t.code == code && count > 0)
                    lines.push_back({o.name + " " + t.name, count, t.price_jpy, t.price_jpy * count}
                    );
    if (lines.empty()) {
        const auto minutes =
            std::chrono::duration_cast<std::chrono::minutes>(b.ends_at - b.starts_at);
        const int blocks = o.kind == offerings::OfferingKind::rental && o.duration_minutes > 0
                               ? static_cast<int>(minutes.count() / o.duration_minutes)
                               : 1;
        const int n = std::max(1, blocks * std::max(1, b.seats));
        lines.push_back({o.name, n, o.price_jpy, o.price_jpy * n});
    }
    std::int64_t sum = 0;
    for (const auto& l : lines) sum += l.amount_jpy;
    if (sum != b.total_jpy)
        lines.push_back({"割引・調整", 1, b.total_jpy - sum, b.total_jpy - sum});
    return lines;
}

Result<Issuer> issuer_in(ScopedTx& stx) {
    YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
    YOYAKU_TRY_ASSIGN(auto settings, load(stx));
    if (settings.issuer.name.empty()) settings.issuer.name = t.name;
    return std::move(settings.issuer);
}

namespace {

// The receipt as it is issued now (its number comes from the store).
Result<Receipt> draft(ScopedTx& stx, const bookings::Booking& b) {
    YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id));
    YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
    YOYAKU_TRY_ASSIGN(auto issuer, issuer_in(stx));
    YOYAKU_TRY_ASSIGN(const auto payments, PaymentStore(stx).list_of_booking(b.id));
    Receipt r;
    r.time_zone = t.time_zone;
    r.issuer = std::move(issuer);
    r.reference = b.reference;
    r.offering = o.name;
    r.starts_at = b.starts_at;
    r.lines = booking_lines(b, o);
    r.received_jpy = b.paid_jpy;
    r.tax_rate = o.tax_rate;
    r.paid_at = b.paid_at;
    r.online = std::any_of(payments.begin(), payments.end(), [](const PaymentRow& p) {
        return p.kind == "checkout" && p.state == "complete";
    });
    return r;
}

}  // namespace

Result<InvoiceSettings> ReceiptService::settings(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) { return load(stx); });
}

Result<InvoiceSettings> ReceiptService::set_settings(
    TenantId tenant, Issuer in, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto issuer, check(std::move(in)));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<InvoiceSettings> {
        tenants::TenantSettingStore store(stx);
        for (const auto& [key, field] : kSettings)
            YOYAKU_TRY(store.upsert(key, issuer.*field, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"settings.invoice_changed",
             "tenant:" + std::to_string(tenant.value),
             "success",
             boost::json::serialize(boost::json::object{
                 {"registration_number", issuer.registration_number}})},
            now
        ));
        return load(stx);
    });
}

Result<ReceiptDocument> ReceiptService::receipt(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto b, bookings_.find_by_reference(tenant, reference));
    if (b.paid_jpy <= 0)
        return Error{
            Errc::unprocessable, "nothing has been paid for this booking", "reference", {}};
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(
        auto r,
        db_.write(
            storage::TenantScope(tenant),
            [&](ScopedTx& stx) -> Result<Receipt> {
                ReceiptStore store(stx);
                YOYAKU_TRY_ASSIGN(const auto kept, store.find_of_booking(b.id));
                if (kept) return from_content(kept->number, kept->issued_at, kept->content);
                YOYAKU_TRY_ASSIGN(auto fresh, draft(stx, b));
                YOYAKU_TRY_ASSIGN(fresh.number, store.issue(b.id, content_json(fresh), now));
                fresh.issued_at = now;
                YOYAKU_TRY(audit::append(
                    stx,
                    actor,
                    origin,
                    {"receipt.issued",
                     "booking:" + b.reference,
                     "success",
                     boost::json::serialize(boost::json::object{
                         {"number", fresh.number}, {"amount_jpy", fresh.received_jpy}})},
                    now
                ));
                return fresh;
            }
        )
    );
    r.customer_name = b.customer.name;
    r.refunded_jpy = b.refunded_jpy;
    YOYAKU_TRY_ASSIGN(auto pdf, render_pdf(r));
    return ReceiptDocument{r.number, receipt_number(r.number) + ".pdf", std::move(pdf)};
}

}  // namespace yoyaku::payments

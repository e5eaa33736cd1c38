// A tenant's data export (issue 8, for managers; a terminated tenant keeps only this):
//
//   GET /api/v1/export                everything the tenant owns as one JSON file: the tenant,
//                                     resources, offerings with their dates, user classes,
//                                     accounts, bookings with customer details, webhook
//                                     endpoints (no secrets), its own mail wording
//   GET /api/v1/export/bookings.csv   the bookings as CSV (times in the tenant's zone)
//   GET /api/v1/export/bookings.ics   the bookings as one iCalendar file
//
// The audit log has its own export (GET /api/v1/audit-entries.csv).

#include <boost/json.hpp>

#include "domain/bookings/export.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/mail/wording.hpp"
#include "http/api/api.hpp"
#include "http/api/csv.hpp"
#include "http/api/json_views.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

Response download(Response r, const std::string& name) {
    r.headers.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
    return r;
}

// The offering names by id, for the CSV and calendar views.
Result<std::map<OfferingId, std::string>> offering_names(ApiContext& ctx, TenantId tenant) {
    YOYAKU_TRY_ASSIGN(auto all, ctx.offerings.list(tenant, false));
    std::map<OfferingId, std::string> out;
    for (const auto& o : all) out[o.id] = o.name;
    return out;
}

Response everything(ApiContext& ctx, Request& req) {
    const auto tenant = req.principal.tenant;
    auto t = ctx.tenants.find_by_id(tenant);
    if (!t) return api_error(t.error(), req);
    boost::json::array resources, offerings, classes, accounts, bookings, hooks, wording;
    auto rs = ctx.resources.list(tenant, true);
    if (!rs) return api_error(rs.error(), req);
    for (const auto& r : *rs) resources.push_back(resource_view(r));
    auto os = ctx.offerings.list(tenant, false);
    if (!os) return api_error(os.error(), req);
    for (const auto& o : *os) {
        auto occ = ctx.offerings.occurrences(tenant, o.id, false);
        if (!occ) return api_error(occ.error(), req);
        offerings.push_back(offering_view(o, &*occ));
    }
    auto cs = ctx.user_classes.list(tenant);
    if (!cs) return api_error(cs.error(), req);
    for (const auto& c : *cs) classes.push_back(user_class_json(c));
    auto as = ctx.accounts.list(tenant, std::nullopt);
    if (!as) return api_error(as.error(), req);
    for (const auto& a : *as) accounts.push_back(to_json(a));
    auto each = bookings::each_booking(ctx.db, ctx.keys, tenant, [&](const bookings::Booking& b) {
        bookings.push_back(booking_json(b, true));
        return Result<void>{};
    });
    if (!each) return api_error(each.error(), req);
    auto ws = ctx.webhooks.list(tenant);
    if (!ws) return api_error(ws.error(), req);
    for (const auto& w : *ws) {
        boost::json::array events;
        for (const auto& e : w.events) events.emplace_back(e);
        hooks.push_back(
            {{"id", w.id.value},
             {"url", w.url},
             {"description", w.description},
             {"events", std::move(events)},
             {"active", w.active}}
        );
    }
    auto mw = mail::wordings(ctx.db, tenant);
    if (!mw) return api_error(mw.error(), req);
    for (const auto& w : *mw)
        if (w.custom) wording.push_back({{"name", w.name}, {"locale", w.locale}, {"body", w.body}});
    boost::json::object out{
        {"format", "yoyaku.tenant-export.v1"},
        {"exported_at", json_time(ctx.clock.now())},
        {"tenant", to_json(*t)},
        {"resources", std::move(resources)},
        {"offerings", std::move(offerings)},
        {"user_classes", std::move(classes)},
        {"accounts", std::move(accounts)},
        {"bookings", std::move(bookings)},
        {"webhooks", std::move(hooks)},
        {"mail_wording", std::move(wording)}};
    return download(json_response(200, out), "yoyaku-" + t->code + "-export.json");
}

Response bookings_csv(ApiContext& ctx, Request& req) {
    const auto tenant = req.principal.tenant;
    auto t = ctx.tenants.find_by_id(tenant);
    if (!t) return api_error(t.error(), req);
    auto names = offering_names(ctx, tenant);
    if (!names) return api_error(names.error(), req);
    std::string out =
        "reference,status,offering,starts_at,ends_at,seats,total_jpy,customer_name,"
        "customer_email,customer_phone,note,created_at,paid_at,cancellation_fee_jpy,"
        "payment_state,paid_jpy,refunded_jpy\r\n";
    auto each = bookings::each_booking(ctx.db, ctx.keys, tenant, [&](const bookings::Booking& b) {
        const auto when = [&](Instant i) { return format_rfc3339(i, t->time_zone); };
        const std::string fields[] = {
            b.reference,
            std::string(bookings::to_string(b.status)),
            (*names)[b.offering_id],
            when(b.starts_at),
            when(b.ends_at),
            std::to_string(b.seats),
            std::to_string(b.total_jpy),
            b.customer.name,
            b.customer.email,
            b.customer.phone,
            b.note,
            when(b.created_at),
            b.paid_at ? when(*b.paid_at) : "",
            b.cancellation_fee_jpy ? std::to_string(*b.cancellation_fee_jpy) : "",
            std::string(bookings::to_string(b.payment_state)),
            std::to_string(b.paid_jpy),
            std::to_string(b.refunded_jpy)};
        for (std::size_t i = 0; i < std::size(fields); ++i) {
            if (i) out += ',';
            csv_cell(out, fields[i]);
        }
        out += "\r\n";
        return Result<void>{};
    });
    if (!each) return api_error(each.error(), req);
    return download(
        Response::text(200, "text/csv; charset=utf-8", std::move(out)),
        "yoyaku-" + t->code + "-bookings.csv"
    );
}

Response bookings_ics(ApiContext& ctx, Request& req) {
    const auto tenant = req.principal.tenant;
    auto t = ctx.tenants.find_by_id(tenant);
    if (!t) return api_error(t.error(), req);
    auto names = offering_names(ctx, tenant);
    if (!names) return api_error(names.error(), req);
    std::vector<calendar::IcalEvent> events;
    const Instant now = ctx.clock.now();
    auto each = bookings::each_booking(ctx.db, ctx.keys, tenant, [&](const bookings::Booking& b) {
        events.push_back(
            bookings::ical_event(b, t->code, (*names)[b.offering_id] + " — " + b.customer.name, now)
        );
        return Result<void>{};
    });
    if (!each) return api_error(each.error(), req);
    return download(
        Response::text(
            200, "text/calendar; charset=UTF-8", calendar::ical_calendar("", events, {}, t->name)
        ),
        "yoyaku-" + t->code + "-bookings.ics"
    );
}

}  // namespace

void add_export_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/export", "tenant.export", bind(ctx, everything)});
    router.add({"GET", "/api/v1/export/bookings.csv", "tenant.export", bind(ctx, bookings_csv)});
    router.add({"GET", "/api/v1/export/bookings.ics", "tenant.export", bind(ctx, bookings_ics)});
}

}  // namespace yoyaku::http

// Online payments (issue 25): a manager stores the tenant's Stripe keys (sealed, never shown
// again; re-authentication first); Stripe's webhooks come in per tenant; a customer whose
// booking waits for its payment opens (or reopens) the provider's checkout page.
//
//   GET    /api/v1/settings/payments/stripe   {configured, key_hint, test_mode, updated_at}
//   PUT    /api/v1/settings/payments/stripe   {secret_key, webhook_secret} → the same
//   DELETE /api/v1/settings/payments/stripe   → 204: online payments stop
//   POST   /api/v1/public/{tenant_code}/payments/stripe/webhook   Stripe's signed events
//   POST   /api/v1/public/{tenant_code}/bookings/{reference}/checkout   {email | key} →
//          {url, expires_at}
//   POST   /api/v1/bookings/{reference}/refund   {amount_jpy} → 202, the booking: the refund
//          is asked of the provider by the job queue (tenant.bookings.manage)
//   GET    /api/v1/reports/sales?from=YYYY-MM-DD&to=YYYY-MM-DD[&by=day|month][&format=csv]
//          sales, refunds and fees per local day or month and offering (tenant.export)
//   GET    /api/v1/reports/reconciliations   the last days set against the provider's balance
//   POST   /api/v1/reports/reconciliations   {date} → that day reconciled now (managers)

#include <boost/json.hpp>
#include <map>

#include "domain/resources/resources.hpp"
#include "http/api/api.hpp"
#include "http/api/booking_bodies.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/csv.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

struct KeysBody {
    Text<255> secret_key;
    Text<255> webhook_secret;
    static constexpr std::array<std::string_view, 2> kRequired{"secret_key", "webhook_secret"};
};
BOOST_DESCRIBE_STRUCT(KeysBody, (), (secret_key, webhook_secret))

boost::json::object account_json(const payments::AccountView& a) {
    return {
        {"provider", a.provider},
        {"configured", a.configured},
        {"key_hint", a.configured ? boost::json::value(a.key_hint) : nullptr},
        {"test_mode", a.test_mode},
        {"updated_at", opt_json(a.updated_at)}};
}

Response get_account(ApiContext& ctx, Request& req) {
    auto a = ctx.payments.account(req.principal.tenant);
    if (!a) return api_error(a.error(), req);
    return json_response(200, account_json(*a));
}

Response set_account(ApiContext& ctx, Request& req) {
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto body = read_body<KeysBody>(req);
    if (!body) return api_error(body.error(), req);
    auto a = ctx.payments.set_account(
        req.principal.tenant,
        {body->secret_key.value, body->webhook_secret.value},
        actor_of(req.principal),
        origin_of(req)
    );
    if (!a) return api_error(a.error(), req);
    return json_response(200, account_json(*a));
}

Response remove_account(ApiContext& ctx, Request& req) {
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto r =
        ctx.payments.remove_account(req.principal.tenant, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

// Stripe retries until it gets a 2xx: an event applied (or applied before) is answered 200
// with what came of it; only a refused signature or a fault asks for another delivery.
Response webhook(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto applied = ctx.payments.receive(
        *tenant, req.body, req.headers.get("Stripe-Signature"), origin_of(req)
    );
    if (!applied) return api_error(applied.error(), req);
    return json_response(
        200, boost::json::object{{"outcome", applied->outcome}, {"duplicate", applied->duplicate}}
    );
}

struct RefundBody {
    std::int64_t amount_jpy = 0;
    static constexpr std::array<std::string_view, 1> kRequired{"amount_jpy"};
};
BOOST_DESCRIBE_STRUCT(RefundBody, (), (amount_jpy))

Response refund(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    // Another tenant's booking is not found, whatever the body says.
    if (auto b = ctx.bookings.find_by_reference(req.principal.tenant, req.param("reference")); !b)
        return api_error(b.error(), req);
    auto body = read_body<RefundBody>(req);
    if (!body) return api_error(body.error(), req);
    auto b = ctx.bookings.refund(
        req.principal.tenant,
        req.param("reference"),
        body->amount_jpy,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(202, booking_json(*b, true));
}

Response open_checkout(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<BookingProof>(req);
    if (!body) return api_error(body.error(), req);
    auto who = customer_of(req, *tenant, *body);
    if (!who) return api_error(who.error(), req);
    // Only the booking's customer learns its page.
    if (auto b = ctx.bookings.find_for(*tenant, req.param("reference"), *who); !b)
        return api_error(b.error(), req);
    auto c = ctx.payments.checkout(*tenant, req.param("reference"));
    if (!c) return api_error(c.error(), req);
    return json_response(200, checkout_json(*c));
}

boost::json::object sales_json(const payments::SalesRow& r, const std::string& offering) {
    return {
        {"period", r.period},
        {"offering_id", r.offering_id.valid() ? boost::json::value(r.offering_id.value) : nullptr},
        {"offering", offering},
        {"payments", r.payments},
        {"sales_jpy", r.sales_jpy},
        {"refunds_jpy", r.refunds_jpy},
        {"fees_jpy", r.fees_jpy},
        {"net_jpy", r.net_jpy()}};
}

std::string sales_csv(
    const payments::SalesReport& report, std::map<OfferingId, std::string>& names
) {
    std::string out =
        "period,offering_id,offering,payments,sales_jpy,refunds_jpy,fees_jpy,net_jpy\r\n";
    for (const auto& r : report.rows) {
        const std::string cells[] = {
            r.period,
            std::to_string(r.offering_id.value),
            names[r.offering_id],
            std::to_string(r.payments),
            std::to_string(r.sales_jpy),
            std::to_string(r.refunds_jpy),
            std::to_string(r.fees_jpy),
            std::to_string(r.net_jpy())};
        for (std::size_t i = 0; i < std::size(cells); ++i) {
            if (i) out += ',';
            csv_cell(out, cells[i]);
        }
        out += "\r\n";
    }
    return out;
}

Response sales(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"from", "to", "by", "format"});
    if (!q) return api_error(q.error(), req);
    std::chrono::year_month_day dates[2];
    for (int i = 0; i < 2; ++i) {
        const char* key = i == 0 ? "from" : "to";
        auto d = q->count(key) ? resources::parse_date(q->at(key)) : std::nullopt;
        if (!d) return api_error(Error::invalid(key, "must be a date YYYY-MM-DD"), req);
        dates[i] = *d;
    }
    const std::string by = q->count("by") ? q->at("by") : "day";
    if (by != "day" && by != "month")
        return api_error(Error::invalid("by", "must be day or month"), req);
    const std::string format = q->count("format") ? q->at("format") : "json";
    if (format != "json" && format != "csv")
        return api_error(Error::invalid("format", "must be json or csv"), req);
    const auto tenant = req.principal.tenant;
    auto report = ctx.payments.sales(
        tenant, dates[0], dates[1], by == "day" ? payments::Period::day : payments::Period::month
    );
    if (!report) return api_error(report.error(), req);
    std::map<OfferingId, std::string> names;
    auto all = ctx.offerings.list(tenant, false);
    if (!all) return api_error(all.error(), req);
    for (const auto& o : *all) names[o.id] = o.name;
    if (format == "csv") {
        auto r = Response::text(200, "text/csv; charset=utf-8", sales_csv(*report, names));
        r.headers.set(
            "Content-Disposition",
            "attachment; filename=\"sales-" + q->at("from") + "-" + q->at("to") + ".csv\""
        );
        return r;
    }
    boost::json::array rows;
    for (const auto& r : report->rows) rows.push_back(sales_json(r, names[r.offering_id]));
    return json_response(
        200,
        boost::json::object{
            {"time_zone", report->time_zone},
            {"by", by},
            {"rows", std::move(rows)},
            {"total", sales_json(report->total, "")}}
    );
}

boost::json::object reconciliation_json(const payments::Reconciliation& r) {
    boost::json::array mismatches;
    for (const auto& m : r.mismatches)
        mismatches.push_back(
            {{"kind", m.kind},
             {"provider_id", m.provider_id},
             {"payment_ref", m.payment_ref},
             {"reference", m.reference},
             {"yoyaku_jpy", m.yoyaku_jpy},
             {"provider_jpy", m.provider_jpy}}
        );
    return {
        {"date", resources::format_date(r.day)},
        {"state", r.state},
        {"checked", r.checked},
        {"mismatches", std::move(mismatches)},
        {"problem", r.problem},
        {"ran_at", json_time(r.ran_at)}};
}

Response reconciliations(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {});
    if (!q) return api_error(q.error(), req);
    auto list = ctx.reconciler.recent(req.principal.tenant, 60);
    if (!list) return api_error(list.error(), req);
    boost::json::array items;
    for (const auto& r : *list) items.push_back(reconciliation_json(r));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

struct ReconcileBody {
    std::chrono::year_month_day date{};
    static constexpr std::array<std::string_view, 1> kRequired{"date"};
};
BOOST_DESCRIBE_STRUCT(ReconcileBody, (), (date))

Response reconcile_now(ApiContext& ctx, Request& req) {
    auto body = read_body<ReconcileBody>(req);
    if (!body) return api_error(body.error(), req);
    auto r = ctx.reconciler.run(
        req.principal.tenant, body->date, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return json_response(200, reconciliation_json(*r));
}

}  // namespace

boost::json::object checkout_json(const payments::CheckoutView& c) {
    return {{"url", c.url}, {"expires_at", json_time(c.expires_at)}};
}

void add_payment_routes(Router& router, ApiContext& ctx) {
    const std::string manage = "tenant.settings.manage";
    const std::string path = "/api/v1/settings/payments/stripe";
    router.add({"GET", path, manage, bind(ctx, get_account)});
    router.add({"PUT", path, manage, bind(ctx, set_account)});
    router.add({"DELETE", path, manage, bind(ctx, remove_account)});
    router.add({"GET", "/api/v1/reports/sales", "tenant.export", bind(ctx, sales)});
    router.add(
        {"GET", "/api/v1/reports/reconciliations", "tenant.export", bind(ctx, reconciliations)}
    );
    router.add({"POST", "/api/v1/reports/reconciliations", manage, bind(ctx, reconcile_now)});
    router.add(
        {"POST", "/api/v1/bookings/{reference}/refund", "tenant.bookings.manage", bind(ctx, refund)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/payments/stripe/webhook",
         "public",
         bind(ctx, webhook)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/checkout",
         "public",
         bind(ctx, open_checkout)}
    );
}

}  // namespace yoyaku::http

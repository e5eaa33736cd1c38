// Receipts (領収書 / 適格簡易請求書, issue 25): a manager says who issues them (the tenant's
// invoice registration number); staff and the booking's customer download a paid booking's
// receipt as a PDF, issued on first download under the tenant's next number.
//
//   GET  /api/v1/settings/invoice   {name, registration_number, address, updated_at}
//   PUT  /api/v1/settings/invoice   {name, registration_number, address} → the same
//   GET  /api/v1/bookings/{reference}/receipt   application/pdf (tenant.bookings.read)
//   POST /api/v1/public/{tenant_code}/bookings/{reference}/receipt   {email | key} →
//        application/pdf (the booking's customer; signed in, no proof needed)

#include <boost/json.hpp>

#include "domain/payments/receipt_service.hpp"
#include "http/api/api.hpp"
#include "http/api/booking_bodies.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

struct InvoiceBody {
    Text<800> name;
    Text<20> registration_number;
    Text<1200> address;
    static constexpr std::array<std::string_view, 1> kRequired{"registration_number"};
};
BOOST_DESCRIBE_STRUCT(InvoiceBody, (), (name, registration_number, address))

boost::json::object settings_json(const payments::InvoiceSettings& s) {
    return {
        {"name", s.issuer.name},
        {"registration_number", s.issuer.registration_number},
        {"address", s.issuer.address},
        {"updated_at", opt_json(s.updated_at)}};
}

Response get_settings(ApiContext& ctx, Request& req) {
    auto s = ctx.receipts.settings(req.principal.tenant);
    if (!s) return api_error(s.error(), req);
    return json_response(200, settings_json(*s));
}

Response set_settings(ApiContext& ctx, Request& req) {
    auto body = read_body<InvoiceBody>(req);
    if (!body) return api_error(body.error(), req);
    auto s = ctx.receipts.set_settings(
        req.principal.tenant,
        {body->name.value, body->registration_number.value, body->address.value},
        actor_of(req.principal),
        origin_of(req)
    );
    if (!s) return api_error(s.error(), req);
    return json_response(200, settings_json(*s));
}

Response staff_receipt(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto d = ctx.receipts.receipt(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!d) return api_error(d.error(), req);
    return pdf_response(d->filename, d->pdf);
}

Response public_receipt(ApiContext& ctx, Request& req) {
    // Only the booking's customer gets its receipt (their name is on it).
    auto proven = proven_customer(ctx, req);
    if (!proven) return api_error(proven.error(), req);
    auto d =
        ctx.receipts.receipt(proven->tenant, req.param("reference"), proven->actor, origin_of(req));
    if (!d) return api_error(d.error(), req);
    return pdf_response(d->filename, d->pdf);
}

}  // namespace

void add_receipt_routes(Router& router, ApiContext& ctx) {
    const std::string path = "/api/v1/settings/invoice";
    router.add({"GET", path, "tenant.settings.manage", bind(ctx, get_settings)});
    router.add({"PUT", path, "tenant.settings.manage", bind(ctx, set_settings)});
    router.add(
        {"GET",
         "/api/v1/bookings/{reference}/receipt",
         "tenant.bookings.read",
         bind(ctx, staff_receipt)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/receipt",
         "public",
         bind(ctx, public_receipt)}
    );
}

}  // namespace yoyaku::http

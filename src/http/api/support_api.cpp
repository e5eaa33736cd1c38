// Support access: an operator looks into a tenant, read-only, for a reason and a limited time.
//
//   POST   /api/v1/tenants/{tenant_id}/support-access   open (operators, re-authenticated) → 201
//   DELETE /api/v1/tenants/{tenant_id}/support-access   end early                          → 204
//   GET    /api/v1/support-access                       the caller's tenant's grants (managers)
//
// While a grant lasts, requests with "Yoyaku-Support-Tenant: <tenant_id>" act inside it.

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

boost::json::object grant_json(const accounts::SupportGrant& g, Instant now) {
    return {
        {"id", g.id.value},
        {"tenant_id", g.tenant.value},
        {"operator_id", g.operator_id.value},
        {"reason", g.reason},
        {"created_at", json_time(g.created_at)},
        {"expires_at", json_time(g.expires_at)},
        {"ended_at", g.ended_at ? boost::json::value(json_time(*g.ended_at)) : nullptr},
        {"live", g.live(now)}};
}

Response open(ApiContext& ctx, Request& req) {
    auto tenant = id_param(req, "tenant_id");
    if (!tenant) return api_error(tenant.error(), req);
    auto body = json_object(req, {"reason", "minutes"});
    if (!body) return api_error(body.error(), req);
    auto reason = required_string(*body, "reason", 8000);
    if (!reason) return api_error(reason.error(), req);
    auto minutes = optional_integer(*body, "minutes");
    if (!minutes) return api_error(minutes.error(), req);
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto g = ctx.support.open(
        req.principal,
        TenantId{*tenant},
        *reason,
        std::chrono::minutes(minutes->value_or(60)),
        origin_of(req)
    );
    if (!g) return api_error(g.error(), req);
    return json_response(201, grant_json(*g, ctx.clock.now()));
}

Response end(ApiContext& ctx, Request& req) {
    auto tenant = id_param(req, "tenant_id");
    if (!tenant) return api_error(tenant.error(), req);
    auto r = ctx.support.end(req.principal, TenantId{*tenant}, origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response list(ApiContext& ctx, Request& req) {
    auto all = ctx.support.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    const Instant now = ctx.clock.now();
    boost::json::array items;
    for (const auto& g : *all) items.push_back(grant_json(g, now));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

}  // namespace

void add_support_routes(Router& router, ApiContext& ctx) {
    router.add(
        {"POST",
         "/api/v1/tenants/{tenant_id}/support-access",
         "platform.tenants.manage",
         bind(ctx, open)}
    );
    router.add(
        {"DELETE",
         "/api/v1/tenants/{tenant_id}/support-access",
         "platform.tenants.manage",
         bind(ctx, end)}
    );
    router.add({"GET", "/api/v1/support-access", "tenant.audit.read", bind(ctx, list)});
}

}  // namespace yoyaku::http

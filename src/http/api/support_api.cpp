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
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request body of a support access: why, and for how long.
struct GrantBody {
    Text<8000> reason;
    std::optional<int> minutes;
    static constexpr std::array<std::string_view, 1> kRequired{"reason"};
};
BOOST_DESCRIBE_STRUCT(GrantBody, (), (reason, minutes))

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
    auto body = read_body<GrantBody>(req);
    if (!body) return api_error(body.error(), req);
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto g = ctx.support.open(
        req.principal,
        TenantId{*tenant},
        body->reason.value,
        std::chrono::minutes(body->minutes.value_or(60)),
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

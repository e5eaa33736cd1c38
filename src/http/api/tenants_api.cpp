// Tenants, for operators (permission platform.tenants.manage).
//
//   GET  /api/v1/tenants                       list
//   POST /api/v1/tenants                       create with its first manager (set-up link)
//   GET  /api/v1/tenants/{tenant_id}           one
//   POST /api/v1/tenants/{tenant_id}/status    suspend, reactivate, terminate (re-authenticated)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

Response list(ApiContext& ctx, Request& req) {
    auto all = ctx.tenants.list();
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& t : *all) items.push_back(to_json(t));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response create(ApiContext& ctx, Request& req) {
    auto body =
        json_object(req, {"code", "name", "time_zone", "locale", "manager_email", "manager_name"});
    if (!body) return api_error(body.error(), req);
    tenants::NewTenant t;
    for (auto [field, target] : {std::pair{"code", &t.code}, std::pair{"name", &t.name}}) {
        auto v = required_string(*body, field, 800);
        if (!v) return api_error(v.error(), req);
        *target = std::move(*v);
    }
    for (auto [field, target] :
         {std::pair{"time_zone", &t.time_zone}, std::pair{"locale", &t.locale}}) {
        auto v = optional_string(*body, field, 64);
        if (!v) return api_error(v.error(), req);
        if (*v) *target = std::move(**v);
    }
    auto email = required_string(*body, "manager_email", 320);
    if (!email) return api_error(email.error(), req);
    auto name = optional_string(*body, "manager_name", 400);
    if (!name) return api_error(name.error(), req);
    // Checked before anything is written, so a bad email never leaves a tenant behind.
    if (auto e = accounts::normalize_email(*email, "manager_email"); !e)
        return api_error(e.error(), req);
    std::optional<accounts::Created> manager;
    auto created = ctx.tenants.create(
        t,
        actor_of(req.principal),
        origin_of(req),
        [&](storage::Tx& tx, const tenants::Tenant& tenant) -> Result<void> {
            auto m = ctx.accounts.create(
                tx,
                tenant.id,
                {access::Role::manager, *email, name->value_or("管理者"), std::nullopt},
                actor_of(req.principal),
                origin_of(req)
            );
            if (!m) {
                auto e = std::move(m).error();
                if (!e.field.empty()) e.field = "manager_" + e.field;
                return e;
            }
            manager = std::move(*m);
            return {};
        }
    );
    if (!created) return api_error(created.error(), req);
    auto r = json_response(
        201,
        boost::json::object{
            {"tenant", to_json(*created)},
            {"manager", to_json(manager->account)},
            {"setup_link", setup_link(ctx.public_url, *manager->setup_token)}}
    );
    r.headers.set("Location", "/api/v1/tenants/" + std::to_string(created->id.value));
    return r;
}

Response get_one(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "tenant_id");
    if (!id) return api_error(id.error(), req);
    auto t = ctx.tenants.find_by_id(TenantId{*id});
    if (!t) return api_error(t.error(), req);
    return json_response(200, to_json(*t));
}

Response change_status(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "tenant_id");
    if (!id) return api_error(id.error(), req);
    auto body = json_object(req, {"status", "reason"});
    if (!body) return api_error(body.error(), req);
    auto status_text = required_string(*body, "status", 16);
    if (!status_text) return api_error(status_text.error(), req);
    auto status = tenants::parse_status(*status_text);
    if (!status)
        return api_error(Error::invalid("status", "must be active, suspended or terminated"), req);
    auto reason = required_string(*body, "reason", 2000);
    if (!reason) return api_error(reason.error(), req);
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto t = ctx.tenants.change_status(
        TenantId{*id}, *status, *reason, actor_of(req.principal), origin_of(req)
    );
    if (!t) return api_error(t.error(), req);
    return json_response(200, to_json(*t));
}

}  // namespace

void add_tenant_routes(Router& router, ApiContext& ctx) {
    const std::string perm = "platform.tenants.manage";
    router.add({"GET", "/api/v1/tenants", perm, bind(ctx, list)});
    router.add({"POST", "/api/v1/tenants", perm, bind(ctx, create)});
    router.add({"GET", "/api/v1/tenants/{tenant_id}", perm, bind(ctx, get_one)});
    router.add({"POST", "/api/v1/tenants/{tenant_id}/status", perm, bind(ctx, change_status)});
}

}  // namespace yoyaku::http

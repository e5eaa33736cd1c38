// Tenants, for operators (permission platform.tenants.manage).
//
//   GET  /api/v1/tenants                       list
//   POST /api/v1/tenants                       create with its first manager (set-up link)
//   GET  /api/v1/tenants/{tenant_id}           one
//   POST /api/v1/tenants/{tenant_id}/status    suspend, reactivate, terminate (re-authenticated)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request bodies: a new tenant with its first manager, and a change of status.
struct NewTenantBody {
    Text<800> code;
    Text<800> name;
    std::optional<Text<64>> time_zone;
    std::optional<Text<64>> locale;
    Text<320> manager_email;
    std::optional<Text<400>> manager_name;
    static constexpr std::array<std::string_view, 3> kRequired{"code", "name", "manager_email"};
};
BOOST_DESCRIBE_STRUCT(
    NewTenantBody, (), (code, name, time_zone, locale, manager_email, manager_name)
)
struct StatusBody {
    Text<16> status;
    Text<2000> reason;
    static constexpr std::array<std::string_view, 2> kRequired{"status", "reason"};
};
BOOST_DESCRIBE_STRUCT(StatusBody, (), (status, reason))

Response list(ApiContext& ctx, Request& req) {
    auto all = ctx.tenants.list();
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& t : *all) items.push_back(to_json(t));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response create(ApiContext& ctx, Request& req) {
    auto body = read_body<NewTenantBody>(req);
    if (!body) return api_error(body.error(), req);
    tenants::NewTenant t;
    t.code = body->code.value;
    t.name = body->name.value;
    if (body->time_zone) t.time_zone = body->time_zone->value;
    if (body->locale) t.locale = body->locale->value;
    const auto& email = body->manager_email.value;
    // Checked before anything is written, so a bad email never leaves a tenant behind.
    if (auto e = accounts::normalize_email(email, "manager_email"); !e)
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
                {access::Role::manager,
                 email,
                 body->manager_name ? body->manager_name->value : std::string("管理者"),
                 std::nullopt},
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
    auto body = read_body<StatusBody>(req);
    if (!body) return api_error(body.error(), req);
    auto status = tenants::parse_status(body->status.value);
    if (!status)
        return api_error(Error::invalid("status", "must be active, suspended or terminated"), req);
    const auto& reason = body->reason.value;
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto t = ctx.tenants.change_status(
        TenantId{*id}, *status, reason, actor_of(req.principal), origin_of(req)
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

// A tenant's managers and staff (permission tenant.staff.manage, so: managers).
//
//   GET    /api/v1/staff                         list
//   POST   /api/v1/staff                         create (a set-up link when no password)
//   GET    /api/v1/staff/{account_id}            one
//   PATCH  /api/v1/staff/{account_id}            role and/or status (role: re-authenticated)
//   DELETE /api/v1/staff/{account_id}            delete (re-authenticated)
//   POST   /api/v1/staff/{account_id}/unlock     lift a lockout
//   POST   /api/v1/staff/{account_id}/reset-mfa  clear two-step sign-in (re-authenticated)
//   GET    /api/v1/staff/{account_id}/scope      the resources and offerings a staff member
//   PUT    /api/v1/staff/{account_id}/scope      is limited to (empty lists: not limited)
//
// Customers are not staff: their ids answer 404 here, as do other tenants' ids.

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request bodies, one declaration each.
struct ScopeBody {
    std::vector<ResourceId> resource_ids;  ///< maybe empty
    std::vector<OfferingId> offering_ids;  ///< maybe empty
    static constexpr std::array<std::string_view, 2> kRequired{"resource_ids", "offering_ids"};
};
BOOST_DESCRIBE_STRUCT(ScopeBody, (), (resource_ids, offering_ids))
struct NewStaffBody {
    Text<320> email;
    Text<400> name;
    Text<16> role;                       ///< staff | manager
    std::optional<Text<1024>> password;  ///< none: a set-up link is mailed
    static constexpr std::array<std::string_view, 3> kRequired{"email", "name", "role"};
};
BOOST_DESCRIBE_STRUCT(NewStaffBody, (), (email, name, role, password))
struct StaffChangeBody {
    std::optional<Text<16>> role;
    std::optional<Text<16>> status;  ///< active | disabled
};
BOOST_DESCRIBE_STRUCT(StaffChangeBody, (), (role, status))

bool is_staff(const accounts::Account& a) {
    return a.role == access::Role::manager || a.role == access::Role::staff;
}

Result<accounts::Account> find_staff(ApiContext& ctx, const Request& req) {
    YOYAKU_TRY_ASSIGN(auto id, id_param<AccountId>(req, "account_id"));
    auto a = ctx.accounts.find(req.principal.tenant, id);
    if (!a) return a;
    if (!is_staff(*a)) return Error::not_found("no such account");
    return a;
}

Result<access::Role> staff_role(const std::string& s) {
    if (s == "manager") return access::Role::manager;
    if (s == "staff") return access::Role::staff;
    return Error::invalid("role", "must be manager or staff");
}

boost::json::object scope_json(const access::StaffScope& s) {
    boost::json::array resources, offerings;
    for (const auto r : s.resources) resources.emplace_back(r.value);
    for (const auto o : s.offerings) offerings.emplace_back(o.value);
    return {
        {"limited", s.limited()},
        {"resource_ids", std::move(resources)},
        {"offering_ids", std::move(offerings)}};
}

// A staff member's account with their scope; a manager's without (never limited).
boost::json::object staff_json(const accounts::Account& a, const access::StaffScope& scope) {
    auto j = to_json(a);
    if (a.role == access::Role::staff) j["scope"] = scope_json(scope);
    return j;
}

Response list(ApiContext& ctx, Request& req) {
    auto all = ctx.accounts.list(req.principal.tenant, std::nullopt);
    if (!all) return api_error(all.error(), req);
    auto scopes = ctx.staff_scopes.list(req.principal.tenant);
    if (!scopes) return api_error(scopes.error(), req);
    boost::json::array items;
    for (const auto& a : *all) {
        if (!is_staff(a)) continue;
        const auto it = scopes->find(AccountId{a.id});
        items.push_back(staff_json(a, it == scopes->end() ? access::StaffScope{} : it->second));
    }
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response get_scope(ApiContext& ctx, Request& req) {
    auto id = id_param<AccountId>(req, "account_id");
    if (!id) return api_error(id.error(), req);
    auto s = ctx.staff_scopes.find(req.principal.tenant, AccountId{*id});
    if (!s) return api_error(s.error(), req);
    return json_response(200, scope_json(*s));
}

Response put_scope(ApiContext& ctx, Request& req) {
    auto id = id_param<AccountId>(req, "account_id");
    if (!id) return api_error(id.error(), req);
    // Another tenant's id, or no staff member's, is not found whatever the body says.
    if (auto known = ctx.staff_scopes.find(req.principal.tenant, AccountId{*id}); !known)
        return api_error(known.error(), req);
    auto body = read_body<ScopeBody>(req);
    if (!body) return api_error(body.error(), req);
    access::StaffScope scope;
    for (const auto r : body->resource_ids) scope.resources.emplace_back(r);
    for (const auto o : body->offering_ids) scope.offerings.emplace_back(o);
    auto s = ctx.staff_scopes.set(
        req.principal.tenant, AccountId{*id}, scope, actor_of(req.principal), origin_of(req)
    );
    if (!s) return api_error(s.error(), req);
    return json_response(200, scope_json(*s));
}

Response create(ApiContext& ctx, Request& req) {
    auto body = read_body<NewStaffBody>(req);
    if (!body) return api_error(body.error(), req);
    auto role = staff_role(body->role.value);
    if (!role) return api_error(role.error(), req);
    // Making someone a manager hands over the keys: confirm who is asking.
    if (*role == access::Role::manager)
        if (auto fresh = require_recent_authentication(ctx, req); !fresh)
            return api_error(fresh.error(), req);
    auto created = ctx.accounts.create(
        req.principal.tenant,
        {*role,
         std::move(body->email.value),
         std::move(body->name.value),
         body->password ? std::optional(std::move(body->password->value)) : std::nullopt},
        actor_of(req.principal),
        origin_of(req)
    );
    if (!created) return api_error(created.error(), req);
    boost::json::object o{{"account", to_json(created->account)}};
    if (created->setup_token) o["setup_link"] = setup_link(ctx.public_url, *created->setup_token);
    auto r = json_response(201, o);
    r.headers.set("Location", "/api/v1/staff/" + to_string(created->account.id));
    return r;
}

Response get_one(ApiContext& ctx, Request& req) {
    auto a = find_staff(ctx, req);
    if (!a) return api_error(a.error(), req);
    access::StaffScope scope;
    if (a->role == access::Role::staff) {
        auto s = ctx.staff_scopes.find(req.principal.tenant, AccountId{a->id});
        if (!s) return api_error(s.error(), req);
        scope = std::move(*s);
    }
    return json_response(200, staff_json(*a, scope));
}

Response update(ApiContext& ctx, Request& req) {
    auto body = read_body<StaffChangeBody>(req);
    if (!body) return api_error(body.error(), req);
    std::optional<access::Role> role;
    if (body->role) {
        auto r = staff_role(body->role->value);
        if (!r) return api_error(r.error(), req);
        role = *r;
    }
    std::optional<accounts::Status> status;
    if (body->status) {
        if (body->status->value == "active") {
            status = accounts::Status::active;
        } else if (body->status->value == "disabled") {
            status = accounts::Status::disabled;
        } else {
            return api_error(Error::invalid("status", "must be active or disabled"), req);
        }
    }
    auto a = find_staff(ctx, req);
    if (!a) return api_error(a.error(), req);
    if (role && *role != a->role)
        if (auto fresh = require_recent_authentication(ctx, req); !fresh)
            return api_error(fresh.error(), req);
    const auto tenant = req.principal.tenant;
    if (role) {
        a = ctx.accounts.change_role(tenant, a->id, *role, actor_of(req.principal), origin_of(req));
        if (!a) return api_error(a.error(), req);
    }
    if (status) {
        a = ctx.accounts.change_status(
            tenant, a->id, *status, actor_of(req.principal), origin_of(req)
        );
        if (!a) return api_error(a.error(), req);
    }
    return json_response(200, to_json(*a));
}

Response remove(ApiContext& ctx, Request& req) {
    auto a = find_staff(ctx, req);
    if (!a) return api_error(a.error(), req);
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto r =
        ctx.accounts.remove(req.principal.tenant, a->id, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response unlock(ApiContext& ctx, Request& req) {
    auto a = find_staff(ctx, req);
    if (!a) return api_error(a.error(), req);
    a = ctx.accounts.unlock(req.principal.tenant, a->id, actor_of(req.principal), origin_of(req));
    if (!a) return api_error(a.error(), req);
    return json_response(200, to_json(*a));
}

Response reset_mfa(ApiContext& ctx, Request& req) {
    auto a = find_staff(ctx, req);
    if (!a) return api_error(a.error(), req);
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto r = ctx.auth.reset_totp(req.principal, a->id, origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

}  // namespace

void add_staff_routes(Router& router, ApiContext& ctx) {
    const std::string perm = "tenant.staff.manage";
    router.add({"GET", "/api/v1/staff", perm, bind(ctx, list)});
    router.add({"POST", "/api/v1/staff", perm, bind(ctx, create)});
    router.add({"GET", "/api/v1/staff/{account_id}", perm, bind(ctx, get_one)});
    router.add({"PATCH", "/api/v1/staff/{account_id}", perm, bind(ctx, update)});
    router.add({"DELETE", "/api/v1/staff/{account_id}", perm, bind(ctx, remove)});
    router.add({"POST", "/api/v1/staff/{account_id}/unlock", perm, bind(ctx, unlock)});
    router.add({"POST", "/api/v1/staff/{account_id}/reset-mfa", perm, bind(ctx, reset_mfa)});
    router.add({"GET", "/api/v1/staff/{account_id}/scope", perm, bind(ctx, get_scope)});
    router.add({"PUT", "/api/v1/staff/{account_id}/scope", perm, bind(ctx, put_scope)});
}

}  // namespace yoyaku::http

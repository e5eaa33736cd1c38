// A tenant's security settings, for managers (permission tenant.settings.manage).
//
//   GET   /api/v1/settings/security   session timeouts per role, lockout threshold and time,
//                                     whether staff must use two-step sign-in, the networks
//                                     managers and staff sign in from
//   PATCH /api/v1/settings/security   {"session.staff.idle_minutes": 20, ...} (re-authenticated)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

constexpr std::string_view kKeys[] = {
    "session.manager.idle_minutes",
    "session.manager.absolute_minutes",
    "session.staff.idle_minutes",
    "session.staff.absolute_minutes",
    "session.customer.idle_minutes",
    "session.customer.absolute_minutes",
    "lockout.threshold",
    "lockout.minutes",
    "mfa.staff_required",
    "access.staff_networks",
};
constexpr std::string_view kNetworks = "access.staff_networks";

boost::json::object policy_json(const accounts::SecurityPolicy& p) {
    boost::json::object o;
    for (auto [name, t] :
         {std::pair{"manager", &p.manager},
          std::pair{"staff", &p.staff},
          std::pair{"customer", &p.customer}}) {
        o[std::string("session.") + name + ".idle_minutes"] = t->idle.count();
        o[std::string("session.") + name + ".absolute_minutes"] = t->absolute.count();
    }
    o["lockout.threshold"] = p.lockout_threshold;
    o["lockout.minutes"] = p.lockout_duration.count();
    o["mfa.staff_required"] = p.mfa_for_staff ? 1 : 0;
    o[kNetworks] = accounts::networks_text(p.staff_networks);
    return o;
}

Response get(ApiContext& ctx, Request& req) {
    const auto tenant = req.principal.tenant;
    auto p = ctx.db.read(storage::TenantScope(tenant), [&](storage::ScopedTx& tx) {
        return accounts::load_policy(tx.tx(), tenant);
    });
    if (!p) return api_error(p.error(), req);
    return json_response(200, policy_json(*p));
}

Response update(ApiContext& ctx, Request& req) {
    auto body = json_object(req, std::span<const std::string_view>(kKeys));
    if (!body) return api_error(body.error(), req);
    if (body->empty()) return api_error(Error::invalid("body", "names no setting"), req);
    std::vector<std::pair<std::string, std::int64_t>> changes;
    std::optional<std::vector<net::Cidr>> networks;
    for (const auto& kv : *body) {
        if (kv.key() == kNetworks) {
            auto text = optional_string(*body, kNetworks, 4000);
            if (!text) return api_error(text.error(), req);
            auto parsed = accounts::parse_networks(text->value_or(""));
            if (!parsed) return api_error(parsed.error(), req);
            networks = std::move(*parsed);
            continue;
        }
        auto v = optional_integer(*body, kv.key());
        if (!v) return api_error(v.error(), req);
        if (!*v) return api_error(Error::invalid(std::string(kv.key()), "must be a number"), req);
        changes.emplace_back(std::string(kv.key()), **v);
    }
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    const auto tenant = req.principal.tenant;
    const Instant now = ctx.clock.now();
    auto p = ctx.db.write(
        storage::TenantScope(tenant),
        [&](storage::ScopedTx& tx) -> Result<accounts::SecurityPolicy> {
            boost::json::object changed;
            for (const auto& [key, value] : changes) {
                YOYAKU_TRY(accounts::store_policy_setting(tx.tx(), tenant, key, value, now));
                changed[key] = value;
            }
            if (networks) {
                YOYAKU_TRY(accounts::store_staff_networks(
                    tx.tx(), tenant, *networks, req.client_address, now
                ));
                changed[kNetworks] = networks->size();
            }
            YOYAKU_TRY(audit::append(
                tx,
                actor_of(req.principal),
                origin_of(req),
                {"settings.security_changed",
                 "tenant:" + std::to_string(tenant.value),
                 "success",
                 boost::json::serialize(changed)},
                now
            ));
            return accounts::load_policy(tx.tx(), tenant);
        }
    );
    if (!p) return api_error(p.error(), req);
    return json_response(200, policy_json(*p));
}

}  // namespace

void add_settings_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/settings/security", "tenant.settings.manage", bind(ctx, get)});
    router.add({"PATCH", "/api/v1/settings/security", "tenant.settings.manage", bind(ctx, update)});
}

}  // namespace yoyaku::http

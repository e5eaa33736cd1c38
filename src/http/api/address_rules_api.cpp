// Address block and allow lists, for operators (permission platform.blocks.manage). Changes
// apply on this node at once and on the others at their next reload (a few seconds).
//
//   GET    /api/v1/address-rules              live rules (automatic blocks included)
//   POST   /api/v1/address-rules              add {kind, cidr, reason, expires_at?}
//   DELETE /api/v1/address-rules/{rule_id}    remove (re-authenticated)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request body of a new rule.
struct RuleBody {
    Text<16> kind;  ///< block | allow
    Text<64> cidr;
    Text<2000> reason;
    std::optional<Instant> expires_at;
    static constexpr std::array<std::string_view, 3> kRequired{"kind", "cidr", "reason"};
};
BOOST_DESCRIBE_STRUCT(RuleBody, (), (kind, cidr, reason, expires_at))

boost::json::object rule_json(const accounts::AddressRule& r) {
    return {
        {"id", r.id.value},
        {"kind", accounts::to_string(r.kind)},
        {"cidr", net::to_string(r.cidr)},
        {"reason", r.reason},
        {"source", r.automatic ? "automatic" : "operator"},
        {"created_at", json_time(r.created_at)},
        {"expires_at", r.expires_at ? boost::json::value(json_time(*r.expires_at)) : nullptr}};
}

Response list(ApiContext& ctx, Request& req) {
    if (auto r = ctx.defence.reload(); !r) return api_error(r.error(), req);
    boost::json::array items;
    for (const auto& r : ctx.defence.rules()) items.push_back(rule_json(r));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response create(ApiContext& ctx, Request& req) {
    auto body = read_body<RuleBody>(req);
    if (!body) return api_error(body.error(), req);
    const auto& kind = body->kind.value;
    if (kind != "block" && kind != "allow")
        return api_error(Error::invalid("kind", "must be block or allow"), req);
    auto rule = ctx.defence.add_rule(
        kind == "block" ? accounts::RuleKind::block : accounts::RuleKind::allow,
        body->cidr.value,
        body->reason.value,
        body->expires_at,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!rule) return api_error(rule.error(), req);
    return json_response(201, rule_json(*rule));
}

Response remove(ApiContext& ctx, Request& req) {
    auto id = id_param<AddressRuleId>(req, "rule_id");
    if (!id) return api_error(id.error(), req);
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto r = ctx.defence.remove_rule(*id, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

}  // namespace

void add_address_rule_routes(Router& router, ApiContext& ctx) {
    const std::string perm = "platform.blocks.manage";
    router.add({"GET", "/api/v1/address-rules", perm, bind(ctx, list)});
    router.add({"POST", "/api/v1/address-rules", perm, bind(ctx, create)});
    router.add({"DELETE", "/api/v1/address-rules/{rule_id}", perm, bind(ctx, remove)});
}

}  // namespace yoyaku::http

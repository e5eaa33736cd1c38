// API and kiosk tokens of a tenant (permission tenant.tokens.manage, so: managers).
//
//   GET    /api/v1/api-tokens              list (never the secrets)
//   POST   /api/v1/api-tokens              make one (re-authenticated); the secret, once → 201
//   DELETE /api/v1/api-tokens/{token_id}   revoke (re-authenticated)                  → 204

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request body of a new token.
struct TokenBody {
    Text<400> name;
    std::optional<Text<16>> kind;  ///< integration (the default) | kiosk
    std::vector<Text<64>> scopes;
    std::optional<Instant> expires_at;
    static constexpr std::array<std::string_view, 2> kRequired{"name", "scopes"};
};
BOOST_DESCRIBE_STRUCT(TokenBody, (), (name, kind, scopes, expires_at))

boost::json::value optional_time(const std::optional<Instant>& t) {
    return t ? boost::json::value(json_time(*t)) : boost::json::value(nullptr);
}

boost::json::object token_json(const accounts::ApiToken& t) {
    boost::json::array scopes;
    for (auto p : t.scopes) scopes.emplace_back(access::to_string(p));
    return {
        {"id", t.id.value},
        {"kind", accounts::to_string(t.kind)},
        {"name", t.name},
        {"hint", t.hint},
        {"scopes", std::move(scopes)},
        {"created_by", t.created_by.value},
        {"created_at", json_time(t.created_at)},
        {"expires_at", optional_time(t.expires_at)},
        {"last_used_at", optional_time(t.last_used_at)},
        {"last_used_address", t.last_used_address},
        {"revoked_at", optional_time(t.revoked_at)}};
}

Response list(ApiContext& ctx, Request& req) {
    auto all = ctx.tokens.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& t : *all) items.push_back(token_json(t));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response create(ApiContext& ctx, Request& req) {
    auto body = read_body<TokenBody>(req);
    if (!body) return api_error(body.error(), req);
    accounts::NewToken in;
    in.name = std::move(body->name.value);
    const auto kind = body->kind ? body->kind->value : std::string("integration");
    if (kind == "kiosk")
        in.kind = accounts::TokenKind::kiosk;
    else if (kind != "integration")
        return api_error(Error::invalid("kind", "must be integration or kiosk"), req);
    for (auto& s : body->scopes) in.scopes.push_back(std::move(s.value));
    in.expires_at = body->expires_at;
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto issued = ctx.tokens.create(req.principal, in, origin_of(req));
    if (!issued) return api_error(issued.error(), req);
    auto o = token_json(issued->token);
    o["token"] = issued->secret;
    return json_response(201, o);
}

Response revoke(ApiContext& ctx, Request& req) {
    auto id = id_param<ApiTokenId>(req, "token_id");
    if (!id) return api_error(id.error(), req);
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto r = ctx.tokens.revoke(req.principal, *id, origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

}  // namespace

void add_token_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/api-tokens", "tenant.tokens.manage", bind(ctx, list)});
    router.add({"POST", "/api/v1/api-tokens", "tenant.tokens.manage", bind(ctx, create)});
    router.add(
        {"DELETE", "/api/v1/api-tokens/{token_id}", "tenant.tokens.manage", bind(ctx, revoke)}
    );
}

}  // namespace yoyaku::http

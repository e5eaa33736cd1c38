// LINE Messaging API push (issue 7): a manager stores the tenant's channel access token (never
// shown again); a signed-in customer links their LINE user id and then gets their booking
// messages on LINE too.
//
//   GET    /api/v1/settings/line   {configured, updated_at}            (tenant.settings.manage)
//   PUT    /api/v1/settings/line   {channel_access_token} → the same
//   DELETE /api/v1/settings/line   → 204: nothing more is pushed
//   GET    /api/v1/me/line         {linked, user_id}                   (customer.self)
//   PUT    /api/v1/me/line         {user_id: "U…"} → the same
//   DELETE /api/v1/me/line         → 204

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request body: the channel's access token.
struct ChannelBody {
    Text<500> channel_access_token;
    static constexpr std::array<std::string_view, 1> kRequired{"channel_access_token"};
};
BOOST_DESCRIBE_STRUCT(ChannelBody, (), (channel_access_token))

boost::json::object channel_json(const line::Channel& c) {
    boost::json::object o{{"configured", c.configured}, {"updated_at", nullptr}};
    if (c.updated_at) o["updated_at"] = json_time(*c.updated_at);
    return o;
}

boost::json::object link_json(const std::optional<std::string>& user) {
    boost::json::object o{{"linked", user.has_value()}, {"user_id", nullptr}};
    if (user) o["user_id"] = *user;
    return o;
}

Response get_channel(ApiContext& ctx, Request& req) {
    auto c = ctx.line.channel(req.principal.tenant);
    if (!c) return api_error(c.error(), req);
    return json_response(200, channel_json(*c));
}

Response set_channel(ApiContext& ctx, Request& req) {
    auto body = read_body<ChannelBody>(req);
    if (!body) return api_error(body.error(), req);
    auto c = ctx.line.set_channel(
        req.principal.tenant,
        body->channel_access_token.value,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!c) return api_error(c.error(), req);
    return json_response(200, channel_json(*c));
}

Response remove_channel(ApiContext& ctx, Request& req) {
    auto r = ctx.line.remove_channel(req.principal.tenant, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response my_link(ApiContext& ctx, Request& req) {
    auto user = ctx.line.linked(req.principal.tenant, req.principal.account_id);
    if (!user) return api_error(user.error(), req);
    return json_response(200, link_json(*user));
}

Response link(ApiContext& ctx, Request& req) {
    auto body = json_object(req, {"user_id"});
    if (!body) return api_error(body.error(), req);
    auto user = required_string(*body, "user_id", 64);
    if (!user) return api_error(user.error(), req);
    auto r = ctx.line.link(
        req.principal.tenant,
        req.principal.account_id,
        *user,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return json_response(200, link_json(*user));
}

Response unlink(ApiContext& ctx, Request& req) {
    auto r = ctx.line.unlink(
        req.principal.tenant, req.principal.account_id, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

}  // namespace

void add_line_routes(Router& router, ApiContext& ctx) {
    const char* settings = "tenant.settings.manage";
    router.add({"GET", "/api/v1/settings/line", settings, bind(ctx, get_channel)});
    router.add({"PUT", "/api/v1/settings/line", settings, bind(ctx, set_channel)});
    router.add({"DELETE", "/api/v1/settings/line", settings, bind(ctx, remove_channel)});
    router.add({"GET", "/api/v1/me/line", "customer.self", bind(ctx, my_link)});
    router.add({"PUT", "/api/v1/me/line", "customer.self", bind(ctx, link)});
    router.add({"DELETE", "/api/v1/me/line", "customer.self", bind(ctx, unlink)});
}

}  // namespace yoyaku::http

// Zoom (issue 28): a manager connects the venue's Zoom account (a Server-to-Server OAuth app;
// the credentials are checked with Zoom, sealed, never shown again, after confirming the
// password), so bookings of offerings with `zoom_meetings` get their own meetings.
//
//   GET    /api/v1/settings/zoom   {configured, account_id, client_id, updated_at}
//   PUT    /api/v1/settings/zoom   {account_id, client_id, client_secret} → the same (recent
//                                  password; 422 when Zoom refuses them, 503 unreachable)
//   DELETE /api/v1/settings/zoom   → 204: no more meetings are made
// (tenant.settings.manage)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

struct ZoomBody {
    Text<64> account_id;
    Text<64> client_id;
    Text<128> client_secret;
    static constexpr std::array<std::string_view, 3> kRequired{
        "account_id", "client_id", "client_secret"};
};
BOOST_DESCRIBE_STRUCT(ZoomBody, (), (account_id, client_id, client_secret))

boost::json::object connection_json(const zoom::Connection& c) {
    boost::json::object o{
        {"configured", c.configured},
        {"account_id", nullptr},
        {"client_id", nullptr},
        {"updated_at", nullptr}};
    if (c.configured) {
        o["account_id"] = c.account_id;
        o["client_id"] = c.client_id;
    }
    if (c.updated_at) o["updated_at"] = json_time(*c.updated_at);
    return o;
}

Response get_zoom(ApiContext& ctx, Request& req) {
    auto c = ctx.zoom.connection(req.principal.tenant);
    if (!c) return api_error(c.error(), req);
    return json_response(200, connection_json(*c));
}

Response set_zoom(ApiContext& ctx, Request& req) {
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto body = read_body<ZoomBody>(req);
    if (!body) return api_error(body.error(), req);
    auto c = ctx.zoom.connect(
        req.principal.tenant,
        {body->account_id.value, body->client_id.value, body->client_secret.value},
        actor_of(req.principal),
        origin_of(req)
    );
    if (!c) return api_error(c.error(), req);
    return json_response(200, connection_json(*c));
}

Response remove_zoom(ApiContext& ctx, Request& req) {
    auto r = ctx.zoom.disconnect(req.principal.tenant, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

}  // namespace

void add_zoom_routes(Router& router, ApiContext& ctx) {
    const char* settings = "tenant.settings.manage";
    router.add({"GET", "/api/v1/settings/zoom", settings, bind(ctx, get_zoom)});
    router.add({"PUT", "/api/v1/settings/zoom", settings, bind(ctx, set_zoom)});
    router.add({"DELETE", "/api/v1/settings/zoom", settings, bind(ctx, remove_zoom)});
}

}  // namespace yoyaku::http

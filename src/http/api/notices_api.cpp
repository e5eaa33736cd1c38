// Incident and maintenance notices and maintenance mode (SPEC S16).
//
//   GET  /api/v1/notices                         every notice, newest first        (operators)
//   POST /api/v1/notices                         {kind, severity, title, body, starts_at,
//                                                ends_at?, tenants?, emergency_reason?} → 201
//   POST /api/v1/notices/{notice_id}/updates     {body, resolved?} → the notice
//   GET  /api/v1/maintenance                     {on, retry_after_s, message, since}
//   PUT  /api/v1/maintenance                     {on, retry_after_s?, message?}
//   GET  /api/v1/current-notices                 what the signed-in tenant's console shows
//   GET  /api/v1/public/status                   the public status page: state, notices to all

#include <algorithm>
#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/api/json_views.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::notices {
BOOST_DESCRIBE_STRUCT(
    NoticeInput, (), (kind, severity, title, body, starts_at, ends_at, tenants, emergency_reason)
)
}  // namespace yoyaku::notices

namespace yoyaku::http {
template <>
struct Required<notices::NoticeInput> {
    static constexpr std::array<std::string_view, 4> names{
        "kind", "severity", "title", "starts_at"};
};
}  // namespace yoyaku::http

namespace yoyaku::http {
namespace {

boost::json::object notice_json(const notices::Notice& n, bool full) {
    boost::json::array updates;
    for (const auto& u : n.updates)
        updates.push_back({{"at", json_time(u.at)}, {"body", u.body}, {"resolved", u.resolved}});
    boost::json::object o{
        {"id", n.id.value},
        {"kind", n.kind},
        {"severity", n.severity},
        {"title", n.title},
        {"body", n.body},
        {"starts_at", json_time(n.starts_at)},
        {"ends_at", n.ends_at ? boost::json::value(json_time(*n.ends_at)) : nullptr},
        {"resolved_at", n.resolved_at ? boost::json::value(json_time(*n.resolved_at)) : nullptr},
        {"emergency_reason",
         n.emergency_reason.empty() ? boost::json::value(nullptr)
                                    : boost::json::value(n.emergency_reason)},
        {"updates", std::move(updates)}};
    if (full) {
        boost::json::array codes;
        for (const auto& c : n.tenants) codes.emplace_back(c);
        o["all_tenants"] = n.all_tenants;
        o["tenants"] = std::move(codes);
        o["created_at"] = json_time(n.created_at);
    }
    return o;
}

Response items(const std::vector<notices::Notice>& list, bool full) {
    boost::json::array out;
    for (const auto& n : list) out.push_back(notice_json(n, full));
    return json_response(200, boost::json::object{{"items", std::move(out)}});
}

boost::json::object maintenance_json(const notices::Maintenance& m) {
    return {
        {"on", m.on},
        {"retry_after_s", m.retry_after_s},
        {"message", m.message},
        {"since", m.since ? boost::json::value(json_time(*m.since)) : nullptr}};
}

Response list(ApiContext& ctx, Request& req) {
    auto all = ctx.notices.list();
    if (!all) return api_error(all.error(), req);
    return items(*all, true);
}

// The other request bodies, one declaration each.
struct UpdateBody {
    Text<20000> body;
    std::optional<bool> resolved;
    static constexpr std::array<std::string_view, 1> kRequired{"body"};
};
BOOST_DESCRIBE_STRUCT(UpdateBody, (), (body, resolved))
struct MaintenanceBody {
    bool on = false;
    std::optional<std::int64_t> retry_after_s;
    std::optional<Text<2000>> message;
    static constexpr std::array<std::string_view, 1> kRequired{"on"};
};
BOOST_DESCRIBE_STRUCT(MaintenanceBody, (), (on, retry_after_s, message))

Response post(ApiContext& ctx, Request& req) {
    auto in = read_body<notices::NoticeInput>(req);
    if (!in) return api_error(in.error(), req);
    auto n = ctx.notices.post(*in, actor_of(req.principal), origin_of(req));
    if (!n) return api_error(n.error(), req);
    return json_response(201, notice_json(*n, true));
}

Response add_update(ApiContext& ctx, Request& req) {
    auto id = id_param<NoticeId>(req, "notice_id");
    if (!id) return api_error(id.error(), req);
    auto body = read_body<UpdateBody>(req);
    if (!body) return api_error(body.error(), req);
    auto n = ctx.notices.add_update(
        *id,
        body->body.value,
        body->resolved.value_or(false),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!n) return api_error(n.error(), req);
    return json_response(200, notice_json(*n, true));
}

Response get_maintenance(ApiContext& ctx, Request& req) {
    auto m = ctx.notices.maintenance();
    if (!m) return api_error(m.error(), req);
    return json_response(200, maintenance_json(*m));
}

Response set_maintenance(ApiContext& ctx, Request& req) {
    auto body = read_body<MaintenanceBody>(req);
    if (!body) return api_error(body.error(), req);
    auto m = ctx.notices.set_maintenance(
        body->on,
        static_cast<int>(std::clamp<std::int64_t>(body->retry_after_s.value_or(600), 0, 1'000'000)),
        body->message ? body->message->value : std::string(),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!m) return api_error(m.error(), req);
    return json_response(200, maintenance_json(*m));
}

Response current(ApiContext& ctx, Request& req) {
    auto list = ctx.notices.current(req.principal.tenant);
    if (!list) return api_error(list.error(), req);
    return items(*list, false);
}

Response status(ApiContext& ctx, Request& req) {
    auto list = ctx.notices.public_status();
    if (!list) return api_error(list.error(), req);
    auto m = ctx.notices.maintenance();
    if (!m) return api_error(m.error(), req);
    boost::json::array out;
    for (const auto& n : *list) out.push_back(notice_json(n, false));
    return json_response(
        200,
        boost::json::object{
            {"state", service_state(*m, *list)},
            {"maintenance_message", m->on ? boost::json::value(m->message) : nullptr},
            {"items", std::move(out)}}
    );
}

}  // namespace

void add_notice_routes(Router& router, ApiContext& ctx) {
    const char* notices = "platform.notices.manage";
    router.add({"GET", "/api/v1/notices", notices, bind(ctx, list)});
    router.add({"POST", "/api/v1/notices", notices, bind(ctx, post)});
    router.add({"POST", "/api/v1/notices/{notice_id}/updates", notices, bind(ctx, add_update)});
    router.add({"GET", "/api/v1/maintenance", notices, bind(ctx, get_maintenance)});
    router.add({"PUT", "/api/v1/maintenance", notices, bind(ctx, set_maintenance)});
    router.add({"GET", "/api/v1/current-notices", "tenant.bookings.read", bind(ctx, current)});
    router.add({"GET", "/api/v1/public/status", "public", bind(ctx, status)});
}

}  // namespace yoyaku::http

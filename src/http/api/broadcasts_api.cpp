// Segment messages (issue 28): a manager writes one LINE message to the customers a segment
// picks, sees who gets it, and sends it now or at a set time; staff tag customers.
//
//   GET    /api/v1/line/broadcasts               newest first (tenant.settings.manage)
//   POST   /api/v1/line/broadcasts/preview       {text, image_url?, offering_button?, segment?,
//                                                send_at?} → {recipients, names, messages}
//   POST   /api/v1/line/broadcasts               the same body → 201, scheduled
//   GET    /api/v1/line/broadcasts/{broadcast_id}
//   DELETE /api/v1/line/broadcasts/{broadcast_id}  cancels a scheduled one → 200
//   PUT    /api/v1/customers/{account_id}/tags   {tags: [..]} → {tags} (tenant.bookings.manage)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

// The domain's structs are the request bodies (described in their namespace, as ADL needs).
namespace yoyaku::line {
BOOST_DESCRIBE_STRUCT(Segment, (), (offering, from, to, statuses, user_class, tag, min_bookings))
BOOST_DESCRIBE_STRUCT(BroadcastInput, (), (text, image_url, offering_button, segment, send_at))
}  // namespace yoyaku::line

namespace yoyaku::http {

template <>
struct Required<line::BroadcastInput> {
    static constexpr std::array<std::string_view, 1> names{"text"};
};

namespace {

boost::json::object broadcast_json(const line::Broadcast& b) {
    auto o = to_json(b.input).as_object();
    o["id"] = b.id.value;
    o["status"] = std::string(line::to_string(b.status));
    o["recipients"] = b.recipients;
    o["delivered"] = b.delivered;
    o["failed"] = b.failed;
    o["created_at"] = json_time(b.created_at);
    o["sent_at"] = opt_json(b.sent_at);
    return o;
}

Response list_broadcasts(ApiContext& ctx, Request& req) {
    auto all = ctx.broadcasts.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& b : *all) items.push_back(broadcast_json(b));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response preview_broadcast(ApiContext& ctx, Request& req) {
    auto in = read_body<line::BroadcastInput>(req);
    if (!in) return api_error(in.error(), req);
    auto p = ctx.broadcasts.preview(req.principal.tenant, *in);
    if (!p) return api_error(p.error(), req);
    boost::json::array names;
    for (const auto& n : p->names) names.emplace_back(n);
    return json_response(
        200,
        boost::json::object{
            {"recipients", p->recipients},
            {"names", std::move(names)},
            {"messages", boost::json::parse(p->message)}}
    );
}

Response create_broadcast(ApiContext& ctx, Request& req) {
    auto in = read_body<line::BroadcastInput>(req);
    if (!in) return api_error(in.error(), req);
    auto b =
        ctx.broadcasts.create(req.principal.tenant, *in, actor_of(req.principal), origin_of(req));
    if (!b) return api_error(b.error(), req);
    return json_response(201, broadcast_json(*b));
}

Response get_broadcast(ApiContext& ctx, Request& req) {
    auto id = id_param<BroadcastId>(req, "broadcast_id");
    if (!id) return api_error(id.error(), req);
    auto b = ctx.broadcasts.find(req.principal.tenant, BroadcastId{*id});
    if (!b) return api_error(b.error(), req);
    return json_response(200, broadcast_json(*b));
}

Response cancel_broadcast(ApiContext& ctx, Request& req) {
    auto id = id_param<BroadcastId>(req, "broadcast_id");
    if (!id) return api_error(id.error(), req);
    auto b = ctx.broadcasts.cancel(
        req.principal.tenant, BroadcastId{*id}, actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, broadcast_json(*b));
}

struct TagsBody {
    std::vector<Text<200>> tags;
    static constexpr std::array<std::string_view, 1> kRequired{"tags"};
};
BOOST_DESCRIBE_STRUCT(TagsBody, (), (tags))

Response set_tags(ApiContext& ctx, Request& req) {
    auto id = id_param<AccountId>(req, "account_id");
    if (!id) return api_error(id.error(), req);
    if (auto in = check_customer(ctx, req, AccountId{*id}); !in) return api_error(in.error(), req);
    auto body = read_body<TagsBody>(req);
    if (!body) return api_error(body.error(), req);
    std::vector<std::string> tags;
    for (auto& t : body->tags) tags.push_back(std::move(t.value));
    auto r = ctx.user_classes.set_tags(
        req.principal.tenant,
        AccountId{*id},
        std::move(tags),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    boost::json::array out;
    for (const auto& t : *r) out.emplace_back(t);
    return json_response(200, boost::json::object{{"tags", std::move(out)}});
}

}  // namespace

void add_broadcast_routes(Router& router, ApiContext& ctx) {
    const char* manage = "tenant.settings.manage";
    const std::string base = "/api/v1/line/broadcasts";
    router.add({"GET", base, manage, bind(ctx, list_broadcasts)});
    router.add({"POST", base + "/preview", manage, bind(ctx, preview_broadcast)});
    router.add({"POST", base, manage, bind(ctx, create_broadcast)});
    router.add({"GET", base + "/{broadcast_id}", manage, bind(ctx, get_broadcast)});
    router.add({"DELETE", base + "/{broadcast_id}", manage, bind(ctx, cancel_broadcast)});
    router.add(
        {"PUT",
         "/api/v1/customers/{account_id}/tags",
         "tenant.bookings.manage",
         bind(ctx, set_tags)}
    );
}

}  // namespace yoyaku::http

// Notifications and integrations: webhooks, the delivery log (jobs), calendar feeds.
//
//   GET    /api/v1/webhooks                              endpoints and the event types
//   POST   /api/v1/webhooks                              add one (re-authenticated); its secret,
//                                                        once → 201
//   GET    /api/v1/webhooks/{webhook_id}                 one
//   PUT    /api/v1/webhooks/{webhook_id}                 replace url, description, events, active
//   DELETE /api/v1/webhooks/{webhook_id}                 remove → 204
//   POST   /api/v1/webhooks/{webhook_id}/test            queue a webhook.test event → 202
//   GET    /api/v1/webhooks/{webhook_id}/deliveries      its delivery log
//   GET    /api/v1/jobs                                  the tenant's queued, done and failed
//                                                        messages
//                                                        (?state=&topic=&before_id=&limit=)
//   POST   /api/v1/jobs/{job_id}/retry                   a failed one back into the queue
//   GET    /api/v1/calendar-feeds                        the tenant's feed URLs (not the tokens)
//   POST   /api/v1/resources/{resource_id}/calendar-feeds    a resource's feed; its URL, once
//   DELETE /api/v1/calendar-feeds/{feed_id}              revoke
//   GET    /api/v1/me/calendar-feeds, POST, DELETE /{feed_id}   a customer's own
//   GET    /api/v1/public/{tenant_code}/calendar/{token}.ics    the feed (text/calendar)

#include <boost/json.hpp>
#include <charconv>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::webhooks {
BOOST_DESCRIBE_STRUCT(EndpointInput, (), (url, description, events, active))
}  // namespace yoyaku::webhooks

namespace yoyaku::http {
template <>
struct Required<webhooks::EndpointInput> {
    static constexpr std::array<std::string_view, 1> names{"url"};
};
}  // namespace yoyaku::http

namespace yoyaku::http {
namespace {

boost::json::value optional_time(const std::optional<Instant>& t) {
    return t ? boost::json::value(json_time(*t)) : boost::json::value(nullptr);
}

boost::json::object endpoint_json(const webhooks::Endpoint& e) {
    boost::json::array events;
    for (const auto& t : e.events) events.emplace_back(t);
    return {
        {"id", e.id.value},
        {"url", e.url},
        {"description", e.description},
        {"events", std::move(events)},
        {"active", e.active},
        {"created_at", json_time(e.created_at)},
        {"updated_at", json_time(e.updated_at)}};
}

boost::json::object job_json(const jobs::Entry& e) {
    return {
        {"id", e.id.value},
        {"topic", e.topic},
        {"kind", e.kind},
        {"ref", e.ref},
        {"state", jobs::to_string(e.state)},
        {"attempts", e.attempts},
        {"created_at", json_time(e.created_at)},
        {"next_attempt_at", e.state == jobs::State::queued ? json_time(e.next_attempt_at) : ""},
        {"finished_at", optional_time(e.done_at)},
        {"last_error", e.last_error}};
}

Result<webhooks::EndpointInput> endpoint_input(const Request& req) {
    return read_body<webhooks::EndpointInput>(req);
}

Response list_webhooks(ApiContext& ctx, Request& req) {
    auto all = ctx.webhooks.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array items, types;
    for (const auto& e : *all) items.push_back(endpoint_json(e));
    for (auto t : webhooks::event_types()) types.emplace_back(t);
    return json_response(
        200, boost::json::object{{"items", std::move(items)}, {"event_types", std::move(types)}}
    );
}

Response create_webhook(ApiContext& ctx, Request& req) {
    auto in = endpoint_input(req);
    if (!in) return api_error(in.error(), req);
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto made =
        ctx.webhooks.create(req.principal.tenant, *in, actor_of(req.principal), origin_of(req));
    if (!made) return api_error(made.error(), req);
    auto j = endpoint_json(made->endpoint);
    j["secret"] = made->secret;
    return json_response(201, j);
}

Response get_webhook(ApiContext& ctx, Request& req) {
    auto id = id_param<WebhookEndpointId>(req, "webhook_id");
    if (!id) return api_error(id.error(), req);
    auto e = ctx.webhooks.find(req.principal.tenant, *id);
    if (!e) return api_error(e.error(), req);
    return json_response(200, endpoint_json(*e));
}

Response update_webhook(ApiContext& ctx, Request& req) {
    auto id = id_param<WebhookEndpointId>(req, "webhook_id");
    if (!id) return api_error(id.error(), req);
    // Another tenant's id is not found, whatever the body says.
    if (auto found = ctx.webhooks.find(req.principal.tenant, *id); !found)
        return api_error(found.error(), req);
    auto in = endpoint_input(req);
    if (!in) return api_error(in.error(), req);
    // Where a tenant's events go is as sensitive as making the webhook.
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto e = ctx.webhooks.update(
        req.principal.tenant, *id, *in, actor_of(req.principal), origin_of(req)
    );
    if (!e) return api_error(e.error(), req);
    return json_response(200, endpoint_json(*e));
}

Response delete_webhook(ApiContext& ctx, Request& req) {
    auto id = id_param<WebhookEndpointId>(req, "webhook_id");
    if (!id) return api_error(id.error(), req);
    auto r =
        ctx.webhooks.remove(req.principal.tenant, *id, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response test_webhook(ApiContext& ctx, Request& req) {
    auto id = id_param<WebhookEndpointId>(req, "webhook_id");
    if (!id) return api_error(id.error(), req);
    auto r = ctx.webhooks.ping(req.principal.tenant, *id);
    if (!r) return api_error(r.error(), req);
    return json_response(202, boost::json::object{{"queued", true}});
}

// ?state=&topic=&before_id=&limit= over the tenant's jobs; `ref` narrows to one subject.
Response jobs_page(ApiContext& ctx, Request& req, const std::string& ref) {
    auto q = query_params(req, {"state", "topic", "before_id", "limit"});
    if (!q) return api_error(q.error(), req);
    jobs::Filter f;
    f.ref = ref;
    for (const auto& [key, value] : *q) {
        if (key == "state") {
            f.state = jobs::parse_state(value);
            if (!f.state)
                return api_error(Error::invalid("state", "must be queued, done or failed"), req);
        } else if (key == "topic") {
            if (value.size() > 32) return api_error(Error::invalid("topic", "is too long"), req);
            f.topic = value;
        } else {
            std::int64_t n = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || n < 1)
                return api_error(Error::invalid(key, "must be a positive integer"), req);
            if (key == "limit")
                f.limit = static_cast<int>(std::min<std::int64_t>(n, 500));
            else
                f.before_id = JobId(n);
        }
    }
    auto all = ctx.db.read(storage::TenantScope(req.principal.tenant), [&](storage::ScopedTx& stx) {
        return jobs::list(stx, f);
    });
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& e : *all) items.push_back(job_json(e));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response list_jobs(ApiContext& ctx, Request& req) {
    return jobs_page(ctx, req, "");
}

Response webhook_deliveries(ApiContext& ctx, Request& req) {
    auto id = id_param<WebhookEndpointId>(req, "webhook_id");
    if (!id) return api_error(id.error(), req);
    auto e = ctx.webhooks.find(req.principal.tenant, *id);
    if (!e) return api_error(e.error(), req);
    return jobs_page(ctx, req, "webhook:" + to_string(*id));
}

Response retry_job(ApiContext& ctx, Request& req) {
    auto id = id_param<JobId>(req, "job_id");
    if (!id) return api_error(id.error(), req);
    auto e = ctx.db.write(storage::TenantScope(req.principal.tenant), [&](storage::ScopedTx& stx) {
        return jobs::retry(stx, *id, ctx.clock.now());
    });
    if (!e) return api_error(e.error(), req);
    return json_response(200, job_json(*e));
}

}  // namespace

boost::json::object feed_json(const feeds::CalendarFeed& f) {
    return {
        {"id", f.id.value},
        {"resource_id", f.resource_id ? boost::json::value(f.resource_id->value) : nullptr},
        {"account_id", f.account_id ? boost::json::value(f.account_id->value) : nullptr},
        {"created_at", json_time(f.created_at)},
        {"revoked_at", optional_time(f.revoked_at)}};
}

namespace {

Response feeds_json(const Result<std::vector<feeds::CalendarFeed>>& all, const Request& req) {
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& f : *all) items.push_back(feed_json(f));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response made_feed(ApiContext& ctx, const Result<feeds::NewFeed>& made, const Request& req) {
    if (!made) return api_error(made.error(), req);
    auto code = ctx.tenants.find_by_id(req.principal.tenant);
    if (!code) return api_error(code.error(), req);
    auto j = feed_json(made->feed);
    j["url"] =
        ctx.public_url + "/api/v1/public/" + code->code + "/calendar/" + made->token + ".ics";
    return json_response(201, j);
}

Response list_feeds(ApiContext& ctx, Request& req) {
    return feeds_json(ctx.feeds.list(req.principal.tenant), req);
}

Response create_resource_feed(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    return made_feed(
        ctx,
        ctx.feeds.create(
            req.principal.tenant,
            ResourceId{*id},
            std::nullopt,
            actor_of(req.principal),
            origin_of(req)
        ),
        req
    );
}

Response revoke_feed(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "feed_id");
    if (!id) return api_error(id.error(), req);
    const bool own = req.principal.role == access::Role::customer;
    auto r = ctx.feeds.revoke(
        req.principal.tenant,
        FeedId{*id},
        own ? std::optional(AccountId{req.principal.account_id}) : std::nullopt,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response my_feeds(ApiContext& ctx, Request& req) {
    return feeds_json(
        ctx.feeds.list(req.principal.tenant, AccountId{req.principal.account_id}), req
    );
}

Response create_my_feed(ApiContext& ctx, Request& req) {
    return made_feed(
        ctx,
        ctx.feeds.create(
            req.principal.tenant,
            std::nullopt,
            AccountId{req.principal.account_id},
            actor_of(req.principal),
            origin_of(req)
        ),
        req
    );
}

Response public_feed(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    std::string token(req.param("token"));
    if (!token.ends_with(".ics")) return api_error(Error::not_found("no such calendar feed"), req);
    token.resize(token.size() - 4);
    auto ics = ctx.feeds.calendar(*tenant, token);
    if (!ics) return api_error(ics.error(), req);
    auto r = Response::text(200, "text/calendar; charset=UTF-8", std::move(*ics));
    r.headers.set("Cache-Control", "private, max-age=300");
    return r;
}

}  // namespace

void add_notification_routes(Router& router, ApiContext& ctx) {
    const char* settings = "tenant.settings.manage";
    router.add({"GET", "/api/v1/webhooks", settings, bind(ctx, list_webhooks)});
    router.add({"POST", "/api/v1/webhooks", settings, bind(ctx, create_webhook)});
    router.add({"GET", "/api/v1/webhooks/{webhook_id}", settings, bind(ctx, get_webhook)});
    router.add({"PUT", "/api/v1/webhooks/{webhook_id}", settings, bind(ctx, update_webhook)});
    router.add({"DELETE", "/api/v1/webhooks/{webhook_id}", settings, bind(ctx, delete_webhook)});
    router.add({"POST", "/api/v1/webhooks/{webhook_id}/test", settings, bind(ctx, test_webhook)});
    router.add(
        {"GET", "/api/v1/webhooks/{webhook_id}/deliveries", settings, bind(ctx, webhook_deliveries)}
    );
    router.add({"GET", "/api/v1/jobs", settings, bind(ctx, list_jobs)});
    router.add({"POST", "/api/v1/jobs/{job_id}/retry", settings, bind(ctx, retry_job)});
    router.add({"GET", "/api/v1/calendar-feeds", "tenant.setup.manage", bind(ctx, list_feeds)});
    router.add(
        {"POST",
         "/api/v1/resources/{resource_id}/calendar-feeds",
         "tenant.setup.manage",
         bind(ctx, create_resource_feed)}
    );
    router.add(
        {"DELETE",
         "/api/v1/calendar-feeds/{feed_id}",
         "tenant.setup.manage",
         bind(ctx, revoke_feed)}
    );
    router.add({"GET", "/api/v1/me/calendar-feeds", "customer.self", bind(ctx, my_feeds)});
    router.add({"POST", "/api/v1/me/calendar-feeds", "customer.self", bind(ctx, create_my_feed)});
    router.add(
        {"DELETE", "/api/v1/me/calendar-feeds/{feed_id}", "customer.self", bind(ctx, revoke_feed)}
    );
    router.add(
        {"GET", "/api/v1/public/{tenant_code}/calendar/{token}", "public", bind(ctx, public_feed)}
    );
}

}  // namespace yoyaku::http

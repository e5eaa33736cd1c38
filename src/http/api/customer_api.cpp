// One's own account: the name one goes by and the language of one's mail (any signed-in
// account); for customers also everything the tenant holds about them as one JSON file, and
// erasing the account. Managers erase a customer who asks them to (by mail, at the desk).
//
//   PATCH  /api/v1/me                   {name?, locale?} → the account
//   GET    /api/v1/me/export            → account, bookings, calendar feeds and sessions
//                                         (a download)
//   DELETE /api/v1/me                   → 204 (after re-authentication; not with upcoming
//                                         bookings)
//   POST   /api/v1/customer-erasures    {email} → what was erased (a manager, after
//                                         re-authentication; not with upcoming bookings)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request bodies, one declaration each.
struct ProfileBody {
    std::optional<Text<400>> name;
    std::optional<Text<8>> locale;
};
BOOST_DESCRIBE_STRUCT(ProfileBody, (), (name, locale))
struct EmailBody {
    Text<254> email;
    static constexpr std::array<std::string_view, 1> kRequired{"email"};
};
BOOST_DESCRIBE_STRUCT(EmailBody, (), (email))

Response update_profile(ApiContext& ctx, Request& req) {
    auto body = read_body<ProfileBody>(req);
    if (!body) return api_error(body.error(), req);
    const auto& name = body->name;
    const auto& locale = body->locale;
    if (!name && !locale) return api_error(Error::invalid("body", "names no change"), req);
    auto a = ctx.accounts.update_profile(
        req.principal.tenant,
        req.principal.account_id,
        name ? std::optional<std::string_view>(name->value) : std::nullopt,
        locale ? std::optional<std::string_view>(locale->value) : std::nullopt,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!a) return api_error(a.error(), req);
    return json_response(200, to_json(*a));
}

Response export_data(ApiContext& ctx, Request& req) {
    const auto tenant = req.principal.tenant;
    const auto id = req.principal.account_id;
    auto account = ctx.accounts.find(tenant, id);
    if (!account) return api_error(account.error(), req);
    auto facts = ctx.tenants.find_by_id(tenant);
    if (!facts) return api_error(facts.error(), req);
    bookings::BookingFilter f;
    f.account_id = id;
    f.limit = 500;
    auto mine = ctx.bookings.list(tenant, f);
    if (!mine) return api_error(mine.error(), req);
    auto feeds = ctx.feeds.list(tenant, AccountId{id});
    if (!feeds) return api_error(feeds.error(), req);
    auto sessions = ctx.auth.sessions(req.principal, req.session_token);
    if (!sessions) return api_error(sessions.error(), req);
    boost::json::array booking_items, feed_items, session_items;
    for (const auto& b : *mine) booking_items.push_back(booking_json(b, true));
    for (const auto& x : *feeds) feed_items.push_back(feed_json(x));
    for (const auto& s : *sessions) session_items.push_back(session_json(s));
    auto r = json_response(
        200,
        boost::json::object{
            {"format", "yoyaku.customer-export.v1"},
            {"exported_at", json_time(ctx.clock.now())},
            {"tenant", {{"code", facts->code}, {"name", facts->name}}},
            {"account", to_json(*account)},
            {"bookings", std::move(booking_items)},
            {"calendar_feeds", std::move(feed_items)},
            {"sessions", std::move(session_items)}}
    );
    r.headers.set(
        "Content-Disposition", "attachment; filename=\"yoyaku-" + facts->code + "-my-data.json\""
    );
    return r;
}

Response erase(ApiContext& ctx, Request& req) {
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto n = ctx.erasure.erase_customer(
        req.principal.tenant, req.principal.account_id, actor_of(req.principal), origin_of(req)
    );
    if (!n) return api_error(n.error(), req);
    auto resp = no_content();
    resp.headers.add("Set-Cookie", clear_session_cookie(ctx.cookies));
    return resp;
}

Response erase_by_email(ApiContext& ctx, Request& req) {
    auto body = read_body<EmailBody>(req);
    if (!body) return api_error(body.error(), req);
    const auto& email = body->email.value;
    if (auto fresh = require_recent_authentication(ctx, req); !fresh)
        return api_error(fresh.error(), req);
    auto done = ctx.erasure.erase_by_email(
        req.principal.tenant, email, actor_of(req.principal), origin_of(req)
    );
    if (!done) return api_error(done.error(), req);
    return json_response(
        200,
        boost::json::object{
            {"bookings_anonymised", done->bookings},
            {"waitlist_entries_anonymised", done->waitlist},
            {"lottery_entries_anonymised", done->lottery},
            {"account_deleted", done->account}}
    );
}

}  // namespace

void add_customer_routes(Router& router, ApiContext& ctx) {
    router.add({"PATCH", "/api/v1/me", "session.self", bind(ctx, update_profile)});
    router.add({"GET", "/api/v1/me/export", "customer.self", bind(ctx, export_data)});
    router.add({"DELETE", "/api/v1/me", "customer.self", bind(ctx, erase)});
    router.add(
        {"POST", "/api/v1/customer-erasures", "tenant.customers.erase", bind(ctx, erase_by_email)}
    );
}

}  // namespace yoyaku::http

// LINE (issues 7, 28): a manager stores the tenant's Messaging API channel access token and its
// LINE Login channel (never shown again, after confirming the password); customers sign in,
// sign up and link their account with LINE Login, so their booking messages reach a LINE user
// LINE proved is theirs.
//
//   GET    /api/v1/settings/line          {configured, webhook, updated_at}
//   (tenant.settings.manage) PUT    /api/v1/settings/line          {channel_access_token,
//   channel_secret?} → the same
//                                         (recent password; the secret checks the webhook)
//   DELETE /api/v1/settings/line          → 204: nothing more is pushed
//   GET    /api/v1/settings/line/login    {configured, channel_id, updated_at}
//   PUT    /api/v1/settings/line/login    {channel_id, channel_secret} → the same (recent password)
//   DELETE /api/v1/settings/line/login    → 204: no more LINE sign-in
//   GET    /api/v1/settings/line/rich-menu  {configured, id, set_at}
//   PUT    /api/v1/settings/line/rich-menu  → the same: made at LINE, the default for friends
//   DELETE /api/v1/settings/line/rich-menu  → 204: deleted at LINE
//   GET    /api/v1/me/line                {linked, user_id, relink, channel} (customer.self)
//   PUT    /api/v1/me/line                {channel?: mail|line|both, announcements?: bool}
//                                         → the same (announcements: segment messages)
//   POST   /api/v1/me/line/link           {return_to?} → {authorize_url} + the state cookie
//   POST   /api/v1/me/line/account-link   {link_token} → {url}: LINE's account-linking dialog
//   DELETE /api/v1/me/line                → 204
//   POST   /api/v1/public/{tenant_code}/line/login     {return_to?} → {authorize_url} + cookie
//   GET    /api/v1/public/{tenant_code}/line/callback  LINE's redirect → 303 to the booking site
//   POST   /api/v1/public/{tenant_code}/line/sign-up   {token, email, name, locale?} → 202
//   POST   /api/v1/public/{tenant_code}/line/webhook   LINE's Messaging API webhook (signed)

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"
#include "http/middleware/cookies.hpp"

namespace yoyaku::http {
namespace {

// The request body: the channel's access token.
struct ChannelBody {
    Text<500> channel_access_token;
    std::optional<Text<64>> channel_secret;
    static constexpr std::array<std::string_view, 1> kRequired{"channel_access_token"};
};
BOOST_DESCRIBE_STRUCT(ChannelBody, (), (channel_access_token, channel_secret))

boost::json::object channel_json(const line::Channel& c) {
    boost::json::object o{
        {"configured", c.configured}, {"webhook", c.webhook}, {"updated_at", nullptr}};
    if (c.updated_at) o["updated_at"] = json_time(*c.updated_at);
    return o;
}

boost::json::object link_json(const line::Linked& l) {
    boost::json::object o{
        {"linked", l.user_id.has_value()},
        {"user_id", nullptr},
        {"relink", l.relink},
        {"channel", l.channel},
        {"announcements", l.announcements}};
    if (l.user_id) o["user_id"] = *l.user_id;
    return o;
}

boost::json::object login_channel_json(const line::LoginChannel& c) {
    boost::json::object o{
        {"configured", c.configured}, {"channel_id", nullptr}, {"updated_at", nullptr}};
    if (c.configured) o["channel_id"] = c.channel_id;
    o["liff_id"] = c.liff_id.empty() ? boost::json::value() : boost::json::value(c.liff_id);
    if (c.updated_at) o["updated_at"] = json_time(*c.updated_at);
    return o;
}

struct LoginChannelBody {
    Text<20> channel_id;
    Text<64> channel_secret;
    std::optional<Text<40>> liff_id;
    static constexpr std::array<std::string_view, 2> kRequired{"channel_id", "channel_secret"};
};
BOOST_DESCRIBE_STRUCT(LoginChannelBody, (), (channel_id, channel_secret, liff_id))
struct LiffBody {
    Text<4096> id_token;
    std::optional<Text<500>> return_to;
    static constexpr std::array<std::string_view, 1> kRequired{"id_token"};
};
BOOST_DESCRIBE_STRUCT(LiffBody, (), (id_token, return_to))
struct StartBody {
    std::optional<Text<500>> return_to;
    static constexpr std::array<std::string_view, 0> kRequired{};
};
BOOST_DESCRIBE_STRUCT(StartBody, (), (return_to))
struct LineSignUpBody {
    Text<64> token;
    Text<320> email;
    Text<400> name;
    std::optional<Text<8>> locale;
    static constexpr std::array<std::string_view, 3> kRequired{"token", "email", "name"};
};
BOOST_DESCRIBE_STRUCT(LineSignUpBody, (), (token, email, name, locale))

Response get_channel(ApiContext& ctx, Request& req) {
    auto c = ctx.line.channel(req.principal.tenant);
    if (!c) return api_error(c.error(), req);
    return json_response(200, channel_json(*c));
}

Response set_channel(ApiContext& ctx, Request& req) {
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto body = read_body<ChannelBody>(req);
    if (!body) return api_error(body.error(), req);
    auto c = ctx.line.set_channel(
        req.principal.tenant,
        body->channel_access_token.value,
        body->channel_secret ? std::optional<std::string_view>(body->channel_secret->value)
                             : std::nullopt,
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

Response get_login_channel(ApiContext& ctx, Request& req) {
    auto c = ctx.line_login.channel(req.principal.tenant);
    if (!c) return api_error(c.error(), req);
    return json_response(200, login_channel_json(*c));
}

Response set_login_channel(ApiContext& ctx, Request& req) {
    if (auto recent = require_recent_authentication(ctx, req); !recent)
        return api_error(recent.error(), req);
    auto body = read_body<LoginChannelBody>(req);
    if (!body) return api_error(body.error(), req);
    auto c = ctx.line_login.set_channel(
        req.principal.tenant,
        body->channel_id.value,
        body->channel_secret.value,
        body->liff_id ? body->liff_id->value : std::string(),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!c) return api_error(c.error(), req);
    return json_response(200, login_channel_json(*c));
}

Response remove_login_channel(ApiContext& ctx, Request& req) {
    auto r = ctx.line_login.remove_channel(
        req.principal.tenant, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

boost::json::object rich_menu_json(const std::optional<line::RichMenu>& m) {
    if (!m) return {{"configured", false}};
    return {{"configured", true}, {"id", m->id}, {"set_at", json_time(m->set_at)}};
}

Response get_rich_menu(ApiContext& ctx, Request& req) {
    auto m = ctx.line_login.rich_menu(req.principal.tenant);
    if (!m) return api_error(m.error(), req);
    return json_response(200, rich_menu_json(*m));
}

Response set_rich_menu(ApiContext& ctx, Request& req) {
    auto m =
        ctx.line_login.set_rich_menu(req.principal.tenant, actor_of(req.principal), origin_of(req));
    if (!m) return api_error(m.error(), req);
    return json_response(200, rich_menu_json(*m));
}

Response remove_rich_menu(ApiContext& ctx, Request& req) {
    auto r = ctx.line_login.remove_rich_menu(
        req.principal.tenant, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

// LINE's authorization URL, and the state kept by the browser for the callback.
Response started(
    ApiContext& ctx,
    Request& req,
    TenantId tenant,
    std::string_view code,
    line::Purpose purpose,
    std::optional<AccountId> account
) {
    auto body = read_body<StartBody>(req);
    if (!body) return api_error(body.error(), req);
    auto s = ctx.line_login.start(
        tenant, code, purpose, account, body->return_to ? body->return_to->value : std::string()
    );
    if (!s) return api_error(s.error(), req);
    auto r = json_response(200, boost::json::object{{"authorize_url", s->authorize_url}});
    r.headers.add("Set-Cookie", line_state_cookie(ctx.cookies, s->state));
    return r;
}

Response start_sign_in(ApiContext& ctx, Request& req) {
    auto t = public_tenant_facts(ctx, req);
    if (!t) return api_error(t.error(), req);
    return started(ctx, req, t->id, t->code, line::Purpose::sign_in, std::nullopt);
}

Response start_link(ApiContext& ctx, Request& req) {
    auto t = ctx.tenants.find_by_id(req.principal.tenant);
    if (!t) return api_error(t.error(), req);
    return started(ctx, req, t->id, t->code, line::Purpose::link, req.principal.account_id);
}

// Where the booking site shows how a LINE sign-in ended.
Response back_to_site(std::string_view code, std::string_view rest) {
    Response r;
    r.status = 303;
    r.headers.set("Location", "/t/" + std::string(code) + std::string(rest));
    r.headers.set("Cache-Control", "no-store");
    return r;
}

std::string_view outcome_of(const Error& e) {
    if (e.code == Errc::forbidden && e.field == "email") return "unverified";
    if (e.code == Errc::conflict) return "taken";
    if (e.code == Errc::unavailable) return "unavailable";
    return "failed";
}

// Where the sign-in goes on the booking site, and the session cookie when it opened one.
struct Landing {
    std::string to;
    std::string cookie;
};

Landing land(
    ApiContext& ctx, Request& req, const tenants::Tenant& t, const Result<line::Finished>& done
) {
    using Outcome = line::Finished::Outcome;
    if (!done) return {"/me?line=" + std::string(outcome_of(done.error())), {}};
    const std::string back = done->return_to.empty() ? "/me" : done->return_to;
    if (done->outcome == Outcome::sign_up)
        return {"/line-sign-up#token=" + done->sign_up_token, {}};
    if (done->outcome == Outcome::linked) return {back + "?line=linked", {}};
    auto s = ctx.auth.sign_in_proven(
        t.id, done->account, origin_of(req), cookie_value(req, ctx.cookies.name())
    );
    if (!s) return {"/me?line=" + std::string(outcome_of(s.error())), {}};
    // Two-step sign-in is not skipped: the customer signs in with their password and code.
    if (!s->mfa_token.empty()) return {"/me?line=mfa", {}};
    return {back, session_cookie(ctx.cookies, s->token)};
}

Response callback(ApiContext& ctx, Request& req) {
    auto t = public_tenant_facts(ctx, req);
    if (!t) return api_error(t.error(), req);
    auto q = query_params(
        req, {"code", "state", "error", "error_description", "friendship_status_changed"}
    );
    Landing l{"/me?line=failed", {}};
    if (q && q->contains("error")) {
        l.to = "/me?line=cancelled";
    } else if (q) {
        auto done = ctx.line_login.finish(
            t->id,
            t->code,
            (*q)["code"],
            (*q)["state"],
            cookie_value(req, line_state_cookie_name(ctx.cookies)),
            origin_of(req)
        );
        l = land(ctx, req, *t, done);
    }
    Response r = back_to_site(t->code, l.to);
    r.headers.add("Set-Cookie", clear_line_state_cookie(ctx.cookies));
    if (!l.cookie.empty()) r.headers.add("Set-Cookie", l.cookie);
    return r;
}

// The booking site opened as the LIFF app hands over the LIFF SDK's ID token: a session (or a
// sign-up to finish) and where the site goes next.
Response liff_sign_in(ApiContext& ctx, Request& req) {
    auto t = public_tenant_facts(ctx, req);
    if (!t) return api_error(t.error(), req);
    auto body = read_body<LiffBody>(req);
    if (!body) return api_error(body.error(), req);
    auto done = ctx.line_login.finish_liff(
        t->id,
        body->id_token.value,
        body->return_to ? body->return_to->value : std::string(),
        origin_of(req)
    );
    if (!done) return api_error(done.error(), req);
    const auto l = land(ctx, req, *t, done);
    auto r = json_response(200, boost::json::object{{"to", "/t/" + t->code + l.to}});
    if (!l.cookie.empty()) r.headers.add("Set-Cookie", l.cookie);
    return r;
}

struct NotifyBody {
    std::optional<Text<8>> channel;
    std::optional<bool> announcements;
};
BOOST_DESCRIBE_STRUCT(NotifyBody, (), (channel, announcements))

Response set_notify_channel(ApiContext& ctx, Request& req) {
    auto body = read_body<NotifyBody>(req);
    if (!body) return api_error(body.error(), req);
    if (!body->channel && !body->announcements)
        return api_error(Error::invalid("channel", "is required (or announcements)"), req);
    auto l = body->channel ? ctx.line.set_notify_channel(
                                 req.principal.tenant,
                                 req.principal.account_id,
                                 body->channel->value,
                                 actor_of(req.principal),
                                 origin_of(req)
                             )
                           : ctx.line.linked(req.principal.tenant, req.principal.account_id);
    if (l && body->announcements)
        l = ctx.line.set_announcements(
            req.principal.tenant,
            req.principal.account_id,
            *body->announcements,
            actor_of(req.principal),
            origin_of(req)
        );
    if (!l) return api_error(l.error(), req);
    return json_response(200, link_json(*l));
}

struct AccountLinkBody {
    Text<100> link_token;
    static constexpr std::array<std::string_view, 1> kRequired{"link_token"};
};
BOOST_DESCRIBE_STRUCT(AccountLinkBody, (), (link_token))

Response start_account_link(ApiContext& ctx, Request& req) {
    auto body = read_body<AccountLinkBody>(req);
    if (!body) return api_error(body.error(), req);
    auto url = ctx.line_login.account_link_url(
        req.principal.tenant, req.principal.account_id, body->link_token.value
    );
    if (!url) return api_error(url.error(), req);
    return json_response(200, boost::json::object{{"url", *url}});
}

Response webhook(ApiContext& ctx, Request& req) {
    auto t = public_tenant_facts(ctx, req);
    if (!t) return api_error(t.error(), req);
    auto r = ctx.line.receive(
        t->id,
        req.body,
        req.headers.get("X-Line-Signature"),
        // LINE opens only absolute links: without a public URL, no link offers.
        ctx.public_url.empty() ? "" : ctx.public_url + "/t/" + t->code + "/line-link",
        origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return json_response(
        200,
        boost::json::object{
            {"events", r->events}, {"handled", r->handled}, {"repeated", r->repeated}}
    );
}

Response line_sign_up(ApiContext& ctx, Request& req) {
    auto t = public_tenant(ctx, req);
    if (!t) return api_error(t.error(), req);
    auto body = read_body<LineSignUpBody>(req);
    if (!body) return api_error(body.error(), req);
    accounts::SignUp in;
    in.email = std::move(body->email.value);
    in.name = std::move(body->name.value);
    in.locale = body->locale ? body->locale->value : std::string();
    auto r = ctx.line_login.sign_up(*t, body->token.value, std::move(in), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return json_response(202, boost::json::object{{"status", "check_your_mail"}});
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
    router.add({"GET", "/api/v1/settings/line/login", settings, bind(ctx, get_login_channel)});
    router.add({"PUT", "/api/v1/settings/line/login", settings, bind(ctx, set_login_channel)});
    router.add({"DELETE", "/api/v1/settings/line/login", settings, bind(ctx, remove_login_channel)}
    );
    const std::string menu = "/api/v1/settings/line/rich-menu";
    router.add({"GET", menu, settings, bind(ctx, get_rich_menu)});
    router.add({"PUT", menu, settings, bind(ctx, set_rich_menu)});
    router.add({"DELETE", menu, settings, bind(ctx, remove_rich_menu)});
    router.add({"GET", "/api/v1/me/line", "customer.self", bind(ctx, my_link)});
    router.add({"PUT", "/api/v1/me/line", "customer.self", bind(ctx, set_notify_channel)});
    router.add({"POST", "/api/v1/me/line/link", "customer.self", bind(ctx, start_link)});
    router.add({"DELETE", "/api/v1/me/line", "customer.self", bind(ctx, unlink)});
    router.add(
        {"POST", "/api/v1/me/line/account-link", "customer.self", bind(ctx, start_account_link)}
    );
    const std::string pub = "/api/v1/public/{tenant_code}/line/";
    router.add({"POST", pub + "login", "public", bind(ctx, start_sign_in)});
    router.add({"GET", pub + "callback", "public", bind(ctx, callback)});
    router.add({"POST", pub + "liff", "public", bind(ctx, liff_sign_in)});
    router.add({"POST", pub + "sign-up", "public", bind(ctx, line_sign_up)});
    router.add({"POST", pub + "webhook", "public", bind(ctx, webhook)});
}

}  // namespace yoyaku::http

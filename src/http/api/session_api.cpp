// Sign-in, the caller's own session and sessions, password change and set-up links.
//
//   GET    /api/v1/challenge                a proof-of-work challenge (public, ALTCHA)
//   POST   /api/v1/session                  sign in (public)            → 201, Set-Cookie
//   GET    /api/v1/session                  who am I, CSRF token
//   DELETE /api/v1/session                  sign out                    → 204
//   POST   /api/v1/session/reauthenticate   confirm the password (rotates the session)
//   POST   /api/v1/session/password         change the password
//   GET    /api/v1/sessions                 own sessions
//   DELETE /api/v1/sessions                 log out everywhere
//   DELETE /api/v1/sessions/{session_id}    end one own session
//   POST   /api/v1/password/redeem          use a set-up or reset link (public)
//   POST   /api/v1/session/mfa              second step: TOTP or recovery code (public)
//   POST   /api/v1/session/totp             start TOTP enrolment (secret, otpauth URI, QR)
//   POST   /api/v1/session/totp/confirm     confirm with a code → recovery codes
//   DELETE /api/v1/session/totp             turn TOTP off (where the role allows it)
//   POST   /api/v1/session/recovery-codes   replace the recovery codes

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {}  // namespace

boost::json::object session_json(const accounts::SessionInfo& s) {
    return {
        {"id", s.id},
        {"created_at", json_time(s.created_at)},
        {"last_seen_at", json_time(s.last_seen_at)},
        {"idle_expires_at", json_time(s.idle_expires_at)},
        {"absolute_expires_at", json_time(s.absolute_expires_at)},
        {"client_address", s.client_address},
        {"user_agent", s.user_agent},
        {"current", s.current}};
}

namespace {

// The answer to a sign-in or re-authentication: the cookie and what the page needs.
Response signed_in(ApiContext& ctx, const accounts::SignedIn& s, int status) {
    boost::json::object o;
    o["account"] = {
        {"id", s.principal.account_id.value}, {"role", access::to_string(s.principal.role)}};
    o["tenant_id"] = s.principal.tenant.value;
    o["csrf_token"] = s.csrf_token;
    o["session"] = session_json(s.session);
    o["mfa_enrolment_required"] = s.principal.mfa_enrolment_required;
    auto r = json_response(status, o);
    r.headers.add("Set-Cookie", session_cookie(ctx.cookies, s.token));
    return r;
}

// The request bodies, one declaration each.
struct LoginBody {
    std::optional<Text<64>> tenant;  ///< none: the platform (operators)
    Text<320> email;
    Text<1024> password;
    std::optional<Text<2048>> altcha;
    static constexpr std::array<std::string_view, 2> kRequired{"email", "password"};
};
BOOST_DESCRIBE_STRUCT(LoginBody, (), (tenant, email, password, altcha))
struct PasswordBody {
    Text<1024> password;
    static constexpr std::array<std::string_view, 1> kRequired{"password"};
};
BOOST_DESCRIBE_STRUCT(PasswordBody, (), (password))
struct NewPasswordBody {
    Text<1024> current_password;
    Text<1024> password;
    static constexpr std::array<std::string_view, 2> kRequired{"current_password", "password"};
};
BOOST_DESCRIBE_STRUCT(NewPasswordBody, (), (current_password, password))
struct RedeemBody {
    Text<128> token;
    Text<1024> password;
    static constexpr std::array<std::string_view, 2> kRequired{"token", "password"};
};
BOOST_DESCRIBE_STRUCT(RedeemBody, (), (token, password))
struct SecondStepBody {
    Text<128> mfa_token;
    Text<32> code;
    static constexpr std::array<std::string_view, 2> kRequired{"mfa_token", "code"};
};
BOOST_DESCRIBE_STRUCT(SecondStepBody, (), (mfa_token, code))
struct CodeBody {
    Text<16> code;
    static constexpr std::array<std::string_view, 1> kRequired{"code"};
};
BOOST_DESCRIBE_STRUCT(CodeBody, (), (code))

Response login(ApiContext& ctx, Request& req) {
    auto body = read_body<LoginBody>(req);
    if (!body) return api_error(body.error(), req);
    if (auto paid = require_challenge(ctx, body->altcha); !paid)
        return api_error(paid.error(), req);
    auto tenant = tenant_of(ctx, body->tenant ? std::optional(body->tenant->value) : std::nullopt);
    if (!tenant) return api_error(tenant.error(), req);
    accounts::LoginInput in{
        *tenant,
        std::move(body->email.value),
        std::move(body->password.value),
        origin_of(req),
        std::string(cookie_value(req, ctx.cookies.name()))};
    auto s = ctx.auth.login(in);
    if (!s) return api_error(s.error(), req);
    if (!s->mfa_token.empty())
        return json_response(
            200, boost::json::object{{"mfa_required", true}, {"mfa_token", s->mfa_token}}
        );
    return signed_in(ctx, *s, 201);
}

// The widget's challenge, unchanged in shape: {algorithm, challenge, maxnumber, salt, signature}.
Response challenge(ApiContext& ctx, Request&) {
    const auto c = ctx.challenges.issue();
    return json_response(
        200,
        boost::json::object{
            {"algorithm", c.algorithm},
            {"challenge", c.challenge},
            {"maxnumber", c.max_number},
            {"salt", c.salt},
            {"signature", c.signature}}
    );
}

Response whoami(ApiContext& ctx, Request& req) {
    const auto& p = req.principal;
    auto a = ctx.accounts.find(p.tenant, p.account_id);
    if (!a) return api_error(a.error(), req);
    boost::json::object o;
    o["account"] = to_json(*a);
    o["tenant_id"] = p.tenant.value;
    if (p.tenant != accounts::kPlatform) {
        auto t = ctx.tenants.find_by_id(p.tenant);
        if (!t) return api_error(t.error(), req);
        o["tenant"] = to_json(*t);
    }
    o["session_id"] = p.session_id;
    o["csrf_token"] = accounts::csrf_token_for(req.session_token);
    o["reauthenticated_at"] = json_time(p.reauthenticated_at);
    o["mfa_enrolment_required"] = p.mfa_enrolment_required;
    return json_response(200, o);
}

Response logout(ApiContext& ctx, Request& req) {
    auto r = ctx.auth.logout(req.session_token, origin_of(req));
    if (!r) return api_error(r.error(), req);
    auto resp = no_content();
    resp.headers.add("Set-Cookie", clear_session_cookie(ctx.cookies));
    return resp;
}

Response reauthenticate(ApiContext& ctx, Request& req) {
    auto body = read_body<PasswordBody>(req);
    if (!body) return api_error(body.error(), req);
    auto s = ctx.auth.reauthenticate(req.session_token, body->password.value, origin_of(req));
    if (!s) return api_error(s.error(), req);
    return signed_in(ctx, *s, 200);
}

Response change_password(ApiContext& ctx, Request& req) {
    auto body = read_body<NewPasswordBody>(req);
    if (!body) return api_error(body.error(), req);
    auto r = ctx.auth.change_password(
        req.principal, body->current_password.value, body->password.value, origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response list_sessions(ApiContext& ctx, Request& req) {
    auto list = ctx.auth.sessions(req.principal, req.session_token);
    if (!list) return api_error(list.error(), req);
    boost::json::array items;
    for (const auto& s : *list) items.push_back(session_json(s));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response revoke_all(ApiContext& ctx, Request& req) {
    auto n = ctx.auth.revoke_all(req.principal, origin_of(req));
    if (!n) return api_error(n.error(), req);
    auto resp = json_response(200, boost::json::object{{"revoked", *n}});
    resp.headers.add("Set-Cookie", clear_session_cookie(ctx.cookies));
    return resp;
}

Response revoke_one(ApiContext& ctx, Request& req) {
    const std::string id(req.param("session_id"));
    auto r = ctx.auth.revoke(req.principal, id, origin_of(req));
    if (!r) return api_error(r.error(), req);
    auto resp = no_content();
    if (id == req.principal.session_id)
        resp.headers.add("Set-Cookie", clear_session_cookie(ctx.cookies));
    return resp;
}

Response redeem(ApiContext& ctx, Request& req) {
    auto body = read_body<RedeemBody>(req);
    if (!body) return api_error(body.error(), req);
    auto a =
        ctx.accounts.redeem_password_token(body->token.value, body->password.value, origin_of(req));
    if (!a) return api_error(a.error(), req);
    return json_response(
        200,
        boost::json::object{
            {"account", {{"id", a->id.value}, {"role", access::to_string(a->role)}}},
            {"tenant_id", a->tenant.value}}
    );
}

Response second_step(ApiContext& ctx, Request& req) {
    auto body = read_body<SecondStepBody>(req);
    if (!body) return api_error(body.error(), req);
    auto s = ctx.auth.complete_mfa(body->mfa_token.value, body->code.value, origin_of(req));
    if (!s) return api_error(s.error(), req);
    return signed_in(ctx, *s, 201);
}

Response begin_totp(ApiContext& ctx, Request& req) {
    std::string issuer = "Yoyaku";
    if (req.principal.tenant != accounts::kPlatform) {
        auto t = ctx.tenants.find_by_id(req.principal.tenant);
        if (!t) return api_error(t.error(), req);
        issuer += " (" + t->code + ")";
    }
    auto e = ctx.auth.begin_totp(req.principal, issuer);
    if (!e) return api_error(e.error(), req);
    return json_response(
        200,
        boost::json::object{
            {"secret", e->secret}, {"otpauth_uri", e->otpauth_uri}, {"qr_svg", e->qr_svg}}
    );
}

Response codes_json(const std::vector<std::string>& codes) {
    boost::json::array a;
    for (const auto& c : codes) a.push_back(boost::json::value(c));
    return json_response(200, boost::json::object{{"recovery_codes", std::move(a)}});
}

Response confirm_totp(ApiContext& ctx, Request& req) {
    auto body = read_body<CodeBody>(req);
    if (!body) return api_error(body.error(), req);
    auto codes = ctx.auth.confirm_totp(req.principal, body->code.value, origin_of(req));
    if (!codes) return api_error(codes.error(), req);
    return codes_json(*codes);
}

Response disable_totp(ApiContext& ctx, Request& req) {
    auto r = ctx.auth.disable_totp(req.principal, origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response recovery_codes(ApiContext& ctx, Request& req) {
    auto codes = ctx.auth.new_recovery_codes(req.principal, origin_of(req));
    if (!codes) return api_error(codes.error(), req);
    return codes_json(*codes);
}

}  // namespace

void add_session_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/challenge", "public", bind(ctx, challenge), Exec::io});
    router.add({"POST", "/api/v1/session", "public", bind(ctx, login)});
    router.add({"GET", "/api/v1/session", "session.self", bind(ctx, whoami)});
    router.add({"DELETE", "/api/v1/session", "session.self", bind(ctx, logout)});
    router.add({"POST", "/api/v1/session/reauthenticate", "session.self", bind(ctx, reauthenticate)}
    );
    router.add({"POST", "/api/v1/session/password", "session.self", bind(ctx, change_password)});
    router.add({"GET", "/api/v1/sessions", "session.self", bind(ctx, list_sessions)});
    router.add({"DELETE", "/api/v1/sessions", "session.self", bind(ctx, revoke_all)});
    router.add({"DELETE", "/api/v1/sessions/{session_id}", "session.self", bind(ctx, revoke_one)});
    router.add({"POST", "/api/v1/password/redeem", "public", bind(ctx, redeem)});
    router.add({"POST", "/api/v1/session/mfa", "public", bind(ctx, second_step)});
    router.add({"POST", "/api/v1/session/totp", "session.self", bind(ctx, begin_totp)});
    router.add({"POST", "/api/v1/session/totp/confirm", "session.self", bind(ctx, confirm_totp)});
    router.add({"DELETE", "/api/v1/session/totp", "session.self", bind(ctx, disable_totp)});
    router.add({"POST", "/api/v1/session/recovery-codes", "session.self", bind(ctx, recovery_codes)}
    );
}

}  // namespace yoyaku::http

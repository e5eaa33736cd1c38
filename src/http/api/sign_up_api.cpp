// What a visitor does by mail, without a session: sign up as a customer, confirm the address,
// ask for a password reset link. Each answers the same whether or not the address has an
// account, costs a proof of work and is throttled per address and per recipient.
//
//   POST /api/v1/sign-up          {tenant, email, name, password, altcha, locale?} → 202
//   POST /api/v1/email/verify     {token}                                 → 200
//   POST /api/v1/password/reset   {tenant?, email, altcha}                → 202

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

Response accepted() {
    return json_response(
        202,
        boost::json::object{
            {"status", "sent"},
            {"message", "if the address can be used, a message is on its way to it"}}
    );
}

// Throttles mail per client address and per recipient (the recipient key stays in memory).
Result<void> admit(ApiContext& ctx, const Request& req, std::string_view email) {
    YOYAKU_TRY_ASSIGN(auto normalized, accounts::normalize_email(email));
    return ctx.defence.admit(req.client_address, "mail:" + normalized);
}

Response sign_up(ApiContext& ctx, Request& req) {
    auto body = json_object(req, {"tenant", "email", "name", "password", "altcha", "locale"});
    if (!body) return api_error(body.error(), req);
    auto code = required_string(*body, "tenant", 64);
    if (!code) return api_error(code.error(), req);
    auto email = required_string(*body, "email", 320);
    if (!email) return api_error(email.error(), req);
    auto name = required_string(*body, "name", 400);
    if (!name) return api_error(name.error(), req);
    auto password = required_string(*body, "password", 1024);
    if (!password) return api_error(password.error(), req);
    auto locale = optional_string(*body, "locale", 8);
    if (!locale) return api_error(locale.error(), req);
    if (auto paid = require_challenge(ctx, *body); !paid) return api_error(paid.error(), req);
    if (auto ok = admit(ctx, req, *email); !ok) return api_error(ok.error(), req);
    auto tenant = tenant_of(ctx, *code);
    if (!tenant) return api_error(tenant.error(), req);
    if (*tenant == accounts::kPlatform)
        return api_error(Error::invalid("tenant", "no such tenant"), req);
    auto r = ctx.accounts.sign_up(
        *tenant,
        {std::move(*email), std::move(*name), std::move(*password), locale->value_or("")},
        origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return accepted();
}

Response verify_email(ApiContext& ctx, Request& req) {
    auto body = json_object(req, {"token"});
    if (!body) return api_error(body.error(), req);
    auto token = required_string(*body, "token", 200);
    if (!token) return api_error(token.error(), req);
    auto a = ctx.accounts.verify_email(*token, origin_of(req));
    if (!a) return api_error(a.error(), req);
    return json_response(200, boost::json::object{{"verified", true}, {"account_id", a->id.value}});
}

Response reset_password(ApiContext& ctx, Request& req) {
    auto body = json_object(req, {"tenant", "email", "altcha"});
    if (!body) return api_error(body.error(), req);
    auto code = optional_string(*body, "tenant", 64);
    if (!code) return api_error(code.error(), req);
    auto email = required_string(*body, "email", 320);
    if (!email) return api_error(email.error(), req);
    if (auto paid = require_challenge(ctx, *body); !paid) return api_error(paid.error(), req);
    if (auto ok = admit(ctx, req, *email); !ok) return api_error(ok.error(), req);
    auto tenant = tenant_of(ctx, *code);
    if (!tenant) return api_error(tenant.error(), req);
    auto r = ctx.accounts.request_password_reset(*tenant, *email, origin_of(req));
    if (!r) return api_error(r.error(), req);
    return accepted();
}

}  // namespace

void add_sign_up_routes(Router& router, ApiContext& ctx) {
    router.add({"POST", "/api/v1/sign-up", "public", bind(ctx, sign_up)});
    router.add({"POST", "/api/v1/email/verify", "public", bind(ctx, verify_email)});
    router.add({"POST", "/api/v1/password/reset", "public", bind(ctx, reset_password)});
}

}  // namespace yoyaku::http

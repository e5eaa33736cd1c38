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
#include "http/json/described.hpp"

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

// The request bodies, one declaration each.
struct SignUpBody {
    Text<64> tenant;
    Text<320> email;
    Text<400> name;
    Text<1024> password;
    std::optional<Text<2048>> altcha;
    std::optional<Text<8>> locale;
    static constexpr std::array<std::string_view, 4> kRequired{
        "tenant", "email", "name", "password"};
};
BOOST_DESCRIBE_STRUCT(SignUpBody, (), (tenant, email, name, password, altcha, locale))
struct TokenBody {
    Text<200> token;
    static constexpr std::array<std::string_view, 1> kRequired{"token"};
};
BOOST_DESCRIBE_STRUCT(TokenBody, (), (token))
struct ResetBody {
    std::optional<Text<64>> tenant;
    Text<320> email;
    std::optional<Text<2048>> altcha;
    static constexpr std::array<std::string_view, 1> kRequired{"email"};
};
BOOST_DESCRIBE_STRUCT(ResetBody, (), (tenant, email, altcha))

Response sign_up(ApiContext& ctx, Request& req) {
    auto body = read_body<SignUpBody>(req);
    if (!body) return api_error(body.error(), req);
    if (auto paid = require_challenge(ctx, body->altcha); !paid)
        return api_error(paid.error(), req);
    if (auto ok = admit(ctx, req, body->email.value); !ok) return api_error(ok.error(), req);
    auto tenant = tenant_of(ctx, body->tenant.value);
    if (!tenant) return api_error(tenant.error(), req);
    if (*tenant == accounts::kPlatform)
        return api_error(Error::invalid("tenant", "no such tenant"), req);
    accounts::SignUp in;
    in.email = std::move(body->email.value);
    in.name = std::move(body->name.value);
    in.password = std::move(body->password.value);
    in.locale = body->locale ? body->locale->value : std::string();
    auto r = ctx.accounts.sign_up(*tenant, in, origin_of(req));
    if (!r) return api_error(r.error(), req);
    return accepted();
}

Response verify_email(ApiContext& ctx, Request& req) {
    auto body = read_body<TokenBody>(req);
    if (!body) return api_error(body.error(), req);
    auto a = ctx.accounts.verify_email(body->token.value, origin_of(req));
    if (!a) return api_error(a.error(), req);
    return json_response(200, boost::json::object{{"verified", true}, {"account_id", a->id.value}});
}

Response reset_password(ApiContext& ctx, Request& req) {
    auto body = read_body<ResetBody>(req);
    if (!body) return api_error(body.error(), req);
    if (auto paid = require_challenge(ctx, body->altcha); !paid)
        return api_error(paid.error(), req);
    if (auto ok = admit(ctx, req, body->email.value); !ok) return api_error(ok.error(), req);
    auto tenant = tenant_of(ctx, body->tenant ? std::optional(body->tenant->value) : std::nullopt);
    if (!tenant) return api_error(tenant.error(), req);
    auto r = ctx.accounts.request_password_reset(*tenant, body->email.value, origin_of(req));
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

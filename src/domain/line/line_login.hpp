#pragma once
// LINE Login (OpenID Connect, authorization code flow with PKCE, state and nonce) for a tenant's
// booking site: customers sign in or sign up with LINE, and link LINE to their account, so the
// LINE user their messages go to is one LINE proved is theirs. The tenant's Login channel id
// and secret are set by a manager (the secret sealed). ADR 0025.
//
// start() answers LINE's authorization URL and the state, which the browser keeps in a cookie:
// the callback must bring the same state back, so nobody can finish a sign-in another browser
// started. The state's hash keys a row holding the nonce (10 minutes, used once); the PKCE
// verifier is derived from the state under the tenant's index key, so it is stored nowhere.
// finish() exchanges the code at LINE's token endpoint and believes only a verified ID token.

#include <chrono>
#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/outbound.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/audit/audit.hpp"
#include "domain/line/line_login_store.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

/// The tenant setting holding the Login channel's LIFF app id.
inline constexpr std::string_view kLiffIdSetting = "line.liff_id";

struct LoginOptions {
    /// LINE's authorization host (line.login_base_url).
    std::string login_base_url = "https://access.line.me";
    /// LINE's API host, where the token endpoint is (line.api_base_url).
    std::string api_base_url = "https://api.line.me";
    /// Where this platform is reached: the callback is
    /// <public_url>/api/v1/public/<code>/line/callback.
    std::string public_url = "http://127.0.0.1:8080";
    /// LINE's upload host, where a rich menu's image goes (line.data_base_url).
    std::string data_base_url = "https://api-data.line.me";
    std::chrono::minutes ttl{10};
};

/// A rich menu made at LINE for the tenant's official account.
struct RichMenu {
    std::string id;  ///< LINE's richMenuId
    Instant set_at;
};

/// The tenant's LINE Login channel as managers see it (never the secret).
struct LoginChannel {
    bool configured = false;
    std::string channel_id;
    /// The channel's LIFF app ("<channel id>-<8 letters or digits>"), whose endpoint is the
    /// booking site's <public_url>/t/<code>/liff: "" when the booking site is not a LIFF app.
    std::string liff_id;
    std::optional<Instant> updated_at;
};

enum class Purpose { sign_in, link };

struct Started {
    std::string authorize_url;
    std::string state;  ///< for the browser's cookie
};

struct Finished {
    enum class Outcome { signed_in, linked, sign_up };
    Outcome outcome = Outcome::signed_in;
    AccountId account{0};       ///< signed_in, linked
    std::string sign_up_token;  ///< sign_up: for sign_up(), 15 minutes
    std::string return_to;      ///< the path under the tenant's pages
};

/// "" or a path of the booking site ("/me", "/book/3"): no scheme, host, "//" or "\".
bool valid_return_to(std::string_view path) noexcept;

class LoginService {
public:
    LoginService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        accounts::AccountService& accounts,
        outbound::Transport& transport,
        LoginOptions options
    );

    Result<LoginChannel> channel(TenantId tenant);
    /// Errors: invalid_input on "channel_id" (digits, at most 20), "channel_secret" (32 hex)
    /// or "liff_id" (the channel's: "<channel_id>-" and 8 letters or digits; "" for none).
    Result<LoginChannel> set_channel(
        TenantId tenant,
        std::string_view channel_id,
        std::string_view channel_secret,
        std::string_view liff_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<void> remove_channel(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );

    /// Begins a sign-in (`account` none) or a link of `account`. Errors: unprocessable when the
    /// tenant has no Login channel; invalid_input on "return_to".
    Result<Started> start(
        TenantId tenant,
        std::string_view tenant_code,
        Purpose purpose,
        std::optional<AccountId> account,
        std::string_view return_to
    );

    /// LINE's redirect back: `state` must equal `state_cookie` and name an unexpired start;
    /// the code is exchanged and the ID token verified. Refusals are audited
    /// (line.login_refused with the reason). Errors: unauthenticated (field: "state", or what
    /// the ID token failed, see verify_id_token); conflict when linking a LINE user another
    /// account holds; unavailable when LINE cannot be reached.
    Result<Finished> finish(
        TenantId tenant,
        std::string_view tenant_code,
        std::string_view code,
        std::string_view state,
        std::string_view state_cookie,
        const audit::Origin& origin
    );

    /// The booking site opened as the tenant's LIFF app (inside LINE, or in a browser after
    /// LINE's LIFF login): the LIFF SDK's ID token is sent to LINE's verify endpoint
    /// (`POST /oauth2/v2.1/verify` with the channel id), and only a token LINE vouches for,
    /// issued by https://access.line.me to this channel and unexpired, names the LINE user.
    /// Then as finish() for a sign-in: the linked account, or a sign-up to finish. Refusals are
    /// audited (line.login_refused). Errors: unprocessable when the tenant has no LIFF app;
    /// invalid_input on "return_to"; unauthenticated on "id_token"; unavailable when LINE
    /// cannot be reached.
    Result<Finished> finish_liff(
        TenantId tenant,
        std::string_view id_token,
        std::string_view return_to,
        const audit::Origin& origin
    );

    /// A proven LINE user with no account gives an address: as accounts::sign_up (a mail to
    /// confirm it; an address already taken is told by mail only), the new account linked to
    /// that LINE user and without a password. Errors: invalid_input on "token" (unknown or
    /// expired), and sign_up's.
    Result<void> sign_up(
        TenantId tenant, std::string_view token, accounts::SignUp input, const audit::Origin& origin
    );

    /// LINE's account linking: a signed-in customer who opened the official account's link
    /// (with `link_token`, which LINE issued for their LINE user) is sent to LINE's dialog with
    /// a fresh nonce (10 minutes, used once); LINE's accountLink webhook event brings the nonce
    /// back and LineService::receive links that LINE user. Errors: invalid_input on
    /// "link_token".
    Result<std::string> account_link_url(
        TenantId tenant, AccountId account, std::string_view link_token
    );

    /// The official account's rich menu (the menu under its chat), set up from the admin in
    /// the tenant's language: book (the booking site), my page, and my bookings (a postback
    /// answered with the customer's upcoming bookings as cards). Made at LINE (the menu, its
    /// picture, then the default for every friend); a menu made before is deleted there.
    /// Audited. Errors: unprocessable when the tenant has no channel access token, or LINE
    /// refused (its status in the message); unavailable when LINE cannot be reached.
    Result<RichMenu> set_rich_menu(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );
    /// The rich menu set up last, if any.
    Result<std::optional<RichMenu>> rich_menu(TenantId tenant);
    /// Deletes it at LINE (friends see no menu) and here. Idempotent, audited.
    Result<void> remove_rich_menu(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );

private:
    Result<Finished> finish_checked(
        TenantId tenant,
        std::string_view tenant_code,
        std::string_view code,
        std::string_view state,
        std::string_view state_cookie,
        const audit::Origin& origin
    );
    Result<Finished> conclude(
        TenantId tenant,
        const LoginRow& started,
        const std::string& user,
        const audit::Origin& origin,
        Instant now
    );
    Result<std::string> exchange(
        TenantId tenant,
        const LoginChannel& channel,
        std::string_view secret,
        std::string_view tenant_code,
        std::string_view code,
        std::string_view state
    );
    Result<std::string> verified_liff_user(
        const LoginChannel& channel, std::string_view id_token, Instant now
    );
    Result<void> refuse(TenantId tenant, const Error& why, const audit::Origin& origin);

    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    accounts::AccountService& accounts_;
    outbound::Transport& transport_;
    LoginOptions options_;
};

}  // namespace yoyaku::line

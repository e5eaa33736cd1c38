#include "domain/line/line_login.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cctype>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/line/id_token.hpp"
#include "domain/line/line.hpp"
#include "domain/line/line_login_store.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;
using namespace std::chrono_literals;

constexpr std::string_view kChannelIdKey = "line.login_channel";
constexpr std::string_view kSecretKey = "line.login_secret";
constexpr std::string_view kLiffIdKey = kLiffIdSetting;
constexpr std::string_view kLineIssuer = "https://access.line.me";
const audit::Actor kAnonymous{"anonymous", "anonymous"};

std::string encode(std::string_view s) {
    return boost::urls::encode(s, boost::urls::unreserved_chars);
}

std::string trimmed(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string callback_url(const LoginOptions& o, std::string_view tenant_code) {
    return trimmed(o.public_url) + "/api/v1/public/" + std::string(tenant_code) + "/line/callback";
}

// PKCE (RFC 7636): the verifier is 64 hex characters derived from the state under the tenant's
// index key, so only this platform can make it again from the state that comes back.
std::string verifier_of(const crypto::TenantKeys& keys, std::string_view state) {
    return crypto::blind_index(keys.index, "line-pkce:" + std::string(state));
}

std::string line_user_context(TenantId tenant, std::int64_t row) {
    return crypto::field_context(tenant, "line_logins", LineLoginStore::kLineUser.context, row);
}

Result<LoginChannel> read_channel(ScopedTx& stx) {
    tenants::TenantSettingStore settings(stx);
    YOYAKU_TRY_ASSIGN(const auto id, settings.find(std::string(kChannelIdKey)));
    if (!id) return LoginChannel{};
    YOYAKU_TRY_ASSIGN(const auto liff, settings.find(std::string(kLiffIdKey)));
    return LoginChannel{true, id->value, liff ? liff->value : std::string(), id->updated_at};
}

bool digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool lower_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

// A LIFF app's id is its Login channel's id, "-" and 8 letters or digits.
bool liff_id_of(std::string_view liff_id, std::string_view channel_id) {
    if (liff_id.size() != channel_id.size() + 9 || !liff_id.starts_with(channel_id) ||
        liff_id[channel_id.size()] != '-')
        return false;
    const auto rest = liff_id.substr(channel_id.size() + 1);
    return std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
}

}  // namespace

bool valid_return_to(std::string_view path) noexcept {
    if (path.empty()) return true;
    if (path.size() > 500 || path.front() != '/' || path.starts_with("//")) return false;
    return std::all_of(path.begin(), path.end(), [](char c) {
        return c > 0x20 && c < 0x7F && c != '\\';
    });
}

LoginService::LoginService(
    storage::Database& db,
    crypto::Keyring& keys,
    const Clock& clock,
    accounts::AccountService& accounts,
    outbound::Transport& transport,
    LoginOptions options
)
    : db_(db),
      keys_(keys),
      clock_(clock),
      accounts_(accounts),
      transport_(transport),
      options_(std::move(options)) {
    options_.login_base_url = trimmed(options_.login_base_url);
    options_.api_base_url = trimmed(options_.api_base_url);
}

Result<LoginChannel> LoginService::channel(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) { return read_channel(stx); });
}

Result<LoginChannel> LoginService::set_channel(
    TenantId tenant,
    std::string_view channel_id,
    std::string_view channel_secret,
    std::string_view liff_id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (channel_id.empty() || channel_id.size() > 20 || !digits(channel_id))
        return Error::invalid("channel_id", "the Login channel's id: digits, at most 20");
    if (channel_secret.size() != 32 || !lower_hex(channel_secret))
        return Error::invalid("channel_secret", "the Login channel's secret: 32 hex digits");
    if (!liff_id.empty() && !liff_id_of(liff_id, channel_id))
        return Error::invalid(
            "liff_id", "the channel's LIFF app: the channel id, \"-\" and 8 letters or digits"
        );
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<LoginChannel> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).upsert(
            std::string(kChannelIdKey), std::string(channel_id), now
        ));
        YOYAKU_TRY(seal_setting(stx, k, kSecretKey, channel_secret, now));
        tenants::TenantSettingStore settings(stx);
        if (liff_id.empty()) {
            YOYAKU_TRY(settings.remove(std::string(kLiffIdKey)));
        } else {
            YOYAKU_TRY(settings.upsert(std::string(kLiffIdKey), std::string(liff_id), now));
        }
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"line.login_channel_set",
             "line:login",
             "success",
             boost::json::serialize(boost::json::object{
                 {"channel_id", channel_id}, {"liff_id", liff_id}})},
            now
        ));
        return LoginChannel{true, std::string(channel_id), std::string(liff_id), now};
    });
}

Result<void> LoginService::remove_channel(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        tenants::TenantSettingStore settings(stx);
        YOYAKU_TRY(settings.remove(std::string(kChannelIdKey)));
        YOYAKU_TRY(settings.remove(std::string(kSecretKey)));
        YOYAKU_TRY(settings.remove(std::string(kLiffIdKey)));
        YOYAKU_TRY(
            audit::append(stx, actor, origin, {"line.login_channel_removed", "line:login"}, now)
        );
        return {};
    });
}

Result<Started> LoginService::start(
    TenantId tenant,
    std::string_view tenant_code,
    Purpose purpose,
    std::optional<AccountId> account,
    std::string_view return_to
) {
    if (!valid_return_to(return_to))
        return Error::invalid("return_to", "a path of this booking site, starting with /");
    YOYAKU_TRY_ASSIGN(const auto channel, this->channel(tenant));
    if (!channel.configured)
        return Error{Errc::unprocessable, "this venue does not offer LINE sign-in", {}, {}};
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    Started out;
    out.state = crypto::random_hex(32);
    const std::string nonce = crypto::random_hex(16);
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        NewLogin row{
            crypto::blake2b_256_hex(out.state),
            purpose == Purpose::link ? "link" : "sign_in",
            account,
            nonce,
            std::string(return_to),
            now + options_.ttl};
        YOYAKU_TRY(LineLoginStore(stx).insert(row, now));
        return {};
    }));
    const auto challenge = crypto::to_base64url(crypto::sha256(verifier_of(k, out.state)));
    out.authorize_url =
        options_.login_base_url +
        "/oauth2/v2.1/authorize?response_type=code&client_id=" + encode(channel.channel_id) +
        "&redirect_uri=" + encode(callback_url(options_, tenant_code)) + "&state=" + out.state +
        "&scope=openid%20profile&nonce=" + nonce + "&code_challenge=" + challenge +
        "&code_challenge_method=S256";
    if (purpose == Purpose::link) out.authorize_url += "&bot_prompt=aggressive";
    return out;
}

Result<std::string> LoginService::account_link_url(
    TenantId tenant, AccountId account, std::string_view link_token
) {
    const bool ok = !link_token.empty() && link_token.size() <= 100 &&
                    std::all_of(link_token.begin(), link_token.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                    });
    if (!ok) return Error::invalid("link_token", "not a link token from LINE");
    const std::string nonce = crypto::random_hex(32);
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        NewLogin row{
            crypto::blake2b_256_hex(nonce), "account_link", account, "-", "", now + options_.ttl};
        YOYAKU_TRY(LineLoginStore(stx).insert(row, now));
        return {};
    }));
    return options_.login_base_url + "/dialog/bot/accountLink?linkToken=" + encode(link_token) +
           "&nonce=" + nonce;
}

// LINE's token endpoint: the code, the callback it was sent to, the channel's credentials and
// the PKCE verifier give an ID token. Errors: unauthenticated on "code" when LINE refuses it.
Result<std::string> LoginService::exchange(
    TenantId tenant,
    const LoginChannel& channel,
    std::string_view secret,
    std::string_view tenant_code,
    std::string_view code,
    std::string_view state
) {
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    outbound::HttpCall call;
    call.method = "POST";
    call.url = options_.api_base_url + "/oauth2/v2.1/token";
    call.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    call.body = "grant_type=authorization_code&code=" + encode(code) +
                "&redirect_uri=" + encode(callback_url(options_, tenant_code)) +
                "&client_id=" + encode(channel.channel_id) + "&client_secret=" + encode(secret) +
                "&code_verifier=" + verifier_of(k, state);
    YOYAKU_TRY_ASSIGN(const auto reply, transport_.send(call));
    if (reply.status >= 500 || reply.status == 429)
        return Error::unavailable("LINE answered HTTP " + std::to_string(reply.status));
    boost::system::error_code ec;
    const auto v = boost::json::parse(reply.body, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* token = o ? o->if_contains("id_token") : nullptr;
    if (reply.status != 200 || !token || !token->is_string())
        return Error{
            Errc::unauthenticated, "LINE sign-in failed: LINE refused the code", "code", {}};
    return std::string(token->get_string());
}

Result<Finished> LoginService::finish(
    TenantId tenant,
    std::string_view tenant_code,
    std::string_view code,
    std::string_view state,
    std::string_view state_cookie,
    const audit::Origin& origin
) {
    auto r = finish_checked(tenant, tenant_code, code, state, state_cookie, origin);
    if (!r && r.error().code == Errc::unauthenticated)
        YOYAKU_TRY(refuse(tenant, r.error(), origin));
    return r;
}

Result<Finished> LoginService::finish_checked(
    TenantId tenant,
    std::string_view tenant_code,
    std::string_view code,
    std::string_view state,
    std::string_view state_cookie,
    const audit::Origin& origin
) {
    const Error stale{
        Errc::unauthenticated,
        "LINE sign-in failed: it was not started here, or it took too long",
        "state",
        {}};
    if (state.size() != 64 || !crypto::equal_constant_time(state, state_cookie)) return stale;
    const Instant now = clock_.now();
    struct Begun {
        LoginRow row;
        LoginChannel channel;
        std::optional<std::string> secret;
    };
    // The state is spent whatever follows: a code is exchanged once.
    auto begun = db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Begun> {
        LineLoginStore logins(stx);
        const auto hash = crypto::blake2b_256_hex(state);
        YOYAKU_TRY_ASSIGN(auto row, logins.find(hash, "sign_in", now));
        if (!row) {
            YOYAKU_TRY_ASSIGN(row, logins.find(hash, "link", now));
        }
        if (!row) return stale;
        YOYAKU_TRY(logins.remove(row->id));
        Begun b{std::move(*row), {}, {}};
        YOYAKU_TRY_ASSIGN(b.channel, read_channel(stx));
        YOYAKU_TRY_ASSIGN(b.secret, open_setting(stx, keys_, kSecretKey));
        return b;
    });
    if (!begun) return fail(std::move(begun).error());
    if (!begun->channel.configured || !begun->secret)
        return Error{Errc::unprocessable, "this venue does not offer LINE sign-in", {}, {}};
    YOYAKU_TRY_ASSIGN(
        const auto id_token,
        exchange(tenant, begun->channel, *begun->secret, tenant_code, code, state)
    );
    YOYAKU_TRY_ASSIGN(
        const auto claims,
        verify_id_token(
            id_token, {begun->channel.channel_id, *begun->secret, begun->row.nonce, now}
        )
    );
    return conclude(tenant, begun->row, claims.user_id, origin, now);
}

Result<Finished> LoginService::finish_liff(
    TenantId tenant,
    std::string_view id_token,
    std::string_view return_to,
    const audit::Origin& origin
) {
    if (!valid_return_to(return_to))
        return Error::invalid("return_to", "a path of this booking site, starting with /");
    YOYAKU_TRY_ASSIGN(const auto channel, this->channel(tenant));
    if (!channel.configured || channel.liff_id.empty())
        return Error{Errc::unprocessable, "this venue's booking site is not a LIFF app", {}, {}};
    const Instant now = clock_.now();
    auto user = verified_liff_user(channel, id_token, now);
    if (!user) {
        if (user.error().code == Errc::unauthenticated)
            YOYAKU_TRY(refuse(tenant, user.error(), origin));
        return fail(std::move(user).error());
    }
    LoginRow started;
    started.purpose = "sign_in";
    started.return_to = std::string(return_to);
    return conclude(tenant, started, *user, origin, now);
}

// LINE's verify endpoint vouches for an ID token the LIFF SDK holds (signed ES256 by LINE, so
// this platform does not verify it alone); its claims are checked again here.
Result<std::string> LoginService::verified_liff_user(
    const LoginChannel& channel, std::string_view id_token, Instant now
) {
    const auto refused = [](std::string why) {
        return Error{Errc::unauthenticated, "LINE sign-in failed: " + why, "id_token", {}};
    };
    if (id_token.empty() || id_token.size() > 4096) return refused("no ID token from LINE");
    outbound::HttpCall call;
    call.method = "POST";
    call.url = options_.api_base_url + "/oauth2/v2.1/verify";
    call.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    call.body = "id_token=" + encode(id_token) + "&client_id=" + encode(channel.channel_id);
    YOYAKU_TRY_ASSIGN(const auto reply, transport_.send(call));
    if (reply.status >= 500 || reply.status == 429)
        return Error::unavailable("LINE answered HTTP " + std::to_string(reply.status));
    if (reply.status != 200) return refused("LINE did not vouch for the ID token");
    boost::system::error_code ec;
    const auto v = boost::json::parse(reply.body, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto text = [o](std::string_view key) -> std::string {
        const auto* x = o ? o->if_contains(key) : nullptr;
        return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    const auto* exp = o ? o->if_contains("exp") : nullptr;
    if (text("iss") != kLineIssuer || text("aud") != channel.channel_id)
        return refused("the ID token is not for this venue");
    // Two minutes of skew between LINE's clock and this one, as for web login's tokens.
    if (!exp || !exp->is_int64() || Instant{std::chrono::seconds(exp->as_int64())} + 2min <= now)
        return refused("the ID token has expired");
    const auto user = text("sub");
    if (user.empty() || user.size() > 100) return refused("the ID token names nobody");
    return user;
}

// A verified LINE user: the account linked, the account found, or a sign-up to finish.
Result<Finished> LoginService::conclude(
    TenantId tenant,
    const LoginRow& started,
    const std::string& user,
    const audit::Origin& origin,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    Finished out;
    out.return_to = started.return_to;
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Finished> {
        if (started.purpose == "link") {
            const AccountId account = *started.account;
            YOYAKU_TRY(link_in(
                stx, k, account, user, {"account:" + to_string(account), "customer"}, origin, now
            ));
            out.outcome = Finished::Outcome::linked;
            out.account = account;
            return out;
        }
        YOYAKU_TRY_ASSIGN(
            const auto holder, accounts::AccountStore(stx).find_by_line_indexes(k.indexes(user))
        );
        if (holder) {
            out.account = *holder;
            return out;
        }
        // A LINE user this venue does not know: it may sign up with an address.
        out.outcome = Finished::Outcome::sign_up;
        out.sign_up_token = crypto::random_hex(32);
        LineLoginStore logins(stx);
        NewLogin row{
            crypto::blake2b_256_hex(out.sign_up_token),
            "sign_up",
            {},
            "-",
            out.return_to,
            now + 15min};
        YOYAKU_TRY_ASSIGN(const auto id, logins.insert(row, now));
        YOYAKU_TRY(
            logins.update_line_user(id, crypto::seal(k.seal, user, line_user_context(tenant, id)))
        );
        return out;
    });
}

Result<void> LoginService::sign_up(
    TenantId tenant, std::string_view token, accounts::SignUp input, const audit::Origin& origin
) {
    const Error bad =
        Error::invalid("token", "this sign-up through LINE has expired; sign in with LINE again");
    if (token.size() != 64) return bad;
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const auto hash = crypto::blake2b_256_hex(token);
    auto waiting = db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return LineLoginStore(stx).find(hash, "sign_up", now);
    });
    if (!waiting) return fail(std::move(waiting).error());
    if (!*waiting) return bad;
    const auto& row = **waiting;
    auto user = k.open(row.line_user_sealed, line_user_context(tenant, row.id));
    if (!user) return Error::internal("a waiting LINE user does not open");
    input.without_password = true;
    input.on_created = [&](ScopedTx& stx, AccountId account) -> Result<void> {
        YOYAKU_TRY(LineLoginStore(stx).remove(row.id));
        return link_in(
            stx, k, account, *user, {"account:" + to_string(account), "customer"}, origin, now
        );
    };
    return accounts_.sign_up(tenant, input, origin);
}

Result<void> LoginService::refuse(TenantId tenant, const Error& why, const audit::Origin& origin) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(audit::append(
            stx,
            kAnonymous,
            origin,
            {"line.login_refused",
             "line:login",
             "denied",
             boost::json::serialize(boost::json::object{{"reason", why.field}})},
            now
        ));
        return {};
    });
}

}  // namespace yoyaku::line

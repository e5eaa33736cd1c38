#include "domain/line/line.hpp"

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;

constexpr std::string_view kTokenKey = "line.channel_token";

std::string token_context(TenantId tenant) {
    return crypto::field_context(tenant, "tenant_settings", "line.channel_token", 0);
}

std::string user_context(TenantId tenant, AccountId account) {
    return crypto::field_context(tenant, "accounts", "line_user", account);
}

// The tenant's channel access token, opened; nullopt when it has none.
Result<std::optional<std::string>> open_token(ScopedTx& stx, crypto::Keyring& keys) {
    YOYAKU_TRY_ASSIGN(
        const auto setting, tenants::TenantSettingStore(stx).find(std::string(kTokenKey))
    );
    if (!setting) return std::optional<std::string>();
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
    auto sealed = crypto::from_base64(setting->value);
    if (!sealed) return Error::internal("the LINE channel token is garbled");
    auto opened = k.open(*sealed, token_context(stx.tenant_id()));
    if (!opened) return Error::internal("the LINE channel token does not open");
    return std::optional<std::string>(std::move(*opened));
}

Result<std::optional<std::string>> open_user(
    ScopedTx& stx, crypto::Keyring& keys, AccountId account
) {
    YOYAKU_TRY_ASSIGN(
        const auto sealed, accounts::AccountStore(stx).find_line_user_sealed(AccountId{account})
    );
    if (!sealed) return std::optional<std::string>();
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
    auto opened = k.open(*sealed, user_context(stx.tenant_id(), account));
    if (!opened) return Error::internal("a LINE user id does not open");
    return std::optional<std::string>(std::move(*opened));
}

Result<Channel> read_channel(ScopedTx& stx) {
    YOYAKU_TRY_ASSIGN(
        const auto setting, tenants::TenantSettingStore(stx).find(std::string(kTokenKey))
    );
    if (!setting) return Channel{};
    return Channel{true, setting->updated_at};
}

// Cuts `text` to at most kMaxText code points, never inside a UTF-8 sequence.
std::string cut(std::string_view text) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (++chars > kMaxText) return std::string(text.substr(0, i));
    }
    return std::string(text);
}

// A UUID-shaped retry key, the same for every attempt of one job.
std::string retry_key(const jobs::Job& job) {
    auto h = crypto::blake2b_256_hex(
        "yoyaku/line-retry/v1\n" + std::to_string(job.tenant.value) + ":" + to_string(job.id)
    );
    h[12] = '4';                                                  // version 4
    h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];  // RFC 4122 variant
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

}  // namespace

bool valid_user_id(std::string_view id) noexcept {
    if (id.size() != 33 || id[0] != 'U') return false;
    for (char c : id.substr(1))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

LineService::LineService(storage::Database& db, crypto::Keyring& keys, const Clock& clock)
    : db_(db), keys_(keys), clock_(clock) {}

Result<Channel> LineService::channel(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) { return read_channel(stx); });
}

Result<Channel> LineService::set_channel(
    TenantId tenant, std::string_view token, const audit::Actor& actor, const audit::Origin& origin
) {
    if (token.empty()) return Error::invalid("channel_access_token", "is required");
    if (token.size() > 500) return Error::invalid("channel_access_token", "at most 500 characters");
    for (char c : token)
        if (c < 0x21 || c > 0x7E)
            return Error::invalid("channel_access_token", "must be printable ASCII without spaces");
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Channel> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).upsert(
            std::string(kTokenKey),
            crypto::to_base64(crypto::seal(k.seal, token, token_context(tenant))),
            now
        ));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"line.channel_set", "line:channel"}, now));
        return Channel{true, now};
    });
}

Result<void> LineService::remove_channel(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).remove(std::string(kTokenKey)));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"line.channel_removed", "line:channel"}, now)
        );
        return {};
    });
}

Result<std::optional<std::string>> LineService::linked(TenantId tenant, AccountId account) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return open_user(stx, keys_, account);
    });
}

Result<void> LineService::link(
    TenantId tenant,
    AccountId account,
    std::string_view user_id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (!valid_user_id(user_id))
        return Error::invalid("user_id", "a LINE user id is U and 32 hex digits");
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            const bool linked,
            accounts::AccountStore(stx).update_line_user(
                AccountId{account}, crypto::seal(k.seal, user_id, user_context(tenant, account))
            )
        );
        if (!linked) return Error::not_found("no such customer account");
        YOYAKU_TRY(
            audit::append(stx, actor, origin, {"line.linked", "account:" + to_string(account)}, now)
        );
        return {};
    });
}

Result<void> LineService::unlink(
    TenantId tenant, AccountId account, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            const bool unlinked, accounts::AccountStore(stx).clear_line_user(AccountId{account})
        );
        if (unlinked)
            YOYAKU_TRY(audit::append(
                stx, actor, origin, {"line.unlinked", "account:" + to_string(account)}, now
            ));
        return {};
    });
}

Result<bool> push(
    ScopedTx& stx,
    crypto::Keyring& keys,
    AccountId account,
    std::string_view kind,
    std::string_view text,
    Instant now,
    std::string_view ref
) {
    YOYAKU_TRY_ASSIGN(auto channel, read_channel(stx));
    if (!channel.configured) return false;
    YOYAKU_TRY_ASSIGN(auto user, open_user(stx, keys, account));
    if (!user) return false;
    jobs::NewJob job;
    job.topic = "line";
    job.kind = std::string(kind);
    job.payload = boost::json::serialize(boost::json::object{{"to", *user}, {"text", cut(text)}});
    job.run_at = now;
    job.ref = std::string(ref);
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
    return true;
}

jobs::Handler push_handler(
    storage::Database& db, crypto::Keyring& keys, webhooks::Poster& poster, std::string api_base_url
) {
    while (!api_base_url.empty() && api_base_url.back() == '/') api_base_url.pop_back();
    return [&db, &keys, &poster, base = std::move(api_base_url)](const jobs::Job& job
           ) -> Result<void> {
        boost::system::error_code ec;
        auto v = boost::json::parse(job.payload, ec);
        const auto* o = ec ? nullptr : v.if_object();
        const auto* to = o ? o->if_contains("to") : nullptr;
        const auto* text = o ? o->if_contains("text") : nullptr;
        if (!to || !to->is_string() || !text || !text->is_string())
            return Error::invalid("payload", "not a queued LINE message");
        std::optional<std::string> token;
        YOYAKU_TRY(db.read(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto t, open_token(stx, keys));
            token = std::move(t);
            return {};
        }));
        if (!token) return Error::invalid("channel", "the tenant removed its LINE channel");
        webhooks::Outgoing out;
        out.url = base + "/v2/bot/message/push";
        out.body = boost::json::serialize(boost::json::object{
            {"to", to->get_string()},
            {"messages", boost::json::array{{{"type", "text"}, {"text", text->get_string()}}}}});
        out.headers = {
            {"Content-Type", "application/json"},
            {"Authorization", "Bearer " + *token},
            {"X-Line-Retry-Key", retry_key(job)},
            {"User-Agent", "Yoyaku-LINE/1"}};
        YOYAKU_TRY_ASSIGN(auto status, poster.post(out));
        if ((status >= 200 && status < 300) || status == 409) return {};
        if (status == 429 || status >= 500)
            return Error::unavailable("LINE answered HTTP " + std::to_string(status));
        return Error::invalid("line", "LINE refused the message: HTTP " + std::to_string(status));
    };
}

}  // namespace yoyaku::line

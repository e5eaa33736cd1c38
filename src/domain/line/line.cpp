#include "domain/line/line.hpp"

#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;

constexpr std::string_view kTokenKey = "line.channel_token";
constexpr std::string_view kSecretKey = "line.channel_secret";

std::string user_context(TenantId tenant, AccountId account) {
    return crypto::field_context(tenant, "accounts", "line_user", account);
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
    tenants::TenantSettingStore settings(stx);
    YOYAKU_TRY_ASSIGN(const auto setting, settings.find(std::string(kTokenKey)));
    if (!setting) return Channel{};
    YOYAKU_TRY_ASSIGN(const auto secret, settings.find(std::string(kSecretKey)));
    return Channel{true, secret.has_value(), setting->updated_at};
}

// A card button's action: a link, or data sent back through the webhook (shown in the chat
// as the button's words).
boost::json::object action(const Card::Button& b) {
    if (b.postback.empty()) return {{"type", "uri"}, {"label", cut(b.label, 40)}, {"uri", b.uri}};
    return {
        {"type", "postback"},
        {"label", cut(b.label, 40)},
        {"data", b.postback},
        {"displayText", cut(b.label, 300)}};
}

boost::json::object text_part(std::string_view text, boost::json::object style) {
    style["type"] = "text";
    // Flex refuses an empty text.
    style["text"] = text.empty() ? std::string("-") : cut(text, 2000);
    style["wrap"] = true;
    return style;
}

}  // namespace

std::string cut(std::string_view text, std::size_t most) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (++chars > most) return std::string(text.substr(0, i));
    }
    return std::string(text);
}

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
    TenantId tenant,
    std::string_view token,
    std::optional<std::string_view> secret,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (token.empty()) return Error::invalid("channel_access_token", "is required");
    if (token.size() > 500) return Error::invalid("channel_access_token", "at most 500 characters");
    for (char c : token)
        if (c < 0x21 || c > 0x7E)
            return Error::invalid("channel_access_token", "must be printable ASCII without spaces");
    if (secret && (secret->size() != 32 ||
                   secret->find_first_not_of("0123456789abcdef") != std::string_view::npos))
        return Error::invalid("channel_secret", "the channel secret: 32 hex digits");
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Channel> {
        YOYAKU_TRY(seal_setting(stx, k, kTokenKey, token, now));
        if (secret) YOYAKU_TRY(seal_setting(stx, k, kSecretKey, *secret, now));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"line.channel_set", "line:channel"}, now));
        return read_channel(stx);
    });
}

Result<void> LineService::remove_channel(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).remove(std::string(kTokenKey)));
        YOYAKU_TRY(tenants::TenantSettingStore(stx).remove(std::string(kSecretKey)));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"line.channel_removed", "line:channel"}, now)
        );
        return {};
    });
}

Result<Linked> LineService::linked(TenantId tenant, AccountId account) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Linked> {
        Linked out;
        YOYAKU_TRY_ASSIGN(out.user_id, open_user(stx, keys_, account));
        YOYAKU_TRY_ASSIGN(const auto flags, accounts::AccountStore(stx).line_flags(account));
        out.relink = flags.relink;
        out.channel = flags.channel;
        out.announcements = flags.announcements;
        return out;
    });
}

Result<Linked> LineService::set_notify_channel(
    TenantId tenant,
    AccountId account,
    std::string_view channel,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (channel != "mail" && channel != "line" && channel != "both")
        return Error::invalid("channel", "mail, line or both");
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            const bool set,
            accounts::AccountStore(stx).update_notify_channel(account, std::string(channel))
        );
        if (!set) return Error::not_found("no such customer account");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"account.notify_channel_set",
             "account:" + to_string(account),
             "success",
             boost::json::serialize(boost::json::object{{"channel", channel}})},
            now
        ));
        return {};
    }));
    return linked(tenant, account);
}

Result<Linked> LineService::set_announcements(
    TenantId tenant,
    AccountId account,
    bool on,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            const bool set, accounts::AccountStore(stx).update_announcements(account, on)
        );
        if (!set) return Error::not_found("no such customer account");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"account.announcements_set",
             "account:" + to_string(account),
             "success",
             boost::json::serialize(boost::json::object{{"announcements", on}})},
            now
        ));
        return {};
    }));
    return linked(tenant, account);
}

Result<void> link_in(
    ScopedTx& stx,
    const crypto::TenantKeys& keys,
    AccountId account,
    std::string_view user_id,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
) {
    accounts::AccountStore accounts(stx);
    YOYAKU_TRY_ASSIGN(const auto holder, accounts.find_by_line_indexes(keys.indexes(user_id)));
    if (holder && *holder != account)
        return Error{Errc::conflict, "this LINE account is linked to another account", "line", {}};
    const TenantId tenant = stx.tenant_id();
    YOYAKU_TRY_ASSIGN(
        const bool linked,
        accounts.update_line_user(
            account,
            crypto::seal(keys.seal, user_id, user_context(tenant, account)),
            crypto::blind_index(keys.index, user_id)
        )
    );
    if (!linked) return Error::not_found("no such customer account");
    YOYAKU_TRY(
        audit::append(stx, actor, origin, {"line.linked", "account:" + to_string(account)}, now)
    );
    return {};
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

namespace {

boost::json::object bubble_of(const Card& card) {
    boost::json::array body;
    for (const auto& [label, value] : card.rows)
        body.push_back(boost::json::object{
            {"type", "box"},
            {"layout", "baseline"},
            {"spacing", "sm"},
            {"contents",
             boost::json::array{
                 text_part(label, {{"size", "sm"}, {"color", "#666666"}, {"flex", 2}}),
                 text_part(value, {{"size", "sm"}, {"color", "#111111"}, {"flex", 5}})}}});
    boost::json::object bubble{
        {"type", "bubble"},
        {"header",
         {{"type", "box"},
          {"layout", "vertical"},
          {"contents",
           boost::json::array{
               text_part(card.venue, {{"size", "xs"}, {"color", "#666666"}}),
               text_part(card.title, {{"size", "lg"}, {"weight", "bold"}})}}}},
        {"body", {{"type", "box"}, {"layout", "vertical"}, {"spacing", "sm"}, {"contents", body}}}};
    if (body.empty()) bubble.erase("body");  // a box needs contents
    if (!card.buttons.empty()) {
        boost::json::array buttons;
        for (const auto& b : card.buttons)
            buttons.push_back(boost::json::object{
                {"type", "button"},
                {"style", b.primary ? "primary" : "secondary"},
                {"height", "sm"},
                {"action", action(b)}});
        bubble["footer"] = {
            {"type", "box"}, {"layout", "vertical"}, {"spacing", "sm"}, {"contents", buttons}};
    }
    return bubble;
}

}  // namespace

boost::json::object flex(const Card& card, std::string_view alt) {
    return {{"type", "flex"}, {"altText", cut(alt, kMaxAltText)}, {"contents", bubble_of(card)}};
}

boost::json::object carousel(const std::vector<Card>& cards, std::string_view alt) {
    boost::json::array bubbles;
    for (std::size_t i = 0; i < cards.size() && i < kMaxCarousel; ++i)
        bubbles.push_back(bubble_of(cards[i]));
    return {
        {"type", "flex"},
        {"altText", cut(alt, kMaxAltText)},
        {"contents", {{"type", "carousel"}, {"contents", std::move(bubbles)}}}};
}

boost::json::object confirm(
    std::string_view text, const Card::Button& yes, const Card::Button& no
) {
    return {
        {"type", "template"},
        {"altText", cut(text, kMaxAltText)},
        {"template",
         {{"type", "confirm"},
          {"text", cut(text, 240)},
          {"actions", boost::json::array{action(yes), action(no)}}}}};
}

Result<Pushed> push(
    ScopedTx& stx, crypto::Keyring& keys, AccountId account, const Message& message, Instant now
) {
    YOYAKU_TRY_ASSIGN(auto channel, read_channel(stx));
    if (!channel.configured) return Pushed::no;
    YOYAKU_TRY_ASSIGN(auto user, open_user(stx, keys, account));
    if (!user) return Pushed::no;
    // Unfollowed the official account (LINE would refuse) or chose mail: the mail goes alone.
    YOYAKU_TRY_ASSIGN(const auto flags, accounts::AccountStore(stx).line_flags(account));
    if (flags.blocked || flags.channel == "mail") return Pushed::no;
    const bool instead = flags.channel == "line";
    boost::json::object payload{{"to", *user}, {"text", cut(message.text)}};
    if (message.card) {
        YOYAKU_TRY_ASSIGN(const auto card, message.card());
        payload["message"] = flex(card, message.text);
    }
    if (instead && message.mail)
        payload["mail"] = {
            {"kind", message.mail->kind},
            {"ref", message.mail->ref},
            {"payload", message.mail->payload}};
    jobs::NewJob job;
    job.topic = "line";
    job.kind = message.kind;
    job.payload = boost::json::serialize(payload);
    job.run_at = now;
    job.ref = message.ref;
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
    return instead ? Pushed::instead_of_mail : Pushed::also_mail;
}

Result<void> reply(
    ScopedTx& stx,
    crypto::Keyring& keys,
    std::string_view to,
    std::string_view reply_token,
    boost::json::object message,
    std::string_view kind,
    Instant now
) {
    jobs::NewJob job;
    job.topic = "line";
    job.kind = std::string(kind);
    job.payload = boost::json::serialize(boost::json::object{
        {"to", to}, {"reply_token", reply_token}, {"message", std::move(message)}});
    job.run_at = now;
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
    return {};
}

Result<Postback> postback_of(const jobs::Job& job) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(job.payload, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto str = [&](std::string_view key) -> std::optional<std::string> {
        const auto* f = o ? o->if_contains(key) : nullptr;
        if (!f || !f->is_string()) return std::nullopt;
        return std::string(f->get_string());
    };
    const auto* account = o ? o->if_contains("account") : nullptr;
    auto to = str("to"), data = str("data"), token = str("reply_token");
    if (!account || !account->is_int64() || !to || !data || !token)
        return Error::invalid("payload", "not a queued LINE postback");
    return Postback{AccountId{account->get_int64()}, *to, *data, *token};
}

}  // namespace yoyaku::line

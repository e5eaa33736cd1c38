// LINE's Messaging API webhook (developers.line.biz "Receive messages (webhook)"): the
// signature first, then each event once.

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/line/line.hpp"
#include "domain/line/line_event_store.hpp"
#include "domain/line/line_login_store.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;

const audit::Actor kLine{"line", "system"};

std::string_view text(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

// One event: who (a user source), what, and its id; nullopt for what is not LINE's shape.
struct Event {
    std::string id;
    std::string type;
    std::string user;
    const boost::json::object* raw = nullptr;
};

std::optional<Event> event_of(const boost::json::value& v) {
    const auto* o = v.if_object();
    if (!o) return std::nullopt;
    const auto* source = o->if_contains("source");
    Event e{std::string(text(*o, "webhookEventId")), std::string(text(*o, "type")), {}, o};
    if (source && source->is_object()) e.user = std::string(text(source->get_object(), "userId"));
    if (e.id.empty() || e.id.size() > 100 || e.type.empty() || e.type.size() > 40)
        return std::nullopt;
    return e;
}

// The customer account whose LINE user sent it, if any.
Result<std::optional<AccountId>> holder(ScopedTx& stx, crypto::Keyring& keys, const Event& e) {
    if (!valid_user_id(e.user)) return std::optional<AccountId>();
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
    return accounts::AccountStore(stx).find_by_line_indexes(k.indexes(e.user));
}

}  // namespace

Result<WebhookReceipt> LineService::receive(
    TenantId tenant,
    std::string_view body,
    std::string_view signature,
    std::string_view link_page,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    std::optional<std::string> secret;
    YOYAKU_TRY(db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(secret, open_setting(stx, keys_, "line.channel_secret"));
        return {};
    }));
    if (!secret)
        return Error{Errc::unprocessable, "this venue has not set up its LINE channel", {}, {}};
    const auto given = crypto::from_base64(signature);
    if (!given || !crypto::equal_constant_time(*given, crypto::hmac_sha256(*secret, body))) {
        YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY(audit::append(
                stx, kLine, origin, {"line.webhook_refused", "line:webhook", "denied"}, now
            ));
            return {};
        }));
        return Error{Errc::unauthenticated, "the signature does not match", "X-Line-Signature", {}};
    }
    boost::system::error_code ec;
    const auto v = boost::json::parse(body, ec);
    const auto* root = ec ? nullptr : v.if_object();
    const auto* events = root ? root->if_contains("events") : nullptr;
    if (!events || !events->is_array()) return Error::invalid("body", "not a LINE webhook body");
    WebhookReceipt out;
    for (const auto& item : events->get_array()) {
        auto e = event_of(item);
        if (!e) continue;
        ++out.events;
        YOYAKU_TRY_ASSIGN(
            const bool fresh,
            db_.write(
                storage::TenantScope(tenant),
                [&](ScopedTx& stx) -> Result<bool> {
                    YOYAKU_TRY_ASSIGN(
                        const bool first, LineEventStore(stx).record(e->id, e->type, now)
                    );
                    if (!first) return false;
                    YOYAKU_TRY(handle(stx, *e->raw, e->type, e->user, link_page, origin, now));
                    return true;
                }
            )
        );
        (fresh ? out.handled : out.repeated) += 1;
    }
    return out;
}

Result<void> LineService::handle(
    ScopedTx& stx,
    const boost::json::object& raw,
    std::string_view type,
    std::string_view user,
    std::string_view link_page,
    const audit::Origin& origin,
    Instant now
) {
    Event e{{}, std::string(type), std::string(user), &raw};
    YOYAKU_TRY_ASSIGN(const auto account, holder(stx, keys_, e));
    accounts::AccountStore accounts(stx);
    if (type == "unfollow" && account) return accounts.set_line_blocked(*account, true);
    if (type == "follow" && account) return accounts.set_line_blocked(*account, false);
    // A friend this venue does not know: offered to link their account (as a reply to what
    // they pressed, when they pressed something).
    const auto offer_link = [&](std::string_view reply_token) -> Result<void> {
        if (!valid_user_id(user) || link_page.empty()) return {};
        boost::json::object payload{{"to", user}, {"link_page", link_page}};
        if (!reply_token.empty()) payload["reply_token"] = reply_token;
        jobs::NewJob job;
        job.topic = "line";
        job.kind = "line.link_offer";
        job.payload = boost::json::serialize(payload);
        job.run_at = now;
        YOYAKU_TRY(jobs::enqueue(stx.tx(), keys_, stx.tenant_id(), job, now));
        return {};
    };
    if (type == "follow") return offer_link("");
    if (type == "postback") {
        // A card's or the menu's button: acted on by a job (the booking domain's), answered by
        // a reply; a friend with no linked account is answered with the offer to link one.
        const auto* postback = raw.if_contains("postback");
        const auto data =
            postback && postback->is_object() ? text(postback->get_object(), "data") : "";
        const auto token = text(raw, "replyToken");
        if (data.empty() || data.size() > 300 || token.empty() || token.size() > 100) return {};
        if (!account) return offer_link(token);
        jobs::NewJob job;
        job.topic = "line_postback";
        job.kind = "line.postback";
        job.payload = boost::json::serialize(boost::json::object{
            {"account", account->value}, {"to", user}, {"data", data}, {"reply_token", token}});
        job.run_at = now;
        YOYAKU_TRY(jobs::enqueue(stx.tx(), keys_, stx.tenant_id(), job, now));
        return {};
    }
    if (type != "accountLink" || !valid_user_id(user)) return {};
    const auto* link = raw.if_contains("link");
    if (!link || !link->is_object() || text(link->get_object(), "result") != "ok") return {};
    const auto nonce = text(link->get_object(), "nonce");
    if (nonce.empty() || nonce.size() > 200) return {};
    LineLoginStore logins(stx);
    YOYAKU_TRY_ASSIGN(
        const auto row, logins.find(crypto::blake2b_256_hex(nonce), "account_link", now)
    );
    if (!row || !row->account) return {};
    YOYAKU_TRY(logins.remove(row->id));
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(stx.tenant_id()));
    auto linked = link_in(
        stx,
        k,
        *row->account,
        user,
        {"account:" + to_string(*row->account), "customer"},
        origin,
        now
    );
    // Another account holds that LINE user: the link is not made, the event is still handled.
    if (!linked && linked.error().code == Errc::conflict) return {};
    return linked;
}

}  // namespace yoyaku::line

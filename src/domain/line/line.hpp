#pragma once
// LINE Messaging API push (SPEC "Notifications"): customers who linked LINE (through LINE
// Login, line_login.hpp) get the tenant's booking messages as a LINE message too, through the
// tenant's own channel.
// The channel access token and the user ids are sealed under the tenant's key. Messages are
// queued as jobs of topic "line" inside the change's transaction and posted after commit.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/outbound.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/tenants/sealed_settings.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

/// The most LINE takes in one text message (characters); longer messages are cut there.
inline constexpr std::size_t kMaxText = 5000;
/// The most a Flex or template message's alternative text may hold (characters).
inline constexpr std::size_t kMaxAltText = 400;
/// A LINE-only customer's push that LINE still has not taken at this attempt (about three
/// and a half minutes of retries) goes by mail instead.
inline constexpr int kMailAfterAttempts = 4;

/// A booking message as LINE shows it: a card (a Flex bubble) with buttons. A button opens
/// `uri` or, when `postback` is set, sends that data back through the webhook (at most 300
/// characters, e.g. "action=cancel&ref=K7F2Q9").
struct Card {
    struct Button {
        std::string label;  ///< at most 40 characters
        std::string uri;
        std::string postback = {};
        bool primary = false;
    };
    std::string venue;  ///< a small line above the title
    std::string title;
    std::vector<std::pair<std::string, std::string>> rows;  ///< label, value
    std::vector<Button> buttons;
};

/// The Flex message showing `card`; `alt` (cut to kMaxAltText) is what a notification or a
/// client without Flex shows.
boost::json::object flex(const Card& card, std::string_view alt);
/// The most cards one carousel holds.
inline constexpr std::size_t kMaxCarousel = 12;
/// The Flex message showing `cards` side by side (the first kMaxCarousel; at least one).
boost::json::object carousel(const std::vector<Card>& cards, std::string_view alt);

/// One message to push to a customer.
struct Message {
    std::string kind;  ///< for the delivery log, like a mail's ("booking.confirmed")
    std::string text;  ///< the words (cut to kMaxText); a card's alternative text
    /// The card to show, built only when the push is queued (most customers have no LINE).
    std::function<Result<Card>()> card = {};
    std::string ref = {};  ///< what it is about (a booking reference)
    /// The mail job to queue instead when the customer chose LINE only and LINE refuses the
    /// push for good (or has not taken it after kMailAfterAttempts).
    std::optional<jobs::NewJob> mail = std::nullopt;
};

struct Channel {
    bool configured = false;
    bool webhook = false;  ///< the channel secret is stored: the webhook is accepted
    std::optional<Instant> updated_at;
};

/// What a webhook delivery held.
struct WebhookReceipt {
    int events = 0;
    int handled = 0;
    int repeated = 0;  ///< redeliveries of events handled before
};

struct Linked {
    std::optional<std::string> user_id;
    bool relink = false;
    std::string channel = "both";  ///< where booking messages go: mail, line or both
    bool announcements = true;     ///< takes the venue's segment messages (broadcast.hpp)
};

/// What push() did: nothing (mail only), pushed besides the mail, or pushed instead of it
/// (the customer chose LINE only).
enum class Pushed { no, also_mail, instead_of_mail };

/// `text` cut to at most `most` characters (code points), never inside one.
std::string cut(std::string_view text, std::size_t most = kMaxText);

/// A LINE user id: "U" and 32 lower-case hex digits.
bool valid_user_id(std::string_view id) noexcept;

class LineService {
public:
    LineService(storage::Database& db, crypto::Keyring& keys, const Clock& clock);

    /// Whether the tenant has a channel access token (never the token itself).
    Result<Channel> channel(TenantId tenant);
    /// Stores the tenant's channel access token and, when given, the channel secret its webhook
    /// signs with; audited. Errors: invalid_input on "channel_access_token" (empty, longer
    /// than 500, or not printable ASCII) or "channel_secret" (32 hex digits).
    Result<Channel> set_channel(
        TenantId tenant,
        std::string_view token,
        std::optional<std::string_view> secret,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Forgets the token: nothing more is pushed. Idempotent, audited.
    Result<void> remove_channel(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );

    /// The LINE user `account` linked, if any (its owner may see it), and whether its owner
    /// is asked to link again (a link typed before LINE Login was dropped).
    Result<Linked> linked(TenantId tenant, AccountId account);
    /// Where `account`'s booking messages go: "mail", "line" or "both" (mail stays the
    /// fallback whenever LINE cannot take one). Audited. Errors: invalid_input on "channel";
    /// not_found (no such customer).
    Result<Linked> set_notify_channel(
        TenantId tenant,
        AccountId account,
        std::string_view channel,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Whether `account` takes the venue's segment messages (opting out is always possible).
    /// Audited. Errors: not_found (no such customer).
    Result<Linked> set_announcements(
        TenantId tenant,
        AccountId account,
        bool on,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Removes the link. Idempotent, audited.
    Result<void> unlink(
        TenantId tenant, AccountId account, const audit::Actor& actor, const audit::Origin& origin
    );

    /// LINE's Messaging API webhook for `tenant`: `signature` (X-Line-Signature) must be the
    /// base64 HMAC-SHA-256 of `body` under the channel secret, checked before the body is read;
    /// a forgery is audited (line.webhook_refused) and refused (unauthenticated). Each event is
    /// handled once: follow (a known customer receives pushes again; an unknown friend is sent
    /// a link to `link_page` to link their account), unfollow (pushes stop: mail only),
    /// accountLink (the nonce of an account-link start names the customer to link), postback
    /// (a linked customer's is queued as a job of topic "line_postback": see Postback), message
    /// (recorded). Errors: unprocessable when the tenant has no channel secret;
    /// invalid_input on "body" when it is not LINE's JSON.
    Result<WebhookReceipt> receive(
        TenantId tenant,
        std::string_view body,
        std::string_view signature,
        std::string_view link_page,
        const audit::Origin& origin
    );

private:
    Result<void> handle(
        storage::ScopedTx& stx,
        const boost::json::object& raw,
        std::string_view type,
        std::string_view user,
        std::string_view link_page,
        const audit::Origin& origin,
        Instant now
    );

    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
};

/// A button a linked customer pressed in a card (its data, at most 300 characters), queued as
/// a job of topic "line_postback" for the domain that acts on it (bookings/line_actions.cpp),
/// with the reply token to answer by.
struct Postback {
    AccountId account;
    std::string to;  ///< the LINE user
    std::string data;
    std::string reply_token;
};
/// The postback a "line_postback" job holds. Errors: invalid_input on "payload".
Result<Postback> postback_of(const jobs::Job& job);

using tenants::open_setting;
using tenants::seal_setting;

/// Links customer `account` to LINE user `user_id` (proven by LINE) in the caller's transaction,
/// audited (line.linked). Errors: conflict when another account of the tenant holds that LINE
/// user; not_found when there is no such customer.
Result<void> link_in(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    AccountId account,
    std::string_view user_id,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
);

/// Queues `message` as a LINE push to `account` in the caller's transaction, when the tenant
/// has a channel, the account linked a user id who follows the official account, and did not
/// choose mail only. Answers whether it was queued, and whether the mail should still go (when
/// it is not, the push carries `message.mail` as its fallback).
Result<Pushed> push(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    AccountId account,
    const Message& message,
    Instant now
);

/// Queues an answer to a webhook event (its `reply_token`, valid about a minute) from LINE
/// user `to`, in the caller's transaction: replies are free, and a reply LINE no longer takes
/// is pushed instead. `message` is a Messaging API message object.
Result<void> reply(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    std::string_view to,
    std::string_view reply_token,
    boost::json::object message,
    std::string_view kind,
    Instant now
);

/// A confirm template message: `text` (at most 240 characters) with two postback buttons.
boost::json::object confirm(std::string_view text, const Card::Button& yes, const Card::Button& no);

/// The job handler for topic "line": posts one queued message to
/// `<api_base_url>/v2/bot/message/push` (a reply to `/v2/bot/message/reply`); a link offer
/// first asks LINE for a link token (`/v2/bot/user/{userId}/linkToken`) and pushes a button to
/// the link page with it. 2xx is done, and so is 409 (LINE's answer to a retry key it already
/// accepted); 429 and 5xx and connection failures are retried; any other status (a bad or
/// revoked token, an unknown user) or a removed channel makes it a dead letter, after queueing
/// the message's mail fallback if it has one. A segment message's batch goes to
/// `/v2/bot/message/multicast` and is counted on its broadcast (broadcast.hpp).
jobs::Handler push_handler(
    storage::Database& db,
    crypto::Keyring& keys,
    outbound::Transport& transport,
    std::string api_base_url,
    const Clock& clock
);

}  // namespace yoyaku::line

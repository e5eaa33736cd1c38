#pragma once
// LINE Messaging API push (SPEC "Notifications"): customers who linked LINE (through LINE
// Login, line_login.hpp) get the tenant's booking messages as a LINE message too, through the
// tenant's own channel.
// The channel access token and the user ids are sealed under the tenant's key. Messages are
// queued as jobs of topic "line" inside the change's transaction and posted after commit.

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/payments/payments.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

/// The most LINE takes in one text message (characters); longer messages are cut there.
inline constexpr std::size_t kMaxText = 5000;

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
};

/// What push() did: nothing (mail only), pushed besides the mail, or pushed instead of it
/// (the customer chose LINE only).
enum class Pushed { no, also_mail, instead_of_mail };

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
    /// Removes the link. Idempotent, audited.
    Result<void> unlink(
        TenantId tenant, AccountId account, const audit::Actor& actor, const audit::Origin& origin
    );

    /// LINE's Messaging API webhook for `tenant`: `signature` (X-Line-Signature) must be the
    /// base64 HMAC-SHA-256 of `body` under the channel secret, checked before the body is read;
    /// a forgery is audited (line.webhook_refused) and refused (unauthenticated). Each event is
    /// handled once: follow (a known customer receives pushes again; an unknown friend is sent
    /// a link to `link_page` to link their account), unfollow (pushes stop: mail only),
    /// accountLink (the nonce of an account-link start names the customer to link), message
    /// and postback (recorded). Errors: unprocessable when the tenant has no channel secret;
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

/// The sealed settings' values: opened (nullopt when unset) and sealed (upserted).
Result<std::optional<std::string>> open_setting(
    storage::ScopedTx& stx, crypto::Keyring& keys, std::string_view key
);
Result<void> seal_setting(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    std::string_view key,
    std::string_view value,
    Instant now
);

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

/// Queues `text` (cut to kMaxText) as a LINE push to `account` in the caller's transaction,
/// when the tenant has a channel, the account linked a user id who follows the official
/// account, and did not choose mail only. `kind` and `ref` name it in the delivery log, like a
/// mail's. Answers whether it was queued, and whether the mail should still go.
Result<Pushed> push(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    AccountId account,
    std::string_view kind,
    std::string_view text,
    Instant now,
    std::string_view ref = {}
);

/// The job handler for topic "line": posts one queued message to
/// `<api_base_url>/v2/bot/message/push`; a link offer first asks LINE for a link token
/// (`/v2/bot/user/{userId}/linkToken`) and pushes a button to the link page with it. 2xx is
/// done, and so is 409 (LINE's answer to a retry key it already accepted); 429 and 5xx and
/// connection failures are retried; any other status (a bad or revoked token, an unknown user)
/// or a removed channel makes it a dead letter.
jobs::Handler push_handler(
    storage::Database& db,
    crypto::Keyring& keys,
    payments::Transport& transport,
    std::string api_base_url
);

}  // namespace yoyaku::line

#pragma once
// LINE Messaging API push (SPEC "Notifications"): customers who linked their LINE user id get
// the tenant's booking messages as a LINE text message too, through the tenant's own channel.
// The channel access token and the user ids are sealed under the tenant's key. Messages are
// queued as jobs of topic "line" inside the change's transaction and posted after commit.

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
#include "domain/webhooks/webhooks.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

/// The most LINE takes in one text message (characters); longer messages are cut there.
inline constexpr std::size_t kMaxText = 5000;

struct Channel {
    bool configured = false;
    std::optional<Instant> updated_at;
};

/// A LINE user id: "U" and 32 lower-case hex digits.
bool valid_user_id(std::string_view id) noexcept;

class LineService {
public:
    LineService(storage::Database& db, crypto::Keyring& keys, const Clock& clock);

    /// Whether the tenant has a channel access token (never the token itself).
    Result<Channel> channel(TenantId tenant);
    /// Stores the tenant's channel access token, audited. Errors: invalid_input on
    /// "channel_access_token" (empty, longer than 500, or not printable ASCII).
    Result<Channel> set_channel(
        TenantId tenant,
        std::string_view token,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Forgets the token: nothing more is pushed. Idempotent, audited.
    Result<void> remove_channel(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );

    /// The LINE user id `account` linked, if any (its owner may see it).
    Result<std::optional<std::string>> linked(TenantId tenant, AccountId account);
    /// Links a customer account to LINE user `user_id`, audited. Errors: invalid_input on
    /// "user_id"; not_found (no such customer account).
    Result<void> link(
        TenantId tenant,
        AccountId account,
        std::string_view user_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Removes the link. Idempotent, audited.
    Result<void> unlink(
        TenantId tenant, AccountId account, const audit::Actor& actor, const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
};

/// Queues `text` (cut to kMaxText) as a LINE push to `account` in the caller's transaction,
/// when the tenant has a channel and the account linked a user id. `kind` and `ref` name it in
/// the delivery log, like a mail's. Returns whether it was queued.
Result<bool> push(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    AccountId account,
    std::string_view kind,
    std::string_view text,
    Instant now,
    std::string_view ref = {}
);

/// The job handler for topic "line": posts one queued message to
/// `<api_base_url>/v2/bot/message/push`. 2xx is done, and so is 409 (LINE's answer to a retry
/// key it already accepted); 429 and 5xx and connection failures are retried; any other status
/// (a bad or revoked token, an unknown user) or a removed channel makes it a dead letter.
jobs::Handler push_handler(
    storage::Database& db, crypto::Keyring& keys, webhooks::Poster& poster, std::string api_base_url
);

}  // namespace yoyaku::line

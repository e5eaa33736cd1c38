#pragma once
// Login defence (SPEC S3): throttling per client address and per account, operator block and
// allow lists (CIDR) that every node reloads without a restart, and an automatic temporary
// block of an address that fails against many accounts (credential stuffing). Allow-listed
// addresses (an office's NAT gateway, a city hall proxy) are never throttled or blocked
// automatically; an operator's explicit block still applies to them.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/net.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

struct DefenceOptions {
    double address_burst = 20;                 ///< login attempts an address may make at once
    double address_per_minute = 10;            ///< and then per minute
    double account_burst = 10;                 ///< attempts against one account at once
    double account_per_minute = 5;             ///< and then per minute
    int stuffing_accounts = 10;                ///< distinct accounts failed from one address …
    std::chrono::minutes stuffing_window{15};  ///< … within this window
    std::chrono::minutes block_duration{60};   ///< how long the automatic block lasts
    /// Public bookings and holds an address makes without a proof-of-work answer at once, and
    /// then per minute; beyond them each needs one (SPEC S3: bots pay, people do not notice).
    double booking_burst = 10;
    double booking_per_minute = 1;
};

enum class RuleKind { block, allow };

struct AddressRule {
    AddressRuleId id;
    RuleKind kind = RuleKind::block;
    net::Cidr cidr;
    std::string reason;
    bool automatic = false;
    Instant created_at{};
    std::optional<Instant> expires_at;
};

/// A token bucket per key, in memory (each node throttles what it sees; lockouts and
/// automatic blocks are in the database and shared). Thread-safe.
class RateLimiter {
public:
    RateLimiter(double burst, double per_minute) : burst_(burst), per_minute_(per_minute) {}
    /// Takes one token; when none is left, returns how long until one is.
    std::optional<std::chrono::seconds> take(const std::string& key, Instant now);

private:
    struct Bucket {
        double tokens;
        Instant at;
    };
    double burst_;
    double per_minute_;
    std::mutex mu_;
    std::map<std::string, Bucket> buckets_;
};

class LoginDefence {
public:
    LoginDefence(storage::Database& db, const Clock& clock, DefenceOptions options = {});

    /// Re-reads the rules from the database (the app calls this every few seconds, so a
    /// change made on another node takes effect here too).
    Result<void> reload();

    /// True when a live block rule covers the address and no allow rule exempts it from
    /// automatic blocks. Unparseable addresses are never blocked (they are not the socket's).
    bool blocked(std::string_view address) const;
    bool allow_listed(std::string_view address) const;

    /// Throttles an attempt from `address` against `account_key`. Errors: rate_limited, with
    /// the seconds to wait in `detail`.
    Result<void> admit(std::string_view address, std::string_view account_key);

    /// True while `address` may book without solving a challenge (allow-listed addresses
    /// always may); each call uses one of its free bookings.
    bool free_booking(std::string_view address);

    /// Records a login attempt (`result`: success, failure, locked, blocked). After a failure,
    /// blocks the address for a while when it has failed against too many accounts; the block
    /// is audited on the platform chain.
    Result<void> record(
        TenantId tenant,
        std::string_view subject,
        const audit::Origin& origin,
        std::string_view result
    );

    /// Operator list management (audited on the platform chain). `cidr` like 192.0.2.0/24.
    /// Errors: invalid_input on cidr, reason, expires_at.
    Result<AddressRule> add_rule(
        RuleKind kind,
        std::string_view cidr,
        std::string_view reason,
        std::optional<Instant> expires_at,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Errors: not_found.
    Result<void> remove_rule(
        AddressRuleId id, const audit::Actor& actor, const audit::Origin& origin
    );
    /// The live rules, newest first.
    std::vector<AddressRule> rules() const;

private:
    using Rules = std::vector<AddressRule>;
    std::shared_ptr<const Rules> snapshot() const;
    bool covered(std::string_view address, RuleKind kind, bool include_automatic) const;

    storage::Database& db_;
    const Clock& clock_;
    DefenceOptions options_;
    RateLimiter by_address_;
    RateLimiter by_account_;
    RateLimiter bookings_;
    mutable std::shared_mutex mu_;
    std::shared_ptr<const Rules> rules_;
};

std::string_view to_string(RuleKind k) noexcept;

}  // namespace yoyaku::accounts

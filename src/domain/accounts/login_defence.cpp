#include "domain/accounts/login_defence.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "core/text.hpp"
#include "domain/accounts/address_rule_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;

}  // namespace

std::string_view to_string(RuleKind k) noexcept {
    return k == RuleKind::block ? "block" : "allow";
}

std::optional<std::chrono::seconds> RateLimiter::take(const std::string& key, Instant now) {
    std::lock_guard lock(mu_);
    if (buckets_.size() > 100'000) {
        // Forget buckets that have refilled: they hold no information.
        std::erase_if(buckets_, [&](const auto& kv) {
            const double minutes = std::chrono::duration<double>(now - kv.second.at).count() / 60;
            return kv.second.tokens + minutes * per_minute_ >= burst_;
        });
    }
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
        const double minutes = std::chrono::duration<double>(now - b.at).count() / 60;
        b.tokens = std::min(burst_, b.tokens + std::max(0.0, minutes) * per_minute_);
        b.at = now;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return std::nullopt;
    }
    // A bucket that never refills (an allowance of none) answers a day: "not by waiting".
    if (per_minute_ <= 0) return std::chrono::seconds(86'400);
    const double wait_minutes = (1 - b.tokens) / per_minute_;
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(wait_minutes * 60)));
}

LoginDefence::LoginDefence(storage::Database& db, const Clock& clock, DefenceOptions options)
    : db_(db),
      clock_(clock),
      options_(options),
      by_address_(options.address_burst, options.address_per_minute),
      by_account_(options.account_burst, options.account_per_minute),
      bookings_(options.booking_burst, options.booking_per_minute),
      rules_(std::make_shared<Rules>()) {}

Result<void> LoginDefence::reload() {
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(auto live, db_.read_platform([&](Tx& tx) {
        return AddressRuleStore(tx).list_live(now);
    }));
    auto fresh = std::make_shared<Rules>(std::move(live));
    std::unique_lock lock(mu_);
    rules_ = std::move(fresh);
    return {};
}

std::shared_ptr<const LoginDefence::Rules> LoginDefence::snapshot() const {
    std::shared_lock lock(mu_);
    return rules_;
}

bool LoginDefence::covered(std::string_view address, RuleKind kind, bool automatic) const {
    auto a = net::parse_address(address);
    if (!a) return false;
    auto rules = snapshot();
    const Instant now = clock_.now();
    for (const auto& r : *rules)
        if (r.kind == kind && r.automatic == automatic && (!r.expires_at || *r.expires_at > now) &&
            r.cidr.contains(*a))
            return true;
    return false;
}

bool LoginDefence::allow_listed(std::string_view address) const {
    return covered(address, RuleKind::allow, false);
}

// On every request: one snapshot, one parse, and nothing at all while there are no rules.
bool LoginDefence::blocked(std::string_view address) const {
    auto rules = snapshot();
    if (rules->empty()) return false;
    auto a = net::parse_address(address);
    if (!a) return false;
    const Instant now = clock_.now();
    bool by_operator = false, automatic = false, allowed = false;
    for (const auto& r : *rules) {
        if ((r.expires_at && *r.expires_at <= now) || !r.cidr.contains(*a)) continue;
        if (r.kind == RuleKind::allow) {
            allowed = true;
        } else if (r.automatic) {
            automatic = true;
        } else {
            by_operator = true;
        }
    }
    return by_operator || (automatic && !allowed);
}

Result<void> LoginDefence::admit(std::string_view address, std::string_view account_key) {
    if (allow_listed(address)) return {};
    const Instant now = clock_.now();
    auto wait = by_address_.take(net::client_key(address), now);
    if (!wait) wait = by_account_.take(std::string(account_key), now);
    if (wait)
        return Error{
            Errc::rate_limited,
            "too many sign-in attempts; try again later",
            {},
            std::to_string(wait->count())};
    return {};
}

bool LoginDefence::free_booking(std::string_view address) {
    if (allow_listed(address)) return true;
    return !bookings_.take(net::client_key(address), clock_.now());
}

Result<void> LoginDefence::record(
    TenantId tenant, std::string_view subject, const audit::Origin& origin, std::string_view result
) {
    const Instant now = clock_.now();
    const bool exempt = allow_listed(origin.client_address);
    bool blocked_now = false;
    // Attempts are counted, and automatic blocks set, by the client's network (an IPv6 /64).
    const std::string client = net::client_key(origin.client_address);
    YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
        LoginAttemptStore attempts(tx);
        YOYAKU_TRY(attempts.insert(tenant, std::string(subject), client, now, std::string(result)));
        if (result == "success" || exempt || !net::parse_address(origin.client_address)) return {};
        YOYAKU_TRY_ASSIGN(
            const auto failed,
            attempts.count_failed_subjects(client, now - options_.stuffing_window)
        );
        if (failed < options_.stuffing_accounts) return {};
        const net::Cidr network = net::client_network(*net::parse_address(origin.client_address));
        AddressRuleStore rules(tx);
        YOYAKU_TRY_ASSIGN(
            const bool live, rules.automatic_block_live(net::to_string(network), now)
        );
        if (live) return {};
        YOYAKU_TRY(rules.insert(
            RuleKind::block,
            net::to_string(network),
            "failed sign-ins against many accounts",
            true,
            now,
            now + options_.block_duration
        ));
        YOYAKU_TRY(audit::append_platform(
            tx,
            {"system", "system"},
            origin,
            {"address.blocked",
             "address:" + net::to_string(network),
             "success",
             boost::json::serialize(boost::json::object{
                 {"automatic", true},
                 {"accounts", failed},
                 {"minutes", options_.block_duration.count()}})},
            now
        ));
        blocked_now = true;
        return {};
    }));
    if (blocked_now) return reload();
    return {};
}

Result<AddressRule> LoginDefence::add_rule(
    RuleKind kind,
    std::string_view cidr_text,
    std::string_view reason,
    std::optional<Instant> expires_at,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto cidr = net::parse_cidr(cidr_text);
    if (!cidr)
        return Error::invalid(
            "cidr", "must be an address or a range such as 192.0.2.0/24 or 2001:db8::/32"
        );
    auto why = text::check_line(reason, 1, 500);
    if (!why.value) return Error::invalid("reason", why.problem);
    const Instant now = clock_.now();
    if (expires_at && *expires_at <= now)
        return Error::invalid("expires_at", "must be in the future");
    auto id = db_.write_platform([&](Tx& tx) -> Result<AddressRuleId> {
        YOYAKU_TRY_ASSIGN(
            const auto made,
            AddressRuleStore(tx).insert(
                kind, net::to_string(*cidr), *why.value, false, now, expires_at
            )
        );
        YOYAKU_TRY(audit::append_platform(
            tx,
            actor,
            origin,
            {kind == RuleKind::block ? "address.blocked" : "address.allowed",
             "address:" + net::to_string(*cidr),
             "success",
             boost::json::serialize(boost::json::object{{"reason", *why.value}})},
            now
        ));
        return made;
    });
    if (!id) return fail(std::move(id).error());
    YOYAKU_TRY(reload());
    return AddressRule{*id, kind, *cidr, *why.value, false, now, expires_at};
}

Result<void> LoginDefence::remove_rule(
    AddressRuleId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto gone, AddressRuleStore(tx).remove(id));
        if (!gone) return Error::not_found("no such rule");
        YOYAKU_TRY(audit::append_platform(
            tx,
            actor,
            origin,
            {gone->first == RuleKind::block ? "address.unblocked" : "address.allow_removed",
             "address:" + gone->second},
            now
        ));
        return {};
    }));
    return reload();
}

std::vector<AddressRule> LoginDefence::rules() const {
    return *snapshot();
}

}  // namespace yoyaku::accounts

#pragma once
// A tenant's session, lockout, two-step and staff network settings (SPEC S3, S4, S7): read
// from tenant_settings with defaults, checked and written one key at a time.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/net.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access/permissions.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

/// Session and lockout settings for one tenant (tenant_settings keys in brackets).
struct SecurityPolicy {
    struct Timeouts {
        std::chrono::minutes idle;
        std::chrono::minutes absolute;
    };
    Timeouts operator_{std::chrono::minutes(15), std::chrono::hours(8)};
    Timeouts manager{std::chrono::minutes(30), std::chrono::hours(12)};  ///< [session.manager.*]
    Timeouts staff{std::chrono::minutes(30), std::chrono::hours(12)};    ///< [session.staff.*]
    Timeouts customer{std::chrono::hours(24), std::chrono::hours(24 * 30)};
    int lockout_threshold = 5;                  ///< [lockout.threshold] failures in a row
    std::chrono::minutes lockout_duration{15};  ///< [lockout.minutes]
    bool mfa_for_staff = false;  ///< [mfa.staff_required] staff must use two-step sign-in too
    /// [access.staff_networks] where managers and staff may sign in and work from; empty:
    /// anywhere. Customers are never limited.
    std::vector<net::Cidr> staff_networks;

    const Timeouts& for_role(access::Role r) const noexcept;
    /// False when `role` is limited to the staff networks and `address` is in none of them.
    bool admits(access::Role role, std::string_view address) const;
};

/// Reads the tenant's policy: defaults overridden by its settings. Keys:
/// session.<role>.idle_minutes, session.<role>.absolute_minutes, lockout.threshold,
/// lockout.minutes, mfa.staff_required, access.staff_networks.
Result<SecurityPolicy> load_policy(storage::Tx& tx, TenantId tenant);
/// "192.0.2.0/24, 2001:db8::/32" (commas or spaces) → ranges, at most 50. Errors:
/// invalid_input on "access.staff_networks" naming the entry that is not a range.
Result<std::vector<net::Cidr>> parse_networks(std::string_view text);
/// The ranges as stored and shown: "192.0.2.0/24, 2001:db8::/32".
std::string networks_text(const std::vector<net::Cidr>& networks);
/// Stores the staff networks (none: anywhere). Errors: invalid_input on
/// "access.staff_networks" when `caller` (the address of whoever sets them) is outside: a
/// manager does not lock themselves out.
Result<void> store_staff_networks(
    storage::Tx& tx,
    TenantId tenant,
    const std::vector<net::Cidr>& networks,
    std::string_view caller,
    Instant at
);
/// Writes one policy setting after range checks (idle 5 min–30 days, absolute ≥ idle and
/// ≤ 90 days, threshold 3–50, lockout 1–1440 min). Errors: invalid_input naming the key.
Result<void> store_policy_setting(
    storage::Tx& tx, TenantId tenant, std::string_view key, std::int64_t value, Instant at
);

}  // namespace yoyaku::accounts

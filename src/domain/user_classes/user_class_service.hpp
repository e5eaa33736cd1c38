#pragma once
// User classes (利用者区分, ADR 0012): the tenant's classes of customer and who is in which.
// The booking engine applies a member's class on its write path (UserClassStore::
// find_by_account, apply_class()).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "domain/user_classes/user_class.hpp"
#include "storage/database.hpp"

namespace yoyaku::user_classes {

/// Checks and normalises a class as given (name trimmed). Errors: invalid_input (name,
/// price_percent, opens_before_minutes).
Result<UserClass> check(UserClass in);

/// What a member's class does to an offering's booking window and prices.
struct Applied {
    int price_percent = 100;
    /// The window's opening (minutes before a start) when the class's opens earlier than the
    /// offering closes; otherwise the offering's stays.
    std::optional<int> opens_before_minutes;
};
/// `c` (none: a guest or a member without a class) applied to an offering whose window closes
/// `closes_before_minutes` before a start.
Applied apply_class(const std::optional<UserClass>& c, int closes_before_minutes);

/// `total` at `percent`, rounded down to the yen.
inline std::int64_t priced(std::int64_t total, int percent) {
    return total * percent / 100;
}

/// Every call is one transaction in the tenant's scope; changes are audited
/// (user_class.created/updated/deleted, account.user_class_changed). Blocking: call from the
/// worker pool.
/// The most tags one customer carries.
inline constexpr std::size_t kMaxTags = 20;

class UserClassService {
public:
    UserClassService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    Result<std::vector<UserClass>> list(TenantId tenant);
    /// Creates (no id) or replaces a class. Errors: invalid_input (name, price_percent,
    /// opens_before_minutes), not_found.
    Result<UserClass> save(
        TenantId tenant, const UserClass& in, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Its members keep no class. Errors: not_found.
    Result<void> remove(
        TenantId tenant, UserClassId id, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Customer account id → its class, for the customers that have one.
    Result<std::map<AccountId, UserClassId>> members(TenantId tenant);
    /// Puts a customer in a class (none: std::nullopt). Errors: not_found (no such customer),
    /// invalid_input on user_class_id.
    Result<void> assign(
        TenantId tenant,
        AccountId account,
        std::optional<UserClassId> id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

    /// Customer account id → its tags, for the customers that have any.
    Result<std::map<AccountId, std::vector<std::string>>> tags(TenantId tenant);
    /// Replaces a customer's tags (staff's labels for segment messages: "VIP", "常連"), each
    /// 1–40 characters on one line, at most kMaxTags, repeats dropped; returns them sorted.
    /// Audited. Errors: invalid_input on "tags" / "tags[i]"; not_found (no such customer).
    Result<std::vector<std::string>> set_tags(
        TenantId tenant,
        AccountId account,
        std::vector<std::string> tags,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::user_classes

#pragma once
// Support access (SPEC S12, issue: operator actions appear in the tenant's log): operators hold
// no tenant permission. To look into a tenant they open a grant with a reason, for at most four
// hours; while it lasts, their requests that name the tenant (header Yoyaku-Support-Tenant)
// see what its managers see, read-only. Opening and ending a grant are audited in the tenant's
// log and on the platform chain; the tenant's managers list the grants.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access/principal.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

inline constexpr std::chrono::minutes kLongestSupportGrant{240};

struct SupportGrant {
    SupportGrantId id;
    TenantId tenant{0};
    AccountId operator_id;
    std::string reason;
    Instant created_at{};
    Instant expires_at{};
    std::optional<Instant> ended_at;
    bool live(Instant now) const noexcept { return !ended_at && expires_at > now; }
};

class SupportService {
public:
    SupportService(storage::Database& db, const Clock& clock);

    /// Opens a grant for the operator `who` (ending a live one for the same tenant). Errors:
    /// invalid_input on reason (10–2000 characters) or minutes (5–240); not_found (tenant).
    Result<SupportGrant> open(
        const access::Principal& who,
        TenantId tenant,
        std::string_view reason,
        std::chrono::minutes length,
        const audit::Origin& origin
    );
    /// Ends the operator's live grant for the tenant. Errors: not_found when none is live.
    Result<void> end(const access::Principal& who, TenantId tenant, const audit::Origin& origin);
    /// The tenant's grants, newest first.
    Result<std::vector<SupportGrant>> list(TenantId tenant);
    /// The principal an operator acts as inside `tenant` under a live grant: a manager's view,
    /// read-only. Errors: forbidden when no grant is live or `who` is not an operator.
    Result<access::Principal> enter(const access::Principal& who, TenantId tenant);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::accounts

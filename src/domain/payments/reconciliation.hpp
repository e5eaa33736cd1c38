#pragma once
// The daily reconciliation (issue 25): what the provider's balance says was taken and given
// back on a local day, set against what Yoyaku recorded (payments confirmed through the
// provider, refunds asked of it). Every difference is a mismatch: money the provider took that
// no booking knows (a tampered amount, a payment made outside Yoyaku), a payment or refund
// Yoyaku recorded that the provider does not list, or an amount that differs. A day with
// mismatches is audited and mailed to the tenant's managers; each day's result is kept, and a
// manager may run a day again.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "crypto/keyring.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/audit/audit.hpp"
#include "domain/payments/payments.hpp"
#include "domain/payments/reconcile.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

/// How far around the day both sides are read.
inline constexpr std::chrono::hours kReconcileMargin{1};

struct Reconciliation {
    std::chrono::year_month_day day;
    std::string state;  ///< "ok", "mismatch", "failed" (the provider could not be asked)
    int checked = 0;    ///< the provider's movements of the day looked at
    std::vector<Mismatch> mismatches;
    std::string problem;  ///< why it failed
    Instant ran_at{};
};

class Reconciler {
public:
    Reconciler(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        Provider& provider,
        accounts::AccountService& accounts
    )
        : db_(db), keys_(keys), clock_(clock), provider_(provider), accounts_(accounts) {}

    /// Reconciles the tenant's local `day` (kept, replacing an earlier run of that day).
    /// Errors: unprocessable (no keys; a day not over yet).
    Result<Reconciliation> run(
        TenantId tenant,
        std::chrono::year_month_day day,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Yesterday, in each tenant's zone, for every active tenant with keys (the daily job).
    /// Returns how many tenants had a mismatch.
    Result<int> run_all();
    /// The tenant's last `limit` days reconciled, newest first.
    Result<std::vector<Reconciliation>> recent(TenantId tenant, int limit);

private:
    Result<Reconciliation> compare(TenantId tenant, std::chrono::year_month_day day);
    Result<void> keep(
        TenantId tenant,
        const Reconciliation& r,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    Provider& provider_;
    accounts::AccountService& accounts_;
};

}  // namespace yoyaku::payments

#include "domain/accounts/staff_scope_store.hpp"

#include <string>

namespace yoyaku::accounts {
namespace {

constexpr std::string_view kColumns = "account_id, resource_id, offering_id";

// Adds one row to the scope it belongs to.
void add_row(access::StaffScope& s, const storage::Row& r) {
    if (auto res = r.opt_id<ResourceId>("resource_id")) s.resources.push_back(*res);
    if (auto off = r.opt_id<OfferingId>("offering_id")) s.offerings.push_back(*off);
}

}  // namespace

Result<access::StaffScope> StaffScopeStore::find(AccountId account) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM staff_scopes WHERE tenant_id = $1 AND account_id = $2",
            stx_.tenant_id(),
            account
        )
    );
    access::StaffScope s;
    for (const auto& r : rows) add_row(s, r);
    s.normalise();
    return s;
}

Result<std::map<AccountId, access::StaffScope>> StaffScopeStore::list() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) + " FROM staff_scopes WHERE tenant_id = $1",
            stx_.tenant_id()
        )
    );
    std::map<AccountId, access::StaffScope> out;
    for (const auto& r : rows) add_row(out[r.id<AccountId>("account_id")], r);
    for (auto& [account, scope] : out) scope.normalise();
    return out;
}

Result<void> StaffScopeStore::replace(
    AccountId account, const access::StaffScope& scope, Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM staff_scopes WHERE tenant_id = $1 AND account_id = $2",
        stx_.tenant_id(),
        account
    ));
    const auto insert = [&](std::optional<ResourceId> r, std::optional<OfferingId> o) {
        return stx_.tx().exec(
            "INSERT INTO staff_scopes(tenant_id, account_id, resource_id, offering_id, created_at) VALUES ($1, $2, $3, $4, $5)",
            stx_.tenant_id(),
            account,
            r,
            o,
            to_micros(now)
        );
    };
    for (const auto r : scope.resources) YOYAKU_TRY(insert(r, std::nullopt));
    for (const auto o : scope.offerings) YOYAKU_TRY(insert(std::nullopt, o));
    return {};
}

}  // namespace yoyaku::accounts

#include "domain/staff_scopes/staff_scope_service.hpp"

#include <boost/json.hpp>
#include <string>

#include "domain/accounts/account_store.hpp"
#include "domain/accounts/staff_scope_store.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resources.hpp"

namespace yoyaku::staff_scopes {
namespace {

using storage::ScopedTx;

// The account is a staff member of the scoped tenant. Errors: not_found.
Result<void> check_staff(ScopedTx& stx, AccountId staff) {
    YOYAKU_TRY_ASSIGN(const auto role, accounts::AccountStore(stx).role_of(staff));
    if (role != "staff") return Error::not_found("no such staff member");
    return {};
}

// Every id names one of the scoped tenant's resources or offerings (archived ones too: a
// limit may outlive what it names). Errors: invalid_input naming the list entry.
Result<void> check_ids(ScopedTx& stx, const access::StaffScope& s) {
    for (std::size_t i = 0; i < s.resources.size(); ++i) {
        auto r = resources::load_resource(stx, s.resources[i]);
        if (!r && r.error().code != Errc::not_found) return fail(std::move(r).error());
        if (!r)
            return Error::invalid(
                "resource_ids[" + std::to_string(i) + "]", "no resource has this id"
            );
    }
    for (std::size_t i = 0; i < s.offerings.size(); ++i) {
        auto o = offerings::OfferingStore(stx).find_by_id(s.offerings[i]);
        if (!o && o.error().code != Errc::not_found) return fail(std::move(o).error());
        if (!o)
            return Error::invalid(
                "offering_ids[" + std::to_string(i) + "]", "no offering has this id"
            );
    }
    return {};
}

boost::json::object ids_json(const access::StaffScope& s) {
    boost::json::array resources, offerings;
    for (const auto r : s.resources) resources.emplace_back(r.value);
    for (const auto o : s.offerings) offerings.emplace_back(o.value);
    return {{"resource_ids", std::move(resources)}, {"offering_ids", std::move(offerings)}};
}

}  // namespace

Result<std::map<AccountId, access::StaffScope>> StaffScopeService::list(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) {
        return accounts::StaffScopeStore(stx).list();
    });
}

Result<access::StaffScope> StaffScopeService::find(TenantId tenant, AccountId staff) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<access::StaffScope> {
        YOYAKU_TRY(check_staff(stx, staff));
        return accounts::StaffScopeStore(stx).find(staff);
    });
}

Result<access::StaffScope> StaffScopeService::set(
    TenantId tenant,
    AccountId staff,
    access::StaffScope scope,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (scope.resources.size() + scope.offerings.size() > kMaxScope)
        return Error::invalid(
            "resource_ids",
            "at most " + std::to_string(kMaxScope) + " resources and offerings together"
        );
    const Instant now = clock_.now();
    return db_.write(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<access::StaffScope> {
            YOYAKU_TRY(check_staff(stx, staff));
            YOYAKU_TRY(check_ids(stx, scope));
            scope.normalise();
            accounts::StaffScopeStore store(stx);
            YOYAKU_TRY_ASSIGN(const auto before, store.find(staff));
            if (before == scope) return scope;
            YOYAKU_TRY(store.replace(staff, scope, now));
            YOYAKU_TRY(audit::append(
                stx,
                actor,
                origin,
                {"staff.scope_changed",
                 "account:" + to_string(staff),
                 "success",
                 boost::json::serialize(boost::json::object{
                     {"before", ids_json(before)}, {"after", ids_json(scope)}})},
                now
            ));
            return scope;
        }
    );
}

}  // namespace yoyaku::staff_scopes

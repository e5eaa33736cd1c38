#include "domain/accounts/support_service.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/support_grant_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;

std::string target(SupportGrantId id) {
    return "support_grant:" + to_string(id);
}

// The same entry in the tenant's log and on the platform chain.
Result<void> audit_both(
    Tx& tx,
    TenantId tenant,
    const access::Principal& who,
    const audit::Origin& origin,
    const audit::Event& event,
    Instant at
) {
    const audit::Actor actor{account_target(who.account_id), "operator"};
    auto platform = event;
    platform.target = "tenant:" + std::to_string(tenant.value) + "/" + event.target;
    YOYAKU_TRY(audit::append_platform(tx, actor, origin, platform, at));
    // The tenant's chain is only writable inside its scope (row-level security); then back.
    YOYAKU_TRY(tx.enter_scope(tenant));
    storage::ScopedTx scoped(tx, storage::TenantScope(tenant));
    YOYAKU_TRY(audit::append(scoped, actor, origin, event, at));
    return tx.enter_scope(kPlatform);
}

Error not_operator() {
    return Error{Errc::forbidden, "only operators use support access", {}, {}};
}

}  // namespace

SupportService::SupportService(storage::Database& db, const Clock& clock)
    : db_(db), clock_(clock) {}

Result<SupportGrant> SupportService::open(
    const access::Principal& who,
    TenantId tenant,
    std::string_view reason,
    std::chrono::minutes length,
    const audit::Origin& origin
) {
    if (who.role != access::Role::operator_ || who.tenant != kPlatform) return not_operator();
    auto text = text::check_line(reason, 10, 2000);
    if (!text.value) return Error::invalid("reason", text.problem);
    if (length < std::chrono::minutes(5) || length > kLongestSupportGrant)
        return Error::invalid("minutes", "must be 5 to 240");
    const Instant now = clock_.now();
    return db_.write_platform([&](Tx& tx) -> Result<SupportGrant> {
        YOYAKU_TRY(tenants::PlatformTenantStore(tx).find_by_id(tenant));
        SupportGrantStore grants(tx);
        YOYAKU_TRY(grants.update_ended(tenant, who.account_id, now));
        YOYAKU_TRY_ASSIGN(
            auto g, grants.insert(tenant, who.account_id, *text.value, now, now + length)
        );
        YOYAKU_TRY(audit_both(
            tx,
            tenant,
            who,
            origin,
            {"support_access.opened",
             target(g.id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"reason", g.reason}, {"minutes", length.count()}})},
            now
        ));
        return g;
    });
}

Result<void> SupportService::end(
    const access::Principal& who, TenantId tenant, const audit::Origin& origin
) {
    if (who.role != access::Role::operator_ || who.tenant != kPlatform) return not_operator();
    const Instant now = clock_.now();
    return db_.write_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            const auto ended, SupportGrantStore(tx).update_ended(tenant, who.account_id, now)
        );
        if (ended.empty()) return Error::not_found("no live support access to this tenant");
        for (const auto id : ended)
            YOYAKU_TRY(
                audit_both(tx, tenant, who, origin, {"support_access.ended", target(id)}, now)
            );
        return {};
    });
}

Result<std::vector<SupportGrant>> SupportService::list(TenantId tenant) {
    return db_.read_platform([&](Tx& tx) -> Result<std::vector<SupportGrant>> {
        return SupportGrantStore(tx).list(tenant);
    });
}

Result<access::Principal> SupportService::enter(const access::Principal& who, TenantId tenant) {
    if (who.role != access::Role::operator_ || who.tenant != kPlatform || who.token_id.valid())
        return not_operator();
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(const auto row, db_.read_platform([&](Tx& tx) {
        return SupportGrantStore(tx).find_live(tenant, who.account_id, now);
    }));
    if (!row)
        return Error{
            Errc::forbidden, "no live support access to this tenant", "Yoyaku-Support-Tenant", {}};
    access::Principal p = who;
    p.role = access::Role::manager;
    p.tenant = tenant;
    p.support_grant_id = row->id;
    p.tenant_read_only = true;  // support looks; the tenant's own people change things
    p.tenant_export_only = row->tenant_status == "terminated";
    return p;
}

}  // namespace yoyaku::accounts

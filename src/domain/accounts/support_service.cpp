#include "domain/accounts/support_service.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/accounts/account_service.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Row;
using storage::Tx;

constexpr std::string_view kColumns =
    "id, tenant_id, operator_id, reason, created_at, expires_at, ended_at";

SupportGrant from_row(const Row& r) {
    SupportGrant g;
    g.id = r.i64(0);
    g.tenant = TenantId{r.i64(1)};
    g.operator_id = r.i64(2);
    g.reason = r.text(3);
    g.created_at = from_micros(r.i64(4));
    g.expires_at = from_micros(r.i64(5));
    if (!r.is_null(6)) g.ended_at = from_micros(r.i64(6));
    return g;
}

std::string target(std::int64_t id) {
    return "support_grant:" + std::to_string(id);
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
        auto exists = tx.query("SELECT 1 FROM tenants WHERE id = $1", tenant.value);
        if (!exists) return fail(std::move(exists).error());
        if (exists->empty()) return Error::not_found("no such tenant");
        YOYAKU_TRY(tx.exec(
            "UPDATE support_grants SET ended_at = $3 WHERE tenant_id = $1 AND operator_id = $2 "
            "AND ended_at IS NULL AND expires_at > $3",
            tenant.value,
            who.account_id,
            to_micros(now)
        ));
        auto row = tx.query_one(
            "INSERT INTO support_grants(tenant_id, operator_id, reason, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5) RETURNING " +
                std::string(kColumns),
            tenant.value,
            who.account_id,
            *text.value,
            to_micros(now),
            to_micros(now + length)
        );
        if (!row) return fail(std::move(row).error());
        auto g = from_row(*row);
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
        auto rows = tx.query(
            "UPDATE support_grants SET ended_at = $3 WHERE tenant_id = $1 AND operator_id = $2 "
            "AND ended_at IS NULL AND expires_at > $3 RETURNING id",
            tenant.value,
            who.account_id,
            to_micros(now)
        );
        if (!rows) return fail(std::move(rows).error());
        if (rows->empty()) return Error::not_found("no live support access to this tenant");
        for (const auto& r : *rows)
            YOYAKU_TRY(
                audit_both(tx, tenant, who, origin, {"support_access.ended", target(r.i64(0))}, now)
            );
        return {};
    });
}

Result<std::vector<SupportGrant>> SupportService::list(TenantId tenant) {
    return db_.read_platform([&](Tx& tx) -> Result<std::vector<SupportGrant>> {
        auto rows = tx.query(
            "SELECT " + std::string(kColumns) +
                " FROM support_grants WHERE tenant_id = $1 ORDER BY id DESC",
            tenant.value
        );
        if (!rows) return fail(std::move(rows).error());
        std::vector<SupportGrant> out;
        for (const auto& r : *rows) out.push_back(from_row(r));
        return out;
    });
}

Result<access::Principal> SupportService::enter(const access::Principal& who, TenantId tenant) {
    if (who.role != access::Role::operator_ || who.tenant != kPlatform || who.token_id != 0)
        return not_operator();
    const Instant now = clock_.now();
    auto row = db_.read_platform([&](Tx& tx) -> Result<Row> {
        return tx.query_one(
            "SELECT g.id, t.status FROM support_grants g JOIN tenants t ON t.id = g.tenant_id "
            "WHERE g.tenant_id = $1 AND g.operator_id = $2 AND g.ended_at IS NULL AND "
            "g.expires_at > $3 ORDER BY g.id DESC LIMIT 1",
            tenant.value,
            who.account_id,
            to_micros(now)
        );
    });
    if (!row) {
        if (row.error().code == Errc::not_found)
            return Error{
                Errc::forbidden,
                "no live support access to this tenant",
                "Yoyaku-Support-Tenant",
                {}};
        return fail(std::move(row).error());
    }
    access::Principal p = who;
    p.role = access::Role::manager;
    p.tenant = tenant;
    p.support_grant_id = row->i64(0);
    p.tenant_read_only = true;  // support looks; the tenant's own people change things
    p.tenant_export_only = row->text(1) == "terminated";
    return p;
}

}  // namespace yoyaku::accounts

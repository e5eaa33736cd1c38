#include "domain/retention/retention.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "domain/accounts/sign_in_leftover_store.hpp"
#include "domain/audit/audit.hpp"
#include "domain/audit/audit_store.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "storage/catalog.hpp"

namespace yoyaku::retention {
namespace {

using storage::ScopedTx;
using storage::Tx;

using Lifecycle = tenants::PlatformTenantStore::Lifecycle;

// The tables that carry a tenant_id, children before the tables they reference, so deleting
// in this order never trips a foreign key.
Result<std::vector<std::string>> tenant_tables(Tx& tx) {
    YOYAKU_TRY_ASSIGN(const auto cols, storage::tables_with_column(tx, "tenant_id"));
    YOYAKU_TRY_ASSIGN(const auto fks, storage::foreign_keys(tx));
    std::set<std::string> left(cols.begin(), cols.end());
    std::multimap<std::string, std::string> references;  // child → parent
    for (const auto& [child, parent] : fks)
        if (child != parent) references.emplace(child, parent);
    std::vector<std::string> order;
    while (!left.empty()) {
        // A table no remaining table references goes next.
        auto next = std::find_if(left.begin(), left.end(), [&](const std::string& t) {
            return std::none_of(references.begin(), references.end(), [&](const auto& e) {
                return e.second == t && e.first != t && left.count(e.first);
            });
        });
        if (next == left.end()) return Error::internal("tenant tables reference each other");
        order.push_back(*next);
        left.erase(next);
    }
    return order;
}

// Deletes (or counts) every row of the tenant, its audit chain included.
Result<std::int64_t> purge_rows(ScopedTx& stx, bool dry_run) {
    auto& tx = stx.tx();
    const auto t = stx.tenant_id();
    YOYAKU_TRY_ASSIGN(const auto tables, tenant_tables(tx));
    std::int64_t rows = 0;
    for (const auto& table : tables) {
        YOYAKU_TRY_ASSIGN(
            const auto n,
            dry_run ? storage::count_tenant_rows(tx, table, t)
                    : storage::delete_tenant_rows(tx, table, t)
        );
        rows += n;
    }
    if (!dry_run) YOYAKU_TRY(audit::link_waiting(stx));  // an unlinked entry cannot go
    audit::AuditChainStore chain(tx, t);
    YOYAKU_TRY_ASSIGN(const auto entries, chain.count());
    rows += entries;
    if (dry_run) return rows;
    YOYAKU_TRY_ASSIGN(const auto head, chain.find_head());
    // The whole chain goes: its anchor first (deletion below an anchor is the only kind the
    // audit log allows), then the entries, then head and anchor.
    if (head && head->seq > 0) YOYAKU_TRY(chain.upsert_anchor(*head, 0));
    YOYAKU_TRY(chain.remove_all());
    return rows;
}

const audit::Actor kSystem{"retention", "system"};

Result<void> platform_audit(
    storage::Database& db, const char* action, const Lifecycle& t, std::string details, Instant now
) {
    return db.write_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            auto e,
            audit::append_platform(
                tx,
                kSystem,
                {},
                {action, "tenant:" + std::to_string(t.id.value), "success", std::move(details)},
                now
            )
        );
        return {};
    });
}

// Deletes the chain's entries older than `cutoff`, keeping an anchor; records it.
Result<std::int64_t> prune_audit(
    Tx& tx, TenantId chain_id, Instant cutoff, Instant now, bool dry_run
) {
    audit::AuditChainStore chain(tx, chain_id);
    YOYAKU_TRY_ASSIGN(const auto last, chain.find_last_before(cutoff));
    if (!last) return 0;
    YOYAKU_TRY_ASSIGN(const auto n, chain.count_up_to(last->seq));
    if (dry_run || n == 0) return n;
    YOYAKU_TRY(chain.upsert_anchor(*last, to_micros(now)));
    return chain.remove_up_to(last->seq);
}

// Expired sign-in leftovers of one tenant (or the platform's, tenant 0).
Result<std::vector<Step>> expired(
    Tx& tx, TenantId tenant, const std::string& code, Instant now, const Policy& p, bool dry_run
) {
    YOYAKU_TRY_ASSIGN(
        const auto swept,
        accounts::SignInLeftoverStore(tx, tenant).sweep(now, now - p.login_attempts, dry_run)
    );
    std::vector<Step> out;
    for (const auto& k : swept) out.push_back({k.kind, code, k.rows});
    return out;
}

}  // namespace

std::int64_t Report::count(std::string_view what) const {
    std::int64_t n = 0;
    for (const auto& s : steps)
        if (s.what == what) n += s.count;
    return n;
}

namespace {

// Terminated tenants: their rows purged on day 30, their key destroyed on day 37.
Result<void> end_terminated(
    storage::Database& db,
    crypto::Keyring& keys,
    const std::vector<Lifecycle>& all,
    Instant now,
    const Policy& policy,
    bool dry_run,
    Report& report
) {
    for (const auto& t : all) {
        if (t.status != tenants::Status::terminated || !t.terminated_at) continue;
        if (!t.purged_at && *t.terminated_at + policy.purge_after <= now) {
            auto rows =
                db.write(storage::TenantScope(t.id), [&](ScopedTx& stx) -> Result<std::int64_t> {
                    auto n = purge_rows(stx, dry_run);
                    if (!n || dry_run) return n;
                    YOYAKU_TRY(tenants::PlatformTenantStore(stx.tx()).update_purged(t.id, now));
                    return n;
                });
            if (!rows) return fail(std::move(rows).error());
            report.steps.push_back({"tenant.purged", t.code, *rows});
            if (!dry_run)
                YOYAKU_TRY(platform_audit(
                    db, "tenant.purged", t, "{\"rows\":" + std::to_string(*rows) + "}", now
                ));
        }
        const bool purged =
            t.purged_at || (!dry_run && *t.terminated_at + policy.purge_after <= now);
        if (purged && !t.key_destroyed_at && *t.terminated_at + policy.destroy_key_after <= now) {
            report.steps.push_back({"tenant.key_destroyed", t.code, 1});
            if (dry_run) continue;
            YOYAKU_TRY(keys.destroy(t.id));
            YOYAKU_TRY(db.write_platform([&](Tx& tx) -> Result<void> {
                YOYAKU_TRY(tenants::PlatformTenantStore(tx).update_key_destroyed(t.id, now));
                YOYAKU_TRY_ASSIGN(
                    auto e,
                    audit::append_platform(
                        tx,
                        kSystem,
                        {},
                        {"tenant.key_destroyed", "tenant:" + std::to_string(t.id.value)},
                        now
                    )
                );
                return {};
            }));
        }
    }
    return {};
}

// Audit entries past their time, and expired sign-in leftovers, chain by chain.
Result<void> prune_chains(
    storage::Database& db,
    const std::vector<Lifecycle>& all,
    Instant now,
    const Policy& policy,
    bool dry_run,
    Report& report
) {
    std::vector<std::pair<TenantId, std::string>> chains{{TenantId{0}, ""}};
    for (const auto& t : all)
        if (!t.purged_at) chains.emplace_back(t.id, t.code);
    for (const auto& chain : chains) {
        const auto& id = chain.first;  // named, not bound: the lambdas below capture them
        const auto& code = chain.second;
        const Instant cutoff = now - policy.audit;
        // One chain's clean-up, inside its own transaction; `record` appends to that chain.
        auto clean = [&](Tx& tx, auto record) -> Result<std::vector<Step>> {
            auto out = expired(tx, id, code, now, policy, dry_run);
            if (!out) return out;
            YOYAKU_TRY_ASSIGN(auto n, prune_audit(tx, id, cutoff, now, dry_run));
            if (n == 0) return out;
            out->push_back({"audit", code, n});
            if (dry_run) return out;
            const audit::Event e{
                "audit.pruned",
                "audit:" + std::to_string(id.value),
                "success",
                "{\"entries\":" + std::to_string(n) + "}"};
            YOYAKU_TRY_ASSIGN(auto appended, record(e));
            return out;
        };
        auto got = id.value == 0 ? db.write_platform([&](Tx& tx) {
            return clean(tx, [&](const audit::Event& e) {
                return audit::append_platform(tx, kSystem, {}, e, now);
            });
        })
                                 : db.write(storage::TenantScope(id), [&](ScopedTx& stx) {
                                       return clean(stx.tx(), [&](const audit::Event& e) {
                                           return audit::append(stx, kSystem, {}, e, now);
                                       });
                                   });
        if (!got) return fail(std::move(got).error());
        report.steps.insert(report.steps.end(), got->begin(), got->end());
    }
    return {};
}

}  // namespace

Result<Report> run(
    storage::Database& db, crypto::Keyring& keys, Instant now, const Policy& policy, bool dry_run
) {
    Report report;
    report.dry_run = dry_run;
    auto all =
        db.read_platform([](Tx& tx) { return tenants::PlatformTenantStore(tx).list_lifecycles(); });
    if (!all) return fail(std::move(all).error());
    YOYAKU_TRY(end_terminated(db, keys, *all, now, policy, dry_run, report));
    YOYAKU_TRY(prune_chains(db, *all, now, policy, dry_run, report));
    if (!dry_run) {
        YOYAKU_TRY_ASSIGN(auto n, jobs::purge_finished(db, now, policy.finished_jobs));
        if (n > 0) report.steps.push_back({"finished_jobs", "", n});
    }
    return report;
}

}  // namespace yoyaku::retention

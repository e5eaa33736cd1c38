#include "domain/retention/retention.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "storage/catalog.hpp"

namespace yoyaku::retention {
namespace {

using storage::ScopedTx;
using storage::Tx;

struct TenantRow {
    TenantId id{0};
    std::string code;
    std::string status;
    std::optional<Instant> terminated_at, purged_at, key_destroyed_at;
};

std::optional<Instant> time_of(const storage::Row& r, std::size_t i) {
    if (r.is_null(i)) return std::nullopt;
    return from_micros(r.i64(i));
}

Result<std::vector<TenantRow>> tenants(storage::Database& db) {
    return db.read_platform([](Tx& tx) -> Result<std::vector<TenantRow>> {
        auto rows = tx.query(
            "SELECT id, code, status, terminated_at, purged_at, key_destroyed_at FROM tenants "
            "ORDER BY id"
        );
        if (!rows) return fail(std::move(rows).error());
        std::vector<TenantRow> out;
        for (const auto& r : *rows)
            out.push_back(
                {TenantId{r.i64(0)},
                 r.text(1),
                 r.text(2),
                 time_of(r, 3),
                 time_of(r, 4),
                 time_of(r, 5)}
            );
        return out;
    });
}

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
    const auto t = stx.tenant_id().value;
    auto tables = tenant_tables(tx);
    if (!tables) return fail(std::move(tables).error());
    std::int64_t rows = 0;
    for (const auto& table : *tables) {
        if (dry_run) {
            auto n = tx.query_one("SELECT count(*) FROM " + table + " WHERE tenant_id = $1", t);
            if (!n) return fail(std::move(n).error());
            rows += n->i64(0);
        } else {
            auto n = tx.exec("DELETE FROM " + table + " WHERE tenant_id = $1", t);
            if (!n) return fail(std::move(n).error());
            rows += *n;
        }
    }
    auto entries = tx.query_one("SELECT count(*) FROM audit_log WHERE chain = $1", t);
    if (!entries) return fail(std::move(entries).error());
    rows += entries->i64(0);
    if (dry_run) return rows;
    auto head = tx.query("SELECT seq, hash FROM audit_heads WHERE chain = $1", t);
    if (!head) return fail(std::move(head).error());
    if (!head->empty() && head->front().i64(0) > 0) {
        // The whole chain goes: its anchor first (deletion below an anchor is the only kind
        // the audit log allows), then the entries, then head and anchor.
        YOYAKU_TRY(tx.exec(
            "INSERT INTO audit_anchors(chain, seq, hash, at) VALUES ($1, $2, $3, 0) ON CONFLICT "
            "(chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            t,
            head->front().i64(0),
            head->front().text(1)
        ));
        YOYAKU_TRY(tx.exec("DELETE FROM audit_log WHERE chain = $1", t));
    }
    YOYAKU_TRY(tx.exec("DELETE FROM audit_anchors WHERE chain = $1", t));
    YOYAKU_TRY(tx.exec("DELETE FROM audit_heads WHERE chain = $1", t));
    return rows;
}

const audit::Actor kSystem{"retention", "system"};

Result<void> platform_audit(
    storage::Database& db, const char* action, const TenantRow& t, std::string details, Instant now
) {
    return db.write_platform([&](Tx& tx) -> Result<void> {
        auto e = audit::append_platform(
            tx,
            kSystem,
            {},
            {action, "tenant:" + std::to_string(t.id.value), "success", std::move(details)},
            now
        );
        if (!e) return fail(std::move(e).error());
        return {};
    });
}

// Deletes the chain's entries older than `cutoff`, keeping an anchor; records it.
Result<std::int64_t> prune_audit(
    Tx& tx, std::int64_t chain, Instant cutoff, Instant now, bool dry_run
) {
    auto last = tx.query(
        "SELECT seq, hash FROM audit_log WHERE chain = $1 AND at < $2 ORDER BY seq DESC LIMIT 1",
        chain,
        to_micros(cutoff)
    );
    if (!last) return fail(std::move(last).error());
    if (last->empty()) return 0;
    const auto seq = last->front().i64(0);
    auto n =
        tx.query_one("SELECT count(*) FROM audit_log WHERE chain = $1 AND seq <= $2", chain, seq);
    if (!n) return fail(std::move(n).error());
    if (dry_run || n->i64(0) == 0) return n->i64(0);
    YOYAKU_TRY(tx.exec(
        "INSERT INTO audit_anchors(chain, seq, hash, at) VALUES ($1, $2, $3, $4) ON CONFLICT "
        "(chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at",
        chain,
        seq,
        last->front().text(1),
        to_micros(now)
    ));
    auto gone = tx.exec("DELETE FROM audit_log WHERE chain = $1 AND seq <= $2", chain, seq);
    if (!gone) return fail(std::move(gone).error());
    return *gone;
}

// Expired sign-in leftovers of one tenant (or the platform's, tenant 0).
Result<std::vector<Step>> expired(
    Tx& tx, std::int64_t tenant, const std::string& code, Instant now, const Policy& p, bool dry_run
) {
    const auto at = to_micros(now);
    const struct {
        const char* what;
        const char* table;
        const char* where;
        std::int64_t before;
    } kinds[] = {
        {"sessions", "sessions", "(idle_expires_at < $2 OR absolute_expires_at < $2)", at},
        {"account_tokens", "account_tokens", "expires_at < $2", at},
        {"mfa_challenges", "mfa_challenges", "expires_at < $2", at},
        {"login_attempts", "login_attempts", "at < $2", to_micros(now - p.login_attempts)},
    };
    std::vector<Step> out;
    for (const auto& k : kinds) {
        const std::string where =
            std::string(" FROM ") + k.table + " WHERE tenant_id = $1 AND " + k.where;
        std::int64_t n = 0;
        if (dry_run) {
            auto r = tx.query_one("SELECT count(*)" + where, tenant, k.before);
            if (!r) return fail(std::move(r).error());
            n = r->i64(0);
        } else {
            auto r = tx.exec("DELETE" + where, tenant, k.before);
            if (!r) return fail(std::move(r).error());
            n = *r;
        }
        if (n > 0) out.push_back({k.what, code, n});
    }
    return out;
}

}  // namespace

std::int64_t Report::count(std::string_view what) const {
    std::int64_t n = 0;
    for (const auto& s : steps)
        if (s.what == what) n += s.count;
    return n;
}

Result<Report> run(
    storage::Database& db, crypto::Keyring& keys, Instant now, const Policy& policy, bool dry_run
) {
    Report report;
    report.dry_run = dry_run;
    auto all = tenants(db);
    if (!all) return fail(std::move(all).error());
    for (const auto& t : *all) {
        if (t.status != "terminated" || !t.terminated_at) continue;
        if (!t.purged_at && *t.terminated_at + policy.purge_after <= now) {
            auto rows =
                db.write(storage::TenantScope(t.id), [&](ScopedTx& stx) -> Result<std::int64_t> {
                    auto n = purge_rows(stx, dry_run);
                    if (!n || dry_run) return n;
                    YOYAKU_TRY(stx.tx().exec(
                        "UPDATE tenants SET purged_at = $2 WHERE id = $1",
                        t.id.value,
                        to_micros(now)
                    ));
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
                YOYAKU_TRY(tx.exec(
                    "UPDATE tenants SET key_destroyed_at = $2 WHERE id = $1",
                    t.id.value,
                    to_micros(now)
                ));
                auto e = audit::append_platform(
                    tx,
                    kSystem,
                    {},
                    {"tenant.key_destroyed", "tenant:" + std::to_string(t.id.value)},
                    now
                );
                if (!e) return fail(std::move(e).error());
                return {};
            }));
        }
    }
    // Audit entries past their time, and expired sign-in leftovers, chain by chain.
    std::vector<std::pair<TenantId, std::string>> chains{{TenantId{0}, ""}};
    for (const auto& t : *all)
        if (!t.purged_at) chains.emplace_back(t.id, t.code);
    for (const auto& chain : chains) {
        const auto& id = chain.first;  // named, not bound: the lambdas below capture them
        const auto& code = chain.second;
        const Instant cutoff = now - policy.audit;
        // One chain's clean-up, inside its own transaction; `record` appends to that chain.
        auto clean = [&](Tx& tx, auto record) -> Result<std::vector<Step>> {
            auto out = expired(tx, id.value, code, now, policy, dry_run);
            if (!out) return out;
            auto n = prune_audit(tx, id.value, cutoff, now, dry_run);
            if (!n) return fail(std::move(n).error());
            if (*n == 0) return out;
            out->push_back({"audit", code, *n});
            if (dry_run) return out;
            const audit::Event e{
                "audit.pruned",
                "audit:" + std::to_string(id.value),
                "success",
                "{\"entries\":" + std::to_string(*n) + "}"};
            auto appended = record(e);
            if (!appended) return fail(std::move(appended).error());
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
    if (!dry_run) {
        auto n = jobs::purge_finished(db, now, policy.finished_jobs);
        if (!n) return fail(std::move(n).error());
        if (*n > 0) report.steps.push_back({"finished_jobs", "", *n});
    }
    return report;
}

}  // namespace yoyaku::retention

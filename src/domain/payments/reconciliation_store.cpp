#include "domain/payments/reconciliation_store.hpp"

namespace yoyaku::payments {

Result<void> ReconciliationStore::upsert(const ReconciliationRow& r) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO reconciliations(tenant_id, day, state, checked, mismatches, problem, ran_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, day) DO UPDATE SET state = excluded.state, checked = excluded.checked, mismatches = excluded.mismatches, problem = excluded.problem, ran_at = excluded.ran_at",
        stx_.tenant_id(),
        r.day,
        r.state,
        r.checked,
        r.mismatches,
        r.problem,
        to_micros(r.ran_at)
    ));
    return {};
}

Result<std::vector<ReconciliationRow>> ReconciliationStore::recent(int limit) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT day, state, checked, mismatches, problem, ran_at FROM reconciliations WHERE tenant_id = $1 ORDER BY day DESC LIMIT $2",
            stx_.tenant_id(),
            static_cast<std::int64_t>(limit)
        )
    );
    std::vector<ReconciliationRow> out;
    for (const auto& r : rows)
        out.push_back(
            {r.text("day"),
             r.text("state"),
             r.i64("checked"),
             r.text("mismatches"),
             r.text("problem"),
             from_micros(r.i64("ran_at"))}
        );
    return out;
}

}  // namespace yoyaku::payments

#pragma once
// The `reconciliations` table: each local day reconciled with the provider, what came of it
// (state, how many movements were looked at, the mismatches as JSON) and when.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

struct ReconciliationRow {
    std::string day;  ///< "YYYY-MM-DD"
    std::string state;
    std::int64_t checked = 0;
    std::string mismatches;  ///< a JSON array
    std::string problem;
    Instant ran_at{};
};

class ReconciliationStore {
public:
    explicit ReconciliationStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Keeps the day's result, replacing an earlier one.
    Result<void> upsert(const ReconciliationRow& row);
    /// The last `limit` days, newest first.
    Result<std::vector<ReconciliationRow>> recent(int limit);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::payments

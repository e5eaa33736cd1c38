#pragma once
// The rows of any declared sealed column (SealedColumn), read and written the one way for every
// table: key rotation (domain/rekey) walks them without knowing the tables.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::storage {

/// One row's sealed value with what re-sealing it needs.
struct SealedRow {
    std::int64_t row = 0;     ///< the table's id
    std::string sealed;       ///< the sealed bytes
    std::string email_index;  ///< the row's blind index (empty when the column has none)
    std::string extra;        ///< the column's `extra` expression for this row
};

/// Up to `limit` rows of `tenant` with a value in `c`, after row id `after`, by id.
Result<std::vector<SealedRow>> list_sealed_rows(
    Tx& tx, const SealedColumn& c, TenantId tenant, std::int64_t after, int limit
);

/// Writes `fresh` (and a new index, when given) into the row, only if it still holds `was`
/// (a concurrent change wins). Returns whether it was written.
Result<bool> update_sealed_row(
    Tx& tx,
    const SealedColumn& c,
    TenantId tenant,
    std::int64_t row,
    const std::string& was,
    const std::string& fresh,
    const std::optional<std::string>& index
);

}  // namespace yoyaku::storage

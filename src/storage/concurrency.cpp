#include "storage/concurrency.hpp"

namespace yoyaku::storage {

bool writers_run_one_at_a_time(const Tx& tx) noexcept {
    return tx.backend() == Backend::sqlite;
}

Result<void> lock_name(Tx& tx, std::int32_t space, std::int64_t id) {
    if (writers_run_one_at_a_time(tx)) return {};
    YOYAKU_TRY(
        tx.query("SELECT pg_advisory_xact_lock($1::integer, $2::integer)", std::int64_t{space}, id)
    );
    return {};
}

}  // namespace yoyaku::storage

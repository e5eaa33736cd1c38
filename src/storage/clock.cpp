#include "storage/clock.hpp"

namespace yoyaku::storage {

Result<std::optional<std::chrono::milliseconds>> clock_offset(Database& db) {
    using namespace std::chrono;
    if (db.backend() != Backend::postgres) return std::optional<milliseconds>{};
    const auto before = system_clock::now();
    YOYAKU_TRY_ASSIGN(auto row, db.read_platform([](Tx& tx) {
        return tx.query_one(
            "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS bigint) AS ms"
        );
    }));
    const auto after = system_clock::now();
    const auto middle = before + (after - before) / 2;
    const auto local = duration_cast<milliseconds>(middle.time_since_epoch());
    return std::optional<milliseconds>{milliseconds(row.i64("ms")) - local};
}

}  // namespace yoyaku::storage

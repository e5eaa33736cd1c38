#include "storage/archiving.hpp"

namespace yoyaku::storage {

Result<std::optional<WalArchiving>> wal_archiving(Database& db) {
    if (db.backend() != Backend::postgres) return std::optional<WalArchiving>{};
    YOYAKU_TRY_ASSIGN(auto row, db.read_platform([](Tx& tx) {
        return tx.query_one(
            "SELECT CASE WHEN current_setting('archive_mode') IN ('on', 'always') THEN 1 ELSE 0 "
            "END AS archiving, CASE WHEN s.last_failed_time IS NOT NULL AND (s.last_archived_time "
            "IS NULL OR s.last_failed_time > s.last_archived_time) THEN 1 ELSE 0 END AS failing, "
            "CAST(floor(extract(epoch FROM s.last_archived_time) * 1000000) AS bigint) AS "
            "archived_us FROM pg_stat_archiver s"
        );
    }));
    WalArchiving w;
    w.on = row.i64("archiving") == 1;
    w.failing = row.i64("failing") == 1;
    if (!row.is_null("archived_us")) w.last_archived = from_micros(row.i64("archived_us"));
    return std::optional<WalArchiving>{w};
}

}  // namespace yoyaku::storage

#include "domain/line/line_event_store.hpp"

namespace yoyaku::line {

Result<bool> LineEventStore::record(const std::string& id, const std::string& type, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "INSERT INTO line_events (tenant_id, event_id, type, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, event_id) DO NOTHING",
            stx_.tenant_id(),
            id,
            type,
            to_micros(now)
        )
    );
    return n > 0;
}

Result<std::int64_t> LineEventStore::count(const std::string& type) {
    YOYAKU_TRY_ASSIGN(
        const auto r,
        stx_.tx().query_one(
            "SELECT count(*) AS n FROM line_events WHERE tenant_id = $1 AND type = $2",
            stx_.tenant_id(),
            type
        )
    );
    return r.i64("n");
}

}  // namespace yoyaku::line

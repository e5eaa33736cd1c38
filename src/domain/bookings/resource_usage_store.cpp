#include "domain/bookings/resource_usage_store.hpp"

namespace yoyaku::bookings {

Result<void> ResourceUsageStore::add(
    ResourceId resource, std::int64_t from, std::int64_t to, int quantity
) {
    YOYAKU_TRY(stx_.tx().exec(
        "WITH RECURSIVE b(n) AS (SELECT CAST($3 AS bigint) UNION ALL SELECT n + 1 FROM b WHERE n + 1 < $4) INSERT INTO resource_usage(tenant_id, resource_id, bucket, used) SELECT $1, $2, n, $5 FROM b WHERE true ORDER BY n ON CONFLICT (tenant_id, resource_id, bucket) DO UPDATE SET used = resource_usage.used + excluded.used",
        stx_.tenant_id(),
        resource,
        from,
        to,
        quantity
    ));
    return {};
}

Result<bool> ResourceUsageStore::any_over(
    ResourceId resource, std::int64_t from, std::int64_t to, int units
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT bucket FROM resource_usage WHERE tenant_id = $1 AND resource_id = $2 AND bucket >= $3 AND bucket < $4 AND used > $5 LIMIT 1",
            stx_.tenant_id(),
            resource,
            from,
            to,
            units
        )
    );
    return !rows.empty();
}

Result<int> ResourceUsageStore::most_used(ResourceId resource, std::int64_t from, std::int64_t to) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "SELECT coalesce(max(used), 0) AS most FROM resource_usage WHERE tenant_id = $1 AND resource_id = $2 AND bucket >= $3 AND bucket < $4",
            stx_.tenant_id(),
            resource,
            from,
            to
        )
    );
    return static_cast<int>(row.i64("most"));
}

Result<void> ResourceUsageStore::subtract(
    ResourceId resource, std::int64_t from, std::int64_t to, int quantity
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE resource_usage SET used = used - $5 WHERE tenant_id = $1 AND resource_id = $2 AND bucket >= $3 AND bucket < $4",
        stx_.tenant_id(),
        resource,
        from,
        to,
        quantity
    ));
    return {};
}

}  // namespace yoyaku::bookings

#include "domain/bookings/reports/office_report_store.hpp"

namespace yoyaku::bookings {

Result<std::vector<ClassRevenue>> OfficeReportStore::list_revenue_by_class(
    Instant from, Instant to
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT coalesce(c.name, '') AS class_name, count(*) AS n, CAST(coalesce(sum(b.total_jpy), 0) AS bigint) AS total FROM bookings b LEFT JOIN accounts a ON a.id = b.account_id LEFT JOIN user_classes c ON c.id = a.user_class_id WHERE b.tenant_id = $1 AND b.status IN ('confirmed', 'checked_in') AND b.starts_at >= $2 AND b.starts_at < $3 GROUP BY coalesce(c.name, '') ORDER BY 1",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to)
        )
    );
    std::vector<ClassRevenue> out;
    for (const auto& r : rows)
        out.push_back({r.text("class_name"), static_cast<int>(r.i64("n")), r.i64("total")});
    return out;
}

}  // namespace yoyaku::bookings

// A facility office's month (office_report.hpp).

#include "domain/bookings/reports/office_report.hpp"

#include <algorithm>

#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/reports/office_report_store.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/resources/resource_store.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

bool counts(BookingStatus s) {
    return s == BookingStatus::pending || s == BookingStatus::confirmed ||
           s == BookingStatus::checked_in;
}

// The rows of one room: each division (open days and booked days), or its open minutes.
Result<void> occupancy_of(
    ScopedTx& stx,
    const resources::Resource& r,
    std::string_view zone,
    year_month_day first,
    year_month_day last,
    std::vector<OccupancyRow>& out
) {
    YOYAKU_TRY_ASSIGN(const auto time, detail::load_resource_time(stx, r.id, zone, first, last));
    if (time.open.empty()) return {};
    YOYAKU_TRY_ASSIGN(
        const auto uses,
        BookingStore(stx).list_resource_uses(r.id, time.open.front().start, time.open.back().end)
    );
    const auto booked_over = [&](Instant from, Instant to) {
        minutes sum{0};
        for (const auto& u : uses)
            if (counts(u.status) && u.starts_at < to && u.ends_at > from)
                sum += floor<minutes>(std::min(to, u.ends_at) - std::max(from, u.starts_at));
        return sum;
    };
    if (r.divisions.empty()) {
        OccupancyRow row{r.id, r.name, "", "", 0, 0};
        for (const auto& p : time.open) {
            row.available += static_cast<int>(floor<minutes>(p.end - p.start).count());
            row.booked += static_cast<int>(
                std::min(booked_over(p.start, p.end), floor<minutes>(p.end - p.start)).count()
            );
        }
        out.push_back(std::move(row));
        return {};
    }
    std::vector<OccupancyRow> rows;
    for (auto day = local_days{first}; day <= local_days{last}; day += days{1})
        for (const auto& d : detail::division_times(time, zone, year_month_day{day})) {
            if (!detail::inside_open(time, d.start, d.end)) continue;
            auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& x) {
                return x.division == d.division.code;
            });
            if (it == rows.end()) {
                rows.push_back({r.id, r.name, d.division.code, d.division.name, 0, 0});
                it = rows.end() - 1;
            }
            ++it->available;
            if (booked_over(d.start, d.end) > minutes{0}) ++it->booked;
        }
    out.insert(out.end(), rows.begin(), rows.end());
    return {};
}

}  // namespace

Result<OfficeReport> OfficeReportService::month(TenantId tenant, year_month month) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<OfficeReport> {
        OfficeReport report;
        report.month = month;
        YOYAKU_TRY_ASSIGN(report.time_zone, detail::tenant_zone(stx));
        const year_month_day first{month / 1};
        const year_month_day last{month / std::chrono::last};
        YOYAKU_TRY_ASSIGN(const auto all, resources::ResourceStore(stx).list(false));
        for (const auto& r : all)
            if (r.kind == resources::Kind::room || r.kind == resources::Kind::facility)
                YOYAKU_TRY(occupancy_of(stx, r, report.time_zone, first, last, report.occupancy));
        const Instant from = from_local(local_seconds{local_days{first}}, report.time_zone);
        const Instant to = from_local(local_seconds{local_days{last} + days{1}}, report.time_zone);
        YOYAKU_TRY_ASSIGN(report.revenue, OfficeReportStore(stx).list_revenue_by_class(from, to));
        return report;
    });
}

}  // namespace yoyaku::bookings

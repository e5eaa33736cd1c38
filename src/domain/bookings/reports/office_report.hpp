#pragma once
// What a facility office reads of a month (issue 27): how much of each room's time was booked
// (稼働率) — by time division where the room has divisions, else in minutes of its open hours —
// and the month's takings by user class. Computed from bookings, never stored.

#include <chrono>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

struct OccupancyRow {
    ResourceId resource;
    std::string resource_name;
    std::string division;       ///< its code; empty: the room's open hours in minutes
    std::string division_name;  ///< 午前, …
    int available = 0;          ///< divisions open in the month (or minutes open)
    int booked = 0;             ///< of those, booked (pending, confirmed, checked in)
};

struct ClassRevenue {
    std::string user_class;  ///< empty: guests and members without a class
    int bookings = 0;
    std::int64_t total_jpy = 0;
};

struct OfficeReport {
    std::string time_zone;
    std::chrono::year_month month;
    std::vector<OccupancyRow> occupancy;  ///< live rooms and facilities by id, divisions by start
    std::vector<ClassRevenue> revenue;    ///< confirmed and checked-in bookings starting then
};

class OfficeReportService {
public:
    explicit OfficeReportService(storage::Database& db) : db_(db) {}

    /// The month in the tenant's zone, read in one transaction.
    Result<OfficeReport> month(TenantId tenant, std::chrono::year_month month);

private:
    storage::Database& db_;
};

}  // namespace yoyaku::bookings

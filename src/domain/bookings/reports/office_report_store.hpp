#pragma once
// What the office's month reads that no other store does: takings by user class (bookings
// joined to their customer's account and class).

#include <vector>

#include "domain/bookings/reports/office_report.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

class OfficeReportStore {
public:
    explicit OfficeReportStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Confirmed and checked-in bookings starting in [from, to) by their customer's user class
    /// (empty: none), by class name.
    Result<std::vector<ClassRevenue>> list_revenue_by_class(Instant from, Instant to);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings

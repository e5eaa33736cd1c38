#pragma once
// Sales for managers (issue 25): money taken, refunded and kept as cancellation fees, per
// offering and per local day or month of the tenant. `tally` is the pure part.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/bookings/booking_store.hpp"

namespace yoyaku::payments {

enum class Period { day, month };

struct SalesRow {
    std::string period;  ///< "2026-12-04" or "2026-12"
    OfferingId offering_id;
    int payments = 0;
    std::int64_t sales_jpy = 0;    ///< payments received
    std::int64_t refunds_jpy = 0;  ///< given back (asked of the provider, not refused)
    std::int64_t fees_jpy = 0;     ///< cancellation fees charged
    std::int64_t net_jpy() const noexcept { return sales_jpy - refunds_jpy; }
};

struct SalesReport {
    std::string time_zone;
    std::vector<SalesRow> rows;  ///< by period, then offering
    SalesRow total;              ///< over every row (period and offering empty)
};

/// The rows of payments, refunds and fees, each dated in `zone` by `by`, summed per period
/// and offering.
SalesReport tally(
    const std::vector<bookings::MoneyRow>& paid,
    const std::vector<bookings::MoneyRow>& refunds,
    const std::vector<bookings::MoneyRow>& fees,
    const std::string& zone,
    Period by
);

}  // namespace yoyaku::payments

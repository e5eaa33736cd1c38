// The sales report's arithmetic: entries dated in the tenant's zone, summed per day or month
// and offering, with totals.

#include "domain/payments/sales.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::payments;

namespace {

bookings::MoneyRow at(std::int64_t offering, const char* when, std::int64_t yen) {
    return {OfferingId(offering), *parse_rfc3339(when), yen};
}

}  // namespace

TEST(Sales, EntriesAreDatedInTheTenantsZoneAndSummedPerPeriodAndOffering) {
    const std::vector<bookings::MoneyRow> paid = {
        at(1, "2026-12-03T14:59:00Z", 3000),  // 23:59 on the 3rd in Tokyo
        at(1, "2026-12-03T15:00:00Z", 3000),  // 00:00 on the 4th
        at(2, "2026-12-03T16:00:00Z", 1000),
        at(1, "2027-01-02T00:00:00Z", 500)};
    const std::vector<bookings::MoneyRow> refunds = {at(1, "2026-12-04T01:00:00Z", 1500)};
    const std::vector<bookings::MoneyRow> fees = {at(1, "2026-12-04T01:00:00Z", 1500)};
    const auto daily = tally(paid, refunds, fees, "Asia/Tokyo", Period::day);
    ASSERT_EQ(daily.rows.size(), 4u);
    EXPECT_EQ(daily.rows[0].period, "2026-12-03");
    EXPECT_EQ(daily.rows[0].sales_jpy, 3000);
    EXPECT_EQ(daily.rows[1].period, "2026-12-04");
    EXPECT_EQ(daily.rows[1].offering_id, OfferingId(1));
    EXPECT_EQ(daily.rows[1].sales_jpy, 3000);
    EXPECT_EQ(daily.rows[1].refunds_jpy, 1500);
    EXPECT_EQ(daily.rows[1].fees_jpy, 1500);
    EXPECT_EQ(daily.rows[1].net_jpy(), 1500);
    EXPECT_EQ(daily.rows[2].offering_id, OfferingId(2));
    EXPECT_EQ(daily.total.payments, 4);
    EXPECT_EQ(daily.total.sales_jpy, 7500);
    EXPECT_EQ(daily.total.net_jpy(), 6000);

    const auto monthly = tally(paid, refunds, fees, "Asia/Tokyo", Period::month);
    ASSERT_EQ(monthly.rows.size(), 3u);
    EXPECT_EQ(monthly.rows[0].period, "2026-12");
    EXPECT_EQ(monthly.rows[0].payments, 2);
    EXPECT_EQ(monthly.rows[0].sales_jpy, 6000);
    EXPECT_EQ(monthly.rows[2].period, "2027-01");
}

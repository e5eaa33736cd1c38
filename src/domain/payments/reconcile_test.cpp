#include "domain/payments/reconcile.hpp"

#include <gtest/gtest.h>

namespace yoyaku::payments {
namespace {

using namespace std::chrono_literals;

const Instant kDay = from_micros(1'796'000'000'000'000);
const Instant kNext = kDay + 24h;

TEST(Reconcile, MatchingPaymentsAndRefundsLeaveNothing) {
    const std::vector<BalanceItem> provider = {
        {"txn_1", "charge", 3000, "pi_1", "", kDay + 1h},
        {"txn_2", "refund", -1500, "pi_1", "re_1", kDay + 2h},
        {"txn_3", "stripe_fee", -108, "", "", kDay + 3h},  // not a booking's
    };
    const std::vector<Recorded> yoyaku = {
        {"charge", "pi_1", "", 3000, kDay + 1h + 2s, "REF1"},
        {"refund", "pi_1", "re_1", 1500, kDay + 2h, "REF1"},
    };
    EXPECT_TRUE(reconcile(provider, yoyaku, kDay, kNext).empty());
}

TEST(Reconcile, EachDifferenceIsAMismatch) {
    const std::vector<BalanceItem> provider = {
        {"txn_1", "charge", 300, "pi_1", "", kDay + 1h},   // tampered amount
        {"txn_2", "charge", 5000, "pi_x", "", kDay + 2h},  // no booking knows it
    };
    const std::vector<Recorded> yoyaku = {
        {"charge", "pi_1", "", 3000, kDay + 1h, "REF1"},
        {"refund", "pi_2", "re_2", 1000, kDay + 4h, "REF2"},  // the provider lists none
    };
    const auto m = reconcile(provider, yoyaku, kDay, kNext);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].kind, "amount_differs");
    EXPECT_EQ(m[0].reference, "REF1");
    EXPECT_EQ(m[0].yoyaku_jpy, 3000);
    EXPECT_EQ(m[0].provider_jpy, 300);
    EXPECT_EQ(m[1].kind, "unknown_to_yoyaku");
    EXPECT_EQ(m[1].provider_id, "txn_2");
    EXPECT_EQ(m[2].kind, "missing_at_provider");
    EXPECT_EQ(m[2].reference, "REF2");
}

TEST(Reconcile, OnlyTheDayIsReportedAcrossItsEdges) {
    // Taken a second before midnight, recorded a second after: matched, not missing either day.
    const std::vector<BalanceItem> provider = {
        {"txn_1", "charge", 3000, "pi_1", "", kNext - 1s},
        {"txn_0", "charge", 900, "pi_0", "", kDay - 10min},  // the day before: not ours to report
    };
    const std::vector<Recorded> yoyaku = {{"charge", "pi_1", "", 3000, kNext + 1s, "REF1"}};
    EXPECT_TRUE(reconcile(provider, yoyaku, kDay, kNext).empty());
    EXPECT_TRUE(reconcile(provider, yoyaku, kNext, kNext + 24h).empty());
}

}  // namespace
}  // namespace yoyaku::payments

#include "domain/access/staff_scope.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using access::StaffScope;

TEST(StaffScope, AnEmptyScopeIsNoLimit) {
    const StaffScope all;
    EXPECT_FALSE(all.limited());
    EXPECT_TRUE(all.covers_booking(OfferingId{9}, std::nullopt, std::nullopt));
    EXPECT_TRUE(all.covers_offering(OfferingId{9}, {}, std::nullopt));
}

TEST(StaffScope, AnAssignedOfferingCoversEveryBookingOfIt) {
    StaffScope s{{}, {OfferingId{4}, OfferingId{2}, OfferingId{4}}};
    s.normalise();
    EXPECT_EQ(s.offerings, (std::vector{OfferingId{2}, OfferingId{4}}));
    EXPECT_TRUE(s.covers_booking(OfferingId{4}, ResourceId{7}, std::nullopt));
    EXPECT_TRUE(s.covers_booking(OfferingId{2}, std::nullopt, std::nullopt));
    EXPECT_FALSE(s.covers_booking(OfferingId{3}, ResourceId{7}, std::nullopt));
    EXPECT_FALSE(s.covers_offering(OfferingId{3}, {}, std::nullopt));
}

TEST(StaffScope, AnAssignedResourceCoversOnlyTheBookingsOnIt) {
    const StaffScope s{{ResourceId{7}}, {}};
    const std::vector uses{ResourceId{7}, ResourceId{8}};
    // The offering that uses the resource is shown, but only its bookings on that resource.
    EXPECT_TRUE(s.covers_offering(OfferingId{3}, uses, std::nullopt));
    EXPECT_TRUE(s.covers_booking(OfferingId{3}, ResourceId{7}, std::nullopt));
    EXPECT_FALSE(s.covers_booking(OfferingId{3}, ResourceId{8}, std::nullopt));
    // A room counts as a resource taken.
    EXPECT_TRUE(s.covers_booking(OfferingId{3}, ResourceId{8}, ResourceId{7}));
    EXPECT_TRUE(s.covers_offering(OfferingId{5}, {}, ResourceId{7}));
    EXPECT_FALSE(s.covers_offering(OfferingId{5}, std::vector{ResourceId{8}}, ResourceId{9}));
    EXPECT_FALSE(s.covers_booking(OfferingId{5}, std::nullopt, std::nullopt));
}

#include "domain/feeds/feed_service.hpp"

#include <gtest/gtest.h>

#include "domain/resources/resources.hpp"
#include "domain/testing/slice_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::feeds;

namespace {

class FeedServiceTest : public yoyaku::testing::SliceTest {
protected:
    ResourceId add_room() {
        resources::ResourceService resources(db(), clock_);
        resources::ResourceInput room;
        room.name = "Room";
        auto r = resources.create(tenant_, room, manager_, origin_);
        if (!r) throw std::runtime_error("room: " + r.error().field);
        return ResourceId{r->id};
    }

    FeedService service_{db(), clock_};
};

}  // namespace

TEST_F(FeedServiceTest, AResourceFeedServesACalendarUntilRevoked) {
    const ResourceId room = add_room();
    auto made = service_.create(tenant_, room, std::nullopt, manager_, origin_);
    ASSERT_TRUE(made) << made.error().detail;
    EXPECT_EQ(made->token.size(), 64u);
    EXPECT_EQ(made->feed.resource_id, room);
    EXPECT_EQ(made->feed.account_id, std::nullopt);
    auto ics = service_.calendar(tenant_, made->token);
    ASSERT_TRUE(ics) << ics.error().detail;
    EXPECT_NE(ics->find("BEGIN:VCALENDAR"), std::string::npos);
    EXPECT_NE(ics->find("Tenant alpha"), std::string::npos);

    ASSERT_TRUE(service_.revoke(tenant_, made->feed.id, std::nullopt, manager_, origin_));
    EXPECT_EQ(service_.calendar(tenant_, made->token).error().code, Errc::not_found);
    EXPECT_EQ(
        service_.revoke(tenant_, made->feed.id, std::nullopt, manager_, origin_).error().code,
        Errc::not_found
    );
    auto all = service_.list(tenant_);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 1u);
    EXPECT_TRUE(all->front().revoked_at);
    EXPECT_EQ(
        audit_actions(tenant_),
        (std::vector<std::string>{
            "calendar_feed.revoked", "calendar_feed.created", "resource.created"})
    );
}

TEST_F(FeedServiceTest, ACustomerSeesAndRevokesOnlyTheirOwnFeeds) {
    const AccountId one = add_customer(tenant_, 1), two = add_customer(tenant_, 2);
    auto mine = service_.create(tenant_, std::nullopt, one, manager_, origin_);
    auto theirs = service_.create(tenant_, std::nullopt, two, manager_, origin_);
    ASSERT_TRUE(mine && theirs);
    auto listed = service_.list(tenant_, one);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().id, mine->feed.id);
    EXPECT_EQ(
        service_.revoke(tenant_, theirs->feed.id, one, manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_TRUE(service_.calendar(tenant_, theirs->token));
    EXPECT_EQ(service_.list(tenant_)->size(), 2u);
}

TEST_F(FeedServiceTest, RefusesAFeedOfBothNeitherOrNobody) {
    const ResourceId room = add_room();
    const AccountId one = add_customer(tenant_, 1);
    EXPECT_EQ(service_.create(tenant_, room, one, manager_, origin_).error().field, "resource_id");
    EXPECT_EQ(
        service_.create(tenant_, std::nullopt, std::nullopt, manager_, origin_).error().field,
        "resource_id"
    );
    EXPECT_EQ(
        service_.create(tenant_, ResourceId{999}, std::nullopt, manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_EQ(
        service_.create(tenant_, std::nullopt, AccountId{999}, manager_, origin_).error().code,
        Errc::not_found
    );
    // Another tenant's resource is nobody here.
    EXPECT_EQ(
        service_.create(add_tenant("beta"), room, std::nullopt, manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_TRUE(service_.list(tenant_)->empty());
    EXPECT_EQ(service_.calendar(tenant_, "short").error().code, Errc::not_found);
}

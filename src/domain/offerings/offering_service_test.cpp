#include "domain/offerings/offering_service.hpp"

#include <gtest/gtest.h>

#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resources.hpp"
#include "domain/testing/slice_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::offerings;

namespace {

class OfferingServiceTest : public yoyaku::testing::SliceTest {
protected:
    OfferingInput concert() {
        OfferingInput in;
        in.kind = OfferingKind::event;
        in.name = "Concert";
        in.published = true;
        in.ticket_types = {{"adult", "大人", 3000, 4}};
        in.questions = {{"seat", "席の希望", QuestionType::choice, false, {"前方", "後方"}}};
        in.cancellation_fees = {{1440, 50}};
        in.limits.per_day = 2;
        in.waitlist = WaitlistMode::offer;
        in.pay_by_minutes = 4320;
        in.lottery = LotteryRules{from_micros(1'000'000), from_micros(2'000'000), std::nullopt};
        return in;
    }

    OfferingService service_{db(), clock_};
    const Instant at_ = clock_.now() + std::chrono::days(10);
};

}  // namespace

TEST_F(OfferingServiceTest, StoresEveryFieldAndReadsItBackByName) {
    auto made = service_.create(tenant_, concert(), manager_, origin_);
    ASSERT_TRUE(made) << made.error().field << " " << made.error().detail;
    auto found = service_.find(tenant_, made->id);
    ASSERT_TRUE(found);
    const auto& o = *found;
    EXPECT_EQ(o.name, "Concert");
    EXPECT_TRUE(o.published);
    ASSERT_EQ(o.ticket_types.size(), 1u);
    EXPECT_EQ(o.ticket_types[0].name, "大人");
    EXPECT_EQ(o.ticket_types[0].price_jpy, 3000);
    ASSERT_EQ(o.questions.size(), 1u);
    EXPECT_EQ(o.questions[0].options, (std::vector<std::string>{"前方", "後方"}));
    EXPECT_EQ(o.cancellation_fees, (std::vector<FeeTier>{{1440, 50}}));
    EXPECT_EQ(o.limits.per_day, 2);
    EXPECT_EQ(o.waitlist, WaitlistMode::offer);
    EXPECT_EQ(o.pay_by_minutes, 4320);
    ASSERT_TRUE(o.lottery);
    EXPECT_EQ(o.lottery->draw_at, from_micros(2'000'000));
    EXPECT_EQ(o.created_at, clock_.now());
    EXPECT_EQ(audit_actions(tenant_), std::vector<std::string>{"offering.created"});
}

TEST_F(OfferingServiceTest, UpdatesKeepTheKindAndListsHonourPublished) {
    auto made = service_.create(tenant_, concert(), manager_, origin_);
    ASSERT_TRUE(made);
    auto draft = concert();
    draft.published = false;
    draft.name = "Rehearsal";
    ASSERT_TRUE(service_.create(tenant_, draft, manager_, origin_));
    auto changed = concert();
    changed.name = "Concert II";
    auto updated = service_.update(tenant_, made->id, changed, manager_, origin_);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->name, "Concert II");
    EXPECT_EQ(updated->created_at, made->created_at);
    changed.kind = OfferingKind::course;
    EXPECT_EQ(service_.update(tenant_, made->id, changed, manager_, origin_).error().field, "kind");
    EXPECT_EQ(
        service_.update(tenant_, OfferingId{999}, concert(), manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_EQ(service_.list(tenant_, true)->size(), 1u);
    EXPECT_EQ(service_.list(tenant_, false)->size(), 2u);
    // Another tenant sees none of them.
    const TenantId beta = add_tenant("beta");
    EXPECT_TRUE(service_.list(beta, false)->empty());
    EXPECT_EQ(service_.find(beta, made->id).error().code, Errc::not_found);
}

TEST_F(OfferingServiceTest, ARentalMustNameALiveResourceOfTheTenant) {
    OfferingInput in;
    in.kind = OfferingKind::rental;
    in.name = "Hall";
    in.duration_minutes = 60;
    in.resource_ids = {ResourceId(12345)};
    EXPECT_EQ(service_.create(tenant_, in, manager_, origin_).error().field, "resource_ids[0]");
    resources::ResourceService resources(db(), clock_);
    resources::ResourceInput hall;
    hall.name = "Hall";
    auto r = resources.create(tenant_, hall, manager_, origin_);
    ASSERT_TRUE(r) << r.error().field;
    in.resource_ids = {r->id};
    auto made = service_.create(tenant_, in, manager_, origin_);
    ASSERT_TRUE(made) << made.error().field;
    EXPECT_EQ(made->resource_ids, std::vector<ResourceId>{r->id});
}

TEST_F(OfferingServiceTest, OccurrencesAreAddedToEventsInStartOrder) {
    auto made = service_.create(tenant_, concert(), manager_, origin_);
    ASSERT_TRUE(made);
    const auto hour = std::chrono::hours(1);
    auto later = service_.add_occurrence(
        tenant_, made->id, at_ + 2 * hour, at_ + 3 * hour, 50, manager_, origin_
    );
    auto sooner =
        service_.add_occurrence(tenant_, made->id, at_, at_ + hour, 80, manager_, origin_);
    ASSERT_TRUE(later && sooner);
    EXPECT_EQ(sooner->offering_id, made->id);
    EXPECT_EQ(sooner->taken, 0);
    auto all = service_.occurrences(tenant_, made->id, true);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ(all->front().id, sooner->id);
    EXPECT_EQ(all->front().capacity, 80);
    auto one = db().read(storage::TenantScope(tenant_), [&](storage::ScopedTx& stx) {
        return OccurrenceStore(stx).find_of_offering(made->id, later->id);
    });
    ASSERT_TRUE(one);
    EXPECT_EQ(one->starts_at, at_ + 2 * hour);

    EXPECT_EQ(
        service_.add_occurrence(tenant_, made->id, at_, at_, 10, manager_, origin_).error().field,
        "ends_at"
    );
    EXPECT_EQ(
        service_.add_occurrence(tenant_, made->id, at_, at_ + hour, 0, manager_, origin_)
            .error()
            .field,
        "capacity"
    );
    EXPECT_EQ(
        service_.add_occurrence(tenant_, OfferingId{999}, at_, at_ + hour, 5, manager_, origin_)
            .error()
            .code,
        Errc::not_found
    );
}

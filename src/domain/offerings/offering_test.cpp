// check(): the input rules of an offering, without a database.

#include "domain/offerings/offering.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::offerings;

namespace {

OfferingInput event() {
    OfferingInput in;
    in.kind = OfferingKind::event;
    in.name = "  Concert ";
    in.ticket_types = {{"adult", "Adult", 3000, 4}, {"child", "Child", 1000, 4}};
    return in;
}

OfferingInput rental() {
    OfferingInput in;
    in.kind = OfferingKind::rental;
    in.name = "Hall";
    in.duration_minutes = 60;
    in.min_blocks = 1;
    in.max_blocks = 4;
    in.price_jpy = 2000;
    in.resource_ids = {ResourceId(7)};
    return in;
}

std::string field_of(const OfferingInput& in) {
    auto r = check(in);
    return r ? "" : r.error().field;
}

}  // namespace

TEST(OfferingCheck, AcceptsAnEventAndTrimsItsName) {
    auto r = check(event());
    ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
    EXPECT_EQ(r->name, "Concert");
}

TEST(OfferingCheck, NamesTheFieldOfEachBrokenRule) {
    struct Case {
        const char* why;
        std::function<void(OfferingInput&)> change;
        OfferingInput (*base)();
        std::string field;
    };
    const std::vector<Case> cases = {
        {"empty name", [](auto& in) { in.name = ""; }, event, "name"},
        {"window opens after closing",
         [](auto& in) {
             in.opens_before_minutes = 10;
             in.closes_before_minutes = 10;
         },
         event,
         "opens_before_minutes"},
        {"hold too long", [](auto& in) { in.hold_minutes = 61; }, event, "hold_minutes"},
        {"no ticket types", [](auto& in) { in.ticket_types.clear(); }, event, "ticket_types"},
        {"bad ticket code",
         [](auto& in) { in.ticket_types[1].code = "Child!"; },
         event,
         "ticket_types[1].code"},
        {"ticket code twice",
         [](auto& in) { in.ticket_types[1].code = "adult"; },
         event,
         "ticket_types[1].code"},
        {"category price out of range",
         [](auto& in) {
             in.seat_map_id = 1;
             in.ticket_types[0].category_prices = {{"S", 10'000'001}};
         },
         event,
         "ticket_types[0].category_prices.S"},
        {"category code not a code",
         [](auto& in) {
             in.seat_map_id = 1;
             in.ticket_types[1].category_prices = {{"S席", 100}};
         },
         event,
         "ticket_types[1].category_prices"},
        {"category prices without a seat map",
         [](auto& in) {
             in.ticket_types[0].category_prices = {{"S", 100}};
         },
         event,
         "ticket_types"},
        {"event with a price", [](auto& in) { in.price_jpy = 100; }, event, "price_jpy"},
        {"event with resources",
         [](auto& in) { in.resource_ids = {ResourceId(1)}; },
         event,
         "resource_ids"},
        {"event with an application period",
         [](auto& in) { in.applications_open_at = Instant{}; },
         event,
         "applications_open_at"},
        {"choice without options",
         [](auto& in) {
             in.questions = {{"size", "Size", QuestionType::choice, true, {}}};
         },
         event,
         "questions[0].options"},
        {"fee tier out of range",
         [](auto& in) {
             in.cancellation_fees = {{0, 50}};
         },
         event,
         "cancellation_fees[0].within_minutes"},
        {"two fee tiers at one time",
         [](auto& in) {
             in.cancellation_fees = {{60, 50}, {60, 100}};
         },
         event,
         "cancellation_fees[1].within_minutes"},
        {"limit out of range", [](auto& in) { in.limits.per_day = 1001; }, event, "limits.per_day"},
        {"event counting by resource",
         [](auto& in) { in.limits.by_resource = true; },
         event,
         "limits.by_resource"},
        {"lottery drawn before it closes",
         [](auto& in) {
             in.lottery = LotteryRules{from_micros(2'000'000), from_micros(1'000'000), {}};
         },
         event,
         "lottery.draw_at"},
        {"rental duration not a multiple of 5",
         [](auto& in) { in.duration_minutes = 62; },
         rental,
         "duration_minutes"},
        {"rental with fewer max than min blocks",
         [](auto& in) {
             in.min_blocks = 3;
             in.max_blocks = 2;
         },
         rental,
         "max_blocks"},
        {"rental longer than 7 days",
         [](auto& in) {
             in.duration_minutes = 1440;
             in.max_blocks = 8;
         },
         rental,
         "max_blocks"},
        {"rental with a waitlist",
         [](auto& in) { in.waitlist = WaitlistMode::offer; },
         rental,
         "waitlist"},
        {"rental with a lottery", [](auto& in) { in.lottery = LotteryRules{}; }, rental, "lottery"},
    };
    for (const auto& c : cases) {
        auto in = c.base();
        c.change(in);
        EXPECT_EQ(field_of(in), c.field) << c.why;
    }
}

TEST(OfferingCheck, SortsFeeTiersNearestTheStartLast) {
    auto in = event();
    in.cancellation_fees = {{60, 100}, {10080, 50}, {1440, 80}};
    auto r = check(in);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->cancellation_fees, (std::vector<FeeTier>{{10080, 50}, {1440, 80}, {60, 100}}));
}

TEST(OfferingNames, RoundTrip) {
    for (auto k :
         {OfferingKind::appointment,
          OfferingKind::rental,
          OfferingKind::event,
          OfferingKind::course})
        EXPECT_EQ(parse_offering_kind(to_string(k)), k);
    for (auto m : {WaitlistMode::off, WaitlistMode::offer, WaitlistMode::automatic})
        EXPECT_EQ(parse_waitlist_mode(to_string(m)), m);
    for (auto t : {QuestionType::text, QuestionType::choice, QuestionType::checkbox})
        EXPECT_EQ(parse_question_type(to_string(t)), t);
    EXPECT_EQ(parse_offering_kind("party"), std::nullopt);
}

#include "domain/seating/seat_map.hpp"

#include <gtest/gtest.h>

namespace yoyaku::seating {
namespace {

// Row A: seats 1–6 at x 0–5 with an aisle after 3 (x 0,1,2 | 4,5,6); row B: 1–4 at x 1–4,
// seat 1 a wheelchair place, seat 2 its companion; A-6 held back.
constexpr std::string_view kHall = R"({
  "categories": [{"code": "S", "name": "S席"}, {"code": "A", "name": "A席"}],
  "sections": [{"name": "1階", "rows": [
    {"name": "B", "y": 1, "seats": [
      {"number": 1, "x": 1, "category": "A", "kind": "wheelchair"},
      {"number": 2, "x": 2, "category": "A", "kind": "companion"},
      {"number": 3, "x": 3, "category": "A"},
      {"number": 4, "x": 4, "category": "A"}]},
    {"name": "A", "y": 0, "seats": [
      {"number": 1, "x": 0, "category": "S"}, {"number": 2, "x": 1, "category": "S"},
      {"number": 3, "x": 2, "category": "S"}, {"number": 4, "x": 4, "category": "S"},
      {"number": 5, "x": 5, "category": "S"}, {"number": 6, "x": 6, "category": "S", "held": true}]}
  ]}]})";

SeatMap hall() {
    auto m = parse_layout(kHall);
    EXPECT_TRUE(m) << m.error().field << ": " << m.error().message;
    return *m;
}

TEST(SeatMap, ReadsALayoutAndWritesItBackTheSame) {
    const auto m = hall();
    EXPECT_EQ(m.seat_count(), 10);
    EXPECT_EQ(m.sellable(), 9);
    ASSERT_NE(m.find("B-1"), nullptr);
    EXPECT_EQ(m.find("B-1")->kind, SeatKind::wheelchair);
    EXPECT_EQ(m.find("A-9"), nullptr);
    EXPECT_EQ(m.place_of("A-2")->first->name, "1階");
    const auto again = parse_layout(layout_json(m));
    ASSERT_TRUE(again);
    EXPECT_EQ(layout_json(*again), layout_json(m));
}

TEST(SeatMap, AParsedLayoutIsRememberedByItsWholeText) {
    const auto first = parsed_layout(kHall);
    ASSERT_TRUE(first);
    const auto again = parsed_layout(std::string(kHall));  // another buffer, the same text
    ASSERT_TRUE(again);
    EXPECT_EQ(first->get(), again->get()) << "parsed once";
    EXPECT_EQ((*again)->seat_count(), 10);
    // A changed layout is another map; a bad one is refused as parse_layout refuses it.
    const auto changed = parsed_layout(layout_json(hall()));
    ASSERT_TRUE(changed);
    EXPECT_NE(first->get(), changed->get());
    const auto bad = parsed_layout(R"({"sections":[]})");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "layout.sections");
}

TEST(SeatMap, RefusesABadLayoutNamingTheField) {
    const auto field = [](std::string_view json) {
        auto m = parse_layout(json);
        return m ? std::string("accepted") : m.error().field;
    };
    EXPECT_EQ(field("not json"), "layout");
    EXPECT_EQ(field(R"({"sections": []})"), "layout.sections");
    EXPECT_EQ(
        field(R"({"sections": [{"name": "1階", "rows": [{"name": "A", "y": 0, "seats": [
          {"number": 1, "x": 0}, {"number": 1, "x": 1}]}]}]})"),
        "layout.sections[0].rows[0].seats[1].number"
    );
    EXPECT_EQ(
        field(R"({"sections": [{"name": "1階", "rows": [{"name": "A|1", "y": 0, "seats": []}]}]})"),
        "layout.sections[0].rows[0].name"
    );
    EXPECT_EQ(
        field(R"({"sections": [{"name": "1階", "rows": [{"name": "A", "y": 0, "seats": [
          {"number": 1, "x": 300}]}]}]})"),
        "layout.sections[0].rows[0].seats[0].x"
    );
    EXPECT_EQ(
        field(R"({"categories": [{"code": "S", "name": "S"}], "sections": [{"name": "1階",
          "rows": [{"name": "A", "y": 0, "seats": [{"number": 1, "x": 0, "category": "X"}]}]}]})"),
        "layout.sections[0].rows[0].seats[0].category"
    );
    EXPECT_EQ(
        field(R"({"sections": [{"name": "1階", "rows": [
          {"name": "A", "y": 0, "seats": [{"number": 1, "x": 0}]},
          {"name": "A", "y": 1, "seats": [{"number": 1, "x": 0}]}]}]})"),
        "layout.sections[0].rows[1].name"
    );
    EXPECT_EQ(
        field(R"({"sections": [{"name": "1階", "rows": [
          {"name": "A", "y": 0, "seats": [{"number": 1, "x": 0}]},
          {"name": "B", "y": 0, "seats": [{"number": 1, "x": 0}]}]}]})"),
        "layout.sections[0].rows[1].y"
    );
}

TEST(SeatMap, BestAvailableKeepsAPartyTogetherFrontRowsFirstNearTheMiddle) {
    const auto m = hall();
    using Ids = std::vector<std::string>;
    // Front row A, the block nearest its middle (x 3): A-2, A-3 (x 1–2) or A-4, A-5 (x 4–5).
    EXPECT_EQ(best_available(m, {}, {2}).value(), (Ids{"A-2", "A-3"}));
    // Three together: A-1..A-3 (the aisle splits 4–5 from the rest; A-6 is held).
    EXPECT_EQ(best_available(m, {}, {3}).value(), (Ids{"A-1", "A-2", "A-3"}));
    // A taken seat breaks the block: two together go to the other side of the aisle.
    EXPECT_EQ(best_available(m, {"A-2"}, {2}).value(), (Ids{"A-4", "A-5"}));
    // Four: row A has no four side by side; row B only with its accessible places.
    EXPECT_FALSE(best_available(m, {}, {4}));
    EXPECT_EQ(best_available(m, {}, {4, "", true}).value(), (Ids{"B-1", "B-2", "B-3", "B-4"}));
    // A category: only its seats.
    EXPECT_EQ(best_available(m, {}, {2, "A"}).value(), (Ids{"B-3", "B-4"}));
    EXPECT_FALSE(best_available(m, {"A-1", "A-2", "A-4", "B-3"}, {2}));
    // Apart, when allowed (a lottery's winners, a waitlist's line): the first free seats.
    EXPECT_EQ(
        best_available(m, {"A-1", "A-2", "A-4", "B-3"}, {2, "", false, true}).value(),
        (Ids{"A-3", "A-5"})
    );
    EXPECT_FALSE(best_available(m, {"A-1", "A-2", "A-4", "B-3"}, {4, "", false, true}));
}

}  // namespace
}  // namespace yoyaku::seating

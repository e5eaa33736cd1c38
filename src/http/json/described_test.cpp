// Bodies read and written from a described struct (the offering's, as the API uses it).

#include "http/json/described.hpp"

#include <gtest/gtest.h>

#include "http/api/offering_body.hpp"

using namespace yoyaku;
using namespace yoyaku::http;

namespace {

Result<offerings::OfferingInput> read(std::string body) {
    Request req;
    req.headers.add("Content-Type", "application/json");
    req.body = std::move(body);
    return read_body<offerings::OfferingInput>(req);
}

std::string field_of(std::string body) {
    auto r = read(std::move(body));
    return r ? "(accepted)" : r.error().field;
}

}  // namespace

TEST(Described, MembersAreReadByNameAndAbsentOnesKeepTheirDefaults) {
    auto in = read(R"({"kind":"event","name":"Talk","ticket_types":[{"code":"adult","name":"A",
        "price_jpy":1500}],"lottery":{"applications_close_at":"2027-01-01T00:00:00Z",
        "draw_at":"2027-01-02T09:00:00+09:00"},"room_id":null,"resource_ids":[3,4]})");
    ASSERT_TRUE(in) << in.error().field << ": " << in.error().message;
    EXPECT_EQ(in->kind, offerings::OfferingKind::event);
    EXPECT_EQ(in->ticket_types.at(0).price_jpy, 1500);
    EXPECT_EQ(in->ticket_types.at(0).max_per_order, 10) << "the struct's default";
    EXPECT_EQ(in->hold_minutes, 10);
    ASSERT_TRUE(in->lottery);
    EXPECT_EQ(in->lottery->draw_at, *parse_rfc3339("2027-01-02T00:00:00Z"));
    EXPECT_FALSE(in->lottery->first_come_at);
    EXPECT_FALSE(in->room_id);
    EXPECT_EQ(in->resource_ids, (std::vector<ResourceId>{ResourceId{3}, ResourceId{4}}));
}

TEST(Described, EveryRefusalNamesItsFieldDownToTheListEntry) {
    EXPECT_EQ(field_of(R"({"name":"x"})"), "kind") << "required";
    EXPECT_EQ(field_of(R"({"kind":"party","name":"x"})"), "kind");
    EXPECT_EQ(
        read(R"({"kind":"party","name":"x"})").error().message,
        "must be appointment, rental, event or course"
    );
    EXPECT_EQ(field_of(R"({"kind":"event","name":"x","colour":1})"), "colour");
    EXPECT_EQ(
        field_of(R"({"kind":"event","name":"x","ticket_types":[{"code":"a","name":"A",
        "price_jpy":1},{"code":"b","name":"B"}]})"),
        "ticket_types[1].price_jpy"
    );
    EXPECT_EQ(
        field_of(R"({"kind":"event","name":"x","limits":{"per_day":1,"per_year":2}})"),
        "limits.per_year"
    );
    EXPECT_EQ(field_of(R"({"kind":"event","name":"x","max_per_order":"3"})"), "max_per_order");
    EXPECT_EQ(
        field_of(R"({"kind":"event","name":"x","max_per_order":3000000000})"), "max_per_order"
    );
    EXPECT_EQ(field_of(R"({"kind":"event","name":"x","resource_ids":[1,0]})"), "resource_ids[1]");
    EXPECT_EQ(
        field_of(R"({"kind":"event","name":"x","applications_open_at":"tomorrow"})"),
        "applications_open_at"
    );
    EXPECT_EQ(field_of(R"({"kind":"event","name":null})"), "name");
    EXPECT_EQ(field_of("[]"), "body");
}

TEST(Described, WritingGivesBackWhatReadingTakes) {
    offerings::Offering o;
    o.id = OfferingId{7};
    o.kind = offerings::OfferingKind::course;
    o.name = "Course";
    o.waitlist = offerings::WaitlistMode::automatic;
    o.questions = {{"size", "Size", offerings::QuestionType::choice, true, {"S", "M"}}};
    o.applications_open_at = *parse_rfc3339("2027-03-01T00:00:00Z");
    const auto j = to_json(o).as_object();
    EXPECT_EQ(j.at("id").as_int64(), 7);
    EXPECT_EQ(j.at("kind").as_string(), "course");
    EXPECT_EQ(j.at("waitlist").as_string(), "automatic");
    EXPECT_EQ(j.at("questions").at(0).at("type").as_string(), "choice");
    EXPECT_TRUE(j.at("lottery").is_null());
    EXPECT_TRUE(j.at("room_id").is_null());
    EXPECT_EQ(parse_rfc3339(j.at("applications_open_at").as_string()), o.applications_open_at);

    boost::json::object again = j;
    again.erase("id");
    again.erase("created_at");
    auto back = read(boost::json::serialize(again));
    ASSERT_TRUE(back) << back.error().field << ": " << back.error().message;
    EXPECT_EQ(back->questions.at(0).options, o.questions.at(0).options);
    EXPECT_EQ(back->applications_open_at, o.applications_open_at);
    EXPECT_EQ(back->waitlist, o.waitlist);
}

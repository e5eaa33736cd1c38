// Bodies read and written from a described struct (the offering's, as the API uses it).

#include "http/json/described.hpp"

#include <gtest/gtest.h>

#include "http/api/booking_bodies.hpp"
#include "http/api/offering_body.hpp"
#include "http/api/resource_body.hpp"

using namespace yoyaku;
using namespace yoyaku::http;

namespace {

Request json_request(std::string body) {
    Request req;
    req.headers.add("Content-Type", "application/json");
    req.body = std::move(body);
    return req;
}

Result<offerings::OfferingInput> read(std::string body) {
    return read_body<offerings::OfferingInput>(json_request(std::move(body)));
}

template <class T>
std::string refused(std::string body) {
    auto r = read_body<T>(json_request(std::move(body)));
    return r ? "(accepted)" : r.error().field;
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

TEST(Described, InheritedMembersMapsDatesAndOwnReadersMakeOneBody) {
    auto b = read_body<PublicBooking>(json_request(R"({"occurrence_id":7,"tickets":{"adult":2},
        "customer":{"name":"Hanako","email":"h@example.jp","locale":"en"},
        "answers":{"terms":true,"shoe":"24.5"},"repeat":{"count":3,"until":"2027-03-31"},
        "altcha":"solved"})"));
    ASSERT_TRUE(b) << b.error().field << ": " << b.error().message;
    EXPECT_EQ(b->occurrence_id, OccurrenceId{7}) << "from bookings::Selection";
    EXPECT_EQ(b->blocks, 1) << "the selection's default";
    EXPECT_EQ(b->tickets, (std::map<std::string, int>{{"adult", 2}}));
    EXPECT_EQ(b->customer.email.value, "h@example.jp") << "from Person, through Details";
    EXPECT_EQ(b->customer.locale, Locale::en);
    EXPECT_EQ(b->answers.at("terms").text, "true") << "a checkbox is kept as text";
    EXPECT_EQ(b->answers.at("shoe").text, "24.5");
    ASSERT_TRUE(b->repeat);
    EXPECT_EQ(b->repeat->until, std::chrono::year_month_day(std::chrono::year{2027} / 3 / 31));
    ASSERT_TRUE(b->altcha);
    EXPECT_EQ(b->altcha->value, "solved");
}

TEST(Described, EachRouteTakesOnlyWhatItsStructDeclares) {
    const std::string customer = R"("customer":{"name":"H","email":"h@example.jp"})";
    EXPECT_EQ(refused<StaffBooking>("{" + customer + R"(,"altcha":"x"})"), "altcha")
        << "staff pay no challenge";
    EXPECT_EQ(refused<PublicHold>("{" + customer + "}"), "customer") << "a hold has none yet";
    EXPECT_EQ(refused<StaffBooking>(R"({"occurrence_id":1})"), "customer") << "required";
    EXPECT_EQ(refused<StaffBooking>(R"({"customer":{"name":"H"}})"), "customer.email");
    EXPECT_EQ(
        refused<StaffBooking>("{" + customer + R"(,"tickets":{"adult":"two"}})"), "tickets.adult"
    );
    EXPECT_EQ(
        refused<StaffBooking>("{" + customer + R"(,"answers":{"terms":3}})"), "answers.terms"
    );
    EXPECT_EQ(
        refused<StaffBooking>("{" + customer + R"(,"repeat":{"count":3,"every":1}})"),
        "repeat.every"
    );
    EXPECT_EQ(
        refused<StaffBooking>("{" + customer + R"(,"repeat":{"until":"2027-02-30"}})"),
        "repeat.until"
    );
    EXPECT_EQ(refused<ApplyBody>("{" + customer + R"(,"preferences":[4,0]})"), "preferences[1]");
    EXPECT_EQ(
        refused<MoveBody>(R"({"starts_at":"2027-01-01T09:00:00Z","email":"h@x.jp"})"), "email"
    ) << "staff move without a proof";
    EXPECT_EQ(
        refused<PublicMove>(R"({"starts_at":"2027-01-01T09:00:00Z","email":"h@x.jp"})"),
        "(accepted)"
    );
}

TEST(Described, APatchChangesTheMembersItNamesAndKeepsTheRest) {
    resources::ResourceInput room;
    room.kind = resources::Kind::room;
    room.name = "Hall";
    room.seats = 40;
    room.hours[0] = {{540, 1020}};
    auto req =
        json_request(R"({"seats":null,"hours":{"tue":[{"opens":"10:00","closes":"12:00"}]}})");
    ASSERT_TRUE(read_body_onto(req, room));
    EXPECT_EQ(room.name, "Hall") << "not named: kept, and not required again";
    EXPECT_FALSE(room.seats) << "null empties";
    EXPECT_TRUE(room.hours[0].empty()) << "the week is replaced whole";
    EXPECT_EQ(room.hours[1], (resources::DayHours{{600, 720}}));

    auto bad =
        json_request(R"({"name":"Other","hours":{"mon":[{"opens":"12:00","closes":"10:00"}]}})");
    auto r = read_body_onto(bad, room);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "hours.mon");
    EXPECT_EQ(room.name, "Hall") << "a refused patch changes nothing";
    EXPECT_EQ(refused<resources::ResourceInput>(R"({"kind":"room"})"), "name")
        << "a create needs it";
    EXPECT_EQ(
        refused<resources::ResourceInput>(R"({"kind":"room","name":"A","hours":{"mond":[]}})"),
        "hours.mond"
    );
}

// The booking engine's other shapes end to end on both backends (ADR 0009): appointments
// with staff, buffers and a room; rentals with blocks, stock and approval; courses; holds
// that expire; windows, holidays and DST in availability; reschedule as one move; check-in
// and no-show; questions; customers acting on their own bookings; personal data absent from
// a PostgreSQL dump. The fake clock starts on Friday 2027-01-15 17:00 in Tokyo.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

class BookingEngine : public BookingFixture {};

}  // namespace

TEST_P(BookingEngine, AppointmentsGoToAFreeStaffMemberAndRespectBuffers) {
    const auto aki = resource("staff", R"("buffer_after_minutes":15)");
    const auto ben = resource("staff", "");
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "slot_step_minutes":30,"price_jpy":4400,"resource_ids":[)" +
        std::to_string(aki) + "," + std::to_string(ben) + "]}"
    );
    // Monday 18 January, 09:00–12:00 in Tokyo = 00:00–03:00 UTC: starts every 30 minutes
    // while an hour fits: 09:00 … 11:00.
    auto before = availability(cut, "2027-01-18", "2027-01-18");
    EXPECT_EQ(
        starts(before),
        (std::vector<std::string>{
            "2027-01-18T00:00:00.000+00:00",
            "2027-01-18T00:30:00.000+00:00",
            "2027-01-18T01:00:00.000+00:00",
            "2027-01-18T01:30:00.000+00:00",
            "2027-01-18T02:00:00.000+00:00"})
    );
    EXPECT_EQ(parse(before).at("slots").at(0).at("remaining").as_int64(), 2);
    EXPECT_EQ(parse(before).at("time_zone").as_string(), "Asia/Tokyo");

    const std::string at9 = R"("offering_id":)" + std::to_string(cut) +
                            R"(,"starts_at":"2027-01-18T00:00:00.000+00:00")";
    auto first = book("{" + at9 + "," + customer() + "}");
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(parse(first).at("total_jpy").as_int64(), 4400);
    EXPECT_EQ(parse(first).at("ends_at").as_string(), "2027-01-18T01:00:00.000+00:00");
    auto second = book("{" + at9 + "," + customer("b@example.jp") + "}");
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_NE(parse(first).at("resource_id"), parse(second).at("resource_id"))
        << "two staff, two bookings at 09:00: one each";
    auto third = book("{" + at9 + "," + customer("c@example.jp") + "}");
    EXPECT_EQ(third.status, 409) << third.body;

    // Aki's 15-minute buffer after 10:00 keeps her from 10:00, not Ben; 09:30 is taken for both.
    auto after = availability(cut, "2027-01-18", "2027-01-18");
    ASSERT_EQ(after.status, 200);
    std::map<std::string, std::vector<std::int64_t>> free;
    const auto after_body = parse(after);
    for (const auto& s : after_body.at("slots").as_array())
        for (const auto& r : s.at("resource_ids").as_array())
            free[std::string(s.at("starts_at").as_string())].push_back(r.as_int64());
    EXPECT_FALSE(free.contains("2027-01-18T00:00:00.000+00:00"));
    EXPECT_FALSE(free.contains("2027-01-18T00:30:00.000+00:00"));
    EXPECT_EQ(free["2027-01-18T01:00:00.000+00:00"], std::vector<std::int64_t>{ben});
    EXPECT_EQ(free["2027-01-18T01:30:00.000+00:00"], (std::vector<std::int64_t>{aki, ben}));

    // A start the offering does not offer (09:10), or outside hours (12:00), is refused.
    for (const auto* t : {"2027-01-18T00:10:00.000+00:00", "2027-01-18T03:00:00.000+00:00"}) {
        auto odd = book(
            R"({"offering_id":)" + std::to_string(cut) + R"(,"starts_at":")" + t + "\"," +
            customer() + "}"
        );
        EXPECT_EQ(odd.status, 422) << t;
        EXPECT_EQ(field(odd), "starts_at");
    }
    // Asking for Aki at 10:00 (in her buffer) is refused; Ben at 10:00 is fine.
    auto aki10 = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-01-18T01:00:00.000+00:00","resource_id":)" + std::to_string(aki) +
        "," + customer() + "}"
    );
    EXPECT_EQ(aki10.status, 409) << aki10.body;
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 2);
}

TEST_P(BookingEngine, AnAppointmentWithARoomNeedsTheRoomFreeToo) {
    const auto aki = resource("staff", "");
    const auto ben = resource("staff", "");
    const auto room = resource("room", R"("buffer_before_minutes":30)");
    const auto massage = offering(
        R"({"kind":"appointment","name":"整体","published":true,"duration_minutes":60,
            "resource_ids":[)" +
        std::to_string(aki) + "," + std::to_string(ben) + R"(],"room_id":)" + std::to_string(room) +
        "}"
    );
    auto a = book(
        R"({"offering_id":)" + std::to_string(massage) +
        R"(,"starts_at":"2027-01-19T00:00:00.000+00:00",)" + customer() + "}"
    );
    ASSERT_EQ(a.status, 201) << a.body;
    EXPECT_EQ(parse(a).at("room_id").as_int64(), room);
    // Ben is free at 09:00, but the one room is not; nor at 10:00, as the room needs its
    // 30 minutes before each use.
    auto b = book(
        R"({"offering_id":)" + std::to_string(massage) +
        R"(,"starts_at":"2027-01-19T00:00:00.000+00:00",)" + customer("b@example.jp") + "}"
    );
    EXPECT_EQ(b.status, 409) << b.body;
    EXPECT_EQ(
        starts(availability(massage, "2027-01-19", "2027-01-19")),
        std::vector<std::string>{"2027-01-19T02:00:00.000+00:00"}
    );
    // Nothing of the refused attempt stays on Ben or the room.
    EXPECT_EQ(scalar("SELECT coalesce(max(used), 0) FROM resource_usage"), 1);
}

TEST_P(BookingEngine, HolidaysWindowsAndExceptionsShapeAvailability) {
    const auto aki = resource("staff", R"("closed_on_holidays":true)", kEveryDay);
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "opens_before_minutes":40320,"closes_before_minutes":1440,"resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    // Thursday 11 February 2027 is National Foundation Day: closed; the 10th and 12th open.
    auto feb = availability(cut, "2027-02-10", "2027-02-12");
    std::set<std::string> days;
    for (const auto& s : starts(feb)) days.insert(s.substr(0, 10));
    EXPECT_EQ(days, (std::set<std::string>{"2027-02-10", "2027-02-12"}));
    // The window opens 28 days ahead: nothing on 13 February (29 days) yet.
    EXPECT_TRUE(starts(availability(cut, "2027-02-13", "2027-02-13")).empty());
    // It closes a day ahead: tomorrow (Saturday 16th) has nothing, Sunday 17th has slots.
    EXPECT_TRUE(starts(availability(cut, "2027-01-16", "2027-01-16")).empty());
    EXPECT_EQ(starts(availability(cut, "2027-01-17", "2027-01-17")).size(), 3u);
    // A date exception with other hours wins over the week.
    ASSERT_EQ(
        call(
            "PUT",
            "/api/v1/resources/" + std::to_string(aki) + "/exceptions/2027-01-20",
            boss_,
            R"({"hours":[{"opens":"10:00","closes":"11:00"}]})"
        )
            .status,
        200
    );
    EXPECT_EQ(
        starts(availability(cut, "2027-01-20", "2027-01-20")),
        std::vector<std::string>{"2027-01-20T01:00:00.000+00:00"}
    );
    auto late = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-02-13T00:00:00.000+00:00",)" + customer() + "}"
    );
    EXPECT_EQ(late.status, 422) << "outside the window";
    EXPECT_EQ(field(late), "starts_at");
    EXPECT_EQ(availability(cut, "2027-01-01", "2027-02-15").status, 400) << "over 31 days";
}

TEST_P(BookingEngine, SlotsFollowTheLocalClockAcrossDaylightSaving) {
    ASSERT_TRUE(tdb_->db().write_platform([&](storage::Tx& tx) {
        return tx.exec(
            "UPDATE tenants SET time_zone = 'America/New_York' WHERE id = $1", salon_.value
        );
    }));
    now_is("2027-03-01T00:00:00.000+00:00");
    const auto aki = resource("staff", "", kEveryDay);
    const auto cut = offering(
        R"({"kind":"appointment","name":"Cut","published":true,"duration_minutes":180,
            "resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    // DST begins on Sunday 14 March 2027: 09:00 local is 14:00 UTC before, 13:00 after.
    EXPECT_EQ(
        starts(availability(cut, "2027-03-13", "2027-03-15")),
        (std::vector<std::string>{
            "2027-03-13T14:00:00.000+00:00",
            "2027-03-14T13:00:00.000+00:00",
            "2027-03-15T13:00:00.000+00:00"})
    );
    // …and ends on 7 November: back to 14:00 UTC.
    now_is("2027-10-20T00:00:00.000+00:00");
    EXPECT_EQ(
        starts(availability(cut, "2027-11-06", "2027-11-07")),
        (std::vector<std::string>{"2027-11-06T13:00:00.000+00:00", "2027-11-07T14:00:00.000+00:00"})
    );
    auto b = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-11-07T14:00:00.000+00:00",)" + customer() + "}"
    );
    EXPECT_EQ(b.status, 201) << b.body;
}

TEST_P(BookingEngine, RentalsCountBlocksStockAndWaitForApproval) {
    const auto tents = resource("equipment", R"("units":3)", kEveryDay);
    const auto rent = offering(
        R"({"kind":"rental","name":"テント","published":true,"duration_minutes":60,
            "min_blocks":1,"max_blocks":3,"price_jpy":500,"max_per_order":3,
            "requires_approval":true,"resource_ids":[)" +
        std::to_string(tents) + "]}"
    );
    auto slots = availability(rent, "2027-01-18", "2027-01-18");
    ASSERT_EQ(starts(slots).size(), 3u);
    EXPECT_EQ(parse(slots).at("slots").at(0).at("remaining").as_int64(), 3);
    const auto at = [&](const std::string& t, int blocks, int quantity, const std::string& email) {
        return book(
            R"({"offering_id":)" + std::to_string(rent) + R"(,"starts_at":")" + t +
            R"(","blocks":)" + std::to_string(blocks) + R"(,"quantity":)" +
            std::to_string(quantity) + "," + customer(email) + "}"
        );
    };
    auto two = at("2027-01-18T00:00:00.000+00:00", 2, 2, "a@example.jp");
    ASSERT_EQ(two.status, 201) << two.body;
    EXPECT_EQ(str(two, "status"), "pending");
    EXPECT_EQ(parse(two).at("total_jpy").as_int64(), 2 * 2 * 500);
    EXPECT_EQ(at("2027-01-18T01:00:00.000+00:00", 1, 2, "b@example.jp").status, 409)
        << "one tent left";
    auto one = at("2027-01-18T01:00:00.000+00:00", 2, 1, "c@example.jp");
    ASSERT_EQ(one.status, 201) << one.body;
    EXPECT_EQ(at("2027-01-18T00:00:00.000+00:00", 4, 1, "d@example.jp").status, 400)
        << "max 3 blocks";
    EXPECT_EQ(at("2027-01-18T02:00:00.000+00:00", 2, 1, "d@example.jp").status, 422)
        << "past closing";

    const auto ref2 = str(two, "reference");
    auto approved = call("POST", "/api/v1/bookings/" + ref2 + "/approve", boss_);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(str(approved, "status"), "confirmed");
    EXPECT_EQ(call("POST", "/api/v1/bookings/" + ref2 + "/approve", boss_).status, 422);
    auto rejected = call("POST", "/api/v1/bookings/" + str(one, "reference") + "/reject", boss_);
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    EXPECT_EQ(str(rejected, "status"), "rejected");
    // The rejected tent is free again: 10:00 has one left.
    EXPECT_EQ(
        parse(availability(rent, "2027-01-18", "2027-01-18"))
            .at("slots")
            .at(1)
            .at("remaining")
            .as_int64(),
        1
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.received'"), 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.confirmed'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.rejected'"), 1);
}

TEST_P(BookingEngine, ACourseTakesASeatInEverySession) {
    const auto course = offering(
        R"({"kind":"course","name":"書道入門（全3回）","published":true,
            "applications_close_at":"2027-02-01T00:00:00.000+00:00",
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":9000}]})"
    );
    for (int week = 0; week < 3; ++week) {
        const auto start =
            *parse_rfc3339("2027-02-06T01:00:00.000+00:00") + std::chrono::hours(24 * 7 * week);
        make(
            "/api/v1/offerings/" + std::to_string(course) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":)" + (week == 1 ? "2" : "5") +
                "}"
        );
    }
    auto slot = availability(course, "2027-02-01", "2027-02-28");
    ASSERT_EQ(starts(slot), std::vector<std::string>{"2027-02-06T01:00:00.000+00:00"});
    EXPECT_EQ(parse(slot).at("slots").at(0).at("remaining").as_int64(), 2)
        << "the smallest session";
    const std::string enrol =
        R"({"offering_id":)" + std::to_string(course) + R"(,"tickets":{"adult":1},)";
    auto a = book(enrol + customer("a@example.jp") + "}");
    ASSERT_EQ(a.status, 201) << a.body;
    EXPECT_EQ(parse(a).at("ends_at").as_string(), "2027-02-20T03:00:00.000+00:00");
    EXPECT_EQ(book(enrol + customer("b@example.jp") + "}").status, 201);
    EXPECT_EQ(book(enrol + customer("c@example.jp") + "}").status, 409);
    EXPECT_EQ(scalar("SELECT CAST(sum(taken) AS bigint) FROM occurrences"), 6)
        << "two seats in each of three";
    auto more = call(
        "POST",
        "/api/v1/offerings/" + std::to_string(course) + "/occurrences",
        boss_,
        R"({"starts_at":"2027-03-06T01:00:00.000+00:00","ends_at":"2027-03-06T03:00:00.000+00:00","capacity":5})"
    );
    EXPECT_EQ(more.status, 422) << "sessions are fixed once someone enrolled";
    auto cancelled = call("DELETE", "/api/v1/bookings/" + str(a, "reference"), boss_);
    ASSERT_EQ(cancelled.status, 200);
    EXPECT_EQ(scalar("SELECT CAST(sum(taken) AS bigint) FROM occurrences"), 3);
    now_is("2027-02-01T00:00:00.000+00:00");
    auto closed = book(enrol + customer("d@example.jp") + "}");
    EXPECT_EQ(closed.status, 422) << "applications closed";
}

TEST_P(BookingEngine, HoldsKeepPlacesUntilTheyExpire) {
    const auto event = offering(
        R"({"kind":"event","name":"Live","published":true,"hold_minutes":10,
            "ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
    );
    const auto occ = make(
        "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
        R"({"starts_at":"2027-02-06T10:00:00.000+00:00","ends_at":"2027-02-06T12:00:00.000+00:00","capacity":1})"
    );
    const std::string pick =
        R"({"occurrence_id":)" + std::to_string(occ) + R"(,"tickets":{"adult":1})";
    auto hold = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/holds",
        kJson + "Idempotency-Key: hold-0001\r\n",
        pick + "}"
    );
    ASSERT_EQ(hold.status, 201) << hold.body;
    EXPECT_EQ(str(hold, "status"), "held");
    EXPECT_EQ(parse(hold).at("hold_expires_at").as_string(), "2027-01-15T08:10:00.000+00:00");
    EXPECT_EQ(book(pick + "," + customer("b@example.jp") + "}").status, 409) << "the seat is held";
    const auto ref = str(hold, "reference");
    // Confirmed in time: a booking with the customer's details.
    auto confirm = [&](const std::string& r) {
        return call(
            "POST", "/api/v1/public/salon/holds/" + r + "/confirm", "", "{" + customer() + "}"
        );
    };
    auto ok = confirm(ref);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(str(ok, "status"), "confirmed");
    EXPECT_EQ(confirm(ref).status, 200) << "confirming again returns the booking";
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);

    // A hold that runs out: the next booking takes the seat, confirming then is refused.
    auto late = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/holds",
        kJson + "Idempotency-Key: hold-0002\r\n",
        pick + "}"
    );
    ASSERT_EQ(late.status, 201) << late.body;
    id_->clock.advance(11min);
    auto taken = book(pick + "," + customer("c@example.jp") + "}");
    EXPECT_EQ(taken.status, 201) << taken.body;
    auto expired = confirm(str(late, "reference"));
    EXPECT_EQ(expired.status, 409) << expired.body;
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE status = 'expired'"), 1);
    EXPECT_EQ(scalar("SELECT taken FROM occurrences"), 1);

    // The periodic release finds holds no booking attempt touched.
    auto third = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/holds",
        kJson + "Idempotency-Key: hold-0003\r\n",
        pick + "}"
    );
    EXPECT_EQ(third.status, 409) << "sold out";
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + str(taken, "reference"), boss_).status, 200);
    auto fourth = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/holds",
        kJson + "Idempotency-Key: hold-0004\r\n",
        pick + "}"
    );
    ASSERT_EQ(fourth.status, 201);
    id_->clock.advance(11min);
    auto released = id_->services->bookings.release_all_expired_holds();
    ASSERT_TRUE(released);
    EXPECT_EQ(*released, 1);
    EXPECT_EQ(scalar("SELECT taken FROM occurrences"), 0);

    // Once it has started, the public list no longer shows the occurrence; staff still see it.
    const auto shown = [&](const std::string& path, const std::string& who) {
        auto r = call("GET", path, who);
        EXPECT_EQ(r.status, 200) << r.body;
        std::size_t n = 0;
        const auto body = parse(r);
        if (const auto* items = body.as_object().if_contains("items")) {
            for (const auto& o : items->as_array())
                if (o.at("id").as_int64() == event) n += o.at("occurrences").as_array().size();
        } else {
            n = body.at("occurrences").as_array().size();
        }
        return n;
    };
    EXPECT_EQ(shown("/api/v1/public/salon/offerings", ""), 1u);
    now_is("2027-02-06T10:30:00Z");
    EXPECT_EQ(shown("/api/v1/public/salon/offerings", ""), 0u);
    EXPECT_EQ(shown("/api/v1/offerings/" + std::to_string(event), boss_), 1u);
}

TEST_P(BookingEngine, RescheduleIsOneMoveAndARefusalChangesNothing) {
    const auto aki = resource("staff", "");
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "cancel_before_minutes":1440,"resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    const auto at = [&](const std::string& t, const std::string& email) {
        return book(
            R"({"offering_id":)" + std::to_string(cut) + R"(,"starts_at":")" + t + "\"," +
            customer(email) + "}"
        );
    };
    auto mine = at("2027-01-18T00:00:00.000+00:00", "hanako@example.jp");
    auto theirs = at("2027-01-18T01:00:00.000+00:00", "b@example.jp");
    ASSERT_EQ(mine.status, 201);
    ASSERT_EQ(theirs.status, 201);
    const auto ref = str(mine, "reference");
    const auto move = [&](const std::string& t, const std::string& email) {
        return call(
            "POST",
            "/api/v1/public/salon/bookings/" + ref + "/reschedule",
            "",
            R"({"email":")" + email + R"(","starts_at":")" + t + "\"}"
        );
    };
    EXPECT_EQ(move("2027-01-18T02:00:00.000+00:00", "someone@else.jp").status, 404) << "not theirs";
    auto refused = move("2027-01-18T01:00:00.000+00:00", "hanako@example.jp");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(
        starts(availability(cut, "2027-01-18", "2027-01-18")),
        std::vector<std::string>{"2027-01-18T02:00:00.000+00:00"}
    ) << "the refused move left both bookings where they were";
    auto moved = move("2027-01-18T02:00:00.000+00:00", "HANAKO@example.jp");
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(str(moved, "starts_at"), "2027-01-18T02:00:00.000+00:00");
    EXPECT_EQ(
        starts(availability(cut, "2027-01-18", "2027-01-18")),
        std::vector<std::string>{"2027-01-18T00:00:00.000+00:00"}
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.rescheduled'"), 1);
    // Staff may move it even inside the deadline; the customer may not.
    now_is("2027-01-17T12:00:00.000+00:00");
    EXPECT_EQ(move("2027-01-18T00:00:00.000+00:00", "hanako@example.jp").status, 422);
    auto staff_move = call(
        "POST",
        "/api/v1/bookings/" + ref + "/reschedule",
        boss_,
        R"({"starts_at":"2027-01-18T00:00:00.000+00:00"})"
    );
    EXPECT_EQ(staff_move.status, 200) << staff_move.body;
}

TEST_P(BookingEngine, CheckInOnceAndNoShowOnlyAfterTheStart) {
    const auto aki = resource("staff", "", kEveryDay);
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    auto a = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-01-16T00:00:00.000+00:00",)" + customer() + "}"
    );
    auto b = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-01-16T01:00:00.000+00:00",)" + customer("b@example.jp") + "}"
    );
    ASSERT_EQ(a.status, 201);
    ASSERT_EQ(b.status, 201);
    EXPECT_EQ(
        call("POST", "/api/v1/bookings/" + str(b, "reference") + "/no-show", boss_).status, 422
    ) << "before the start";
    // A kiosk token checks in (it may do nothing else).
    auto token = call(
        "POST",
        "/api/v1/api-tokens",
        boss_,
        R"({"kind":"kiosk","name":"Front desk","scopes":["tenant.checkin"]})"
    );
    ASSERT_EQ(token.status, 201) << token.body;
    const std::string kiosk = "Authorization: Bearer " + str(token, "token") + "\r\n";
    now_is("2027-01-15T23:50:00.000+00:00");
    auto in = call("POST", "/api/v1/bookings/" + str(a, "reference") + "/check-in", kiosk);
    ASSERT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(str(in, "status"), "checked_in");
    EXPECT_FALSE(parse(in).as_object().contains("customer")) << "a kiosk shows no address";
    auto again = call("POST", "/api/v1/bookings/" + str(a, "reference") + "/check-in", kiosk);
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(call("GET", "/api/v1/bookings/" + str(a, "reference"), kiosk).status, 403);
    now_is("2027-01-16T01:20:00.000+00:00");
    auto gone = call("POST", "/api/v1/bookings/" + str(b, "reference") + "/no-show", boss_);
    ASSERT_EQ(gone.status, 200) << gone.body;
    EXPECT_EQ(str(gone, "status"), "no_show");
    EXPECT_EQ(
        call("POST", "/api/v1/bookings/" + str(b, "reference") + "/check-in", kiosk).status, 422
    );
}

TEST_P(BookingEngine, QuestionsAreCheckedAndAnswersSealed) {
    const auto aki = resource("staff", "");
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "resource_ids":[)" +
        std::to_string(aki) + R"(],"questions":[
            {"id":"length","label":"長さ","type":"choice","required":true,"options":["短め","そのまま"]},
            {"id":"allergy","label":"アレルギー","type":"text"},
            {"id":"terms","label":"規約に同意","type":"checkbox","required":true}]})"
    );
    const std::string base = R"({"offering_id":)" + std::to_string(cut) +
                             R"(,"starts_at":"2027-01-18T00:00:00.000+00:00",)" + customer();
    auto missing = book(base + R"(,"answers":{"length":"短め"}})");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(field(missing), "answers.terms");
    auto wrong = book(base + R"(,"answers":{"length":"長め","terms":true}})");
    EXPECT_EQ(field(wrong), "answers.length");
    auto unknown = book(base + R"(,"answers":{"length":"短め","terms":true,"shoe":"26"}})");
    EXPECT_EQ(field(unknown), "answers.shoe");
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 0);
    EXPECT_EQ(scalar("SELECT coalesce(max(used), 0) FROM resource_usage"), 0);
    auto ok = book(
        base +
        R"(,"note":"Canary-Note-7Q","answers":{"length":"短め","allergy":"Canary-Answer-7Q","terms":true}})"
    );
    ASSERT_EQ(ok.status, 201) << ok.body;
    EXPECT_FALSE(parse(ok).as_object().contains("answers")) << "the public answer shows no details";
    auto staff_view = call("GET", "/api/v1/bookings/" + str(ok, "reference"), boss_);
    ASSERT_EQ(staff_view.status, 200);
    EXPECT_EQ(parse(staff_view).at("answers").at("allergy").as_string(), "Canary-Answer-7Q");
    EXPECT_EQ(parse(staff_view).at("note").as_string(), "Canary-Note-7Q");
    EXPECT_EQ(
        scalar("SELECT count(*) FROM bookings WHERE CAST(customer_sealed AS text) LIKE '%Canary%'"),
        0
    );
}

TEST_P(BookingEngine, CustomersFindCancelAndListTheirOwnBookings) {
    const auto aki = resource("staff", "", kEveryDay);
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "cancel_before_minutes":1440,"resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    id_->account(salon_, access::Role::customer, "member@example.jp");
    auto member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    auto mine = book(
        R"({"offering_id":)" + std::to_string(cut) +
            R"(,"starts_at":"2027-01-18T00:00:00.000+00:00",)" + customer("ignored@example.jp") +
            "}",
        member
    );
    ASSERT_EQ(mine.status, 201) << mine.body;
    auto list = call("GET", "/api/v1/me/bookings", member);
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(parse(list).at("items").as_array().size(), 1u);
    EXPECT_EQ(
        parse(list).at("items").at(0).at("customer").at("email").as_string(), "member@example.jp"
    ) << "a signed-in customer books under their account's address";
    auto guest = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-01-18T01:00:00.000+00:00",)" + customer() + "}"
    );
    ASSERT_EQ(guest.status, 201);
    const auto gref = str(guest, "reference");
    const auto lookup = [&](const std::string& email) {
        return call(
            "POST",
            "/api/v1/public/salon/bookings/" + gref + "/lookup",
            "",
            R"({"email":")" + email + "\"}"
        );
    };
    EXPECT_EQ(lookup("other@example.jp").status, 404);
    EXPECT_EQ(
        call("POST", "/api/v1/public/salon/bookings/" + gref + "/lookup", member, "{}").status, 404
    ) << "another customer's booking";
    EXPECT_EQ(lookup("hanako@example.jp").status, 200);
    auto cancel = call(
        "POST",
        "/api/v1/public/salon/bookings/" + gref + "/cancel",
        "",
        R"({"email":"hanako@example.jp"})"
    );
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    EXPECT_EQ(str(cancel, "status"), "cancelled");
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.cancelled'"), 1);
    now_is("2027-01-17T12:00:00.000+00:00");
    member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    auto late = call(
        "POST", "/api/v1/public/salon/bookings/" + str(mine, "reference") + "/cancel", member, "{}"
    );
    EXPECT_EQ(late.status, 422) << "past the deadline";
    // Staff search by address finds it through the blind index.
    auto found = call("GET", "/api/v1/bookings?email=hanako%40example.jp", boss_);
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(parse(found).at("items").as_array().size(), 1u);
}

TEST_P(BookingEngine, CustomersRenameExportAndEraseTheirAccount) {
    const auto aki = resource("staff", "", kEveryDay);
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    const auto account = id_->account(salon_, access::Role::customer, "member@example.jp");
    auto member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    auto mine = book(
        R"({"offering_id":)" + std::to_string(cut) +
            R"(,"starts_at":"2027-01-18T00:00:00.000+00:00",)" + customer("x@example.jp") + "}",
        member
    );
    ASSERT_EQ(mine.status, 201) << mine.body;
    const auto ref = str(mine, "reference");

    auto blank = call("PATCH", "/api/v1/me", member, R"({"name":"  "})");
    EXPECT_EQ(blank.status, 400);
    EXPECT_EQ(field(blank), "name");
    auto renamed = call("PATCH", "/api/v1/me", member, R"({"name":"佐藤 花"})");
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_EQ(str(renamed, "name"), "佐藤 花");
    auto boss = call("PATCH", "/api/v1/me", boss_, R"({"locale":"en"})");
    ASSERT_EQ(boss.status, 200) << "every account sets its own name and mail language";
    EXPECT_EQ(str(boss, "locale"), "en");
    EXPECT_EQ(call("DELETE", "/api/v1/me", boss_).status, 403) << "staff do not erase themselves";

    auto exported = call("GET", "/api/v1/me/export", member);
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_NE(exported.header("content-disposition").find("attachment"), std::string::npos);
    const auto data = parse(exported);
    EXPECT_EQ(data.at("account").at("email").as_string(), "member@example.jp");
    EXPECT_EQ(data.at("account").at("name").as_string(), "佐藤 花");
    ASSERT_EQ(data.at("bookings").as_array().size(), 1u);
    EXPECT_EQ(data.at("bookings").at(0).at("reference").as_string(), ref);
    EXPECT_EQ(data.at("bookings").at(0).at("customer").at("phone").as_string(), "09012345678");
    EXPECT_GE(data.at("sessions").as_array().size(), 1u);

    auto upcoming = call("DELETE", "/api/v1/me", member);
    EXPECT_EQ(upcoming.status, 409) << upcoming.body;
    EXPECT_EQ(field(upcoming), "bookings");
    EXPECT_EQ(scalar("SELECT count(*) FROM accounts WHERE role = 'customer'"), 1);

    now_is("2027-01-19T00:00:00.000+00:00");
    member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    id_->clock.advance(std::chrono::minutes(11));
    auto stale = call("DELETE", "/api/v1/me", member);
    EXPECT_EQ(stale.status, 403);
    EXPECT_EQ(str(stale, "code"), "reauthentication_required");
    member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    auto erased = call("DELETE", "/api/v1/me", member);
    ASSERT_EQ(erased.status, 204) << erased.body;
    EXPECT_NE(erased.header("set-cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/v1/session", member).status, 401);
    EXPECT_THROW(signed_in_headers(server_->port(), "salon", "member@example.jp"), std::exception);
    EXPECT_EQ(scalar("SELECT count(*) FROM accounts WHERE id = " + to_string(account)), 0);

    // The booking stays for the tenant's counts, without anybody's details.
    auto kept = call("GET", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(kept.status, 200) << kept.body;
    EXPECT_EQ(str(kept, "status"), "confirmed");
    EXPECT_EQ(parse(kept).at("customer").at("email").as_string(), "");
    EXPECT_EQ(parse(kept).at("customer").at("phone").as_string(), "");
    auto search = call("GET", "/api/v1/bookings?email=member%40example.jp", boss_);
    ASSERT_EQ(search.status, 200);
    EXPECT_TRUE(parse(search).at("items").as_array().empty());
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'account.erased' AND target = "
            "'account:" +
            to_string(account) + "'"
        ),
        1
    );
}

TEST_P(BookingEngine, StaffBookForACustomerAndSearchTheDay) {
    const auto aki = resource("staff", "");
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":false,"duration_minutes":60,
            "resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    const std::string body = R"({"offering_id":)" + std::to_string(cut) +
                             R"(,"starts_at":"2027-01-18T01:00:00Z",)" + customer() + "}";
    // A draft takes no public bookings; staff book only published offerings too.
    EXPECT_EQ(book(body).status, 404);
    ASSERT_EQ(
        call(
            "PUT",
            "/api/v1/offerings/" + std::to_string(cut),
            boss_,
            R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
                "resource_ids":[)" +
                std::to_string(aki) + "]}"
        )
            .status,
        200
    );
    EXPECT_EQ(call("POST", "/api/v1/bookings", boss_, body).status, 400) << "no Idempotency-Key";
    auto phoned = call("POST", "/api/v1/bookings", boss_ + "Idempotency-Key: phone-0001\r\n", body);
    ASSERT_EQ(phoned.status, 201) << phoned.body;
    EXPECT_EQ(parse(phoned).at("customer").at("name").as_string(), "山田 花子");
    auto day = call(
        "GET",
        "/api/v1/bookings?from=2027-01-18T00:00:00Z&to=2027-01-19T00:00:00Z&status=confirmed",
        boss_
    );
    ASSERT_EQ(day.status, 200) << day.body;
    ASSERT_EQ(parse(day).at("items").as_array().size(), 1u);
    EXPECT_EQ(parse(day).at("items").at(0).at("reference"), parse(phoned).at("reference"));
    EXPECT_EQ(
        parse(call("GET", "/api/v1/bookings?status=cancelled", boss_))
            .at("items")
            .as_array()
            .size(),
        0u
    );
    auto bad = call("GET", "/api/v1/bookings?status=lost", boss_);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "status");
    EXPECT_EQ(field(call("GET", "/api/v1/bookings?from=yesterday", boss_)), "from");
}

TEST_P(BookingEngine, ThirtyTwoRequestsForOneAppointmentHaveOneWinnerEveryRound) {
    const auto aki = resource("staff", R"("buffer_after_minutes":10)", kEveryDay);
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":30,
            "resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    for (int round = 0; round < 6; ++round) {
        const auto start =
            *parse_rfc3339("2027-01-18T00:00:00.000+00:00") + std::chrono::hours(24 * round);
        std::atomic<int> won{0}, lost{0}, other{0};
        std::latch go(32);
        std::vector<std::thread> clients;
        for (int i = 0; i < 32; ++i)
            clients.emplace_back([&, i] {
                go.arrive_and_wait();
                auto r = book(
                    R"({"offering_id":)" + std::to_string(cut) + R"(,"starts_at":")" +
                        format_rfc3339(start, "UTC") + "\"," + customer() + "}",
                    "",
                    "race-" + std::to_string(round) + "-" + std::to_string(i)
                );
                (r.status == 201 ? won : r.status == 409 ? lost : other)++;
            });
        for (auto& t : clients) t.join();
        EXPECT_EQ(won.load(), 1) << "round " << round;
        EXPECT_EQ(lost.load(), 31);
        EXPECT_EQ(other.load(), 0);
    }
    EXPECT_EQ(scalar("SELECT max(used) FROM resource_usage"), 1);
}

TEST_P(BookingEngine, OfferingsRefuseBadSetupNamingTheField) {
    const auto room = resource("room", "");
    const auto aki = resource("staff", "");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"kind":"appointment","name":"x","duration_minutes":7,"resource_ids":[)" +
             std::to_string(aki) + "]}",
         "duration_minutes"},
        {R"({"kind":"appointment","name":"x","duration_minutes":60,"resource_ids":[)" +
             std::to_string(room) + "]}",
         "resource_ids[0]"},
        {R"({"kind":"appointment","name":"x","duration_minutes":60,"resource_ids":[]})",
         "resource_ids"},
        {R"({"kind":"rental","name":"x","duration_minutes":60,"min_blocks":3,"max_blocks":2,"resource_ids":[)" +
             std::to_string(room) + "]}",
         "max_blocks"},
        {R"({"kind":"rental","name":"x","duration_minutes":60,"resource_ids":[999999]})",
         "resource_ids[0]"},
        {R"({"kind":"event","name":"x","ticket_types":[]})", "ticket_types"},
        {R"({"kind":"event","name":"x","price_jpy":100,"ticket_types":[{"code":"a","name":"A","price_jpy":1}]})",
         "price_jpy"},
        {R"({"kind":"course","name":"x","applications_open_at":"2027-02-01T00:00:00.000+00:00","applications_close_at":"2027-01-01T00:00:00.000+00:00","ticket_types":[{"code":"a","name":"A","price_jpy":1}]})",
         "applications_close_at"},
        {R"({"kind":"appointment","name":"x","duration_minutes":60,"resource_ids":[)" +
             std::to_string(aki) + R"(],"questions":[{"id":"q","label":"Q","type":"choice"}]})",
         "questions[0].options"},
        {R"({"kind":"appointment","name":"x","duration_minutes":60,"resource_ids":[)" +
             std::to_string(aki) +
             R"(],"questions":[{"id":"q","label":"Q","type":"text","colour":1}]})",
         "questions[0].colour"},
        {R"({"kind":"appointment","name":"x","duration_minutes":60,"resource_ids":[)" +
             std::to_string(aki) + R"(],"surprise":1})",
         "surprise"},
    };
    for (const auto& [body, expected] : cases) {
        auto r = call("POST", "/api/v1/offerings", boss_, body);
        EXPECT_EQ(r.status, 400) << body << " → " << r.body;
        if (r.status == 400) {
            EXPECT_EQ(field(r), expected) << body;
        }
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM offerings"), 0);
    // PUT replaces an offering; the kind stays.
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","duration_minutes":60,"resource_ids":[)" +
        std::to_string(aki) + "]}"
    );
    EXPECT_EQ(availability(cut, "2027-01-18", "2027-01-18").status, 404) << "a draft is not public";
    auto published = call(
        "PUT",
        "/api/v1/offerings/" + std::to_string(cut),
        boss_,
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":30,"resource_ids":[)" +
            std::to_string(aki) + "]}"
    );
    ASSERT_EQ(published.status, 200) << published.body;
    EXPECT_EQ(starts(availability(cut, "2027-01-18", "2027-01-18")).size(), 6u);
    auto rekind = call(
        "PUT",
        "/api/v1/offerings/" + std::to_string(cut),
        boss_,
        R"({"kind":"rental","name":"x","duration_minutes":60,"resource_ids":[)" +
            std::to_string(room) + "]}"
    );
    EXPECT_EQ(field(rekind), "kind");
}

TEST_P(BookingEngine, NoCanaryInTheDatabaseFilesOrAPostgreSqlDump) {
    const auto aki = resource("staff", "");
    const auto cut = offering(
        R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,
            "resource_ids":[)" +
        std::to_string(aki) + R"(],"questions":[{"id":"q","label":"Q","type":"text"}]})"
    );
    auto ok = book(
        R"({"offering_id":)" + std::to_string(cut) +
        R"(,"starts_at":"2027-01-18T00:00:00Z","note":"Canary-Note-Dump",)"
        R"("answers":{"q":"Canary-Answer-Dump"},)"
        R"("customer":{"name":"Canary Dumpname","email":"canary.dump@example.jp","phone":"090-5555-0101"}})"
    );
    ASSERT_EQ(ok.status, 201) << ok.body;
    std::vector<std::pair<std::string, std::string>> stored;  // where → bytes
    if (GetParam() == storage::Backend::sqlite) {
        // The database file and its WAL, where the committed pages are now.
        for (const auto& entry : std::filesystem::directory_iterator(tdb_->dir().path())) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream bytes;
            bytes << in.rdbuf();
            stored.emplace_back(entry.path().string(), bytes.str());
        }
    } else {
        // Row-level security hides other tenants' rows from a dump; the salon's are in it.
        const std::string cmd =
            "PGOPTIONS='-c app.tenant_id=" + std::to_string(salon_.value) +
            "' /usr/lib/postgresql/15/bin/pg_dump --enable-row-security --data-only --schema=" +
            tdb_->schema() + " '" + pg_test_url() + "'";
        FILE* p = ::popen(cmd.c_str(), "r");
        ASSERT_NE(p, nullptr);
        std::string dump;
        char buf[65536];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) dump.append(buf, n);
        ASSERT_EQ(::pclose(p), 0) << "pg_dump failed";
        ASSERT_NE(dump.find("COPY " + tdb_->schema() + ".bookings"), std::string::npos)
            << "the dump has the bookings";
        stored.emplace_back("pg_dump", std::move(dump));
    }
    ASSERT_FALSE(stored.empty());
    // What is not personal stays readable there: the search is looking at the right bytes.
    EXPECT_TRUE(std::any_of(stored.begin(), stored.end(), [](const auto& x) {
        return x.second.find("カット") != std::string::npos;
    }));
    for (const auto& [where, bytes] : stored)
        for (const char* canary :
             {"Canary Dumpname",
              "canary.dump@example.jp",
              "09055550101",
              "Canary-Note-Dump",
              "Canary-Answer-Dump"})
            EXPECT_EQ(bytes.find(canary), std::string::npos) << canary << " in " << where;
}

// SPEC S3 on the booking site: a guest's address books a few times freely, then each booking
// needs a solved challenge, spent once; signed-in customers and allow-listed addresses are
// never asked.
class GuestChallenge : public BookingEngine {
protected:
    accounts::DefenceOptions defence() const override {
        accounts::DefenceOptions d;
        d.booking_burst = 2;
        d.booking_per_minute = 1;
        return d;
    }
};

TEST_P(GuestChallenge, AfterAFewFreeBookingsEachNeedsASolvedChallenge) {
    const auto event = offering(
        R"({"kind":"event","name":"Live","published":true,
            "ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
    );
    const auto occ = make(
        "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
        R"({"starts_at":"2027-02-06T10:00:00.000+00:00","ends_at":"2027-02-06T12:00:00.000+00:00","capacity":50})"
    );
    const std::string pick = R"({"occurrence_id":)" + std::to_string(occ) +
                             R"(,"tickets":{"adult":1},)" + customer() + "}";
    EXPECT_EQ(book(pick).status, 201);
    EXPECT_EQ(book(pick).status, 201);
    auto third = book(pick);
    EXPECT_EQ(third.status, 400) << third.body;
    EXPECT_EQ(field(third), "altcha");
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 2) << "nothing taken without the answer";

    const auto solved = pay(server_->port(), pick);
    auto paid = book(solved);
    EXPECT_EQ(paid.status, 201) << paid.body;
    auto again = book(solved);
    EXPECT_EQ(again.status, 400) << "an answer works once";
    EXPECT_EQ(field(again), "altcha");
    auto forged = book(R"({"altcha":"eyJmb3JnZWQiOnRydWV9",)" + pick.substr(1));
    EXPECT_EQ(forged.status, 400);
    EXPECT_EQ(field(forged), "altcha");

    // A minute later one more is free again.
    id_->clock.advance(std::chrono::seconds(61));
    EXPECT_EQ(book(pick).status, 201);
    EXPECT_EQ(book(pick).status, 400);

    // A signed-in customer is never asked.
    id_->account(salon_, access::Role::customer, "member@example.jp");
    const auto member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    EXPECT_EQ(book(pick, member).status, 201);
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 5);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    GuestChallenge,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

INSTANTIATE_TEST_SUITE_P(
    Backends,
    BookingEngine,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

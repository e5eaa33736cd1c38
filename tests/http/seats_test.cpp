// Assigned seating on both backends (issue 26): a hall's seat map drawn through the API (a bad
// layout refused naming the field), an event selling its numbered seats — chosen, or the best
// available side by side — each ticket naming its seat; a seat taken is refused and leaves
// nothing behind; cancelling gives the seats back; staff move a customer to other seats in
// one step (tickets re-issued); the house keeps seats off sale; a map keeps its sold seats;
// prices differ by seat category (a waiter names the category; house seats given back serve
// the waitlist); and a rush of 24 clients on 16 seats sells each seat once.

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include "domain/bookings/customer_sealing.hpp"
#include "domain/tickets/ticket.hpp"
#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

// Two rows of eight: A-1…A-8 at x 0–7 with an aisle between 4 and 5 (x 3 → 5); B-1…B-8 with a
// wheelchair place B-1 and its companion B-2; A-8 held back by the house.
const std::string kHall =
    R"({"categories":[{"code":"S","name":"S席"}],"sections":[{"name":"1階","rows":[
  {"name":"A","y":0,"seats":[{"number":1,"x":0,"category":"S"},{"number":2,"x":1,"category":"S"},
    {"number":3,"x":2,"category":"S"},{"number":4,"x":3,"category":"S"},
    {"number":5,"x":5,"category":"S"},{"number":6,"x":6,"category":"S"},
    {"number":7,"x":7,"category":"S"},{"number":8,"x":8,"category":"S","held":true}]},
  {"name":"B","y":1,"seats":[{"number":1,"x":0,"category":"S","kind":"wheelchair"},
    {"number":2,"x":1,"category":"S","kind":"companion"},{"number":3,"x":2,"category":"S"},
    {"number":4,"x":3,"category":"S"},{"number":5,"x":5,"category":"S"},
    {"number":6,"x":6,"category":"S"},{"number":7,"x":7,"category":"S"},
    {"number":8,"x":8,"category":"S"}]}]}]})";

// Row A is S席 (two seats), row B is A席 (three).
const std::string kTwoPrices =
    R"j({"name":"二階席のある会場","layout":{"categories":[{"code":"S","name":"S席"},
      {"code":"A","name":"A席"}],"sections":[{"name":"1階","rows":[
      {"name":"A","y":0,"seats":[{"number":1,"x":0,"category":"S"},{"number":2,"x":1,"category":"S"}]},
      {"name":"B","y":1,"seats":[{"number":1,"x":0,"category":"A"},{"number":2,"x":1,"category":"A"},
        {"number":3,"x":2,"category":"A"}]}]}]}})j";

class Seats : public BookingFixture {
protected:
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        hall_ = make("/api/v1/seat-maps", R"({"name":"市民ホール","layout":)" + kHall + "}");
        concert_ = offering(
            R"({"kind":"event","name":"室内楽の夕べ","published":true,"max_per_order":8,
                "seat_map_id":)" +
            std::to_string(hall_) +
            R"(,"ticket_types":[{"code":"adult","name":"一般","price_jpy":3000,"max_per_order":8}]})"
        );
        occurrence_ = make(
            "/api/v1/offerings/" + std::to_string(concert_) + "/occurrences",
            R"({"starts_at":"2027-03-06T09:00:00Z","ends_at":"2027-03-06T11:00:00Z","capacity":15})"
        );
    }
    HttpResult book_seats(int n, const std::string& seats, const std::string& key = "") {
        return book(
            R"({"occurrence_id":)" + std::to_string(occurrence_) + R"(,"tickets":{"adult":)" +
                std::to_string(n) + "}" + (seats.empty() ? "" : R"(,"seats":)" + seats) + "," +
                customer() + "}",
            "",
            key
        );
    }
    static std::vector<std::string> ids(const boost::json::value& a) {
        std::vector<std::string> out;
        for (const auto& v : a.as_array())
            out.emplace_back(v.is_string() ? v.as_string() : v.at("seat").as_string());
        return out;
    }
    std::vector<std::string> taken() {
        auto r = call(
            "GET", "/api/v1/public/salon/occurrences/" + std::to_string(occurrence_) + "/seats", ""
        );
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? ids(parse(r).at("taken")) : std::vector<std::string>{};
    }
    // The seats the booking's live tickets name, by number.
    std::vector<std::string> ticket_seats(const std::string& ref) {
        auto r = call("GET", "/api/v1/bookings/" + ref + "/tickets", boss_);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        if (r.status != 200) return out;
        const auto body = parse(r);
        for (const auto& t : body.at("tickets").as_array()) {
            if (!t.at("revoked_at").is_null()) continue;
            auto c = tickets::read_ticket(std::string(t.at("token").as_string()));
            EXPECT_TRUE(c);
            if (c) out.push_back(c->seat);
        }
        return out;
    }
    std::int64_t seats_taken_count() {
        return scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occurrence_));
    }
    std::int64_t hall_ = 0, concert_ = 0, occurrence_ = 0;
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_P(Seats, AMapIsCheckedAndTheBookingSiteSeesItWithNoSeatTaken) {
    auto bad = call(
        "POST",
        "/api/v1/seat-maps",
        boss_,
        R"({"name":"x","layout":{"sections":[{"name":"1階","rows":[{"name":"A","y":0,"seats":[
            {"number":1,"x":0},{"number":2,"x":0}]}]}]}})"
    );
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(field(bad), "layout.sections[0].rows[0].seats[1].x");
    auto no_layout = call("POST", "/api/v1/seat-maps", boss_, R"({"name":"x"})");
    EXPECT_EQ(no_layout.status, 400);
    EXPECT_EQ(field(no_layout), "layout");
    auto list = call("GET", "/api/v1/seat-maps", boss_);
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(parse(list).at("seat_maps").as_array().size(), 1u) << "nothing half-stored";
    EXPECT_EQ(parse(list).at("seat_maps").at(0).at("seats").as_int64(), 15);

    auto seats = call(
        "GET", "/api/v1/public/salon/occurrences/" + std::to_string(occurrence_) + "/seats", ""
    );
    ASSERT_EQ(seats.status, 200) << seats.body;
    const auto body = parse(seats);
    EXPECT_TRUE(body.at("taken").as_array().empty());
    EXPECT_EQ(
        body.at("layout").at("sections").at(0).at("rows").at(0).at("seats").at(7).at("held"), true
    );
    // An event without a map has no seats to show.
    const auto plain = offering(
        R"({"kind":"event","name":"x","published":true,
            "ticket_types":[{"code":"adult","name":"A","price_jpy":0}]})"
    );
    const auto plain_occ = make(
        "/api/v1/offerings/" + std::to_string(plain) + "/occurrences",
        R"({"starts_at":"2027-03-07T09:00:00Z","ends_at":"2027-03-07T10:00:00Z","capacity":5})"
    );
    EXPECT_EQ(
        call("GET", "/api/v1/public/salon/occurrences/" + std::to_string(plain_occ) + "/seats", "")
            .status,
        404
    );
    auto seats_on_plain = book(
        R"({"occurrence_id":)" + std::to_string(plain_occ) +
        R"(,"tickets":{"adult":1},"seats":["A-1"],)" + customer() + "}"
    );
    EXPECT_EQ(seats_on_plain.status, 400);
    EXPECT_EQ(field(seats_on_plain), "seats");
}

TEST_P(Seats, ChosenSeatsAreSoldOnceAndEachTicketNamesItsSeat) {
    auto r = book_seats(2, R"(["A-6","A-7"])");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(ids(parse(r).at("seat_ids")), (Ids{"A-6", "A-7"}));
    const auto ref = str(r, "reference");
    EXPECT_EQ(ticket_seats(ref), (Ids{"A-6", "A-7"}));
    EXPECT_EQ(taken(), (Ids{"A-6", "A-7"}));

    // A-7 again: refused on seats, and nothing of the request stays.
    const auto before = scalar("SELECT count(*) FROM bookings");
    auto again = book_seats(2, R"(["A-5","A-7"])");
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(field(again), "seats");
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), before);
    EXPECT_EQ(seats_taken_count(), 2);
    EXPECT_EQ(taken(), (Ids{"A-6", "A-7"}));

    // Seats that are not for sale, not in the hall, or not one per ticket.
    auto held = book_seats(1, R"(["A-8"])");
    EXPECT_EQ(held.status, 422) << held.body;
    EXPECT_EQ(field(held), "seats[0]");
    auto nowhere = book_seats(1, R"(["Z-1"])");
    EXPECT_EQ(nowhere.status, 400);
    EXPECT_EQ(field(nowhere), "seats[0]");
    auto twice = book_seats(2, R"(["B-5","B-5"])");
    EXPECT_EQ(twice.status, 400);
    EXPECT_EQ(field(twice), "seats[1]");
    auto count = book_seats(2, R"(["B-5"])");
    EXPECT_EQ(count.status, 400);
    EXPECT_EQ(field(count), "seats");

    // Cancelled: the seats are free again, the tickets revoked.
    auto cancel = call("DELETE", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    EXPECT_TRUE(taken().empty());
    EXPECT_TRUE(ticket_seats(ref).empty());
    EXPECT_EQ(book_seats(1, R"(["A-7"])").status, 201);
}

TEST_P(Seats, BestAvailableSeatsAPartyTogetherFrontRowNearTheMiddle) {
    // A-4 is sold: three together are A-1…A-3 or A-5…A-7, the latter nearer the middle.
    ASSERT_EQ(book_seats(1, R"(["A-4"])").status, 201);
    auto three = book_seats(3, "");
    ASSERT_EQ(three.status, 201) << three.body;
    EXPECT_EQ(ids(parse(three).at("seat_ids")), (Ids{"A-5", "A-6", "A-7"}));
    EXPECT_EQ(ticket_seats(str(three, "reference")), (Ids{"A-5", "A-6", "A-7"}));
    // Two: the front row still has A-1…A-3; A-2, A-3 are nearer its middle.
    auto two = book_seats(2, "");
    ASSERT_EQ(two.status, 201) << two.body;
    EXPECT_EQ(ids(parse(two).at("seat_ids")), (Ids{"A-2", "A-3"}));
    // Four together: row B right of the aisle (B-1, B-2 are accessible places).
    auto four = book_seats(4, "");
    ASSERT_EQ(four.status, 201) << four.body;
    EXPECT_EQ(ids(parse(four).at("seat_ids")), (Ids{"B-5", "B-6", "B-7", "B-8"}));
    // Three together are no longer anywhere: refused, nothing taken.
    const auto count = seats_taken_count();
    auto none = book_seats(3, "");
    EXPECT_EQ(none.status, 409) << none.body;
    EXPECT_EQ(field(none), "seats");
    EXPECT_EQ(seats_taken_count(), count);
}

TEST_P(Seats, StaffMoveACustomerToOtherSeatsInOneStep) {
    auto r = book_seats(2, R"(["A-1","A-2"])");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto ref = str(r, "reference");
    ASSERT_EQ(book_seats(1, R"(["B-4"])").status, 201);
    const auto move = [&](const std::string& seats) {
        return call(
            "POST",
            "/api/v1/bookings/" + ref + "/reschedule",
            boss_,
            R"({"occurrence_id":)" + std::to_string(occurrence_) + R"(,"seats":)" + seats + "}"
        );
    };
    // Onto a seat taken: refused, the booking keeps its seats and tickets.
    auto clash = move(R"(["B-3","B-4"])");
    EXPECT_EQ(clash.status, 409) << clash.body;
    EXPECT_EQ(ticket_seats(ref), (Ids{"A-1", "A-2"}));
    // Onto its own seat and a free one: one step, tickets re-issued for the new seats.
    auto moved = move(R"(["A-2","A-3"])");
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(ids(parse(moved).at("seat_ids")), (Ids{"A-2", "A-3"}));
    EXPECT_EQ(ticket_seats(ref), (Ids{"A-2", "A-3"}));
    EXPECT_EQ(taken(), (Ids{"A-2", "A-3", "B-4"}));
    EXPECT_EQ(seats_taken_count(), 3);
    // Staff see who sits where.
    auto staff =
        call("GET", "/api/v1/occurrences/" + std::to_string(occurrence_) + "/seats", boss_);
    ASSERT_EQ(staff.status, 200) << staff.body;
    EXPECT_EQ(parse(staff).at("taken").at(0).at("reference"), boost::json::value(ref));
    EXPECT_EQ(
        call("GET", "/api/v1/occurrences/" + std::to_string(occurrence_) + "/seats", "").status, 401
    );
}

TEST_P(Seats, PricesDifferBySeatCategory) {
    // Row A is S (8,000 yen a grown-up), row B is A (5,000); a child pays 1,000 on an A seat
    // (no price of its own there) and 4,000 on an S seat.
    const auto hall = make("/api/v1/seat-maps", kTwoPrices);
    const auto types = [](const std::string& prices) {
        return R"(,"ticket_types":[{"code":"adult","name":"一般","price_jpy":3000,"category_prices":)" +
               prices +
               R"(},{"code":"child","name":"小学生","price_jpy":1000,"category_prices":{"S":4000}}]})";
    };
    const std::string head =
        R"({"kind":"event","name":"S席とA席","published":true,"seat_map_id":)" +
        std::to_string(hall);
    auto unknown = call("POST", "/api/v1/offerings", boss_, head + types(R"({"S":8000,"X":1})"));
    EXPECT_EQ(unknown.status, 400) << unknown.body;
    EXPECT_EQ(field(unknown), "ticket_types[0].category_prices.X");
    auto no_map = call(
        "POST",
        "/api/v1/offerings",
        boss_,
        R"({"kind":"event","name":"x","published":true)" + types(R"({"S":8000})")
    );
    EXPECT_EQ(no_map.status, 400) << no_map.body;
    EXPECT_EQ(field(no_map), "ticket_types");
    const auto show = offering(head + types(R"({"S":8000,"A":5000})"));
    const auto occ = make(
        "/api/v1/offerings/" + std::to_string(show) + "/occurrences",
        R"({"starts_at":"2027-03-08T09:00:00Z","ends_at":"2027-03-08T11:00:00Z","capacity":7})"
    );
    const auto at = [&](const std::string& what, const std::string& email = "hanako@example.jp") {
        return book(
            R"({"occurrence_id":)" + std::to_string(occ) + "," + what + "," + customer(email) + "}"
        );
    };
    // Tickets take the seats in the order they are issued (types by code): the grown-up A-1
    // (S), the child B-1 (A).
    auto named = at(R"("tickets":{"adult":1,"child":1},"seats":["A-1","B-1"])");
    ASSERT_EQ(named.status, 201) << named.body;
    EXPECT_EQ(parse(named).at("total_jpy").as_int64(), 8000 + 1000);
    // The best available must be told which price: refused, naming the field; nothing kept.
    auto unpriced = at(R"("tickets":{"adult":2})");
    EXPECT_EQ(unpriced.status, 400) << unpriced.body;
    EXPECT_EQ(field(unpriced), "seat_category");
    auto no_such = at(R"("tickets":{"adult":2},"seat_category":"Z")");
    EXPECT_EQ(field(no_such), "seat_category");
    auto in_a = at(R"("tickets":{"adult":2},"seat_category":"A")", "a@example.jp");
    ASSERT_EQ(in_a.status, 201) << in_a.body;
    EXPECT_EQ(ids(parse(in_a).at("seat_ids")), (Ids{"B-2", "B-3"}));
    EXPECT_EQ(parse(in_a).at("total_jpy").as_int64(), 10000);
    // Only one S seat is left: two together in S are not there.
    auto full = at(R"("tickets":{"adult":2},"seat_category":"S")", "b@example.jp");
    EXPECT_EQ(full.status, 409) << full.body;
    EXPECT_EQ(field(full), "seat_category");
    EXPECT_EQ(scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occ)), 4)
        << "the refusals left nothing behind";

    // The customer may not move onto seats of another price; the house may (the price agreed
    // stays).
    const auto ref = str(in_a, "reference");
    auto dearer = call(
        "POST",
        "/api/v1/public/salon/bookings/" + ref + "/reschedule",
        "",
        R"({"email":"a@example.jp","occurrence_id":)" + std::to_string(occ) +
            R"(,"seats":["A-2","B-2"]})"
    );
    EXPECT_EQ(dearer.status, 422) << dearer.body;
    EXPECT_EQ(field(dearer), "seats");
    // Another evening with no seats named: the best available in the category sat in now.
    const auto later = make(
        "/api/v1/offerings/" + std::to_string(show) + "/occurrences",
        R"({"starts_at":"2027-03-10T09:00:00Z","ends_at":"2027-03-10T11:00:00Z","capacity":7})"
    );
    auto same_price = call(
        "POST",
        "/api/v1/public/salon/bookings/" + ref + "/reschedule",
        "",
        R"({"email":"a@example.jp","occurrence_id":)" + std::to_string(later) + "}"
    );
    ASSERT_EQ(same_price.status, 200) << same_price.body;
    EXPECT_EQ(ids(parse(same_price).at("seat_ids")), (Ids{"B-1", "B-2"}));
    EXPECT_EQ(parse(same_price).at("total_jpy").as_int64(), 10000);
    auto back = call(
        "POST",
        "/api/v1/public/salon/bookings/" + ref + "/reschedule",
        "",
        R"({"email":"a@example.jp","occurrence_id":)" + std::to_string(occ) +
            R"(,"seats":["B-2","B-3"]})"
    );
    ASSERT_EQ(back.status, 200) << back.body;
    auto upgraded = call(
        "POST",
        "/api/v1/bookings/" + ref + "/reschedule",
        boss_,
        R"({"occurrence_id":)" + std::to_string(occ) + R"(,"seats":["A-2","B-2"]})"
    );
    ASSERT_EQ(upgraded.status, 200) << upgraded.body;
    EXPECT_EQ(ids(parse(upgraded).at("seat_ids")), (Ids{"A-2", "B-2"}));
    EXPECT_EQ(parse(upgraded).at("total_jpy").as_int64(), 10000);
    // An offering with a lottery prices places, not categories.
    auto drawn = call(
        "POST",
        "/api/v1/offerings",
        boss_,
        head +
            R"(,"lottery":{"applications_close_at":"2027-03-01T00:00:00Z","draw_at":"2027-03-02T00:00:00Z"})" +
            types(R"({"S":8000})")
    );
    EXPECT_EQ(drawn.status, 400) << drawn.body;
    EXPECT_EQ(field(drawn), "lottery");
}

TEST_P(Seats, HouseSeatsGivenBackServeTheWaitlistInItsCategory) {
    const auto hall = make("/api/v1/seat-maps", kTwoPrices);
    const auto show = offering(
        R"({"kind":"event","name":"待つ公演","published":true,"waitlist":"automatic","seat_map_id":)" +
        std::to_string(hall) +
        R"(,"ticket_types":[{"code":"adult","name":"一般","price_jpy":3000,"category_prices":{"S":8000,"A":5000}}]})"
    );
    const auto occ = make(
        "/api/v1/offerings/" + std::to_string(show) + "/occurrences",
        R"({"starts_at":"2027-03-09T09:00:00Z","ends_at":"2027-03-09T11:00:00Z","capacity":5})"
    );
    const std::string path = "/api/v1/occurrences/" + std::to_string(occ) + "/seats/";
    ASSERT_EQ(call("POST", path + "house", boss_, R"({"seats":["A-1","A-2"]})").status, 200);
    const std::string at = R"({"occurrence_id":)" + std::to_string(occ);
    ASSERT_EQ(
        book(at + R"(,"tickets":{"adult":2},"seat_category":"A",)" + customer() + "}").status, 201
    );
    // S is full (one A seat is left): the waiter names the category (and so the price) it
    // waits for; waiting for A is refused while an A seat is free.
    const auto join = [&](const std::string& category) {
        return call(
            "POST",
            "/api/v1/public/salon/waitlist",
            "",
            at + R"(,"tickets":{"adult":1})" + category + "," + customer("wait@example.jp") + "}"
        );
    };
    auto unnamed = join("");
    EXPECT_EQ(unnamed.status, 400) << unnamed.body;
    EXPECT_EQ(field(unnamed), "seat_category");
    auto for_a = join(R"(,"seat_category":"A")");
    EXPECT_EQ(for_a.status, 422) << for_a.body;
    auto joined = join(R"(,"seat_category":"S")");
    ASSERT_EQ(joined.status, 201) << joined.body;
    const auto entry = str(joined, "reference");
    auto keys = (*id_)->keyring->tenant_keys(salon_);
    ASSERT_TRUE(keys);
    auto confirmed = call(
        "POST",
        "/api/v1/public/salon/waitlist/" + entry + "/confirm",
        "",
        R"({"key":")" + bookings::detail::confirm_key(keys->index, "waitlist", entry) + "\"}"
    );
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    // The house gives A-1 back: the waiter is booked on it at once, at the S price.
    auto released = call("POST", path + "release", boss_, R"({"seats":["A-1"]})");
    ASSERT_EQ(released.status, 200) << released.body;
    auto staff = call("GET", "/api/v1/occurrences/" + std::to_string(occ) + "/seats", boss_);
    ASSERT_EQ(staff.status, 200) << staff.body;
    std::string holder;
    const auto chart = parse(staff);
    for (const auto& t : chart.at("taken").as_array())
        if (t.at("seat") == "A-1" && t.at("use") == "booked")
            holder = std::string(t.at("reference").as_string());
    ASSERT_FALSE(holder.empty()) << staff.body;
    auto b = call("GET", "/api/v1/bookings/" + holder, boss_);
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_EQ(parse(b).at("total_jpy").as_int64(), 8000);
    EXPECT_EQ(ids(parse(b).at("seat_ids")), (Ids{"A-1"}));
}

TEST_P(Seats, SeatsHeldWhileTheCustomerFinishesComeBackWhenTheHoldRunsOut) {
    const auto hold = [&](const std::string& seats, const std::string& key) {
        return request(
            server_->port(),
            "POST",
            "/api/v1/public/salon/holds",
            kJson + "Idempotency-Key: " + key + "\r\n",
            R"({"occurrence_id":)" + std::to_string(occurrence_) +
                R"(,"tickets":{"adult":2},"seats":)" + seats + "}"
        );
    };
    auto held = hold(R"(["A-1","A-2"])", "seat-hold-1");
    ASSERT_EQ(held.status, 201) << held.body;
    EXPECT_EQ(ids(parse(held).at("seat_ids")), (Ids{"A-1", "A-2"}));
    EXPECT_EQ(taken(), (Ids{"A-1", "A-2"})) << "held seats show taken";
    EXPECT_EQ(book_seats(1, R"(["A-2"])").status, 409);
    // Confirmed in time: the booking keeps them and its tickets name them.
    const auto ref = str(held, "reference");
    auto ok =
        call("POST", "/api/v1/public/salon/holds/" + ref + "/confirm", "", "{" + customer() + "}");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ticket_seats(ref), (Ids{"A-1", "A-2"}));
    // A hold that runs out gives its seats back.
    ASSERT_EQ(hold(R"(["B-4","B-5"])", "seat-hold-2").status, 201);
    id_->clock.advance(std::chrono::minutes(11));
    auto released = id_->services->bookings.release_all_expired_holds();
    ASSERT_TRUE(released);
    EXPECT_EQ(*released, 1);
    EXPECT_EQ(taken(), (Ids{"A-1", "A-2"}));
    EXPECT_EQ(seats_taken_count(), 2);
    EXPECT_EQ(book_seats(2, R"(["B-4","B-5"])").status, 201);
}

TEST_P(Seats, TheHouseKeepsSeatsOffSaleAndAMapKeepsItsSoldSeats) {
    const std::string path = "/api/v1/occurrences/" + std::to_string(occurrence_) + "/seats/";
    auto kept = call("POST", path + "house", boss_, R"({"seats":["A-4","A-5"]})");
    ASSERT_EQ(kept.status, 200) << kept.body;
    EXPECT_EQ(seats_taken_count(), 2);
    EXPECT_EQ(book_seats(1, R"(["A-4"])").status, 409);
    auto bad = call("POST", path + "house", boss_, R"({"seats":["Q-9"]})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "seats[0]");
    auto released = call("POST", path + "release", boss_, R"({"seats":["A-4"]})");
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(seats_taken_count(), 1);
    auto sold = book_seats(1, R"(["A-4"])");
    ASSERT_EQ(sold.status, 201) << sold.body;

    // Redrawing the hall without the sold seat is refused; keeping it is fine.
    const std::string one_row =
        R"({"name":"小ホール","layout":{"sections":[{"name":"1階","rows":[{"name":"A","y":0,
            "seats":[{"number":4,"x":0},{"number":5,"x":1}]}]}]}})";
    auto shrink = call(
        "PUT",
        "/api/v1/seat-maps/" + std::to_string(hall_),
        boss_,
        R"({"name":"小ホール","layout":{"sections":[{"name":"1階","rows":[{"name":"A","y":0,
            "seats":[{"number":1,"x":0}]}]}]}})"
    );
    EXPECT_EQ(shrink.status, 409) << shrink.body;
    EXPECT_EQ(field(shrink), "layout");
    auto redraw = call("PUT", "/api/v1/seat-maps/" + std::to_string(hall_), boss_, one_row);
    EXPECT_EQ(redraw.status, 200) << redraw.body;
    EXPECT_EQ(parse(redraw).at("seats").as_int64(), 2);
    // The offering keeps its map while seats are sold.
    auto swap = call(
        "PUT",
        "/api/v1/offerings/" + std::to_string(concert_),
        boss_,
        R"({"kind":"event","name":"室内楽の夕べ","published":true,
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":3000}]})"
    );
    EXPECT_EQ(swap.status, 400) << swap.body;
    EXPECT_EQ(field(swap), "seat_map_id");
    // Saved with its map (as the admin form sends it), the offering is edited as ever.
    auto keep = call(
        "PUT",
        "/api/v1/offerings/" + std::to_string(concert_),
        boss_,
        R"({"kind":"event","name":"室内楽の夕べ（改）","published":true,"seat_map_id":)" +
            std::to_string(hall_) +
            R"(,"ticket_types":[{"code":"adult","name":"一般","price_jpy":3000}]})"
    );
    EXPECT_EQ(keep.status, 200) << keep.body;
    EXPECT_EQ(parse(keep).at("seat_map_id").as_int64(), hall_);
}

TEST_P(Seats, ARushOfTwentyFourClientsSellsEachSeatOnce) {
    // 15 seats on sale (A-8 held), 24 clients wanting one best-available seat each.
    std::atomic<int> won{0}, lost{0}, other{0};
    std::latch go(24);
    std::vector<std::thread> clients;
    for (int i = 0; i < 24; ++i)
        clients.emplace_back([&, i] {
            go.arrive_and_wait();
            auto r = book_seats(1, "", "seat-rush-" + std::to_string(i));
            (r.status == 201 ? won : r.status == 409 ? lost : other)++;
        });
    for (auto& t : clients) t.join();
    // B-1 and B-2 are accessible places best available does not hand out: 13 go.
    EXPECT_EQ(won.load(), 13);
    EXPECT_EQ(lost.load(), 11);
    EXPECT_EQ(other.load(), 0);
    const auto all = taken();
    EXPECT_EQ(all.size(), 13u);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
    EXPECT_EQ(seats_taken_count(), 13);
    EXPECT_EQ(scalar("SELECT count(*) FROM tickets WHERE revoked_at IS NULL AND seat <> ''"), 13);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Seats,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

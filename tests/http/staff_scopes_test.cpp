// Staff rights per resource (issue 24, SPEC S6) end to end on both backends: a manager limits
// a staff member to a resource or an offering; that staff member then sees and acts on only
// those bookings, offerings, resources and customers, and everything else answers 404 as if
// it did not exist. The fake clock starts on Friday 2027-01-15 17:00 in Tokyo.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

class StaffScopes : public BookingFixture {
protected:
    void SetUp() override {
        BookingFixture::SetUp();
        if (IsSkipped()) return;
        aki_ = resource("staff", "");
        ben_ = resource("staff", "");
        cut_ = offering(
            R"({"kind":"appointment","name":"カット","published":true,"duration_minutes":60,"resource_ids":[)" +
            std::to_string(aki_) + "," + std::to_string(ben_) + "]}"
        );
        live_ = offering(
            R"({"kind":"event","name":"Live","published":true,
                "ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
        );
        show_ = make(
            "/api/v1/offerings/" + std::to_string(live_) + "/occurrences",
            R"({"starts_at":"2027-02-06T10:00:00.000+00:00","ends_at":"2027-02-06T12:00:00.000+00:00","capacity":10})"
        );
        desk_id_ = id_->account(salon_, access::Role::staff, "desk@salon.example");
        id_->account(salon_, access::Role::staff, "floor@salon.example");
        id_->account(salon_, access::Role::customer, "hanako@example.jp");
        id_->account(salon_, access::Role::customer, "taro@example.jp");
        desk_ = signed_in_headers(server_->port(), "salon", "desk@salon.example");
        floor_ = signed_in_headers(server_->port(), "salon", "floor@salon.example");
        const auto hanako = signed_in_headers(server_->port(), "salon", "hanako@example.jp");
        const auto taro = signed_in_headers(server_->port(), "salon", "taro@example.jp");
        // Hanako with Aki, a guest with Ben, Taro at the concert.
        aki_booking_ =
            reference(book(at(9, aki_) + "," + customer("hanako@example.jp") + "}", hanako));
        ben_booking_ = reference(book(at(9, ben_) + "," + customer("guest@example.jp") + "}"));
        live_booking_ = reference(book(
            R"({"occurrence_id":)" + std::to_string(show_) + R"(,"tickets":{"adult":1},)" +
                customer("taro@example.jp") + "}",
            taro
        ));
    }
    // The cut at `hour`:00 on Monday 18 January (Tokyo) with `who`, without the closing brace.
    std::string at(int hour, std::int64_t who) const {
        return R"({"offering_id":)" + std::to_string(cut_) + R"(,"starts_at":"2027-01-18T0)" +
               std::to_string(hour - 9) + R"(:00:00.000+00:00","resource_id":)" +
               std::to_string(who);
    }
    std::string reference(const HttpResult& r) {
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    }
    HttpResult limit(const std::string& resources, const std::string& offerings) {
        return call(
            "PUT",
            "/api/v1/staff/" + to_string(desk_id_) + "/scope",
            boss_,
            R"({"resource_ids":[)" + resources + R"(],"offering_ids":[)" + offerings + "]}"
        );
    }
    // The references a caller's booking list shows.
    std::set<std::string> listed(const std::string& who, const std::string& query = "") {
        auto r = call("GET", "/api/v1/bookings" + query, who);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        if (r.status != 200) return out;
        const auto body = parse(r);
        for (const auto& b : body.at("items").as_array())
            out.emplace(b.at("reference").as_string());
        return out;
    }
    std::set<std::int64_t> ids(const std::string& path, const std::string& who) {
        auto r = call("GET", path, who);
        EXPECT_EQ(r.status, 200) << path << " " << r.body;
        std::set<std::int64_t> out;
        if (r.status != 200) return out;
        const auto body = parse(r);
        for (const auto& x : body.at("items").as_array()) out.insert(x.at("id").as_int64());
        return out;
    }
    std::int64_t customer_id(const std::string& email) {
        const auto body = parse(call("GET", "/api/v1/customers", boss_));
        for (const auto& c : body.at("items").as_array())
            if (c.at("email").as_string() == email) return c.at("id").as_int64();
        ADD_FAILURE() << email;
        return 0;
    }

    std::int64_t aki_ = 0, ben_ = 0, cut_ = 0, live_ = 0, show_ = 0;
    AccountId desk_id_;
    std::string desk_, floor_, aki_booking_, ben_booking_, live_booking_;
};

}  // namespace

TEST_P(StaffScopes, AStaffMemberLimitedToAResourceSeesAndActsOnOnlyItsBookings) {
    auto set = limit(std::to_string(aki_), "");
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_TRUE(parse(set).at("limited").as_bool());

    EXPECT_EQ(listed(desk_), std::set<std::string>{aki_booking_});
    EXPECT_EQ(listed(desk_, "?offering_id=" + std::to_string(live_)), std::set<std::string>{});
    EXPECT_EQ(listed(floor_).size(), 3u) << "an unlimited staff member sees every booking";
    EXPECT_EQ(call("GET", "/api/v1/bookings/" + aki_booking_, desk_).status, 200);

    // Everything about Ben's and the concert's bookings answers as if they did not exist.
    for (const auto& ref : {ben_booking_, live_booking_}) {
        const std::string path = "/api/v1/bookings/" + ref;
        EXPECT_EQ(call("GET", path, desk_).status, 404) << ref;
        EXPECT_EQ(call("DELETE", path, desk_).status, 404) << ref;
        for (const auto* act : {"/check-in", "/no-show", "/approve", "/reject", "/paid"})
            EXPECT_EQ(call("POST", path + act, desk_, "{}").status, 404) << ref << act;
        EXPECT_EQ(
            call(
                "POST",
                path + "/reschedule",
                desk_,
                R"({"starts_at":"2027-01-18T02:00:00.000+00:00"})"
            )
                .status,
            404
        ) << ref;
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 3)
        << "nothing was changed by a refusal";
    EXPECT_EQ(call("POST", "/api/v1/bookings/" + aki_booking_ + "/paid", desk_, "{}").status, 200);

    // Offerings: the cut (which Aki serves), not the concert; resources: Aki only.
    EXPECT_EQ(ids("/api/v1/offerings", desk_), std::set<std::int64_t>{cut_});
    EXPECT_EQ(call("GET", "/api/v1/offerings/" + std::to_string(live_), desk_).status, 404);
    EXPECT_EQ(
        call("GET", "/api/v1/offerings/" + std::to_string(live_) + "/availability", desk_).status,
        404
    );
    EXPECT_EQ(
        call("GET", "/api/v1/offerings/" + std::to_string(live_) + "/waitlist", desk_).status, 404
    );
    EXPECT_EQ(ids("/api/v1/resources", desk_), std::set<std::int64_t>{aki_});
    EXPECT_EQ(call("GET", "/api/v1/resources/" + std::to_string(ben_), desk_).status, 404);
    EXPECT_EQ(
        call("GET", "/api/v1/resources/" + std::to_string(ben_) + "/calendar", desk_).status, 404
    );
    EXPECT_EQ(ids("/api/v1/resources", floor_).size(), 2u);

    // Customers: Hanako (booked with Aki), not Taro.
    const auto hanako = customer_id("hanako@example.jp"), taro = customer_id("taro@example.jp");
    EXPECT_EQ(ids("/api/v1/customers", desk_), std::set<std::int64_t>{hanako});
    EXPECT_EQ(
        call(
            "PUT",
            "/api/v1/customers/" + std::to_string(taro) + "/user-class",
            desk_,
            R"({"user_class_id":null})"
        )
            .status,
        404
    );
    EXPECT_EQ(
        call(
            "PUT",
            "/api/v1/customers/" + std::to_string(hanako) + "/user-class",
            desk_,
            R"({"user_class_id":null})"
        )
            .status,
        200
    );

    // Booking for someone: only with Aki; moving a booking: only to Aki.
    auto staff_book = [&](const std::string& body) {
        return request(
            server_->port(),
            "POST",
            "/api/v1/bookings",
            desk_ + kJson + "Idempotency-Key: staff-key-" + std::to_string(++keys_) + "\r\n",
            body
        );
    };
    auto with_ben = staff_book(at(10, ben_) + "," + customer("x@example.jp") + "}");
    EXPECT_EQ(with_ben.status, 400) << with_ben.body;
    EXPECT_EQ(field(with_ben), "resource_id");
    auto concert = staff_book(
        R"({"occurrence_id":)" + std::to_string(show_) + R"(,"tickets":{"adult":1},)" +
        customer("x@example.jp") + "}"
    );
    EXPECT_EQ(concert.status, 404) << concert.body;
    EXPECT_EQ(staff_book(at(10, aki_) + "," + customer("x@example.jp") + "}").status, 201);
    auto move = call(
        "POST",
        "/api/v1/bookings/" + aki_booking_ + "/reschedule",
        desk_,
        R"({"starts_at":"2027-01-18T02:00:00.000+00:00","resource_id":)" + std::to_string(ben_) +
            "}"
    );
    EXPECT_EQ(move.status, 400) << move.body;
    EXPECT_EQ(field(move), "resource_id");
}

TEST_P(StaffScopes, AnAssignedOfferingShowsAllOfItsBookingsAndLiftingTheLimitShowsAll) {
    ASSERT_EQ(limit("", std::to_string(live_)).status, 200);
    EXPECT_EQ(listed(desk_), std::set<std::string>{live_booking_});
    EXPECT_EQ(ids("/api/v1/offerings", desk_), std::set<std::int64_t>{live_});
    EXPECT_EQ(ids("/api/v1/resources", desk_), std::set<std::int64_t>{});
    EXPECT_EQ(
        call("GET", "/api/v1/offerings/" + std::to_string(live_) + "/waitlist", desk_).status, 200
    );

    // The manager's staff list shows the limit; lifting it shows everything again at once.
    auto staff = call("GET", "/api/v1/staff/" + to_string(desk_id_), boss_);
    ASSERT_EQ(staff.status, 200) << staff.body;
    EXPECT_EQ(parse(staff).at("scope").at("offering_ids").as_array().size(), 1u);
    auto lifted = limit("", "");
    ASSERT_EQ(lifted.status, 200) << lifted.body;
    EXPECT_FALSE(parse(lifted).at("limited").as_bool());
    EXPECT_EQ(listed(desk_).size(), 3u);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'staff.scope_changed'"), 2);
}

TEST_P(StaffScopes, BadScopesNameTheFieldAndChangeNothing) {
    const std::string path = "/api/v1/staff/" + to_string(desk_id_) + "/scope";
    struct Case {
        std::string body;
        std::string field;
    };
    const Case cases[] = {
        {R"({"resource_ids":"aki","offering_ids":[]})", "resource_ids"},
        {R"({"resource_ids":[0],"offering_ids":[]})", "resource_ids[0]"},
        {R"({"resource_ids":[],"offering_ids":[1.5]})", "offering_ids[0]"},
        {R"({"resource_ids":[]})", "offering_ids"},
        {R"({"resource_ids":[999999],"offering_ids":[]})", "resource_ids[0]"},
        {R"({"resource_ids":[],"offering_ids":[999999],"extra":1})", "extra"},
    };
    for (const auto& c : cases) {
        auto r = call("PUT", path, boss_, c.body);
        EXPECT_EQ(r.status, 400) << c.body << " " << r.body;
        if (r.status == 400) {
            EXPECT_EQ(field(r), c.field) << c.body;
        }
    }
    // Another tenant's resource is not one of this tenant's.
    const auto other = id_->tenant("other", "boss@other.example");
    const auto other_boss = signed_in_headers(server_->port(), "other", "boss@other.example");
    auto theirs = request(
        server_->port(),
        "POST",
        "/api/v1/resources",
        other_boss + kJson,
        R"({"kind":"room","name":"Theirs","hours":)" + kWeekdays + "}"
    );
    ASSERT_EQ(theirs.status, 201) << theirs.body;
    auto cross = limit(std::to_string(parse(theirs).at("id").as_int64()), "");
    EXPECT_EQ(cross.status, 400) << cross.body;
    // Managers are never limited; customers are not staff.
    const auto boss_id = scalar("SELECT id FROM accounts WHERE role = 'manager'");
    EXPECT_EQ(
        call(
            "PUT",
            "/api/v1/staff/" + std::to_string(boss_id) + "/scope",
            boss_,
            R"({"resource_ids":[],"offering_ids":[]})"
        )
            .status,
        404
    );
    EXPECT_EQ(call("PUT", path, desk_, R"({"resource_ids":[],"offering_ids":[]})").status, 403)
        << "staff do not set their own rights";
    EXPECT_EQ(scalar("SELECT count(*) FROM staff_scopes"), 0);
    EXPECT_EQ(listed(desk_).size(), 3u);
    (void)other;
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    StaffScopes,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

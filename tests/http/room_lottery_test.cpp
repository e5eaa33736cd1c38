// Room lotteries (issue 27) through the API on both backends: a month of a hall's divisions
// allotted by lottery with residents first, applications naming bad choices refused by field,
// the draw computed again from its seed, winners confirming with equipment and a surcharge,
// an unconfirmed win lapsing, demand against supply, and the month opening to anyone.

#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

const std::string kAllDay =
    R"({"mon":[{"opens":"09:00","closes":"22:00"}],"tue":[{"opens":"09:00","closes":"22:00"}],
        "wed":[{"opens":"09:00","closes":"22:00"}],"thu":[{"opens":"09:00","closes":"22:00"}],
        "fri":[{"opens":"09:00","closes":"22:00"}],"sat":[{"opens":"09:00","closes":"22:00"}],
        "sun":[{"opens":"09:00","closes":"22:00"}]})";

const std::string kDivisions = R"("divisions":[
    {"code":"am","name":"午前","days":"weekday","starts":"09:00","ends":"12:00","price_jpy":3000},
    {"code":"pm","name":"午後","days":"weekday","starts":"13:00","ends":"17:00","price_jpy":4000},
    {"code":"night","name":"夜間","starts":"18:00","ends":"21:30","price_jpy":5000}])";

// Monday 2027-03-01 in Tokyo, 9:00 and 13:00.
const std::string kMarchAm = "2027-03-01T00:00:00.000+00:00";
const std::string kMarchPm = "2027-03-01T04:00:00.000+00:00";

class RoomLottery : public BookingFixture {
protected:
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        hall_ = resource("room", kDivisions, kAllDay);
        projector_ = resource("equipment", R"("units":1)", kAllDay);
        rent_ = offering(
            R"({"kind":"rental","name":"大ホール","published":true,"by_division":true,
                "min_blocks":1,"max_blocks":3,"resource_ids":[)" +
            std::to_string(hall_) + R"(],"equipment":[{"resource_id":)" +
            std::to_string(projector_) + R"(,"price_jpy":1000,"max_quantity":1}],
                "surcharges":[{"code":"heating","name":"冷暖房","per_block_jpy":500}]})"
        );
        residents_ = make("/api/v1/user-classes", R"({"name":"市民","price_percent":80})");
        for (const auto* who : {"a@example.jp", "b@example.jp", "c@example.jp"})
            accounts_[who] = id_->account(salon_, access::Role::customer, who);
        auto put = call(
            "PUT",
            "/api/v1/customers/" + std::to_string(accounts_["a@example.jp"].value) + "/user-class",
            boss_,
            R"({"user_class_id":)" + std::to_string(residents_) + "}"
        );
        ASSERT_EQ(put.status, 200) << put.body;
        sign_in_all();
    }
    void sign_in_all() {
        for (const auto& [who, id] : accounts_)
            headers_[who] = signed_in_headers(server_->port(), "salon", who);
    }
    std::string lottery_body(const std::string& change = "") const {
        std::string body =
            R"({"name":"3月 大ホール抽選","month":"2027-03","offering_ids":[)" +
            std::to_string(rent_) +
            R"(],"opens_at":"2027-01-15T00:00:00Z","closes_at":"2027-01-25T00:00:00Z",
                "draw_at":"2027-01-26T00:00:00Z","confirm_by":"2027-02-05T00:00:00Z",
                "first_come_at":"2027-02-10T00:00:00Z","max_choices":3,"max_wins":1,
                "tiers":[)" +
            std::to_string(residents_) + "]";
        return body + (change.empty() ? "" : "," + change) + "}";
    }
    std::string choice(const std::string& date, const std::string& division, int blocks = 1) const {
        return R"({"offering_id":)" + std::to_string(rent_) + R"(,"date":")" + date +
               R"(","division":")" + division + R"(","blocks":)" + std::to_string(blocks) + "}";
    }
    HttpResult apply(const std::string& who, std::int64_t lottery, const std::string& choices) {
        return call(
            "POST",
            "/api/v1/me/room-lottery-entries",
            headers_.at(who),
            R"({"lottery_id":)" + std::to_string(lottery) + R"(,"choices":[)" + choices + "]}"
        );
    }
    boost::json::value entries_of(const std::string& who) {
        return parse(call("GET", "/api/v1/me/room-lottery-entries", headers_.at(who)))
            .at("entries");
    }
    std::int64_t hall_ = 0, projector_ = 0, rent_ = 0, residents_ = 0;
    std::map<std::string, AccountId> accounts_;
    std::map<std::string, std::string> headers_;
};

}  // namespace

TEST_P(RoomLottery, SetUpAndApplicationsRefuseWhatIsWrongByField) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {R"("month":"2027-13")", "month"},
        {R"("offering_ids":[])", "offering_ids"},
        {R"("confirm_by":"2027-03-02T00:00:00Z","first_come_at":"2027-03-03T00:00:00Z")",
         "confirm_by"},
        {R"("draw_at":"2027-01-20T00:00:00Z")", "draw_at"},
        {R"("max_wins":4)", "max_wins"},
        {R"("tiers":[424242])", "tiers[0]"},
    };
    for (const auto& [change, f] : bad) {
        auto body = lottery_body();
        // The changed keys come last and win (a JSON object's later duplicate is refused, so
        // rebuild the body with the key replaced).
        auto j = boost::json::parse(body).as_object();
        const auto changed = boost::json::parse("{" + change + "}");
        for (const auto& [k, v] : changed.as_object()) j[k] = v;
        auto r = call("POST", "/api/v1/room-lotteries", boss_, boost::json::serialize(j));
        EXPECT_EQ(r.status, 400) << change << r.body;
        EXPECT_EQ(field(r), f) << change;
    }
    const auto plain = offering(
        R"({"kind":"rental","name":"時間貸し","published":true,
        "duration_minutes":60,"price_jpy":1000,"resource_ids":[)" +
        std::to_string(hall_) + "]}"
    );
    auto j = boost::json::parse(lottery_body()).as_object();
    j["offering_ids"] = boost::json::array{rent_, plain};
    EXPECT_EQ(
        field(call("POST", "/api/v1/room-lotteries", boss_, boost::json::serialize(j))),
        "offering_ids[1]"
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM room_lotteries"), 0);

    auto made = call("POST", "/api/v1/room-lotteries", boss_, lottery_body());
    ASSERT_EQ(made.status, 201) << made.body;
    const auto lottery = parse(made).at("id").as_int64();
    EXPECT_EQ(parse(made).at("state").as_string(), "open");
    EXPECT_EQ(
        field(call("POST", "/api/v1/room-lotteries", boss_, lottery_body())), "offering_ids[0]"
    ) << "the hall's March is in a lottery already";

    const std::vector<std::pair<std::string, std::string>> wrong = {
        {choice("2027-04-01", "am"), "choices[0].date"},
        {choice("2027-03-01", "evening"), "choices[0].division"},
        {choice("2027-03-01", "night", 2), "choices[0].blocks"},
        {choice("2027-03-01", "am", 4), "choices[0].blocks"},
        {choice("2027-03-01", "am") + "," + choice("2027-03-01", "am"), "choices[1]"},
        {choice("2027-03-01", "am") + "," + choice("2027-03-02", "am") + "," +
             choice("2027-03-03", "am") + "," + choice("2027-03-04", "am"),
         "choices"},
        {"", "choices"},
    };
    for (const auto& [choices, f] : wrong) {
        auto r = apply("a@example.jp", lottery, choices);
        EXPECT_EQ(r.status, 400) << choices << r.body;
        EXPECT_EQ(field(r), f) << choices;
    }
    auto first = apply("a@example.jp", lottery, choice("2027-03-01", "am", 2));
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(parse(first).at("tier").as_int64(), 0) << "a resident";
    EXPECT_EQ(apply("a@example.jp", lottery, choice("2027-03-02", "am")).status, 409);
    EXPECT_EQ(scalar("SELECT count(*) FROM room_lottery_entries"), 1);
    EXPECT_EQ(call("POST", "/api/v1/me/room-lottery-entries", boss_, "{}").status, 403);
}

TEST_P(RoomLottery, ResidentsFirstTheDrawVerifiesWinnersConfirmAndTheRestOpens) {
    auto hook = call(
        "POST",
        "/api/v1/webhooks",
        boss_,
        R"({"url":"https://hooks.example.jp/lotteries","events":["room_lottery.drawn"]})"
    );
    ASSERT_EQ(hook.status, 201) << hook.body;
    auto made = call("POST", "/api/v1/room-lotteries", boss_, lottery_body());
    ASSERT_EQ(made.status, 201) << made.body;
    const auto lottery = parse(made).at("id").as_int64();
    const auto path = "/api/v1/room-lotteries/" + std::to_string(lottery);

    // The month is the lottery's: a customer cannot book it directly.
    auto direct = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        headers_.at("c@example.jp") + kJson + "Idempotency-Key: direct-march\r\n",
        R"({"offering_id":)" + std::to_string(rent_) + R"(,"starts_at":")" + kMarchAm +
            R"(","blocks":1,)" + customer("c@example.jp") + "}"
    );
    EXPECT_EQ(direct.status, 422) << direct.body;
    EXPECT_EQ(field(direct), "starts_at");

    // Everyone wants Monday morning; b would take the afternoon next; c only the morning.
    ASSERT_EQ(apply("c@example.jp", lottery, choice("2027-03-01", "am")).status, 201);
    ASSERT_EQ(
        apply(
            "b@example.jp", lottery, choice("2027-03-01", "am") + "," + choice("2027-03-01", "pm")
        )
            .status,
        201
    );
    ASSERT_EQ(apply("a@example.jp", lottery, choice("2027-03-01", "am")).status, 201);
    EXPECT_EQ(call("POST", path + "/draw", boss_).status, 422) << "before its time";
    // Times move before the draw, checked as at set-up.
    const auto times = [](const std::string& closes) {
        return R"({"opens_at":"2027-01-15T00:00:00Z","closes_at":")" + closes +
               R"(","draw_at":"2027-01-26T00:00:00Z","confirm_by":"2027-02-05T00:00:00Z",
                  "first_come_at":"2027-02-10T00:00:00Z"})";
    };
    EXPECT_EQ(
        field(call("PUT", path + "/times", boss_, times("2027-01-14T00:00:00Z"))), "closes_at"
    );
    auto moved = call("PUT", path + "/times", boss_, times("2027-01-20T00:00:00Z"));
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(parse(moved).at("closes_at").as_string(), "2027-01-20T00:00:00.000+00:00");

    now_is("2027-01-26T00:00:00.000+00:00");
    sign_in_all();
    auto drawn = call("POST", path + "/draw", boss_);
    ASSERT_EQ(drawn.status, 200) << drawn.body;
    const auto seed = std::string(parse(drawn).at("seed").as_string());
    EXPECT_EQ(seed.size(), 64u);
    EXPECT_EQ(call("POST", path + "/draw", boss_).status, 409) << "once";
    EXPECT_EQ(call("PUT", path + "/times", boss_, times("2027-01-20T00:00:00Z")).status, 422)
        << "drawn: its times stay";

    // The resident wins the morning whatever the seed; b gets the afternoon; c nothing.
    const auto a = entries_of("a@example.jp").at(0);
    const auto b = entries_of("b@example.jp").at(0);
    const auto c = entries_of("c@example.jp").at(0);
    EXPECT_EQ(a.at("status").as_string(), "won");
    EXPECT_EQ(b.at("status").as_string(), "won");
    EXPECT_EQ(b.at("wins").at(0).at("choice").as_int64(), 1);
    EXPECT_EQ(c.at("status").as_string(), "lost");
    EXPECT_EQ(a.at("wins").at(0).at("status").as_string(), "pending");
    EXPECT_EQ(a.at("wins").at(0).at("confirm_by").as_string(), "2027-02-05T00:00:00.000+00:00");
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'room.lottery.won'"), 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'room.lottery.lost'"), 1);
    EXPECT_EQ(
        scalar("SELECT count(*) FROM outbox WHERE topic = 'webhook' AND kind = 'room_lottery.drawn'"
        ),
        1
    );

    // The draw computed again from its seed gives the same, for staff and for anyone.
    auto proof =
        parse(call("GET", "/api/v1/public/salon/room-lotteries/" + std::to_string(lottery), ""));
    EXPECT_TRUE(proof.at("draw").at("verified").as_bool());
    EXPECT_EQ(proof.at("draw").at("seed").as_string(), seed);
    EXPECT_EQ(proof.at("draw").at("allocation").as_array().size(), 3u);
    EXPECT_EQ(proof.at("draw").at("allocation").at(0).at("reference"), a.at("reference"))
        << "the residents' tier is drawn first";
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'room_lottery.drawn' AND details LIKE '%" +
            seed + "%'"
        ),
        1
    );

    // Demand against supply, as JSON and CSV.
    auto demand = parse(call("GET", path + "/demand", boss_));
    const auto& slots = demand.at("slots").as_array();
    // Weekends and the substitute holiday of 2027-03-22 have the night division only.
    EXPECT_EQ(demand.at("totals").at("slots").as_int64(), 31 * 3 - 9 * 2);
    const auto morning = std::find_if(slots.begin(), slots.end(), [](const auto& s) {
        return s.at("date").as_string() == "2027-03-01" && s.at("division").as_string() == "am";
    });
    ASSERT_NE(morning, slots.end());
    EXPECT_EQ(morning->at("first_choices").as_int64(), 3);
    EXPECT_EQ(morning->at("won_by"), a.at("reference"));
    auto csv = call("GET", path + "/demand?format=csv", boss_);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(
        csv.body.substr(0, csv.body.find("\r\n")),
        R"("room","date","division","division_name","open","first_choices","choices","won_by")"
    );
    EXPECT_NE(
        csv.body.find(
            R"("大ホール","2027-03-01","am","午前","1","3","3",")" +
            std::string(a.at("reference").as_string()) + "\""
        ),
        std::string::npos
    );

    // The resident confirms with the projector and heating: the class takes 20 % of the room.
    const auto ref = std::string(a.at("wins").at(0).at("booking_reference").as_string());
    const auto extras = R"({"equipment":[{"resource_id":)" + std::to_string(projector_) +
                        R"(,"quantity":1}],"surcharges":["heating"]})";
    EXPECT_EQ(
        call(
            "POST",
            "/api/v1/me/bookings/" + ref + "/confirmation",
            headers_.at("c@example.jp"),
            extras
        )
            .status,
        404
    ) << "not hers";
    auto confirmed = call(
        "POST", "/api/v1/me/bookings/" + ref + "/confirmation", headers_.at("a@example.jp"), extras
    );
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    const auto booking = parse(confirmed);
    EXPECT_EQ(booking.at("status").as_string(), "confirmed");
    EXPECT_EQ(booking.at("total_jpy").as_int64(), 3000 - 600 + 500 + 1000);
    EXPECT_EQ(booking.at("starts_at").as_string(), kMarchAm);
    EXPECT_EQ(
        call(
            "POST",
            "/api/v1/me/bookings/" + ref + "/confirmation",
            headers_.at("a@example.jp"),
            "{}"
        )
            .status,
        422
    ) << "confirmed already";

    // b lets the deadline pass: the afternoon lapses and is free again.
    now_is("2027-02-05T00:00:01.000+00:00");
    sign_in_all();
    const auto b_ref = std::string(b.at("wins").at(0).at("booking_reference").as_string());
    EXPECT_EQ(
        call(
            "POST",
            "/api/v1/me/bookings/" + b_ref + "/confirmation",
            headers_.at("b@example.jp"),
            "{}"
        )
            .status,
        422
    );
    auto lapsed = id_->services->bookings.release_all_expired_holds();
    ASSERT_TRUE(lapsed);
    EXPECT_EQ(*lapsed, 1);
    EXPECT_EQ(
        entries_of("b@example.jp").at(0).at("wins").at(0).at("status").as_string(), "expired"
    );

    // Until first come first served opens the month stays shut; then the afternoon is anyone's.
    const auto pm = R"({"offering_id":)" + std::to_string(rent_) + R"(,"starts_at":")" + kMarchPm +
                    R"(","blocks":1,)" + customer("c@example.jp") + "}";
    auto shut = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        headers_.at("c@example.jp") + kJson + "Idempotency-Key: pm-early\r\n",
        pm
    );
    EXPECT_EQ(shut.status, 422) << shut.body;
    now_is("2027-02-10T00:00:00.000+00:00");
    sign_in_all();
    auto open = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        headers_.at("c@example.jp") + kJson + "Idempotency-Key: pm-opened\r\n",
        pm
    );
    ASSERT_EQ(open.status, 201) << "[" << open.body << "]";
    auto taken = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        headers_.at("b@example.jp") + kJson + "Idempotency-Key: am-taken\r\n",
        R"({"offering_id":)" + std::to_string(rent_) + R"(,"starts_at":")" + kMarchAm +
            R"(","blocks":1,)" + customer("b@example.jp") + "}"
    );
    EXPECT_EQ(taken.status, 409) << "the winner's morning";
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    RoomLottery,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

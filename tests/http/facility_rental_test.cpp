// Facility rental (issue 27) through the API on both backends: a hall rented by time
// divisions (利用区分) priced per day type, equipment taken with it and never oversold,
// surcharges, the itemised fee quoted before booking and kept with the booking.

#include <atomic>
#include <latch>
#include <map>
#include <thread>

#include "documents/pdf_text.hpp"
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
    {"code":"night","name":"夜間","starts":"18:00","ends":"21:30","price_jpy":5000},
    {"code":"am","name":"午前","days":"holiday","starts":"09:00","ends":"12:00","price_jpy":3600},
    {"code":"pm","name":"午後","days":"holiday","starts":"13:00","ends":"17:00","price_jpy":4800}])";

// Monday 2027-01-18 in Tokyo.
const std::string kMorning = "2027-01-18T00:00:00.000+00:00";
const std::string kAfternoon = "2027-01-18T04:00:00.000+00:00";

class FacilityRental : public BookingFixture {
protected:
    std::int64_t hall() { return resource("room", kDivisions, kAllDay); }
    std::int64_t rental(std::int64_t hall, std::int64_t projector) {
        return offering(
            R"({"kind":"rental","name":"大ホール","published":true,"by_division":true,
                "min_blocks":1,"max_blocks":3,"resource_ids":[)" +
            std::to_string(hall) + R"(],"equipment":[{"resource_id":)" + std::to_string(projector) +
            R"(,"price_jpy":1000,"max_quantity":2}],
                "surcharges":[{"code":"admission","name":"入場料を徴収する","percent":50},
                              {"code":"heating","name":"冷暖房","per_block_jpy":500}]})"
        );
    }
    static std::string selection(
        std::int64_t offering, const std::string& at, int blocks, const std::string& extra = ""
    ) {
        return R"({"offering_id":)" + std::to_string(offering) + R"(,"starts_at":")" + at +
               R"(","blocks":)" + std::to_string(blocks) + (extra.empty() ? "" : ",") + extra + "}";
    }
    static std::string with_customer(const std::string& sel, const std::string& email) {
        return sel.substr(0, sel.size() - 1) + "," + customer(email) + "}";
    }
    HttpResult quote(const std::string& body) {
        return call("POST", "/api/v1/public/salon/quote", "", body);
    }
};

}  // namespace

TEST_P(FacilityRental, DivisionsEquipmentAndSurchargesAreItemisedAndKept) {
    const auto room = hall();
    const auto projector = resource("equipment", R"("units":2)", kAllDay);
    const auto rent = rental(room, projector);

    // Weekdays show three divisions at weekday prices; a Saturday its own.
    auto monday = parse(availability(rent, "2027-01-18", "2027-01-18")).at("slots").as_array();
    ASSERT_EQ(monday.size(), 3u);
    EXPECT_EQ(monday[0].at("starts_at").as_string(), kMorning);
    EXPECT_EQ(monday[1].at("division").at("code").as_string(), "pm");
    EXPECT_EQ(monday[1].at("division").at("index").as_int64(), 1);
    EXPECT_EQ(monday[2].at("division").at("price_jpy").as_int64(), 5000);
    EXPECT_EQ(monday[2].at("ends_at").as_string(), "2027-01-18T12:30:00.000+00:00");
    auto saturday = parse(availability(rent, "2027-01-16", "2027-01-16")).at("slots").as_array();
    ASSERT_EQ(saturday.size(), 3u);
    EXPECT_EQ(saturday[0].at("division").at("price_jpy").as_int64(), 3600);
    EXPECT_EQ(saturday[2].at("division").at("price_jpy").as_int64(), 5000) << "every day";

    // Morning and afternoon, one projector, admission charged, heating: quoted line by line.
    const auto extras = R"("equipment":[{"resource_id":)" + std::to_string(projector) +
                        R"(,"quantity":1}],"surcharges":["admission","heating"])";
    const auto sel = selection(rent, kMorning, 2, extras);
    auto q = quote(sel);
    ASSERT_EQ(q.status, 200) << q.body;
    const auto quoted = parse(q);
    EXPECT_EQ(quoted.at("ends_at").as_string(), "2027-01-18T08:00:00.000+00:00");
    const std::vector<std::tuple<std::string, std::string, std::int64_t, std::int64_t>> want = {
        {"room", "午前 09:00–12:00", 1, 3000},
        {"room", "午後 13:00–17:00", 1, 4000},
        {"surcharge", "入場料を徴収する (+50%)", 1, 3500},
        {"surcharge", "冷暖房", 2, 1000},
        {"equipment", "R 2", 2, 2000}};
    const auto& lines = quoted.at("lines").as_array();
    ASSERT_EQ(lines.size(), want.size()) << q.body;
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(lines[i].at("kind").as_string(), std::get<0>(want[i]));
        EXPECT_EQ(lines[i].at("label").as_string(), std::get<1>(want[i]));
        EXPECT_EQ(lines[i].at("quantity").as_int64(), std::get<2>(want[i]));
        EXPECT_EQ(lines[i].at("amount_jpy").as_int64(), std::get<3>(want[i]));
    }
    EXPECT_EQ(quoted.at("total_jpy").as_int64(), 13500);
    EXPECT_EQ(quoted.at("tax_jpy").as_int64(), 1227);
    EXPECT_EQ(quoted.at("equipment").at(0).at("left").as_int64(), 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 0) << "a quote books nothing";

    auto booked = book(with_customer(sel, "group@example.jp"));
    ASSERT_EQ(booked.status, 201) << booked.body;
    const auto b = parse(booked);
    EXPECT_EQ(b.at("total_jpy").as_int64(), 13500);
    EXPECT_EQ(b.at("ends_at").as_string(), "2027-01-18T08:00:00.000+00:00");
    EXPECT_EQ(b.at("fees").at("lines"), quoted.at("lines"));
    EXPECT_EQ(b.at("fees").at("blocks").as_int64(), 2);
    EXPECT_EQ(parse(quote(sel)).at("equipment").at(0).at("left").as_int64(), 1);

    // The afternoon is taken with the morning; the night is still free.
    EXPECT_EQ(book(with_customer(selection(rent, kAfternoon, 1), "other@example.jp")).status, 409);
    auto after = parse(availability(rent, "2027-01-18", "2027-01-18")).at("slots").as_array();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].at("division").at("code").as_string(), "night");

    // Equipment changes until the deadline: the same start with two projectors.
    const auto ref = str(booked, "reference");
    auto moved = call(
        "POST",
        "/api/v1/bookings/" + ref + "/reschedule",
        boss_,
        R"({"starts_at":")" + kMorning + R"(","equipment":[{"resource_id":)" +
            std::to_string(projector) + R"(,"quantity":2}]})"
    );
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(parse(moved).at("total_jpy").as_int64(), 15500);
    EXPECT_EQ(parse(moved).at("fees").at("surcharges").as_array().size(), 2u) << "kept";
    EXPECT_EQ(
        scalar(
            "SELECT max(used) FROM resource_usage WHERE resource_id = " + std::to_string(projector)
        ),
        2
    );
    // Moved to the night: one division, the terms kept and priced again.
    auto night = call(
        "POST",
        "/api/v1/bookings/" + ref + "/reschedule",
        boss_,
        R"({"starts_at":"2027-01-18T09:00:00.000+00:00"})"
    );
    EXPECT_EQ(night.status, 422) << "two divisions do not follow the night: " << night.body;
}

TEST_P(FacilityRental, PermitAndInvoiceAreNumberedKeptAndReissuedWhenTheBookingChanges) {
    const auto room = hall();
    const auto projector = resource("equipment", R"("units":2)", kAllDay);
    const auto rent = rental(room, projector);
    // A 1 × 1 PNG as the seal; other bytes and long wording are refused, naming the field.
    const std::string png =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const auto put = [&](const std::string& extra) {
        return call(
            "PUT",
            "/api/v1/settings/documents",
            boss_,
            R"({"permit_text":"利用後は原状に戻してください。","invoice_text":"振込先 市民銀行 本店 普通 1234567")" +
                extra + "}"
        );
    };
    auto bad = put(R"(,"seal":"bm90IGEgcG5n")");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "seal");
    auto set = put(R"(,"seal":")" + png + "\"");
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_TRUE(parse(set).at("has_seal").as_bool());
    EXPECT_EQ(call("GET", "/api/v1/settings/documents/seal", boss_).body.substr(1, 3), "PNG");
    EXPECT_TRUE(parse(put("")).at("has_seal").as_bool()) << "no seal given keeps it";

    const auto extras = R"("equipment":[{"resource_id":)" + std::to_string(projector) +
                        R"(,"quantity":1}],"surcharges":["admission","heating"])";
    auto booked = book(with_customer(selection(rent, kMorning, 2, extras), "group@example.jp"));
    ASSERT_EQ(booked.status, 201) << booked.body;
    const auto ref = str(booked, "reference");
    const auto staff = [&](const char* kind) {
        return call("GET", "/api/v1/bookings/" + ref + "/" + kind, boss_);
    };
    auto permit = staff("permit");
    ASSERT_EQ(permit.status, 200) << permit.body;
    EXPECT_EQ(permit.header("content-type"), "application/pdf");
    EXPECT_NE(permit.header("content-disposition").find("P-000001.pdf"), std::string::npos);
    const auto text = documents::pdf_text(permit.body);
    for (const char* want :
         {"使用許可書",
          "P-000001",
          "山田 花子 様",
          "下記のとおり施設の使用を許可します。",
          "大ホール",
          "午前 09:00–12:00",
          "午後 13:00–17:00",
          "入場料を徴収する (+50%)",
          "冷暖房",
          "¥13,500",
          "内消費税 ¥1,227",
          "利用後は原状に戻してください。"})
        EXPECT_NE(text.find(want), std::string::npos) << want << " in\n" << text;
    EXPECT_EQ(text.find("再発行"), std::string::npos);
    auto invoice = staff("invoice");
    ASSERT_EQ(invoice.status, 200) << invoice.body;
    const auto billed = documents::pdf_text(invoice.body);
    for (const char* want : {"請求書", "I-000001", "ご請求金額 ¥13,500", "振込先 市民銀行"})
        EXPECT_NE(billed.find(want), std::string::npos) << want << " in\n" << billed;

    // The same documents however often they are fetched; the customer gets them, a stranger not.
    EXPECT_EQ(documents::pdf_text(staff("permit").body), text);
    const auto customer_gets = [&](const std::string& email) {
        return call(
            "POST",
            "/api/v1/public/salon/bookings/" + ref + "/permit",
            "",
            R"({"email":")" + email + "\"}"
        );
    };
    EXPECT_EQ(customer_gets("someone@example.jp").status, 404);
    auto mine = customer_gets("group@example.jp");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(documents::pdf_text(mine.body), text);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'document.issued'"), 2);

    // A second projector changes the fee: the permit is issued again under the next number.
    auto moved = call(
        "POST",
        "/api/v1/bookings/" + ref + "/reschedule",
        boss_,
        R"({"starts_at":")" + kMorning + R"(","equipment":[{"resource_id":)" +
            std::to_string(projector) + R"(,"quantity":2}]})"
    );
    ASSERT_EQ(moved.status, 200) << moved.body;
    auto again = documents::pdf_text(staff("permit").body);
    for (const char* want :
         {"使用許可書（再発行）", "P-000002", "P-000001 に代わるもの", "¥15,500"})
        EXPECT_NE(again.find(want), std::string::npos) << want << " in\n" << again;
    EXPECT_EQ(scalar("SELECT count(*) FROM booking_documents WHERE kind = 'permit'"), 2);
    EXPECT_EQ(scalar("SELECT max(last_number) FROM document_numbers WHERE kind = 'invoice'"), 1);

    // A cancelled booking has no permit to give.
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    auto none = staff("permit");
    EXPECT_EQ(none.status, 422);
    EXPECT_EQ(field(none), "reference");
}

TEST_P(FacilityRental, ProvisionalBookingsOfAnyKindAreConfirmedByStaffOrLapse) {
    // An event (not a rental): a booking is provisional for a day.
    const auto event = offering(
        R"({"kind":"event","name":"市民講座","published":true,"provisional_minutes":1440,
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":1000}]})"
    );
    const auto occurrence = make(
        "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
        R"({"starts_at":"2027-01-25T01:00:00.000+00:00","ends_at":"2027-01-25T03:00:00.000+00:00","capacity":4})"
    );
    const auto two = [&](const std::string& email) {
        return book(
            R"({"occurrence_id":)" + std::to_string(occurrence) + R"(,"tickets":{"adult":2},)" +
            customer(email) + "}"
        );
    };
    auto first = two("first@example.jp");
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(str(first, "status"), "pending");
    // The fake clock reads 2027-01-15 08:00 UTC: kept for a day.
    EXPECT_EQ(str(first, "hold_expires_at"), "2027-01-16T08:00:00.000+00:00");
    auto second = two("second@example.jp");
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_EQ(two("third@example.jp").status, 409) << "provisional bookings keep their seats";

    auto confirmed =
        call("POST", "/api/v1/bookings/" + str(second, "reference") + "/approve", boss_);
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    EXPECT_EQ(str(confirmed, "status"), "confirmed");
    EXPECT_TRUE(parse(confirmed).at("hold_expires_at").is_null()) << "本予約: no deadline";

    // A day later the first lapses: its seats come back, its customer is told.
    now_is("2027-01-16T08:00:01.000+00:00");
    auto lapsed = id_->services->bookings.release_all_expired_holds();
    ASSERT_TRUE(lapsed);
    EXPECT_EQ(*lapsed, 1);
    EXPECT_EQ(scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occurrence)), 2);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM bookings WHERE status = 'expired' AND reference = '" +
            str(first, "reference") + "'"
        ),
        1
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.lapsed'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'booking.lapsed'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 1) << "kept";

    for (const auto& [body, name] : std::vector<std::pair<std::string, std::string>>{
             {R"({"kind":"event","name":"x","provisional_minutes":30,"ticket_types":[{"code":"a","name":"A","price_jpy":1}]})",
              "provisional_minutes"},
             {R"({"kind":"event","name":"x","provisional_minutes":60,"payment":"online_now","ticket_types":[{"code":"a","name":"A","price_jpy":1}]})",
              "payment"}}) {
        auto r = call("POST", "/api/v1/offerings", boss_, body);
        EXPECT_EQ(r.status, 400) << body;
        if (r.status == 400) {
            EXPECT_EQ(field(r), name);
        }
    }
}

TEST_P(FacilityRental, TheOfficeReadsOccupancyByDivisionAndTakingsByClass) {
    const auto room = hall();
    const auto projector = resource("equipment", R"("units":2)", kAllDay);
    const auto plain = resource("room", "", kAllDay);
    const auto rent = rental(room, projector);
    ASSERT_EQ(book(with_customer(selection(rent, kMorning, 2), "group@example.jp")).status, 201);

    auto r = call("GET", "/api/v1/reports/occupancy?month=2027-01", boss_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto report = parse(r);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> seen;
    for (const auto& row : report.at("occupancy").as_array()) {
        const auto id = row.at("resource_id").as_int64();
        EXPECT_NE(id, projector) << "equipment is not a room";
        seen[std::to_string(id) + ":" + std::string(row.at("division").as_string())] = {
            row.at("available").as_int64(), row.at("booked").as_int64()};
    }
    using Span = std::pair<std::int64_t, std::int64_t>;
    const auto key = [](std::int64_t id, const char* division) {
        return std::to_string(id) + ":" + division;
    };
    // January has 31 days; every day has a morning, an afternoon and a night (weekday and
    // holiday divisions share their codes).
    EXPECT_EQ(seen[key(room, "am")], (Span{31, 1}));
    EXPECT_EQ(seen[key(room, "pm")], (Span{31, 1}));
    EXPECT_EQ(seen[key(room, "night")], (Span{31, 0}));
    // A room without divisions counts minutes: 09:00–22:00 for 31 days.
    EXPECT_EQ(seen[key(plain, "")], (Span{31 * 13 * 60, 0}));
    const auto& revenue = report.at("revenue_by_class").as_array();
    ASSERT_EQ(revenue.size(), 1u);
    EXPECT_EQ(revenue[0].at("user_class").as_string(), "");
    EXPECT_EQ(revenue[0].at("total_jpy").as_int64(), 7000);

    auto csv = call("GET", "/api/v1/reports/occupancy?month=2027-01&format=csv", boss_);
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find(R"("R 1")"), std::string::npos) << "the room, not the offering";
    EXPECT_NE(csv.body.find(R"("午前","divisions","31","1","3.2")"), std::string::npos) << csv.body;
    auto bad = call("GET", "/api/v1/reports/occupancy?month=2027-13", boss_);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "month");
}

TEST_P(FacilityRental, BadSelectionsAndSetupAreRefusedNamingTheField) {
    const auto room = hall();
    const auto projector = resource("equipment", R"("units":2)", kAllDay);
    const auto rent = rental(room, projector);
    const std::vector<std::tuple<std::string, int, std::string>> cases = {
        {selection(rent, "2027-01-18T00:30:00.000+00:00", 1), 422, "starts_at"},
        {selection(rent, kAfternoon, 3), 422, "blocks"},
        {selection(rent, kMorning, 4), 400, "blocks"},
        {selection(rent, kMorning, 1, R"("quantity":2)"), 400, "quantity"},
        {selection(
             rent,
             kMorning,
             1,
             R"("equipment":[{"resource_id":)" + std::to_string(room) + R"(,"quantity":1}])"
         ),
         400,
         "equipment[0].resource_id"},
        {selection(
             rent,
             kMorning,
             1,
             R"("equipment":[{"resource_id":)" + std::to_string(projector) + R"(,"quantity":3}])"
         ),
         400,
         "equipment[0].quantity"},
        {selection(rent, kMorning, 1, R"("surcharges":["sauna"])"), 400, "surcharges[0]"},
        {selection(rent, kMorning, 1, R"("surcharges":["heating","heating"])"),
         400,
         "surcharges[1]"},
    };
    for (const auto& [body, status, name] : cases) {
        auto r = quote(body);
        EXPECT_EQ(r.status, status) << body << " " << r.body;
        if (r.status >= 400) {
            EXPECT_EQ(field(r), name) << body;
        }
    }

    const auto plain = resource("room", "", kAllDay);
    const auto id = [](std::int64_t x) { return std::to_string(x); };
    const std::vector<std::pair<std::string, std::string>> setups = {
        {R"({"kind":"rental","name":"x","by_division":true,"resource_ids":[)" + id(plain) + "]}",
         "resource_ids[0]"},
        {R"({"kind":"rental","name":"x","by_division":true,"duration_minutes":60,"resource_ids":[)" +
             id(room) + "]}",
         "duration_minutes"},
        {R"({"kind":"rental","name":"x","by_division":true,"max_blocks":13,"resource_ids":[)" +
             id(room) + "]}",
         "max_blocks"},
        {R"({"kind":"rental","name":"x","by_division":true,"resource_ids":[)" + id(room) +
             R"(],"equipment":[{"resource_id":)" + id(plain) + R"(,"price_jpy":100}]})",
         "equipment[0].resource_id"},
        {R"({"kind":"rental","name":"x","by_division":true,"resource_ids":[)" + id(room) +
             R"(],"surcharges":[{"code":"a","name":"A","percent":10,"per_block_jpy":100}]})",
         "surcharges[0]"},
        {R"({"kind":"event","name":"x","by_division":true,"ticket_types":[{"code":"a","name":"A","price_jpy":1}]})",
         "by_division"},
    };
    for (const auto& [body, name] : setups) {
        auto r = call("POST", "/api/v1/offerings", boss_, body);
        EXPECT_EQ(r.status, 400) << body << " " << r.body;
        if (r.status == 400) {
            EXPECT_EQ(field(r), name) << body;
        }
    }
    const std::vector<std::pair<std::string, std::string>> rooms = {
        {R"("divisions":[{"code":"a","name":"A","starts":"09:00","ends":"12:00","price_jpy":1},
                         {"code":"b","name":"B","starts":"11:00","ends":"13:00","price_jpy":1}])",
         "divisions[1].starts"},
        {R"("divisions":[{"code":"a","name":"A","starts":"12:00","ends":"09:00","price_jpy":1}])",
         "divisions[0].ends"},
        {R"("divisions":[{"code":"a","name":"A","starts":"9時","ends":"12:00","price_jpy":1}])",
         "divisions[0].starts"},
        {R"("divisions":[{"code":"a","name":"A","days":"sometimes","starts":"09:00","ends":"12:00","price_jpy":1}])",
         "divisions[0].days"},
    };
    for (const auto& [extra, name] : rooms) {
        auto r = call(
            "POST", "/api/v1/resources", boss_, R"({"kind":"room","name":"Room",)" + extra + "}"
        );
        EXPECT_EQ(r.status, 400) << extra << " " << r.body;
        if (r.status == 400) {
            EXPECT_EQ(field(r), name) << extra;
        }
    }
    auto staff = call(
        "POST",
        "/api/v1/resources",
        boss_,
        R"({"kind":"staff","name":"S","divisions":[{"code":"a","name":"A","starts":"09:00","ends":"12:00","price_jpy":1}]})"
    );
    EXPECT_EQ(staff.status, 400);
    EXPECT_EQ(field(staff), "divisions");
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 0);
}

TEST_P(FacilityRental, EquipmentIsNeverOversoldAcrossRoomsBookedAtOnce) {
    // Eight rooms share three projectors; everyone wants one for the same morning.
    const auto projector = resource("equipment", R"("units":3)", kAllDay);
    std::vector<std::int64_t> rentals;
    for (int i = 0; i < 8; ++i) rentals.push_back(rental(hall(), projector));
    for (int round = 0; round < 3; ++round) {
        const auto at =
            format_rfc3339(*parse_rfc3339(kMorning) + std::chrono::hours(24 * round), "UTC");
        std::atomic<int> won{0}, short_of{0}, other{0};
        std::latch go(8);
        std::vector<std::thread> clients;
        for (int i = 0; i < 8; ++i)
            clients.emplace_back([&, i] {
                go.arrive_and_wait();
                auto r = book(
                    with_customer(
                        selection(
                            rentals[static_cast<std::size_t>(i)],
                            at,
                            1,
                            R"("equipment":[{"resource_id":)" + std::to_string(projector) +
                                R"(,"quantity":1}])"
                        ),
                        "g" + std::to_string(i) + "@example.jp"
                    ),
                    "",
                    "projector-" + std::to_string(round) + "-" + std::to_string(i)
                );
                if (r.status == 201)
                    ++won;
                else if (r.status == 409 && field(r) == "equipment[0]")
                    ++short_of;
                else
                    ++other;
            });
        for (auto& t : clients) t.join();
        EXPECT_EQ(won.load(), 3) << "round " << round;
        EXPECT_EQ(short_of.load(), 5);
        EXPECT_EQ(other.load(), 0);
    }
    EXPECT_EQ(
        scalar(
            "SELECT max(used) FROM resource_usage WHERE resource_id = " + std::to_string(projector)
        ),
        3
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 9);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    FacilityRental,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

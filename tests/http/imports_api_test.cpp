// Moving in from CSV (issue 30) on both backends: each template, downloaded and sent back,
// imports as it is and in order (resources, offerings, dates, customers, bookings); a
// Shift_JIS export of another system with Japanese headers and bad rows gets every bad row
// named by a dry run, is refused whole when applied (problem+json, nothing stored, audited) and
// imported once corrected; what is not a CSV of a known kind is refused naming the field.

#include <gtest/gtest.h>
#include <iconv.h>

#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

const std::string kCsv = "Content-Type: text/csv\r\n";

// UTF-8 text as Windows-31J (Shift_JIS) bytes, as a Japanese spreadsheet saves it.
std::string shift_jis(const std::string& utf8) {
    iconv_t cd = iconv_open("CP932", "UTF-8");
    std::string out(utf8.size() * 2 + 8, '\0');
    char* src = const_cast<char*>(utf8.data());
    std::size_t left = utf8.size();
    char* dst = out.data();
    std::size_t room = out.size();
    const auto n = iconv(cd, &src, &left, &dst, &room);
    iconv_close(cd);
    EXPECT_NE(n, static_cast<std::size_t>(-1));
    out.resize(out.size() - room);
    return out;
}

class Imports : public BookingFixture {
protected:
    HttpResult send(
        const std::string& kind, const std::string& csv, bool apply, const std::string& type = kCsv
    ) {
        return request(
            server_->port(),
            "POST",
            "/api/v1/imports/" + kind + (apply ? "?apply=true" : ""),
            boss_ + type,
            csv
        );
    }
    // The problems of a report or refusal as "line:field".
    static std::vector<std::string> problems(const HttpResult& r) {
        std::vector<std::string> out;
        const auto body = parse(r);
        for (const auto& p : body.at("problems").as_array())
            out.push_back(
                std::to_string(p.at("line").as_int64()) + ":" +
                std::string(p.at("field").as_string())
            );
        return out;
    }
};

}  // namespace

TEST_P(Imports, EachTemplateImportsAsItIsInOrderAndTheBookingIsMade) {
    const auto mails = scalar("SELECT COUNT(*) FROM outbox WHERE topic = 'mail'");
    for (const std::string kind :
         {"resources", "offerings", "occurrences", "customers", "bookings"}) {
        auto t = call("GET", "/api/v1/imports/" + kind + "/template", boss_);
        ASSERT_EQ(t.status, 200) << kind << " " << t.body;
        EXPECT_EQ(t.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_NE(
            t.header("content-disposition").find("yoyaku-" + kind + ".csv"), std::string::npos
        );
        ASSERT_TRUE(t.body.starts_with("\xEF\xBB\xBF")) << "a byte order mark for Excel";
        auto dry = send(kind, t.body, false);
        ASSERT_EQ(dry.status, 200) << kind << " " << dry.body;
        EXPECT_EQ(parse(dry).at("applied").as_bool(), false);
        EXPECT_EQ(parse(dry).at("stored").as_int64(), 1) << kind << " " << dry.body;
        EXPECT_TRUE(problems(dry).empty()) << kind << " " << dry.body;
        auto r = send(kind, t.body, true);
        ASSERT_EQ(r.status, 200) << kind << " " << r.body;
        EXPECT_EQ(parse(r).at("applied").as_bool(), true) << kind << " " << r.body;
        EXPECT_EQ(parse(r).at("encoding").as_string(), "UTF-8");
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM resources"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM offerings"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM occurrences"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM accounts WHERE role = 'customer'"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM bookings WHERE status = 'confirmed'"), 1);
    EXPECT_EQ(scalar("SELECT seats FROM bookings"), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'import.applied'"), 5);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.created'"), 1);
    // Neither the customer nor the booking was mailed: the system they came from told them.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE topic = 'mail'"), mails);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE topic = 'reminder'"), 1) << "reminded";
}

TEST_P(Imports, AShiftJisExportWithBadRowsIsNamedRowByRowRefusedWholeThenImportedOnceCorrected) {
    const std::string bad =
        "氏名,メールアドレス\r\n"
        "山田 花子,hanako@example.jp\r\n"
        "鈴木 一郎,not-an-address\r\n"
        "\"佐藤, 次郎\",jiro@example.jp\r\n"
        ",saburo@example.jp\r\n"
        "山田 花子（重複）,HANAKO@example.jp\r\n";
    auto dry = send("customers", shift_jis(bad), false);
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_EQ(parse(dry).at("encoding").as_string(), "Shift_JIS");
    EXPECT_EQ(parse(dry).at("rows").as_int64(), 5);
    EXPECT_EQ(parse(dry).at("stored").as_int64(), 2);
    EXPECT_EQ(problems(dry), (std::vector<std::string>{"3:email", "5:name", "6:email"}));

    auto refused = send("customers", shift_jis(bad), true);
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.header("content-type"), "application/problem+json");
    EXPECT_EQ(field(refused), "email");
    EXPECT_EQ(problems(refused).size(), 3u);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM accounts WHERE role = 'customer'"), 0) << "nothing";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'import.refused'"), 1);

    const std::string good =
        "氏名,メールアドレス\r\n"
        "山田 花子,hanako@example.jp\r\n"
        "\"佐藤, 次郎\",jiro@example.jp\r\n";
    auto r =
        send("customers", shift_jis(good), true, "Content-Type: text/csv; charset=Shift_JIS\r\n");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(parse(r).at("applied").as_bool());
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM accounts WHERE role = 'customer'"), 2);
    auto names = call("GET", "/api/v1/export", boss_);
    EXPECT_NE(names.body.find("佐藤, 次郎"), std::string::npos) << "the quoted comma is the name's";
}

TEST_P(Imports, BookingsOfOneFileAreCheckedTogetherAgainstTheSeatsLeft) {
    const auto o = offering(
        R"({"kind":"event","name":"夜の講座","published":true,
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":1000}]})"
    );
    make(
        "/api/v1/offerings/" + std::to_string(o) + "/occurrences",
        R"({"starts_at":"2027-02-01T19:00:00+09:00","ends_at":"2027-02-01T21:00:00+09:00","capacity":3})"
    );
    const std::string csv =
        "offering,starts_at,tickets,name,email,phone\n"
        "夜の講座,2027/2/1 19:00,2,山田 花子,hanako@example.jp,\n"
        "夜の講座,2027-02-01 19:00,2,鈴木 一郎,ichiro@example.jp,\n"
        "夜の講座,2027-02-02 19:00,1,佐藤 次郎,jiro@example.jp,\n"
        "夜の講座,2027-02-01 25:00,1,田中 三郎,saburo@example.jp,\n"
        "昼の講座,2027-02-01 19:00,1,高橋 四郎,shiro@example.jp,\n"
        "夜の講座,2027-02-01T10:00:00Z,1,伊藤 五郎,goro@example.jp,\n";
    auto dry = send("bookings", csv, false);
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_EQ(
        problems(dry),
        (std::vector<std::string>{"3:tickets", "4:starts_at", "5:starts_at", "6:offering"})
    ) << dry.body;
    EXPECT_EQ(parse(dry).at("stored").as_int64(), 2) << "lines 2 and 7 (19:00 in Tokyo)";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM bookings"), 0);
    EXPECT_EQ(send("bookings", csv, true).status, 422);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM bookings"), 0);
    EXPECT_EQ(scalar("SELECT taken FROM occurrences"), 0) << "no seat kept by a refused import";
}

TEST_P(Imports, ABookingsRowKeepsItsSeatsDivisionsAndEquipment) {
    const auto hall = make(
        "/api/v1/seat-maps",
        R"({"name":"小ホール","layout":{"categories":[{"code":"S","name":"S席"}],"sections":[
            {"name":"1階","rows":[{"name":"A","y":0,"seats":[{"number":1,"x":0,"category":"S"},
            {"number":2,"x":1,"category":"S"},{"number":3,"x":2,"category":"S"}]}]}]}})"
    );
    const auto concert = offering(
        R"({"kind":"event","name":"室内楽","published":true,"seat_map_id":)" +
        std::to_string(hall) +
        R"(,"ticket_types":[{"code":"adult","name":"一般","price_jpy":3000}]})"
    );
    make(
        "/api/v1/offerings/" + std::to_string(concert) + "/occurrences",
        R"({"starts_at":"2027-03-06T18:00:00+09:00","ends_at":"2027-03-06T20:00:00+09:00","capacity":3})"
    );
    const std::string every_day =
        R"({"mon":[{"opens":"08:00","closes":"22:00"}],"tue":[{"opens":"08:00","closes":"22:00"}],
        "wed":[{"opens":"08:00","closes":"22:00"}],"thu":[{"opens":"08:00","closes":"22:00"}],
        "fri":[{"opens":"08:00","closes":"22:00"}],"sat":[{"opens":"08:00","closes":"22:00"}],
        "sun":[{"opens":"08:00","closes":"22:00"}]})";
    const auto room = make(
        "/api/v1/resources",
        R"({"kind":"room","name":"大会議室","hours":)" + every_day + R"(,"divisions":[
            {"code":"am","name":"午前","starts":"09:00","ends":"12:00","price_jpy":3000},
            {"code":"pm","name":"午後","starts":"13:00","ends":"17:00","price_jpy":4000}]})"
    );
    const auto projector = make(
        "/api/v1/resources",
        R"({"kind":"equipment","name":"プロジェクター","units":2,"hours":)" + every_day + "}"
    );
    offering(
        R"({"kind":"rental","name":"大会議室の貸出","published":true,"by_division":true,
            "min_blocks":1,"max_blocks":2,"resource_ids":[)" +
        std::to_string(room) + R"(],"equipment":[{"resource_id":)" + std::to_string(projector) +
        R"(,"price_jpy":1000,"max_quantity":2}]})"
    );
    const std::string head = "メニュー,開始日時,座席,コマ数,備品,氏名,メールアドレス\n";
    const std::string rows =
        "室内楽,2027/3/6 18:00,A-2|A-3,,,山田 花子,hanako@example.jp\n"
        "大会議室の貸出,2027/1/18 9:00,,2,プロジェクター×2,鈴木 一郎,ichiro@example.jp\n";
    auto dry = send(
        "bookings",
        head + rows +
            "室内楽,2027/3/6 18:00,A-3,,,佐藤 次郎,jiro@example.jp\n"
            "大会議室の貸出,2027/1/19 9:00,,1,プロジェクター×0,田中 三郎,saburo@example.jp\n"
            "大会議室の貸出,2027/1/20 9:00,,1,マイク,高橋 四郎,shiro@example.jp\n"
            "大会議室の貸出,2027/1/18 13:00,,1,プロジェクター,伊藤 五郎,goro@example.jp\n",
        false
    );
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_EQ(
        problems(dry),
        (std::vector<std::string>{"4:seats", "5:equipment", "6:equipment", "7:starts_at"})
    ) << "a seat and the division already taken by rows above; a count of 0; no such equipment: "
      << dry.body;

    auto r = send("bookings", head + rows, true);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(
        scalar("SELECT seats FROM bookings WHERE offering_id = " + std::to_string(concert)), 2
    ) << "one ticket for each seat named";
    auto list = call("GET", "/api/v1/bookings", boss_);
    ASSERT_EQ(list.status, 200) << list.body;
    std::map<std::string, boost::json::object> by_name;
    const auto listed = parse(list);
    for (const auto& b : listed.at("items").as_array())
        by_name[std::string(b.at("customer").at("name").as_string())] = b.as_object();
    ASSERT_EQ(by_name.size(), 2u) << list.body;
    const auto& seated = by_name.at("山田 花子");
    std::vector<std::string> seats;
    for (const auto& id : seated.at("seat_ids").as_array()) seats.emplace_back(id.as_string());
    EXPECT_EQ(seats, (std::vector<std::string>{"A-2", "A-3"})) << boost::json::serialize(seated);
    const auto& rented = by_name.at("鈴木 一郎");
    EXPECT_EQ(rented.at("fees").at("blocks").as_int64(), 2) << "morning and afternoon";
    EXPECT_EQ(rented.at("fees").at("equipment").at(0).at("resource_id").as_int64(), projector);
    EXPECT_EQ(rented.at("fees").at("equipment").at(0).at("quantity").as_int64(), 2);
    EXPECT_EQ(rented.at("total_jpy").as_int64(), 3000 + 4000 + 2 * 2 * 1000)
        << boost::json::serialize(rented);
}

TEST_P(Imports, WhatIsNotACsvOfAKnownKindIsRefusedNamingTheField) {
    auto header = send("resources", "kind,name,colour\nroom,A,red\n", false);
    ASSERT_EQ(header.status, 200) << header.body;
    EXPECT_EQ(problems(header), (std::vector<std::string>{"1:colour"}));
    auto twice = send("resources", "kind,name,名前\nroom,A,B\n", false);
    EXPECT_EQ(problems(twice), (std::vector<std::string>{"1:名前"})) << twice.body;
    auto empty = send("resources", "kind,name\r\n", false);
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(field(empty), "file");
    auto missing = send("occurrences", "offering,starts_at\nA,2027-02-01 19:00\n", false);
    EXPECT_EQ(problems(missing), (std::vector<std::string>{"1:ends_at", "1:capacity"}));
    auto cells =
        send("resources", "kind,name,units,mon\nroom,A,two,9-12\nroom,B,1,25:00-26:00\n", false);
    EXPECT_EQ(problems(cells), (std::vector<std::string>{"2:units", "3:mon"})) << cells.body;

    auto json = send("resources", "{}", false, kJson);
    EXPECT_EQ(json.status, 415);
    EXPECT_EQ(field(json), "Content-Type");
    auto quote = send("resources", "kind,name\nroom,\"A\n", false);
    EXPECT_EQ(quote.status, 400);
    EXPECT_EQ(field(quote), "file");
    // Neither UTF-8 nor Shift_JIS: a lead byte without its second byte.
    auto binary = send("resources", std::string("kind,name\nroom,\x81\x20x\n"), false);
    EXPECT_EQ(binary.status, 400);
    EXPECT_EQ(field(binary), "file");
    EXPECT_EQ(send("rooms", "kind,name\n", false).status, 404);
    // A charset the firewall lets through but the import does not read.
    auto charset =
        send("resources", "kind,name\n", false, "Content-Type: text/csv; charset=iso-8859-1\r\n");
    EXPECT_EQ(charset.status, 415);
    EXPECT_EQ(field(charset), "charset");
    // One it does not let through at all (UTF-16 hides text from its rules).
    EXPECT_EQ(
        send("resources", "kind,name\n", false, "Content-Type: text/csv; charset=utf-16\r\n")
            .status,
        403
    );

    id_->account(salon_, access::Role::staff, "desk@salon.example");
    const auto desk = signed_in_headers(server_->port(), "salon", "desk@salon.example");
    EXPECT_EQ(
        request(server_->port(), "POST", "/api/v1/imports/resources", desk + kCsv, "kind,name\n")
            .status,
        403
    );
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM resources"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Imports,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

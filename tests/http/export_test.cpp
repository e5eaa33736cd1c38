// A tenant's data export (issue 8) on both backends: JSON with everything it owns (customer
// details opened), bookings as CSV (formula cells defused, quotes doubled) and as iCalendar;
// managers only; still there after termination, when nothing else is; more bookings than one
// page of the reader.

#include <gtest/gtest.h>

#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

class Export : public BookingFixture {
protected:
    // An event with one date of `capacity` seats; its occurrence id.
    std::int64_t event(int capacity) {
        const auto o = offering(
            R"({"kind":"event","name":"Gala \"Night\"","published":true,
                "ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
        );
        const auto start = id_->clock.now() + 24h * 10;
        return make(
            "/api/v1/offerings/" + std::to_string(o) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":)" + std::to_string(capacity) +
                "}"
        );
    }
};

}  // namespace

TEST_P(Export, AManagerExportsEverythingAsJsonCsvAndIcalendarEvenAfterTermination) {
    const auto occ = event(20);
    auto r = book(
        R"({"occurrence_id":)" + std::to_string(occ) +
        R"j(,"tickets":{"adult":2},"customer":{"name":"Hanako \"Hana\" Yamada","email":"hanako@example.jp"},"note":"=HYPERLINK(\"http://x.example\")"})j"
    );
    ASSERT_EQ(r.status, 201) << r.body;
    const auto ref = str(r, "reference");

    auto json = call("GET", "/api/v1/export", boss_);
    ASSERT_EQ(json.status, 200) << json.body;
    EXPECT_NE(
        json.header("content-disposition").find("yoyaku-salon-export.json"), std::string::npos
    );
    const auto all = parse(json).as_object();
    EXPECT_EQ(all.at("format").as_string(), "yoyaku.tenant-export.v1");
    ASSERT_EQ(all.at("bookings").as_array().size(), 1u);
    const auto& b = all.at("bookings").at(0);
    EXPECT_EQ(b.at("reference").as_string(), ref);
    EXPECT_EQ(b.at("customer").at("name").as_string(), "Hanako \"Hana\" Yamada");
    ASSERT_EQ(all.at("offerings").as_array().size(), 1u);
    EXPECT_EQ(all.at("offerings").at(0).at("occurrences").as_array().size(), 1u);
    EXPECT_GE(all.at("accounts").as_array().size(), 1u);
    EXPECT_EQ(json.body.find("$argon2"), std::string::npos) << "no password hashes";
    EXPECT_EQ(json.body.find("whsec_"), std::string::npos) << "no secrets";

    auto csv = call("GET", "/api/v1/export/bookings.csv", boss_);
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_TRUE(csv.body.starts_with("reference,status,offering,starts_at")) << csv.body;
    EXPECT_NE(csv.body.find("\"Hanako \"\"Hana\"\" Yamada\""), std::string::npos) << csv.body;
    EXPECT_NE(csv.body.find("\"'=HYPERLINK("), std::string::npos) << "a formula is defused";
    EXPECT_NE(csv.body.find("+09:00"), std::string::npos) << "times in the tenant's zone";

    auto ics = call("GET", "/api/v1/export/bookings.ics", boss_);
    ASSERT_EQ(ics.status, 200) << ics.body;
    EXPECT_TRUE(ics.body.starts_with("BEGIN:VCALENDAR")) << ics.body;
    EXPECT_NE(ics.body.find("UID:" + ref + "@salon.yoyaku"), std::string::npos);

    // Staff may not; after termination the manager still may, and nothing else.
    id_->account(salon_, access::Role::staff, "desk@salon.example");
    const auto desk = signed_in_headers(server_->port(), "salon", "desk@salon.example");
    EXPECT_EQ(call("GET", "/api/v1/export", desk).status, 403);
    ASSERT_TRUE((*id_)->tenants.change_status(
        salon_, tenants::Status::terminated, "contract ended", {"operator:1", "operator"}, {}
    ));
    EXPECT_EQ(call("GET", "/api/v1/offerings", boss_).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/export/bookings.csv", boss_).status, 200);
}

TEST_P(Export, MoreBookingsThanOnePageAreAllExported) {
    const auto occ = event(600);
    for (int i = 0; i < 501; ++i) {
        bookings::NewBooking nb;
        nb.what.occurrence_id = OccurrenceId(occ);
        nb.what.tickets = {{"adult", 1}};
        nb.customer = {
            "Guest " + std::to_string(i), "guest" + std::to_string(i) + "@example.jp", ""};
        nb.idempotency_key = "export-key-" + std::to_string(i);
        ASSERT_TRUE((*id_)->bookings.book(salon_, nb, id_->actor, id_->origin));
    }
    auto csv = call("GET", "/api/v1/export/bookings.csv", boss_);
    ASSERT_EQ(csv.status, 200);
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = csv.body.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    EXPECT_EQ(rows, 502u) << "the header and every booking";
    EXPECT_NE(csv.body.find("Guest 500"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Export,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

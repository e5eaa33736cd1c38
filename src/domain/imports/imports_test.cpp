// Imports on an in-memory database: every bad row found in one pass (a bad row's writes undone,
// the next rows still checked), nothing kept by a dry run or by a file with a problem, the
// whole kept and audited otherwise; a bookings file imported twice books once.

#include "domain/imports/imports.hpp"

#include <gtest/gtest.h>

#include "crypto/password.hpp"
#include "domain/testing/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::imports;
using namespace std::chrono_literals;

namespace {

class ImportTest : public yoyaku::testing::BookingSliceTest {
protected:
    ImportTest()
        : accounts_(db(), *keyring_, hasher_, clock_),
          resources_(db(), clock_),
          offerings_(db(), clock_),
          bookings_(db(), *keyring_, clock_),
          imports_(db(), accounts_, resources_, offerings_, bookings_, clock_) {}

    template <class T>
    Rows<T> file(std::vector<typename Rows<T>::Line> lines, std::vector<Problem> read = {}) {
        Rows<T> r;
        r.total = static_cast<int>(lines.size() + read.size());
        r.lines = std::move(lines);
        r.problems = std::move(read);
        r.sha256 = std::string(64, 'a');
        return r;
    }

    static resources::ResourceInput room(const std::string& name, int units = 1) {
        resources::ResourceInput in;
        in.kind = resources::Kind::room;
        in.name = name;
        in.units = units;
        return in;
    }

    static BookingRow booked(
        std::string offering,
        Instant at,
        int tickets,
        std::string name,
        std::string email,
        std::string ticket_type = ""
    ) {
        BookingRow r;
        r.offering = std::move(offering);
        r.starts_at = at;
        r.tickets = tickets;
        r.ticket_type = std::move(ticket_type);
        r.customer = {std::move(name), std::move(email), ""};
        return r;
    }

    int count(const std::string& action) {
        const auto all = audit_actions(tenant_);
        return static_cast<int>(std::count(all.begin(), all.end(), action));
    }

    crypto::PasswordHasher hasher_;
    accounts::AccountService accounts_;
    resources::ResourceService resources_;
    offerings::OfferingService offerings_;
    bookings::BookingService bookings_;
    ImportService imports_;
};

}  // namespace

TEST_F(ImportTest, ADryRunFindsEveryBadRowAndKeepsNothing) {
    const auto rows = file<resources::ResourceInput>(
        {{2, room("Hall A")}, {3, room("Hall B", 0)}, {4, room("")}, {5, room("Hall C")}}
    );
    auto r = imports_.resources(tenant_, rows, false, manager_, origin_);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_FALSE(r->applied);
    EXPECT_EQ(r->stored, 2);
    ASSERT_EQ(r->problems.size(), 2u);
    EXPECT_EQ(r->problems[0].line, 3);
    EXPECT_EQ(r->problems[0].field, "units");
    EXPECT_EQ(r->problems[1].line, 4);
    EXPECT_EQ(r->problems[1].field, "name");
    EXPECT_TRUE(resources_.list(tenant_, true)->empty());
    EXPECT_EQ(count("resource.created"), 0) << "a dry run writes no audit entry";
}

TEST_F(ImportTest, AFileWithAProblemIsRefusedWholeAndTheRefusalAudited) {
    const auto rows = file<resources::ResourceInput>(
        {{2, room("Hall A")}, {3, room("Hall B")}}, {{4, "units", "must be a whole number"}}
    );
    auto r = imports_.resources(tenant_, rows, true, manager_, origin_);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->applied);
    EXPECT_EQ(r->stored, 2);
    ASSERT_EQ(r->problems.size(), 1u);
    EXPECT_EQ(r->problems[0].line, 4);
    EXPECT_TRUE(resources_.list(tenant_, true)->empty());
    EXPECT_EQ(count("import.refused"), 1);
    EXPECT_EQ(count("resource.created"), 0);
}

TEST_F(ImportTest, AGoodFileIsKeptWholeEachRowAuditedAndTheImportToo) {
    auto r = imports_.resources(
        tenant_,
        file<resources::ResourceInput>({{2, room("Hall A")}, {3, room("Hall B")}}),
        true,
        manager_,
        origin_
    );
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->applied);
    EXPECT_TRUE(r->problems.empty());
    EXPECT_EQ(resources_.list(tenant_, true)->size(), 2u);
    EXPECT_EQ(count("resource.created"), 2);
    EXPECT_EQ(count("import.applied"), 1);
}

TEST_F(ImportTest, CustomersTwiceInOneFileAreFoundByTheSecondRow) {
    auto r = imports_.customers(
        tenant_,
        file<CustomerRow>(
            {{2, {"hanako@example.jp", "Hanako"}},
             {3, {"taro@example.jp", "Taro"}},
             {4, {"HANAKO@example.jp", "Hanako again"}},
             {5, {"not-an-address", "Nobody"}}}
        ),
        true,
        manager_,
        origin_
    );
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->applied);
    ASSERT_EQ(r->problems.size(), 2u);
    EXPECT_EQ(r->problems[0].line, 4);
    EXPECT_EQ(r->problems[0].field, "email");
    EXPECT_EQ(r->problems[1].line, 5);
    EXPECT_EQ(r->problems[1].field, "email");
    EXPECT_TRUE(accounts_.list(tenant_, access::Role::customer)->empty());
}

TEST_F(ImportTest, BookingsFindTheirOfferingAndDateByNameAndTimeAndBookOnceForAFileImportedTwice) {
    const auto e = event({3});
    const auto date = clock_.now() + 24h * 3;
    const auto rows = file<BookingRow>(
        {{2, booked("Talk", date, 2, "Hanako", "hanako@example.jp")},
         {3, booked("Talks", date, 1, "Taro", "taro@example.jp")},
         {4, booked("Talk", date + 1h, 1, "Jiro", "jiro@example.jp")},
         {5, booked("Talk", date, 2, "Saburo", "saburo@example.jp")},
         {6, booked("Talk", date, 1, "Shiro", "")}}
    );
    auto r = imports_.bookings(tenant_, rows, false, manager_, origin_);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->problems.size(), 4u);
    EXPECT_EQ(r->problems[0].line, 3);
    EXPECT_EQ(r->problems[0].field, "offering");
    EXPECT_EQ(r->problems[1].line, 4);
    EXPECT_EQ(r->problems[1].field, "starts_at");
    EXPECT_EQ(r->problems[2].line, 5) << "only one seat is left after line 2";
    EXPECT_EQ(r->problems[3].line, 6);
    EXPECT_EQ(r->problems[3].field, "email");
    EXPECT_TRUE(bookings_.list(tenant_, {})->empty());

    const auto good =
        file<BookingRow>({{2, booked("Talk", date, 2, "Hanako", "hanako@example.jp", "adult")}});
    ASSERT_TRUE(imports_.bookings(tenant_, good, true, manager_, origin_)->applied);
    ASSERT_TRUE(imports_.bookings(tenant_, good, true, manager_, origin_)->applied);
    const auto made = bookings_.list(tenant_, {});
    ASSERT_EQ(made->size(), 1u) << "the same file again books nothing more";
    EXPECT_EQ(made->front().seats, 2);
    EXPECT_EQ(made->front().occurrence_id, e.sessions.front());
    EXPECT_EQ(made->front().status, bookings::BookingStatus::confirmed);
}

TEST_F(ImportTest, DatesNameTheirOffering) {
    event({3});
    const auto at = clock_.now() + 24h * 30;
    auto r = imports_.occurrences(
        tenant_,
        file<OccurrenceRow>(
            {{2, {"Talk", at, at + 2h, 50}},
             {3, {"Nothing", at, at + 2h, 50}},
             {4, {"Talk", at, at - 1h, 50}}}
        ),
        true,
        manager_,
        origin_
    );
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->applied);
    ASSERT_EQ(r->problems.size(), 2u);
    EXPECT_EQ(r->problems[0].field, "offering");
    EXPECT_EQ(r->problems[1].field, "ends_at");
}

TEST_F(ImportTest, ABookingIsTheCustomerAccountsWhoseAddressItBears) {
    event({10});
    const auto date = clock_.now() + 24h * 3;
    ASSERT_TRUE(imports_
                    .customers(
                        tenant_,
                        file<CustomerRow>({{2, {"hanako@example.jp", "Hanako"}}}),
                        true,
                        manager_,
                        origin_
                    )
                    ->applied);
    ASSERT_TRUE(accounts_.create(
        tenant_, {access::Role::staff, "staff@example.jp", "Staff", std::nullopt}, manager_, origin_
    ));
    const auto hanako = accounts_.list(tenant_, access::Role::customer)->front().id;
    auto r = imports_.bookings(
        tenant_,
        file<BookingRow>(
            {{2, booked("Talk", date, 1, "Hanako", "Hanako@Example.jp")},
             {3, booked("Talk", date, 1, "Staff", "staff@example.jp")},
             {4, booked("Talk", date, 1, "Taro", "taro@example.jp")}}
        ),
        true,
        manager_,
        origin_
    );
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(r->applied);
    std::map<std::string, std::optional<AccountId>> owner;
    const auto made = bookings_.list(tenant_, {});
    for (const auto& b : *made) owner[b.customer.name] = b.account_id;
    ASSERT_EQ(owner.size(), 3u);
    EXPECT_EQ(owner["Hanako"], std::optional(hanako)) << "found whatever the address's case";
    EXPECT_EQ(owner["Staff"], std::nullopt) << "a staff member's address links no booking";
    EXPECT_EQ(owner["Taro"], std::nullopt);
}

TEST_F(ImportTest, AnAppointmentNamesItsStaffAndItsRoomByName) {
    auto staff = room("Sato");
    staff.kind = resources::Kind::staff;
    ASSERT_TRUE(imports_
                    .resources(
                        tenant_,
                        file<resources::ResourceInput>({{2, staff}, {3, room("Room 1")}}),
                        true,
                        manager_,
                        origin_
                    )
                    ->applied);
    OfferingRow consult;
    consult.input.kind = offerings::OfferingKind::appointment;
    consult.input.name = "Consultation";
    consult.input.duration_minutes = 30;
    consult.resources = {"Sato"};
    consult.room = "Room 1";
    auto nowhere = consult;
    nowhere.input.name = "Elsewhere";
    nowhere.room = "Room 9";
    auto r = imports_.offerings(
        tenant_, file<OfferingRow>({{2, consult}, {3, nowhere}}), true, manager_, origin_
    );
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->applied);
    ASSERT_EQ(r->problems.size(), 1u);
    EXPECT_EQ(r->problems[0].line, 3);
    EXPECT_EQ(r->problems[0].field, "room");

    ASSERT_TRUE(imports_
                    .offerings(tenant_, file<OfferingRow>({{2, consult}}), true, manager_, origin_)
                    ->applied);
    const auto made = offerings_.list(tenant_, false);
    ASSERT_EQ(made->size(), 1u);
    const auto by_name = resources_.list(tenant_, true);
    std::map<std::string, ResourceId> id;
    for (const auto& res : *by_name) id[res.name] = res.id;
    EXPECT_EQ(made->front().room_id, std::optional(id.at("Room 1")));
    EXPECT_EQ(made->front().resource_ids, std::vector<ResourceId>{id.at("Sato")});
}

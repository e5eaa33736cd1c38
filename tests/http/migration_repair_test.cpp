// Migration 0039: on PostgreSQL the data updates of migrations 0006, 0012 and 0028 ran under
// forced row-level security and found no rows. The repair does their work for the rows made
// before each of them, and leaves rows made since as they are. Both databases (SQLite's 0039
// changes nothing).

#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "support/booking_fixture.hpp"

namespace yoyaku::testing {
namespace {

using namespace std::chrono_literals;

class MigrationRepair : public BookingFixture {
protected:
    void exec(const std::string& sql) {
        auto r = tdb_->db().write(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
            return stx.tx().exec(sql);
        });
        ASSERT_TRUE(r) << sql << ": " << r.error().detail;
    }
    Result<void> repair() {
        const auto list = GetParam() == storage::Backend::postgres ? storage::postgres_migrations()
                                                                   : storage::sqlite_migrations();
        for (const auto& m : list)
            if (m.version == 39)
                return tdb_->db().write_platform([&](storage::Tx& tx) {
                    return tx.exec_script(m.sql);
                });
        return Error::internal("no migration 39");
    }
};

TEST_P(MigrationRepair, RowsMadeBeforeAnUpdateThatFoundNothingAreRepairedAndNewerOnesAreNot) {
    const auto before = id_->account(salon_, access::Role::customer, "before@example.jp");
    const auto since = id_->account(salon_, access::Role::customer, "since@example.jp");
    const auto event = offering(
        R"({"kind":"event","name":"Free talk","published":true,
            "ticket_types":[{"code":"adult","name":"Adult","price_jpy":0}]})"
    );
    const auto start = id_->clock.now() + 24h * 30;
    const auto occurrence = make(
        "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 1h, "UTC") + R"(","capacity":10})"
    );
    const auto book_one = [&] {
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occurrence) + R"(,"tickets":{"adult":1},)" +
            customer() + "}"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    };
    const auto old_ref = book_one(), new_ref = book_one();
    // As a database migrated on PostgreSQL before the repair left them: the new columns'
    // defaults. "Before" rows were made at the dawn of time, before every migration was
    // applied; the others at the test clock's 2027, after.
    exec(
        "UPDATE accounts SET email_verified_at = NULL WHERE id IN (" + to_string(before) + ", " +
        to_string(since) + ")"
    );
    exec("UPDATE accounts SET created_at = 1 WHERE id = " + to_string(before));
    exec("UPDATE bookings SET payment_state = 'unpaid', locale = 'en'");
    exec("UPDATE bookings SET created_at = 1 WHERE reference = '" + old_ref + "'");

    auto repaired = repair();
    ASSERT_TRUE(repaired) << repaired.error().detail;
    const auto count = [&](const std::string& where) {
        return scalar("SELECT count(*) FROM " + where);
    };
    if (GetParam() == storage::Backend::sqlite) {
        EXPECT_EQ(count("accounts WHERE email_verified_at IS NULL"), 2) << "nothing to repair";
        return;
    }
    EXPECT_EQ(count("accounts WHERE email_verified_at = 1 AND id = " + to_string(before)), 1);
    EXPECT_EQ(count("accounts WHERE email_verified_at IS NULL AND id = " + to_string(since)), 1);
    EXPECT_EQ(
        count(
            "bookings WHERE reference = '" + old_ref +
            "' AND payment_state = 'none' AND locale = 'ja'"
        ),
        1
    );
    EXPECT_EQ(
        count(
            "bookings WHERE reference = '" + new_ref +
            "' AND payment_state = 'unpaid' AND locale = 'en'"
        ),
        1
    );
    // Row-level security is forced again: the owner sees no tenant's rows outside a scope.
    auto seen = tdb_->db().read_platform([](storage::Tx& tx) -> Result<std::int64_t> {
        YOYAKU_TRY_ASSIGN(auto row, tx.query_one("SELECT count(*) FROM bookings"));
        return row.i64(0);
    });
    ASSERT_TRUE(seen) << seen.error().detail;
    EXPECT_EQ(*seen, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    MigrationRepair,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

}  // namespace
}  // namespace yoyaku::testing

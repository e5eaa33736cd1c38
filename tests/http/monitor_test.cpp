// Monitoring (SPEC S17) on both backends: a check that crosses its threshold mails every
// operator once (not every minute) and again when it recovers, with audit entries; a missing
// or stale backup is a failing check; managers read their tenant's state, usage and deliveries;
// operators read the last reading.

#include "domain/monitor/monitor.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "domain/jobs/jobs.hpp"
#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class Monitoring : public BookingFixture {
protected:
    void SetUp() override {
        BookingFixture::SetUp();
        if (IsSkipped()) return;
        auto op = (*id_)->accounts.create(
            accounts::kPlatform,
            {access::Role::operator_, "ops@platform.example", "Ops", std::string(kPassword)},
            id_->actor,
            id_->origin
        );
        ASSERT_TRUE(op);
    }
    std::int64_t alerts() { return Identity::Outbox{tdb_->db()}.count("monitor.alert"); }
    std::int64_t audit(const std::string& action) {
        auto n = tdb_->db().read_platform([&](storage::Tx& tx) {
            return tx.query_one(
                "SELECT count(*) FROM audit_log WHERE chain = 0 AND action = $1", action
            );
        });
        EXPECT_TRUE(n);
        return n ? n->i64(0) : -1;
    }
    TempDir data_, backups_;
};

}  // namespace

TEST_P(Monitoring, ACrossedThresholdAlertsOperatorsOnceAndAgainWhenItRecovers) {
    monitor::Thresholds t;
    t.queue_lag = 600s;
    t.min_free_disk = 0.0;  // this machine's disk is not under test here
    monitor::Monitor watch(
        tdb_->db(),
        *(*id_)->keyring,
        (*id_)->accounts,
        id_->clock,
        {data_.path(), backups_.path()},
        t
    );
    // A fresh backup: that check passes; the queue is empty.
    const auto fresh = backups_.path() / "yoyaku-20270115T030000Z-abcd.ybk";
    std::ofstream(fresh) << "x";
    fs::last_write_time(fresh, std::chrono::file_clock::from_sys(id_->clock.now() - 1h));
    auto first = watch.run();
    ASSERT_TRUE(first) << first.error().message;
    for (const auto& c : first->checks) EXPECT_TRUE(c.ok) << c.name << " " << c.value;
    EXPECT_EQ(alerts(), 0);

    // A job due 20 minutes ago that nobody runs: the queue lags.
    auto queued = tdb_->db().write(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
        return jobs::enqueue(
            stx.tx(),
            *(*id_)->keyring,
            salon_,
            {"webhook", "stuck", "{}", id_->clock.now() - 20min, ""},
            id_->clock.now() - 20min
        );
    });
    ASSERT_TRUE(queued);
    auto bad = watch.run();
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->ok());
    EXPECT_EQ(alerts(), 1) << "one operator, one mail";
    EXPECT_EQ(audit("monitor.alert"), 1);
    id_->clock.advance(1min);
    ASSERT_TRUE(watch.run());
    EXPECT_EQ(alerts(), 1) << "still bad: no second mail";

    // The job runs (here: it is removed); the next reading recovers and says so.
    ASSERT_TRUE(tdb_->db().write_platform([&](storage::Tx& tx) {
        return tx.exec("DELETE FROM outbox WHERE id = $1", *queued);
    }));
    auto good = watch.run();
    ASSERT_TRUE(good);
    EXPECT_EQ(alerts(), 2);
    EXPECT_EQ(audit("monitor.recovered"), 1);

    // Operators read the last reading.
    const auto ops = signed_in_headers(server_->port(), "", "ops@platform.example");
    auto status = call("GET", "/api/v1/platform/status", ops);
    ASSERT_EQ(status.status, 200) << status.body;
    EXPECT_FALSE(parse(status).at("checks").as_array().empty());
    EXPECT_EQ(call("GET", "/api/v1/platform/status", boss_).status, 403);
}

TEST_P(Monitoring, NoBackupOrAnOldOneIsAFailingCheck) {
    monitor::Monitor watch(
        tdb_->db(), *(*id_)->keyring, (*id_)->accounts, id_->clock, {data_.path(), backups_.path()}
    );
    auto none = monitor::measure(tdb_->db(), id_->clock.now(), {data_.path(), backups_.path()}, {});
    ASSERT_TRUE(none);
    const auto backup = [](const monitor::Reading& r) {
        for (const auto& c : r.checks)
            if (c.name == "backup_age") return c;
        return monitor::Check{};
    };
    EXPECT_FALSE(backup(*none).ok);
    EXPECT_EQ(backup(*none).value, "no backup");
    const auto file = backups_.path() / "yoyaku-20261101T030000Z-abcd.ybk";
    std::ofstream(file) << "x";
    fs::last_write_time(file, fs::file_time_type::clock::now() - 30h);
    auto old =
        monitor::measure(tdb_->db(), SystemClock().now(), {data_.path(), backups_.path()}, {});
    ASSERT_TRUE(old);
    EXPECT_FALSE(backup(*old).ok) << backup(*old).value;
    EXPECT_EQ(backup(*old).value, "30 h");
    // Without a backup directory, backups are not checked.
    auto unchecked = monitor::measure(tdb_->db(), SystemClock().now(), {data_.path(), {}}, {});
    ASSERT_TRUE(unchecked);
    EXPECT_EQ(backup(*unchecked).name, "");
}

TEST_P(Monitoring, AManagerReadsTheirTenantsStateUsageAndDeliveries) {
    auto r = call("GET", "/api/v1/status", boss_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto s = parse(r).as_object();
    EXPECT_EQ(s.at("state").as_string(), "operational");
    EXPECT_EQ(s.at("usage").at("staff_accounts").as_int64(), 1);
    EXPECT_EQ(s.at("deliveries").at("failed").as_int64(), 0);
    id_->account(salon_, access::Role::staff, "desk@salon.example");
    const auto desk = signed_in_headers(server_->port(), "salon", "desk@salon.example");
    EXPECT_EQ(call("GET", "/api/v1/status", desk).status, 403);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Monitoring,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

// /healthz, /readyz and /metrics on both database backends.

#include "http/api/health.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::http;
using namespace yoyaku::testing;

class HealthApi : public ::testing::TestWithParam<storage::Backend> {};

std::string backend_name(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

TEST_P(HealthApi, ReadyWhenDatabaseReachableAndSchemaCurrent) {
    TestDatabase tdb(GetParam());
    YOYAKU_REQUIRE_BACKEND(tdb);
    TestServer s({}, [&](Router& r, Metrics& m) { add_health_routes(r, tdb.db(), m); });
    EXPECT_EQ(request(s.port(), "GET", "/healthz").status, 200);
    auto r = request(s.port(), "GET", "/readyz");
    EXPECT_EQ(r.status, 200) << r.body;
    auto o = boost::json::parse(r.body).as_object();
    EXPECT_EQ(o.at("status").as_string(), "ready");
    EXPECT_EQ(o.at("checks").as_object().at("migrations").as_string(), "current");
    // Requests are counted after their response is written: poll until /readyz shows.
    HttpResult metrics;
    for (int i = 0; i < 400; ++i) {
        metrics = request(s.port(), "GET", "/metrics");
        if (metrics.body.find(R"(route="/readyz",status="200")") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.header("content-type").find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find(R"(route="/readyz",status="200")"), std::string::npos);
    EXPECT_NE(metrics.body.find("\nyoyaku_db_connections_max 8\n"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("\nyoyaku_db_connections_open "), std::string::npos);
}

TEST_P(HealthApi, NotReadyWhileMigrationsArePending) {
    TestDatabase empty(GetParam(), TestDatabase::Schema::empty);
    YOYAKU_REQUIRE_BACKEND(empty);
    TestServer s({}, [&](Router& r, Metrics& m) { add_health_routes(r, empty.db(), m); });
    auto r = request(s.port(), "GET", "/readyz");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(
        boost::json::parse(r.body)
            .as_object()
            .at("checks")
            .as_object()
            .at("migrations")
            .as_string(),
        "pending"
    );
}

// Rolling upgrades (issue 29): a node of the previous release stays ready while the schema is
// newer only by migrations that admit it (their compatible-from), and turns unready otherwise;
// a migration applied from another text than the binary's is never served.
TEST_P(HealthApi, ANewerSchemaIsServedOnlyWhenItsMigrationsAdmitThisBinary) {
    TestDatabase tdb(GetParam());
    YOYAKU_REQUIRE_BACKEND(tdb);
    TestServer s({}, [&](Router& r, Metrics& m) { add_health_routes(r, tdb.db(), m); });
    const auto latest = std::int64_t{tdb.db().schema_status()->latest};
    const auto sql = [&](const std::string& statement, auto... args) {
        auto r =
            tdb.db().write_platform([&](storage::Tx& tx) { return tx.exec(statement, args...); });
        ASSERT_TRUE(r) << r.error().detail;
    };
    const auto migrations = [&] {
        auto r = request(s.port(), "GET", "/readyz");
        return std::to_string(r.status) + " " +
               std::string(boost::json::parse(r.body)
                               .as_object()
                               .at("checks")
                               .as_object()
                               .at("migrations")
                               .as_string());
    };
    const std::string add =
        "INSERT INTO schema_migrations(version, name, applied_at, checksum, compatible_from) "
        "VALUES ($1, 'next', 1, 'feed', $2)";
    sql(add, latest + 1, latest);
    EXPECT_EQ(migrations(), "200 newer_compatible");
    sql(add, latest + 2, latest + 2);
    EXPECT_EQ(migrations(), "503 newer_incompatible");
    sql(std::string("DELETE FROM schema_migrations WHERE version > $1"), latest);
    EXPECT_EQ(migrations(), "200 current");
    sql(std::string("UPDATE schema_migrations SET checksum = 'changed' WHERE version = 1"));
    EXPECT_EQ(migrations(), "503 changed");
    auto m = tdb.db().migrate();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, Errc::conflict);
    EXPECT_NE(m.error().detail.find("migration 0001_"), std::string::npos) << m.error().detail;
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    HealthApi,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

TEST(HealthApi, UnreachableDatabaseIsNotReady) {
    storage::DatabaseOptions o;
    o.url = "postgresql://nobody@127.0.0.1:1/none";  // nothing listens on port 1
    o.connect_timeout_s = 1;
    auto db = storage::open_database(o);
    ASSERT_TRUE(db);
    TestServer s({}, [&](Router& r, Metrics& m) { add_health_routes(r, **db, m); });
    auto r = request(s.port(), "GET", "/readyz");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(
        boost::json::parse(r.body).as_object().at("checks").as_object().at("database").as_string(),
        "unreachable"
    );
    EXPECT_EQ(request(s.port(), "GET", "/healthz").status, 200);
}

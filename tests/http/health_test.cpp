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

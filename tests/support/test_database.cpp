#include "support/test_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace yoyaku::testing {

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("yoyaku-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string pg_test_url() {
    const char* u = std::getenv("YOYAKU_TEST_PG_URL");
    return u ? u : "";
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

void pg_admin_exec(const std::string& sql, const std::string& url) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        std::string m = PQerrorMessage(c);
        PQfinish(c);
        throw std::runtime_error("PostgreSQL test server: " + m);
    }
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr
    );
    PGresult* r = PQexec(c, sql.c_str());
    auto st = PQresultStatus(r);
    std::string m = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        throw std::runtime_error("SQL failed: " + m);
}

TestDatabase::TestDatabase(storage::Backend backend, Schema schema) : backend_(backend) {
    if (backend == storage::Backend::sqlite) {
        url_ = "sqlite:" + (dir_.path() / "test.db").string();
    } else {
        auto base = pg_test_url();
        if (base.empty()) return;
        std::random_device rd;
        schema_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(rd());
        pg_admin_exec("CREATE SCHEMA " + schema_);
        url_ = base + (base.find('?') == std::string::npos ? "?" : "&") +
               "options=-csearch_path%3D" + schema_;
    }
    storage::DatabaseOptions o;
    o.url = url_;
    o.pool_size = 8;
    auto db = storage::open_database(o);
    if (!db) throw std::runtime_error("open test database: " + db.error().detail);
    if (schema == Schema::migrated) {
        auto m = (*db)->migrate();
        if (!m) throw std::runtime_error("migrate test database: " + m.error().detail);
    }
    db_ = std::move(*db);
}

TestDatabase::~TestDatabase() {
    db_.reset();
    if (!schema_.empty()) {
        try {
            pg_admin_exec("DROP SCHEMA " + schema_ + " CASCADE");
        } catch (...) {
        }
    }
}

}  // namespace yoyaku::testing

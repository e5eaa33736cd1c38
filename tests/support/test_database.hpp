#pragma once
// A fresh database per test, on either backend. SQLite: a file in a temporary directory.
// PostgreSQL: a new schema in the server named by YOYAKU_TEST_PG_URL, dropped afterwards.
// Without that variable PostgreSQL cases skip locally and FAIL under CI=true.

#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"

namespace yoyaku::testing {

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

/// The URL of the PostgreSQL test server, or empty.
std::string pg_test_url();
/// True under CI=true: a missing PostgreSQL is then a failure, not a skip.
bool in_ci();

class TestDatabase {
public:
    enum class Schema { migrated, empty };
    /// Opens (and migrates, unless `empty`); unavailable() when the backend is not (see
    /// pg_test_url).
    explicit TestDatabase(storage::Backend backend, Schema schema = Schema::migrated);
    ~TestDatabase();

    bool available() const noexcept { return db_ != nullptr; }
    storage::Database& db() { return *db_; }
    /// A URL another process (or a second Database) can open to reach the same data.
    const std::string& url() const noexcept { return url_; }
    const TempDir& dir() const noexcept { return dir_; }
    /// PostgreSQL: the schema this test's tables live in (empty on SQLite).
    const std::string& schema() const noexcept { return schema_; }

private:
    storage::Backend backend_;
    TempDir dir_;
    std::string url_;
    std::string schema_;
    std::unique_ptr<storage::Database> db_;
};

/// Runs an SQL statement on the PostgreSQL test server outside the platform (setup, tamper),
/// as the test URL's role or through `url`.
void pg_admin_exec(const std::string& sql, const std::string& url = pg_test_url());

}  // namespace yoyaku::testing

/// In a test body: skip (locally) or fail (CI) when the backend is not available.
#define YOYAKU_REQUIRE_BACKEND(tdb)                                  \
    do {                                                             \
        if (!(tdb).available()) {                                    \
            if (::yoyaku::testing::in_ci())                          \
                FAIL() << "PostgreSQL is required under CI=true "    \
                          "(set YOYAKU_TEST_PG_URL)";                \
            GTEST_SKIP() << "no PostgreSQL: set YOYAKU_TEST_PG_URL"; \
        }                                                            \
    } while (false)

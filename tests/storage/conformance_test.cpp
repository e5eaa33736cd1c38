// The store conformance suite: the same cases on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "storage/roles.hpp"
#include "support/test_database.hpp"

using namespace yoyaku;
using namespace yoyaku::storage;
using yoyaku::testing::TestDatabase;

namespace {

class StoreConformance : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
    }
    Database& db() { return tdb_->db(); }

    TenantId make_tenant(const std::string& code) {
        auto id = db().write_platform([&](Tx& tx) -> Result<std::int64_t> {
            auto row = tx.query_one(
                "INSERT INTO tenants(code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
                code,
                std::string("Tenant ") + code,
                std::int64_t{1}
            );
            if (!row) return fail(std::move(row).error());
            return row->i64(0);
        });
        EXPECT_TRUE(id) << id.error().detail;
        return TenantId{id ? *id : 0};
    }

    std::unique_ptr<TestDatabase> tdb_;
};

std::string name_of(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(to_string(info.param));
}

}  // namespace

TEST_P(StoreConformance, MigratesToLatestAndAgainIsANoOp) {
    auto s = db().schema_status();
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->up_to_date());
    EXPECT_GE(s->current, 1);
    auto again = db().migrate();
    ASSERT_TRUE(again) << again.error().detail;
    EXPECT_EQ(again->current, s->current);
}

// Text, an integer beyond 32 bits, bytes (with a NUL), a double and NULL, there and back.
static void expect_round_trip(Database& db, TenantId t) {
    const std::string text = "O'Brien様 同伴 2名 — \"quoted\" $1";
    const std::string bytes("\x00\x01\xff\x7f", 4);
    auto r = db.write(TenantScope(t), [&](ScopedTx& stx) -> Result<Row> {
        YOYAKU_TRY(stx.tx().exec(
            "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, $2, $3, "
            "$4) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value",
            stx.tenant_id().value,
            std::string("k"),
            text,
            std::int64_t{-9'000'000'000'000'000'000}
        ));
        return stx.tx().query_one(
            "SELECT value, updated_at, $2, CAST($3 AS DOUBLE PRECISION), NULL FROM tenant_settings "
            "WHERE tenant_id = $1",
            stx.tenant_id().value,
            Blob{bytes},
            2.5
        );
    });
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->text(0), text);
    EXPECT_EQ(r->i64(1), -9'000'000'000'000'000'000);
    EXPECT_EQ(r->blob(2).bytes, bytes);
    EXPECT_DOUBLE_EQ(r->f64(3), 2.5);
    EXPECT_TRUE(r->is_null(4));
}

TEST_P(StoreConformance, RoundTripsEveryValueType) {
    expect_round_trip(db(), make_tenant("types"));
}

// Behind PgBouncer in transaction pooling mode (issue 29): nothing is prepared on a
// connection, every value still makes the trip.
TEST_P(StoreConformance, WithoutPreparedStatementsEveryValueStillRoundTrips) {
    const auto t = make_tenant("unprepared");
    DatabaseOptions o;
    o.url = tdb_->url();
    o.pool_size = 1;
    o.prepared_statements = false;
    auto plain = open_database(o);
    ASSERT_TRUE(plain) << plain.error().detail;
    expect_round_trip(**plain, t);
    expect_round_trip(**plain, t);
    if (GetParam() == Backend::sqlite) return;
    const auto count = [](Database& d) {
        auto n = d.read_platform([](Tx& tx) {
            return tx.query_one("SELECT count(*) FROM pg_prepared_statements");
        });
        return n ? n->i64(0) : -1;
    };
    EXPECT_EQ(count(**plain), 0) << "a statement was prepared on the connection";
    o.prepared_statements = true;
    auto prepared = open_database(o);
    ASSERT_TRUE(prepared);
    expect_round_trip(**prepared, t);
    EXPECT_GT(count(**prepared), 0) << "by default statements are prepared once per connection";
}

// Issue 24, defect 4: the role the tests connect as owns the tables it migrated, which
// `serve` refuses outside --dev (it could switch row-level security off); SQLite has no roles.
TEST_P(StoreConformance, RoleRisksNameARoleThatOwnsTheTables) {
    auto risks = storage::role_risks(db());
    ASSERT_TRUE(risks) << risks.error().detail;
    if (GetParam() == Backend::sqlite) {
        EXPECT_TRUE(risks->empty());
        return;
    }
    ASSERT_EQ(risks->size(), 1u);
    EXPECT_NE(risks->front().find("owns"), std::string::npos) << risks->front();
    EXPECT_NE(risks->front().find("database.owner_url"), std::string::npos) << risks->front();
}

TEST_P(StoreConformance, UniqueViolationIsConflict) {
    make_tenant("dup");
    auto r = db().write_platform([&](Tx& tx) -> Result<std::int64_t> {
        return tx.exec("INSERT INTO tenants(code, name, created_at) VALUES ('dup', 'x', 1)");
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::conflict);
}

// A broken storage rule is a bug (the domain validates first and names the field): it reaches
// a client as an internal error, and its detail, for the log, names the rule but not the row.
TEST_P(StoreConformance, CheckConstraintIsABugNamedWithoutTheRowAndStoresNothing) {
    auto r = db().write_platform([&](Tx& tx) -> Result<std::int64_t> {
        return tx.exec("INSERT INTO tenants(code, name, created_at) VALUES ('Bad Code!', 'x', 1)");
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::internal);
    EXPECT_NE(r.error().detail.find("storage rule broken"), std::string::npos) << r.error().detail;
    EXPECT_EQ(r.error().detail.find("Bad Code!"), std::string::npos) << r.error().detail;
    auto n = db().read_platform([](Tx& tx) -> Result<std::int64_t> {
        auto row = tx.query_one("SELECT count(*) FROM tenants");
        if (!row) return fail(std::move(row).error());
        return row->i64(0);
    });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0);
}

TEST_P(StoreConformance, ForeignKeyIsEnforced) {
    auto r = db().write(TenantScope(TenantId{999}), [&](ScopedTx& stx) -> Result<std::int64_t> {
        return stx.tx().exec(
            "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, 'k', 'v', "
            "1)",
            stx.tenant_id().value
        );
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::internal);
}

TEST_P(StoreConformance, AnErrorRollsBackEveryStatementOfTheTransaction) {
    auto r = db().write_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY(tx.exec("INSERT INTO tenants(code, name, created_at) VALUES ('first', 'x', 1)"));
        return Error::invalid("x", "refused after the insert");
    });
    ASSERT_FALSE(r);
    auto n = db().read_platform([](Tx& tx) -> Result<std::int64_t> {
        auto row = tx.query_one("SELECT count(*) FROM tenants WHERE code = 'first'");
        if (!row) return fail(std::move(row).error());
        return row->i64(0);
    });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0);
}

TEST_P(StoreConformance, AnExceptionRollsBackAndBecomesInternal) {
    auto r = db().write_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY(tx.exec("INSERT INTO tenants(code, name, created_at) VALUES ('thrown', 'x', 1)")
        );
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::internal);
    auto n = db().read_platform([](Tx& tx) -> Result<std::int64_t> {
        auto row = tx.query_one("SELECT count(*) FROM tenants WHERE code = 'thrown'");
        if (!row) return fail(std::move(row).error());
        return row->i64(0);
    });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0);
}

TEST_P(StoreConformance, ReadTransactionsRefuseWrites) {
    auto r = db().read_platform([](Tx& tx) -> Result<std::int64_t> {
        return tx.exec("INSERT INTO tenants(code, name, created_at) VALUES ('ro', 'x', 1)");
    });
    EXPECT_FALSE(r);
}

TEST_P(StoreConformance, ConcurrentWritersNeverLoseAnUpdate) {
    auto t = make_tenant("counter");
    ASSERT_TRUE(db().write(TenantScope(t), [](ScopedTx& stx) -> Result<std::int64_t> {
        return stx.tx().exec(
            "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, 'n', '0', "
            "1)",
            stx.tenant_id().value
        );
    }));
    constexpr int kThreads = 8, kEach = 40;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < kEach; ++j) {
                // Read, then write the read value plus one: a lost update shows as a short count.
                auto r = db().write(TenantScope(t), [](ScopedTx& stx) -> Result<std::int64_t> {
                    auto row = stx.tx().query_one(
                        "SELECT value FROM tenant_settings WHERE tenant_id = $1 AND key = 'n' FOR "
                        "UPDATE",
                        stx.tenant_id().value
                    );
                    if (!row) return fail(std::move(row).error());
                    auto next = std::to_string(std::stoll(row->text(0)) + 1);
                    return stx.tx().exec(
                        "UPDATE tenant_settings SET value = $2 WHERE tenant_id = $1 AND key = 'n'",
                        stx.tenant_id().value,
                        next
                    );
                });
                if (!r) ++failures;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    auto v = db().read(TenantScope(t), [](ScopedTx& stx) -> Result<std::string> {
        auto row = stx.tx().query_one(
            "SELECT value FROM tenant_settings WHERE tenant_id = $1", stx.tenant_id().value
        );
        if (!row) return fail(std::move(row).error());
        return row->text(0);
    });
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, std::to_string(kThreads * kEach));
}

TEST_P(StoreConformance, AmongConcurrentWritersAFailingOneLeavesNoTraceAndTheOthersStay) {
    // SQLite runs waiting writers as one group commit, each in a savepoint: a failure, a
    // refusal after a write and a thrown exception must each undo only their own work.
    constexpr int kThreads = 48;
    std::latch go(kThreads);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            auto r = db().write_platform([&](Tx& tx) -> Result<void> {
                YOYAKU_TRY(tx.exec(
                    "INSERT INTO tenants(code, name, created_at) VALUES ($1, 'x', 1)",
                    "group-" + std::to_string(i)
                ));
                if (i % 3 == 1) return Error::invalid("x", "refused after the insert");
                if (i % 3 == 2) throw std::runtime_error("boom");
                return {};
            });
            if (r) ++ok;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), kThreads / 3);
    auto codes = db().read_platform([](Tx& tx) -> Result<std::vector<std::string>> {
        auto rows = tx.query("SELECT code FROM tenants WHERE code LIKE 'group-%'");
        if (!rows) return fail(std::move(rows).error());
        std::vector<std::string> out;
        for (const auto& r : *rows) out.push_back(r.text(0));
        return out;
    });
    ASSERT_TRUE(codes);
    ASSERT_EQ(codes->size(), static_cast<std::size_t>(kThreads / 3));
    for (const auto& c : *codes) EXPECT_EQ(std::stoi(c.substr(6)) % 3, 0) << c;
}

TEST_P(StoreConformance, WorkAfterCommitRunsOnceCommittedAndNeverAfterARollback) {
    // Among concurrent writers too (SQLite: one group commit, each in a savepoint): the work of
    // a writer that fails goes with it; a key registered twice runs once; the work sees the
    // commit from a transaction of its own.
    constexpr int kThreads = 24;
    std::latch go(kThreads);
    std::atomic<int> ran{0}, saw{0}, ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            const std::string code = "after-" + std::to_string(i);
            auto r = db().write_platform([&](Tx& tx) -> Result<void> {
                YOYAKU_TRY(
                    tx.exec("INSERT INTO tenants(code, name, created_at) VALUES ($1, 'x', 1)", code)
                );
                for (int twice = 0; twice < 2; ++twice)
                    tx.after_commit("count", [&, code](Database& d) {
                        ++ran;
                        auto n = d.read_platform([&](Tx& t) {
                            return t.query("SELECT 1 FROM tenants WHERE code = $1", code);
                        });
                        if (n && n->size() == 1) ++saw;
                    });
                if (i % 2 == 1) return Error::invalid("x", "refused after the insert");
                return {};
            });
            if (r) ++ok;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), kThreads / 2);
    EXPECT_EQ(ran.load(), kThreads / 2);
    EXPECT_EQ(saw.load(), kThreads / 2);
}

TEST_P(StoreConformance, ScopedStatementsSeeOnlyTheirTenant) {
    auto a = make_tenant("alpha"), b = make_tenant("beta");
    for (auto t : {a, b})
        ASSERT_TRUE(db().write(TenantScope(t), [](ScopedTx& stx) -> Result<std::int64_t> {
            return stx.tx().exec(
                "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, "
                "'secret', $2, 1)",
                stx.tenant_id().value,
                "of-" + std::to_string(stx.tenant_id().value)
            );
        }));
    auto seen = db().read(TenantScope(a), [](ScopedTx& stx) -> Result<std::vector<Row>> {
        return stx.tx().query(
            "SELECT value FROM tenant_settings WHERE tenant_id = $1", stx.tenant_id().value
        );
    });
    ASSERT_TRUE(seen);
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_EQ(seen->front().text(0), "of-" + std::to_string(a.value));
}

TEST_P(StoreConformance, RowsAreReadByColumnNameAndStrongIdsAndOptionalsBind) {
    auto t = make_tenant("names");
    const std::optional<std::int64_t> none;
    auto r = db().read_platform([&](Tx& tx) -> Result<Row> {
        return tx.query_one(
            "SELECT id AS tenant, code, CAST($2 AS BIGINT) AS missing, CAST($3 AS BIGINT) AS "
            "count FROM tenants WHERE id = $1",
            t,
            none,
            std::optional<int>(7)
        );
    });
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->id<TenantId>("tenant"), t);
    EXPECT_EQ(r->text("code"), "names");
    EXPECT_TRUE(r->is_null("missing"));
    EXPECT_EQ(r->opt_i64("missing"), std::nullopt);
    EXPECT_EQ(r->opt_i32("count"), 7);
    // Out of order and again: the search wraps around.
    EXPECT_EQ(r->text("code"), "names");
    EXPECT_EQ(r->id<TenantId>("tenant"), t);
    EXPECT_THROW((void)r->at("no_such_column"), std::out_of_range);
}

TEST_P(StoreConformance, PingAnswers) {
    EXPECT_TRUE(db().ping());
}

INSTANTIATE_TEST_SUITE_P(
    Backends, StoreConformance, ::testing::Values(Backend::sqlite, Backend::postgres), name_of
);

// PostgreSQL only: row-level security is the second wall. Even a statement that forgets its
// tenant filter sees only the scoped tenant's rows, and cannot write another tenant's row.
TEST(PostgresRowLevelSecurity, UnfilteredQueriesSeeOnlyTheScopedTenant) {
    TestDatabase tdb(Backend::postgres);
    YOYAKU_REQUIRE_BACKEND(tdb);
    auto& db = tdb.db();
    std::vector<TenantId> ids;
    for (std::string code : {"rls-a", "rls-b"}) {
        auto id = db.write_platform([&](Tx& tx) -> Result<std::int64_t> {
            auto row = tx.query_one(
                "INSERT INTO tenants(code, name, created_at) VALUES ($1, 'x', 1) RETURNING id", code
            );
            if (!row) return fail(std::move(row).error());
            return row->i64(0);
        });
        ASSERT_TRUE(id);
        ids.emplace_back(*id);
        ASSERT_TRUE(db.write(TenantScope(ids.back()), [](ScopedTx& stx) -> Result<std::int64_t> {
            return stx.tx().exec(
                "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, 'k', "
                "'v', 1)",
                stx.tenant_id().value
            );
        }));
    }
    auto count = db.read(TenantScope(ids[0]), [](ScopedTx& stx) -> Result<std::int64_t> {
        auto row = stx.tx().query_one("SELECT count(*) FROM tenant_settings");  // no tenant filter
        if (!row) return fail(std::move(row).error());
        return row->i64(0);
    });
    ASSERT_TRUE(count) << count.error().detail;
    EXPECT_EQ(*count, 1);
    auto unscoped = db.read_platform([](Tx& tx) -> Result<std::int64_t> {
        auto row = tx.query_one("SELECT count(*) FROM tenant_settings");
        if (!row) return fail(std::move(row).error());
        return row->i64(0);
    });
    ASSERT_TRUE(unscoped);
    EXPECT_EQ(*unscoped, 0);
    auto cross = db.write(TenantScope(ids[0]), [&](ScopedTx& stx) -> Result<std::int64_t> {
        return stx.tx().exec(
            "INSERT INTO tenant_settings(tenant_id, key, value, updated_at) VALUES ($1, 'x', 'v', "
            "1)",
            ids[1].value
        );
    });
    EXPECT_FALSE(cross);
}

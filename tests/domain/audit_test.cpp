// The audit chain on both backends: appends link, verify finds tampering, RLS separates chains.

#include "domain/audit/audit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "crypto/hash.hpp"
#include "crypto/signing.hpp"
#include "domain/audit/audit_store.hpp"
#include "domain/audit/checkpoints.hpp"
#include "domain/tenants/tenants.hpp"
#include "support/test_database.hpp"

using namespace yoyaku;
using namespace yoyaku::storage;
using yoyaku::testing::TempDir;
using yoyaku::testing::TestDatabase;

namespace {

const audit::Actor kOperator{"operator:1", "operator"};
const audit::Origin kOrigin{"127.0.0.1", "test-agent", "req-1"};

class AuditChain : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        audit::use_chain_key(chain_key_);
        tenants::TenantService svc(db(), clock_);
        auto t = svc.create({"alpha", "Alpha Hall", "Asia/Tokyo", "ja"}, kOperator, kOrigin);
        ASSERT_TRUE(t) << t.error().message << t.error().detail;
        tenant_ = t->id;
        auto u = svc.create({"beta", "Beta Hall", "Asia/Tokyo", "ja"}, kOperator, kOrigin);
        ASSERT_TRUE(u);
        other_ = u->id;
    }
    Database& db() { return tdb_->db(); }
    Result<audit::Verification> verify(TenantId id) {
        return db().read(TenantScope(id), [](ScopedTx& stx) { return audit::verify(stx); });
    }
    void add(TenantId id, int n) {
        for (int i = 0; i < n; ++i)
            ASSERT_TRUE(db().write(TenantScope(id), [&](ScopedTx& stx) {
                return audit::append(
                    stx,
                    kOperator,
                    kOrigin,
                    {"setting.changed", "setting:" + std::to_string(i), "success", "{\"n\":1}"},
                    clock_.now()
                );
            }));
    }
    // Simulates someone with direct database access: disable the append-only trigger, change.
    void tamper(const std::string& sql) {
        if (GetParam() == Backend::sqlite) {
            auto r = db().write_platform([&](Tx& tx) -> Result<void> {
                YOYAKU_TRY(tx.exec("DROP TRIGGER IF EXISTS audit_log_no_update"));
                YOYAKU_TRY(tx.exec("DROP TRIGGER IF EXISTS audit_log_no_delete"));
                // One statement per call: SQLite prepares only the first of a list.
                std::size_t start = 0;
                while (start < sql.size()) {
                    auto end = sql.find("; ", start);
                    if (end == std::string::npos) end = sql.size();
                    YOYAKU_TRY(tx.exec(sql.substr(start, end - start)));
                    start = end + 2;
                }
                return {};
            });
            ASSERT_TRUE(r) << r.error().detail;
        } else {
            auto schema = tdb_->url().substr(tdb_->url().find("search_path%3D") + 14);
            yoyaku::testing::pg_admin_exec(
                "SET search_path TO " + schema +
                "; ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; ALTER TABLE "
                "audit_log "
                "DISABLE TRIGGER audit_log_no_delete; "
                "ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY; "
                "ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY; " +
                sql +
                "; ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY; "
                "ALTER TABLE audit_log FORCE ROW LEVEL SECURITY"
            );
        }
    }

    // Someone who can write the database rewrites a tenant's chain from `from` on: entry
    // `from` gets other details, and every later hash is recomputed as if keyed with `key`
    // (nullptr: unkeyed, the scheme before keying), the head moved to match.
    void rewrite(TenantId id, std::int64_t from, const crypto::SecretKey* key) {
        auto entries =
            db().read(TenantScope(id), [](ScopedTx& stx) { return audit::list(stx, {}); });
        ASSERT_TRUE(entries);
        std::reverse(entries->begin(), entries->end());
        std::string prev, sql;
        for (auto& e : *entries) {
            if (e.seq >= from) {
                if (e.seq == from) e.event.details = "{\"n\":2}";
                e.prev_hash = prev;
                const std::string text = e.prev_hash + "\n" + audit::canonical(e);
                e.hash = key ? crypto::blake2b_256_keyed_hex(key->view(), text)
                             : crypto::blake2b_256_hex(text);
                sql += "UPDATE audit_log SET details = '" + e.event.details + "', prev_hash = '" +
                       e.prev_hash + "', hash = '" + e.hash + "', keyed = " + (key ? "1" : "0") +
                       " WHERE chain = " + std::to_string(id.value) +
                       " AND seq = " + std::to_string(e.seq) + "; ";
            }
            prev = e.hash;
        }
        // The head row keeps its row-level security: the rewrite speaks as the tenant.
        if (GetParam() == Backend::postgres)
            sql +=
                "SELECT set_config('app.tenant_id', '" + std::to_string(id.value) + "', false); ";
        sql += "UPDATE audit_heads SET hash = '" + prev +
               "' WHERE chain = " + std::to_string(id.value);
        tamper(sql);
    }

    crypto::SecretKey chain_key_ = crypto::SecretKey::random();
    FakeClock clock_{from_micros(1'800'000'000'000'000)};
    std::unique_ptr<TestDatabase> tdb_;
    TenantId tenant_, other_;
};

std::string name_of(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(to_string(info.param));
}

}  // namespace

TEST_P(AuditChain, CreationStartsBothChainsAndTheyVerify) {
    auto v = verify(tenant_);
    ASSERT_TRUE(v) << v.error().detail;
    EXPECT_EQ(v->entries, 1);
    EXPECT_FALSE(v->problem);
    auto p = db().read_platform([](Tx& tx) { return audit::verify_platform(tx); });
    ASSERT_TRUE(p);
    EXPECT_EQ(p->entries, 2);  // alpha and beta created
    EXPECT_FALSE(p->problem);
    auto entries =
        db().read(TenantScope(tenant_), [](ScopedTx& stx) { return audit::list(stx, {}); });
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 1u);
    const auto& e = entries->front();
    EXPECT_EQ(e.event.action, "tenant.created");
    EXPECT_EQ(e.actor.id, "operator:1");
    EXPECT_EQ(e.origin.client_address, "127.0.0.1");
    EXPECT_EQ(e.origin.request_id, "req-1");
    EXPECT_EQ(e.seq, 1);
    EXPECT_EQ(e.prev_hash, "");
    EXPECT_EQ(e.hash.size(), 64u);
}

TEST_P(AuditChain, EntriesLinkInOrder) {
    add(tenant_, 5);
    auto entries =
        db().read(TenantScope(tenant_), [](ScopedTx& stx) { return audit::list(stx, {}); });
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 6u);
    for (std::size_t i = 0; i + 1 < entries->size(); ++i) {
        EXPECT_EQ((*entries)[i].seq, (*entries)[i + 1].seq + 1);  // newest first
        EXPECT_EQ((*entries)[i].prev_hash, (*entries)[i + 1].hash);
    }
    EXPECT_FALSE(verify(tenant_)->problem);
}

TEST_P(AuditChain, EditingOneRowIsFoundAndNamed) {
    add(tenant_, 4);
    tamper(
        "UPDATE audit_log SET details = '{\"n\":2}' WHERE chain = " +
        std::to_string(tenant_.value) + " AND seq = 3"
    );
    auto v = verify(tenant_);
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->problem);
    EXPECT_EQ(v->problem->seq, 3);
    EXPECT_NE(v->problem->reason.find("altered"), std::string::npos);
    EXPECT_FALSE(verify(other_)->problem);  // other chains unaffected
}

TEST_P(AuditChain, RemovingAMiddleRowOrTheTailIsFound) {
    add(tenant_, 4);
    tamper("DELETE FROM audit_log WHERE chain = " + std::to_string(tenant_.value) + " AND seq = 2");
    auto v = verify(tenant_);
    ASSERT_TRUE(v && v->problem);
    EXPECT_EQ(v->problem->seq, 3);
    EXPECT_NE(v->problem->reason.find("gap"), std::string::npos);

    add(other_, 3);
    tamper("DELETE FROM audit_log WHERE chain = " + std::to_string(other_.value) + " AND seq = 4");
    auto w = verify(other_);
    ASSERT_TRUE(w && w->problem);
    EXPECT_NE(w->problem->reason.find("removed"), std::string::npos);
}

TEST_P(AuditChain, ReorderingIsFound) {
    add(tenant_, 3);
    const auto c = std::to_string(tenant_.value);
    tamper(
        "UPDATE audit_log SET seq = 100 WHERE chain = " + c +
        " AND seq = 2; UPDATE audit_log SET seq = 2 WHERE chain = " + c +
        " AND seq = 3; UPDATE audit_log SET seq = 3 WHERE chain = " + c + " AND seq = 100"
    );
    auto v = verify(tenant_);
    ASSERT_TRUE(v && v->problem);
    EXPECT_EQ(v->problem->seq, 2);
}

TEST_P(AuditChain, TheLogRefusesUpdatesAndDeletes) {
    auto u = db().write(TenantScope(tenant_), [](ScopedTx& stx) {
        return stx.tx().exec(
            "UPDATE audit_log SET details = '{}' WHERE chain = $1", stx.tenant_id().value
        );
    });
    EXPECT_FALSE(u);
    auto d = db().write(TenantScope(tenant_), [](ScopedTx& stx) {
        return stx.tx().exec("DELETE FROM audit_log WHERE chain = $1", stx.tenant_id().value);
    });
    EXPECT_FALSE(d);
    EXPECT_FALSE(verify(tenant_)->problem);
}

TEST_P(AuditChain, ConcurrentAppendsNeverForkTheChain) {
    std::vector<std::thread> ts;
    std::atomic<int> failures{0};
    for (int i = 0; i < 6; ++i)
        ts.emplace_back([&] {
            for (int j = 0; j < 10; ++j) {
                auto r = db().write(TenantScope(tenant_), [&](ScopedTx& stx) {
                    return audit::append(
                        stx, kOperator, kOrigin, {"x.happened", "x", "success", "{}"}, clock_.now()
                    );
                });
                if (!r) ++failures;
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(failures.load(), 0);
    auto v = verify(tenant_);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->entries, 61);
    EXPECT_FALSE(v->problem) << v->problem->reason;
}

TEST_P(AuditChain, ListFiltersByActionPrefixAndTime) {
    add(tenant_, 2);
    clock_.advance(std::chrono::hours(1));
    auto later = clock_.now();
    add(tenant_, 1);
    auto with = [&](auto set) {
        audit::Filter f;
        set(f);
        return db().read(TenantScope(tenant_), [&](ScopedTx& stx) { return audit::list(stx, f); });
    };
    auto by_action = with([](audit::Filter& f) { f.action_prefix = "tenant."; });
    ASSERT_TRUE(by_action);
    EXPECT_EQ(by_action->size(), 1u);
    auto recent = with([&](audit::Filter& f) { f.from = later; });
    ASSERT_TRUE(recent);
    EXPECT_EQ(recent->size(), 1u);
    auto failures = with([](audit::Filter& f) { f.result = "failure"; });
    ASSERT_TRUE(failures);
    EXPECT_TRUE(failures->empty());
    auto all = with([](audit::Filter&) {});
    ASSERT_TRUE(all);
    ASSERT_GE(all->size(), 3u);
    auto older = with([&](audit::Filter& f) { f.before_seq = (*all)[0].seq; });
    ASSERT_TRUE(older);
    EXPECT_EQ(older->size(), all->size() - 1);
    EXPECT_EQ(older->front().seq, (*all)[1].seq);
    auto by_actor = with([&](audit::Filter& f) { f.actor_id = "nobody:0"; });
    ASSERT_TRUE(by_actor);
    EXPECT_TRUE(by_actor->empty());
    auto bad = with([](audit::Filter& f) { f.limit = 0; });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "limit");
}

INSTANTIATE_TEST_SUITE_P(
    Backends, AuditChain, ::testing::Values(Backend::sqlite, Backend::postgres), name_of
);

// Issue 24, defect 6: the chain is keyed with a key outside the database, so a rewrite that
// recomputes the hashes under any other key is found; one that drops the key from some entry
// on is found too.
TEST_P(AuditChain, ARewriteWithoutTheChainKeyIsFound) {
    add(tenant_, 4);
    const auto guessed = crypto::SecretKey::random();
    rewrite(tenant_, 3, &guessed);
    auto v = verify(tenant_);
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->problem);
    EXPECT_EQ(v->problem->seq, 3);
    EXPECT_NE(v->problem->reason.find("altered"), std::string::npos) << v->problem->reason;

    add(other_, 4);
    rewrite(other_, 3, nullptr);
    auto dropped = verify(other_);
    ASSERT_TRUE(dropped);
    ASSERT_TRUE(dropped->problem);
    EXPECT_EQ(dropped->problem->seq, 3);
    EXPECT_NE(dropped->problem->reason.find("unkeyed"), std::string::npos);
}

// Issue 24, defect 6: a history rewritten whole in the old unkeyed scheme verifies as a chain,
// but not against a signed checkpoint written before; forged checkpoint files are refused.
TEST_P(AuditChain, SignedCheckpointsFindAHistoryRewrittenWhole) {
    add(tenant_, 4);
    const auto seed = crypto::SecretKey::random();
    const auto pk = crypto::signing_public_key(seed);
    TempDir dir;
    auto written = audit::write_checkpoint(
        db(), seed, {dir.path() / "logs", dir.path() / "backup"}, clock_.now()
    );
    ASSERT_TRUE(written) << written.error().detail;
    ASSERT_EQ(written->size(), 2u);
    auto clean = audit::check_checkpoints(db(), pk, dir.path() / "logs");
    ASSERT_TRUE(clean);
    EXPECT_EQ(clean->files, 1);
    EXPECT_EQ(clean->heads, 3) << "the platform and both tenants";
    EXPECT_TRUE(clean->problems.empty());

    rewrite(tenant_, 1, nullptr);
    auto v = verify(tenant_);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->problem) << "a whole unkeyed rewrite passes as an old chain: "
                             << (v->problem ? v->problem->reason : "");
    EXPECT_EQ(v->unkeyed, 5) << "but says its entries are unkeyed";
    auto found = audit::check_checkpoints(db(), pk, dir.path() / "backup");
    ASSERT_TRUE(found);
    ASSERT_EQ(found->problems.size(), 1u);
    EXPECT_NE(found->problems[0].find("rewritten"), std::string::npos) << found->problems[0];
    EXPECT_NE(
        found->problems[0].find("tenant " + std::to_string(tenant_.value)), std::string::npos
    );

    // A checkpoint signed with another key proves nothing.
    const auto other = crypto::SecretKey::random();
    TempDir forged;
    ASSERT_TRUE(audit::write_checkpoint(db(), other, {forged.path()}, clock_.now()));
    auto refused = audit::check_checkpoints(db(), pk, forged.path());
    ASSERT_TRUE(refused);
    ASSERT_EQ(refused->problems.size(), 1u);
    EXPECT_NE(refused->problems[0].find("signature"), std::string::npos);
}

// Issue 29, ADR 0027: where writers run in parallel (PostgreSQL), an entry is written unlinked
// and linked after its transaction commits, so a tenant's writers wait on no shared row.
class AuditLinkedAfterCommit : public AuditChain {
protected:
    Result<void> append_one(const std::string& action) {
        return db().write(TenantScope(tenant_), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY(
                audit::append(stx, kOperator, kOrigin, {action, "x", "success", "{}"}, clock_.now())
            );
            return {};
        });
    }
    Result<std::int64_t> sql(const std::string& statement) {
        return db().write(TenantScope(tenant_), [&](ScopedTx& stx) {
            return stx.tx().exec(statement);
        });
    }
};

TEST_P(AuditLinkedAfterCommit, AWriterWaitsOnNoOtherWritersEntryAndTheChainFollowsCommitOrder) {
    std::promise<void> a_appended, b_done;
    bool b_first = false;
    std::thread a([&] {
        auto r = db().write(TenantScope(tenant_), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY(audit::append(
                stx, kOperator, kOrigin, {"a.happened", "a", "success", "{}"}, clock_.now()
            ));
            a_appended.set_value();
            // Still open: with a shared head row B would wait here for A (and this times out).
            b_first =
                b_done.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready;
            return {};
        });
        EXPECT_TRUE(r);
    });
    a_appended.get_future().wait();
    EXPECT_TRUE(append_one("b.happened"));
    b_done.set_value();
    a.join();
    EXPECT_TRUE(b_first) << "the second writer waited for the first one's commit";

    auto entries =
        db().read(TenantScope(tenant_), [](ScopedTx& stx) { return audit::list(stx, {}); });
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 3u) << "both linked by the time their writes answered";
    EXPECT_EQ((*entries)[0].event.action, "a.happened");  // committed last, linked last
    EXPECT_EQ((*entries)[0].seq, 3);
    EXPECT_EQ((*entries)[1].event.action, "b.happened");
    EXPECT_EQ((*entries)[1].seq, 2);
    auto v = verify(tenant_);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->problem);
    EXPECT_EQ(v->entries, 3);
    EXPECT_EQ(v->unlinked, 0);
}

TEST_P(AuditLinkedAfterCommit, AnUnlinkedEntryCannotBeChangedOrRemovedAndTheSweepLinksIt) {
    // An entry whose commit was not followed by its linking (the process died in between).
    auto id = db().write(TenantScope(tenant_), [&](ScopedTx& stx) {
        audit::Entry e;
        e.chain = tenant_;
        e.at = clock_.now();
        e.actor = kOperator;
        e.origin = kOrigin;
        e.event = {"x.crashed", "x", "success", "{}"};
        return audit::AuditChainStore(stx.tx(), tenant_).insert(e);
    });
    ASSERT_TRUE(id) << id.error().detail;
    const std::string row = " WHERE id = " + std::to_string(id->value);
    EXPECT_FALSE(sql("UPDATE audit_log SET details = '{\"n\":2}'" + row));
    EXPECT_FALSE(sql("DELETE FROM audit_log" + row));
    EXPECT_FALSE(
        sql("UPDATE audit_log SET seq = 2, prev_hash = '', hash = 'x', details = '{\"n\":2}'" + row)
    ) << "linking may not change what the entry says";
    EXPECT_FALSE(sql("UPDATE audit_log SET seq = 2" + row)) << "linked whole or not at all";

    auto v = verify(tenant_);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->problem);
    EXPECT_EQ(v->entries, 1);
    EXPECT_EQ(v->unlinked, 1);

    // The hourly checkpoint reads every head, linking what waits first.
    auto heads = audit::heads(db());
    ASSERT_TRUE(heads) << heads.error().detail;
    auto head = std::find_if(heads->begin(), heads->end(), [&](const audit::Head& h) {
        return h.chain == tenant_;
    });
    ASSERT_NE(head, heads->end());
    EXPECT_EQ(head->seq, 2);
    v = verify(tenant_);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->problem);
    EXPECT_EQ(v->entries, 2);
    EXPECT_EQ(v->unlinked, 0);
    EXPECT_FALSE(sql("UPDATE audit_log SET seq = 3" + row)) << "linked once, fixed";
}

INSTANTIATE_TEST_SUITE_P(
    Postgres, AuditLinkedAfterCommit, ::testing::Values(Backend::postgres), name_of
);

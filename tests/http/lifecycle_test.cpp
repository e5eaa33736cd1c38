// The tenant lifecycle and retention (SPEC S12, S13, S15) on both backends, driven by the fake
// clock: a terminated tenant is export-only at once, purged on day 30 (every row gone, code and
// name kept), its key destroyed on day 37, after which an older backup (SQLite) holds nothing
// readable of it; another tenant is untouched. Audit entries older than 183 days go and the
// chain still verifies from its anchor; nothing above the anchor can be deleted; expired
// sessions go; access log files after 31 days. A dry run changes nothing.

#include <gtest/gtest.h>

#include <fstream>

#include "app/backup.hpp"
#include "app/retention.hpp"
#include "domain/audit/audit.hpp"
#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class Lifecycle : public BookingFixture {
protected:
    // A booking with personal data; its reference.
    std::string a_booking() {
        const auto o = offering(
            R"({"kind":"event","name":"Gala","published":true,
                "ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
        );
        const auto start = id_->clock.now() + 24h * 60;
        const auto occ = make(
            "/api/v1/offerings/" + std::to_string(o) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":20})"
        );
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occ) + R"(,"tickets":{"adult":1},)" +
            customer() + "}"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    }
    // Rows the tenant has in every table that carries a tenant_id, and in its audit chain.
    std::int64_t rows_of(TenantId t) {
        const bool pg = GetParam() == storage::Backend::postgres;
        auto n = tdb_->db().read(
            storage::TenantScope(t),
            [&](storage::ScopedTx& stx) -> Result<std::int64_t> {
                auto tables = stx.tx().query(
                    pg ? "SELECT table_name::text FROM information_schema.columns WHERE "
                         "table_schema = "
                         "current_schema() AND column_name = 'tenant_id'"
                       : "SELECT m.name FROM sqlite_schema m JOIN pragma_table_info(m.name) c "
                         "WHERE "
                         "m.type = 'table' AND c.name = 'tenant_id'"
                );
                if (!tables) return fail(std::move(tables).error());
                EXPECT_GT(tables->size(), 20u);
                std::int64_t total = 0;
                for (const auto& r : *tables) {
                    auto c = stx.tx().query_one(
                        "SELECT count(*) FROM " + r.text(0) + " WHERE tenant_id = $1", t.value
                    );
                    if (!c) return fail(std::move(c).error());
                    total += c->i64(0);
                }
                auto a =
                    stx.tx().query_one("SELECT count(*) FROM audit_log WHERE chain = $1", t.value);
                if (!a) return fail(std::move(a).error());
                return total + a->i64(0);
            }
        );
        EXPECT_TRUE(n) << n.error().message;
        return n ? *n : -1;
    }
    // The tenant's data proper (what expiry never touches): accounts, offerings, bookings.
    std::int64_t data_of(TenantId t) {
        auto n = tdb_->db().read(storage::TenantScope(t), [&](storage::ScopedTx& stx) {
            return stx.tx().query_one(
                "SELECT (SELECT count(*) FROM accounts WHERE tenant_id = $1) + (SELECT count(*) "
                "FROM offerings WHERE tenant_id = $1) + (SELECT count(*) FROM bookings WHERE "
                "tenant_id = $1)",
                t.value
            );
        });
        EXPECT_TRUE(n);
        return n ? n->i64(0) : -1;
    }
    retention::Report retain(bool dry_run = false) {
        auto r = retention::run(tdb_->db(), *(*id_)->keyring, id_->clock.now(), {}, dry_run);
        EXPECT_TRUE(r) << r.error().message << " " << r.error().detail;
        return r ? *r : retention::Report{};
    }
    audit::Verification verified(TenantId t) {
        auto v = tdb_->db().read(storage::TenantScope(t), [](storage::ScopedTx& stx) {
            return audit::verify(stx);
        });
        EXPECT_TRUE(v);
        return v ? *v : audit::Verification{};
    }
};

}  // namespace

TEST_P(Lifecycle, ATerminatedTenantIsPurgedOnDay30AndItsKeyDestroyedOnDay37) {
    const auto other = id_->tenant("other", "boss@other.example");
    const auto ref = a_booking();
    ASSERT_FALSE(ref.empty());
    TempDir backups;
    std::optional<fs::path> day0;
    app::Config live;
    if (GetParam() == storage::Backend::sqlite) {
        live.database_url = tdb_->url();
        live.data_dir = fs::path(tdb_->url().substr(7)).parent_path().string();
        auto b = app::backup::create(
            live, app::backup::backup_key(*(*id_)->keyring), backups.path(), id_->clock.now()
        );
        ASSERT_TRUE(b) << b.error().message;
        day0 = *b;
    }
    const Instant t0 = id_->clock.now();
    ASSERT_TRUE((*id_)->tenants.change_status(
        salon_, tenants::Status::terminated, "contract ended", {"operator:1", "operator"}, {}
    ));
    // At once: export only. A change is refused, nothing else.
    auto refused = call("POST", "/api/v1/offerings", boss_, R"({"kind":"event","name":"x"})");
    EXPECT_EQ(refused.status, 403) << refused.body;
    const auto before = data_of(salon_);
    const auto other_before = data_of(other);
    ASSERT_EQ(before, 3);

    int purged_on = -1, key_gone_on = -1;
    for (int day = 0; day <= 40; ++day) {
        id_->clock.set(t0 + 24h * day + 1h);
        if (day == 30) {
            const auto rows = rows_of(salon_);
            ASSERT_GT(rows, 10);
            const auto would = retain(true);
            EXPECT_EQ(would.count("tenant.purged"), rows) << "a dry run counts every row";
            EXPECT_EQ(rows_of(salon_), rows) << "and deletes none";
        }
        const auto r = retain();
        if (r.count("tenant.purged") > 0) purged_on = day;
        if (r.count("tenant.key_destroyed") > 0) key_gone_on = day;
        if (day < 30) {
            EXPECT_EQ(data_of(salon_), before) << "day " << day;
        } else {
            EXPECT_EQ(rows_of(salon_), 0) << "every row is gone on day " << day;
        }
        EXPECT_EQ((*id_)->keyring->has(salon_), day < 37) << "day " << day;
    }
    EXPECT_EQ(purged_on, 30);
    EXPECT_EQ(key_gone_on, 37);
    // The tombstone: code and name stay.
    auto t = (*id_)->tenants.find_by_code("salon");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->status, tenants::Status::terminated);
    EXPECT_FALSE(t->name.empty());
    // Another tenant: untouched, its chain whole; the platform chain records both steps.
    EXPECT_EQ(data_of(other), other_before);
    EXPECT_FALSE(verified(other).problem);
    auto platform = tdb_->db().read_platform([](storage::Tx& tx) {
        return tx.query(
            "SELECT action FROM audit_log WHERE chain = 0 AND action IN ('tenant.purged', "
            "'tenant.key_destroyed') ORDER BY seq"
        );
    });
    ASSERT_TRUE(platform);
    ASSERT_EQ(platform->size(), 2u);
    EXPECT_EQ((*platform)[1].text(0), "tenant.key_destroyed");
    auto chain0 =
        tdb_->db().read_platform([](storage::Tx& tx) { return audit::verify_platform(tx); });
    ASSERT_TRUE(chain0);
    EXPECT_FALSE(chain0->problem);

    // The day-0 backup restored after day 37: its rows are there, but nothing of the tenant
    // opens; the other tenant's data does.
    if (day0) {
        TempDir restored;
        app::Config target;
        target.data_dir = restored.path().string();
        target.database_url = "sqlite:" + (restored.path() / "yoyaku.db").string();
        ASSERT_TRUE(
            app::backup::restore(target, app::backup::backup_key(*(*id_)->keyring), *day0, false)
        );
        storage::DatabaseOptions o;
        o.url = target.database_url;
        auto db = storage::open_database(o);
        ASSERT_TRUE(db);
        bookings::BookingService old(**db, *(*id_)->keyring, id_->clock, {});
        auto b = old.find_by_reference(salon_, ref);
        ASSERT_FALSE(b) << "a destroyed key leaves nothing readable";
        EXPECT_EQ(b.error().code, Errc::not_found);
        EXPECT_TRUE((*id_)->keyring->tenant_keys(other)) << "the other tenant's key is intact";
    }
}

TEST_P(Lifecycle, AuditEntriesOlderThan183DaysGoAndTheChainStillVerifies) {
    a_booking();
    const auto early = verified(salon_).entries;
    ASSERT_GT(early, 3);
    id_->clock.advance(24h * 184);
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    a_booking();  // newer entries that stay
    const auto would = retain(true);
    auto salon_audit = [](const retention::Report& x) {
        std::int64_t n = 0;
        for (const auto& s : x.steps)
            if (s.what == "audit" && s.tenant == "salon") n += s.count;
        return n;
    };
    EXPECT_EQ(salon_audit(would), early) << "everything before the cut-off";
    EXPECT_EQ(would.count("audit"), early + 1) << "and the platform's tenant.created";
    const auto r = retain();
    EXPECT_EQ(r.count("audit"), would.count("audit"));

    EXPECT_GE(r.count("sessions"), 1) << "the first session expired long ago";
    const auto v = verified(salon_);
    EXPECT_FALSE(v.problem) << v.problem->reason;
    EXPECT_GT(v.entries, 2);
    // Nothing at or above the anchor can be deleted, even by hand.
    auto del = tdb_->db().write(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
        return stx.tx().exec("DELETE FROM audit_log WHERE chain = $1", salon_.value);
    });
    EXPECT_FALSE(del) << "the audit log stays append-only above its anchor";
    EXPECT_EQ(retain().count("audit"), 0) << "a second run finds nothing more";
}

TEST(AccessLogs, FilesOlderThan31DaysAreDeleted) {
    TempDir dir;
    const Instant now = *parse_rfc3339("2026-12-02T12:00:00Z");
    for (const char* day : {"2026-10-30", "2026-10-31", "2026-11-01", "2026-12-01"})
        std::ofstream(dir.path() / (std::string("access_") + day + ".jsonl")) << "{}\n";
    std::ofstream(dir.path() / "other.txt") << "x";
    auto would = app::prune_access_logs(dir.path(), now, 31, true);
    ASSERT_TRUE(would);
    EXPECT_EQ(*would, 2);
    EXPECT_TRUE(fs::exists(dir.path() / "access_2026-10-30.jsonl"));
    ASSERT_TRUE(app::prune_access_logs(dir.path(), now, 31, false));
    EXPECT_FALSE(fs::exists(dir.path() / "access_2026-10-30.jsonl"));
    EXPECT_FALSE(fs::exists(dir.path() / "access_2026-10-31.jsonl"));
    EXPECT_TRUE(fs::exists(dir.path() / "access_2026-11-01.jsonl"));
    EXPECT_TRUE(fs::exists(dir.path() / "other.txt"));
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Lifecycle,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

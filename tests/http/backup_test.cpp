// Backups (SPEC S14) of an SQLite platform: a backup holds no readable personal data, verifies
// (every byte authenticated, restored into a scratch database, integrity, row counts and audit
// chains checked), restores into an empty data directory that then serves the same bookings;
// a flipped byte is refused by verify and restore; a non-empty target needs --force; old
// generations are pruned only beyond 8 and 30 days; the daily time is 03:00 in the zone.
// On PostgreSQL the same through pg_dump/pg_restore with a role that bypasses row-level
// security (the platform's own role is refused), verified in a scratch database, restored into
// a new database; a backup of one backend does not restore into the other.

#include "app/backup.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "storage/postgres/pg_backup.hpp"
#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

class Backups : public BookingFixture {
protected:
    void TearDown() override {
        for (const auto& d : databases_)
            pg_admin_exec(
                "DROP DATABASE IF EXISTS " + d + " WITH (FORCE)", as_backup_role(pg_test_url())
            );
    }
    bool pg() const { return GetParam() == storage::Backend::postgres; }
    app::Config config_of(const std::string& url, const fs::path& data) {
        app::Config c;
        c.data_dir = data.string();
        c.database_url = url;
        if (url.starts_with("postgres")) c.backup_database_url = as_backup_role(url);
        return c;
    }
    // The test server's backup role (scripts/pg-test-server.sh): BYPASSRLS, CREATEDB, a member
    // of the platform's role.
    static std::string as_backup_role(std::string url) {
        const auto at = url.find("yoyaku@");
        EXPECT_NE(at, std::string::npos) << "the test URL names the role yoyaku";
        return at == std::string::npos ? url : url.replace(at, 6, "yoyaku_backup");
    }
    // The platform under test.
    app::Config live() {
        if (pg()) return config_of(tdb_->url(), tdb_->dir().path() / "data");
        return config_of(tdb_->url(), tdb_->url().substr(7, tdb_->url().rfind('/') - 7));
    }
    // An empty platform to restore into: a new data directory (PostgreSQL: and a new database
    // whose search path names the schema under test).
    app::Config empty_target(const TempDir& dir) {
        if (!pg()) return config_of("sqlite:" + (dir.path() / "yoyaku.db").string(), dir.path());
        const auto name = "yoyaku_restore_" + std::to_string(databases_.size()) + "_" +
                          std::to_string(::getpid());
        pg_admin_exec("CREATE DATABASE " + name + " OWNER yoyaku", as_backup_role(pg_test_url()));
        databases_.push_back(name);
        auto url = tdb_->url();
        const auto slash = url.find('/', url.find("://") + 3);
        url.replace(slash + 1, url.find('?') - slash - 1, name);
        return config_of(url, dir.path());
    }
    // Where verify makes its scratch database (PostgreSQL).
    std::string scratch_server() { return pg() ? live().backup_database_url : ""; }
    // The tables restored into `target`, by the platform's own means.
    std::int64_t tables_in(const app::Config& target) {
        if (!pg()) return fs::exists(target.data_dir + "/yoyaku.db") ? 1 : 0;
        auto f = storage::pg::describe(target.backup_database_url, tdb_->schema());
        EXPECT_TRUE(f) << f.error().message;
        return f ? static_cast<std::int64_t>(f->row_counts.size()) : -1;
    }
    // A booking with a canary customer; its reference.
    std::string canary_booking() {
        const auto o = offering(
            R"({"kind":"event","name":"Zq9x Gala","published":true,
                "ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
        );
        const auto start = id_->clock.now() + 24h * 10;
        const auto occ = make(
            "/api/v1/offerings/" + std::to_string(o) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":20})"
        );
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occ) +
            R"(,"tickets":{"adult":2},"customer":{"name":"Canary Zq9x-Yamada","email":"zq9x.canary@example.jp","locale":"en"}})"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    }
    app::backup::BackupKeys key() { return app::backup::backup_key(*(*id_)->keyring); }
    TempDir out_, elsewhere_;
    std::vector<std::string> databases_;
};

}  // namespace

TEST_P(Backups, ARestoredBackupServesTheSameBookingsAndHoldsNoReadablePersonalData) {
    const auto ref = canary_booking();
    ASSERT_FALSE(ref.empty());
    const auto live = this->live();
    auto refused =
        app::backup::create(live, key(), fs::path(live.data_dir) / "b", id_->clock.now());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "out") << "a backup inside the data directory is refused";

    if (pg()) {
        auto own_role = live;
        own_role.backup_database_url.clear();
        auto no = app::backup::create(own_role, key(), out_.path(), id_->clock.now());
        ASSERT_FALSE(no) << "the platform's role does not see past row-level security";
        EXPECT_EQ(no.error().field, "backup.database_url");
        EXPECT_NE(no.error().message.find("BYPASSRLS"), std::string::npos) << no.error().message;
    }

    auto file = app::backup::create(live, key(), out_.path(), id_->clock.now());
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(
        fs::status(*file).permissions() & fs::perms::all,
        fs::perms::owner_read | fs::perms::owner_write
    );
    const auto bytes = read_file(*file);
    for (const char* canary : {"Zq9x Gala", "zq9x.canary", "Canary Zq9x", "boss@salon"})
        EXPECT_EQ(bytes.find(canary), std::string::npos) << canary << " is readable in the backup";
    // The same search finds the offering's name in the database itself: the check can fail.
    if (!pg()) {
        const auto db_path = fs::path(tdb_->url().substr(7));
        auto raw = read_file(db_path) + read_file(db_path.string() + "-wal");
        EXPECT_NE(raw.find("Zq9x Gala"), std::string::npos);
    }
    EXPECT_TRUE(fs::is_empty(live.data_dir) || !pg()) << "no plain dump left in the data directory";

    auto m = app::backup::inspect(key(), *file);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->backend, pg() ? "postgresql" : "sqlite");
    EXPECT_EQ(m->schema, tdb_->schema());
    EXPECT_GE(m->schema_version, 21);
    auto count = [&](const app::backup::Manifest& x, const std::string& table) {
        for (const auto& [t, n] : x.row_counts)
            if (t == table) return n;
        return std::int64_t{-1};
    };
    EXPECT_EQ(count(*m, "bookings"), 1);
    EXPECT_EQ(count(*m, "tenants"), 1);

    if (pg()) {
        auto nowhere = app::backup::verify(key(), *file, elsewhere_.path() / "scratch");
        ASSERT_FALSE(nowhere) << "a PostgreSQL backup needs a server to verify in";
        EXPECT_EQ(nowhere.error().field, "in");
    }
    auto v = app::backup::verify(key(), *file, elsewhere_.path() / "scratch", scratch_server());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_GT(v->audit_entries, 3);
    EXPECT_TRUE(fs::is_empty(elsewhere_.path() / "scratch")) << "the scratch copy is removed";

    // Into an empty data directory, with the same keys: the booking reads back whole.
    TempDir restored;
    const auto target = empty_target(restored);
    {
        TempDir other;
        const auto elsewhere =
            pg() ? config_of("sqlite:" + (other.path() / "y.db").string(), other.path())
                 : config_of(pg_test_url(), other.path());
        if (pg() || !pg_test_url().empty()) {
            auto across = app::backup::restore(elsewhere, key(), *file, false);
            ASSERT_FALSE(across) << "a backup restores into its own backend only";
            EXPECT_EQ(across.error().field, "in");
        }
    }
    auto r = app::backup::restore(target, key(), *file, false);
    ASSERT_TRUE(r) << r.error().message;
    storage::DatabaseOptions o;
    o.url = target.database_url;
    auto db = storage::open_database(o);
    ASSERT_TRUE(db);
    auto status = (*db)->migrate();
    ASSERT_TRUE(status);
    EXPECT_EQ(status->current, m->schema_version);
    bookings::BookingService again(**db, *(*id_)->keyring, id_->clock, {});
    auto b = again.find_by_reference(salon_, ref);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(b->customer.name, "Canary Zq9x-Yamada");
    EXPECT_EQ(b->customer.email, "zq9x.canary@example.jp");
    EXPECT_EQ(b->seats, 2);
    // The platform's own role serves it: row-level security still holds in the restored copy.
    if (pg()) {
        auto rls = (*db)->read_platform([](storage::Tx& tx) -> Result<std::int64_t> {
            auto n = tx.query("SELECT count(*) FROM bookings");
            if (!n) return fail(std::move(n).error());
            return n->front().i64(0);
        });
        ASSERT_TRUE(rls) << rls.error().message;
        EXPECT_EQ(*rls, 0) << "no tenant bound: no booking visible";
    }

    // A second restore over it needs --force.
    auto twice = app::backup::restore(target, key(), *file, false);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, Errc::conflict);
    db->reset();
    EXPECT_TRUE(app::backup::restore(target, key(), *file, true));
}

TEST_P(Backups, AFlippedByteOrAnotherKeyIsRefusedAndNothingIsRestored) {
    canary_booking();
    const auto live = this->live();
    auto file = app::backup::create(live, key(), out_.path(), id_->clock.now());
    ASSERT_TRUE(file) << file.error().message;
    const auto bytes = read_file(*file);
    for (std::size_t at : {std::size_t{20}, std::size_t{100}, bytes.size() / 2, bytes.size() - 5}) {
        auto bad = bytes;
        bad[at] = static_cast<char>(bad[at] ^ 0x10);
        const auto tampered = out_.path() / "tampered.ybk";
        write_file(tampered, bad);
        EXPECT_FALSE(app::backup::verify(key(), tampered, elsewhere_.path(), scratch_server()))
            << "byte " << at;
        TempDir target_dir;
        const auto target = empty_target(target_dir);
        auto r = app::backup::restore(target, key(), tampered, false);
        ASSERT_FALSE(r) << "byte " << at;
        EXPECT_EQ(r.error().field, "in");
        EXPECT_EQ(tables_in(target), 0) << "nothing half-restored";
        std::size_t left = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(target_dir.path())) ++left;
        EXPECT_EQ(left, 0u) << "no scratch file left behind";
    }
    write_file(out_.path() / "cut.ybk", bytes.substr(0, bytes.size() - 40));
    EXPECT_FALSE(
        app::backup::verify(key(), out_.path() / "cut.ybk", elsewhere_.path(), scratch_server())
    );
    EXPECT_FALSE(
        app::backup::verify(crypto::SecretKey::random(), *file, elsewhere_.path(), scratch_server())
    );
    EXPECT_TRUE(app::backup::verify(key(), *file, elsewhere_.path(), scratch_server()));
}

TEST_P(Backups, OldGenerationsArePrunedBeyondEightAndThirtyDays) {
    const auto live = this->live();
    const Instant start = id_->clock.now();
    // Twelve daily backups, then twelve every 5 days before them.
    for (int i = 0; i < 12; ++i) {
        ASSERT_TRUE(app::backup::create(live, key(), out_.path(), start - 24h * i));
        ASSERT_TRUE(app::backup::create(live, key(), out_.path(), start - 24h * (40 + 5 * i)));
    }
    ASSERT_EQ(app::backup::generations(out_.path()).size(), 24u);
    auto would = app::backup::prune(out_.path(), start, 8, 24h * 30, true);
    ASSERT_TRUE(would);
    EXPECT_EQ(would->size(), 12u) << "all older than 30 days, beyond the newest 8";
    EXPECT_EQ(app::backup::generations(out_.path()).size(), 24u) << "a dry run deletes nothing";
    auto gone = app::backup::prune(out_.path(), start, 8, 24h * 30, false);
    ASSERT_TRUE(gone);
    const auto kept = app::backup::generations(out_.path());
    ASSERT_EQ(kept.size(), 12u);
    EXPECT_LE(start - kept.front().created_at, 1s) << "newest first";
    EXPECT_LE(start - kept.back().created_at, 24h * 30);
    // With 30 days of nothing new, the newest 8 stay anyway.
    gone = app::backup::prune(out_.path(), start + 24h * 100, 8, 24h * 30, false);
    ASSERT_TRUE(gone);
    EXPECT_EQ(app::backup::generations(out_.path()).size(), 8u);
}

TEST_P(Backups, AfterAMasterKeyRotationDataAndOlderBackupsStillOpen) {
    const auto ref = canary_booking();
    const auto live = this->live();
    auto before = app::backup::create(live, key(), out_.path(), id_->clock.now());
    ASSERT_TRUE(before);
    const auto dir = id_->dir.path() / "keys";
    auto node = crypto::Keyring::open(dir, false);  // a server started before the rotation
    ASSERT_TRUE(node);
    const auto old_master = read_file(dir / "master.key");

    auto cli = crypto::Keyring::open(dir, false);  // `yoyaku keys rotate`
    ASSERT_TRUE(cli);
    auto n = (*cli)->rotate_master();
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 1) << "the one tenant key, re-wrapped";
    EXPECT_NE(read_file(dir / "master.key"), old_master);
    EXPECT_EQ(
        fs::status(dir / "master.key").permissions() & fs::perms::all,
        fs::perms::owner_read | fs::perms::owner_write
    );

    // The running node follows without a restart; sealed data reads back.
    bookings::BookingService served(tdb_->db(), **node, id_->clock, {});
    auto b = served.find_by_reference(salon_, ref);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(b->customer.name, "Canary Zq9x-Yamada");
    // The backup from before opens with the retired key; a new one uses the new master.
    EXPECT_TRUE(app::backup::verify(
        app::backup::backup_key(**cli), *before, elsewhere_.path(), scratch_server()
    ));
    auto after =
        app::backup::create(live, app::backup::backup_key(**cli), out_.path(), id_->clock.now());
    ASSERT_TRUE(after);
    EXPECT_FALSE(app::backup::inspect(app::backup::BackupKeys(key().keys.back()), *after))
        << "not under the old master's key";
    // Without the retired keys the old backup does not open: they are what keeps it readable.
    fs::remove_all(dir / "retired");
    auto bare = crypto::Keyring::open(dir, false);
    ASSERT_TRUE(bare);
    EXPECT_FALSE(app::backup::inspect(app::backup::backup_key(**bare), *before));
    // A key file others may read is refused.
    fs::permissions(dir / "master.key", fs::perms::group_read, fs::perm_options::add);
    EXPECT_FALSE(crypto::Keyring::open(dir, false));
}

TEST(BackupSchedule, TheDailyBackupIsDueAtThreeInThePlatformsZone) {
    const auto at = [](const char* t) { return *parse_rfc3339(t); };
    EXPECT_EQ(
        app::backup::next_daily(at("2026-12-02T10:00:00+09:00"), "Asia/Tokyo", 3),
        at("2026-12-03T03:00:00+09:00")
    );
    EXPECT_EQ(
        app::backup::next_daily(at("2026-12-02T02:59:00+09:00"), "Asia/Tokyo", 3),
        at("2026-12-02T03:00:00+09:00")
    );
    EXPECT_EQ(
        app::backup::next_daily(at("2026-12-02T03:00:00+09:00"), "Asia/Tokyo", 3),
        at("2026-12-03T03:00:00+09:00")
    );
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Backups,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

// Backups (SPEC S14) of an SQLite platform: a backup holds no readable personal data, verifies
// (every byte authenticated, restored into a scratch database, integrity, row counts and audit
// chains checked), restores into an empty data directory that then serves the same bookings;
// a flipped byte is refused by verify and restore; a non-empty target needs --force; old
// generations are pruned only beyond 8 and 30 days; the daily time is 03:00 in the zone.
// PostgreSQL backups are not supported yet (create refuses them).

#include "app/backup.hpp"

#include <gtest/gtest.h>

#include <fstream>

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
    app::Config config_of(const std::string& url, const fs::path& data) {
        app::Config c;
        c.data_dir = data.string();
        c.database_url = url;
        return c;
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
};

}  // namespace

TEST_P(Backups, ARestoredBackupServesTheSameBookingsAndHoldsNoReadablePersonalData) {
    const auto ref = canary_booking();
    ASSERT_FALSE(ref.empty());
    const auto live = config_of(tdb_->url(), tdb_->url().substr(7, tdb_->url().rfind('/') - 7));
    auto refused =
        app::backup::create(live, key(), fs::path(live.data_dir) / "b", id_->clock.now());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "out") << "a backup inside the data directory is refused";

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
    const auto db_path = fs::path(tdb_->url().substr(7));
    auto raw = read_file(db_path) + read_file(db_path.string() + "-wal");
    EXPECT_NE(raw.find("Zq9x Gala"), std::string::npos);

    auto m = app::backup::inspect(key(), *file);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->backend, "sqlite");
    EXPECT_GE(m->schema_version, 21);
    auto count = [&](const app::backup::Manifest& x, const std::string& table) {
        for (const auto& [t, n] : x.row_counts)
            if (t == table) return n;
        return std::int64_t{-1};
    };
    EXPECT_EQ(count(*m, "bookings"), 1);
    EXPECT_EQ(count(*m, "tenants"), 1);

    auto v = app::backup::verify(key(), *file, elsewhere_.path() / "scratch");
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_GT(v->audit_entries, 3);
    EXPECT_TRUE(fs::is_empty(elsewhere_.path() / "scratch")) << "the scratch copy is removed";

    // Into an empty data directory, with the same keys: the booking reads back whole.
    TempDir restored;
    const auto target =
        config_of("sqlite:" + (restored.path() / "yoyaku.db").string(), restored.path());
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

    // A second restore over it needs --force.
    auto twice = app::backup::restore(target, key(), *file, false);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, Errc::conflict);
    db->reset();
    EXPECT_TRUE(app::backup::restore(target, key(), *file, true));
}

TEST_P(Backups, AFlippedByteOrAnotherKeyIsRefusedAndNothingIsRestored) {
    canary_booking();
    const auto live = config_of(tdb_->url(), tdb_->url().substr(7, tdb_->url().rfind('/') - 7));
    auto file = app::backup::create(live, key(), out_.path(), id_->clock.now());
    ASSERT_TRUE(file) << file.error().message;
    const auto bytes = read_file(*file);
    for (std::size_t at : {std::size_t{20}, std::size_t{100}, bytes.size() / 2, bytes.size() - 5}) {
        auto bad = bytes;
        bad[at] = static_cast<char>(bad[at] ^ 0x10);
        const auto tampered = out_.path() / "tampered.ybk";
        write_file(tampered, bad);
        EXPECT_FALSE(app::backup::verify(key(), tampered, elsewhere_.path())) << "byte " << at;
        TempDir target_dir;
        const auto target =
            config_of("sqlite:" + (target_dir.path() / "yoyaku.db").string(), target_dir.path());
        auto r = app::backup::restore(target, key(), tampered, false);
        ASSERT_FALSE(r) << "byte " << at;
        EXPECT_EQ(r.error().field, "in");
        EXPECT_FALSE(fs::exists(target_dir.path() / "yoyaku.db")) << "nothing half-restored";
        std::size_t left = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(target_dir.path())) ++left;
        EXPECT_EQ(left, 0u) << "no scratch file left behind";
    }
    write_file(out_.path() / "cut.ybk", bytes.substr(0, bytes.size() - 40));
    EXPECT_FALSE(app::backup::verify(key(), out_.path() / "cut.ybk", elsewhere_.path()));
    EXPECT_FALSE(app::backup::verify(crypto::SecretKey::random(), *file, elsewhere_.path()));
    EXPECT_TRUE(app::backup::verify(key(), *file, elsewhere_.path()));
}

TEST_P(Backups, OldGenerationsArePrunedBeyondEightAndThirtyDays) {
    const auto live = config_of(tdb_->url(), tdb_->url().substr(7, tdb_->url().rfind('/') - 7));
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
    const auto live = config_of(tdb_->url(), tdb_->url().substr(7, tdb_->url().rfind('/') - 7));
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
    EXPECT_TRUE(app::backup::verify(app::backup::backup_key(**cli), *before, elsewhere_.path()));
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
    SqliteOnly, Backups, ::testing::Values(storage::Backend::sqlite), backend_name
);

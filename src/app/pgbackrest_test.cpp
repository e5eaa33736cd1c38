#include "app/pgbackrest.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::app;

namespace {
// What pgBackRest 2.45 answered for a stanza with a full and an incremental backup (trimmed of
// the parts not read: backrest, database, lsn, db, repo).
constexpr std::string_view kInfo = R"([{
  "archive": [{"database": {"id": 1, "repo-key": 1}, "id": "15-1",
               "max": "000000010000000000000005", "min": "000000010000000000000001"}],
  "backup": [
    {"archive": {"start": "000000010000000000000002", "stop": "000000010000000000000003"},
     "error": false,
     "info": {"delta": 30488880, "repository": {"delta": 4087024, "size": 4087024}, "size": 30488880},
     "label": "20261207-145614F", "prior": null, "reference": null,
     "timestamp": {"start": 1796655374, "stop": 1796655377}, "type": "full"},
    {"archive": {"start": "000000010000000000000004", "stop": "000000010000000000000005"},
     "error": false,
     "info": {"delta": 8458, "repository": {"delta": 512, "size": 4087024}, "size": 30488880},
     "label": "20261207-145614F_20261207-145618I", "prior": "20261207-145614F",
     "reference": ["20261207-145614F"],
     "timestamp": {"start": 1796655378, "stop": 1796655380}, "type": "incr"},
    {"error": true, "label": "20261207-150000F_20261207-150500I", "type": "incr",
     "timestamp": {"start": 1796655900, "stop": 1796655905}}
  ],
  "cipher": "aes-256-cbc", "name": "yoyaku",
  "status": {"code": 0, "lock": {"backup": {"held": false}}, "message": "ok"}
}])";
}  // namespace

TEST(PgBackRestInfo, ReadsBackupsNewestFirstAndTheArchivedWal) {
    auto w = pgbackrest::parse_info(kInfo, "yoyaku");
    ASSERT_TRUE(w) << w.error().message;
    EXPECT_EQ(w->status, "ok");
    EXPECT_EQ(w->wal_first, "000000010000000000000001");
    EXPECT_EQ(w->wal_last, "000000010000000000000005");
    ASSERT_EQ(w->backups.size(), 2u) << "a backup marked in error restores nothing";
    EXPECT_EQ(w->backups[0].label, "20261207-145614F_20261207-145618I");
    EXPECT_EQ(w->backups[0].type, "incr");
    EXPECT_EQ(w->backups[0].repository_bytes, 512);
    EXPECT_EQ(w->backups[1].type, "full");
    EXPECT_EQ(w->backups[1].database_bytes, 30488880);
    EXPECT_EQ(to_micros(w->backups[1].stopped), 1796655377LL * 1000000);
    EXPECT_EQ(to_micros(w->backups[1].started), 1796655374LL * 1000000);
}

TEST(PgBackRestInfo, AnotherStanzaOrNoJsonIsAnError) {
    EXPECT_FALSE(pgbackrest::parse_info(kInfo, "other"));
    EXPECT_FALSE(pgbackrest::parse_info("P00  ERROR: [055]: unable to load info file", "yoyaku"));
    auto empty =
        pgbackrest::parse_info(R"([{"name": "yoyaku", "backup": [], "archive": []}])", "yoyaku");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->backups.empty());
    EXPECT_TRUE(empty->wal_last.empty());
}

TEST(PgBackRestInfo, RecoveryTargetKeepsMicroseconds) {
    const auto at = *parse_rfc3339("2027-04-01T09:29:00.123456+09:00");
    EXPECT_EQ(pgbackrest::recovery_target(at), "2027-04-01 00:29:00.123456+00");
    EXPECT_EQ(
        pgbackrest::recovery_target(*parse_rfc3339("2027-04-01T00:00:00Z")),
        "2027-04-01 00:00:00.000000+00"
    );
}

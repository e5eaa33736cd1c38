#include "storage/sql_text.hpp"

#include <gtest/gtest.h>

using yoyaku::storage::to_sqlite_dialect;

TEST(SqlText, RewritesDollarPlaceholders) {
    EXPECT_EQ(
        to_sqlite_dialect("SELECT a FROM t WHERE x = $1 AND y = $12"),
        "SELECT a FROM t WHERE x = ?1 AND y = ?12"
    );
}

TEST(SqlText, LeavesQuotedTextAndCommentsAlone) {
    EXPECT_EQ(
        to_sqlite_dialect("SELECT '$1', \"$2\" -- $3\n, $4"), "SELECT '$1', \"$2\" -- $3\n, ?4"
    );
    EXPECT_EQ(to_sqlite_dialect("SELECT 'it''s $1', $2"), "SELECT 'it''s $1', ?2");
}

TEST(SqlText, DropsRowLocksWhereverTheyStand) {
    EXPECT_EQ(
        to_sqlite_dialect("SELECT v FROM t WHERE id = $1 FOR UPDATE"),
        "SELECT v FROM t WHERE id = ?1"
    );
    EXPECT_EQ(
        to_sqlite_dialect(
            "UPDATE q SET n = 1 WHERE id IN (SELECT id FROM q LIMIT $1 FOR UPDATE SKIP LOCKED) "
            "RETURNING id"
        ),
        "UPDATE q SET n = 1 WHERE id IN (SELECT id FROM q LIMIT ?1) RETURNING id"
    );
    EXPECT_EQ(to_sqlite_dialect("SELECT 'FOR UPDATE'"), "SELECT 'FOR UPDATE'");
    EXPECT_EQ(to_sqlite_dialect("SELECT x FOR UPDATES"), "SELECT x FOR UPDATES");
}

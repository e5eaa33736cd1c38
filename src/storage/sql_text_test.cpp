#include "storage/sql_text.hpp"

#include <gtest/gtest.h>

using yoyaku::storage::append_list;
using yoyaku::storage::to_sqlite_dialect;
using yoyaku::storage::Value;

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

TEST(SqlText, AppendsAListOfParametersAfterThoseThere) {
    std::vector<Value> params{std::int64_t{7}};
    EXPECT_EQ(append_list(params, std::vector<std::int64_t>{3, 4}), "$2, $3");
    EXPECT_EQ(append_list(params, std::vector<std::string>{"a"}), "$4");
    ASSERT_EQ(params.size(), 4u);
    EXPECT_EQ(std::get<std::int64_t>(params[2]), 4);
    EXPECT_EQ(std::get<std::string>(params[3]), "a");
}

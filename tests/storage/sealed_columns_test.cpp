// Every sealed column of the schema is declared by the store that owns its table (ADR 0016),
// so key rotation re-seals it: a new `*_sealed` column without a declaration fails here, on
// both databases, as does a declaration whose column is gone.

#include <gtest/gtest.h>

#include <set>

#include "domain/rekey/rekey.hpp"
#include "storage/catalog.hpp"
#include "support/test_database.hpp"

using namespace yoyaku;
using yoyaku::testing::TestDatabase;

namespace {

class SealedColumns : public ::testing::TestWithParam<storage::Backend> {};

using Column = std::pair<std::string, std::string>;

// The schema's columns whose name ends in _sealed, as (table, column).
std::set<Column> sealed_in_schema(storage::Database& db) {
    auto cols = db.read_platform([](storage::Tx& tx) {
        return storage::columns_ending_with(tx, "_sealed");
    });
    EXPECT_TRUE(cols) << cols.error().detail;
    return cols ? std::set<Column>(cols->begin(), cols->end()) : std::set<Column>{};
}

}  // namespace

TEST_P(SealedColumns, EverySealedColumnOfTheSchemaIsDeclaredByItsStore) {
    TestDatabase tdb(GetParam());
    YOYAKU_REQUIRE_BACKEND(tdb);
    const auto schema = sealed_in_schema(tdb.db());
    std::set<Column> declared;
    for (const auto& c : rekey::sealed_columns())
        declared.insert({std::string(c.table), std::string(c.column)});
    EXPECT_GE(schema.size(), 9u);  // the walk found the columns at all
    for (const auto& c : schema)
        EXPECT_TRUE(declared.count(c))
            << c.first << "." << c.second << " is sealed but no store declares it";
    for (const auto& c : declared)
        EXPECT_TRUE(schema.count(c))
            << c.first << "." << c.second << " is declared but not in the schema";
    EXPECT_EQ(declared.size(), rekey::sealed_columns().size()) << "a column is declared twice";
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    SealedColumns,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    [](const ::testing::TestParamInfo<storage::Backend>& p) {
        return std::string(storage::to_string(p.param));
    }
);

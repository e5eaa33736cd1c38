#include "core/result.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace yoyaku;

namespace {
Result<int> half(int x) {
    if (x % 2) return Error::invalid("x", "must be even");
    return x / 2;
}
Result<int> quarter(int x) {
    YOYAKU_TRY_ASSIGN(auto h, half(x));
    return half(h);
}
Result<void> check(int x) {
    YOYAKU_TRY(half(x));
    return {};
}
Result<int> eighth(int x) {
    YOYAKU_TRY_ASSIGN(const int h, half(x));
    int q = 0;
    YOYAKU_TRY_ASSIGN(q, half(h));
    YOYAKU_TRY_ASSIGN(auto e, half(q));
    return e;
}
}  // namespace

TEST(Result, CarriesValueOrError) {
    EXPECT_EQ(*quarter(8), 2);
    auto r = quarter(6);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);
    EXPECT_EQ(r.error().field, "x");
}

TEST(Result, TryPropagatesError) {
    EXPECT_TRUE(check(4));
    auto r = check(3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "must be even");
}

TEST(Result, TryAssignMovesTheValueOrReturnsTheError) {
    EXPECT_EQ(*eighth(16), 2);
    auto r = eighth(12);  // 12 → 6 → 3: the third step fails
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "x");
}

TEST(Errc, EveryCodeHasADistinctName) {
    std::set<std::string_view> names;
    for (auto c : kAllErrcs) names.insert(to_string(c));
    EXPECT_EQ(names.size(), std::size(kAllErrcs));
}

// allocate(): the fair draw as a pure function of seed, applicants and free seats.

#include <gtest/gtest.h>

#include "domain/bookings/lottery/lottery.hpp"

using namespace yoyaku;
using namespace yoyaku::bookings;

namespace {

const std::string kSeed(64, 'a');
const OccurrenceId kA{1}, kB{2};

std::vector<Applicant> applicants(int n, int seats, std::vector<OccurrenceId> prefs) {
    std::vector<Applicant> out;
    for (int i = 0; i < n; ++i) out.push_back({"REF" + std::to_string(i), seats, prefs});
    return out;
}

int winners(const std::vector<std::pair<std::string, std::optional<OccurrenceId>>>& a) {
    int n = 0;
    for (const auto& [ref, won] : a) n += won.has_value();
    return n;
}

}  // namespace

TEST(Allocate, TheSameInputsGiveTheSameDrawAndTheOrderDoesNotMatter) {
    auto in = applicants(8, 1, {kA});
    auto first = allocate(kSeed, in, {{kA, 3}});
    std::reverse(in.begin(), in.end());
    EXPECT_EQ(allocate(kSeed, in, {{kA, 3}}), first);
    EXPECT_EQ(winners(first), 3);
    EXPECT_EQ(first.size(), 8u);
}

TEST(Allocate, AnotherSeedOrdersTheApplicantsAnotherWay) {
    const auto in = applicants(8, 1, {kA});
    EXPECT_NE(allocate(kSeed, in, {{kA, 3}}), allocate(std::string(64, 'b'), in, {{kA, 3}}));
}

TEST(Allocate, EachGetsTheirFirstPreferenceWithRoomAndAGroupIsNeverSplit) {
    // Everyone prefers A (2 seats) then B (3 seats); groups of 2: one wins A, one wins B, the
    // third loses although a seat of B is left.
    const auto out = allocate(kSeed, applicants(3, 2, {kA, kB}), {{kA, 2}, {kB, 3}});
    int a = 0, b = 0, lost = 0;
    for (const auto& [ref, won] : out) {
        if (!won)
            ++lost;
        else if (*won == kA)
            ++a;
        else if (*won == kB)
            ++b;
    }
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 1);
    EXPECT_EQ(lost, 1);
}

TEST(Allocate, NoSeatsOrNoApplicantsGiveNobodyAnything) {
    EXPECT_EQ(winners(allocate(kSeed, applicants(4, 1, {kA}), {{kA, 0}})), 0);
    EXPECT_TRUE(allocate(kSeed, {}, {{kA, 5}}).empty());
    EXPECT_EQ(winners(allocate(kSeed, applicants(2, 1, {kB}), {{kA, 5}})), 0);
}

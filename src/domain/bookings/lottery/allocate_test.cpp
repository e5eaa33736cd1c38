// allocate(): the fair draw as a pure function of seed, applicants and free seats.

#include <gtest/gtest.h>

#include "crypto/hash.hpp"
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

namespace {

Entrant entrant(
    std::string ref, int tier, int max_wins, std::vector<std::vector<std::string>> choices
) {
    Entrant e{std::move(ref), tier, max_wins, {}};
    for (auto& c : choices) {
        Claim claim;
        for (auto& key : c) claim.units.emplace_back(std::move(key), 1);
        e.choices.push_back(std::move(claim));
    }
    return e;
}

std::map<std::string, std::vector<int>> by_ref(
    const std::vector<std::pair<std::string, std::vector<int>>>& a
) {
    return {a.begin(), a.end()};
}

}  // namespace

TEST(Allot, AHigherTierIsServedBeforeAnyoneOfTheNext) {
    // Residents (tier 0) and others (tier 1) all want the one slot: whatever the seed, a
    // resident wins it, and the draw lists the residents first.
    for (const auto* seed : {"a", "b", "c", "d", "e"}) {
        std::vector<Entrant> in;
        for (int i = 0; i < 5; ++i) in.push_back(entrant("O" + std::to_string(i), 1, 1, {{"x"}}));
        in.push_back(entrant("R0", 0, 1, {{"x"}}));
        in.push_back(entrant("R1", 0, 1, {{"x"}}));
        const auto out = allot(std::string(64, *seed), in, {{"x", 1}});
        ASSERT_EQ(out.size(), 7u);
        EXPECT_EQ(out[0].first[0], 'R');
        EXPECT_EQ(out[1].first[0], 'R');
        int wins = 0;
        for (const auto& [ref, won] : out) {
            if (won.empty()) continue;
            ++wins;
            EXPECT_EQ(ref[0], 'R');
        }
        EXPECT_EQ(wins, 1);
    }
}

TEST(Allot, RoundsGiveEveryoneOneBeforeAnyoneTwo) {
    // Two entrants may win two each; three slots: the first in the draw order wins two, the
    // other one, and each wins their best-ranked free choices.
    const std::vector<Entrant> in = {
        entrant("A", 0, 2, {{"s1"}, {"s2"}, {"s3"}}), entrant("B", 0, 2, {{"s1"}, {"s2"}, {"s3"}})};
    const auto out = allot(kSeed, in, {{"s1", 1}, {"s2", 1}, {"s3", 1}});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].second, (std::vector<int>{0, 2}));
    EXPECT_EQ(out[1].second, (std::vector<int>{1}));
    EXPECT_EQ(by_ref(out), by_ref(allot(kSeed, {in[1], in[0]}, {{"s1", 1}, {"s2", 1}, {"s3", 1}})));
}

TEST(Allot, AChoiceOfSeveralUnitsIsWonWholeOrNotAtAll) {
    // A wants morning+afternoon; B wants the afternoon only. Whoever draws first, nobody holds
    // half of A's choice.
    for (const auto* seed : {"a", "b", "c", "d"}) {
        const auto out = by_ref(allot(
            std::string(64, *seed),
            {entrant("A", 0, 1, {{"am", "pm"}}), entrant("B", 0, 1, {{"pm"}})},
            {{"am", 1}, {"pm", 1}}
        ));
        EXPECT_NE(out.at("A").empty(), out.at("B").empty()) << seed;
    }
    const auto none = by_ref(allot(kSeed, {entrant("A", 0, 1, {{"am", "pm"}})}, {{"am", 1}}));
    EXPECT_TRUE(none.at("A").empty());
}

TEST(Allot, TheEventLotteryIsTheSameDrawAsBefore) {
    // allocate() over allot(): the order is BLAKE2b(seed:reference) as the event lottery
    // recorded it, so draws made before verify the same.
    const auto in = applicants(6, 1, {kA});
    const auto out = allocate(kSeed, in, {{kA, 6}});
    std::vector<std::string> expected;
    for (const auto& a : in) expected.push_back(a.reference);
    std::sort(expected.begin(), expected.end(), [](const auto& x, const auto& y) {
        return crypto::blake2b_256_hex(kSeed + ":" + x) < crypto::blake2b_256_hex(kSeed + ":" + y);
    });
    std::vector<std::string> got;
    for (const auto& [ref, won] : out) got.push_back(ref);
    EXPECT_EQ(got, expected);
}

// itemise(): a rental's fee table, line by line and to the yen.

#include "domain/offerings/fees.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::offerings;

namespace {

FeeLine division(const char* label, std::int64_t price) {
    return {"room", label, price, 1, price};
}

const Surcharge kAdmission{"admission", "入場料を徴収する", 50, 0};
const Surcharge kCommercial{"commercial", "営利目的", 100, 0};
const Surcharge kHeating{"heating", "冷暖房", 0, 500};

struct Case {
    const char* name;
    FeeBasis basis;
    std::vector<FeeLine> lines;
    std::int64_t total;
};

std::vector<Case> cases() {
    const auto morning = division("午前 09:00–12:00", 3000);
    const auto afternoon = division("午後 13:00–17:00", 4000);
    return {
        {"one division, nothing else", {{morning}, 1}, {morning}, 3000},
        {"two divisions", {{morning, afternoon}, 2}, {morning, afternoon}, 7000},
        {"admission charged: +50 % of the room",
         {{morning, afternoon}, 2, {kAdmission}},
         {morning, afternoon, {"surcharge", "入場料を徴収する (+50%)", 3500, 1, 3500}},
         10500},
        {"commercial and admission add up on the room, not on each other",
         {{morning, afternoon}, 2, {kCommercial, kAdmission}},
         {morning,
          afternoon,
          {"surcharge", "営利目的 (+100%)", 7000, 1, 7000},
          {"surcharge", "入場料を徴収する (+50%)", 3500, 1, 3500}},
         17500},
        {"per-division surcharge counts the divisions",
         {{morning, afternoon}, 2, {kHeating}},
         {morning, afternoon, {"surcharge", "冷暖房", 500, 2, 1000}},
         8000},
        {"equipment: price × quantity × divisions",
         {{morning, afternoon}, 2, {}, {{"プロジェクター", 1000, 1}, {"マイク", 300, 3}}},
         {morning,
          afternoon,
          {"equipment", "プロジェクター", 1000, 2, 2000},
          {"equipment", "マイク", 300, 6, 1800}},
         10800},
        {"a reducing class takes its percent of the room with percentage surcharges only",
         {{morning, afternoon}, 2, {kAdmission, kHeating}, {{"ピアノ", 2000, 1}}, 50, "市内団体"},
         {morning,
          afternoon,
          {"surcharge", "入場料を徴収する (+50%)", 3500, 1, 3500},
          {"class", "市内団体 (50%)", -5250, 1, -5250},
          {"surcharge", "冷暖房", 500, 2, 1000},
          {"equipment", "ピアノ", 2000, 2, 4000}},
         10250},
        {"a class above 100 % adds, rounded down",
         {{division("夜間 18:00–21:30", 3333)}, 1, {}, {}, 150, "市外"},
         {division("夜間 18:00–21:30", 3333), {"class", "市外 (150%)", 1666, 1, 1666}},
         4999},
        {"percent surcharge rounds down to the yen",
         {{division("午前", 3333)}, 1, {kAdmission}},
         {division("午前", 3333), {"surcharge", "入場料を徴収する (+50%)", 1666, 1, 1666}},
         4999},
        {"a free class (0 %) leaves equipment to pay",
         {{morning}, 1, {}, {{"机", 100, 5}}, 0, "減免"},
         {morning, {"class", "減免 (0%)", -3000, 1, -3000}, {"equipment", "机", 100, 5, 500}},
         500},
        {"blocks of an hourly rental: one room line",
         {{{"room", "会議室A", 1500, 3, 4500}}, 3, {kHeating}},
         {{"room", "会議室A", 1500, 3, 4500}, {"surcharge", "冷暖房", 500, 3, 1500}},
         6000},
    };
}

}  // namespace

TEST(Fees, ItemiseAFeeTableToTheYen) {
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name);
        const auto lines = itemise(c.basis);
        ASSERT_EQ(lines.size(), c.lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            EXPECT_EQ(lines[i].kind, c.lines[i].kind) << i;
            EXPECT_EQ(lines[i].label, c.lines[i].label) << i;
            EXPECT_EQ(lines[i].unit_jpy, c.lines[i].unit_jpy) << i;
            EXPECT_EQ(lines[i].quantity, c.lines[i].quantity) << i;
            EXPECT_EQ(lines[i].amount_jpy, c.lines[i].amount_jpy) << i;
        }
        EXPECT_EQ(total_of(lines), c.total);
    }
}

TEST(Fees, TaxIncludedIsStatedRoundedDown) {
    EXPECT_EQ(tax_included(10250, 10), 931);  // 931.8…
    EXPECT_EQ(tax_included(11000, 10), 1000);
    EXPECT_EQ(tax_included(1080, 8), 80);
    EXPECT_EQ(tax_included(-1100, 10), -100);
}

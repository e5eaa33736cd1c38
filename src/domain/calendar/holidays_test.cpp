#include "domain/calendar/holidays.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace yoyaku::calendar {
namespace {

using namespace std::chrono;

std::string key(year_month_day d) {
    return std::to_string(static_cast<unsigned>(d.month())) + "/" +
           std::to_string(static_cast<unsigned>(d.day()));
}

// "M/D name" of a year, to compare with the Cabinet Office's published list.
std::vector<std::string> listing(int y) {
    std::vector<std::string> out;
    for (const auto& h : japanese_holidays(y))
        out.push_back(key(h.date) + " " + std::string(h.name_ja));
    return out;
}

// 内閣府「国民の祝日について」: the 2026 calendar, with a substitute holiday (5/6) and a
// citizens' holiday between Respect for the Aged Day and the equinox (9/22).
TEST(Holidays, Year2026MatchesTheCabinetOfficeList) {
    const std::vector<std::string> want = {
        "1/1 元日",
        "1/12 成人の日",
        "2/11 建国記念の日",
        "2/23 天皇誕生日",
        "3/20 春分の日",
        "4/29 昭和の日",
        "5/3 憲法記念日",
        "5/4 みどりの日",
        "5/5 こどもの日",
        "5/6 振替休日",
        "7/20 海の日",
        "8/11 山の日",
        "9/21 敬老の日",
        "9/22 国民の休日",
        "9/23 秋分の日",
        "10/12 スポーツの日",
        "11/3 文化の日",
        "11/23 勤労感謝の日"};
    EXPECT_EQ(listing(2026), want);
}

// The enthronement year: May 1 and October 22 were holidays once, April 30 and May 2 became
// citizens' holidays, and there was no Emperor's Birthday.
TEST(Holidays, Year2019HasTheEnthronementHolidays) {
    const std::vector<std::string> want = {
        "1/1 元日",
        "1/14 成人の日",
        "2/11 建国記念の日",
        "3/21 春分の日",
        "4/29 昭和の日",
        "4/30 国民の休日",
        "5/1 天皇の即位の日",
        "5/2 国民の休日",
        "5/3 憲法記念日",
        "5/4 みどりの日",
        "5/5 こどもの日",
        "5/6 振替休日",
        "7/15 海の日",
        "8/11 山の日",
        "8/12 振替休日",
        "9/16 敬老の日",
        "9/23 秋分の日",
        "10/14 体育の日",
        "10/22 即位礼正殿の儀の行われる日",
        "11/3 文化の日",
        "11/4 振替休日",
        "11/23 勤労感謝の日"};
    EXPECT_EQ(listing(2019), want);
}

// The Olympic years moved Marine, Sports and Mountain Day.
TEST(Holidays, OlympicYearsMovedThreeHolidays) {
    auto is = [](int y, unsigned m, unsigned d) {
        return japanese_holiday(year{y} / month{m} / day{d}).has_value();
    };
    EXPECT_TRUE(is(2020, 7, 23) && is(2020, 7, 24) && is(2020, 8, 10));
    EXPECT_FALSE(is(2020, 7, 20) || is(2020, 8, 11) || is(2020, 10, 12));
    EXPECT_TRUE(is(2021, 7, 22) && is(2021, 7, 23) && is(2021, 8, 8) && is(2021, 8, 9));
    EXPECT_FALSE(is(2021, 10, 11));
    EXPECT_TRUE(is(2020, 2, 24)) << "the Emperor's Birthday fell on a Sunday";
}

TEST(Holidays, KnownDatesAcrossTheYears) {
    const std::map<std::string, std::string> known = {
        {"2000-01-10", "成人の日"},  // the first Happy Monday
        {"2006-04-29", "みどりの日"},
        {"2007-04-29", "昭和の日"},
        {"2008-05-06", "振替休日"},  // Greenery Day on Sunday → after Children's Day
        {"2009-09-22", "国民の休日"},
        {"2015-09-22", "国民の休日"},
        {"2016-08-11", "山の日"},
        {"2018-12-24", "振替休日"},
        {"2025-03-20", "春分の日"},
        {"2025-09-23", "秋分の日"},
        {"2027-03-21", "春分の日"},
        {"2032-09-20", "敬老の日"},
        {"2033-09-23", "秋分の日"},
        {"2035-03-21", "春分の日"},
        {"2035-09-24", "振替休日"},  // the equinox on Sunday 9/23
    };
    for (const auto& [date, name] : known) {
        const int y = std::stoi(date.substr(0, 4));
        const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
        const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
        auto h = japanese_holiday(year{y} / month{m} / day{d});
        ASSERT_TRUE(h) << date;
        EXPECT_EQ(h->name_ja, name) << date;
    }
    EXPECT_FALSE(japanese_holiday(year{2026} / 1 / 2)) << "not a national holiday";
    EXPECT_FALSE(japanese_holiday(year{2019} / 12 / 23)) << "no Emperor's Birthday in 2019";
}

// Through 2035 every year has 15–22 holidays in order, none twice, no substitute or citizens'
// holiday on a Sunday, and every holiday on a Sunday is followed by a substitute.
TEST(Holidays, EveryYearThrough2035IsConsistent) {
    for (int y = kFirstHolidayYear; y <= 2035; ++y) {
        const auto list = japanese_holidays(y);
        EXPECT_GE(list.size(), 15u) << y;
        EXPECT_LE(list.size(), 22u) << y;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i > 0) {
                EXPECT_LT(list[i - 1].date, list[i].date) << y;
            }
            const bool sunday = weekday{sys_days{list[i].date}} == Sunday;
            const auto name = list[i].name_ja;
            if (name == "振替休日" || name == "国民の休日") {
                EXPECT_FALSE(sunday) << y;
            }
            if (sunday && y >= 2007) {
                bool moved = false;
                for (auto d = sys_days{list[i].date} + days{1};; d += days{1}) {
                    auto h = japanese_holiday(year_month_day{d});
                    if (!h) break;
                    if (h->name_ja == "振替休日") moved = true;
                }
                EXPECT_TRUE(moved) << y << " " << key(list[i].date);
            }
        }
    }
    EXPECT_TRUE(japanese_holidays(1999).empty());
    EXPECT_TRUE(japanese_holidays(2100).empty());
}

}  // namespace
}  // namespace yoyaku::calendar

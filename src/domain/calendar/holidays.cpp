#include "domain/calendar/holidays.hpp"

#include <algorithm>
#include <cmath>

namespace yoyaku::calendar {
namespace {

using namespace std::chrono;

year_month_day ymd(int y, unsigned m, unsigned d) {
    return year{y} / month{m} / day{d};
}

// The n-th Monday of a month ("Happy Monday" holidays).
year_month_day nth_monday(int y, unsigned m, unsigned n) {
    return year_month_day{year{y} / month{m} / weekday_indexed{Monday, n}};
}

// Day of the vernal (base 20.8431) or autumnal (23.2488) equinox in Japan, 1980–2099.
unsigned equinox_day(int y, double base) {
    const int n = y - 1980;
    return static_cast<unsigned>(std::floor(base + 0.242194 * n - std::floor(n / 4.0)));
}

bool is_sunday(year_month_day d) {
    return weekday{sys_days{d}} == Sunday;
}

}  // namespace

namespace {

// The holidays the law names for year `y`, by date.
std::vector<Holiday> named_holidays(int y) {
    std::vector<Holiday> h;
    auto add = [&](year_month_day d, std::string_view ja, std::string_view en) {
        h.push_back({d, ja, en});
    };
    add(ymd(y, 1, 1), "元日", "New Year's Day");
    add(nth_monday(y, 1, 2), "成人の日", "Coming of Age Day");
    add(ymd(y, 2, 11), "建国記念の日", "National Foundation Day");
    if (y >= 2020) add(ymd(y, 2, 23), "天皇誕生日", "Emperor's Birthday");
    add(ymd(y, 3, equinox_day(y, 20.8431)), "春分の日", "Vernal Equinox Day");
    if (y >= 2007)
        add(ymd(y, 4, 29), "昭和の日", "Showa Day");
    else
        add(ymd(y, 4, 29), "みどりの日", "Greenery Day");
    if (y == 2019) add(ymd(y, 5, 1), "天皇の即位の日", "Enthronement Day");
    add(ymd(y, 5, 3), "憲法記念日", "Constitution Memorial Day");
    if (y >= 2007) add(ymd(y, 5, 4), "みどりの日", "Greenery Day");
    add(ymd(y, 5, 5), "こどもの日", "Children's Day");
    // Marine Day: July 20 until 2002, then the third Monday; moved for the Tokyo Olympics.
    if (y == 2020)
        add(ymd(y, 7, 23), "海の日", "Marine Day");
    else if (y == 2021)
        add(ymd(y, 7, 22), "海の日", "Marine Day");
    else if (y >= 2003)
        add(nth_monday(y, 7, 3), "海の日", "Marine Day");
    else
        add(ymd(y, 7, 20), "海の日", "Marine Day");
    if (y == 2020)
        add(ymd(y, 7, 24), "スポーツの日", "Sports Day");
    else if (y == 2021)
        add(ymd(y, 7, 23), "スポーツの日", "Sports Day");
    // Mountain Day from 2016; moved for the Olympics.
    if (y == 2020)
        add(ymd(y, 8, 10), "山の日", "Mountain Day");
    else if (y == 2021)
        add(ymd(y, 8, 8), "山の日", "Mountain Day");
    else if (y >= 2016)
        add(ymd(y, 8, 11), "山の日", "Mountain Day");
    // Respect for the Aged Day: September 15 until 2002, then the third Monday.
    if (y >= 2003)
        add(nth_monday(y, 9, 3), "敬老の日", "Respect for the Aged Day");
    else
        add(ymd(y, 9, 15), "敬老の日", "Respect for the Aged Day");
    add(ymd(y, 9, equinox_day(y, 23.2488)), "秋分の日", "Autumnal Equinox Day");
    // Health and Sports Day, the second Monday of October; Sports Day from 2020 (moved to July
    // in 2020 and 2021).
    if (y < 2020)
        add(nth_monday(y, 10, 2), "体育の日", "Health and Sports Day");
    else if (y > 2021)
        add(nth_monday(y, 10, 2), "スポーツの日", "Sports Day");
    if (y == 2019) add(ymd(y, 10, 22), "即位礼正殿の儀の行われる日", "Enthronement Ceremony Day");
    add(ymd(y, 11, 3), "文化の日", "Culture Day");
    add(ymd(y, 11, 23), "勤労感謝の日", "Labour Thanksgiving Day");
    if (y <= 2018) add(ymd(y, 12, 23), "天皇誕生日", "Emperor's Birthday");
    std::sort(h.begin(), h.end(), [](const Holiday& a, const Holiday& b) {
        return a.date < b.date;
    });
    return h;
}

// The days the law derives from them: citizens' holidays between two holidays and substitute
// holidays after one on a Sunday. Answers all, by date.
std::vector<Holiday> with_derived(std::vector<Holiday> h, int y) {
    auto holiday = [&](year_month_day d) {
        return std::any_of(h.begin(), h.end(), [&](const Holiday& x) { return x.date == d; });
    };
    std::vector<Holiday> extra;
    // Citizens' holiday: a day that is not a holiday (nor a Sunday) between two holidays.
    for (std::size_t i = 0; i + 1 < h.size(); ++i) {
        const auto between = year_month_day{sys_days{h[i].date} + days{1}};
        if (year_month_day{sys_days{between} + days{1}} == h[i + 1].date && !holiday(between) &&
            !is_sunday(between))
            extra.push_back({between, "国民の休日", "Citizens' Holiday"});
    }
    // Substitute holiday: a holiday on a Sunday moves to the next day that is not a holiday
    // (from 2007; before, only to a Monday that was not one).
    for (const auto& x : h) {
        if (!is_sunday(x.date)) continue;
        auto next = year_month_day{sys_days{x.date} + days{1}};
        if (y >= 2007)
            while (holiday(next)) next = year_month_day{sys_days{next} + days{1}};
        else if (holiday(next))
            continue;
        extra.push_back({next, "振替休日", "Substitute Holiday"});
    }
    for (const auto& x : extra)
        if (!holiday(x.date)) h.push_back(x);
    std::stable_sort(h.begin(), h.end(), [](const Holiday& a, const Holiday& b) {
        return a.date < b.date;
    });
    h.erase(
        std::unique(
            h.begin(), h.end(), [](const Holiday& a, const Holiday& b) { return a.date == b.date; }
        ),
        h.end()
    );
    return h;
}

}  // namespace

std::vector<Holiday> japanese_holidays(int y) {
    if (y < kFirstHolidayYear || y > kLastHolidayYear) return {};
    return with_derived(named_holidays(y), y);
}

std::optional<Holiday> japanese_holiday(std::chrono::year_month_day date) {
    for (const auto& h : japanese_holidays(static_cast<int>(date.year())))
        if (h.date == date) return h;
    return std::nullopt;
}

}  // namespace yoyaku::calendar

#pragma once
// Japan's national holidays (国民の祝日), computed: fixed dates, "Happy Monday" holidays, the
// equinox days by the standard approximation (valid 1980–2099), the 2019–2021 one-off moves
// (enthronement, Olympics), substitute holidays (振替休日: a holiday on a Sunday moves to the
// next day that is not one) and citizens' holidays (国民の休日: a day between two holidays).
// Rules as of the current law, for 2000–2099; a future change of the law is a code change
// with its tests. Tenants may treat these as closed days.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace yoyaku::calendar {

struct Holiday {
    std::chrono::year_month_day date;
    std::string_view name_ja;
    std::string_view name_en;
};

inline constexpr int kFirstHolidayYear = 2000;
inline constexpr int kLastHolidayYear = 2099;

/// The holidays of `year`, in date order; empty outside kFirstHolidayYear..kLastHolidayYear.
std::vector<Holiday> japanese_holidays(int year);

/// The holiday on `date`, if it is one.
std::optional<Holiday> japanese_holiday(std::chrono::year_month_day date);

}  // namespace yoyaku::calendar

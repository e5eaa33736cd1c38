#pragma once
// A resource as the API reads it: the domain's ResourceInput described once (created whole,
// changed member by member with PATCH), hours as {"mon": [{"opens": "HH:MM", "closes":
// "HH:MM"}, …], …}, and the body of a date's exception.

#include <boost/describe.hpp>
#include <optional>

#include "domain/resources/resources.hpp"
#include "http/json/described.hpp"

namespace yoyaku::resources {

BOOST_DESCRIBE_ENUM(Kind, room, facility, equipment, staff)
BOOST_DESCRIBE_ENUM(DayType, every_day, weekday, holiday)
BOOST_DESCRIBE_STRUCT(Division, (), (code, name, days, starts, ends, price_jpy))
BOOST_DESCRIBE_STRUCT(
    ResourceInput,
    (),
    (kind,
     name,
     description,
     units,
     seats,
     buffer_before_minutes,
     buffer_after_minutes,
     closed_on_holidays,
     account_id,
     hours,
     parts,
     divisions)
)

}  // namespace yoyaku::resources

namespace yoyaku::http {

template <>
struct Required<resources::ResourceInput> {
    static constexpr std::array<std::string_view, 2> names{"kind", "name"};
};
template <>
struct Required<resources::Division> {
    static constexpr std::array<std::string_view, 5> names{
        "code", "name", "starts", "ends", "price_jpy"};
};

/// One day's opening intervals, checked as a whole (refusals name the day).
template <>
struct Reader<resources::DayHours> {
    static Result<void> read(
        const boost::json::value& v, const std::string& field, resources::DayHours& out
    );
};
/// The week by weekday name; a day not named is closed.
template <>
struct Reader<resources::WeeklyHours> {
    static Result<void> read(
        const boost::json::value& v, const std::string& field, resources::WeeklyHours& out
    );
};

/// PUT /api/v1/resources/{resource_id}/exceptions/{date}: no hours is closed all day.
struct ExceptionBody {
    resources::DayHours hours;
    std::optional<Text<800>> note;
};
BOOST_DESCRIBE_STRUCT(ExceptionBody, (), (hours, note))

}  // namespace yoyaku::http

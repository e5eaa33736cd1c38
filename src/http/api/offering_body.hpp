#pragma once
// An offering as the API reads and writes it: the domain's own structs, described once here
// (http/json/described.hpp reads a request and writes an answer from these declarations).

#include <boost/describe.hpp>

#include "domain/offerings/offering.hpp"
#include "http/json/described.hpp"

namespace yoyaku::offerings {

BOOST_DESCRIBE_ENUM(OfferingKind, appointment, rental, event, course)
BOOST_DESCRIBE_ENUM(QuestionType, text, choice, checkbox)
BOOST_DESCRIBE_ENUM(WaitlistMode, off, offer, automatic)
BOOST_DESCRIBE_ENUM(Payment, on_site, online_now, online_later)

BOOST_DESCRIBE_STRUCT(TicketType, (), (code, name, price_jpy, max_per_order, category_prices))
BOOST_DESCRIBE_STRUCT(Question, (), (id, label, type, required, options))
BOOST_DESCRIBE_STRUCT(FeeTier, (), (within_minutes, percent))
BOOST_DESCRIBE_STRUCT(CustomerLimits, (), (per_day, per_week, per_month, active, by_resource))
BOOST_DESCRIBE_STRUCT(LotteryRules, (), (applications_close_at, draw_at, first_come_at))
BOOST_DESCRIBE_STRUCT(EquipmentOption, (), (resource_id, price_jpy, max_quantity, name))
BOOST_DESCRIBE_STRUCT(Surcharge, (), (code, name, percent, per_block_jpy))
BOOST_DESCRIBE_STRUCT(
    OfferingInput,
    (),
    (kind,
     name,
     description,
     published,
     opens_before_minutes,
     closes_before_minutes,
     cancel_before_minutes,
     max_per_order,
     ticket_types,
     duration_minutes,
     slot_step_minutes,
     min_blocks,
     max_blocks,
     price_jpy,
     requires_approval,
     resource_ids,
     room_id,
     applications_open_at,
     applications_close_at,
     hold_minutes,
     questions,
     reminder_minutes,
     cancellation_fees,
     limits,
     waitlist,
     waitlist_offer_minutes,
     lottery,
     pay_by_minutes,
     payment,
     tax_rate,
     no_show_release_minutes,
     seat_map_id,
     provisional_minutes,
     by_division,
     equipment,
     surcharges,
     online_url,
     zoom_meetings)
)
BOOST_DESCRIBE_STRUCT(Offering, (OfferingInput), (id, created_at))

}  // namespace yoyaku::offerings

namespace yoyaku::http {

template <>
struct Required<offerings::OfferingInput> {
    static constexpr std::array<std::string_view, 2> names{"kind", "name"};
};
template <>
struct Required<offerings::TicketType> {
    static constexpr std::array<std::string_view, 3> names{"code", "name", "price_jpy"};
};
template <>
struct Required<offerings::Question> {
    static constexpr std::array<std::string_view, 3> names{"id", "label", "type"};
};
template <>
struct Required<offerings::FeeTier> {
    static constexpr std::array<std::string_view, 2> names{"within_minutes", "percent"};
};
template <>
struct Required<offerings::EquipmentOption> {
    static constexpr std::array<std::string_view, 2> names{"resource_id", "price_jpy"};
};
template <>
struct Required<offerings::Surcharge> {
    static constexpr std::array<std::string_view, 2> names{"code", "name"};
};
template <>
struct Required<offerings::LotteryRules> {
    static constexpr std::array<std::string_view, 2> names{"applications_close_at", "draw_at"};
};

}  // namespace yoyaku::http

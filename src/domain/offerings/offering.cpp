#include "domain/offerings/offering.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "core/text.hpp"

namespace yoyaku::offerings {
namespace {

// A meeting link customers open from a mail, LINE or their calendar: https, a host, nothing a
// mail or a calendar line would break on (spaces, quotes, angle brackets, controls).
Result<void> check_online_url(const OfferingInput& in) {
    const std::string field = "online_url";
    if (in.kind == OfferingKind::rental)
        return Error::invalid(field, "a rental takes place at its room, not online");
    if (auto problem = text::https_url_problem(in.online_url, 500); !problem.empty())
        return Error::invalid(field, "the meeting link: " + problem);
    return {};
}

constexpr std::array<std::string_view, 4> kKinds = {"appointment", "rental", "event", "course"};
constexpr std::array<std::string_view, 3> kQuestionTypes = {"text", "choice", "checkbox"};
constexpr std::array<std::string_view, 3> kWaitlistModes = {"off", "offer", "automatic"};
constexpr std::array<std::string_view, 3> kPayments = {"on_site", "online_now", "online_later"};

Result<void> check_minutes(int v, int lo, int hi, const char* field, bool step);

Result<void> check_rules(OfferingInput& in) {
    if (in.cancellation_fees.size() > 10)
        return Error::invalid("cancellation_fees", "at most 10 tiers");
    for (std::size_t i = 0; i < in.cancellation_fees.size(); ++i) {
        const auto& t = in.cancellation_fees[i];
        const std::string f = "cancellation_fees[" + std::to_string(i) + "]";
        if (t.within_minutes < 1 || t.within_minutes > 525600)
            return Error::invalid(f + ".within_minutes", "must be 1 to 525600 (a year)");
        if (t.percent < 0 || t.percent > 100)
            return Error::invalid(f + ".percent", "must be 0 to 100");
        for (std::size_t k = 0; k < i; ++k)
            if (in.cancellation_fees[k].within_minutes == t.within_minutes)
                return Error::invalid(f + ".within_minutes", "is used by two tiers");
    }
    // Nearest the start last: the order quotes are read in.
    std::sort(
        in.cancellation_fees.begin(),
        in.cancellation_fees.end(),
        [](const auto& a, const auto& b) { return a.within_minutes > b.within_minutes; }
    );
    for (auto [name, v] :
         {std::pair{"limits.per_day", in.limits.per_day},
          {"limits.per_week", in.limits.per_week},
          {"limits.per_month", in.limits.per_month},
          {"limits.active", in.limits.active}})
        if (v < 0 || v > 1000) return Error::invalid(name, "must be 0 (no limit) to 1000");
    if (in.limits.by_resource && in.kind != OfferingKind::rental)
        return Error::invalid("limits.by_resource", "only rentals count by their resource");
    if (in.waitlist != WaitlistMode::off && in.kind != OfferingKind::event &&
        in.kind != OfferingKind::course)
        return Error::invalid("waitlist", "only events and courses keep a waitlist");
    YOYAKU_TRY(check_minutes(in.waitlist_offer_minutes, 5, 10080, "waitlist_offer_minutes", false));
    YOYAKU_TRY(check_minutes(in.pay_by_minutes, 0, 525600, "pay_by_minutes", false));
    if (in.payment == Payment::online_now && in.requires_approval)
        return Error::invalid("payment", "a booking paid at once cannot wait for approval");
    if (in.provisional_minutes != 0) {
        YOYAKU_TRY(check_minutes(in.provisional_minutes, 60, 129600, "provisional_minutes", false));
        if (in.payment == Payment::online_now)
            return Error::invalid("payment", "a booking paid at once is not provisional");
        if (in.lottery)
            return Error::invalid("provisional_minutes", "a lottery's winners are booked outright");
        if (in.waitlist == WaitlistMode::automatic)
            return Error::invalid("waitlist", "the automatic waitlist books outright");
    }
    if (in.no_show_release_minutes != 0) {
        YOYAKU_TRY(
            check_minutes(in.no_show_release_minutes, 5, 1440, "no_show_release_minutes", false)
        );
        if (in.kind != OfferingKind::event)
            return Error::invalid("no_show_release_minutes", "only an event's seats are released");
    }
    if (!in.online_url.empty()) YOYAKU_TRY(check_online_url(in));
    if (in.zoom_meetings && in.kind == OfferingKind::rental)
        return Error::invalid("zoom_meetings", "a rental takes place at its room, not online");
    if (in.zoom_meetings && !in.online_url.empty())
        return Error::invalid(
            "zoom_meetings", "a fixed meeting link (online_url) or Zoom, not both"
        );
    if (in.seat_map_id < 0) return Error::invalid("seat_map_id", "no seat map has this id");
    if (in.seat_map_id != 0 && in.kind != OfferingKind::event)
        return Error::invalid("seat_map_id", "only an event's seats are numbered");
    if (in.seat_map_id == 0 && prices_by_category(in.ticket_types))
        return Error::invalid(
            "ticket_types", "category prices need a seat map (seat_map_id) to have categories"
        );
    if (in.tax_rate != 10 && in.tax_rate != 8)
        return Error::invalid("tax_rate", "must be 10 or the reduced rate 8");
    if (in.payment == Payment::online_later && in.pay_by_minutes == 0)
        return Error::invalid("pay_by_minutes", "paying later needs a deadline");
    if (in.lottery) {
        if (in.kind != OfferingKind::event)
            return Error::invalid("lottery", "only events are drawn by lottery");
        if (prices_by_category(in.ticket_types))
            return Error::invalid(
                "lottery", "a lottery draws places, not seat categories: price by ticket type only"
            );
        if (in.lottery->draw_at < in.lottery->applications_close_at)
            return Error::invalid("lottery.draw_at", "must not be before applications_close_at");
        if (in.lottery->first_come_at && *in.lottery->first_come_at < in.lottery->draw_at)
            return Error::invalid("lottery.first_come_at", "must not be before draw_at");
    }
    return {};
}

// A seat map's category code (seating/seat_map.hpp): 1–16 of A-Z a-z 0-9 _ -.
bool seating_code(std::string_view s) {
    return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

bool is_code(std::string_view s) {
    if (s.empty() || s.size() > 32) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

Result<void> check_minutes(int v, int lo, int hi, const char* field, bool step) {
    if (v < lo || v > hi || (step && v % kBucket.count() != 0))
        return Error::invalid(
            field,
            "must be " + std::to_string(lo) + " to " + std::to_string(hi) +
                (step ? " minutes, a multiple of 5" : "")
        );
    return {};
}

Result<std::vector<TicketType>> check_ticket_types(const std::vector<TicketType>& in) {
    if (in.empty() || in.size() > 20)
        return Error::invalid("ticket_types", "events and courses need 1 to 20 ticket types");
    std::vector<TicketType> types;
    for (std::size_t i = 0; i < in.size(); ++i) {
        auto t = in[i];
        const std::string f = "ticket_types[" + std::to_string(i) + "]";
        if (!is_code(t.code))
            return Error::invalid(f + ".code", "must be 1–32 of a-z, 0-9, _ and -");
        for (const auto& seen : types)
            if (seen.code == t.code) return Error::invalid(f + ".code", "is used twice");
        auto n = text::check_line(t.name, 1, 100);
        if (!n.value) return Error::invalid(f + ".name", n.problem);
        t.name = *n.value;
        if (t.price_jpy < 0 || t.price_jpy > 10'000'000)
            return Error::invalid(f + ".price_jpy", "must be 0 to 10000000 yen");
        if (t.max_per_order < 1 || t.max_per_order > 100)
            return Error::invalid(f + ".max_per_order", "must be 1 to 100");
        if (t.category_prices.size() > 20)
            return Error::invalid(f + ".category_prices", "at most 20 seat categories");
        for (const auto& [category, price] : t.category_prices) {
            const auto cf = f + ".category_prices." + category;
            if (!seating_code(category))
                return Error::invalid(
                    f + ".category_prices", "a category is 1–16 of A-Z, a-z, 0-9, _ and -"
                );
            if (price < 0 || price > 10'000'000)
                return Error::invalid(cf, "must be 0 to 10000000 yen");
        }
        types.push_back(std::move(t));
    }
    return types;
}

Result<std::vector<Question>> check_questions(const std::vector<Question>& in) {
    if (in.size() > 20) return Error::invalid("questions", "at most 20 questions");
    std::vector<Question> out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        auto q = in[i];
        const std::string f = "questions[" + std::to_string(i) + "]";
        if (!is_code(q.id)) return Error::invalid(f + ".id", "must be 1–32 of a-z, 0-9, _ and -");
        for (const auto& seen : out)
            if (seen.id == q.id) return Error::invalid(f + ".id", "is used twice");
        auto label = text::check_line(q.label, 1, 200);
        if (!label.value) return Error::invalid(f + ".label", label.problem);
        q.label = *label.value;
        if (q.type == QuestionType::choice) {
            if (q.options.empty() || q.options.size() > 20)
                return Error::invalid(f + ".options", "a choice needs 1 to 20 options");
            for (std::size_t k = 0; k < q.options.size(); ++k) {
                auto o = text::check_line(q.options[k], 1, 100);
                if (!o.value)
                    return Error::invalid(f + ".options[" + std::to_string(k) + "]", o.problem);
                q.options[k] = *o.value;
            }
        } else if (!q.options.empty()) {
            return Error::invalid(f + ".options", "only a choice has options");
        }
        out.push_back(std::move(q));
    }
    return out;
}

// A rental's equipment and surcharges (which resources exist is OfferingService's to check).
Result<void> check_extras(OfferingInput& in) {
    if (in.kind != OfferingKind::rental) {
        if (in.by_division) return Error::invalid("by_division", "only rentals book divisions");
        if (!in.equipment.empty())
            return Error::invalid("equipment", "only rentals lend equipment");
        if (!in.surcharges.empty())
            return Error::invalid("surcharges", "only rentals have surcharges");
        return {};
    }
    if (in.equipment.size() > 20) return Error::invalid("equipment", "at most 20 items");
    for (std::size_t i = 0; i < in.equipment.size(); ++i) {
        const auto e = in.equipment[i];
        const std::string f = "equipment[" + std::to_string(i) + "]";
        for (std::size_t k = 0; k < i; ++k)
            if (in.equipment[k].resource_id == e.resource_id)
                return Error::invalid(f + ".resource_id", "is named twice");
        if (e.price_jpy < 0 || e.price_jpy > 10'000'000)
            return Error::invalid(f + ".price_jpy", "must be 0 to 10000000 yen");
        if (e.max_quantity < 1 || e.max_quantity > 100)
            return Error::invalid(f + ".max_quantity", "must be 1 to 100");
        if (!e.name.empty()) {
            auto n = text::check_line(e.name, 1, 100);
            if (!n.value) return Error::invalid(f + ".name", n.problem);
            in.equipment[i].name = *n.value;
        }
    }
    if (in.surcharges.size() > 10) return Error::invalid("surcharges", "at most 10 surcharges");
    for (std::size_t i = 0; i < in.surcharges.size(); ++i) {
        auto& x = in.surcharges[i];
        const std::string f = "surcharges[" + std::to_string(i) + "]";
        if (!is_code(x.code))
            return Error::invalid(f + ".code", "must be 1–32 of a-z, 0-9, _ and -");
        for (std::size_t k = 0; k < i; ++k)
            if (in.surcharges[k].code == x.code)
                return Error::invalid(f + ".code", "is used twice");
        auto n = text::check_line(x.name, 1, 100);
        if (!n.value) return Error::invalid(f + ".name", n.problem);
        x.name = *n.value;
        if ((x.percent != 0) == (x.per_block_jpy != 0))
            return Error::invalid(f, "give either percent or per_block_jpy");
        if (x.percent < 0 || x.percent > 900)
            return Error::invalid(f + ".percent", "must be 1 to 900");
        if (x.per_block_jpy < 0 || x.per_block_jpy > 10'000'000)
            return Error::invalid(f + ".per_block_jpy", "must be 0 to 10000000 yen");
    }
    return {};
}

}  // namespace

std::int64_t price_in(const TicketType& t, std::string_view category) {
    const auto it = t.category_prices.find(std::string(category));
    return it != t.category_prices.end() ? it->second : t.price_jpy;
}

bool prices_by_category(const std::vector<TicketType>& types) {
    return std::any_of(types.begin(), types.end(), [](const auto& t) {
        return !t.category_prices.empty();
    });
}

std::string_view to_string(OfferingKind k) noexcept {
    return kKinds[static_cast<std::size_t>(k)];
}

std::optional<OfferingKind> parse_offering_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (kKinds[i] == s) return static_cast<OfferingKind>(i);
    return std::nullopt;
}

std::string_view to_string(QuestionType t) noexcept {
    return kQuestionTypes[static_cast<std::size_t>(t)];
}

std::string_view to_string(WaitlistMode m) noexcept {
    return kWaitlistModes[static_cast<std::size_t>(m)];
}

std::string_view to_string(Payment p) noexcept {
    return kPayments[static_cast<std::size_t>(p)];
}

std::optional<Payment> parse_payment(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kPayments.size(); ++i)
        if (kPayments[i] == s) return static_cast<Payment>(i);
    return std::nullopt;
}

std::optional<WaitlistMode> parse_waitlist_mode(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kWaitlistModes.size(); ++i)
        if (kWaitlistModes[i] == s) return static_cast<WaitlistMode>(i);
    return std::nullopt;
}

std::optional<QuestionType> parse_question_type(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kQuestionTypes.size(); ++i)
        if (kQuestionTypes[i] == s) return static_cast<QuestionType>(i);
    return std::nullopt;
}

Result<OfferingInput> check(OfferingInput in) {
    auto name = text::check_line(in.name, 1, 200);
    if (!name.value) return Error::invalid("name", name.problem);
    in.name = *name.value;
    if (text::code_points(in.description) > 4000 || text::has_control_chars(in.description, true))
        return Error::invalid("description", "must be at most 4000 characters of text");
    if (in.opens_before_minutes) {
        YOYAKU_TRY(check_minutes(*in.opens_before_minutes, 0, 525600, "opens_before_minutes", false)
        );
    }
    YOYAKU_TRY(check_minutes(in.closes_before_minutes, 0, 525600, "closes_before_minutes", false));
    if (in.opens_before_minutes && *in.opens_before_minutes <= in.closes_before_minutes)
        return Error::invalid("opens_before_minutes", "must be more than closes_before_minutes");
    YOYAKU_TRY(check_minutes(in.cancel_before_minutes, 0, 525600, "cancel_before_minutes", false));
    if (in.max_per_order < 1 || in.max_per_order > 100)
        return Error::invalid("max_per_order", "must be 1 to 100");
    YOYAKU_TRY(check_minutes(in.hold_minutes, 1, 60, "hold_minutes", false));
    YOYAKU_TRY(check_minutes(in.reminder_minutes, 0, 20160, "reminder_minutes", false));
    if (in.price_jpy < 0 || in.price_jpy > 10'000'000)
        return Error::invalid("price_jpy", "must be 0 to 10000000 yen");
    YOYAKU_TRY_ASSIGN(in.questions, check_questions(in.questions));
    YOYAKU_TRY(check_rules(in));
    YOYAKU_TRY(check_extras(in));

    const bool seats = in.kind == OfferingKind::event || in.kind == OfferingKind::course;
    if (seats) {
        YOYAKU_TRY_ASSIGN(in.ticket_types, check_ticket_types(in.ticket_types));
        if (in.duration_minutes != 0 || in.slot_step_minutes != 0)
            return Error::invalid(
                "duration_minutes", "events and courses take their occurrences' times"
            );
        if (!in.resource_ids.empty() || in.room_id)
            return Error::invalid("resource_ids", "events and courses have seats, not resources");
        if (in.price_jpy != 0)
            return Error::invalid("price_jpy", "events and courses are priced by ticket type");
        if (in.min_blocks != 1 || in.max_blocks != 1)
            return Error::invalid("min_blocks", "only rentals have blocks");
        if (in.requires_approval)
            return Error::invalid("requires_approval", "only rentals wait for approval");
        if (in.kind == OfferingKind::event && (in.applications_open_at || in.applications_close_at))
            return Error::invalid(
                "applications_open_at", "only courses have an application period"
            );
        if (in.applications_open_at && in.applications_close_at &&
            *in.applications_close_at <= *in.applications_open_at)
            return Error::invalid("applications_close_at", "must be after applications_open_at");
        return in;
    }
    if (!in.ticket_types.empty())
        return Error::invalid("ticket_types", "only events and courses have ticket types");
    if (in.applications_open_at || in.applications_close_at)
        return Error::invalid("applications_open_at", "only courses have an application period");
    if (in.by_division) {
        // The divisions give the times and prices.
        if (in.duration_minutes != 0)
            return Error::invalid("duration_minutes", "a rental by divisions takes their times");
        if (in.price_jpy != 0)
            return Error::invalid("price_jpy", "a rental by divisions is priced by division");
        if (in.min_blocks < 1 || in.min_blocks > 12)
            return Error::invalid("min_blocks", "must be 1 to 12 divisions");
        if (in.max_blocks < in.min_blocks || in.max_blocks > 12)
            return Error::invalid("max_blocks", "must be min_blocks to 12 divisions");
        return in;
    }
    YOYAKU_TRY(check_minutes(in.duration_minutes, 5, 1440, "duration_minutes", true));
    if (in.kind == OfferingKind::appointment) {
        if (in.slot_step_minutes != 0)
            YOYAKU_TRY(check_minutes(in.slot_step_minutes, 5, 1440, "slot_step_minutes", true));
        if (in.min_blocks != 1 || in.max_blocks != 1)
            return Error::invalid("min_blocks", "only rentals have blocks");
        if (in.requires_approval)
            return Error::invalid("requires_approval", "only rentals wait for approval");
    } else {
        if (in.slot_step_minutes != 0)
            return Error::invalid("slot_step_minutes", "a rental's slots are its blocks");
        if (in.min_blocks < 1 || in.min_blocks > 2016)
            return Error::invalid("min_blocks", "must be 1 to 2016");
        if (in.max_blocks < in.min_blocks || in.max_blocks > 2016)
            return Error::invalid("max_blocks", "must be min_blocks to 2016");
        if (in.max_blocks * in.duration_minutes > 7 * 1440)
            return Error::invalid("max_blocks", "a rental lasts at most 7 days");
    }
    return in;
}

}  // namespace yoyaku::offerings

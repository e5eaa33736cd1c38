// Offerings and their occurrences: the setup side of the booking engine.

#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/bookings/internal.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::Row;
using storage::ScopedTx;

constexpr std::array<std::string_view, 4> kKinds = {"appointment", "rental", "event", "course"};
constexpr std::array<std::string_view, 8> kStatuses = {
    "held", "pending", "confirmed", "cancelled", "rejected", "expired", "checked_in", "no_show"};
constexpr std::array<std::string_view, 3> kQuestionTypes = {"text", "choice", "checkbox"};
constexpr std::array<std::string_view, 3> kWaitlistModes = {"off", "offer", "automatic"};
constexpr std::array<std::string_view, 5> kWaitStatuses = {
    "waiting", "offered", "booked", "expired", "left"};

boost::json::value parse_or_null(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    return ec ? boost::json::value() : v;
}

std::string tickets_json(const std::vector<TicketType>& types) {
    boost::json::array a;
    for (const auto& t : types)
        a.push_back(
            {{"code", t.code},
             {"name", t.name},
             {"price_jpy", t.price_jpy},
             {"max_per_order", t.max_per_order}}
        );
    return boost::json::serialize(a);
}

std::vector<TicketType> tickets_from(const std::string& text) {
    std::vector<TicketType> out;
    const auto v = parse_or_null(text);
    if (!v.is_array()) return out;
    for (const auto& t : v.get_array()) {
        const auto& o = t.as_object();
        out.push_back(
            {std::string(o.at("code").as_string()),
             std::string(o.at("name").as_string()),
             o.at("price_jpy").as_int64(),
             static_cast<int>(o.at("max_per_order").as_int64())}
        );
    }
    return out;
}

std::string questions_json(const std::vector<Question>& qs) {
    boost::json::array a;
    for (const auto& q : qs) {
        boost::json::array options;
        for (const auto& o : q.options) options.emplace_back(o);
        a.push_back(
            {{"id", q.id},
             {"label", q.label},
             {"type", to_string(q.type)},
             {"required", q.required},
             {"options", std::move(options)}}
        );
    }
    return boost::json::serialize(a);
}

std::vector<Question> questions_from(const std::string& text) {
    std::vector<Question> out;
    const auto v = parse_or_null(text);
    if (!v.is_array()) return out;
    for (const auto& e : v.get_array()) {
        const auto& o = e.as_object();
        Question q;
        q.id = std::string(o.at("id").as_string());
        q.label = std::string(o.at("label").as_string());
        q.type = parse_question_type(o.at("type").as_string()).value_or(QuestionType::text);
        q.required = o.at("required").as_bool();
        for (const auto& x : o.at("options").as_array()) q.options.emplace_back(x.as_string());
        out.push_back(std::move(q));
    }
    return out;
}

std::string ids_json(const std::vector<std::int64_t>& ids) {
    boost::json::array a;
    for (auto id : ids) a.emplace_back(id);
    return boost::json::serialize(a);
}

std::vector<std::int64_t> ids_from(const std::string& text) {
    std::vector<std::int64_t> out;
    const auto v = parse_or_null(text);
    if (v.is_array())
        for (const auto& x : v.get_array()) out.push_back(x.as_int64());
    return out;
}

// The venue rules of an offering, one JSON object (ADR 0012).
std::string rules_json(const OfferingInput& in) {
    boost::json::array fees;
    for (const auto& t : in.cancellation_fees)
        fees.push_back({{"within_minutes", t.within_minutes}, {"percent", t.percent}});
    const auto& l = in.limits;
    return boost::json::serialize(boost::json::object{
        {"cancellation_fees", std::move(fees)},
        {"limits",
         {{"per_day", l.per_day},
          {"per_week", l.per_week},
          {"per_month", l.per_month},
          {"active", l.active},
          {"by_resource", l.by_resource}}},
        {"waitlist", to_string(in.waitlist)},
        {"waitlist_offer_minutes", in.waitlist_offer_minutes},
        {"pay_by_minutes", in.pay_by_minutes},
        {"lottery",
         in.lottery ? boost::json::value(boost::json::object{
                          {"applications_close_at", to_micros(in.lottery->applications_close_at)},
                          {"draw_at", to_micros(in.lottery->draw_at)},
                          {"first_come_at",
                           in.lottery->first_come_at
                               ? boost::json::value(to_micros(*in.lottery->first_come_at))
                               : boost::json::value(nullptr)}})
                    : boost::json::value(nullptr)}});
}

void rules_from(const std::string& text, OfferingInput& o) {
    const auto v = parse_or_null(text);
    if (!v.is_object()) return;
    const auto& r = v.get_object();
    auto int_of = [](const boost::json::object& x, const char* key, int fallback) {
        const auto* n = x.if_contains(key);
        return n && n->is_int64() ? static_cast<int>(n->get_int64()) : fallback;
    };
    if (const auto* fees = r.if_contains("cancellation_fees"); fees && fees->is_array())
        for (const auto& t : fees->get_array())
            if (t.is_object())
                o.cancellation_fees.push_back(
                    {int_of(t.get_object(), "within_minutes", 0),
                     int_of(t.get_object(), "percent", 0)}
                );
    if (const auto* l = r.if_contains("limits"); l && l->is_object()) {
        const auto& x = l->get_object();
        o.limits.per_day = int_of(x, "per_day", 0);
        o.limits.per_week = int_of(x, "per_week", 0);
        o.limits.per_month = int_of(x, "per_month", 0);
        o.limits.active = int_of(x, "active", 0);
        const auto* b = x.if_contains("by_resource");
        o.limits.by_resource = b && b->is_bool() && b->get_bool();
    }
    if (const auto* w = r.if_contains("waitlist"); w && w->is_string())
        o.waitlist = parse_waitlist_mode(w->get_string()).value_or(WaitlistMode::off);
    o.waitlist_offer_minutes = int_of(r, "waitlist_offer_minutes", 1440);
    o.pay_by_minutes = int_of(r, "pay_by_minutes", 0);
    if (const auto* l = r.if_contains("lottery"); l && l->is_object()) {
        const auto& x = l->get_object();
        const auto at = [&](const char* key) -> std::optional<Instant> {
            const auto* f = x.if_contains(key);
            return f && f->is_int64() ? std::optional<Instant>(from_micros(f->get_int64()))
                                      : std::nullopt;
        };
        if (at("applications_close_at") && at("draw_at"))
            o.lottery =
                LotteryRules{*at("applications_close_at"), *at("draw_at"), at("first_come_at")};
    }
}

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
    if (in.lottery) {
        if (in.kind != OfferingKind::event)
            return Error::invalid("lottery", "only events are drawn by lottery");
        if (in.lottery->draw_at < in.lottery->applications_close_at)
            return Error::invalid("lottery.draw_at", "must not be before applications_close_at");
        if (in.lottery->first_come_at && *in.lottery->first_come_at < in.lottery->draw_at)
            return Error::invalid("lottery.first_come_at", "must not be before draw_at");
    }
    return {};
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

// Staff for appointments, one bookable resource for rentals, a room: all of the tenant, live.
Result<void> check_resources(ScopedTx& stx, const OfferingInput& in) {
    const bool appointment = in.kind == OfferingKind::appointment;
    if (appointment && (in.resource_ids.empty() || in.resource_ids.size() > 50))
        return Error::invalid("resource_ids", "an appointment needs 1 to 50 staff members");
    if (!appointment && in.resource_ids.size() != 1)
        return Error::invalid("resource_ids", "a rental names exactly one resource");
    for (std::size_t i = 0; i < in.resource_ids.size(); ++i) {
        const std::string f = "resource_ids[" + std::to_string(i) + "]";
        for (std::size_t k = 0; k < i; ++k)
            if (in.resource_ids[k] == in.resource_ids[i])
                return Error::invalid(f, "is named twice");
        auto r = resources::load_resource(stx, in.resource_ids[i]);
        if (!r || r->archived) return Error::invalid(f, "no live resource has this id");
        if (appointment != (r->kind == resources::Kind::staff))
            return Error::invalid(
                f, appointment ? "must be a staff member" : "must be a room, facility or equipment"
            );
    }
    if (in.room_id) {
        if (!appointment) return Error::invalid("room_id", "only appointments take a room");
        auto r = resources::load_resource(stx, *in.room_id);
        if (!r || r->archived || r->kind == resources::Kind::staff)
            return Error::invalid("room_id", "no live room or facility has this id");
    }
    return {};
}

Result<OfferingInput> check(ScopedTx& stx, const OfferingInput& given) {
    OfferingInput in = given;
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
    auto questions = check_questions(in.questions);
    if (!questions) return fail(std::move(questions).error());
    in.questions = std::move(*questions);
    YOYAKU_TRY(check_rules(in));

    const bool seats = in.kind == OfferingKind::event || in.kind == OfferingKind::course;
    if (seats) {
        auto types = check_ticket_types(in.ticket_types);
        if (!types) return fail(std::move(types).error());
        in.ticket_types = std::move(*types);
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
    YOYAKU_TRY(check_resources(stx, in));
    return in;
}

std::vector<storage::Value> offering_values(std::int64_t tenant, const OfferingInput& in) {
    auto opt_i = [](const auto& v) {
        return v ? storage::Value(static_cast<std::int64_t>(*v)) : storage::Value();
    };
    auto opt_t = [](const std::optional<Instant>& v) {
        return v ? storage::Value(to_micros(*v)) : storage::Value();
    };
    return {
        tenant,
        std::string(to_string(in.kind)),
        in.name,
        in.description,
        static_cast<std::int64_t>(in.published),
        opt_i(in.opens_before_minutes),
        static_cast<std::int64_t>(in.closes_before_minutes),
        static_cast<std::int64_t>(in.cancel_before_minutes),
        static_cast<std::int64_t>(in.max_per_order),
        tickets_json(in.ticket_types),
        static_cast<std::int64_t>(in.duration_minutes),
        static_cast<std::int64_t>(in.slot_step_minutes),
        static_cast<std::int64_t>(in.min_blocks),
        static_cast<std::int64_t>(in.max_blocks),
        in.price_jpy,
        static_cast<std::int64_t>(in.requires_approval),
        ids_json(in.resource_ids),
        opt_i(in.room_id),
        opt_t(in.applications_open_at),
        opt_t(in.applications_close_at),
        static_cast<std::int64_t>(in.hold_minutes),
        questions_json(in.questions),
        static_cast<std::int64_t>(in.reminder_minutes),
        rules_json(in)};
}

std::string offering_details(const Offering& o) {
    return boost::json::serialize(boost::json::object{
        {"kind", to_string(o.kind)}, {"published", o.published}, {"name_length", o.name.size()}});
}

}  // namespace

namespace detail {

Offering offering_from(const Row& r) {
    Offering o;
    o.id = r.i64(0);
    o.kind = parse_offering_kind(r.text(1)).value_or(OfferingKind::event);
    o.name = r.text(2);
    o.description = r.text(3);
    o.published = r.i64(4) != 0;
    if (!r.is_null(5)) o.opens_before_minutes = static_cast<int>(r.i64(5));
    o.closes_before_minutes = static_cast<int>(r.i64(6));
    o.cancel_before_minutes = static_cast<int>(r.i64(7));
    o.max_per_order = static_cast<int>(r.i64(8));
    o.ticket_types = tickets_from(r.text(9));
    o.created_at = from_micros(r.i64(10));
    o.duration_minutes = static_cast<int>(r.i64(11));
    o.slot_step_minutes = static_cast<int>(r.i64(12));
    o.min_blocks = static_cast<int>(r.i64(13));
    o.max_blocks = static_cast<int>(r.i64(14));
    o.price_jpy = r.i64(15);
    o.requires_approval = r.i64(16) != 0;
    o.resource_ids = ids_from(r.text(17));
    if (!r.is_null(18)) o.room_id = r.i64(18);
    if (!r.is_null(19)) o.applications_open_at = from_micros(r.i64(19));
    if (!r.is_null(20)) o.applications_close_at = from_micros(r.i64(20));
    o.hold_minutes = static_cast<int>(r.i64(21));
    o.questions = questions_from(r.text(22));
    o.reminder_minutes = static_cast<int>(r.i64(23));
    rules_from(r.text(24), o);
    return o;
}

Occurrence occurrence_from(const Row& r) {
    return {
        r.i64(0),
        r.i64(1),
        from_micros(r.i64(2)),
        from_micros(r.i64(3)),
        static_cast<int>(r.i64(4)),
        static_cast<int>(r.i64(5))};
}

Result<Offering> load_offering(ScopedTx& stx, std::int64_t id) {
    auto row = stx.tx().query(
        "SELECT " + std::string(kOfferingColumns) +
            " FROM offerings WHERE tenant_id = $1 AND id = $2",
        stx.tenant_id().value,
        id
    );
    if (!row) return fail(std::move(row).error());
    if (row->empty()) return Error::not_found("no such offering");
    return offering_from(row->front());
}

Result<std::vector<Occurrence>> load_occurrences(
    ScopedTx& stx, std::int64_t offering_id, Instant from, Instant to
) {
    auto rows = stx.tx().query(
        "SELECT " + std::string(kOccurrenceColumns) +
            " FROM occurrences WHERE tenant_id = $1 AND offering_id = $2 AND starts_at >= $3 AND "
            "starts_at < $4 ORDER BY starts_at, id",
        stx.tenant_id().value,
        offering_id,
        from == Instant::min() ? std::numeric_limits<std::int64_t>::min() : to_micros(from),
        to == Instant::max() ? std::numeric_limits<std::int64_t>::max() : to_micros(to)
    );
    if (!rows) return fail(std::move(rows).error());
    std::vector<Occurrence> out;
    for (const auto& r : *rows) out.push_back(occurrence_from(r));
    return out;
}

Result<std::string> tenant_zone(ScopedTx& stx) {
    auto zone =
        stx.tx().query_one("SELECT time_zone FROM tenants WHERE id = $1", stx.tenant_id().value);
    if (!zone) return fail(std::move(zone).error());
    return zone->text(0);
}

}  // namespace detail

std::string_view to_string(OfferingKind k) noexcept {
    return kKinds[static_cast<std::size_t>(k)];
}

std::optional<OfferingKind> parse_offering_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (kKinds[i] == s) return static_cast<OfferingKind>(i);
    return std::nullopt;
}

std::string_view to_string(BookingStatus s) noexcept {
    return kStatuses[static_cast<std::size_t>(s)];
}

std::optional<BookingStatus> parse_booking_status(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == s) return static_cast<BookingStatus>(i);
    return std::nullopt;
}

std::string_view to_string(QuestionType t) noexcept {
    return kQuestionTypes[static_cast<std::size_t>(t)];
}

std::string_view to_string(WaitlistMode m) noexcept {
    return kWaitlistModes[static_cast<std::size_t>(m)];
}

std::optional<WaitlistMode> parse_waitlist_mode(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kWaitlistModes.size(); ++i)
        if (kWaitlistModes[i] == s) return static_cast<WaitlistMode>(i);
    return std::nullopt;
}

std::string_view to_string(WaitStatus s) noexcept {
    return kWaitStatuses[static_cast<std::size_t>(s)];
}

std::optional<QuestionType> parse_question_type(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kQuestionTypes.size(); ++i)
        if (kQuestionTypes[i] == s) return static_cast<QuestionType>(i);
    return std::nullopt;
}

Result<Offering> BookingService::create_offering(
    TenantId tenant, const OfferingInput& in, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Offering> {
        auto checked = check(stx, in);
        if (!checked) return fail(std::move(checked).error());
        auto values = offering_values(stx.tenant_id().value, *checked);
        values.emplace_back(to_micros(now));
        auto row = stx.tx().query_one(
            "INSERT INTO offerings(tenant_id, kind, name, description, published, "
            "opens_before_minutes, closes_before_minutes, cancel_before_minutes, max_per_order, "
            "ticket_types, duration_minutes, slot_step_minutes, min_blocks, max_blocks, price_jpy, "
            "requires_approval, resource_ids, room_id, applications_open_at, "
            "applications_close_at, hold_minutes, questions, reminder_minutes, rules, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
            "$18, $19, $20, $21, $22, $23, $24, $25) RETURNING " +
                std::string(detail::kOfferingColumns),
            std::span<const storage::Value>(values)
        );
        if (!row) return fail(std::move(row).error());
        auto o = detail::offering_from(*row);
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"offering.created",
             "offering:" + std::to_string(o.id),
             "success",
             offering_details(o)},
            now
        ));
        return o;
    });
}

Result<Offering> BookingService::update_offering(
    TenantId tenant,
    std::int64_t id,
    const OfferingInput& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Offering> {
        auto old = detail::load_offering(stx, id);
        if (!old) return fail(std::move(old).error());
        if (old->kind != in.kind) return Error::invalid("kind", "an offering keeps its kind");
        auto checked = check(stx, in);
        if (!checked) return fail(std::move(checked).error());
        auto values = offering_values(stx.tenant_id().value, *checked);
        values.emplace_back(id);
        auto row = stx.tx().query_one(
            "UPDATE offerings SET kind = $2, name = $3, description = $4, published = $5, "
            "opens_before_minutes = $6, closes_before_minutes = $7, cancel_before_minutes = $8, "
            "max_per_order = $9, ticket_types = $10, duration_minutes = $11, slot_step_minutes = "
            "$12, min_blocks = $13, max_blocks = $14, price_jpy = $15, requires_approval = $16, "
            "resource_ids = $17, room_id = $18, applications_open_at = $19, "
            "applications_close_at = $20, hold_minutes = $21, questions = $22, reminder_minutes = "
            "$23, rules = $24 WHERE tenant_id = $1 AND id = $25 RETURNING " +
                std::string(detail::kOfferingColumns),
            std::span<const storage::Value>(values)
        );
        if (!row) return fail(std::move(row).error());
        auto o = detail::offering_from(*row);
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"offering.updated",
             "offering:" + std::to_string(o.id),
             "success",
             offering_details(o)},
            now
        ));
        return o;
    });
}

Result<Offering> BookingService::find_offering(TenantId tenant, std::int64_t id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return detail::load_offering(stx, id);
    });
}

Result<std::vector<Offering>> BookingService::list_offerings(TenantId tenant, bool published_only) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<Offering>> {
            auto rows = stx.tx().query(
                "SELECT " + std::string(detail::kOfferingColumns) +
                    " FROM offerings WHERE tenant_id = $1 AND (published = 1 OR $2 = 0) ORDER BY "
                    "id",
                stx.tenant_id().value,
                static_cast<std::int64_t>(published_only)
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<Offering> out;
            for (const auto& r : *rows) out.push_back(detail::offering_from(r));
            return out;
        }
    );
}

Result<Occurrence> BookingService::add_occurrence(
    TenantId tenant,
    std::int64_t offering_id,
    Instant starts_at,
    Instant ends_at,
    int capacity,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (ends_at <= starts_at) return Error::invalid("ends_at", "must be after starts_at");
    if (ends_at - starts_at > hours(24 * 31))
        return Error::invalid("ends_at", "an occurrence lasts at most 31 days");
    if (capacity < 1 || capacity > 1'000'000)
        return Error::invalid("capacity", "must be 1 to 1000000");
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Occurrence> {
        const auto t = stx.tenant_id().value;
        auto o = detail::load_offering(stx, offering_id);
        if (!o) return fail(std::move(o).error());
        if (o->kind != OfferingKind::event && o->kind != OfferingKind::course)
            return Error::invalid("offering_id", "only events and courses have occurrences");
        if (o->kind == OfferingKind::course) {
            // Every enrolment holds a seat in every session: a session added later would
            // not have them.
            auto enrolled = stx.tx().query(
                "SELECT 1 FROM bookings WHERE tenant_id = $1 AND offering_id = $2 LIMIT 1",
                t,
                offering_id
            );
            if (!enrolled) return fail(std::move(enrolled).error());
            if (!enrolled->empty())
                return Error{
                    Errc::unprocessable,
                    "a course's sessions are fixed once someone has enrolled",
                    "offering_id",
                    {}};
        }
        auto row = stx.tx().query_one(
            "INSERT INTO occurrences(tenant_id, offering_id, starts_at, ends_at, capacity, taken) "
            "VALUES ($1, $2, $3, $4, $5, 0) RETURNING " +
                std::string(detail::kOccurrenceColumns),
            t,
            offering_id,
            to_micros(starts_at),
            to_micros(ends_at),
            static_cast<std::int64_t>(capacity)
        );
        if (!row) return fail(std::move(row).error());
        auto occ = detail::occurrence_from(*row);
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"occurrence.created",
             "occurrence:" + std::to_string(occ.id),
             "success",
             boost::json::serialize(boost::json::object{{"capacity", capacity}})},
            now
        ));
        return occ;
    });
}

Result<std::vector<Occurrence>> BookingService::occurrences(
    TenantId tenant, std::int64_t offering_id, bool upcoming_only
) {
    const Instant from = upcoming_only ? clock_.now() : Instant::min();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return detail::load_occurrences(stx, offering_id, from);
    });
}

}  // namespace yoyaku::bookings

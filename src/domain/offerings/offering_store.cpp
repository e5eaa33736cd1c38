#include "domain/offerings/offering_store.hpp"

#include <boost/json.hpp>
#include <limits>
#include <string>

namespace yoyaku::offerings {
namespace {

using storage::Row;

constexpr std::string_view kOfferingColumns =
    "id, kind, name, description, published, opens_before_minutes, closes_before_minutes, cancel_before_minutes, max_per_order, ticket_types, created_at, duration_minutes, slot_step_minutes, min_blocks, max_blocks, price_jpy, requires_approval, resource_ids, room_id, applications_open_at, applications_close_at, hold_minutes, questions, reminder_minutes, rules, online_url";
constexpr std::string_view kOccurrenceColumns =
    "id, offering_id, starts_at, ends_at, capacity, taken";

boost::json::value parse_or_null(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    return ec ? boost::json::value() : v;
}

std::string tickets_json(const std::vector<TicketType>& types) {
    boost::json::array a;
    for (const auto& t : types) {
        boost::json::object o{
            {"code", t.code},
            {"name", t.name},
            {"price_jpy", t.price_jpy},
            {"max_per_order", t.max_per_order}};
        if (!t.category_prices.empty()) {
            boost::json::object prices;
            for (const auto& [category, price] : t.category_prices) prices[category] = price;
            o["category_prices"] = std::move(prices);
        }
        a.push_back(std::move(o));
    }
    return boost::json::serialize(a);
}

std::vector<TicketType> tickets_from(const std::string& text) {
    std::vector<TicketType> out;
    const auto v = parse_or_null(text);
    if (!v.is_array()) return out;
    for (const auto& t : v.get_array()) {
        const auto& o = t.as_object();
        TicketType type{
            std::string(o.at("code").as_string()),
            std::string(o.at("name").as_string()),
            o.at("price_jpy").as_int64(),
            static_cast<int>(o.at("max_per_order").as_int64())};
        if (const auto* prices = o.if_contains("category_prices"); prices && prices->is_object())
            for (const auto& [category, price] : prices->get_object())
                type.category_prices[std::string(category)] = price.as_int64();
        out.push_back(std::move(type));
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

std::string ids_json(const std::vector<ResourceId>& ids) {
    boost::json::array a;
    for (auto id : ids) a.emplace_back(id.value);
    return boost::json::serialize(a);
}

std::vector<ResourceId> ids_from(const std::string& text) {
    std::vector<ResourceId> out;
    const auto v = parse_or_null(text);
    if (v.is_array())
        for (const auto& x : v.get_array()) out.push_back(ResourceId(x.as_int64()));
    return out;
}

// The venue rules of an offering, one JSON object (ADR 0012).
std::string rules_json(const OfferingInput& in) {
    boost::json::array fees;
    for (const auto& t : in.cancellation_fees)
        fees.push_back({{"within_minutes", t.within_minutes}, {"percent", t.percent}});
    const auto& l = in.limits;
    boost::json::array equipment, surcharges;
    for (const auto& e : in.equipment)
        equipment.push_back(
            {{"resource_id", e.resource_id.value},
             {"price_jpy", e.price_jpy},
             {"max_quantity", e.max_quantity},
             {"name", e.name}}
        );
    for (const auto& x : in.surcharges)
        surcharges.push_back(
            {{"code", x.code},
             {"name", x.name},
             {"percent", x.percent},
             {"per_block_jpy", x.per_block_jpy}}
        );
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
        {"payment", to_string(in.payment)},
        {"tax_rate", in.tax_rate},
        {"no_show_release_minutes", in.no_show_release_minutes},
        {"seat_map_id", in.seat_map_id},
        {"provisional_minutes", in.provisional_minutes},
        {"by_division", in.by_division},
        {"zoom_meetings", in.zoom_meetings},
        {"equipment", std::move(equipment)},
        {"surcharges", std::move(surcharges)},
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
    o.tax_rate = int_of(r, "tax_rate", 10);
    o.no_show_release_minutes = int_of(r, "no_show_release_minutes", 0);
    o.provisional_minutes = int_of(r, "provisional_minutes", 0);
    if (const auto* m = r.if_contains("seat_map_id"); m && m->is_int64())
        o.seat_map_id = m->get_int64();
    if (const auto* b = r.if_contains("by_division"); b && b->is_bool())
        o.by_division = b->get_bool();
    if (const auto* z = r.if_contains("zoom_meetings"); z && z->is_bool())
        o.zoom_meetings = z->get_bool();
    auto i64_of = [](const boost::json::object& x, const char* key) -> std::int64_t {
        const auto* n = x.if_contains(key);
        return n && n->is_int64() ? n->get_int64() : 0;
    };
    if (const auto* e = r.if_contains("equipment"); e && e->is_array())
        for (const auto& x : e->get_array())
            if (const auto* item = x.if_object())
                o.equipment.push_back(
                    {ResourceId(i64_of(*item, "resource_id")),
                     i64_of(*item, "price_jpy"),
                     int_of(*item, "max_quantity", 1),
                     item->contains("name") && item->at("name").is_string()
                         ? std::string(item->at("name").get_string())
                         : std::string()}
                );
    if (const auto* e = r.if_contains("surcharges"); e && e->is_array())
        for (const auto& x : e->get_array())
            if (const auto* item = x.if_object()) {
                auto str = [&](const char* key) {
                    const auto* field = item->if_contains(key);
                    return field && field->is_string() ? std::string(field->get_string())
                                                       : std::string();
                };
                o.surcharges.push_back(
                    {str("code"),
                     str("name"),
                     int_of(*item, "percent", 0),
                     i64_of(*item, "per_block_jpy")}
                );
            }
    if (const auto* p = r.if_contains("payment"); p && p->is_string())
        o.payment = parse_payment(p->get_string()).value_or(Payment::on_site);
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

std::optional<Instant> opt_instant(const Row& r, std::string_view column) {
    if (r.is_null(column)) return std::nullopt;
    return from_micros(r.i64(column));
}

std::optional<std::int64_t> opt_micros(const std::optional<Instant>& t) {
    if (!t) return std::nullopt;
    return to_micros(*t);
}

Offering offering_from(const Row& r) {
    Offering o;
    o.id = r.id<OfferingId>("id");
    o.kind = parse_offering_kind(r.text("kind")).value_or(OfferingKind::event);
    o.name = r.text("name");
    o.description = r.text("description");
    o.published = r.flag("published");
    o.opens_before_minutes = r.opt_i32("opens_before_minutes");
    o.closes_before_minutes = r.i32("closes_before_minutes");
    o.cancel_before_minutes = r.i32("cancel_before_minutes");
    o.max_per_order = r.i32("max_per_order");
    o.ticket_types = tickets_from(r.text("ticket_types"));
    o.created_at = from_micros(r.i64("created_at"));
    o.duration_minutes = r.i32("duration_minutes");
    o.slot_step_minutes = r.i32("slot_step_minutes");
    o.min_blocks = r.i32("min_blocks");
    o.max_blocks = r.i32("max_blocks");
    o.price_jpy = r.i64("price_jpy");
    o.requires_approval = r.flag("requires_approval");
    o.resource_ids = ids_from(r.text("resource_ids"));
    o.room_id = r.opt_id<ResourceId>("room_id");
    o.applications_open_at = opt_instant(r, "applications_open_at");
    o.applications_close_at = opt_instant(r, "applications_close_at");
    o.hold_minutes = r.i32("hold_minutes");
    o.questions = questions_from(r.text("questions"));
    o.reminder_minutes = r.i32("reminder_minutes");
    rules_from(r.text("rules"), o);
    o.online_url = r.text("online_url");
    return o;
}

// The 25 values of an offering's columns after tenant_id, in kOfferingColumns' order less id
// and created_at: $2 … $26 of the INSERT and UPDATE below.
std::vector<storage::Value> offering_values(TenantId tenant, const OfferingInput& in) {
    using storage::to_value;
    return {
        to_value(tenant),
        std::string(to_string(in.kind)),
        in.name,
        in.description,
        to_value(in.published),
        to_value(in.opens_before_minutes),
        to_value(in.closes_before_minutes),
        to_value(in.cancel_before_minutes),
        to_value(in.max_per_order),
        tickets_json(in.ticket_types),
        to_value(in.duration_minutes),
        to_value(in.slot_step_minutes),
        to_value(in.min_blocks),
        to_value(in.max_blocks),
        in.price_jpy,
        to_value(in.requires_approval),
        ids_json(in.resource_ids),
        to_value(in.room_id),
        to_value(opt_micros(in.applications_open_at)),
        to_value(opt_micros(in.applications_close_at)),
        to_value(in.hold_minutes),
        questions_json(in.questions),
        to_value(in.reminder_minutes),
        rules_json(in),
        in.online_url};
}

Occurrence occurrence_from(const Row& r) {
    return {
        r.id<OccurrenceId>("id"),
        r.id<OfferingId>("offering_id"),
        from_micros(r.i64("starts_at")),
        from_micros(r.i64("ends_at")),
        r.i32("capacity"),
        r.i32("taken")};
}

Result<std::vector<Occurrence>> occurrences_from(Result<std::vector<Row>> rows) {
    if (!rows) return fail(std::move(rows).error());
    std::vector<Occurrence> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(occurrence_from(r));
    return out;
}

Result<Occurrence> one_occurrence(Result<std::vector<Row>> rows) {
    YOYAKU_TRY_ASSIGN(auto all, occurrences_from(std::move(rows)));
    if (all.empty()) return Error::not_found("no such occurrence");
    return all.front();
}

}  // namespace

Result<Offering> OfferingStore::find_by_id(OfferingId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kOfferingColumns) +
                " FROM offerings WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return Error::not_found("no such offering");
    return offering_from(rows.front());
}

Result<std::vector<Offering>> OfferingStore::list(bool published_only) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kOfferingColumns) +
                " FROM offerings WHERE tenant_id = $1 AND (published = 1 OR $2 = 0) ORDER BY id",
            stx_.tenant_id(),
            published_only
        )
    );
    std::vector<Offering> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(offering_from(r));
    return out;
}

Result<Offering> OfferingStore::insert(const OfferingInput& in, Instant now) {
    auto values = offering_values(stx_.tenant_id(), in);
    values.emplace_back(to_micros(now));
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO offerings(tenant_id, kind, name, description, published, opens_before_minutes, closes_before_minutes, cancel_before_minutes, max_per_order, ticket_types, duration_minutes, slot_step_minutes, min_blocks, max_blocks, price_jpy, requires_approval, resource_ids, room_id, applications_open_at, applications_close_at, hold_minutes, questions, reminder_minutes, rules, online_url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING " +
                std::string(kOfferingColumns),
            std::span<const storage::Value>(values)
        )
    );
    return offering_from(row);
}

Result<Offering> OfferingStore::update(OfferingId id, const OfferingInput& in) {
    auto values = offering_values(stx_.tenant_id(), in);
    values.emplace_back(id.value);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "UPDATE offerings SET kind = $2, name = $3, description = $4, published = $5, opens_before_minutes = $6, closes_before_minutes = $7, cancel_before_minutes = $8, max_per_order = $9, ticket_types = $10, duration_minutes = $11, slot_step_minutes = $12, min_blocks = $13, max_blocks = $14, price_jpy = $15, requires_approval = $16, resource_ids = $17, room_id = $18, applications_open_at = $19, applications_close_at = $20, hold_minutes = $21, questions = $22, reminder_minutes = $23, rules = $24, online_url = $25 WHERE tenant_id = $1 AND id = $26 RETURNING " +
                std::string(kOfferingColumns),
            std::span<const storage::Value>(values)
        )
    );
    if (rows.empty()) return Error::not_found("no such offering");
    return offering_from(rows.front());
}

Result<bool> OfferingStore::has_bookings(OfferingId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT 1 AS found FROM bookings WHERE tenant_id = $1 AND offering_id = $2 LIMIT 1",
            stx_.tenant_id(),
            id
        )
    );
    return !rows.empty();
}

Result<Occurrence> OccurrenceStore::find_by_id(OccurrenceId id) {
    return one_occurrence(stx_.tx().query(
        "SELECT " + std::string(kOccurrenceColumns) +
            " FROM occurrences WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id
    ));
}

Result<Occurrence> OccurrenceStore::find_of_offering(OfferingId offering, OccurrenceId id) {
    return one_occurrence(stx_.tx().query(
        "SELECT " + std::string(kOccurrenceColumns) +
            " FROM occurrences WHERE tenant_id = $1 AND id = $2 AND offering_id = $3",
        stx_.tenant_id(),
        id,
        offering
    ));
}

Result<std::vector<Occurrence>> OccurrenceStore::list_by_offering(
    OfferingId offering, Instant from, Instant to
) {
    return occurrences_from(stx_.tx().query(
        "SELECT " + std::string(kOccurrenceColumns) +
            " FROM occurrences WHERE tenant_id = $1 AND offering_id = $2 AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at, id",
        stx_.tenant_id(),
        offering,
        from == Instant::min() ? std::numeric_limits<std::int64_t>::min() : to_micros(from),
        to == Instant::max() ? std::numeric_limits<std::int64_t>::max() : to_micros(to)
    ));
}

Result<Occurrence> OccurrenceStore::insert(
    OfferingId offering, Instant starts_at, Instant ends_at, int capacity
) {
    return one_occurrence(stx_.tx().query(
        "INSERT INTO occurrences(tenant_id, offering_id, starts_at, ends_at, capacity, taken) VALUES ($1, $2, $3, $4, $5, 0) RETURNING " +
            std::string(kOccurrenceColumns),
        stx_.tenant_id(),
        offering,
        to_micros(starts_at),
        to_micros(ends_at),
        capacity
    ));
}

Result<bool> OccurrenceStore::update_capacity(OccurrenceId id, int capacity) {
    YOYAKU_TRY_ASSIGN(
        auto changed,
        stx_.tx().exec(
            "UPDATE occurrences SET capacity = $3 WHERE tenant_id = $1 AND id = $2 AND taken <= $3",
            stx_.tenant_id(),
            id,
            capacity
        )
    );
    return changed == 1;
}

Result<bool> OccurrenceStore::take_seats(OccurrenceId id, int seats) {
    YOYAKU_TRY_ASSIGN(
        auto took,
        stx_.tx().exec(
            "UPDATE occurrences SET taken = taken + $3 WHERE tenant_id = $1 AND id = $2 AND taken + $3 <= capacity",
            stx_.tenant_id(),
            id,
            seats
        )
    );
    return took == 1;
}

Result<void> OccurrenceStore::give_back_seats(OccurrenceId id, int seats) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE occurrences SET taken = taken - $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        seats
    ));
    return {};
}

}  // namespace yoyaku::offerings

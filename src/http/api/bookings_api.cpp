// Offerings, availability and bookings.
//
//   GET  /api/v1/offerings                                   list (staff)
//   POST /api/v1/offerings                                   create (managers)           → 201
//   GET  /api/v1/offerings/{offering_id}                     one, with its occurrences
//   PUT  /api/v1/offerings/{offering_id}                     replace (managers)
//   POST /api/v1/offerings/{offering_id}/occurrences         add an occurrence           → 201
//   GET  /api/v1/offerings/{offering_id}/availability        free slots (drafts too)
//   GET  /api/v1/bookings                                    search (from, to, status, …)
//   POST /api/v1/bookings                                    book for a customer (staff) → 201
//   GET  /api/v1/bookings/{reference}                        one booking
//   DELETE /api/v1/bookings/{reference}                      cancel (staff)
//   POST /api/v1/bookings/{reference}/reschedule             move (staff)
//   POST /api/v1/bookings/{reference}/approve | /reject      decide a pending booking
//   POST /api/v1/bookings/{reference}/check-in               staff or kiosk token
//   POST /api/v1/bookings/{reference}/no-show                after the start
//   GET  /api/v1/me/bookings                                 a signed-in customer's own
//   GET  /api/v1/public/{tenant_code}/offerings              published offerings
//   GET  /api/v1/public/{tenant_code}/offerings/{offering_id}/availability
//   POST /api/v1/public/{tenant_code}/bookings               book (Idempotency-Key)      → 201
//   POST /api/v1/public/{tenant_code}/holds                  hold places (Idempotency-Key) → 201
//   POST /api/v1/public/{tenant_code}/holds/{reference}/confirm
//   POST /api/v1/public/{tenant_code}/bookings/{reference}/lookup | /cancel | /reschedule
//                                                            the customer's own (email or account)

#include <boost/json.hpp>
#include <charconv>
#include <vector>

#include "domain/resources/resources.hpp"
#include "http/api/api.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/json_views.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {

boost::json::object occurrence_json(const offerings::Occurrence& o) {
    return {
        {"id", o.id.value},
        {"starts_at", json_time(o.starts_at)},
        {"ends_at", json_time(o.ends_at)},
        {"capacity", o.capacity},
        {"seats_left", o.capacity - o.taken}};
}

namespace {

using bookings::Occurrence;
using bookings::Offering;

boost::json::value opt_json(const std::optional<std::int64_t>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::value opt_json(const std::optional<Instant>& v) {
    return v ? boost::json::value(json_time(*v)) : boost::json::value(nullptr);
}

boost::json::object offering_json(const Offering& o, const std::vector<Occurrence>* occ) {
    boost::json::array types, questions, ids;
    for (const auto& t : o.ticket_types)
        types.push_back(
            {{"code", t.code},
             {"name", t.name},
             {"price_jpy", t.price_jpy},
             {"max_per_order", t.max_per_order}}
        );
    for (const auto& q : o.questions) {
        boost::json::array options;
        for (const auto& x : q.options) options.emplace_back(x);
        questions.push_back(
            {{"id", q.id},
             {"label", q.label},
             {"type", offerings::to_string(q.type)},
             {"required", q.required},
             {"options", std::move(options)}}
        );
    }
    for (auto id : o.resource_ids) ids.emplace_back(id);
    boost::json::object j{
        {"id", o.id.value},
        {"kind", offerings::to_string(o.kind)},
        {"name", o.name},
        {"description", o.description},
        {"published", o.published},
        {"opens_before_minutes",
         o.opens_before_minutes ? boost::json::value(*o.opens_before_minutes) : nullptr},
        {"closes_before_minutes", o.closes_before_minutes},
        {"cancel_before_minutes", o.cancel_before_minutes},
        {"max_per_order", o.max_per_order},
        {"ticket_types", std::move(types)},
        {"duration_minutes", o.duration_minutes},
        {"slot_step_minutes", o.slot_step_minutes},
        {"min_blocks", o.min_blocks},
        {"max_blocks", o.max_blocks},
        {"price_jpy", o.price_jpy},
        {"requires_approval", o.requires_approval},
        {"resource_ids", std::move(ids)},
        {"room_id", opt_json(o.room_id)},
        {"applications_open_at", opt_json(o.applications_open_at)},
        {"applications_close_at", opt_json(o.applications_close_at)},
        {"hold_minutes", o.hold_minutes},
        {"questions", std::move(questions)},
        {"reminder_minutes", o.reminder_minutes},
        {"cancellation_fees",
         [&] {
             boost::json::array a;
             for (const auto& t : o.cancellation_fees)
                 a.push_back({{"within_minutes", t.within_minutes}, {"percent", t.percent}});
             return a;
         }()},
        {"limits",
         {{"per_day", o.limits.per_day},
          {"per_week", o.limits.per_week},
          {"per_month", o.limits.per_month},
          {"active", o.limits.active},
          {"by_resource", o.limits.by_resource}}},
        {"waitlist", offerings::to_string(o.waitlist)},
        {"waitlist_offer_minutes", o.waitlist_offer_minutes},
        {"pay_by_minutes", o.pay_by_minutes},
        {"lottery",
         o.lottery ? boost::json::value(boost::json::object{
                         {"applications_close_at", json_time(o.lottery->applications_close_at)},
                         {"draw_at", json_time(o.lottery->draw_at)},
                         {"first_come_at", opt_json(o.lottery->first_come_at)}})
                   : boost::json::value(nullptr)}};
    if (occ) {
        boost::json::array a;
        for (const auto& x : *occ) a.push_back(occurrence_json(x));
        j["occurrences"] = std::move(a);
    }
    return j;
}

}  // namespace

boost::json::object offering_view(
    const bookings::Offering& o, const std::vector<bookings::Occurrence>* occurrences
) {
    return offering_json(o, occurrences);
}

boost::json::object booking_json(const bookings::Booking& b, bool with_customer) {
    boost::json::object tickets, answers;
    for (const auto& [code, n] : b.tickets) tickets[code] = n;
    for (const auto& [q, a] : b.answers) answers[q] = a;
    boost::json::object j{
        {"reference", b.reference},
        {"offering_id", b.offering_id},
        {"occurrence_id", opt_json(b.occurrence_id)},
        {"status", bookings::to_string(b.status)},
        {"starts_at", json_time(b.starts_at)},
        {"ends_at", json_time(b.ends_at)},
        {"resource_id", opt_json(b.resource_id)},
        {"room_id", opt_json(b.room_id)},
        {"seats", b.seats},
        {"total_jpy", b.total_jpy},
        {"tickets", std::move(tickets)},
        {"hold_expires_at", opt_json(b.hold_expires_at)},
        {"checked_in_at", opt_json(b.checked_in_at)},
        {"cancellation_fee_jpy", opt_json(b.cancellation_fee_jpy)},
        {"paid_at", opt_json(b.paid_at)},
        {"created_at", json_time(b.created_at)}};
    if (with_customer) {
        j["customer"] = {
            {"name", b.customer.name},
            {"email", b.customer.email},
            {"phone", b.customer.phone},
            {"locale", b.locale}};
        j["note"] = b.note;
        j["answers"] = std::move(answers);
    }
    return j;
}

namespace {

Result<int> int_member(const boost::json::object& o, std::string_view key, int fallback) {
    const auto* v = o.if_contains(key);
    if (!v) return fallback;
    if (!v->is_int64() || v->get_int64() < -1'000'000'000 || v->get_int64() > 1'000'000'000)
        return Error::invalid(std::string(key), "must be an integer");
    return static_cast<int>(v->get_int64());
}

Result<std::int64_t> id_member(const boost::json::object& o, const std::string& key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_int64() || v->get_int64() < 1)
        return Error::invalid(key, "must be an id (a positive integer)");
    return v->get_int64();
}

Result<bool> bool_member(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return false;
    if (!v->is_bool()) return Error::invalid(std::string(key), "must be true or false");
    return v->get_bool();
}

// Only these keys, each an object: "ticket_types[0]" → its member names.
Result<void> only_keys(
    const boost::json::object& o, const std::string& f, std::initializer_list<std::string_view> k
) {
    for (const auto& [key, value] : o)
        if (std::find(k.begin(), k.end(), std::string_view(key)) == k.end())
            return Error::invalid(f + "." + std::string(key), "is not a field");
    return {};
}

Result<offerings::OfferingInput> offering_input(const Request& req) {
    auto body = json_object(
        req,
        {"kind",
         "name",
         "description",
         "published",
         "opens_before_minutes",
         "closes_before_minutes",
         "cancel_before_minutes",
         "max_per_order",
         "ticket_types",
         "duration_minutes",
         "slot_step_minutes",
         "min_blocks",
         "max_blocks",
         "price_jpy",
         "requires_approval",
         "resource_ids",
         "room_id",
         "applications_open_at",
         "applications_close_at",
         "hold_minutes",
         "questions",
         "reminder_minutes",
         "cancellation_fees",
         "limits",
         "waitlist",
         "waitlist_offer_minutes",
         "pay_by_minutes",
         "lottery"}
    );
    if (!body) return fail(std::move(body).error());
    offerings::OfferingInput in;
    auto kind = required_string(*body, "kind", 16);
    if (!kind) return fail(std::move(kind).error());
    auto k = offerings::parse_offering_kind(*kind);
    if (!k) return Error::invalid("kind", "must be appointment, rental, event or course");
    in.kind = *k;
    auto name = required_string(*body, "name", 800);
    if (!name) return fail(std::move(name).error());
    in.name = *name;
    auto description = optional_string(*body, "description", 16000);
    if (!description) return fail(std::move(description).error());
    in.description = description->value_or("");
    for (auto [key, to] :
         {std::pair{"published", &in.published}, {"requires_approval", &in.requires_approval}}) {
        auto b = bool_member(*body, key);
        if (!b) return fail(std::move(b).error());
        *to = *b;
    }
    if (const auto* v = body->if_contains("opens_before_minutes"); v && !v->is_null()) {
        auto n = int_member(*body, "opens_before_minutes", 0);
        if (!n) return fail(std::move(n).error());
        in.opens_before_minutes = *n;
    }
    for (auto [key, to] :
         {std::pair{"closes_before_minutes", &in.closes_before_minutes},
          {"cancel_before_minutes", &in.cancel_before_minutes},
          {"max_per_order", &in.max_per_order},
          {"duration_minutes", &in.duration_minutes},
          {"slot_step_minutes", &in.slot_step_minutes},
          {"min_blocks", &in.min_blocks},
          {"max_blocks", &in.max_blocks},
          {"hold_minutes", &in.hold_minutes},
          {"reminder_minutes", &in.reminder_minutes},
          {"waitlist_offer_minutes", &in.waitlist_offer_minutes},
          {"pay_by_minutes", &in.pay_by_minutes}}) {
        auto n = int_member(*body, key, *to);
        if (!n) return fail(std::move(n).error());
        *to = *n;
    }
    auto price = optional_integer(*body, "price_jpy");
    if (!price) return fail(std::move(price).error());
    in.price_jpy = price->value_or(0);
    if (const auto* v = body->if_contains("room_id"); v && !v->is_null()) {
        auto id = id_member(*body, "room_id");
        if (!id) return fail(std::move(id).error());
        in.room_id = *id;
    }
    for (auto [key, to] :
         {std::pair{"applications_open_at", &in.applications_open_at},
          {"applications_close_at", &in.applications_close_at}}) {
        if (const auto* v = body->if_contains(key); v && v->is_null()) continue;
        auto t = optional_instant(*body, key);
        if (!t) return fail(std::move(t).error());
        *to = *t;
    }
    YOYAKU_TRY_ASSIGN(in.resource_ids, id_list(*body, "resource_ids"));
    if (const auto* types = body->if_contains("ticket_types")) {
        if (!types->is_array()) return Error::invalid("ticket_types", "must be a list");
        std::size_t i = 0;
        for (const auto& t : types->get_array()) {
            const std::string f = "ticket_types[" + std::to_string(i++) + "]";
            const auto* o = t.if_object();
            if (!o) return Error::invalid(f, "must be an object");
            YOYAKU_TRY(only_keys(*o, f, {"code", "name", "price_jpy", "max_per_order"}));
            auto code = required_string(*o, "code", 64);
            if (!code) return Error::invalid(f + ".code", code.error().message);
            auto tname = required_string(*o, "name", 400);
            if (!tname) return Error::invalid(f + ".name", tname.error().message);
            const auto* p = o->if_contains("price_jpy");
            if (!p || !p->is_int64())
                return Error::invalid(f + ".price_jpy", "must be an integer (yen)");
            auto max = int_member(*o, "max_per_order", 10);
            if (!max) return Error::invalid(f + ".max_per_order", "must be an integer");
            in.ticket_types.push_back({*code, *tname, p->get_int64(), *max});
        }
    }
    if (const auto* fees = body->if_contains("cancellation_fees")) {
        if (!fees->is_array()) return Error::invalid("cancellation_fees", "must be a list");
        std::size_t i = 0;
        for (const auto& t : fees->get_array()) {
            const std::string f = "cancellation_fees[" + std::to_string(i++) + "]";
            const auto* o = t.if_object();
            if (!o) return Error::invalid(f, "must be {within_minutes, percent}");
            YOYAKU_TRY(only_keys(*o, f, {"within_minutes", "percent"}));
            bookings::FeeTier tier;
            for (auto [key, to] :
                 {std::pair{"within_minutes", &tier.within_minutes}, {"percent", &tier.percent}}) {
                if (!o->contains(key)) return Error::invalid(f + "." + key, "is required");
                auto n = int_member(*o, key, 0);
                if (!n) return Error::invalid(f + "." + key, "must be an integer");
                *to = *n;
            }
            in.cancellation_fees.push_back(tier);
        }
    }
    if (const auto* limits = body->if_contains("limits")) {
        const auto* o = limits->if_object();
        if (!o) return Error::invalid("limits", "must be {per_day, per_week, per_month, active}");
        YOYAKU_TRY(
            only_keys(*o, "limits", {"per_day", "per_week", "per_month", "active", "by_resource"})
        );
        for (auto [key, to] :
             {std::pair{"per_day", &in.limits.per_day},
              {"per_week", &in.limits.per_week},
              {"per_month", &in.limits.per_month},
              {"active", &in.limits.active}}) {
            auto n = int_member(*o, key, 0);
            if (!n) return Error::invalid(std::string("limits.") + key, "must be an integer");
            *to = *n;
        }
        auto by = bool_member(*o, "by_resource");
        if (!by) return Error::invalid("limits.by_resource", "must be true or false");
        in.limits.by_resource = *by;
    }
    if (const auto* l = body->if_contains("lottery"); l && !l->is_null()) {
        const auto* o = l->if_object();
        if (!o)
            return Error::invalid(
                "lottery", "must be {applications_close_at, draw_at, first_come_at}"
            );
        YOYAKU_TRY(only_keys(*o, "lottery", {"applications_close_at", "draw_at", "first_come_at"}));
        offerings::LotteryRules rules;
        for (auto [key, to] :
             {std::pair{"applications_close_at", &rules.applications_close_at},
              {"draw_at", &rules.draw_at}}) {
            auto at = optional_instant(*o, key);
            if (!at || !*at)
                return Error::invalid(std::string("lottery.") + key, "must be an RFC 3339 instant");
            *to = **at;
        }
        if (const auto* f = o->if_contains("first_come_at"); f && !f->is_null()) {
            auto at = optional_instant(*o, "first_come_at");
            if (!at || !*at)
                return Error::invalid(
                    "lottery.first_come_at", "must be an RFC 3339 instant or null"
                );
            rules.first_come_at = **at;
        }
        in.lottery = rules;
    }
    if (const auto* w = body->if_contains("waitlist")) {
        const auto mode =
            w->is_string() ? offerings::parse_waitlist_mode(w->get_string()) : std::nullopt;
        if (!mode) return Error::invalid("waitlist", "must be off, offer or automatic");
        in.waitlist = *mode;
    }
    if (const auto* qs = body->if_contains("questions")) {
        if (!qs->is_array()) return Error::invalid("questions", "must be a list");
        std::size_t i = 0;
        for (const auto& q : qs->get_array()) {
            const std::string f = "questions[" + std::to_string(i++) + "]";
            const auto* o = q.if_object();
            if (!o) return Error::invalid(f, "must be an object");
            YOYAKU_TRY(only_keys(*o, f, {"id", "label", "type", "required", "options"}));
            bookings::Question out;
            auto id = required_string(*o, "id", 64);
            if (!id) return Error::invalid(f + ".id", id.error().message);
            out.id = *id;
            auto label = required_string(*o, "label", 800);
            if (!label) return Error::invalid(f + ".label", label.error().message);
            out.label = *label;
            auto type = required_string(*o, "type", 16);
            auto parsed = type ? offerings::parse_question_type(*type) : std::nullopt;
            if (!parsed) return Error::invalid(f + ".type", "must be text, choice or checkbox");
            out.type = *parsed;
            auto required = bool_member(*o, "required");
            if (!required) return Error::invalid(f + ".required", "must be true or false");
            out.required = *required;
            if (const auto* opts = o->if_contains("options")) {
                if (!opts->is_array()) return Error::invalid(f + ".options", "must be a list");
                for (const auto& x : opts->get_array()) {
                    if (!x.is_string() || x.get_string().size() > 400)
                        return Error::invalid(f + ".options", "must be short strings");
                    out.options.emplace_back(x.get_string());
                }
            }
            in.questions.push_back(std::move(out));
        }
    }
    return in;
}

Response create_offering(ApiContext& ctx, Request& req) {
    auto in = offering_input(req);
    if (!in) return api_error(in.error(), req);
    auto o =
        ctx.offerings.create(req.principal.tenant, *in, actor_of(req.principal), origin_of(req));
    if (!o) return api_error(o.error(), req);
    return json_response(201, offering_json(*o, nullptr));
}

Response update_offering(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    if (!ctx.offerings.find(req.principal.tenant, OfferingId{*id}))
        return api_error(Error::not_found("no such offering"), req);
    auto in = offering_input(req);
    if (!in) return api_error(in.error(), req);
    auto o = ctx.offerings.update(
        req.principal.tenant, OfferingId{*id}, *in, actor_of(req.principal), origin_of(req)
    );
    if (!o) return api_error(o.error(), req);
    return json_response(200, offering_json(*o, nullptr));
}

Response list_offerings(ApiContext& ctx, Request& req) {
    auto all = ctx.offerings.list(req.principal.tenant, false);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& o : *all)
        if (sees_offering(req, o)) items.push_back(offering_json(o, nullptr));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response get_offering(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    auto o = visible_offering(ctx, req, OfferingId{*id});
    if (!o) return api_error(o.error(), req);
    auto occ = ctx.offerings.occurrences(req.principal.tenant, OfferingId{*id}, false);
    if (!occ) return api_error(occ.error(), req);
    return json_response(200, offering_json(*o, &*occ));
}

Response add_occurrence(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    if (!ctx.offerings.find(req.principal.tenant, OfferingId{*id}))
        return api_error(Error::not_found("no such offering"), req);
    auto body = json_object(req, {"starts_at", "ends_at", "capacity"});
    if (!body) return api_error(body.error(), req);
    auto starts = optional_instant(*body, "starts_at");
    if (!starts) return api_error(starts.error(), req);
    auto ends = optional_instant(*body, "ends_at");
    if (!ends) return api_error(ends.error(), req);
    auto capacity = int_member(*body, "capacity", 0);
    if (!capacity) return api_error(capacity.error(), req);
    if (!*starts) return api_error(Error::invalid("starts_at", "is required"), req);
    if (!*ends) return api_error(Error::invalid("ends_at", "is required"), req);
    auto o = ctx.offerings.add_occurrence(
        req.principal.tenant,
        OfferingId{*id},
        **starts,
        **ends,
        *capacity,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!o) return api_error(o.error(), req);
    return json_response(201, occurrence_json(*o));
}

Response availability_of(ApiContext& ctx, Request& req, TenantId tenant, bool published_only) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    auto q = query_params(req, {"from", "to"});
    if (!q) return api_error(q.error(), req);
    std::optional<std::chrono::year_month_day> from, to;
    for (auto [key, into] : {std::pair{"from", &from}, {"to", &to}}) {
        const auto it = q->find(key);
        if (it == q->end()) continue;
        *into = resources::parse_date(it->second);
        if (!*into) return api_error(Error::invalid(key, "must be a date YYYY-MM-DD"), req);
    }
    auto a = ctx.bookings.availability(tenant, *id, from, to, published_only);
    if (!a) return api_error(a.error(), req);
    boost::json::array slots;
    for (const auto& s : a->slots) {
        boost::json::object j{
            {"starts_at", json_time(s.starts_at)},
            {"ends_at", json_time(s.ends_at)},
            {"remaining", s.remaining}};
        if (s.occurrence_id) j["occurrence_id"] = *s.occurrence_id;
        if (!s.resource_ids.empty()) {
            boost::json::array ids;
            for (auto r : s.resource_ids) ids.emplace_back(r);
            j["resource_ids"] = std::move(ids);
        }
        slots.push_back(std::move(j));
    }
    return json_response(
        200,
        boost::json::object{
            {"offering_id", *id},
            {"time_zone", a->time_zone},
            {"from", resources::format_date(a->from)},
            {"to", resources::format_date(a->to)},
            {"slots", std::move(slots)}}
    );
}

Response staff_availability(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    if (auto o = visible_offering(ctx, req, OfferingId{*id}); !o) return api_error(o.error(), req);
    return availability_of(ctx, req, req.principal.tenant, false);
}

Response list_bookings(ApiContext& ctx, Request& req) {
    auto q =
        query_params(req, {"from", "to", "status", "offering_id", "resource_id", "email", "limit"});
    if (!q) return api_error(q.error(), req);
    bookings::BookingFilter f;
    for (const auto& [key, value] : *q) {
        if (key == "from" || key == "to") {
            auto t = parse_rfc3339(value);
            if (!t) return api_error(Error::invalid(key, "must be an RFC 3339 instant"), req);
            (key == "from" ? f.from : f.to) = *t;
        } else if (key == "status") {
            f.status = bookings::parse_booking_status(value);
            if (!f.status) return api_error(Error::invalid("status", "is not a status"), req);
        } else if (key == "email") {
            f.email = value;
        } else {
            std::int64_t n = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || n < 1)
                return api_error(Error::invalid(key, "must be a positive integer"), req);
            if (key == "limit")
                f.limit = static_cast<int>(std::min<std::int64_t>(n, 100000));
            else
                (key == "offering_id" ? f.offering_id : f.resource_id) = n;
        }
    }
    f.within = req.principal.scope;
    auto all = ctx.bookings.list(req.principal.tenant, f);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& b : *all) items.push_back(booking_json(b, true));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

bookings::Requester staff() {
    return {true, {}, {}};
}

// A booking with what cancelling it now would cost.
Response with_quote(
    ApiContext& ctx,
    Request& req,
    TenantId tenant,
    const bookings::Booking& b,
    const bookings::Requester& who
) {
    auto q = ctx.bookings.cancellation_quote(tenant, b.reference, who);
    if (!q) return api_error(q.error(), req);
    auto j = booking_json(b, true);
    j["cancellation_quote"] = quote_json(*q);
    return json_response(200, j);
}

Response get_booking(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.find_by_reference(req.principal.tenant, req.param("reference"));
    if (!b) return api_error(b.error(), req);
    return with_quote(ctx, req, req.principal.tenant, *b, staff());
}

Response cancel_booking(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"waive_fee"});
    if (!q) return api_error(q.error(), req);
    bool waive = false;
    if (const auto it = q->find("waive_fee"); it != q->end()) {
        if (it->second != "true" && it->second != "false")
            return api_error(Error::invalid("waive_fee", "must be true or false"), req);
        waive = it->second == "true";
    }
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.cancel(
        req.principal.tenant,
        req.param("reference"),
        staff(),
        actor_of(req.principal),
        origin_of(req),
        bookings::CancelOptions{std::nullopt, waive, false}
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

}  // namespace

Result<bookings::Selection> selection_of(const boost::json::object& body) {
    bookings::Selection s;
    for (auto [key, to] :
         {std::pair{"occurrence_id", &s.occurrence_id}, {"offering_id", &s.offering_id}}) {
        if (!body.contains(key)) continue;
        auto id = id_member(body, key);
        if (!id) return fail(std::move(id).error());
        *to = *id;
    }
    if (body.contains("resource_id")) {
        auto id = id_member(body, "resource_id");
        if (!id) return fail(std::move(id).error());
        s.resource_id = *id;
    }
    auto starts = optional_instant(body, "starts_at");
    if (!starts) return fail(std::move(starts).error());
    s.starts_at = *starts;
    for (auto [key, to] : {std::pair{"blocks", &s.blocks}, {"quantity", &s.quantity}}) {
        auto n = int_member(body, key, 1);
        if (!n) return fail(std::move(n).error());
        *to = *n;
    }
    if (const auto* tickets = body.if_contains("tickets")) {
        if (!tickets->is_object())
            return Error::invalid("tickets", "must be {\"<ticket type>\": count}");
        for (const auto& [code, n] : tickets->get_object()) {
            if (!n.is_int64() || code.size() > 32)
                return Error::invalid("tickets." + std::string(code), "must be a count");
            s.tickets[std::string(code)] =
                static_cast<int>(std::clamp<std::int64_t>(n.get_int64(), -1, 1000));
        }
    }
    return s;
}

Result<void> details_of(const boost::json::object& body, bookings::NewBooking& in) {
    const auto* c = body.if_contains("customer");
    if (!c || !c->is_object()) return Error::invalid("customer", "must be {name, email, phone}");
    const auto& co = c->get_object();
    YOYAKU_TRY(only_keys(co, "customer", {"name", "email", "phone", "locale"}));
    auto name = required_string(co, "name", 400);
    if (!name) return Error::invalid("customer.name", name.error().message);
    auto email = required_string(co, "email", 320);
    if (!email) return Error::invalid("customer.email", email.error().message);
    auto phone = optional_string(co, "phone", 40);
    if (!phone) return Error::invalid("customer.phone", phone.error().message);
    in.customer = {*name, *email, phone->value_or("")};
    auto locale = optional_string(co, "locale", 2);
    if (!locale) return Error::invalid("customer.locale", "must be ja or en");
    if (*locale && **locale != "ja" && **locale != "en")
        return Error::invalid("customer.locale", "must be ja or en");
    in.locale = locale->value_or("");
    auto note = optional_string(body, "note", 4000);
    if (!note) return fail(std::move(note).error());
    in.note = note->value_or("");
    if (const auto* a = body.if_contains("answers")) {
        if (!a->is_object()) return Error::invalid("answers", "must be {\"<question>\": answer}");
        for (const auto& [id, v] : a->get_object()) {
            const std::string f = "answers." + std::string(id);
            if (id.size() > 32) return Error::invalid(f, "is not a question");
            if (v.is_bool())
                in.answers[std::string(id)] = v.get_bool() ? "true" : "false";
            else if (v.is_string() && v.get_string().size() <= 4000)
                in.answers[std::string(id)] = std::string(v.get_string());
            else
                return Error::invalid(f, "must be text or true/false");
        }
    }
    return {};
}

Result<void> as_customer(
    ApiContext& ctx, const Request& req, TenantId tenant, bookings::NewBooking& in
) {
    const auto& p = req.principal;
    if (p.role != access::Role::customer || p.tenant != tenant) return {};
    auto account = ctx.accounts.find(tenant, p.account_id);
    if (!account) return fail(std::move(account).error());
    in.account_id = p.account_id;
    in.customer.email = account->email;
    return {};
}

Result<void> guest_challenge(ApiContext& ctx, const Request& req, const boost::json::object& body) {
    if (req.principal.signed_in()) return {};
    if (body.contains("altcha")) return require_challenge(ctx, body);
    if (!ctx.defence.free_booking(req.client_address))
        return Error::invalid(
            "altcha",
            "solve the proof-of-work challenge (GET /api/v1/challenge) and send it as altcha"
        );
    return {};
}

Result<bookings::Requester> customer_of(
    const Request& req, TenantId tenant, const boost::json::object& body
) {
    bookings::Requester who;
    if (req.principal.role == access::Role::customer && req.principal.tenant == tenant)
        who.account_id = req.principal.account_id;
    auto email = optional_string(body, "email", 320);
    if (!email) return fail(std::move(email).error());
    who.email = email->value_or("");
    // The key of the link in the booking's mails proves it as well as the address does.
    auto key = optional_string(body, "key", 64);
    if (!key) return fail(std::move(key).error());
    who.link_key = key->value_or("");
    if (!who.account_id && who.email.empty() && who.link_key.empty())
        return Error::invalid("email", "give the booking's email address");
    return who;
}

boost::json::object quote_json(const bookings::FeeQuote& q) {
    return {
        {"percent", q.percent},
        {"fee_jpy", q.fee_jpy},
        {"changes_at", q.changes_at ? boost::json::value(json_time(*q.changes_at)) : nullptr}};
}

namespace {

Result<bookings::Created> create_from(
    ApiContext& ctx, Request& req, TenantId tenant, bool hold, bool public_route
) {
    std::vector<std::string_view> allowed{
        "occurrence_id",
        "offering_id",
        "tickets",
        "starts_at",
        "blocks",
        "quantity",
        "resource_id"};
    if (!hold) allowed.insert(allowed.end(), {"customer", "note", "answers", "repeat"});
    if (public_route) allowed.push_back("altcha");
    auto body = json_object(req, allowed);
    if (!body) return fail(std::move(body).error());
    if (public_route) YOYAKU_TRY(guest_challenge(ctx, req, *body));
    bookings::NewBooking in;
    in.hold = hold;
    in.idempotency_key = std::string(req.headers.get("Idempotency-Key"));
    if (in.idempotency_key.empty())
        return Error::invalid("Idempotency-Key", "send a unique key with every booking request");
    auto sel = selection_of(*body);
    if (!sel) return fail(std::move(sel).error());
    if (!public_route) YOYAKU_TRY(check_selection(ctx, req, *sel, OfferingId{}));
    in.what = std::move(*sel);
    if (const auto* r = body->if_contains("repeat")) {
        const auto* o = r->if_object();
        if (!o)
            return Error::invalid("repeat", "must be {every_weeks, count | until, skip_conflicts}");
        YOYAKU_TRY(only_keys(*o, "repeat", {"every_weeks", "count", "until", "skip_conflicts"}));
        bookings::Repeat rep;
        auto every = int_member(*o, "every_weeks", 1);
        if (!every) return Error::invalid("repeat.every_weeks", "must be an integer");
        rep.every_weeks = *every;
        auto count = int_member(*o, "count", 0);
        if (!count) return Error::invalid("repeat.count", "must be an integer");
        rep.count = *count;
        if (const auto* u = o->if_contains("until")) {
            rep.until = u->is_string() ? resources::parse_date(u->get_string()) : std::nullopt;
            if (!rep.until) return Error::invalid("repeat.until", "must be a date YYYY-MM-DD");
        }
        auto skip = bool_member(*o, "skip_conflicts");
        if (!skip) return Error::invalid("repeat.skip_conflicts", "must be true or false");
        rep.skip_conflicts = *skip;
        in.repeat = rep;
    }
    if (!hold) {
        YOYAKU_TRY(details_of(*body, in));
        if (public_route) YOYAKU_TRY(as_customer(ctx, req, tenant, in));
    }
    const audit::Actor actor = public_route && !req.principal.signed_in()
                                   ? audit::Actor{"guest", "anonymous"}
                                   : actor_of(req.principal);
    return ctx.bookings.book(tenant, in, actor, origin_of(req));
}

Response created(const bookings::Created& r, bool with_customer) {
    auto j = booking_json(r.booking, with_customer);
    if (!r.series.empty()) {
        // A repeating request: every booking made, and the dates skipped with the reason.
        boost::json::array series, skipped;
        for (const auto& b : r.series) series.push_back(booking_json(b, with_customer));
        for (const auto& x : r.skipped)
            skipped.push_back(
                {{"starts_at", json_time(x.starts_at)}, {"field", x.field}, {"reason", x.reason}}
            );
        j["series"] = std::move(series);
        j["skipped"] = std::move(skipped);
    }
    auto resp = json_response(201, j);
    if (r.replayed) resp.headers.set("Idempotent-Replayed", "true");
    return resp;
}

Response staff_book(ApiContext& ctx, Request& req) {
    auto r = create_from(ctx, req, req.principal.tenant, false, false);
    if (!r) return api_error(r.error(), req);
    return created(*r, true);
}

Response reschedule_with(
    ApiContext& ctx, Request& req, TenantId tenant, bookings::Requester who, bool public_route
) {
    auto body =
        public_route
            ? json_object(req, {"email", "key", "occurrence_id", "starts_at", "resource_id"})
            : json_object(req, {"occurrence_id", "starts_at", "resource_id"});
    if (!body) return api_error(body.error(), req);
    if (public_route) {
        auto email = optional_string(*body, "email", 320);
        if (!email) return api_error(email.error(), req);
        who.email = email->value_or("");
        auto key = optional_string(*body, "key", 64);
        if (!key) return api_error(key.error(), req);
        who.link_key = key->value_or("");
        body->erase("email");
        body->erase("key");
    }
    auto sel = selection_of(*body);
    if (!sel) return api_error(sel.error(), req);
    if (!public_route && req.principal.scope.limited()) {
        // Staff move only their own bookings, and only to what is theirs.
        auto b = ctx.bookings.find_by_reference(tenant, req.param("reference"));
        if (!b) return api_error(b.error(), req);
        if (auto in = check_booking(ctx, req, b->reference); !in) return api_error(in.error(), req);
        if (auto to = check_selection(ctx, req, *sel, OfferingId{b->offering_id}); !to)
            return api_error(to.error(), req);
    }
    const audit::Actor actor =
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
    auto b =
        ctx.bookings.reschedule(tenant, req.param("reference"), *sel, who, actor, origin_of(req));
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, who.staff));
}

Response reschedule_booking(ApiContext& ctx, Request& req) {
    return reschedule_with(ctx, req, req.principal.tenant, staff(), false);
}

Response decide_booking(ApiContext& ctx, Request& req, bool approve) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.decide(
        req.principal.tenant,
        req.param("reference"),
        approve,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response approve_booking(ApiContext& ctx, Request& req) {
    return decide_booking(ctx, req, true);
}

Response reject_booking(ApiContext& ctx, Request& req) {
    return decide_booking(ctx, req, false);
}

Response check_in(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.check_in(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    // A kiosk shows who arrived, not their address.
    return json_response(200, booking_json(*b, false));
}

Response mark_paid(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.mark_paid(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response no_show(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.mark_no_show(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response my_bookings(ApiContext& ctx, Request& req) {
    bookings::BookingFilter f;
    f.account_id = req.principal.account_id;
    f.limit = 500;
    auto all = ctx.bookings.list(req.principal.tenant, f);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& b : *all) items.push_back(booking_json(b, true));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response public_offerings(ApiContext& ctx, Request& req) {
    // The booking site shows the tenant's name and its times in the tenant's zone.
    auto facts = public_tenant_facts(ctx, req);
    if (!facts) return api_error(facts.error(), req);
    auto all = ctx.offerings.list(facts->id, true);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& o : *all) {
        auto occ = ctx.offerings.occurrences(facts->id, o.id, true);
        if (!occ) return api_error(occ.error(), req);
        items.push_back(offering_json(o, &*occ));
    }
    return json_response(
        200,
        boost::json::object{
            {"tenant",
             {{"code", facts->code},
              {"name", facts->name},
              {"time_zone", facts->time_zone},
              {"locale", facts->locale}}},
            {"items", std::move(items)}}
    );
}

Response public_availability(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    return availability_of(ctx, req, *tenant, true);
}

Response public_book(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto r = create_from(ctx, req, *tenant, false, true);
    if (!r) return api_error(r.error(), req);
    return created(*r, false);
}

Response public_hold(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto r = create_from(ctx, req, *tenant, true, true);
    if (!r) return api_error(r.error(), req);
    return created(*r, false);
}

Response public_confirm_hold(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = json_object(req, {"customer", "note", "answers"});
    if (!body) return api_error(body.error(), req);
    bookings::NewBooking in;
    if (auto d = details_of(*body, in); !d) return api_error(d.error(), req);
    if (auto c = as_customer(ctx, req, *tenant, in); !c) return api_error(c.error(), req);
    const audit::Actor actor =
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
    auto b = ctx.bookings.confirm_hold(*tenant, req.param("reference"), in, actor, origin_of(req));
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, false));
}

Response public_lookup(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = json_object(req, {"email", "key"});
    if (!body) return api_error(body.error(), req);
    auto who = customer_of(req, *tenant, *body);
    if (!who) return api_error(who.error(), req);
    auto b = ctx.bookings.find_for(*tenant, req.param("reference"), *who);
    if (!b) return api_error(b.error(), req);
    return with_quote(ctx, req, *tenant, *b, *who);
}

Response public_cancel(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = json_object(req, {"email", "key", "expected_fee_jpy"});
    if (!body) return api_error(body.error(), req);
    auto who = customer_of(req, *tenant, *body);
    if (!who) return api_error(who.error(), req);
    auto expected = optional_integer(*body, "expected_fee_jpy");
    if (!expected) return api_error(expected.error(), req);
    const audit::Actor actor =
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
    auto b = ctx.bookings.cancel(
        *tenant,
        req.param("reference"),
        *who,
        actor,
        origin_of(req),
        bookings::CancelOptions{*expected, false, false}
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, false));
}

Response public_reschedule(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    bookings::Requester who;
    if (req.principal.role == access::Role::customer && req.principal.tenant == *tenant)
        who.account_id = req.principal.account_id;
    return reschedule_with(ctx, req, *tenant, who, true);
}

}  // namespace

void add_booking_routes(Router& router, ApiContext& ctx) {
    const auto read = "tenant.bookings.read";
    const auto manage = "tenant.bookings.manage";
    const auto setup = "tenant.setup.manage";
    router.add({"GET", "/api/v1/offerings", read, bind(ctx, list_offerings)});
    router.add({"POST", "/api/v1/offerings", setup, bind(ctx, create_offering)});
    router.add({"GET", "/api/v1/offerings/{offering_id}", read, bind(ctx, get_offering)});
    router.add({"PUT", "/api/v1/offerings/{offering_id}", setup, bind(ctx, update_offering)});
    router.add(
        {"POST", "/api/v1/offerings/{offering_id}/occurrences", setup, bind(ctx, add_occurrence)}
    );
    router.add(
        {"GET", "/api/v1/offerings/{offering_id}/availability", read, bind(ctx, staff_availability)}
    );
    router.add({"GET", "/api/v1/bookings", read, bind(ctx, list_bookings)});
    router.add({"POST", "/api/v1/bookings", manage, bind(ctx, staff_book)});
    router.add({"GET", "/api/v1/bookings/{reference}", read, bind(ctx, get_booking)});
    router.add({"DELETE", "/api/v1/bookings/{reference}", manage, bind(ctx, cancel_booking)});
    router.add(
        {"POST", "/api/v1/bookings/{reference}/reschedule", manage, bind(ctx, reschedule_booking)}
    );
    router.add({"POST", "/api/v1/bookings/{reference}/approve", manage, bind(ctx, approve_booking)}
    );
    router.add({"POST", "/api/v1/bookings/{reference}/reject", manage, bind(ctx, reject_booking)});
    router.add(
        {"POST", "/api/v1/bookings/{reference}/check-in", "tenant.checkin", bind(ctx, check_in)}
    );
    router.add({"POST", "/api/v1/bookings/{reference}/no-show", manage, bind(ctx, no_show)});
    router.add({"POST", "/api/v1/bookings/{reference}/paid", manage, bind(ctx, mark_paid)});
    router.add({"GET", "/api/v1/me/bookings", "customer.self", bind(ctx, my_bookings)});
    router.add(
        {"GET", "/api/v1/public/{tenant_code}/offerings", "public", bind(ctx, public_offerings)}
    );
    router.add(
        {"GET",
         "/api/v1/public/{tenant_code}/offerings/{offering_id}/availability",
         "public",
         bind(ctx, public_availability)}
    );
    router.add({"POST", "/api/v1/public/{tenant_code}/bookings", "public", bind(ctx, public_book)});
    router.add({"POST", "/api/v1/public/{tenant_code}/holds", "public", bind(ctx, public_hold)});
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/holds/{reference}/confirm",
         "public",
         bind(ctx, public_confirm_hold)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/lookup",
         "public",
         bind(ctx, public_lookup)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/cancel",
         "public",
         bind(ctx, public_cancel)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/reschedule",
         "public",
         bind(ctx, public_reschedule)}
    );
}

}  // namespace yoyaku::http

// Offerings and their dates, and their free slots.
//
//   GET  /api/v1/offerings                                   list (staff: what they may see)
//   POST /api/v1/offerings                                   create (managers)           → 201
//   GET  /api/v1/offerings/{offering_id}                     one, with its occurrences
//   PUT  /api/v1/offerings/{offering_id}                     replace (managers)
//   POST /api/v1/offerings/{offering_id}/occurrences         add an occurrence           → 201
//   GET  /api/v1/offerings/{offering_id}/availability        free slots (drafts too)
//   GET  /api/v1/public/{tenant_code}/offerings              published offerings
//   GET  /api/v1/public/{tenant_code}/offerings/{offering_id}/availability

#include <boost/json.hpp>
#include <vector>

#include "domain/resources/resources.hpp"
#include "http/api/api.hpp"
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
    for (auto id : o.resource_ids) ids.emplace_back(id.value);
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

namespace {

Result<offerings::OfferingInput> offering_input(const Request& req) {
    YOYAKU_TRY_ASSIGN(
        auto body,
        json_object(
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
        )
    );
    offerings::OfferingInput in;
    auto kind = required_string(body, "kind", 16);
    if (!kind) return fail(std::move(kind).error());
    auto k = offerings::parse_offering_kind(*kind);
    if (!k) return Error::invalid("kind", "must be appointment, rental, event or course");
    in.kind = *k;
    auto name = required_string(body, "name", 800);
    if (!name) return fail(std::move(name).error());
    in.name = *name;
    YOYAKU_TRY_ASSIGN(auto description, optional_string(body, "description", 16000));
    in.description = description.value_or("");
    for (auto [key, to] :
         {std::pair{"published", &in.published}, {"requires_approval", &in.requires_approval}}) {
        YOYAKU_TRY_ASSIGN(auto b, bool_member(body, key));
        *to = b;
    }
    if (const auto* v = body.if_contains("opens_before_minutes"); v && !v->is_null()) {
        YOYAKU_TRY_ASSIGN(auto n, int_member(body, "opens_before_minutes", 0));
        in.opens_before_minutes = n;
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
        YOYAKU_TRY_ASSIGN(auto n, int_member(body, key, *to));
        *to = n;
    }
    auto price = optional_integer(body, "price_jpy");
    if (!price) return fail(std::move(price).error());
    in.price_jpy = price->value_or(0);
    if (const auto* v = body.if_contains("room_id"); v && !v->is_null()) {
        YOYAKU_TRY_ASSIGN(auto id, id_member<ResourceId>(body, "room_id"));
        in.room_id = id;
    }
    for (auto [key, to] :
         {std::pair{"applications_open_at", &in.applications_open_at},
          {"applications_close_at", &in.applications_close_at}}) {
        if (const auto* v = body.if_contains(key); v && v->is_null()) continue;
        YOYAKU_TRY_ASSIGN(auto t, optional_instant(body, key));
        *to = t;
    }
    YOYAKU_TRY_ASSIGN(in.resource_ids, id_list<ResourceId>(body, "resource_ids"));
    if (const auto* types = body.if_contains("ticket_types")) {
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
    if (const auto* fees = body.if_contains("cancellation_fees")) {
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
    if (const auto* limits = body.if_contains("limits")) {
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
    if (const auto* l = body.if_contains("lottery"); l && !l->is_null()) {
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
    if (const auto* w = body.if_contains("waitlist")) {
        const auto mode =
            w->is_string() ? offerings::parse_waitlist_mode(w->get_string()) : std::nullopt;
        if (!mode) return Error::invalid("waitlist", "must be off, offer or automatic");
        in.waitlist = *mode;
    }
    if (const auto* qs = body.if_contains("questions")) {
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
    auto id = id_param<OfferingId>(req, "offering_id");
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
    auto id = id_param<OfferingId>(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    auto o = visible_offering(ctx, req, OfferingId{*id});
    if (!o) return api_error(o.error(), req);
    auto occ = ctx.offerings.occurrences(req.principal.tenant, OfferingId{*id}, false);
    if (!occ) return api_error(occ.error(), req);
    return json_response(200, offering_json(*o, &*occ));
}

Response add_occurrence(ApiContext& ctx, Request& req) {
    auto id = id_param<OfferingId>(req, "offering_id");
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
    auto id = id_param<OfferingId>(req, "offering_id");
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
    auto a = ctx.availability.find(tenant, *id, from, to, published_only);
    if (!a) return api_error(a.error(), req);
    boost::json::array slots;
    for (const auto& s : a->slots) {
        boost::json::object j{
            {"starts_at", json_time(s.starts_at)},
            {"ends_at", json_time(s.ends_at)},
            {"remaining", s.remaining}};
        if (s.occurrence_id) j["occurrence_id"] = s.occurrence_id->value;
        if (!s.resource_ids.empty()) {
            boost::json::array ids;
            for (auto r : s.resource_ids) ids.emplace_back(r.value);
            j["resource_ids"] = std::move(ids);
        }
        slots.push_back(std::move(j));
    }
    return json_response(
        200,
        boost::json::object{
            {"offering_id", id->value},
            {"time_zone", a->time_zone},
            {"from", resources::format_date(a->from)},
            {"to", resources::format_date(a->to)},
            {"slots", std::move(slots)}}
    );
}

Response staff_availability(ApiContext& ctx, Request& req) {
    auto id = id_param<OfferingId>(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    if (auto o = visible_offering(ctx, req, OfferingId{*id}); !o) return api_error(o.error(), req);
    return availability_of(ctx, req, req.principal.tenant, false);
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

}  // namespace

void add_offering_routes(Router& router, ApiContext& ctx) {
    const auto read = "tenant.bookings.read";
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
    router.add(
        {"GET", "/api/v1/public/{tenant_code}/offerings", "public", bind(ctx, public_offerings)}
    );
    router.add(
        {"GET",
         "/api/v1/public/{tenant_code}/offerings/{offering_id}/availability",
         "public",
         bind(ctx, public_availability)}
    );
}

}  // namespace yoyaku::http

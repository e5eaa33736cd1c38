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
#include "http/api/offering_body.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

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
// A new occurrence: when, and how many seats.
struct OccurrenceBody {
    Instant starts_at;
    Instant ends_at;
    int capacity = 0;
    static constexpr std::array<std::string_view, 2> kRequired{"starts_at", "ends_at"};
};
BOOST_DESCRIBE_STRUCT(OccurrenceBody, (), (starts_at, ends_at, capacity))

using bookings::Offering;

boost::json::object offering_json(const Offering& o, const std::vector<Occurrence>* occ) {
    auto j = to_json(o).as_object();
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
    return read_body<offerings::OfferingInput>(req);
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
    auto body = read_body<OccurrenceBody>(req);
    if (!body) return api_error(body.error(), req);
    auto o = ctx.offerings.add_occurrence(
        req.principal.tenant,
        OfferingId{*id},
        body->starts_at,
        body->ends_at,
        body->capacity,
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
        if (s.division)
            j["division"] = {
                {"code", s.division->code},
                {"name", s.division->name},
                {"index", s.division_index},
                {"price_jpy", s.division->price_jpy}};
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
    auto line = ctx.line_login.channel(facts->id);
    if (!line) return api_error(line.error(), req);
    boost::json::array items;
    for (const auto& o : *all) {
        auto occ = ctx.offerings.occurrences(facts->id, o.id, true);
        if (!occ) return api_error(occ.error(), req);
        auto j = offering_json(o, &*occ);
        // The meeting link is for those who booked: the listing only says it is online.
        j["online"] = !o.online_url.empty() || o.zoom_meetings;
        j.erase("online_url");
        items.push_back(std::move(j));
    }
    return json_response(
        200,
        boost::json::object{
            {"tenant",
             {{"code", facts->code},
              {"name", facts->name},
              {"time_zone", facts->time_zone},
              {"locale", facts->locale},
              {"line_login", line->configured},
              {"line_liff_id",
               line->liff_id.empty() ? boost::json::value() : boost::json::value(line->liff_id)}}},
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

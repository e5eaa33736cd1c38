// Seat maps and an occurrence's seats (issue 26, ADR 0022).
//
//   GET  /api/v1/seat-maps                       {seat_maps: [{id, name, seats, …}]}
//   (bookings.read) POST /api/v1/seat-maps                       {name, layout} → 201 the map
//   (setup.manage) GET  /api/v1/seat-maps/{seat_map_id}         the map with its layout PUT
//   /api/v1/seat-maps/{seat_map_id}         {name, layout} → the map; 409 when a seat
//        taken in some occurrence would go
//   GET  /api/v1/public/{tenant_code}/occurrences/{occurrence_id}/seats
//        {occurrence_id, seat_map_id, layout, taken: ["A-3", …]} (who holds them: never)
//   GET  /api/v1/occurrences/{occurrence_id}/seats            the same with {seat, use,
//        reference} per taken seat (bookings.read)
//   POST /api/v1/occurrences/{occurrence_id}/seats/house      {seats} kept off sale
//   POST /api/v1/occurrences/{occurrence_id}/seats/release    {seats} back on sale
//        (setup.manage)

#include <boost/json.hpp>

#include "domain/bookings/seats/seat_service.hpp"
#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/problem.hpp"

namespace yoyaku::http {
namespace {

boost::json::object map_json(const seating::SeatMapRow& m, bool with_layout) {
    boost::json::object o{
        {"id", m.id},
        {"name", m.name},
        {"seats", m.seats},
        {"created_at", json_time(m.created_at)},
        {"updated_at", json_time(m.updated_at)}};
    if (with_layout) o["layout"] = boost::json::parse(m.layout);
    return o;
}

boost::json::object seats_json(const bookings::OccurrenceSeats& s, bool staff) {
    boost::json::array taken;
    for (const auto& t : s.taken) {
        if (!staff) {
            taken.emplace_back(t.seat);
            continue;
        }
        const auto holder = s.holders.find(t.seat);
        taken.push_back(boost::json::object{
            {"seat", t.seat},
            {"use", t.use == seating::SeatUse::house ? "house" : "booked"},
            {"reference",
             holder == s.holders.end() ? boost::json::value(nullptr)
                                       : boost::json::value(holder->second)}});
    }
    return {
        {"occurrence_id", s.occurrence_id.value},
        {"seat_map_id", s.seat_map_id},
        {"layout", boost::json::parse(s.layout)},
        {"taken", std::move(taken)}};
}

// {name, layout}: the name, and the layout as JSON text for the domain to check.
Result<std::pair<std::string, std::string>> map_body(const Request& req) {
    YOYAKU_TRY_ASSIGN(const auto o, json_object(req, {"name", "layout"}));
    YOYAKU_TRY_ASSIGN(auto name, required_string(o, "name", 400));
    const auto* layout = o.if_contains("layout");
    if (!layout) return Error::invalid("layout", "is required");
    if (!layout->is_object()) return Error::invalid("layout", "must be an object");
    return std::pair{std::move(name), boost::json::serialize(*layout)};
}

// {seats: ["A-1", …]}
Result<std::vector<std::string>> seats_body(const Request& req) {
    YOYAKU_TRY_ASSIGN(const auto o, json_object(req, {"seats"}));
    const auto* a = o.if_contains("seats");
    if (!a || !a->is_array()) return Error::invalid("seats", "must be a list of seat ids");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a->get_array().size(); ++i) {
        const auto& v = a->get_array()[i];
        if (!v.is_string() || v.get_string().empty() || v.get_string().size() > 20)
            return Error::invalid("seats[" + std::to_string(i) + "]", "must be a seat id");
        out.emplace_back(v.get_string());
    }
    return out;
}

Response list_maps(ApiContext& ctx, Request& req) {
    auto all = ctx.seats.maps(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array a;
    for (const auto& m : *all) a.push_back(map_json(m, false));
    return json_response(200, boost::json::object{{"seat_maps", std::move(a)}});
}

Response get_map(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "seat_map_id");
    if (!id) return api_error(id.error(), req);
    auto m = ctx.seats.map(req.principal.tenant, *id);
    if (!m) return api_error(m.error(), req);
    return json_response(200, map_json(*m, true));
}

Response create_map(ApiContext& ctx, Request& req) {
    auto body = map_body(req);
    if (!body) return api_error(body.error(), req);
    auto m = ctx.seats.create_map(
        req.principal.tenant, body->first, body->second, actor_of(req.principal), origin_of(req)
    );
    if (!m) return api_error(m.error(), req);
    return json_response(201, map_json(*m, true));
}

Response update_map(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "seat_map_id");
    if (!id) return api_error(id.error(), req);
    // Another tenant's map is not found, whatever the body says.
    if (auto m = ctx.seats.map(req.principal.tenant, *id); !m) return api_error(m.error(), req);
    auto body = map_body(req);
    if (!body) return api_error(body.error(), req);
    auto m = ctx.seats.update_map(
        req.principal.tenant,
        *id,
        body->first,
        body->second,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!m) return api_error(m.error(), req);
    return json_response(200, map_json(*m, true));
}

Response public_seats(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto id = id_param<OccurrenceId>(req, "occurrence_id");
    if (!id) return api_error(id.error(), req);
    auto s = ctx.seats.occurrence_seats(*tenant, *id, true);
    if (!s) return api_error(s.error(), req);
    return json_response(200, seats_json(*s, false));
}

Response staff_seats(ApiContext& ctx, Request& req) {
    auto id = id_param<OccurrenceId>(req, "occurrence_id");
    if (!id) return api_error(id.error(), req);
    auto s = ctx.seats.occurrence_seats(req.principal.tenant, *id, false);
    if (!s) return api_error(s.error(), req);
    return json_response(200, seats_json(*s, true));
}

template <bool Keep>
Response house_seats(ApiContext& ctx, Request& req) {
    auto id = id_param<OccurrenceId>(req, "occurrence_id");
    if (!id) return api_error(id.error(), req);
    // Another tenant's occurrence is not found, whatever the body says.
    if (auto now = ctx.seats.occurrence_seats(req.principal.tenant, *id, true); !now)
        return api_error(now.error(), req);
    auto seats = seats_body(req);
    if (!seats) return api_error(seats.error(), req);
    const auto who = actor_of(req.principal);
    auto s = Keep ? ctx.seats.keep_for_house(req.principal.tenant, *id, *seats, who, origin_of(req))
                  : ctx.seats.release_house(req.principal.tenant, *id, *seats, who, origin_of(req));
    if (!s) return api_error(s.error(), req);
    return json_response(200, seats_json(*s, true));
}

}  // namespace

void add_seat_routes(Router& router, ApiContext& ctx) {
    const std::string map = "/api/v1/seat-maps/{seat_map_id}";
    const std::string occ = "/api/v1/occurrences/{occurrence_id}/seats";
    router.add({"GET", "/api/v1/seat-maps", "tenant.bookings.read", bind(ctx, list_maps)});
    router.add({"POST", "/api/v1/seat-maps", "tenant.setup.manage", bind(ctx, create_map)});
    router.add({"GET", map, "tenant.bookings.read", bind(ctx, get_map)});
    router.add({"PUT", map, "tenant.setup.manage", bind(ctx, update_map)});
    router.add(
        {"GET",
         "/api/v1/public/{tenant_code}/occurrences/{occurrence_id}/seats",
         "public",
         bind(ctx, public_seats)}
    );
    router.add({"GET", occ, "tenant.bookings.read", bind(ctx, staff_seats)});
    router.add({"POST", occ + "/house", "tenant.setup.manage", bind(ctx, house_seats<true>)});
    router.add({"POST", occ + "/release", "tenant.setup.manage", bind(ctx, house_seats<false>)});
}

}  // namespace yoyaku::http

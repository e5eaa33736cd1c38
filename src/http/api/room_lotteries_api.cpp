// Room lotteries (施設の抽選, issue 27, ADR 0024): staff set up a month's lottery over rooms
// rented by division and draw it (or the scheduler does); signed-in customers apply with ranked
// choices, as themselves or as their registered group, see their results and confirm a win;
// anyone can check a draw against its seed.
//
//   GET  /api/v1/room-lotteries                        (tenant.bookings.read)
//   POST /api/v1/room-lotteries                        {name, month, offering_ids, opens_at,
//        closes_at, draw_at, confirm_by, first_come_at, max_choices?, max_wins?, tiers?} → 201
//        (tenant.setup.manage)
//   GET  /api/v1/room-lotteries/{lottery_id}           the lottery and its draw
//   PUT  /api/v1/room-lotteries/{lottery_id}/times   {opens_at, closes_at, draw_at, confirm_by,
//        first_come_at}: moved before the draw (e.g. applications closed early)
//   GET  /api/v1/room-lotteries/{lottery_id}/entries   the applications and what they won
//   GET  /api/v1/room-lotteries/{lottery_id}/demand[?format=csv]   demand vs supply per slot
//   POST /api/v1/room-lotteries/{lottery_id}/draw      (tenant.bookings.manage)
//   GET  /api/v1/public/{tenant_code}/room-lotteries   the lotteries, for applicants
//   GET  /api/v1/public/{tenant_code}/room-lotteries/{lottery_id}   with the draw's proof
//   GET  /api/v1/me/room-lottery-entries               the customer's applications and wins
//   POST /api/v1/me/room-lottery-entries               {lottery_id, choices, group_id?, locale?}
//   POST /api/v1/me/bookings/{reference}/confirmation  {equipment?, surcharges?}: a win
//        confirmed (本予約)

#include <boost/json.hpp>

#include "domain/resources/resources.hpp"
#include "http/api/api.hpp"
#include "http/api/booking_bodies.hpp"
#include "http/api/csv.hpp"
#include "http/api/resource_body.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

using namespace std::chrono;

struct LotteryBody {
    Text<800> name;
    Text<7> month;
    std::vector<OfferingId> offering_ids;
    Instant opens_at{};
    Instant closes_at{};
    Instant draw_at{};
    Instant confirm_by{};
    Instant first_come_at{};
    int max_choices = 3;
    int max_wins = 1;
    std::vector<UserClassId> tiers;
    static constexpr std::array<std::string_view, 8> kRequired{
        "name",
        "month",
        "offering_ids",
        "opens_at",
        "closes_at",
        "draw_at",
        "confirm_by",
        "first_come_at"};
};
BOOST_DESCRIBE_STRUCT(
    LotteryBody,
    (),
    (name,
     month,
     offering_ids,
     opens_at,
     closes_at,
     draw_at,
     confirm_by,
     first_come_at,
     max_choices,
     max_wins,
     tiers)
)

struct ChoiceBody {
    OfferingId offering_id;
    year_month_day date{};
    Text<40> division;
    int blocks = 1;
    static constexpr std::array<std::string_view, 3> kRequired{"offering_id", "date", "division"};
};
BOOST_DESCRIBE_STRUCT(ChoiceBody, (), (offering_id, date, division, blocks))

struct ApplicationBody {
    RoomLotteryId lottery_id;
    std::vector<ChoiceBody> choices;
    std::optional<GroupId> group_id;
    Text<8> locale;
    static constexpr std::array<std::string_view, 2> kRequired{"lottery_id", "choices"};
};
BOOST_DESCRIBE_STRUCT(ApplicationBody, (), (lottery_id, choices, group_id, locale))

struct ConfirmationBody {
    std::vector<bookings::EquipmentChoice> equipment;
    std::vector<Text<40>> surcharges;
};
BOOST_DESCRIBE_STRUCT(ConfirmationBody, (), (equipment, surcharges))

std::optional<year_month> parse_month(std::string_view s) {
    const auto d = resources::parse_date(std::string(s) + "-01");
    if (s.size() != 7 || !d) return std::nullopt;
    return d->year() / d->month();
}

std::string state_of(const bookings::RoomLottery& l, Instant now) {
    if (l.drawn_at) return "drawn";
    if (now < l.opens_at) return "upcoming";
    if (now < l.closes_at) return "open";
    return "closed";
}

boost::json::object lottery_json(const bookings::RoomLottery& l, Instant now) {
    boost::json::array rooms, tiers;
    for (const auto id : l.offering_ids) rooms.emplace_back(id.value);
    for (const auto id : l.tiers) tiers.emplace_back(id.value);
    return {
        {"id", l.id.value},
        {"name", l.name},
        {"month", bookings::format_month(l.month)},
        {"offering_ids", std::move(rooms)},
        {"opens_at", json_time(l.opens_at)},
        {"closes_at", json_time(l.closes_at)},
        {"draw_at", json_time(l.draw_at)},
        {"confirm_by", json_time(l.confirm_by)},
        {"first_come_at", json_time(l.first_come_at)},
        {"max_choices", l.max_choices},
        {"max_wins", l.max_wins},
        {"tiers", std::move(tiers)},
        {"state", state_of(l, now)},
        {"drawn_at", opt_json(l.drawn_at)}};
}

boost::json::object draw_json(const bookings::RoomDraw& d) {
    if (!d.drawn) return {{"drawn", false}};
    boost::json::array allocation;
    for (const auto& [ref, won] : d.allocation) {
        boost::json::array w;
        for (const int i : won) w.emplace_back(i);
        allocation.push_back({{"reference", ref}, {"won", std::move(w)}});
    }
    boost::json::object supply;
    for (const auto& [key, n] : d.supply) supply[key] = n;
    return {
        {"drawn", true},
        {"seed", d.seed},
        {"drawn_at", json_time(d.drawn_at)},
        {"supply", std::move(supply)},
        {"allocation", std::move(allocation)},
        {"verified", d.verified}};
}

boost::json::object entry_json(const bookings::RoomEntry& e) {
    boost::json::array choices, wins;
    for (const auto& c : e.choices)
        choices.push_back(
            {{"offering_id", c.offering_id.value},
             {"date", resources::format_date(c.date)},
             {"division", c.division},
             {"blocks", c.blocks}}
        );
    for (const auto& w : e.wins)
        wins.push_back(
            {{"choice", w.choice},
             {"booking_reference", w.booking_reference},
             {"status", bookings::to_string(w.status)},
             {"confirm_by", opt_json(w.confirm_by)}}
        );
    return {
        {"reference", e.reference},
        {"lottery_id", e.lottery_id.value},
        {"group_id", opt_json(e.group_id)},
        {"tier", e.tier},
        {"choices", std::move(choices)},
        {"status", e.status},
        {"wins", std::move(wins)},
        {"created_at", json_time(e.created_at)}};
}

Response list_lotteries_in(ApiContext& ctx, Request& req, TenantId tenant) {
    auto all = ctx.room_lotteries.list(tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array out;
    for (const auto& l : *all) out.push_back(lottery_json(l, ctx.clock.now()));
    return json_response(200, boost::json::object{{"lotteries", std::move(out)}});
}

Response lottery_in(ApiContext& ctx, Request& req, TenantId tenant) {
    auto id = id_param<RoomLotteryId>(req, "lottery_id");
    if (!id) return api_error(id.error(), req);
    auto l = ctx.room_lotteries.find(tenant, *id);
    if (!l) return api_error(l.error(), req);
    auto d = ctx.room_lotteries.draw_of(tenant, *id);
    if (!d) return api_error(d.error(), req);
    auto j = lottery_json(*l, ctx.clock.now());
    j["draw"] = draw_json(*d);
    // The rooms with their divisions, for choosing.
    boost::json::array rooms;
    for (const auto oid : l->offering_ids) {
        auto o = ctx.offerings.find(tenant, oid);
        if (!o) return api_error(o.error(), req);
        if (o->resource_ids.empty()) continue;
        auto r = ctx.resources.find(tenant, o->resource_ids.front());
        if (!r) return api_error(r.error(), req);
        rooms.push_back(
            {{"offering_id", oid.value}, {"name", o->name}, {"divisions", to_json(r->divisions)}}
        );
    }
    j["rooms"] = std::move(rooms);
    return json_response(200, j);
}

Response list_lotteries(ApiContext& ctx, Request& req) {
    return list_lotteries_in(ctx, req, req.principal.tenant);
}

Response get_lottery(ApiContext& ctx, Request& req) {
    return lottery_in(ctx, req, req.principal.tenant);
}

Response public_lotteries(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    return list_lotteries_in(ctx, req, *tenant);
}

Response public_lottery(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    return lottery_in(ctx, req, *tenant);
}

Response create_lottery(ApiContext& ctx, Request& req) {
    auto body = read_body<LotteryBody>(req);
    if (!body) return api_error(body.error(), req);
    const auto month = parse_month(body->month.value);
    if (!month) return api_error(Error::invalid("month", "must be a month YYYY-MM"), req);
    bookings::RoomLottery in;
    in.name = body->name.value;
    in.month = *month;
    in.offering_ids = body->offering_ids;
    in.opens_at = body->opens_at;
    in.closes_at = body->closes_at;
    in.draw_at = body->draw_at;
    in.confirm_by = body->confirm_by;
    in.first_come_at = body->first_come_at;
    in.max_choices = body->max_choices;
    in.max_wins = body->max_wins;
    in.tiers = body->tiers;
    auto l = ctx.room_lotteries.create(
        req.principal.tenant, in, actor_of(req.principal), origin_of(req)
    );
    if (!l) return api_error(l.error(), req);
    return json_response(201, lottery_json(*l, ctx.clock.now()));
}

struct TimesBody {
    Instant opens_at{};
    Instant closes_at{};
    Instant draw_at{};
    Instant confirm_by{};
    Instant first_come_at{};
    static constexpr std::array<std::string_view, 5> kRequired{
        "opens_at", "closes_at", "draw_at", "confirm_by", "first_come_at"};
};
BOOST_DESCRIBE_STRUCT(TimesBody, (), (opens_at, closes_at, draw_at, confirm_by, first_come_at))

Response reschedule(ApiContext& ctx, Request& req) {
    auto id = id_param<RoomLotteryId>(req, "lottery_id");
    if (!id) return api_error(id.error(), req);
    // Another tenant's id is not found, whatever the body says.
    if (auto l = ctx.room_lotteries.find(req.principal.tenant, *id); !l)
        return api_error(l.error(), req);
    auto body = read_body<TimesBody>(req);
    if (!body) return api_error(body.error(), req);
    bookings::RoomLottery times;
    times.opens_at = body->opens_at;
    times.closes_at = body->closes_at;
    times.draw_at = body->draw_at;
    times.confirm_by = body->confirm_by;
    times.first_come_at = body->first_come_at;
    auto l = ctx.room_lotteries.reschedule(
        req.principal.tenant, *id, times, actor_of(req.principal), origin_of(req)
    );
    if (!l) return api_error(l.error(), req);
    return json_response(200, lottery_json(*l, ctx.clock.now()));
}

Response lottery_entries(ApiContext& ctx, Request& req) {
    auto id = id_param<RoomLotteryId>(req, "lottery_id");
    if (!id) return api_error(id.error(), req);
    auto all = ctx.room_lotteries.entries(req.principal.tenant, *id);
    if (!all) return api_error(all.error(), req);
    boost::json::array out;
    for (const auto& e : *all) {
        auto j = entry_json(e);
        j["account_id"] = e.account_id.value;
        out.push_back(std::move(j));
    }
    return json_response(200, boost::json::object{{"entries", std::move(out)}});
}

std::string demand_csv(const std::vector<bookings::SlotDemand>& rows) {
    std::string out;
    const auto row = [&](std::initializer_list<std::string> cells) {
        bool first = true;
        for (const auto& c : cells) {
            if (!first) out += ',';
            first = false;
            csv_cell(out, c);
        }
        out += "\r\n";
    };
    row({"room", "date", "division", "division_name", "open", "first_choices", "choices", "won_by"}
    );
    for (const auto& r : rows)
        row(
            {r.offering_name,
             resources::format_date(r.date),
             r.division,
             r.division_name,
             r.open ? "1" : "0",
             std::to_string(r.first_choices),
             std::to_string(r.choices),
             r.won_by.value_or("")}
        );
    return out;
}

Response lottery_demand(ApiContext& ctx, Request& req) {
    auto id = id_param<RoomLotteryId>(req, "lottery_id");
    if (!id) return api_error(id.error(), req);
    auto q = query_params(req, {"format"});
    if (!q) return api_error(q.error(), req);
    const std::string format = q->count("format") ? q->at("format") : "json";
    if (format != "json" && format != "csv")
        return api_error(Error::invalid("format", "must be json or csv"), req);
    auto rows = ctx.room_lotteries.demand(req.principal.tenant, *id);
    if (!rows) return api_error(rows.error(), req);
    if (format == "csv") {
        auto r = Response::text(200, "text/csv; charset=utf-8", demand_csv(*rows));
        r.headers.set(
            "Content-Disposition",
            "attachment; filename=\"room-lottery-" + to_string(*id) + "-demand.csv\""
        );
        return r;
    }
    boost::json::array out;
    int slots = 0, open = 0, wanted = 0;
    for (const auto& r : *rows) {
        ++slots;
        open += r.open;
        wanted += r.choices > 0;
        out.push_back(
            {{"offering_id", r.offering_id.value},
             {"offering_name", r.offering_name},
             {"date", resources::format_date(r.date)},
             {"division", r.division},
             {"division_name", r.division_name},
             {"starts_at", json_time(r.starts_at)},
             {"open", r.open},
             {"first_choices", r.first_choices},
             {"choices", r.choices},
             {"won_by", r.won_by ? boost::json::value(*r.won_by) : boost::json::value()}}
        );
    }
    return json_response(
        200,
        boost::json::object{
            {"slots", std::move(out)},
            {"totals", {{"slots", slots}, {"open", open}, {"wanted", wanted}}}}
    );
}

Response draw(ApiContext& ctx, Request& req) {
    auto id = id_param<RoomLotteryId>(req, "lottery_id");
    if (!id) return api_error(id.error(), req);
    auto d =
        ctx.room_lotteries.draw(req.principal.tenant, *id, actor_of(req.principal), origin_of(req));
    if (!d) return api_error(d.error(), req);
    return json_response(200, draw_json(*d));
}

Response my_entries(ApiContext& ctx, Request& req) {
    auto all = ctx.room_lotteries.mine(req.principal.tenant, req.principal.account_id);
    if (!all) return api_error(all.error(), req);
    boost::json::array out;
    for (const auto& e : *all) out.push_back(entry_json(e));
    return json_response(200, boost::json::object{{"entries", std::move(out)}});
}

Response apply(ApiContext& ctx, Request& req) {
    auto body = read_body<ApplicationBody>(req);
    if (!body) return api_error(body.error(), req);
    bookings::NewRoomApplication in;
    in.lottery_id = body->lottery_id;
    in.group_id = body->group_id;
    in.locale = body->locale.value;
    for (const auto& c : body->choices)
        in.choices.push_back({c.offering_id, c.date, c.division.value, c.blocks});
    auto e = ctx.room_lotteries.apply(
        req.principal.tenant, req.principal.account_id, in, actor_of(req.principal), origin_of(req)
    );
    if (!e) return api_error(e.error(), req);
    return json_response(201, entry_json(*e));
}

Response confirm_win(ApiContext& ctx, Request& req) {
    auto body = read_body<ConfirmationBody>(req);
    if (!body) return api_error(body.error(), req);
    std::vector<std::string> surcharges;
    for (const auto& s : body->surcharges) surcharges.push_back(s.value);
    bookings::Requester who;
    who.account_id = req.principal.account_id;
    auto b = ctx.room_lotteries.confirm_win(
        req.principal.tenant,
        req.param("reference"),
        who,
        body->equipment,
        surcharges,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

}  // namespace

void add_room_lottery_routes(Router& router, ApiContext& ctx) {
    const auto read = "tenant.bookings.read";
    const auto self = "customer.self";
    router.add({"GET", "/api/v1/room-lotteries", read, bind(ctx, list_lotteries)});
    router.add({"POST", "/api/v1/room-lotteries", "tenant.setup.manage", bind(ctx, create_lottery)}
    );
    router.add({"GET", "/api/v1/room-lotteries/{lottery_id}", read, bind(ctx, get_lottery)});
    router.add(
        {"PUT",
         "/api/v1/room-lotteries/{lottery_id}/times",
         "tenant.setup.manage",
         bind(ctx, reschedule)}
    );
    router.add(
        {"GET", "/api/v1/room-lotteries/{lottery_id}/entries", read, bind(ctx, lottery_entries)}
    );
    router.add(
        {"GET", "/api/v1/room-lotteries/{lottery_id}/demand", read, bind(ctx, lottery_demand)}
    );
    router.add(
        {"POST",
         "/api/v1/room-lotteries/{lottery_id}/draw",
         "tenant.bookings.manage",
         bind(ctx, draw)}
    );
    router.add(
        {"GET",
         "/api/v1/public/{tenant_code}/room-lotteries",
         "public",
         bind(ctx, public_lotteries)}
    );
    router.add(
        {"GET",
         "/api/v1/public/{tenant_code}/room-lotteries/{lottery_id}",
         "public",
         bind(ctx, public_lottery)}
    );
    router.add({"GET", "/api/v1/me/room-lottery-entries", self, bind(ctx, my_entries)});
    router.add({"POST", "/api/v1/me/room-lottery-entries", self, bind(ctx, apply)});
    router.add(
        {"POST", "/api/v1/me/bookings/{reference}/confirmation", self, bind(ctx, confirm_win)}
    );
}

}  // namespace yoyaku::http

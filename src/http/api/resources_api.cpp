// Resources of a tenant: staff read them (tenant.bookings.read), managers shape them
// (tenant.setup.manage). National holidays are public.
//
//   GET    /api/v1/resources[?archived=true]                  list
//   POST   /api/v1/resources                                  create                → 201
//   GET    /api/v1/resources/{resource_id}                    one
//   PATCH  /api/v1/resources/{resource_id}                    change some fields
//   DELETE /api/v1/resources/{resource_id}                    archive               → 204
//   GET    /api/v1/resources/{resource_id}/calendar?from=&to= open periods (≤ 31 days) and
//                                                             exceptions, in UTC and local dates
//   PUT    /api/v1/resources/{resource_id}/exceptions/{date}  closed, or other hours that day
//   DELETE /api/v1/resources/{resource_id}/exceptions/{date}  back to the week's hours → 204
//   GET    /api/v1/holidays?year=2026                         Japan's national holidays (public)
//
// Hours travel as {"mon": [{"opens": "09:00", "closes": "12:00"}, …], …, "sun": […]}.

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "domain/calendar/holidays.hpp"
#include "http/api/api.hpp"
#include "http/api/json_views.hpp"
#include "http/api/resource_body.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

using resources::DayHours;
using resources::Resource;
using resources::ResourceInput;

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

boost::json::array day_json(const DayHours& d) {
    boost::json::array a;
    for (const auto& i : d)
        a.push_back(
            {{"opens", resources::format_hhmm(i.opens)},
             {"closes", resources::format_hhmm(i.closes)}}
        );
    return a;
}

boost::json::object resource_json(const Resource& r) {
    boost::json::object hours;
    for (std::size_t i = 0; i < 7; ++i) hours[kDays[i]] = day_json(r.hours[i]);
    return {
        {"id", r.id.value},
        {"kind", resources::to_string(r.kind)},
        {"name", r.name},
        {"description", r.description},
        {"units", r.units},
        {"seats", r.seats ? boost::json::value(*r.seats) : nullptr},
        {"buffer_before_minutes", r.buffer_before.count()},
        {"buffer_after_minutes", r.buffer_after.count()},
        {"closed_on_holidays", r.closed_on_holidays},
        {"account_id", opt_json(r.account_id)},
        {"status", r.archived ? "archived" : "active"},
        {"hours", std::move(hours)},
        {"parts",
         [&] {
             boost::json::array a;
             for (auto id : r.parts) a.emplace_back(id.value);
             return a;
         }()},
        {"divisions", to_json(r.divisions)},
        {"created_at", json_time(r.created_at)},
        {"updated_at", json_time(r.updated_at)}};
}

}  // namespace

Result<void> Reader<DayHours>::read(
    const boost::json::value& v, const std::string& field, DayHours& out
) {
    const Error bad =
        Error::invalid(field, "must be a list of {\"opens\": \"HH:MM\", \"closes\": \"HH:MM\"}");
    const auto* a = v.if_array();
    if (!a || a->size() > 8) return bad;
    DayHours d;
    for (const auto& item : *a) {
        const auto* o = item.if_object();
        if (!o || o->size() != 2) return bad;
        const auto* opens = o->if_contains("opens");
        const auto* closes = o->if_contains("closes");
        if (!opens || !closes || !opens->is_string() || !closes->is_string()) return bad;
        auto from = resources::parse_hhmm(opens->get_string());
        auto to = resources::parse_hhmm(closes->get_string());
        if (!from || !to) return bad;
        d.push_back({*from, *to});
    }
    YOYAKU_TRY(resources::check_day(d, field));
    out = std::move(d);
    return {};
}

Result<void> Reader<resources::WeeklyHours>::read(
    const boost::json::value& v, const std::string& field, resources::WeeklyHours& out
) {
    const auto* o = v.if_object();
    if (!o) return Error::invalid(field, "must be an object of weekdays (mon … sun)");
    resources::WeeklyHours w;
    for (const auto& [key, day] : *o) {
        const auto it = std::find(kDays.begin(), kDays.end(), std::string_view(key));
        const std::string at = field + "." + std::string(key);
        if (it == kDays.end()) return Error::invalid(at, "is not a weekday (mon … sun)");
        YOYAKU_TRY(Reader<DayHours>::read(day, at, w[static_cast<std::size_t>(it - kDays.begin())])
        );
    }
    out = std::move(w);
    return {};
}

namespace {

ResourceInput input_of(const Resource& r) {
    ResourceInput in;
    in.kind = r.kind;
    in.name = r.name;
    in.description = r.description;
    in.units = r.units;
    in.seats = r.seats;
    in.buffer_before_minutes = static_cast<int>(r.buffer_before.count());
    in.buffer_after_minutes = static_cast<int>(r.buffer_after.count());
    in.closed_on_holidays = r.closed_on_holidays;
    in.account_id = r.account_id;
    in.parts = r.parts;
    in.divisions = r.divisions;
    in.hours = r.hours;
    return in;
}

Response list(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"archived"});
    if (!q) return api_error(q.error(), req);
    const bool archived = q->count("archived") && q->at("archived") == "true";
    auto all = ctx.resources.list(req.principal.tenant, archived);
    if (!all) return api_error(all.error(), req);
    std::vector<offerings::Offering> offered;
    if (req.principal.scope.limited()) {
        auto o = ctx.offerings.list(req.principal.tenant, false);
        if (!o) return api_error(o.error(), req);
        offered = std::move(*o);
    }
    boost::json::array items;
    for (const auto& r : *all)
        if (sees_resource(req, ResourceId{r.id}, offered)) items.push_back(resource_json(r));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response create(ApiContext& ctx, Request& req) {
    auto in = read_body<ResourceInput>(req);
    if (!in) return api_error(in.error(), req);
    auto r =
        ctx.resources.create(req.principal.tenant, *in, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return json_response(201, resource_json(*r));
}

Response get_one(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    if (auto in = check_resource(ctx, req, ResourceId{*id}); !in) return api_error(in.error(), req);
    auto r = ctx.resources.find(req.principal.tenant, *id);
    if (!r) return api_error(r.error(), req);
    return json_response(200, resource_json(*r));
}

Response patch(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    auto current = ctx.resources.find(req.principal.tenant, *id);
    if (!current) return api_error(current.error(), req);
    auto in = input_of(*current);
    if (auto ok = read_body_onto(req, in); !ok) return api_error(ok.error(), req);
    auto r = ctx.resources.update(
        req.principal.tenant, *id, in, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return json_response(200, resource_json(*r));
}

Response archive(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    auto r =
        ctx.resources.archive(req.principal.tenant, *id, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Result<std::chrono::year_month_day> date_of(std::string_view text, const std::string& field) {
    auto d = resources::parse_date(text);
    if (!d) return Error::invalid(field, "must be a date YYYY-MM-DD");
    return *d;
}

Response calendar_of(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    if (auto in = check_resource(ctx, req, ResourceId{*id}); !in) return api_error(in.error(), req);
    auto q = query_params(req, {"from", "to"});
    if (!q) return api_error(q.error(), req);
    std::optional<std::chrono::year_month_day> from, to;
    for (auto [key, into] : {std::pair{"from", &from}, {"to", &to}}) {
        if (!q->count(key)) continue;
        auto d = date_of(q->at(key), key);
        if (!d) return api_error(d.error(), req);
        *into = *d;
    }
    auto c = ctx.resources.calendar(req.principal.tenant, *id, from, to);
    if (!c) return api_error(c.error(), req);
    boost::json::array open;
    for (const auto& p : c->open)
        open.push_back(
            {{"date", resources::format_date(p.date)},
             {"start", json_time(p.start)},
             {"end", json_time(p.end)}}
        );
    boost::json::array ex;
    for (const auto& e : c->exceptions)
        ex.push_back(
            {{"date", resources::format_date(e.date)},
             {"hours", day_json(e.hours)},
             {"note", e.note}}
        );
    return json_response(
        200,
        boost::json::object{
            {"time_zone", c->time_zone},
            {"from", resources::format_date(c->from)},
            {"to", resources::format_date(c->to)},
            {"open", std::move(open)},
            {"exceptions", std::move(ex)}}
    );
}

Response put_exception(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    auto date = date_of(req.param("date"), "date");
    if (!date) return api_error(Error::not_found("no such date"), req);
    auto body = read_body<ExceptionBody>(req);
    if (!body) return api_error(body.error(), req);
    resources::DateException e{*date, body->hours, body->note ? body->note->value : ""};
    auto r = ctx.resources.set_exception(
        req.principal.tenant, *id, e, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return json_response(
        200,
        boost::json::object{
            {"date", resources::format_date(r->date)},
            {"hours", day_json(r->hours)},
            {"note", r->note}}
    );
}

Response delete_exception(ApiContext& ctx, Request& req) {
    auto id = id_param<ResourceId>(req, "resource_id");
    if (!id) return api_error(id.error(), req);
    auto date = date_of(req.param("date"), "date");
    if (!date) return api_error(Error::not_found("no such date"), req);
    auto r = ctx.resources.remove_exception(
        req.principal.tenant, *id, *date, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

Response holidays(ApiContext&, Request& req) {
    auto q = query_params(req, {"year"});
    if (!q) return api_error(q.error(), req);
    int y = 0;
    const std::string text = q->count("year") ? q->at("year") : "";
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), y);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
        y < calendar::kFirstHolidayYear || y > calendar::kLastHolidayYear)
        return api_error(Error::invalid("year", "must be a year from 2000 to 2099"), req);
    boost::json::array items;
    for (const auto& h : calendar::japanese_holidays(y))
        items.push_back(
            {{"date", resources::format_date(h.date)},
             {"name_ja", h.name_ja},
             {"name_en", h.name_en}}
        );
    auto r = json_response(200, boost::json::object{{"year", y}, {"items", std::move(items)}});
    r.headers.set("Cache-Control", "public, max-age=86400");
    return r;
}

}  // namespace

boost::json::object resource_view(const resources::Resource& r) {
    return resource_json(r);
}

void add_resource_routes(Router& router, ApiContext& ctx) {
    const std::string read = "tenant.bookings.read";
    const std::string write = "tenant.setup.manage";
    router.add({"GET", "/api/v1/resources", read, bind(ctx, list)});
    router.add({"POST", "/api/v1/resources", write, bind(ctx, create)});
    router.add({"GET", "/api/v1/resources/{resource_id}", read, bind(ctx, get_one)});
    router.add({"PATCH", "/api/v1/resources/{resource_id}", write, bind(ctx, patch)});
    router.add({"DELETE", "/api/v1/resources/{resource_id}", write, bind(ctx, archive)});
    router.add({"GET", "/api/v1/resources/{resource_id}/calendar", read, bind(ctx, calendar_of)});
    router.add(
        {"PUT",
         "/api/v1/resources/{resource_id}/exceptions/{date}",
         write,
         bind(ctx, put_exception)}
    );
    router.add(
        {"DELETE",
         "/api/v1/resources/{resource_id}/exceptions/{date}",
         write,
         bind(ctx, delete_exception)}
    );
    router.add({"GET", "/api/v1/holidays", "public", bind(ctx, holidays), Exec::io});
}

}  // namespace yoyaku::http

// What a facility office reads of a month (issue 27): each room's occupancy (稼働率) by time
// division or open hours, and takings by user class — as JSON for the screen or CSV.
//
//   GET /api/v1/reports/occupancy?month=YYYY-MM[&format=csv]   (tenant.export)

#include <boost/json.hpp>
#include <charconv>

#include "domain/bookings/reports/office_report.hpp"
#include "http/api/api.hpp"
#include "http/api/csv.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

std::optional<std::chrono::year_month> parse_month(std::string_view s) {
    int y = 0;
    unsigned m = 0;
    if (s.size() != 7 || s[4] != '-') return std::nullopt;
    const auto [a, ea] = std::from_chars(s.data(), s.data() + 4, y);
    const auto [b, eb] = std::from_chars(s.data() + 5, s.data() + 7, m);
    if (ea != std::errc() || eb != std::errc() || a != s.data() + 4 || b != s.data() + 7)
        return std::nullopt;
    const std::chrono::year_month ym{std::chrono::year{y}, std::chrono::month{m}};
    if (!ym.ok() || y < 2000 || y > 2200) return std::nullopt;
    return ym;
}

/// Booked of available in percent, one decimal (0 when nothing was open).
double rate(const bookings::OccupancyRow& r) {
    return r.available == 0 ? 0.0 : static_cast<double>(r.booked * 1000 / r.available) / 10.0;
}

std::string occupancy_csv(const bookings::OfficeReport& report) {
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
    row({"resource", "division", "unit", "available", "booked", "rate_percent"});
    for (const auto& r : report.occupancy) {
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.1f", rate(r));
        row(
            {r.resource_name,
             r.division_name,
             r.division.empty() ? "minutes" : "divisions",
             std::to_string(r.available),
             std::to_string(r.booked),
             pct}
        );
    }
    out += "\r\n";
    row({"user_class", "bookings", "total_jpy"});
    for (const auto& c : report.revenue)
        row({c.user_class, std::to_string(c.bookings), std::to_string(c.total_jpy)});
    return out;
}

Response occupancy(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"month", "format"});
    if (!q) return api_error(q.error(), req);
    const auto month = q->count("month") ? parse_month(q->at("month")) : std::nullopt;
    if (!month) return api_error(Error::invalid("month", "must be a month YYYY-MM"), req);
    const std::string format = q->count("format") ? q->at("format") : "json";
    if (format != "json" && format != "csv")
        return api_error(Error::invalid("format", "must be json or csv"), req);
    auto report = bookings::OfficeReportService(ctx.db).month(req.principal.tenant, *month);
    if (!report) return api_error(report.error(), req);
    if (format == "csv") {
        auto r = Response::text(200, "text/csv; charset=utf-8", occupancy_csv(*report));
        r.headers.set(
            "Content-Disposition", "attachment; filename=\"occupancy-" + q->at("month") + ".csv\""
        );
        return r;
    }
    boost::json::array rows, revenue;
    for (const auto& r : report->occupancy)
        rows.push_back(
            {{"resource_id", r.resource.value},
             {"resource_name", r.resource_name},
             {"division", r.division},
             {"division_name", r.division_name},
             {"unit", r.division.empty() ? "minutes" : "divisions"},
             {"available", r.available},
             {"booked", r.booked},
             {"rate_percent", rate(r)}}
        );
    for (const auto& c : report->revenue)
        revenue.push_back(
            {{"user_class", c.user_class}, {"bookings", c.bookings}, {"total_jpy", c.total_jpy}}
        );
    return json_response(
        200,
        boost::json::object{
            {"time_zone", report->time_zone},
            {"month", q->at("month")},
            {"occupancy", std::move(rows)},
            {"revenue_by_class", std::move(revenue)}}
    );
}

}  // namespace

void add_office_report_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/reports/occupancy", "tenant.export", bind(ctx, occupancy)});
}

}  // namespace yoyaku::http

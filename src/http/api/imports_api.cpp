// Moving in from another system (issue 30, managers): CSV files of customers, resources,
// offerings, their dates and future bookings, in UTF-8 or Shift_JIS.
//
//   GET  /api/v1/imports/{kind}/template      the columns, with example rows (UTF-8 with a BOM,
//                                             which Excel opens as UTF-8)
//   POST /api/v1/imports/{kind}               Content-Type: text/csv[; charset=…]: a dry run
//                                             → 200 with every bad row's line, field and reason
//   POST /api/v1/imports/{kind}?apply=true    all or nothing → 200 with the report, or 422 with
//                                             the problems (nothing stored)
//
// kind: customers, resources, offerings, occurrences, bookings (import them in this order:
// a row names what an earlier file made). Headers are the column keys or their Japanese names;
// an unknown column is refused. Times are the tenant's wall-clock time ("2027-04-01 18:00",
// "2027/4/1 18:00") or RFC 3339.

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <span>

#include "crypto/hash.hpp"
#include "domain/imports/imports.hpp"
#include "http/api/api.hpp"
#include "http/api/csv.hpp"
#include "http/api/csv_reader.hpp"
#include "http/api/import_sheet.hpp"
#include "http/api/offering_body.hpp"
#include "http/api/resource_body.hpp"
#include "http/json/body.hpp"
#include "http/json/problem.hpp"

namespace yoyaku::http {
namespace {

using imports::Kind;
using imports::Problem;

template <class T>
imports::Rows<T> rows_of(const Sheet& s, const std::string& sha256) {
    imports::Rows<T> out;
    out.problems = s.problems;
    out.total = s.total;
    out.sha256 = sha256;
    return out;
}

// A row read as the API's JSON body of its kind reads it: the same names, checks and words.
template <class T>
Result<T> as_body(const Cells& c, std::span<const Column> cols) {
    boost::json::object o;
    boost::json::object week;
    for (const auto& col : cols) {
        const std::string key(col.key);
        if (col.type == Cell::names || key == "room" || key.starts_with("ticket_")) continue;
        if (auto it = c.text.find(key); it != c.text.end()) o[key] = it->second;
        if (auto it = c.number.find(key); it != c.number.end()) o[key] = it->second;
        if (auto it = c.flag.find(key); it != c.flag.end()) o[key] = it->second;
        if (auto it = c.day.find(key); it != c.day.end()) week[key] = it->second;
    }
    if (!week.empty()) o["hours"] = std::move(week);
    if (c.text.contains("ticket_name") || c.number.contains("ticket_price_jpy")) {
        boost::json::object t{{"code", "general"}, {"name", c.get("ticket_name")}};
        if (auto it = c.number.find("ticket_price_jpy"); it != c.number.end())
            t["price_jpy"] = it->second;
        o["ticket_types"] = boost::json::array{std::move(t)};
    }
    T out;
    YOYAKU_TRY(described::read_object(o, std::string(), out));
    return out;
}

Result<imports::Report> run_import(
    ApiContext& ctx,
    const Request& req,
    Kind kind,
    const Sheet& s,
    const std::string& sha256,
    bool apply
) {
    const auto tenant = req.principal.tenant;
    const auto actor = actor_of(req.principal);
    const auto origin = origin_of(req);
    const auto cols = columns_of(kind);
    // A row the domain's JSON reader refuses joins the problems; the others go on.
    const auto typed = [&](auto& rows, auto convert) {
        for (const auto& [line, cells] : s.rows) {
            auto r = convert(cells);
            if (r)
                rows.lines.push_back({line, std::move(*r)});
            else
                rows.problems.push_back({line, r.error().field, r.error().message});
        }
    };
    switch (kind) {
        case Kind::customers: {
            auto rows = rows_of<imports::CustomerRow>(s, sha256);
            for (const auto& [line, c] : s.rows)
                rows.lines.push_back({line, {c.get("email"), c.get("name")}});
            return ctx.imports.customers(tenant, rows, apply, actor, origin);
        }
        case Kind::resources: {
            auto rows = rows_of<resources::ResourceInput>(s, sha256);
            typed(rows, [&](const Cells& c) { return as_body<resources::ResourceInput>(c, cols); });
            return ctx.imports.resources(tenant, rows, apply, actor, origin);
        }
        case Kind::offerings: {
            auto rows = rows_of<imports::OfferingRow>(s, sha256);
            typed(rows, [&](const Cells& c) -> Result<imports::OfferingRow> {
                YOYAKU_TRY_ASSIGN(auto in, as_body<offerings::OfferingInput>(c, cols));
                return imports::OfferingRow{
                    std::move(in), names_in(c.get("resources")), c.get("room")};
            });
            return ctx.imports.offerings(tenant, rows, apply, actor, origin);
        }
        case Kind::occurrences: {
            auto rows = rows_of<imports::OccurrenceRow>(s, sha256);
            for (const auto& [line, c] : s.rows)
                rows.lines.push_back(
                    {line,
                     {c.get("offering"),
                      c.time.at("starts_at"),
                      c.time.at("ends_at"),
                      number_or(c, "capacity", 0)}}
                );
            return ctx.imports.occurrences(tenant, rows, apply, actor, origin);
        }
        case Kind::bookings: {
            auto rows = rows_of<imports::BookingRow>(s, sha256);
            typed(rows, [&](const Cells& c) -> Result<imports::BookingRow> {
                auto seats = names_in(c.get("seats"));
                YOYAKU_TRY_ASSIGN(auto equipment, counted(names_in(c.get("equipment"))));
                // Seats named and no count: one ticket per seat.
                const int tickets =
                    number_or(c, "tickets", seats.empty() ? 1 : static_cast<int>(seats.size()));
                return imports::BookingRow{
                    c.get("offering"),
                    c.time.at("starts_at"),
                    c.get("resource"),
                    c.get("ticket_type"),
                    tickets,
                    number_or(c, "blocks", 1),
                    {c.get("name"), c.get("email"), c.get("phone")},
                    c.get("note"),
                    std::move(seats),
                    number_or(c, "quantity", 1),
                    std::move(equipment)};
            });
            return ctx.imports.bookings(tenant, rows, apply, actor, origin);
        }
    }
    return Error::not_found();
}

boost::json::array problems_json(const std::vector<Problem>& problems) {
    boost::json::array out;
    for (const auto& p : problems)
        out.push_back({{"line", p.line}, {"field", column_of(p.field)}, {"detail", p.detail}});
    return out;
}

Result<Kind> kind_param(const Request& req) {
    auto k = imports::parse_kind(req.param("kind"));
    if (!k) return Error::not_found("no such import");
    return *k;
}

Response import_file(ApiContext& ctx, Request& req) {
    auto kind = kind_param(req);
    if (!kind) return api_error(kind.error(), req);
    auto q = query_params(req, {"apply"});
    if (!q) return api_error(q.error(), req);
    bool apply = false;
    if (auto it = q->find("apply"); it != q->end()) {
        if (it->second != "true" && it->second != "false")
            return api_error(Error::invalid("apply", "must be true or false"), req);
        apply = it->second == "true";
    }
    // text/csv, with the charset it is written in (or none: told from the bytes).
    const auto type = req.headers.get("Content-Type");
    const auto semi = type.find(';');
    if (trimmed(type.substr(0, semi)) != "text/csv")
        return api_error(
            Error{Errc::unsupported_media, "send the file as text/csv", "Content-Type", {}}, req
        );
    std::string charset;
    if (semi != std::string_view::npos) {
        std::string params(type.substr(semi + 1));
        for (auto& ch : params)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const auto at = params.find("charset=");
        if (at != std::string_view::npos) {
            charset = std::string(trimmed(std::string_view(params).substr(at + 8)));
            if (charset.size() >= 2 && charset.front() == '"')
                charset = charset.substr(1, charset.size() - 2);
        }
    }
    auto file = read_csv(req.body, charset, kMaxImportRows);
    if (!file) return api_error(file.error(), req);
    if (file->records.size() < 2)
        return api_error(Error::invalid("file", "the file has no rows under its header"), req);
    auto tenant = ctx.tenants.find_by_id(req.principal.tenant);
    if (!tenant) return api_error(tenant.error(), req);
    const auto s = sheet_of(*file, *kind, tenant->time_zone);
    auto report = run_import(ctx, req, *kind, s, crypto::sha256_hex(req.body), apply);
    if (!report) return api_error(report.error(), req);
    boost::json::object body{
        {"kind", imports::to_string(*kind)},
        {"encoding", s.encoding},
        {"rows", report->rows},
        {"stored", report->stored},
        {"applied", report->applied},
        {"problems", problems_json(report->problems)}};
    if (apply && !report->applied) {
        // Nothing stored: problem+json naming the first bad row's field, with every problem.
        const auto& first = report->problems.front();
        auto resp = problem(
            Error::invalid(
                column_of(first.field),
                std::to_string(report->problems.size()) +
                    " problem(s) in the file, the first on line " + std::to_string(first.line) +
                    ": nothing was imported"
            ),
            req
        );
        auto p = boost::json::parse(resp.body).as_object();
        for (auto& [k, v] : body) p[k] = v;
        resp.body = boost::json::serialize(p);
        resp.status = 422;
        return resp;
    }
    return json_response(200, body);
}

Response template_file(ApiContext& ctx, Request& req) {
    auto kind = kind_param(req);
    if (!kind) return api_error(kind.error(), req);
    const auto now = ctx.clock.now();
    const auto y = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year();
    const auto next = std::to_string(static_cast<int>(y) + 1) + "-04-01";
    std::string head, example;
    for (const auto& c : columns_of(*kind)) {
        if (!head.empty()) {
            head += ',';
            example += ',';
        }
        csv_cell(head, c.key);
        std::string v(c.example);
        if (auto at = v.find("{next}"); at != std::string::npos) v.replace(at, 6, next);
        csv_cell(example, v);
    }
    Response r;
    r.status = 200;
    r.headers.set("Content-Type", "text/csv; charset=utf-8");
    r.headers.set(
        "Content-Disposition",
        "attachment; filename=\"yoyaku-" + std::string(imports::to_string(*kind)) + ".csv\""
    );
    r.body = "\xEF\xBB\xBF" + head + "\r\n" + example + "\r\n";
    return r;
}

}  // namespace

void add_import_routes(Router& router, ApiContext& ctx) {
    router.add(
        {"GET", "/api/v1/imports/{kind}/template", "tenant.setup.manage", bind(ctx, template_file)}
    );
    router.add({"POST", "/api/v1/imports/{kind}", "tenant.setup.manage", bind(ctx, import_file)});
}

}  // namespace yoyaku::http

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
#include "http/api/offering_body.hpp"
#include "http/api/resource_body.hpp"
#include "http/json/body.hpp"
#include "http/json/problem.hpp"

namespace yoyaku::http {
namespace {

using imports::Kind;
using imports::Problem;

constexpr std::size_t kMaxRows = 5000;

enum class Cell { text, integer, boolean, hours, names, time };

struct Column {
    std::string_view key;
    std::string_view ja;
    Cell type = Cell::text;
    bool required = false;
    std::string_view example;  ///< the template's example row ("{next}": a date next year)
};

constexpr Column kCustomers[] = {
    {"email", "メールアドレス", Cell::text, true, "hanako@example.jp"},
    {"name", "氏名", Cell::text, true, "山田 花子"},
};
constexpr Column kResources[] = {
    {"kind", "種類", Cell::text, true, "room"},
    {"name", "名前", Cell::text, true, "会議室A"},
    {"description", "説明", Cell::text, false, "2階 東側"},
    {"units", "数", Cell::integer, false, "1"},
    {"seats", "席数", Cell::integer, false, "12"},
    {"buffer_before_minutes", "前の準備時間（分）", Cell::integer, false, "0"},
    {"buffer_after_minutes", "後の片付け時間（分）", Cell::integer, false, "15"},
    {"closed_on_holidays", "祝日休業", Cell::boolean, false, "true"},
    {"mon", "月", Cell::hours, false, "09:00-21:00"},
    {"tue", "火", Cell::hours, false, "09:00-21:00"},
    {"wed", "水", Cell::hours, false, "09:00-21:00"},
    {"thu", "木", Cell::hours, false, "09:00-21:00"},
    {"fri", "金", Cell::hours, false, "09:00-21:00"},
    {"sat", "土", Cell::hours, false, "09:00-12:00 13:00-17:00"},
    {"sun", "日", Cell::hours, false, ""},
};
constexpr Column kOfferings[] = {
    {"kind", "種類", Cell::text, true, "event"},
    {"name", "名前", Cell::text, true, "春の演奏会"},
    {"description", "説明", Cell::text, false, "市民ホールでの演奏会"},
    {"published", "公開", Cell::boolean, false, "true"},
    {"duration_minutes", "所要時間（分）", Cell::integer, false, ""},
    {"price_jpy", "料金", Cell::integer, false, ""},
    {"max_per_order", "1回の上限", Cell::integer, false, "4"},
    {"ticket_name", "券種名", Cell::text, false, "一般"},
    {"ticket_price_jpy", "券種の料金", Cell::integer, false, "2000"},
    {"resources", "リソース", Cell::names, false, ""},
    {"room", "部屋", Cell::text, false, ""},
};
constexpr Column kOccurrences[] = {
    {"offering", "メニュー", Cell::text, true, "春の演奏会"},
    {"starts_at", "開始日時", Cell::time, true, "{next} 18:00"},
    {"ends_at", "終了日時", Cell::time, true, "{next} 20:00"},
    {"capacity", "定員", Cell::integer, true, "200"},
};
constexpr Column kBookings[] = {
    {"offering", "メニュー", Cell::text, true, "春の演奏会"},
    {"starts_at", "開始日時", Cell::time, true, "{next} 18:00"},
    {"resource", "リソース", Cell::text, false, ""},
    {"ticket_type", "券種", Cell::text, false, ""},
    {"tickets", "枚数", Cell::integer, false, "2"},
    {"blocks", "コマ数", Cell::integer, false, ""},
    {"seats", "座席", Cell::names, false, ""},
    {"quantity", "数量", Cell::integer, false, ""},
    {"equipment", "備品", Cell::names, false, ""},
    {"name", "氏名", Cell::text, true, "山田 花子"},
    {"email", "メールアドレス", Cell::text, true, "hanako@example.jp"},
    {"phone", "電話番号", Cell::text, false, "090-1234-5678"},
    {"note", "備考", Cell::text, false, ""},
};

std::span<const Column> columns_of(Kind k) {
    switch (k) {
        case Kind::customers:
            return kCustomers;
        case Kind::resources:
            return kResources;
        case Kind::offerings:
            return kOfferings;
        case Kind::occurrences:
            return kOccurrences;
        case Kind::bookings:
            return kBookings;
    }
    return {};
}

// A field the domain or the JSON reader names, as the column that holds it.
std::string column_of(std::string_view field) {
    if (field.starts_with("hours.")) return std::string(field.substr(6, 3));
    if (field.starts_with("ticket_types"))
        return field.ends_with("price_jpy") ? "ticket_price_jpy" : "ticket_name";
    if (field.starts_with("resource_ids")) return "resources";
    if (field == "room_id") return "room";
    return std::string(field.substr(0, field.find_first_of(".[")));
}

// Spaces around a cell (also the ideographic space) are not part of it.
std::string_view trimmed(std::string_view s) {
    constexpr std::string_view wide = "\xE3\x80\x80";
    for (;;) {
        if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
            s.remove_prefix(1);
        } else if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
            s.remove_suffix(1);
        } else if (s.starts_with(wide)) {
            s.remove_prefix(wide.size());
        } else if (s.ends_with(wide)) {
            s.remove_suffix(wide.size());
        } else {
            return s;
        }
    }
}

std::optional<std::int64_t> whole_number(std::string_view s) {
    std::string digits;
    for (char c : s)
        if (c != ',') digits += c;
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || p != digits.data() + digits.size() || n > 1'000'000'000 ||
        n < -1'000'000'000)
        return std::nullopt;
    return n;
}

std::optional<bool> yes_no(std::string_view s) {
    for (std::string_view y : {"true", "TRUE", "True", "1", "yes", "はい", "○"})
        if (s == y) return true;
    for (std::string_view n : {"false", "FALSE", "False", "0", "no", "いいえ", "×"})
        if (s == n) return false;
    return std::nullopt;
}

// Numbers of a date or time: "2027-04-01 18:00", "2027/4/1 9:05", seconds optional.
std::optional<std::vector<int>> numbers(std::string_view s) {
    std::vector<int> out;
    std::size_t i = 0;
    while (i < s.size()) {
        int n = 0;
        const auto [p, ec] = std::from_chars(s.data() + i, s.data() + s.size(), n);
        if (ec != std::errc()) return std::nullopt;
        out.push_back(n);
        i = static_cast<std::size_t>(p - s.data());
        if (i == s.size()) break;
        const char sep = s[i];
        const std::size_t at = out.size();
        const bool date = at < 3 && (sep == '-' || sep == '/');
        const bool between = at == 3 && (sep == ' ' || sep == 'T');
        const bool clock = at > 3 && sep == ':';
        if (!date && !between && !clock) return std::nullopt;
        ++i;
    }
    if (out.size() != 5 && out.size() != 6) return std::nullopt;
    return out;
}

// The tenant's wall-clock time or an RFC 3339 instant.
Result<Instant> when(std::string_view s, const std::string& zone, std::string_view field) {
    if (auto t = parse_rfc3339(s)) return *t;
    const auto n = numbers(s);
    const auto words = "must be a date and time such as 2027-04-01 18:00 (the venue's time)";
    if (!n) return Error::invalid(std::string(field), words);
    const std::chrono::year_month_day d{
        std::chrono::year((*n)[0]),
        std::chrono::month(static_cast<unsigned>((*n)[1])),
        std::chrono::day(static_cast<unsigned>((*n)[2]))};
    const int h = (*n)[3], m = (*n)[4], sec = n->size() == 6 ? (*n)[5] : 0;
    if (!d.ok() || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return Error::invalid(std::string(field), words);
    const auto local = std::chrono::local_days(d) + std::chrono::hours(h) +
                       std::chrono::minutes(m) + std::chrono::seconds(sec);
    return from_local(std::chrono::local_seconds(local), zone);
}

// "09:00-12:00 13:00-17:00" as the day's opening intervals.
Result<boost::json::array> hours(std::string_view s, std::string_view field) {
    boost::json::array out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto end = s.find_first_of(" ,", i);
        const auto part = s.substr(i, end == std::string_view::npos ? s.npos : end - i);
        i = end == std::string_view::npos ? s.size() : end + 1;
        if (part.empty()) continue;
        const auto dash = part.find('-');
        if (dash == std::string_view::npos)
            return Error::invalid(
                std::string(field), "must be times such as 09:00-12:00 13:00-17:00"
            );
        out.push_back(
            {{"opens", std::string(part.substr(0, dash))},
             {"closes", std::string(part.substr(dash + 1))}}
        );
    }
    return out;
}

// One row's cells by column key (only those given), each already of its column's type.
struct Cells {
    std::map<std::string, std::string, std::less<>> text;
    std::map<std::string, std::int64_t, std::less<>> number;
    std::map<std::string, bool, std::less<>> flag;
    std::map<std::string, Instant, std::less<>> time;
    std::map<std::string, boost::json::array, std::less<>> day;
    std::string get(std::string_view key) const {
        auto it = text.find(key);
        return it == text.end() ? std::string() : it->second;
    }
};

struct Sheet {
    std::string encoding;
    int total = 0;
    std::vector<std::pair<int, Cells>> rows;  ///< the rows read whole, with their lines
    std::vector<Problem> problems;
};

// The file's header matched to the kind's columns, and each row's cells typed. A bad cell is a
// problem of its row (the row is left out); a bad header, of line 1 (no row is read).
Sheet sheet_of(const CsvFile& file, Kind kind, const std::string& zone) {
    Sheet out;
    out.encoding = file.encoding;
    out.total = static_cast<int>(file.records.size()) - 1;
    const auto cols = columns_of(kind);
    std::vector<const Column*> at;
    for (const auto& h : file.records.front()) {
        const auto name = trimmed(h);
        const Column* found = nullptr;
        for (const auto& c : cols)
            if (c.key == name || c.ja == name) found = &c;
        if (found && std::find(at.begin(), at.end(), found) != at.end()) {
            out.problems.push_back({1, std::string(name), "the column appears twice"});
            found = nullptr;
        } else if (!found) {
            std::string keys;
            for (const auto& c : cols) keys += (keys.empty() ? "" : ", ") + std::string(c.key);
            out.problems.push_back(
                {1,
                 std::string(name),
                 "is not a column of " + std::string(to_string(kind)) + " (" + keys + ")"}
            );
        }
        at.push_back(found);
    }
    for (const auto& c : cols)
        if (c.required && std::find(at.begin(), at.end(), &c) == at.end())
            out.problems.push_back({1, std::string(c.key), "the column is required"});
    if (!out.problems.empty()) return out;
    for (std::size_t r = 1; r < file.records.size(); ++r) {
        const int line = static_cast<int>(r) + 1;
        const auto& record = file.records[r];
        Cells cells;
        bool bad = false;
        const auto problem = [&](std::string field, std::string detail) {
            out.problems.push_back({line, std::move(field), std::move(detail)});
            bad = true;
        };
        if (record.size() > at.size()) problem("", "the row has more cells than the header");
        for (std::size_t i = 0; i < at.size() && i < record.size(); ++i) {
            const auto& c = *at[i];
            const auto v = trimmed(record[i]);
            if (v.empty()) continue;
            const std::string key(c.key);
            switch (c.type) {
                case Cell::text:
                case Cell::names:
                    cells.text[key] = std::string(v);
                    break;
                case Cell::integer:
                    if (auto n = whole_number(v))
                        cells.number[key] = *n;
                    else
                        problem(key, "must be a whole number");
                    break;
                case Cell::boolean:
                    if (auto b = yes_no(v))
                        cells.flag[key] = *b;
                    else
                        problem(key, "must be true or false");
                    break;
                case Cell::time:
                    if (auto t = when(v, zone, key))
                        cells.time[key] = *t;
                    else
                        problem(key, t.error().message);
                    break;
                case Cell::hours:
                    if (auto d = hours(v, key))
                        cells.day[key] = std::move(*d);
                    else
                        problem(key, d.error().message);
                    break;
            }
        }
        for (const auto& c : cols) {
            const std::string key(c.key);
            if (c.required && !cells.text.contains(key) && !cells.number.contains(key) &&
                !cells.time.contains(key) && !cells.flag.contains(key) && !bad)
                problem(key, "is required");
        }
        if (!bad) out.rows.emplace_back(line, std::move(cells));
    }
    return out;
}

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

std::vector<std::string> names_in(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        auto end = s.find('|', i);
        if (end == std::string_view::npos) end = s.size();
        const auto name = trimmed(s.substr(i, end - i));
        if (!name.empty()) out.emplace_back(name);
        i = end + 1;
    }
    return out;
}

// Equipment as "プロジェクター|マイク×2" (or "*2"): each name with how many (one if unsaid).
Result<std::vector<std::pair<std::string, int>>> counted(const std::vector<std::string>& names) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& entry : names) {
        std::string_view name = entry;
        int n = 1;
        for (const std::string_view times : {std::string_view("\xC3\x97"), std::string_view("*")}) {
            const auto at = name.rfind(times);
            if (at == std::string_view::npos) continue;
            const auto digits = trimmed(name.substr(at + times.size()));
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
            if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
                n < 1 || n > 1000)
                return Error::invalid(
                    "equipment", "write each as a name, or a name×count (a count of 1–1000)"
                );
            name = trimmed(name.substr(0, at));
            break;
        }
        out.emplace_back(name, n);
    }
    return out;
}

int number_or(const Cells& c, std::string_view key, int fallback) {
    auto it = c.number.find(key);
    return it == c.number.end() ? fallback : static_cast<int>(it->second);
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
    auto file = read_csv(req.body, charset, kMaxRows);
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

#include "http/api/import_sheet.hpp"

#include <cctype>
#include <charconv>
#include <chrono>

namespace yoyaku::http {

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

namespace {

using imports::Kind;
using imports::Problem;

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

}  // namespace

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

std::string column_of(std::string_view field) {
    if (field.starts_with("hours.")) return std::string(field.substr(6, 3));
    if (field.starts_with("ticket_types"))
        return field.ends_with("price_jpy") ? "ticket_price_jpy" : "ticket_name";
    if (field.starts_with("resource_ids")) return "resources";
    if (field == "room_id") return "room";
    return std::string(field.substr(0, field.find_first_of(".[")));
}

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

}  // namespace yoyaku::http

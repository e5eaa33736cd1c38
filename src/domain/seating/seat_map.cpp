// A hall's seat map (seat_map.hpp).
#include "domain/seating/seat_map.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/text.hpp"

namespace yoyaku::seating {
namespace {

constexpr int kMaxGrid = 200;
constexpr int kMaxSeats = 10000;
constexpr int kMaxRows = 400;
constexpr std::string_view kKinds[] = {"standard", "wheelchair", "companion"};

bool word(std::string_view s, std::size_t max, bool dash) {
    if (s.empty() || s.size() > max) return false;
    return std::all_of(s.begin(), s.end(), [dash](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || (dash && (c == '_' || c == '-'));
    });
}

// Reading one JSON object's members, each refusal naming the field.
struct Reader {
    const boost::json::object& o;
    std::string at;

    Result<std::string> text(std::string_view key, std::size_t max, bool required) const {
        const auto* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required) return Error::invalid(at + "." + std::string(key), "is required");
            return std::string();
        }
        if (!v->is_string()) return Error::invalid(at + "." + std::string(key), "must be a string");
        auto checked = text::check_line(v->get_string(), required ? 1 : 0, max);
        if (!checked.value) return Error::invalid(at + "." + std::string(key), checked.problem);
        return std::move(*checked.value);
    }
    Result<int> number(std::string_view key, int lo, int hi) const {
        const auto* v = o.if_contains(key);
        if (!v || !v->is_int64() || v->get_int64() < lo || v->get_int64() > hi)
            return Error::invalid(
                at + "." + std::string(key),
                "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)
            );
        return static_cast<int>(v->get_int64());
    }
    Result<const boost::json::array*> list(std::string_view key, std::size_t max) const {
        const auto* v = o.if_contains(key);
        if (!v || !v->is_array())
            return Error::invalid(at + "." + std::string(key), "must be a list");
        if (v->get_array().size() > max)
            return Error::invalid(
                at + "." + std::string(key), "at most " + std::to_string(max) + " entries"
            );
        return &v->get_array();
    }
};

Result<Reader> object_at(const boost::json::value& v, std::string at) {
    if (!v.is_object()) return Error::invalid(at, "must be an object");
    return Reader{v.get_object(), std::move(at)};
}

Result<Seat> read_seat(const Reader& r, const std::string& row, const SeatMap& map) {
    Seat s;
    YOYAKU_TRY_ASSIGN(s.number, r.number("number", 1, 9999));
    YOYAKU_TRY_ASSIGN(s.x, r.number("x", 0, kMaxGrid - 1));
    YOYAKU_TRY_ASSIGN(s.category, r.text("category", 16, !map.categories.empty()));
    if (!s.category.empty() &&
        std::none_of(map.categories.begin(), map.categories.end(), [&](const auto& c) {
            return c.code == s.category;
        }))
        return Error::invalid(r.at + ".category", "is not one of the map's categories");
    YOYAKU_TRY_ASSIGN(const auto kind, r.text("kind", 16, false));
    if (!kind.empty()) {
        const auto* k = std::find(std::begin(kKinds), std::end(kKinds), kind);
        if (k == std::end(kKinds))
            return Error::invalid(r.at + ".kind", "must be standard, wheelchair or companion");
        s.kind = static_cast<SeatKind>(k - std::begin(kKinds));
    }
    if (const auto* h = r.o.if_contains("held"); h && !h->is_null()) {
        if (!h->is_bool()) return Error::invalid(r.at + ".held", "must be true or false");
        s.held = h->get_bool();
    }
    s.id = row + "-" + std::to_string(s.number);
    return s;
}

Result<Row> read_row(const Reader& r, const SeatMap& map) {
    Row row;
    YOYAKU_TRY_ASSIGN(row.name, r.text("name", 8, true));
    if (!word(row.name, 8, false))
        return Error::invalid(r.at + ".name", "1–8 letters or digits (A-Z, a-z, 0-9)");
    YOYAKU_TRY_ASSIGN(row.y, r.number("y", 0, kMaxGrid - 1));
    YOYAKU_TRY_ASSIGN(const auto* seats, r.list("seats", kMaxGrid));
    for (std::size_t i = 0; i < seats->size(); ++i) {
        YOYAKU_TRY_ASSIGN(
            const auto sr, object_at((*seats)[i], r.at + ".seats[" + std::to_string(i) + "]")
        );
        YOYAKU_TRY_ASSIGN(auto seat, read_seat(sr, row.name, map));
        for (const auto& other : row.seats) {
            if (other.number == seat.number)
                return Error::invalid(sr.at + ".number", "is already a seat of this row");
            if (other.x == seat.x)
                return Error::invalid(sr.at + ".x", "is already taken by a seat");
        }
        row.seats.push_back(std::move(seat));
    }
    std::sort(row.seats.begin(), row.seats.end(), [](const auto& a, const auto& b) {
        return a.x < b.x;
    });
    return row;
}

Result<void> read_categories(const Reader& top, SeatMap& map) {
    if (!top.o.contains("categories")) return {};
    YOYAKU_TRY_ASSIGN(const auto* cats, top.list("categories", 20));
    for (std::size_t i = 0; i < cats->size(); ++i) {
        YOYAKU_TRY_ASSIGN(
            const auto r, object_at((*cats)[i], "layout.categories[" + std::to_string(i) + "]")
        );
        Category c;
        YOYAKU_TRY_ASSIGN(c.code, r.text("code", 16, true));
        if (!word(c.code, 16, true))
            return Error::invalid(r.at + ".code", "1–16 of A-Z, a-z, 0-9, _ and -");
        YOYAKU_TRY_ASSIGN(c.name, r.text("name", 40, true));
        for (const auto& other : map.categories)
            if (other.code == c.code) return Error::invalid(r.at + ".code", "is given twice");
        map.categories.push_back(std::move(c));
    }
    return {};
}

}  // namespace

std::string_view to_string(SeatKind k) noexcept {
    return kKinds[static_cast<std::size_t>(k)];
}

const Seat* SeatMap::find(std::string_view id) const {
    const auto at = place_of(id);
    if (!at) return nullptr;
    for (const auto& s : at->second->seats)
        if (s.id == id) return &s;
    return nullptr;
}

std::optional<std::pair<const Section*, const Row*>> SeatMap::place_of(std::string_view id) const {
    const auto dash = id.rfind('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto row = id.substr(0, dash);
    for (const auto& sec : sections)
        for (const auto& r : sec.rows)
            if (r.name == row)
                for (const auto& s : r.seats)
                    if (s.id == id) return std::pair{&sec, &r};
    return std::nullopt;
}

int SeatMap::seat_count() const {
    int n = 0;
    for (const auto& sec : sections)
        for (const auto& r : sec.rows) n += static_cast<int>(r.seats.size());
    return n;
}

int SeatMap::sellable() const {
    int n = 0;
    for (const auto& sec : sections)
        for (const auto& r : sec.rows)
            for (const auto& s : r.seats) n += s.held ? 0 : 1;
    return n;
}

Result<SeatMap> parse_layout(std::string_view json) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(json, ec);
    if (ec) return Error::invalid("layout", "is not JSON");
    YOYAKU_TRY_ASSIGN(const auto top, object_at(v, "layout"));
    SeatMap map;
    YOYAKU_TRY(read_categories(top, map));
    YOYAKU_TRY_ASSIGN(const auto* sections, top.list("sections", 50));
    if (sections->empty()) return Error::invalid("layout.sections", "give at least one section");
    std::map<std::string, bool> names;
    std::set<std::pair<int, int>> cells;
    int rows = 0;
    for (std::size_t i = 0; i < sections->size(); ++i) {
        YOYAKU_TRY_ASSIGN(
            const auto sr, object_at((*sections)[i], "layout.sections[" + std::to_string(i) + "]")
        );
        Section sec;
        YOYAKU_TRY_ASSIGN(sec.name, sr.text("name", 40, true));
        YOYAKU_TRY_ASSIGN(const auto* list, sr.list("rows", kMaxRows));
        for (std::size_t j = 0; j < list->size(); ++j) {
            YOYAKU_TRY_ASSIGN(
                const auto rr, object_at((*list)[j], sr.at + ".rows[" + std::to_string(j) + "]")
            );
            YOYAKU_TRY_ASSIGN(auto row, read_row(rr, map));
            if (!names.emplace(row.name, true).second)
                return Error::invalid(rr.at + ".name", "is already a row of this map");
            for (const auto& s : row.seats)
                if (!cells.emplace(s.x, row.y).second)
                    return Error::invalid(rr.at + ".y", "two seats on one place of the grid");
            if (++rows > kMaxRows)
                return Error::invalid(
                    "layout.sections", "at most " + std::to_string(kMaxRows) + " rows"
                );
            sec.rows.push_back(std::move(row));
        }
        map.sections.push_back(std::move(sec));
    }
    if (map.seat_count() == 0) return Error::invalid("layout.sections", "the map has no seats");
    if (map.seat_count() > kMaxSeats)
        return Error::invalid("layout.sections", "at most " + std::to_string(kMaxSeats) + " seats");
    return map;
}

int free_in_category(
    const SeatMap& map, const std::set<std::string, std::less<>>& taken, std::string_view category
) {
    int n = 0;
    for (const auto& section : map.sections)
        for (const auto& row : section.rows)
            for (const auto& s : row.seats)
                if (s.category == category && !s.held && s.kind == SeatKind::standard &&
                    !taken.contains(s.id))
                    ++n;
    return n;
}

Result<std::shared_ptr<const SeatMap>> parsed_layout(std::string_view json) {
    struct Entry {
        std::string text;
        std::shared_ptr<const SeatMap> map;
    };
    static std::mutex mutex;
    static std::unordered_map<std::size_t, Entry> cache;
    constexpr std::size_t kKept = 32;
    const auto key = std::hash<std::string_view>{}(json);
    {
        const std::lock_guard lock(mutex);
        if (const auto it = cache.find(key); it != cache.end() && it->second.text == json)
            return it->second.map;
    }
    YOYAKU_TRY_ASSIGN(auto map, parse_layout(json));
    auto shared = std::make_shared<const SeatMap>(std::move(map));
    const std::lock_guard lock(mutex);
    if (cache.size() >= kKept) cache.clear();  // a few halls in use at once; start again
    cache[key] = Entry{std::string(json), shared};
    return shared;
}

std::string layout_json(const SeatMap& map) {
    boost::json::array cats, secs;
    for (const auto& c : map.categories) cats.push_back({{"code", c.code}, {"name", c.name}});
    for (const auto& sec : map.sections) {
        boost::json::array rows;
        for (const auto& r : sec.rows) {
            boost::json::array seats;
            for (const auto& s : r.seats) {
                boost::json::object o{{"id", s.id}, {"number", s.number}, {"x", s.x}};
                if (!s.category.empty()) o["category"] = s.category;
                o["kind"] = to_string(s.kind);
                o["held"] = s.held;
                seats.push_back(std::move(o));
            }
            rows.push_back({{"name", r.name}, {"y", r.y}, {"seats", std::move(seats)}});
        }
        secs.push_back({{"name", sec.name}, {"rows", std::move(rows)}});
    }
    return boost::json::serialize(boost::json::object{
        {"categories", std::move(cats)}, {"sections", std::move(secs)}});
}

std::optional<std::vector<std::string>> best_available(
    const SeatMap& map, const std::set<std::string, std::less<>>& taken, const Wanted& w
) {
    if (w.count < 1) return std::nullopt;
    std::vector<const Row*> rows;
    for (const auto& sec : map.sections)
        for (const auto& r : sec.rows) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const Row* a, const Row* b) {
        return a->y < b->y;
    });
    const auto usable = [&](const Seat& s) {
        return !s.held && !taken.contains(s.id) && (w.accessible || s.kind == SeatKind::standard) &&
               (w.category.empty() || s.category == w.category);
    };
    const auto n = static_cast<std::size_t>(w.count);
    for (const Row* r : rows) {
        if (r->seats.size() < n) continue;
        const double middle = (r->seats.front().x + r->seats.back().x) / 2.0;
        std::optional<std::size_t> best;
        double best_distance = 0;
        for (std::size_t i = 0; i + n <= r->seats.size(); ++i) {
            bool ok = true;
            for (std::size_t k = i; k < i + n && ok; ++k)
                ok = usable(r->seats[k]) && (k == i || r->seats[k].x == r->seats[k - 1].x + 1);
            if (!ok) continue;
            const double centre = (r->seats[i].x + r->seats[i + n - 1].x) / 2.0;
            const double d = std::abs(centre - middle);
            if (!best || d < best_distance) best = i, best_distance = d;
        }
        if (!best) continue;
        std::vector<std::string> out;
        for (std::size_t k = *best; k < *best + n; ++k) out.push_back(r->seats[k].id);
        return out;
    }
    if (!w.apart) return std::nullopt;
    std::vector<std::string> out;
    for (const Row* r : rows)
        for (const auto& s : r->seats)
            if (usable(s) && out.size() < n) out.push_back(s.id);
    if (out.size() < n) return std::nullopt;
    return out;
}

}  // namespace yoyaku::seating

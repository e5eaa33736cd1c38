#pragma once
// A hall's seat map (issue 26, ADR 0022): sections of rows of numbered seats on a grid, each
// seat with a price category and a kind (standard, wheelchair, companion), some held back by
// the house. Kept as one JSON layout, checked here; pure, no storage.
//
// Layout: {"categories": [{"code": "S", "name": "S席"}],
//          "sections": [{"name": "1階", "rows": [{"name": "A", "y": 0,
//             "seats": [{"number": 1, "x": 3, "category": "S", "kind": "standard",
//                        "held": false}]}]}]}
// A seat's id is its row's name, "-", its number ("A-12"): row names are unique in a map.
// Seats are side by side when their x differ by one in the same row (a gap is an aisle).

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::seating {

enum class SeatKind { standard, wheelchair, companion };
std::string_view to_string(SeatKind k) noexcept;

struct Seat {
    std::string id;  ///< "A-12"
    int number = 0;  ///< 1–9999
    int x = 0;       ///< grid column, 0–199
    std::string category;
    SeatKind kind = SeatKind::standard;
    bool held = false;  ///< held back by the house: never sold online
};

struct Row {
    std::string name;         ///< 1–8 of A-Z a-z 0-9
    int y = 0;                ///< grid row, 0–199
    std::vector<Seat> seats;  ///< by x
};

struct Section {
    std::string name;
    std::vector<Row> rows;
};

struct Category {
    std::string code;  ///< 1–16 of A-Z a-z 0-9 _ -
    std::string name;
};

struct SeatMap {
    std::vector<Category> categories;
    std::vector<Section> sections;

    const Seat* find(std::string_view id) const;
    /// The section and row a seat is in ("1階 A列 12番" is built from these).
    std::optional<std::pair<const Section*, const Row*>> place_of(std::string_view id) const;
    int seat_count() const;
    /// Seats not held back.
    int sellable() const;
};

/// Reads and checks a layout. Errors: invalid_input naming the field, e.g.
/// "layout.sections[0].rows[2].seats[5].x".
Result<SeatMap> parse_layout(std::string_view json);
/// The seats of `category` the best available may choose (not held, not taken, not
/// wheelchair or companion places).
int free_in_category(
    const SeatMap& map, const std::set<std::string, std::less<>>& taken, std::string_view category
);
/// parse_layout() remembered: the same layout text (compared whole) is parsed once while it
/// stays among the last few used, so that a rush on one hall does not parse it per booking.
Result<std::shared_ptr<const SeatMap>> parsed_layout(std::string_view json);
/// The layout as stored and served (canonical: rows by y, seats by x).
std::string layout_json(const SeatMap& map);

/// What best_available() may choose.
struct Wanted {
    int count = 1;
    std::string category = {};  ///< empty: any
    bool accessible = false;    ///< wheelchair and companion seats allowed (else skipped)
    bool apart = false;         ///< no block together left: the first free seats, front first
};

/// The best `w.count` free seats side by side in one row: rows front to back (by y, then the
/// map's order), in each the block nearest the row's middle. Held seats, those in `taken`
/// and (unless asked for) wheelchair and companion seats are never chosen. Nothing when no
/// row has such a block (unless `w.apart`: then the first usable seats front to back, if
/// there are enough).
std::optional<std::vector<std::string>> best_available(
    const SeatMap& map, const std::set<std::string, std::less<>>& taken, const Wanted& w
);

}  // namespace yoyaku::seating

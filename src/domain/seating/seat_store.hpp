#pragma once
// The tables of seating (migration 0032): `seat_maps` (a tenant's halls, the layout as checked
// JSON) and `occurrence_seats` (each seat of an occurrence that is taken, by a booking or
// kept by the house; its key makes a seat impossible to take twice).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::seating {

struct SeatMapRow {
    std::int64_t id = 0;
    std::string name;
    std::string layout;  ///< layout_json()
    int seats = 0;       ///< sellable seats (not held back)
    Instant created_at{};
    Instant updated_at{};
};

class SeatMapStore {
public:
    explicit SeatMapStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::vector<SeatMapRow>> list();
    /// Errors: not_found.
    Result<SeatMapRow> find(std::int64_t id);
    Result<std::int64_t> insert(const SeatMapRow& m);
    /// Errors: not_found.
    Result<void> update(const SeatMapRow& m);

private:
    storage::ScopedTx& stx_;
};

enum class SeatUse { booked, house };

struct TakenSeat {
    std::string seat;
    SeatUse use = SeatUse::booked;
};

class OccurrenceSeatStore {
public:
    explicit OccurrenceSeatStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The taken seats of an occurrence, by seat.
    Result<std::vector<TakenSeat>> taken(OccurrenceId occurrence);
    /// Their ids only.
    Result<std::set<std::string, std::less<>>> taken_ids(OccurrenceId occurrence);
    /// Takes a seat of map `seat_map`; false when it was taken (by anyone, committed or — on
    /// PostgreSQL — once the other transaction commits).
    Result<bool> take(
        OccurrenceId occurrence,
        std::int64_t seat_map,
        const std::string& seat,
        SeatUse use,
        Instant now
    );
    /// Gives back seats taken for `use`; returns how many were.
    Result<int> release(
        OccurrenceId occurrence, const std::vector<std::string>& seats, SeatUse use
    );
    /// The seats of map `seat_map` taken in any occurrence (distinct).
    Result<std::vector<std::string>> taken_of_map(std::int64_t seat_map);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::seating

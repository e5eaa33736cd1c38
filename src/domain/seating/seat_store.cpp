// The tables of seating (seat_store.hpp).
#include "domain/seating/seat_store.hpp"

namespace yoyaku::seating {
namespace {

SeatMapRow map_of(const storage::Row& r) {
    return {
        r.i64("id"),
        r.text("name"),
        r.text("layout"),
        r.i32("seats"),
        from_micros(r.i64("created_at")),
        from_micros(r.i64("updated_at"))};
}

std::string_view use_text(SeatUse u) {
    return u == SeatUse::house ? "house" : "booked";
}

}  // namespace

Result<std::vector<SeatMapRow>> SeatMapStore::list() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, name, layout, seats, created_at, updated_at FROM seat_maps WHERE tenant_id = $1 ORDER BY id",
            stx_.tenant_id()
        )
    );
    std::vector<SeatMapRow> out;
    for (const auto& r : rows) out.push_back(map_of(r));
    return out;
}

Result<SeatMapRow> SeatMapStore::find(std::int64_t id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, name, layout, seats, created_at, updated_at FROM seat_maps WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return Error::not_found("no such seat map");
    return map_of(rows.front());
}

Result<std::int64_t> SeatMapStore::insert(const SeatMapRow& m) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        stx_.tx().query_one(
            "INSERT INTO seat_maps(tenant_id, name, layout, seats, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            stx_.tenant_id(),
            m.name,
            m.layout,
            m.seats,
            to_micros(m.created_at)
        )
    );
    return row.i64("id");
}

Result<void> SeatMapStore::update(const SeatMapRow& m) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "UPDATE seat_maps SET name = $3, layout = $4, seats = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2 RETURNING id",
            stx_.tenant_id(),
            m.id,
            m.name,
            m.layout,
            m.seats,
            to_micros(m.updated_at)
        )
    );
    if (rows.empty()) return Error::not_found("no such seat map");
    return {};
}

Result<std::vector<TakenSeat>> OccurrenceSeatStore::taken(OccurrenceId occurrence) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT seat, kind FROM occurrence_seats WHERE tenant_id = $1 AND occurrence_id = $2 ORDER BY seat",
            stx_.tenant_id(),
            occurrence
        )
    );
    std::vector<TakenSeat> out;
    for (const auto& r : rows)
        out.push_back({r.text("seat"), r.text("kind") == "house" ? SeatUse::house : SeatUse::booked}
        );
    return out;
}

Result<std::set<std::string, std::less<>>> OccurrenceSeatStore::taken_ids(OccurrenceId occurrence) {
    YOYAKU_TRY_ASSIGN(const auto all, taken(occurrence));
    std::set<std::string, std::less<>> out;
    for (const auto& t : all) out.insert(t.seat);
    return out;
}

Result<bool> OccurrenceSeatStore::take(
    OccurrenceId occurrence,
    std::int64_t seat_map,
    const std::string& seat,
    SeatUse use,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "INSERT INTO occurrence_seats(tenant_id, occurrence_id, seat, seat_map_id, kind, taken_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, occurrence_id, seat) DO NOTHING RETURNING seat",
            stx_.tenant_id(),
            occurrence,
            seat,
            seat_map,
            std::string(use_text(use)),
            to_micros(now)
        )
    );
    return !rows.empty();
}

Result<int> OccurrenceSeatStore::release(
    OccurrenceId occurrence, const std::vector<std::string>& seats, SeatUse use
) {
    int n = 0;
    for (const auto& s : seats) {
        YOYAKU_TRY_ASSIGN(
            const auto rows,
            stx_.tx().query(
                "DELETE FROM occurrence_seats WHERE tenant_id = $1 AND occurrence_id = $2 AND seat = $3 AND kind = $4 RETURNING seat",
                stx_.tenant_id(),
                occurrence,
                s,
                std::string(use_text(use))
            )
        );
        n += static_cast<int>(rows.size());
    }
    return n;
}

Result<std::vector<std::string>> OccurrenceSeatStore::taken_of_map(std::int64_t seat_map) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT DISTINCT seat FROM occurrence_seats WHERE tenant_id = $1 AND seat_map_id = $2 ORDER BY seat",
            stx_.tenant_id(),
            seat_map
        )
    );
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.text("seat"));
    return out;
}

}  // namespace yoyaku::seating

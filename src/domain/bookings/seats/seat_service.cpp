// Seat maps and the seats of an event's occurrences (seat_service.hpp).
#include "domain/bookings/seats/seat_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tickets/ticket_store.hpp"

namespace yoyaku::bookings {
namespace {

using storage::ScopedTx;

// A map as given: its name and its layout, checked.
Result<seating::SeatMapRow> checked_map(std::string_view name, std::string_view layout) {
    auto n = text::check_line(name, 1, 100);
    if (!n.value) return Error::invalid("name", n.problem);
    YOYAKU_TRY_ASSIGN(const auto map, seating::parse_layout(layout));
    seating::SeatMapRow row;
    row.name = std::move(*n.value);
    row.layout = seating::layout_json(map);
    row.seats = map.sellable();
    return row;
}

std::string map_detail(const seating::SeatMapRow& m) {
    return boost::json::serialize(boost::json::object{{"seats", m.seats}});
}

std::string seats_detail(OccurrenceId id, const std::vector<std::string>& seats) {
    boost::json::array a;
    for (const auto& s : seats) a.emplace_back(s);
    return boost::json::serialize(boost::json::object{{"occurrence", id.value}, {"seats", a}});
}

// An event's occurrence with a seat map: the occurrence, and the map.
struct Mapped {
    offerings::Occurrence occurrence;
    seating::SeatMapRow row;
    seating::SeatMap map;
};

Result<Mapped> mapped(ScopedTx& stx, OccurrenceId id, bool published) {
    YOYAKU_TRY_ASSIGN(auto occ, offerings::OccurrenceStore(stx).find_by_id(id));
    YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(occ.offering_id));
    if ((published && !o.published) || o.seat_map_id == 0)
        return Error::not_found("this occurrence has no seat map");
    YOYAKU_TRY_ASSIGN(auto row, seating::SeatMapStore(stx).find(o.seat_map_id));
    YOYAKU_TRY_ASSIGN(auto map, seating::parse_layout(row.layout));
    return Mapped{std::move(occ), std::move(row), std::move(map)};
}

Result<OccurrenceSeats> seats_of(ScopedTx& stx, const Mapped& m, bool published) {
    OccurrenceSeats out;
    out.occurrence_id = m.occurrence.id;
    out.seat_map_id = m.row.id;
    out.layout = m.row.layout;
    YOYAKU_TRY_ASSIGN(out.taken, seating::OccurrenceSeatStore(stx).taken(m.occurrence.id));
    if (published) return out;
    YOYAKU_TRY_ASSIGN(const auto live, tickets::TicketStore(stx).of_occurrence(m.occurrence.id));
    for (const auto& t : live)
        if (!t.seat.empty()) out.holders[t.seat] = t.reference;
    return out;
}

// Who changes the house's seats, and the audit action.
struct Audited {
    std::string action;
    const audit::Actor& actor;
    const audit::Origin& origin;
};

// A change to the house's seats of one occurrence (1 to 1,000 named): done by `change` in the
// write, audited, and the occurrence's seats answered.
template <class Change>
Result<OccurrenceSeats> house_change(
    storage::Database& db,
    Instant now,
    TenantId tenant,
    OccurrenceId id,
    const std::vector<std::string>& seats,
    const Audited& audited,
    Change change
) {
    if (seats.empty() || seats.size() > 1000)
        return Error::invalid("seats", "name 1 to 1,000 seats");
    return db.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<OccurrenceSeats> {
        YOYAKU_TRY_ASSIGN(const auto m, mapped(stx, id, false));
        YOYAKU_TRY(change(stx, m, now));
        YOYAKU_TRY(audit::append(
            stx,
            audited.actor,
            audited.origin,
            {audited.action, "occurrence:" + to_string(id), "success", seats_detail(id, seats)},
            now
        ));
        return seats_of(stx, m, false);
    });
}

}  // namespace

Result<std::vector<seating::SeatMapRow>> SeatService::maps(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return seating::SeatMapStore(stx).list();
    });
}

Result<seating::SeatMapRow> SeatService::map(TenantId tenant, std::int64_t id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return seating::SeatMapStore(stx).find(id);
    });
}

Result<seating::SeatMapRow> SeatService::create_map(
    TenantId tenant,
    std::string_view name,
    std::string_view layout,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto row, checked_map(name, layout));
    const Instant now = clock_.now();
    row.created_at = row.updated_at = now;
    return db_.write(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<seating::SeatMapRow> {
            YOYAKU_TRY_ASSIGN(row.id, seating::SeatMapStore(stx).insert(row));
            YOYAKU_TRY(audit::append(
                stx,
                actor,
                origin,
                {"seat_map.created",
                 "seat_map:" + std::to_string(row.id),
                 "success",
                 map_detail(row)},
                now
            ));
            return row;
        }
    );
}

Result<seating::SeatMapRow> SeatService::update_map(
    TenantId tenant,
    std::int64_t id,
    std::string_view name,
    std::string_view layout,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto row, checked_map(name, layout));
    YOYAKU_TRY_ASSIGN(const auto map, seating::parse_layout(row.layout));
    const Instant now = clock_.now();
    return db_.write(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<seating::SeatMapRow> {
            seating::SeatMapStore store(stx);
            YOYAKU_TRY_ASSIGN(const auto old, store.find(id));
            // A seat sold or kept in some occurrence stays on the map.
            YOYAKU_TRY_ASSIGN(const auto used, seating::OccurrenceSeatStore(stx).taken_of_map(id));
            for (const auto& seat : used)
                if (!map.find(seat))
                    return Error{
                        Errc::conflict,
                        "seat " + seat + " is taken in an occurrence: it stays on the map",
                        "layout",
                        {}};
            row.id = id;
            row.created_at = old.created_at;
            row.updated_at = now;
            YOYAKU_TRY(store.update(row));
            YOYAKU_TRY(audit::append(
                stx,
                actor,
                origin,
                {"seat_map.updated", "seat_map:" + std::to_string(id), "success", map_detail(row)},
                now
            ));
            return row;
        }
    );
}

Result<OccurrenceSeats> SeatService::occurrence_seats(
    TenantId tenant, OccurrenceId id, bool published
) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<OccurrenceSeats> {
        YOYAKU_TRY_ASSIGN(const auto m, mapped(stx, id, published));
        return seats_of(stx, m, published);
    });
}

Result<OccurrenceSeats> SeatService::keep_for_house(
    TenantId tenant,
    OccurrenceId id,
    const std::vector<std::string>& seats,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return house_change(
        db_,
        clock_.now(),
        tenant,
        id,
        seats,
        {"seats.kept", actor, origin},
        [&](ScopedTx& stx, const Mapped& m, Instant now) -> Result<void> {
            for (std::size_t i = 0; i < seats.size(); ++i) {
                const auto before = seats.begin() + static_cast<std::ptrdiff_t>(i);
                if (!m.map.find(seats[i]) || std::find(seats.begin(), before, seats[i]) != before)
                    return Error::invalid(
                        "seats[" + std::to_string(i) + "]",
                        "is not a seat of this hall, or given twice"
                    );
            }
            // Counted as taken, as a booking's seats are: the occurrence's count stays true.
            YOYAKU_TRY_ASSIGN(
                const bool counted,
                offerings::OccurrenceStore(stx).take_seats(id, static_cast<int>(seats.size()))
            );
            if (!counted) return Error{Errc::slot_taken, "not enough seats are left", "seats", {}};
            seating::OccurrenceSeatStore store(stx);
            for (const auto& s : seats) {
                YOYAKU_TRY_ASSIGN(
                    const bool took, store.take(id, m.row.id, s, seating::SeatUse::house, now)
                );
                if (!took) return Error{Errc::slot_taken, "seat " + s + " is taken", "seats", {}};
            }
            return {};
        }
    );
}

Result<OccurrenceSeats> SeatService::release_house(
    TenantId tenant,
    OccurrenceId id,
    const std::vector<std::string>& seats,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return house_change(
        db_,
        clock_.now(),
        tenant,
        id,
        seats,
        {"seats.released", actor, origin},
        [&](ScopedTx& stx, const Mapped& m, Instant now) -> Result<void> {
            YOYAKU_TRY_ASSIGN(
                const int released,
                seating::OccurrenceSeatStore(stx).release(id, seats, seating::SeatUse::house)
            );
            if (released == 0) return {};
            YOYAKU_TRY(offerings::OccurrenceStore(stx).give_back_seats(id, released));
            // Seats back on sale go to the waitlist first, as a cancellation's do.
            return detail::release_to_waitlist(
                stx, keys_, options_, m.occurrence.offering_id, id, now
            );
        }
    );
}

}  // namespace yoyaku::bookings

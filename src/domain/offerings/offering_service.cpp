#include "domain/offerings/offering_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resources.hpp"
#include "domain/seating/seat_map.hpp"
#include "domain/seating/seat_store.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::offerings {
namespace {

using storage::ScopedTx;

// Staff for appointments, one bookable resource for rentals, a room: all of the tenant, live.
Result<void> check_resources(ScopedTx& stx, OfferingInput& in) {
    const bool appointment = in.kind == OfferingKind::appointment;
    if (appointment && (in.resource_ids.empty() || in.resource_ids.size() > 50))
        return Error::invalid("resource_ids", "an appointment needs 1 to 50 staff members");
    if (!appointment && in.resource_ids.size() != 1)
        return Error::invalid("resource_ids", "a rental names exactly one resource");
    for (std::size_t i = 0; i < in.resource_ids.size(); ++i) {
        const std::string f = "resource_ids[" + std::to_string(i) + "]";
        for (std::size_t k = 0; k < i; ++k)
            if (in.resource_ids[k] == in.resource_ids[i])
                return Error::invalid(f, "is named twice");
        auto r = resources::load_resource(stx, in.resource_ids[i]);
        if (!r || r->archived) return Error::invalid(f, "no live resource has this id");
        if (appointment != (r->kind == resources::Kind::staff))
            return Error::invalid(
                f, appointment ? "must be a staff member" : "must be a room, facility or equipment"
            );
    }
    if (in.by_division) {
        auto r = resources::load_resource(stx, in.resource_ids.front());
        if (r && r->divisions.empty())
            return Error::invalid("resource_ids[0]", "has no time divisions to book");
    }
    for (std::size_t i = 0; i < in.equipment.size(); ++i) {
        auto r = resources::load_resource(stx, in.equipment[i].resource_id);
        if (!r || r->archived || r->kind != resources::Kind::equipment)
            return Error::invalid(
                "equipment[" + std::to_string(i) + "].resource_id", "no live equipment has this id"
            );
        if (in.equipment[i].name.empty()) in.equipment[i].name = r->name;
    }
    if (in.room_id) {
        if (!appointment) return Error::invalid("room_id", "only appointments take a room");
        auto r = resources::load_resource(stx, *in.room_id);
        if (!r || r->archived || r->kind == resources::Kind::staff)
            return Error::invalid("room_id", "no live room or facility has this id");
    }
    return {};
}

// Events and courses carry no resources; the others are checked against the tenant's.
Result<OfferingInput> checked(ScopedTx& stx, const OfferingInput& given) {
    YOYAKU_TRY_ASSIGN(auto in, check(given));
    if (in.kind == OfferingKind::appointment || in.kind == OfferingKind::rental)
        YOYAKU_TRY(check_resources(stx, in));
    if (in.zoom_meetings) {
        YOYAKU_TRY_ASSIGN(
            const auto zoom, tenants::TenantSettingStore(stx).find("zoom.credentials")
        );
        if (!zoom) return Error::invalid("zoom_meetings", "connect the venue's Zoom account first");
    }
    if (in.seat_map_id == 0) return in;
    auto row = seating::SeatMapStore(stx).find(in.seat_map_id);
    if (!row) return Error::invalid("seat_map_id", "no seat map has this id");
    // Prices name the map's categories.
    YOYAKU_TRY_ASSIGN(const auto map, seating::parse_layout(row->layout));
    for (std::size_t i = 0; i < in.ticket_types.size(); ++i)
        for (const auto& price : in.ticket_types[i].category_prices)
            if (std::none_of(map.categories.begin(), map.categories.end(), [&](const auto& c) {
                    return c.code == price.first;
                }))
                return Error::invalid(
                    "ticket_types[" + std::to_string(i) + "].category_prices." + price.first,
                    "is not a category of the seat map"
                );
    return in;
}

std::string offering_details(const Offering& o) {
    return boost::json::serialize(boost::json::object{
        {"kind", to_string(o.kind)}, {"published", o.published}, {"name_length", o.name.size()}});
}

}  // namespace

Result<Offering> OfferingService::create(
    TenantId tenant, const OfferingInput& in, const audit::Actor& actor, const audit::Origin& origin
) {
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return create_in(stx, in, actor, origin);
    });
}

Result<Offering> OfferingService::create_in(
    ScopedTx& stx, const OfferingInput& in, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(const auto valid, checked(stx, in));
    YOYAKU_TRY_ASSIGN(auto o, OfferingStore(stx).insert(valid, now));
    YOYAKU_TRY(audit::append(
        stx,
        actor,
        origin,
        {"offering.created", "offering:" + to_string(o.id), "success", offering_details(o)},
        now
    ));
    return o;
}

Result<Offering> OfferingService::update(
    TenantId tenant,
    OfferingId id,
    const OfferingInput& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Offering> {
        OfferingStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto old, store.find_by_id(id));
        if (old.kind != in.kind) return Error::invalid("kind", "an offering keeps its kind");
        YOYAKU_TRY_ASSIGN(const auto valid, checked(stx, in));
        if (old.seat_map_id != valid.seat_map_id) {
            // Sold seats are seats of the old map: it stays while any occurrence has some.
            YOYAKU_TRY_ASSIGN(const auto occ, OccurrenceStore(stx).list_by_offering(id));
            for (const auto& x : occ)
                if (x.taken > 0)
                    return Error::invalid(
                        "seat_map_id", "seats are sold: the offering keeps its seat map"
                    );
        }
        YOYAKU_TRY_ASSIGN(auto o, store.update(id, valid));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"offering.updated", "offering:" + to_string(o.id), "success", offering_details(o)},
            now
        ));
        return o;
    });
}

Result<Offering> OfferingService::find(TenantId tenant, OfferingId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return OfferingStore(stx).find_by_id(id);
    });
}

Result<Occurrence> OfferingService::find_occurrence(TenantId tenant, OccurrenceId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return OccurrenceStore(stx).find_by_id(id);
    });
}

Result<std::vector<Offering>> OfferingService::list(TenantId tenant, bool published_only) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return OfferingStore(stx).list(published_only);
    });
}

Result<Occurrence> OfferingService::add_occurrence(
    TenantId tenant,
    OfferingId offering,
    Instant starts_at,
    Instant ends_at,
    int capacity,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return add_occurrence_in(stx, offering, starts_at, ends_at, capacity, actor, origin);
    });
}

Result<Occurrence> OfferingService::add_occurrence_in(
    ScopedTx& stx,
    OfferingId offering,
    Instant starts_at,
    Instant ends_at,
    int capacity,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (ends_at <= starts_at) return Error::invalid("ends_at", "must be after starts_at");
    if (ends_at - starts_at > std::chrono::hours(24 * 31))
        return Error::invalid("ends_at", "an occurrence lasts at most 31 days");
    if (capacity < 1 || capacity > 1'000'000)
        return Error::invalid("capacity", "must be 1 to 1000000");
    const Instant now = clock_.now();
    OfferingStore offerings(stx);
    YOYAKU_TRY_ASSIGN(const auto o, offerings.find_by_id(offering));
    if (o.kind != OfferingKind::event && o.kind != OfferingKind::course)
        return Error::invalid("offering_id", "only events and courses have occurrences");
    if (o.kind == OfferingKind::course) {
        // Every enrolment holds a seat in every session: a session added later would
        // not have them.
        YOYAKU_TRY_ASSIGN(const bool enrolled, offerings.has_bookings(offering));
        if (enrolled)
            return Error{
                Errc::unprocessable,
                "a course's sessions are fixed once someone has enrolled",
                "offering_id",
                {}};
    }
    YOYAKU_TRY_ASSIGN(
        auto occ, OccurrenceStore(stx).insert(offering, starts_at, ends_at, capacity)
    );
    YOYAKU_TRY(audit::append(
        stx,
        actor,
        origin,
        {"occurrence.created",
         "occurrence:" + to_string(occ.id),
         "success",
         boost::json::serialize(boost::json::object{{"capacity", capacity}})},
        now
    ));
    return occ;
}

Result<std::vector<Occurrence>> OfferingService::occurrences(
    TenantId tenant, OfferingId offering, bool upcoming_only
) {
    const Instant from = upcoming_only ? clock_.now() : Instant::min();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return OccurrenceStore(stx).list_by_offering(offering, from);
    });
}

}  // namespace yoyaku::offerings

#pragma once
// What a manager limited a staff member to (SPEC S6, RESV's manager/employee split): chosen
// resources (their own calendar as a staff member, rooms, equipment) and chosen offerings. A
// limited staff member sees and acts on only the bookings of those, the offerings that use
// them, and the customers of those bookings. An empty scope is no limit: the staff member
// sees the whole tenant, as before limits existed.

#include <optional>
#include <span>
#include <vector>

#include "core/ids.hpp"

namespace yoyaku::access {

struct StaffScope {
    std::vector<ResourceId> resources;  ///< ascending, distinct
    std::vector<OfferingId> offerings;  ///< ascending, distinct

    bool limited() const noexcept { return !resources.empty() || !offerings.empty(); }
    /// Sorts and drops repeats (what the store keeps and compares).
    void normalise();

    /// A booking of `offering` is theirs when the offering is assigned, or when the staff
    /// member, room or rented resource it takes (`resource`, `room`) is.
    bool covers_booking(
        OfferingId offering, std::optional<ResourceId> resource, std::optional<ResourceId> room
    ) const noexcept;
    /// An offering is theirs when assigned, or when it uses one of their resources (then
    /// only its bookings on those resources are theirs).
    bool covers_offering(
        OfferingId offering, std::span<const ResourceId> uses, std::optional<ResourceId> room
    ) const noexcept;
    /// True when `offering` itself is assigned (all of its bookings are theirs).
    bool assigned(OfferingId offering) const noexcept;
    bool assigned(ResourceId resource) const noexcept;

    friend bool operator==(const StaffScope&, const StaffScope&) = default;
};

}  // namespace yoyaku::access

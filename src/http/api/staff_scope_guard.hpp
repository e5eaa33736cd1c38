#pragma once
// The HTTP side of staff rights per resource (domain/staff_scopes): a staff member a manager
// limited sees and acts on only what their scope covers. Lists are filtered; a single item
// outside the scope answers 404 as if it did not exist (its existence is not theirs to know).
// Every check passes at once for callers that are not limited.

#include <span>
#include <string_view>

#include "http/api/api.hpp"

namespace yoyaku::http {

/// Whether the caller may see the offering: assigned, or using an assigned resource.
bool sees_offering(const Request& req, const offerings::Offering& o);
/// Whether the caller may see the resource: assigned, or used by an offering assigned to
/// them (`all`: the tenant's offerings).
bool sees_resource(
    const Request& req, ResourceId resource, std::span<const offerings::Offering> all
);
/// Errors: not_found unless the offering exists and the caller may see it.
Result<offerings::Offering> visible_offering(ApiContext& ctx, const Request& req, OfferingId id);
/// Errors: not_found unless the resource exists and the caller may see it.
Result<void> check_resource(ApiContext& ctx, const Request& req, ResourceId id);
/// Whether the caller's scope covers the booking (always, unless limited).
bool covers(const Request& req, const bookings::Booking& b);
/// Errors: not_found unless the booking exists and the caller's scope covers it.
Result<void> check_booking(ApiContext& ctx, const Request& req, std::string_view reference);
/// What a limited staff member books or moves to must be theirs: the offering assigned, or
/// the room, rented resource or chosen staff member (`resource_id`) it takes. `offering`: the
/// booking's, or 0 to take it from the selection. Errors: not_found (an offering they
/// cannot see), invalid_input on resource_id (none of their staff members chosen).
Result<void> check_selection(
    ApiContext& ctx, const Request& req, const bookings::Selection& sel, OfferingId offering
);
/// Errors: not_found unless `customer` is a customer account of the tenant the caller may see
/// (a limited staff member: a customer of their bookings).
Result<void> check_customer(ApiContext& ctx, const Request& req, AccountId customer);

}  // namespace yoyaku::http

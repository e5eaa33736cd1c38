#pragma once
// Every booking of a tenant, for its data export (issue 8): read in id order, a page at a
// time, inside one read transaction so the export is one consistent picture.

#include <functional>

#include "domain/bookings/bookings.hpp"
#include "domain/calendar/ical.hpp"

namespace yoyaku::bookings {

/// Calls `fn` with each of the tenant's bookings (customer details opened), oldest id first;
/// stops at the first error `fn` returns. Errors: those of the store and the keyring.
Result<void> each_booking(
    storage::Database& db,
    crypto::Keyring& keys,
    TenantId tenant,
    const std::function<Result<void>(const Booking&)>& fn
);

/// The booking as an iCalendar event (UID "<reference>@<tenant code>.yoyaku", SEQUENCE its
/// revision, cancelled when it is), for mail attachments and exports alike.
calendar::IcalEvent ical_event(
    const Booking& b, std::string_view tenant_code, std::string summary, Instant stamp
);

}  // namespace yoyaku::bookings

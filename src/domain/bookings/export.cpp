#include "domain/bookings/export.hpp"

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"

namespace yoyaku::bookings {

calendar::IcalEvent ical_event(
    const Booking& b, std::string_view tenant_code, std::string summary, Instant stamp
) {
    calendar::IcalEvent e;
    e.uid = b.reference + "@" + std::string(tenant_code) + ".yoyaku";
    e.sequence = b.revision;
    e.starts_at = b.starts_at;
    e.ends_at = b.ends_at;
    e.stamp = stamp;
    e.summary = std::move(summary);
    e.description = b.reference;
    e.cancelled = b.status == BookingStatus::cancelled;
    // Held online: calendars show the link where the place would be, and open it.
    if (!b.meeting_url.empty() && !e.cancelled) e.location = e.url = b.meeting_url;
    return e;
}

Result<void> each_booking(
    storage::Database& db,
    crypto::Keyring& keys,
    TenantId tenant,
    const std::function<Result<void>(const Booking&)>& fn
) {
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(tenant));
    return db.read(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) -> Result<void> {
        BookingId after;
        for (;;) {
            YOYAKU_TRY_ASSIGN(const auto ids, BookingStore(stx).list_ids_after(after, 500));
            if (ids.empty()) return {};
            for (const auto id : ids) {
                after = id;
                YOYAKU_TRY_ASSIGN(auto b, BookingStore(stx).find_by_id(after, k));
                YOYAKU_TRY(fn(b));
            }
        }
    });
}

}  // namespace yoyaku::bookings

// Holds: places kept while a customer finishes; expiry gives them back (to the waitlist
// first), confirmation turns a hold into a booking.
#include "domain/bookings/holds.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace detail {

using namespace std::chrono;
using storage::ScopedTx;

// Seats given back in an occurrence go to its waitlist first (events and courses keeping one).
Result<void> release_to_waitlist(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    OfferingId offering_id,
    std::optional<OccurrenceId> occurrence_id,
    Instant now
) {
    if (!occurrence_id) return {};
    YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id}));
    if (o.waitlist == WaitlistMode::off) return {};
    YOYAKU_TRY(serve_waitlist(stx, keys, options, o, *occurrence_id, now));
    return {};
}

// Gives back what expired holds of one offering (or all, 0) keep, marking them expired; a
// waitlist offer that ran out passes to the next in line.
Result<int> expire_holds(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    OfferingId offering_id,
    Instant now,
    int limit
) {
    BookingStore store(stx);
    YOYAKU_TRY_ASSIGN(const auto holds, store.list_expired_holds(offering_id, now, limit));
    int n = 0;
    for (const auto& h : holds) {
        YOYAKU_TRY_ASSIGN(
            const bool expired,
            store.update_status(h.id, BookingStatus::held, BookingStatus::expired, now)
        );
        if (!expired) continue;
        YOYAKU_TRY(give_back(stx, taken_from(h.capacity_taken)));
        YOYAKU_TRY(offer_ended(stx, h.id, false));
        YOYAKU_TRY(release_to_waitlist(stx, keys, options, h.offering_id, h.occurrence_id, now));
        YOYAKU_TRY(webhooks::emit(
            stx,
            keys,
            "booking.expired",
            boost::json::serialize(boost::json::object{
                {"reference", h.reference},
                {"status", "expired"},
                {"offering_id", h.offering_id.value}}),
            now
        ));
        ++n;
    }
    return n;
}

// Provisional bookings (仮予約) not confirmed in time lapse: their places go back (to the
// waitlist first) and their customers are told.
Result<int> lapse_provisional(
    ScopedTx& stx, crypto::Keyring& keys, const BookingOptions& options, Instant now, int limit
) {
    BookingStore store(stx);
    YOYAKU_TRY_ASSIGN(const auto lapsed, store.list_lapsed_provisional(now, limit));
    if (lapsed.empty()) return 0;
    YOYAKU_TRY_ASSIGN(const auto tenant_keys, keys.tenant_keys(stx.tenant_id()));
    int n = 0;
    for (const auto& p : lapsed) {
        YOYAKU_TRY_ASSIGN(
            const bool expired,
            store.update_status(p.id, BookingStatus::pending, BookingStatus::expired, now)
        );
        if (!expired) continue;
        YOYAKU_TRY(give_back(stx, taken_from(p.capacity_taken)));
        YOYAKU_TRY(release_to_waitlist(stx, keys, options, p.offering_id, p.occurrence_id, now));
        YOYAKU_TRY_ASSIGN(const auto b, store.find_by_id(p.id, tenant_keys));
        YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(p.offering_id));
        YOYAKU_TRY(announce(stx, keys, options, "lapsed", "booking_lapsed", b, o, now));
        YOYAKU_TRY(audit::append(
            stx, {"system", "system"}, {}, {"booking.lapsed", "booking:" + p.reference}, now
        ));
        ++n;
    }
    return n;
}

// A confirmed hold's customer, now at the provider's checkout page for kCheckoutMinutes.
Result<Booking> await_payment(
    ScopedTx& stx,
    const Booking& b,
    const crypto::TenantKeys& keys,
    const std::pair<std::string, std::string>& sealed_and_index,
    std::optional<AccountId> account_id,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
) {
    BookingStore store(stx);
    YOYAKU_TRY_ASSIGN(
        const bool kept,
        store.update_hold_awaiting_payment(
            b.id,
            sealed_and_index.first,
            sealed_and_index.second,
            account_id,
            now + kCheckoutMinutes,
            now
        )
    );
    if (!kept) return Error{Errc::conflict, "this hold was already used", "reference", {}};
    YOYAKU_TRY(audit::append(
        stx, actor, origin, {"booking.awaiting_payment", "booking:" + b.reference}, now
    ));
    return store.find_by_id(b.id, keys);
}

}  // namespace detail

using namespace detail;
using namespace std::chrono;
using storage::ScopedTx;
using storage::Tx;

Result<Booking> BookingService::confirm_hold(
    TenantId tenant,
    std::string_view reference,
    const NewBooking& details,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        YOYAKU_TRY_ASSIGN(
            auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id})
        );
        YOYAKU_TRY_ASSIGN(auto d, check_details(o, details));
        const bool repeated =
            (b->awaiting_payment && b->status == BookingStatus::held) || is_live(b->status);
        if (b->status != BookingStatus::held || b->awaiting_payment) {
            if (repeated && b->customer.email == d.customer.email) return *b;
            return Error{Errc::conflict, "this hold was already used", "reference", {}};
        }
        if (!b->hold_expires_at || *b->hold_expires_at <= now)
            return refused("the hold has expired; please choose again", "reference");
        YOYAKU_TRY(check_limits(
            stx,
            o,
            keys->indexes(d.customer.email),
            details.account_id,
            b->starts_at,
            b->resource_id,
            b->id,
            now
        ));
        // Held anonymously; confirmed by a member of a class, it takes the class's price.
        YOYAKU_TRY_ASSIGN(const auto cls, apply_user_class(stx, details.account_id, o));
        Plan priced;
        priced.total = b->total_jpy;
        priced.basis = basis_of(o, b->fees);
        priced.fees = b->fees;
        if (cls.percent != 100) price_for_class(priced, cls);
        const auto total = priced.total;
        BookingStore store(stx);
        if (cls.percent != 100)
            YOYAKU_TRY(store.update_total(b->id, total, fees_json(priced.fees)));
        const auto sealed =
            crypto::seal(keys->seal, sealed_text(d), customer_context(tenant, b->id));
        const auto index = crypto::blind_index(keys->index, d.customer.email);
        // Paid at once: the places stay held while the customer is at the checkout page.
        if (o.payment == offerings::Payment::online_now && total > 0)
            return await_payment(
                stx, *b, *keys, {sealed, index}, details.account_id, actor, origin, now
            );
        YOYAKU_TRY_ASSIGN(
            const bool confirmed,
            store.update_hold_confirmed(
                b->id,
                offerings::waits_for_staff(o) ? BookingStatus::pending : BookingStatus::confirmed,
                sealed,
                index,
                details.account_id,
                offerings::provisional_until(o, now, b->starts_at),
                now
            )
        );
        if (!confirmed) return Error{Errc::conflict, "this hold was already used", "reference", {}};
        YOYAKU_TRY_ASSIGN(auto after, BookingStore(stx).find_by_id(b->id, *keys));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.created", "booking:" + after.reference, "success", "{\"from\":\"hold\"}"},
            now
        ));
        YOYAKU_TRY(announce(
            stx,
            keys_,
            options_,
            "created",
            offerings::waits_for_staff(o) ? "booking_received" : "booking_confirmed",
            after,
            o,
            now
        ));
        return after;
    });
}

Result<int> BookingService::release_expired_holds(TenantId tenant) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<int> {
        auto n = expire_holds(stx, keys_, options_, OfferingId(), now, 500);
        if (!n) return n;
        YOYAKU_TRY_ASSIGN(const int lapsed, lapse_provisional(stx, keys_, options_, now, 500));
        *n += lapsed;
        if (*n > 0)
            YOYAKU_TRY(audit::append(
                stx,
                {"system", "system"},
                {},
                {"booking.holds_expired",
                 "tenant:" + std::to_string(stx.tenant_id().value),
                 "success",
                 "{\"count\":" + std::to_string(*n) + "}"},
                now
            ));
        return n;
    });
}

Result<int> BookingService::release_all_expired_holds() {
    YOYAKU_TRY_ASSIGN(const auto tenants, db_.read_platform([](Tx& tx) {
        return tenants::list_active_tenants(tx);
    }));
    int total = 0;
    for (const auto tenant : tenants) {
        auto n = release_expired_holds(tenant);
        if (!n) return n;
        total += *n;
    }
    return total;
}

}  // namespace yoyaku::bookings

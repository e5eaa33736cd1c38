// The job handlers of the booking engine: reminders and the pay-later deadline.
#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/bookings.hpp"
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

using namespace detail;
using namespace std::chrono;
using storage::ScopedTx;

namespace {

// What a job about a booking's time carries: {"reference", "starts_at"} (the start it was
// planned for, microseconds).
struct TimedJob {
    std::string reference;
    std::int64_t starts_at = 0;
};

Result<TimedJob> timed_job(const jobs::Job& job, const char* what) {
    boost::system::error_code ec;
    auto v = boost::json::parse(job.payload, ec);
    const auto* o = !ec && v.is_object() ? &v.get_object() : nullptr;
    const auto* ref = o ? o->if_contains("reference") : nullptr;
    const auto* at = o ? o->if_contains("starts_at") : nullptr;
    if (!ref || !ref->is_string() || !at || !at->is_int64())
        return Error::invalid("payload", std::string("not a queued ") + what);
    return TimedJob{std::string(ref->get_string()), at->get_int64()};
}

}  // namespace

jobs::Handler BookingService::unpaid_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto t, timed_job(job, "payment deadline"));
        auto b = find_by_reference(job.tenant, t.reference);
        if (!b) return b.error().code == Errc::not_found ? Result<void>{} : fail(b.error());
        // Moved since (the move planned its own deadline): not this job's.
        if (to_micros(b->starts_at) != t.starts_at) return {};
        CancelOptions unpaid;
        unpaid.waive_fee = true;
        unpaid.unpaid = true;
        auto cancelled = cancel(
            job.tenant,
            b->reference,
            Requester{true, {}, {}},
            {"payment-deadline", "system"},
            {},
            unpaid
        );
        if (!cancelled && cancelled.error().code != Errc::unprocessable)
            return fail(std::move(cancelled).error());
        return {};
    };
}

jobs::Handler BookingService::no_show_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto t, timed_job(job, "no-show release"));
        const auto starts = t.starts_at;
        auto r =
            change(job.tenant, t.reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
                const auto& b = c.booking;
                // Checked in, cancelled or moved (a move plans its own): not this job's.
                if (b.status != BookingStatus::confirmed || to_micros(b.starts_at) != starts)
                    return b;
                YOYAKU_TRY_ASSIGN(
                    const bool marked,
                    BookingStore(stx).update_status(
                        b.id, BookingStatus::confirmed, BookingStatus::no_show, c.now
                    )
                );
                if (!marked) return b;
                YOYAKU_TRY(give_back(stx, taken_from(capacity_of(stx, b.id))));
                YOYAKU_TRY(audit::append(
                    stx,
                    {"no-show-release", "system"},
                    {},
                    {"booking.no_show",
                     "booking:" + b.reference,
                     "success",
                     R"({"released":true})"},
                    c.now
                ));
                YOYAKU_TRY_ASSIGN(auto after, BookingStore(stx).find_by_id(b.id, c.keys));
                YOYAKU_TRY_ASSIGN(
                    auto off, offerings::OfferingStore(stx).find_by_id(b.offering_id)
                );
                YOYAKU_TRY(
                    announce(stx, keys_, options_, "no_show", "booking_no_show", after, off, c.now)
                );
                YOYAKU_TRY(release_to_waitlist(stx, keys_, options_, off.id, b.occurrence_id, c.now)
                );
                return after;
            });
        if (!r && r.error().code != Errc::not_found) return fail(std::move(r).error());
        return {};
    };
}

jobs::Handler BookingService::reminder_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto t, timed_job(job, "reminder"));
        YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(job.tenant));
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
            auto b = BookingStore(stx).find_by_reference(t.reference, keys);
            if (!b) return b.error().code == Errc::not_found ? Result<void>{} : fail(b.error());
            // Cancelled, or moved (the move planned its own reminder): nothing to say.
            if (b->status != BookingStatus::confirmed || to_micros(b->starts_at) != t.starts_at)
                return {};
            YOYAKU_TRY_ASSIGN(
                auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id})
            );
            return mail_customer(stx, keys_, options_, "booking_reminder", *b, o.name, now);
        });
    };
}

}  // namespace yoyaku::bookings

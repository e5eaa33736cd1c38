// A booking's own Zoom meeting (issue 28): the booking's change writes what the meeting should
// be (sync_meeting, in its transaction) and queues a "zoom" job; the job makes Zoom follow —
// creates the meeting for a confirmed booking and mails (or LINEs) its link, moves it with the
// booking, deletes it when the booking goes — outside any transaction, then records what Zoom
// holds. A job that runs twice or late finds the row in step and does nothing.
#include <boost/json.hpp>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_meeting_store.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/zoom/zoom.hpp"

namespace yoyaku::bookings {

using storage::ScopedTx;

namespace detail {

Result<void> sync_meeting(
    ScopedTx& stx, crypto::Keyring& keys, const Booking& b, const Offering& o, Instant now
) {
    if (!o.zoom_meetings) return {};
    BookingMeetingStore store(stx);
    YOYAKU_TRY_ASSIGN(const auto had, store.find(b.id));
    // Confirmed (and still so when checked in): a pending booking waits for staff first.
    const bool wanted =
        b.status == BookingStatus::confirmed || b.status == BookingStatus::checked_in;
    if (!had && !wanted) return {};
    if (had && had->wanted == wanted && had->starts_at == b.starts_at && had->ends_at == b.ends_at)
        return {};
    YOYAKU_TRY(store.want(b.id, wanted, o.name, b.starts_at, b.ends_at, now));
    jobs::NewJob job;
    job.topic = "zoom";
    job.kind = "zoom.meeting";
    job.ref = b.reference;
    job.run_at = now;
    job.payload = boost::json::serialize(boost::json::object{{"booking_id", b.id.value}});
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
    return {};
}

}  // namespace detail

namespace {

Result<BookingId> booking_of(const jobs::Job& job) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(job.payload, ec);
    const auto* id = !ec && v.is_object() ? v.get_object().if_contains("booking_id") : nullptr;
    if (!id || !id->is_int64() || id->get_int64() <= 0)
        return Error::invalid("payload", "not a queued meeting");
    return BookingId{id->get_int64()};
}

}  // namespace

jobs::Handler BookingService::meeting_handler(zoom::Client& zoom) {
    return [this, &zoom](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto id, booking_of(job));
        const auto scope = storage::TenantScope(job.tenant);
        struct Seen {
            std::optional<BookingMeeting> meeting;
            std::optional<zoom::Credentials> credentials;
        };
        YOYAKU_TRY_ASSIGN(const auto seen, db_.read(scope, [&](ScopedTx& stx) -> Result<Seen> {
            Seen out;
            YOYAKU_TRY_ASSIGN(out.meeting, BookingMeetingStore(stx).find(id));
            YOYAKU_TRY_ASSIGN(out.credentials, zoom::credentials(stx, keys_));
            return out;
        }));
        if (!seen.meeting) return {};
        const auto& m = *seen.meeting;
        const Instant now = clock_.now();
        const zoom::MeetingPlan plan{m.topic, m.starts_at, m.ends_at};
        // Done already (a repeated job), or nothing to undo.
        if (m.wanted ? m.in_step() : !m.meeting_id) return {};
        if (!seen.credentials) {
            if (!m.wanted) {  // disconnected: the meeting is Zoom's to end, forgotten here
                return db_.write(scope, [&](ScopedTx& stx) {
                    return BookingMeetingStore(stx).synced(
                        id, std::nullopt, std::nullopt, std::nullopt, std::nullopt, now
                    );
                });
            }
            return Error::invalid("zoom", "the venue's Zoom account is not connected");
        }
        const auto& c = *seen.credentials;
        if (!m.wanted) {
            YOYAKU_TRY(zoom.remove(job.tenant, c, *m.meeting_id, now));
            return db_.write(scope, [&](ScopedTx& stx) {
                return BookingMeetingStore(stx).synced(
                    id, std::nullopt, std::nullopt, std::nullopt, std::nullopt, now
                );
            });
        }
        if (m.meeting_id) {
            auto moved = zoom.update(job.tenant, c, *m.meeting_id, plan, now);
            if (moved)
                return db_.write(scope, [&](ScopedTx& stx) {
                    return BookingMeetingStore(stx).synced(
                        id, m.meeting_id, m.join_url, m.starts_at, m.ends_at, now
                    );
                });
            // Deleted at Zoom meanwhile (by the host): a new one, and its link mailed.
            if (moved.error().code != Errc::not_found) return fail(std::move(moved).error());
        }
        YOYAKU_TRY_ASSIGN(const auto made, zoom.create(job.tenant, c, plan, now));
        YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(job.tenant));
        bool orphan = false;
        YOYAKU_TRY(db_.write(scope, [&](ScopedTx& stx) -> Result<void> {
            BookingMeetingStore store(stx);
            YOYAKU_TRY_ASSIGN(const auto now_is, store.find(id));
            // Another run made one meanwhile, or the booking went: this one is not needed.
            if (!now_is || !now_is->wanted ||
                (now_is->meeting_id && now_is->meeting_id != m.meeting_id)) {
                orphan = true;
                return {};
            }
            YOYAKU_TRY(store.synced(id, made.id, made.join_url, m.starts_at, m.ends_at, now));
            YOYAKU_TRY_ASSIGN(const auto b, BookingStore(stx).find_by_id(id, k));
            YOYAKU_TRY_ASSIGN(
                const auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id)
            );
            return detail::mail_customer(stx, keys_, options_, "booking_meeting", b, o.name, now);
        }));
        if (orphan) YOYAKU_TRY(zoom.remove(job.tenant, c, made.id, now));
        return {};
    };
}

}  // namespace yoyaku::bookings

// What a change to a booking tells the world inside its transaction: webhook events, the
// customer's mail (and LINE), reminder and payment-deadline jobs.
#include "domain/bookings/announce.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/booking_tickets.hpp"
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

boost::json::value opt_json(const std::optional<std::int64_t>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
template <class Tag>
boost::json::value opt_json(const std::optional<Id<Tag>>& v) {
    return v ? boost::json::value(v->value) : boost::json::value(nullptr);
}

// What webhooks receive about a booking (the tenant's own systems: the customer's name and
// address are theirs).
std::string event_data(const Booking& b, const std::string& offering_name) {
    boost::json::object tickets;
    for (const auto& [code, n] : b.tickets) tickets[code] = n;
    return boost::json::serialize(boost::json::object{
        {"reference", b.reference},
        {"status", to_string(b.status)},
        {"offering_id", b.offering_id.value},
        {"offering_name", offering_name},
        {"occurrence_id", opt_json(b.occurrence_id)},
        {"starts_at", format_rfc3339(b.starts_at, "UTC")},
        {"ends_at", format_rfc3339(b.ends_at, "UTC")},
        {"seats", b.seats},
        {"tickets", std::move(tickets)},
        {"total_jpy", b.total_jpy},
        {"resource_id", opt_json(b.resource_id)},
        {"room_id", opt_json(b.room_id)},
        {"locale", b.locale},
        {"cancellation_fee_jpy", opt_json(b.cancellation_fee_jpy)},
        {"customer",
         {{"name", b.customer.name}, {"email", b.customer.email}, {"phone", b.customer.phone}}}});
}

Result<line::Card> line_card(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    const Booking& b,
    const std::string& offering_name,
    std::string title
) {
    YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
    const bool ja = b.locale != "en";
    line::Card card;
    card.venue = t.name;
    card.title = std::move(title);
    card.rows = {
        {ja ? "内容" : "What", offering_name},
        {ja ? "日時" : "When", mail::format_local(b.starts_at, t.time_zone, b.locale)},
        {ja ? "人数" : "Seats", std::to_string(b.seats)}};
    if (b.total_jpy > 0)
        card.rows.emplace_back(
            ja ? "料金" : "Price",
            ja ? std::to_string(b.total_jpy) + "円" : "JPY " + std::to_string(b.total_jpy)
        );
    card.rows.emplace_back(ja ? "予約番号" : "Reference", b.reference);
    if (!b.meeting_url.empty() && is_live(b.status))
        card.buttons.push_back({ja ? "オンラインで参加" : "Join online", b.meeting_url, {}, true});
    // Seen in the chat as it stands now; moved on its page (a calendar to choose from);
    // cancelled after a confirmation.
    card.buttons.push_back({ja ? "予約を確認" : "View", {}, "action=view&ref=" + b.reference, true}
    );
    if (!is_live(b.status)) return card;
    if (!options.public_url.empty()) {
        YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
        card.buttons.push_back(
            {ja ? "日時を変更" : "Change",
             options.public_url + manage_path(k.index, t.code, b.reference)}
        );
    }
    card.buttons.push_back(
        {ja ? "キャンセルする" : "Cancel", {}, "action=cancel&ref=" + b.reference}
    );
    return card;
}

// The customer's mail about `b` (template `name`), in the booking's language, with an
// iCalendar event when the mail adds, moves or removes a calendar entry.
Result<void> mail_customer(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view name,
    const Booking& b,
    const std::string& offering_name,
    Instant now,
    const std::vector<std::pair<std::string, std::string>>& extra
) {
    if (b.customer.email.empty()) return {};
    auto t = tenants::TenantStore(stx).find_profile();
    if (!t) return fail(std::move(t).error());
    mail::Vars vars{
        {"tenant_name", t->name},
        {"tenant_code", t->code},
        {"name", b.customer.name},
        {"offering", offering_name},
        {"starts_at", mail::format_local(b.starts_at, t->time_zone, b.locale)},
        {"seats", std::to_string(b.seats)},
        {"total_jpy", std::to_string(b.total_jpy)},
        {"reference", b.reference}};
    // Sections in the templates show only what is set.
    if (b.cancellation_fee_jpy && *b.cancellation_fee_jpy > 0)
        vars.emplace_back("fee_jpy", std::to_string(*b.cancellation_fee_jpy));
    // A paid booking's receipt is on its page.
    if (b.paid_jpy > 0) vars.emplace_back("receipt", "1");
    // Held online: the meeting link, while the booking stands.
    if (!b.meeting_url.empty() && is_live(b.status))
        vars.emplace_back("meeting_url", b.meeting_url);
    if (b.hold_expires_at)
        vars.emplace_back(
            "hold_expires_at", mail::format_local(*b.hold_expires_at, t->time_zone, b.locale)
        );
    // A signed link to view, move or cancel it: the mail's reader needs no other proof, and a
    // stranger whose address was typed in can undo what they never booked.
    if (!options.public_url.empty()) {
        YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
        vars.emplace_back(
            "manage_link", options.public_url + manage_path(k.index, t->code, b.reference)
        );
    }
    vars.insert(vars.end(), extra.begin(), extra.end());
    // The tickets' QR codes go with the mails that confirm or move a booking, and the reminder.
    const bool cancel = name == "booking_cancelled";
    const bool shows_tickets =
        name == "booking_confirmed" || name == "booking_rescheduled" || name == "booking_reminder";
    std::vector<tickets::TicketRow> live;
    if (shows_tickets) {
        YOYAKU_TRY_ASSIGN(live, live_tickets(stx, b));
    }
    if (!live.empty()) vars.emplace_back("tickets", std::to_string(live.size()));
    YOYAKU_TRY_ASSIGN(
        auto m, mail::render(stx.tx(), stx.tenant_id(), name, b.locale, vars, b.customer.email)
    );
    attach_ticket_codes(live, b, m);
    if (cancel || name == "booking_confirmed" || name == "booking_rescheduled" ||
        name == "booking_reminder" || name == "booking_meeting") {
        auto e = ical_event(b, t->code, offering_name + " (" + t->name + ")", now);
        e.cancelled = cancel;
        const std::string method = cancel ? "CANCEL" : "REQUEST";
        m.attachments.push_back(
            {cancel ? "cancel.ics" : "booking.ics",
             "text/calendar; charset=UTF-8; method=" + method,
             calendar::ical_calendar(method, {e}, options.organizer_email)}
        );
    }
    std::string kind(name);  // booking_confirmed → booking.confirmed
    std::replace(kind.begin(), kind.end(), '_', '.');
    // A signed-in customer who linked LINE gets it there as a card, and no mail when they chose
    // LINE only and LINE takes it (the mail goes with the push, in case LINE does not).
    auto mail_job = mail::queued(kind, m, now, b.reference);
    if (b.account_id) {
        line::Message pushed{
            kind,
            m.subject + "\n\n" + m.text,
            [&]() -> Result<line::Card> {
                YOYAKU_TRY_ASSIGN(
                    auto card, line_card(stx, keys, options, b, offering_name, m.subject)
                );
                // A waitlist offer is accepted from the chat too (waitlist_line.cpp).
                for (const auto& [key, value] : extra)
                    if (name == "waitlist_offer" && key == "waitlist_reference")
                        card.buttons.insert(
                            card.buttons.begin(),
                            {b.locale != "en" ? "予約を確定する" : "Book it",
                             {},
                             "action=accept_offer&ref=" + value,
                             true}
                        );
                return card;
            },
            b.reference,
            mail_job};
        YOYAKU_TRY_ASSIGN(const auto went, line::push(stx, keys, *b.account_id, pushed, now));
        if (went == line::Pushed::instead_of_mail) return {};
    }
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), mail_job, now));
    return {};
}

// What a change to a booking tells the world, inside its transaction: the webhook event
// `booking.<event>`, the customer's mail (`mail_name`, or none when empty) and, for a
// booking that is now confirmed at a new time, its reminder.
Result<void> announce(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view event,
    std::string_view mail_name,
    const Booking& b,
    const Offering& o,
    Instant now,
    bool won
) {
    YOYAKU_TRY(
        webhooks::emit(stx, keys, "booking." + std::string(event), event_data(b, o.name), now)
    );
    // Its tickets follow every change: issued when it is confirmed, new ones when it moves,
    // revoked when it goes.
    YOYAKU_TRY(sync_tickets(stx, keys, b, o, now));
    // Its own online meeting follows it the same way.
    YOYAKU_TRY(sync_meeting(stx, keys, b, o, now));
    // Paid online but not yet: pay later, or a winner of an offering paid at once.
    const bool owes_online = b.payment_state == PaymentState::unpaid && b.total_jpy > 0 &&
                             (o.payment == offerings::Payment::online_later ||
                              (won && o.payment == offerings::Payment::online_now));
    if (!mail_name.empty())
        YOYAKU_TRY(mail_customer(
            stx,
            keys,
            options,
            mail_name,
            b,
            o.name,
            now,
            // The mail asks for it (the booking's page has the way to pay).
            owes_online ? std::vector<std::pair<std::string, std::string>>{{"pay_online", "1"}}
                        : std::vector<std::pair<std::string, std::string>>{}
        ));
    const bool placed =
        event == "created" || event == "confirmed" || event == "approved" || event == "rescheduled";
    if (!placed || b.status != BookingStatus::confirmed) return {};
    // A job `topic` about `b`, due `before` its start, unless that moment has passed.
    const auto schedule = [&](const char* topic, const char* kind, int before) -> Result<void> {
        jobs::NewJob job;
        job.topic = topic;
        job.kind = kind;
        job.ref = b.reference;
        job.run_at = b.starts_at - minutes(before);
        job.payload = boost::json::serialize(boost::json::object{
            {"reference", b.reference}, {"starts_at", to_micros(b.starts_at)}});
        if (job.run_at <= now) return {};
        YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
        return {};
    };
    if (o.reminder_minutes > 0 && !b.customer.email.empty())
        YOYAKU_TRY(schedule("reminder", "booking.reminder", o.reminder_minutes));
    // Not checked in this long after the start: a no-show, its seats released.
    if (o.no_show_release_minutes > 0)
        YOYAKU_TRY(schedule("no_show", "booking.no_show_release", -o.no_show_release_minutes));
    // Pay later: the deadline's check, when something is owed (a winner's, when it owes it
    // online).
    if (won && owes_online && o.payment == offerings::Payment::online_now) {
        const auto before =
            std::chrono::duration_cast<minutes>(b.starts_at - *pay_deadline(o, now, b.starts_at));
        YOYAKU_TRY(schedule("unpaid", "booking.unpaid", static_cast<int>(before.count())));
    } else if (o.pay_by_minutes > 0 && b.total_jpy > 0 && !b.paid_at) {
        YOYAKU_TRY(schedule("unpaid", "booking.unpaid", o.pay_by_minutes));
    }
    return {};
}

}  // namespace detail

std::optional<Instant> pay_deadline(
    const offerings::Offering& o, Instant created_at, Instant starts_at
) {
    if (o.payment == offerings::Payment::online_later && o.pay_by_minutes > 0)
        return starts_at - std::chrono::minutes(o.pay_by_minutes);
    if (o.payment == offerings::Payment::online_now)
        return std::min(created_at + kWinnerPayHours, starts_at);
    return std::nullopt;
}

namespace detail {

Booking mail_stand_in(
    std::string reference,
    Customer customer,
    std::string locale,
    int seats,
    std::int64_t total_jpy,
    Instant starts_at
) {
    Booking b;
    b.reference = std::move(reference);
    b.customer = std::move(customer);
    b.locale = std::move(locale);
    b.seats = seats;
    b.total_jpy = total_jpy;
    b.starts_at = starts_at;
    return b;
}

Result<void> mail_confirmation(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view what,
    const Booking& entry,
    const std::string& offering_name,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(auto t, tenants::TenantStore(stx).find_profile());
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(stx.tenant_id()));
    const auto link = options.public_url + "/t/" + t.code + "/confirm?what=" + std::string(what) +
                      "&ref=" + entry.reference +
                      "#key=" + detail::confirm_key(k.index, what, entry.reference);
    return mail_customer(
        stx,
        keys,
        options,
        std::string(what) + "_confirm",
        entry,
        offering_name,
        now,
        {{"confirm_link", link}}
    );
}

// Reloads booking `id` after a change that mails nobody and sends its webhook event.
Result<Booking> announced(
    ScopedTx& stx,
    crypto::Keyring& keyring,
    std::string_view event,
    BookingId id,
    const crypto::TenantKeys& keys,
    Instant now
) {
    auto b = BookingStore(stx).find_by_id(id, keys);
    if (!b) return fail(std::move(b).error());
    YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx).find_by_id(b->offering_id));
    YOYAKU_TRY(
        webhooks::emit(stx, keyring, "booking." + std::string(event), event_data(*b, o.name), now)
    );
    YOYAKU_TRY(sync_tickets(stx, keyring, *b, o, now));
    YOYAKU_TRY(sync_meeting(stx, keyring, *b, o, now));
    return b;
}

}  // namespace detail

}  // namespace yoyaku::bookings

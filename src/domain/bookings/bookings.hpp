#pragma once
// Offerings and bookings (SPEC "The booking domain", ADR 0009): one engine for four shapes.
//   event       fixed occurrences with a seat capacity; ticket types with prices and limits
//   course      a series of occurrences enrolled as one (a seat in every session), with an
//               application period
//   appointment a duration with one of a set of staff members, optionally a room
//   rental      blocks of N minutes of one resource (min/max blocks, a price per block, a
//               quantity for equipment stock), optionally approved by staff first
// Seats are taken by one guarded UPDATE per occurrence; time on resources by one guarded
// upsert of 5-minute usage buckets. A booking stores what it took, so cancelling, expiring a
// hold, rejecting or moving gives back exactly that. The customer (name, email, phone, note,
// answers) is sealed under the tenant's key with a blind index of the email; references are
// short and unguessable; every creating request names an Idempotency-Key (a retry gets the
// first answer, never a second booking); answers are sent after COMMIT.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "storage/database.hpp"

namespace yoyaku::bookings {

enum class OfferingKind { appointment, rental, event, course };
std::string_view to_string(OfferingKind k) noexcept;
std::optional<OfferingKind> parse_offering_kind(std::string_view s) noexcept;

struct TicketType {
    std::string code;  ///< "adult": [a-z0-9_-]{1,32}, unique in the offering
    std::string name;
    std::int64_t price_jpy = 0;
    int max_per_order = 10;
};

enum class QuestionType { text, choice, checkbox };
std::string_view to_string(QuestionType t) noexcept;
std::optional<QuestionType> parse_question_type(std::string_view s) noexcept;

/// A custom question asked when booking. Answers: text (≤ 1000 characters), one of the
/// options (choice), true/false (checkbox; a required checkbox must be ticked).
struct Question {
    std::string id;  ///< [a-z0-9_-]{1,32}, unique in the offering
    std::string label;
    QuestionType type = QuestionType::text;
    bool required = false;
    std::vector<std::string> options;  ///< choice only: 1–20
};

/// Granularity of time on resources: usage buckets, durations, blocks, buffers and slot steps
/// are multiples of it.
inline constexpr std::chrono::minutes kBucket{5};

struct OfferingInput {
    OfferingKind kind = OfferingKind::event;
    std::string name;
    std::string description;
    bool published = false;
    /// Booking window relative to a slot's or occurrence's start: opens this long before
    /// (none: at once), closes this long before.
    std::optional<int> opens_before_minutes;
    int closes_before_minutes = 0;
    /// Customers may cancel or move until this long before the start.
    int cancel_before_minutes = 0;
    int max_per_order = 10;                ///< seats (event, course) or quantity (rental)
    std::vector<TicketType> ticket_types;  ///< event and course: 1–20
    int duration_minutes = 0;              ///< appointment: its length; rental: one block
    int slot_step_minutes = 0;             ///< appointment: start times every … (0: the duration)
    int min_blocks = 1;                    ///< rental
    int max_blocks = 1;                    ///< rental
    std::int64_t price_jpy = 0;            ///< appointment: the price; rental: per block and unit
    bool requires_approval = false;        ///< rental: bookings wait as pending for staff
    /// appointment: the staff members (resources of kind staff), any of whom may serve;
    /// rental: the one resource rented.
    std::vector<std::int64_t> resource_ids;
    std::optional<std::int64_t> room_id;  ///< appointment: a room taken as well
    /// course: applications are taken from … until … (besides the booking window)
    std::optional<Instant> applications_open_at;
    std::optional<Instant> applications_close_at;
    int hold_minutes = 10;  ///< how long a hold keeps its places (1–60)
    std::vector<Question> questions;
    /// A reminder mail goes out this long before the start (0: none; at most 14 days).
    int reminder_minutes = 1440;
};

struct Offering : OfferingInput {
    std::int64_t id = 0;
    Instant created_at{};
};

struct Occurrence {
    std::int64_t id = 0;
    std::int64_t offering_id = 0;
    Instant starts_at{};
    Instant ends_at{};
    int capacity = 0;
    int taken = 0;
};

enum class BookingStatus {
    held,     ///< places kept until hold_expires_at, waiting for the customer's details
    pending,  ///< waiting for staff approval (places kept)
    confirmed,
    cancelled,
    rejected,
    expired,  ///< a hold that was not confirmed in time
    checked_in,
    no_show
};
std::string_view to_string(BookingStatus s) noexcept;
std::optional<BookingStatus> parse_booking_status(std::string_view s) noexcept;

struct Customer {
    std::string name;
    std::string email;
    std::string phone;
};

struct Booking {
    std::int64_t id = 0;
    std::string reference;  ///< 10 characters of Crockford base32 (50 bits)
    std::int64_t offering_id = 0;
    std::optional<std::int64_t> occurrence_id;  ///< event: the session; course: the first
    BookingStatus status = BookingStatus::confirmed;
    int seats = 0;  ///< seats (event, course), 1 (appointment), quantity (rental)
    std::int64_t total_jpy = 0;
    std::map<std::string, int> tickets;  ///< ticket type code → count
    Instant starts_at{};
    Instant ends_at{};
    std::optional<std::int64_t> resource_id;  ///< appointment: the staff member; rental: it
    std::optional<std::int64_t> room_id;
    std::optional<Instant> hold_expires_at;
    std::optional<std::int64_t> account_id;  ///< the signed-in customer who booked
    std::optional<Instant> checked_in_at;
    Customer customer;                           ///< opened from its sealed form
    std::string note;                            ///< the customer's note (sealed)
    std::map<std::string, std::string> answers;  ///< question id → answer (sealed)
    Instant created_at{};
    std::string locale = "ja";  ///< the customer's language for messages: "ja" or "en"
    int revision = 0;           ///< counts moves and cancellation (iCalendar SEQUENCE)
};

/// What a booking asks for. Which fields count depends on the offering's kind:
/// event: occurrence_id + tickets; course: offering_id + tickets; appointment: offering_id +
/// starts_at (+ resource_id to choose the staff member); rental: offering_id + starts_at +
/// blocks (+ quantity).
struct Selection {
    std::int64_t offering_id = 0;
    std::int64_t occurrence_id = 0;
    std::map<std::string, int> tickets;
    std::optional<Instant> starts_at;
    int blocks = 1;
    int quantity = 1;
    std::optional<std::int64_t> resource_id;
};

struct NewBooking {
    Selection what;
    Customer customer;
    std::string note;
    std::map<std::string, std::string> answers;
    std::optional<std::int64_t> account_id;  ///< set for a signed-in customer
    std::string locale;           ///< "ja" or "en" for the customer's messages; empty: the tenant's
    std::string idempotency_key;  ///< 8–128 of [A-Za-z0-9_.:-]
    /// A hold: places kept for the offering's hold_minutes; customer, note and answers come
    /// with confirm_hold.
    bool hold = false;
};

/// The answer to a creating request, as first given (a retry gets the same).
struct Created {
    Booking booking;
    bool replayed = false;  ///< true when this is the stored answer of an earlier request
};

/// A free slot: an occurrence with seats left, or a start time with room on the resources.
struct Slot {
    Instant starts_at{};
    Instant ends_at{};
    int remaining = 0;  ///< seats, free staff members, or free units
    std::optional<std::int64_t> occurrence_id;
    std::vector<std::int64_t> resource_ids;  ///< appointment: the staff free then
};

struct Availability {
    std::string time_zone;
    std::chrono::year_month_day from;
    std::chrono::year_month_day to;
    std::vector<Slot> slots;
};

/// Who acts on an existing booking: staff (rules of the tenant only), or the customer (also
/// the cancellation deadline; proven by the booking's email or by being its signed-in account).
struct Requester {
    bool staff = false;
    std::string email;                       ///< a guest's proof
    std::optional<std::int64_t> account_id;  ///< a signed-in customer
};

struct BookingFilter {
    std::optional<Instant> from;  ///< starts at or after
    std::optional<Instant> to;    ///< starts before
    std::optional<BookingStatus> status;
    std::optional<std::int64_t> offering_id;
    std::optional<std::int64_t> resource_id;
    std::optional<std::int64_t> account_id;
    std::string email;  ///< exact address, through the blind index
    int limit = 200;    ///< 1–500
};

/// A secret iCalendar feed URL of a resource (a staff member, a room…) or a customer.
struct CalendarFeed {
    std::int64_t id = 0;
    std::optional<std::int64_t> resource_id;
    std::optional<std::int64_t> account_id;
    Instant created_at{};
    std::optional<Instant> revoked_at;
};

struct NewFeed {
    CalendarFeed feed;
    std::string token;  ///< 64 hex characters, shown once; only its hash is kept
};

struct BookingOptions {
    /// The ORGANIZER address of the iCalendar events in mails (the platform's sender).
    std::string organizer_email;
};

class BookingService {
public:
    BookingService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        BookingOptions options = {}
    )
        : db_(db), keys_(keys), clock_(clock), options_(std::move(options)) {}

    /// A feed of `resource_id`'s or `account_id`'s bookings (exactly one is set). Errors:
    /// not_found (no such resource or account in this tenant).
    Result<NewFeed> create_feed(
        TenantId tenant,
        std::optional<std::int64_t> resource_id,
        std::optional<std::int64_t> account_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The tenant's feeds (managers), or one account's own.
    Result<std::vector<CalendarFeed>> list_feeds(
        TenantId tenant, std::optional<std::int64_t> account_id = std::nullopt
    );
    /// Revokes a feed (its URL answers 404 from now on); with `account_id`, only that
    /// account's own. Errors: not_found.
    Result<void> revoke_feed(
        TenantId tenant,
        std::int64_t id,
        std::optional<std::int64_t> account_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The iCalendar text of the feed with `token`: live bookings from 30 days ago to a year
    /// ahead, offering name and reference only (no personal data in a URL-protected file).
    /// Errors: not_found for an unknown or revoked token.
    Result<std::string> feed_calendar(TenantId tenant, std::string_view token);

    /// The job handler for topic "reminder": mails the customer of a booking that is still
    /// confirmed and still starts when the reminder was planned for (a moved booking has a
    /// new reminder; a cancelled one gets none).
    jobs::Handler reminder_handler();

    /// Errors: invalid_input naming the field (see OfferingInput; per kind: ticket types for
    /// events and courses; duration, staff in resource_ids and an optional room for
    /// appointments; block length, min/max blocks and exactly one resource for rentals;
    /// questions), not_found.
    Result<Offering> create_offering(
        TenantId tenant,
        const OfferingInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Replaces every field but the kind (which must stay). Errors: as create.
    Result<Offering> update_offering(
        TenantId tenant,
        std::int64_t id,
        const OfferingInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Offering> find_offering(TenantId tenant, std::int64_t id);
    Result<std::vector<Offering>> list_offerings(TenantId tenant, bool published_only);
    /// Events and courses only. Errors: invalid_input (starts_at, ends_at after starts_at,
    /// capacity 1–1 000 000; kind), unprocessable (a course that already has enrolments),
    /// not_found.
    Result<Occurrence> add_occurrence(
        TenantId tenant,
        std::int64_t offering_id,
        Instant starts_at,
        Instant ends_at,
        int capacity,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// In start order; `upcoming_only`: those starting from now on (what the public sees).
    Result<std::vector<Occurrence>> occurrences(
        TenantId tenant, std::int64_t offering_id, bool upcoming_only = false
    );

    /// The free slots of an offering on the local dates from..to (inclusive, at most 31) in
    /// the tenant's zone, as UTC instants: hours, exceptions, holidays, bookings, holds,
    /// capacity, buffers and the booking window (from now). `published_only` hides drafts.
    /// Errors: invalid_input on "to", not_found.
    Result<Availability> availability(
        TenantId tenant,
        std::int64_t offering_id,
        std::optional<std::chrono::year_month_day> from,
        std::optional<std::chrono::year_month_day> to,
        bool published_only
    );

    /// Books (or holds) what `in.what` selects. Errors: invalid_input naming the field,
    /// not_found (offering or occurrence; unpublished ones too), unprocessable (outside the
    /// window or application period; not a slot the offering offers; over a limit),
    /// slot_taken (not enough places left).
    Result<Created> book(
        TenantId tenant,
        const NewBooking& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Turns a live hold into a booking (confirmed, or pending when the offering wants
    /// approval) with the customer's details. Confirming again with the same email returns
    /// the booking. Errors: invalid_input naming the field, not_found, unprocessable (the hold
    /// expired), conflict.
    Result<Booking> confirm_hold(
        TenantId tenant,
        std::string_view reference,
        const NewBooking& details,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Gives back the places of holds whose time ran out. Returns how many expired.
    Result<int> release_expired_holds(TenantId tenant);
    /// release_expired_holds() for every active tenant (the server runs it every few
    /// seconds). Returns how many expired in all.
    Result<int> release_all_expired_holds();

    /// Errors: not_found.
    Result<Booking> find_by_reference(TenantId tenant, std::string_view reference);
    /// A customer's own booking: not_found unless `who` proves it (email or account).
    Result<Booking> find_for(TenantId tenant, std::string_view reference, const Requester& who);
    /// Bookings by start time. Errors: invalid_input (limit).
    Result<std::vector<Booking>> list(TenantId tenant, const BookingFilter& f);

    /// Cancels and gives the places back. Errors: not_found; unprocessable when not
    /// cancellable (status) or, for customers, past the cancellation deadline.
    Result<Booking> cancel(
        TenantId tenant,
        std::string_view reference,
        const Requester& who,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Moves a booking to another occurrence (event) or start time (appointment, rental; same
    /// length; optionally another staff member) in one transaction: the new places are taken
    /// before the old are given back, and a refusal leaves the booking as it was.
    Result<Booking> reschedule(
        TenantId tenant,
        std::string_view reference,
        const Selection& to,
        const Requester& who,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Staff decision on a pending booking: confirmed, or rejected (places given back).
    /// Errors: not_found, unprocessable (not pending).
    Result<Booking> decide(
        TenantId tenant,
        std::string_view reference,
        bool approve,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Check-in (kiosk or staff): a confirmed booking becomes checked_in once; a second
    /// check-in is a conflict naming when the first was. No-show: after the start only.
    Result<Booking> check_in(
        TenantId tenant,
        std::string_view reference,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Booking> mark_no_show(
        TenantId tenant,
        std::string_view reference,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

    /// A customer erases their account: refused (conflict on "bookings") while they have
    /// upcoming bookings; otherwise their past bookings keep counts, times and prices but lose
    /// every personal detail, and the account with its sessions goes, in one transaction.
    /// Answers how many bookings were anonymised. Errors: not_found, unprocessable (not a
    /// customer), conflict.
    Result<int> erase_customer(
        TenantId tenant,
        std::int64_t account_id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    /// What a change of one booking starts from, inside its write transaction.
    struct Change {
        const Booking& booking;  ///< as found by its reference
        const crypto::TenantKeys& keys;
        Instant now;
    };
    /// Loads the booking by reference in a write transaction of its tenant and hands it to
    /// `fn`. Errors: not_found, and whatever `fn` answers.
    Result<Booking> change(
        TenantId tenant,
        std::string_view reference,
        const std::function<Result<Booking>(storage::ScopedTx&, const Change&)>& fn
    );

    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    BookingOptions options_;
};

}  // namespace yoyaku::bookings

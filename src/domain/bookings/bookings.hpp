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
#include "domain/access/staff_scope.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/offerings/fees.hpp"
#include "domain/offerings/offering.hpp"
#include "domain/resources/resources.hpp"
#include "storage/database.hpp"

namespace yoyaku::zoom {
class Client;
}

namespace yoyaku::line {
struct Postback;
}  // namespace yoyaku::line

namespace yoyaku::bookings {

using offerings::CustomerLimits;
using offerings::FeeTier;
using offerings::kBucket;
using offerings::LotteryRules;
using offerings::Occurrence;
using offerings::Offering;
using offerings::OfferingInput;
using offerings::OfferingKind;
using offerings::Question;
using offerings::QuestionType;
using offerings::TicketType;
using offerings::WaitlistMode;

/// What cancelling a booking now would cost: the percent of its total (rounded down to the
/// yen) and when that changes next (the next tier's start; none when none is left).
struct FeeQuote {
    int percent = 0;
    std::int64_t fee_jpy = 0;
    std::optional<Instant> changes_at;
};

enum class BookingStatus {
    held,     ///< places kept until hold_expires_at, waiting for the customer's details
    pending,  ///< waiting for staff (places kept): approval, or provisional until hold_expires_at
    confirmed,
    cancelled,
    rejected,
    expired,  ///< a hold that was not confirmed in time
    checked_in,
    no_show
};
std::string_view to_string(BookingStatus s) noexcept;
std::optional<BookingStatus> parse_booking_status(std::string_view s) noexcept;
/// Pending or confirmed: the booking holds its places and is still ahead of its use.
bool is_live(BookingStatus s) noexcept;

/// Where a booking's money stands: nothing to pay (a free booking), unpaid, pending (a konbini
/// payment the customer has yet to make), paid, partially refunded, refunded.
enum class PaymentState { none, unpaid, pending, paid, partially_refunded, refunded };
std::string_view to_string(PaymentState s) noexcept;
std::optional<PaymentState> parse_payment_state(std::string_view s) noexcept;

/// How long places stay held while the customer is at the provider's checkout page, which
/// expires with them (Stripe's Checkout Sessions take 30 minutes to 24 hours).
inline constexpr std::chrono::minutes kCheckoutMinutes{35};
/// How long places stay held for a konbini payment the customer has yet to make (Stripe's
/// konbini vouchers run three days by default, to the end of the day).
inline constexpr std::chrono::hours kKonbiniHours{96};

/// How long a waitlist's or lottery's winner has to pay an offering paid online at once (not
/// past the start): the booking is theirs meanwhile; unpaid then, it is cancelled.
inline constexpr std::chrono::hours kWinnerPayHours{48};
/// When a confirmed booking still owing its online payment is cancelled unpaid: pay later, the
/// offering's pay_by_minutes before the start; a winner of an offering paid at once,
/// kWinnerPayHours after it was booked. None for anything else.
std::optional<Instant> pay_deadline(
    const offerings::Offering& o, Instant created_at, Instant starts_at
);

/// Equipment a rental booking takes with what it rents (offering's EquipmentOption).
struct EquipmentChoice {
    ResourceId resource_id;
    int quantity = 1;
    friend bool operator==(const EquipmentChoice&, const EquipmentChoice&) = default;
};

/// A rental's fee terms, kept with the booking so that a move keeps them and documents print
/// them (ADR 0023): divisions or blocks booked, equipment and surcharges chosen, and the
/// itemised lines of its total. Empty for the other kinds.
struct FeeTerms {
    int blocks = 0;
    std::vector<EquipmentChoice> equipment;
    std::vector<std::string> surcharges;  ///< codes
    std::vector<offerings::FeeLine> lines;
};

struct Customer {
    std::string name;
    std::string email;
    std::string phone;
};

struct Booking {
    BookingId id;
    std::string reference;  ///< 10 characters of Crockford base32 (50 bits)
    OfferingId offering_id;
    std::optional<OccurrenceId> occurrence_id;  ///< event: the session; course: the first
    BookingStatus status = BookingStatus::confirmed;
    int seats = 0;  ///< seats (event, course), 1 (appointment), quantity (rental)
    std::int64_t total_jpy = 0;
    std::map<std::string, int> tickets;  ///< ticket type code → count
    std::vector<std::string> seat_ids;   ///< an event with a seat map: its seats ("A-12")
    Instant starts_at{};
    Instant ends_at{};
    std::optional<ResourceId> resource_id;  ///< appointment: the staff member; rental: it
    std::optional<ResourceId> room_id;
    std::optional<Instant> hold_expires_at;
    std::optional<AccountId> account_id;  ///< the signed-in customer who booked
    std::optional<Instant> checked_in_at;
    Customer customer;                           ///< opened from its sealed form
    std::string note;                            ///< the customer's note (sealed)
    std::map<std::string, std::string> answers;  ///< question id → answer (sealed)
    Instant created_at{};
    std::string locale = "ja";  ///< the customer's language for messages: "ja" or "en"
    int revision = 0;           ///< counts moves and cancellation (iCalendar SEQUENCE)
    std::optional<std::int64_t> cancellation_fee_jpy;  ///< charged when it was cancelled
    std::optional<Instant> paid_at;     ///< paid: marked by staff, or the provider's payment
    std::optional<std::string> series;  ///< the first booking's reference of a repeating request
    PaymentState payment_state = PaymentState::unpaid;
    std::int64_t paid_jpy = 0;
    std::int64_t refunded_jpy = 0;
    /// A hold that only the provider's payment confirms: the customer is at the checkout
    /// page until hold_expires_at.
    bool awaiting_payment = false;
    FeeTerms fees;                    ///< rentals: what the total is made of
    std::optional<GroupId> group_id;  ///< booked as a registered group (利用団体)
    /// Its offering's online meeting link (read with the booking; empty: in person). Shown to
    /// the customer while the booking is live.
    std::string meeting_url = {};
};

/// A payment the provider reports for a booking (never card data: its reference only).
struct ProviderPayment {
    std::string provider;     ///< "stripe"
    std::string payment_ref;  ///< the provider's payment ("pi_…")
    std::int64_t amount_jpy = 0;
};

/// A refund owed on a booking paid through a provider (the payments slice's job, topic
/// "refund", carries it as its payload: {"booking_id", "reference", "amount_jpy", "key"}).
struct RefundOrder {
    BookingId booking_id;
    std::string reference;
    std::int64_t amount_jpy = 0;
    std::string key;  ///< the provider's idempotency key: one refund however often it runs
};
/// Queues the refund job in the caller's transaction.
Result<void> queue_refund(
    storage::ScopedTx& stx, crypto::Keyring& keys, const RefundOrder& order, Instant now
);
/// In the caller's transaction: `amount_jpy` more of the booking's payment went back; its
/// payment state becomes refunded or partially refunded; the "booking.refunded" webhook goes
/// out.
Result<void> add_refund(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const crypto::TenantKeys& tenant_keys,
    BookingId booking,
    std::int64_t amount_jpy,
    Instant now
);

/// The customer's own page of a booking, signed with the key its mails carry:
/// "/t/<tenant>/manage?ref=<reference>#key=<key>" (after the platform's public URL).
std::string manage_path(
    const crypto::SecretKey& index_key, std::string_view tenant_code, std::string_view reference
);

/// How a cancellation goes.
struct CancelOptions {
    /// The fee the customer was shown; another fee now is a conflict and nothing changes.
    std::optional<std::int64_t> expected_fee_jpy;
    bool waive_fee = false;  ///< staff only
    /// The unpaid-booking job: only a confirmed booking still unpaid is cancelled (else the
    /// booking is returned as it is), its mail says why.
    bool unpaid = false;
};

/// What a booking asks for. Which fields count depends on the offering's kind:
/// event: occurrence_id + tickets; course: offering_id + tickets; appointment: offering_id +
/// starts_at (+ resource_id to choose the staff member); rental: offering_id + starts_at +
/// blocks (+ quantity).
struct Selection {
    OfferingId offering_id;
    OccurrenceId occurrence_id;
    std::map<std::string, int> tickets;
    /// An event with a seat map: the seats chosen, one per ticket ("A-12"); none: the best
    /// available together.
    std::vector<std::string> seats;
    /// With no seats named: the best available in this category of the seat map (required
    /// when the ticket types price categories).
    std::string seat_category;
    std::optional<Instant> starts_at;
    int blocks = 1;  ///< rental: blocks, or consecutive divisions from the one at starts_at
    int quantity = 1;
    std::optional<ResourceId> resource_id;
    /// Rentals: equipment taken with the room (each of the offering's), and the surcharges
    /// the customer declares (codes of the offering's).
    std::vector<EquipmentChoice> equipment;
    std::vector<std::string> surcharges;
    /// Booked as this registered group of the signed-in customer: the group's user class.
    std::optional<GroupId> group_id;
};

/// A rental booked again every `every_weeks` weeks at the same local time: `count` times in
/// all (2–52), or until a local date (at most a year ahead). All or nothing, unless
/// `skip_conflicts`: then the dates that cannot be booked are skipped and reported.
struct Repeat {
    int every_weeks = 1;  ///< 1–52
    int count = 0;
    std::optional<std::chrono::year_month_day> until;
    bool skip_conflicts = false;
};

/// A date a repeating request skipped, and why (the refusal's field and message).
struct Skipped {
    Instant starts_at{};
    std::string field;
    std::string reason;
};

struct NewBooking {
    Selection what;
    Customer customer;
    std::string note;
    std::map<std::string, std::string> answers;
    std::optional<AccountId> account_id;  ///< set for a signed-in customer
    std::string locale;           ///< "ja" or "en" for the customer's messages; empty: the tenant's
    std::string idempotency_key;  ///< 8–128 of [A-Za-z0-9_.:-]
    /// A hold: places kept for the offering's hold_minutes; customer, note and answers come
    /// with confirm_hold.
    bool hold = false;
    std::optional<Repeat> repeat;  ///< rentals only; not with a hold
    /// The customer books for themselves (the public route): an offering paid online at once
    /// keeps the places as a hold awaiting the provider's payment (kCheckoutMinutes).
    bool by_customer = false;
    /// false: the customer is not mailed (an imported booking: the system it came from told
    /// them); webhooks and the reminder still go.
    bool mail_customer = true;
};

/// The answer to a creating request, as first given (a retry gets the same).
struct Created {
    Booking booking;               ///< the (first) booking
    bool replayed = false;         ///< true when this is the stored answer of an earlier request
    std::vector<Booking> series;   ///< a repeating request: every booking made, by start
    std::vector<Skipped> skipped;  ///< a repeating request's dates skipped (first answer only)
};

/// What a selection costs now (before booking), itemised for a rental, with the tax it
/// includes; for a rental also each piece of its equipment and how many are free then.
struct PriceQuote {
    Instant starts_at{};
    Instant ends_at{};
    std::int64_t total_jpy = 0;
    int tax_rate = 10;
    std::int64_t tax_jpy = 0;
    std::vector<offerings::FeeLine> lines;
    struct Equipment {
        offerings::EquipmentOption option;
        int left = 0;
    };
    std::vector<Equipment> equipment;
};

/// A free slot: an occurrence with seats left, or a start time with room on the resources.
struct Slot {
    Instant starts_at{};
    Instant ends_at{};
    int remaining = 0;  ///< seats, free staff members, or free units
    std::optional<OccurrenceId> occurrence_id;
    std::vector<ResourceId> resource_ids;  ///< appointment: the staff free then
    /// A rental by divisions: the division, and its place among the date's divisions
    /// (consecutive indexes can be booked together).
    std::optional<resources::Division> division = {};
    int division_index = 0;
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
    std::string email;                    ///< a guest's proof
    std::optional<AccountId> account_id;  ///< a signed-in customer
    std::string link_key = {};            ///< or the key of the booking's mailed link
};

struct BookingFilter {
    std::optional<Instant> from;  ///< starts at or after
    std::optional<Instant> to;    ///< starts before
    std::optional<BookingStatus> status;
    std::optional<OfferingId> offering_id;
    std::optional<ResourceId> resource_id;
    std::optional<AccountId> account_id;
    std::string email;  ///< exact address, through the blind index
    int limit = 200;    ///< 1–500
    /// A limited staff member's scope: only the bookings it covers (empty: all).
    access::StaffScope within;
};

struct BookingOptions {
    /// The ORGANIZER address of the iCalendar events in mails (the platform's sender).
    std::string organizer_email;
    /// Where the booking site is ("https://booking.example.jp"): booking mails link to the
    /// booking's own page with a signed key (none when empty).
    std::string public_url;
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

    /// The job handler for topic "reminder": mails the customer of a booking that is still
    /// confirmed and still starts when the reminder was planned for (a moved booking has a
    /// new reminder; a cancelled one gets none).
    jobs::Handler reminder_handler();
    /// The job handler for topic "line_postback": a linked customer's button on a booking's
    /// LINE card (view, cancel, confirm the cancellation, keep), answered by a LINE reply.
    /// Only the customer's own bookings; a cancellation goes through cancel() (deadline, fee).
    jobs::Handler line_postback_handler();
    /// The rich menu's "my bookings" postback: the customer's coming bookings, replied as cards.
    Result<void> upcoming(const jobs::Job& job, const line::Postback& postback);

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
    /// The same inside the caller's transaction (an import of many, all or nothing).
    Result<Created> book_in(
        storage::ScopedTx& stx,
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
    /// Gives back the places of holds whose time ran out, and of provisional bookings not
    /// confirmed in time (they lapse: status expired, the customer mailed "booking_lapsed").
    /// Returns how many expired.
    Result<int> release_expired_holds(TenantId tenant);
    /// release_expired_holds() for every active tenant (the server runs it every few
    /// seconds). Returns how many expired in all.
    Result<int> release_all_expired_holds();

    /// Errors: not_found.
    Result<Booking> find_by_reference(TenantId tenant, std::string_view reference);
    /// Issues the tickets a live booking should have and has none of (a booking made before
    /// tickets existed); nothing when it has some. Errors: not_found.
    Result<void> issue_missing_tickets(TenantId tenant, BookingId id);
    /// A customer's own booking: not_found unless `who` proves it (email or account).
    Result<Booking> find_for(TenantId tenant, std::string_view reference, const Requester& who);
    /// Bookings by start time. Errors: invalid_input (limit).
    Result<std::vector<Booking>> list(TenantId tenant, const BookingFilter& f);
    /// The customer accounts with a booking that `within` covers (all that booked when it is
    /// empty), ascending.
    Result<std::vector<AccountId>> customer_accounts(
        TenantId tenant, const access::StaffScope& within
    );

    /// What `what` would cost the customer (a signed-in member's class applied) if booked
    /// now, and a rental's equipment free then; nothing is taken. Errors: as book.
    Result<PriceQuote> quote(
        TenantId tenant, const Selection& what, std::optional<AccountId> account_id
    );
    /// What cancelling the booking now would cost under its offering's fee tiers (a
    /// confirmed booking; others cost nothing). Errors: not_found unless `who` proves it.
    Result<FeeQuote> cancellation_quote(
        TenantId tenant, std::string_view reference, const Requester& who
    );
    /// Cancels and gives the places back (to the waitlist first), recording the fee the
    /// offering's tiers charge now (none when staff waive it; see CancelOptions). Errors:
    /// not_found; unprocessable when not cancellable (status) or, for customers, past the
    /// cancellation deadline; conflict on expected_fee_jpy.
    Result<Booking> cancel(
        TenantId tenant,
        std::string_view reference,
        const Requester& who,
        const audit::Actor& actor,
        const audit::Origin& origin,
        const CancelOptions& options = {}
    );
    /// Staff mark a live booking paid (once). Errors: not_found, unprocessable (not live).
    Result<Booking> mark_paid(
        TenantId tenant,
        std::string_view reference,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The provider's payment of a booking: a hold awaiting it is confirmed (and announced),
    /// an unpaid live booking becomes paid; the same payment again changes nothing. Errors:
    /// not_found; conflict (field "amount_jpy") when the amount is not the booking's total;
    /// unprocessable (field "status") when the booking no longer holds its places (the hold
    /// expired, it was cancelled) — the caller gives the money back.
    Result<Booking> record_payment(
        TenantId tenant,
        std::string_view reference,
        const ProviderPayment& payment,
        const audit::Actor& actor
    );
    /// The checkout completed with a payment still to make (konbini): a hold awaiting it
    /// becomes pending and keeps its places kKonbiniHours longer (not past the start).
    /// Anything else is returned as it is. Errors: not_found.
    Result<Booking> payment_pending(
        TenantId tenant, std::string_view reference, const audit::Actor& actor
    );
    /// The checkout ended unpaid (expired, or a delayed payment failed): a hold awaiting it
    /// lets its places go now. Anything else is returned as it is. Errors: not_found.
    Result<Booking> checkout_ended(
        TenantId tenant, std::string_view reference, const audit::Actor& actor
    );
    /// Mails the customer that their payment came after the places went and is refunded in
    /// full. Errors: not_found.
    Result<void> tell_refunded_late(TenantId tenant, std::string_view reference);
    /// Staff give back `amount_jpy` of a booking's provider payment (at most what is left):
    /// queued as a refund job, audited. Errors: not_found; invalid_input on "amount_jpy".
    Result<Booking> refund(
        TenantId tenant,
        std::string_view reference,
        std::int64_t amount_jpy,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The job handler for topic "unpaid": cancels a pay-later booking still unpaid at its
    /// deadline (and still starting when the job was planned), mailing the customer why.
    jobs::Handler unpaid_handler();
    /// The job handler for topic "no_show": a booking of an offering that releases no-shows,
    /// still confirmed (no ticket checked in) and still starting when the job was planned,
    /// becomes a no-show; its seats go back (to the waitlist first), its tickets are revoked,
    /// its customer is mailed.
    jobs::Handler no_show_handler();
    /// The job handler for topic "zoom": makes Zoom hold what a booking's meeting should be
    /// (online_meetings.cpp): creates it for a confirmed booking and sends the customer its
    /// link (mail "booking_meeting", LINE), moves it with the booking, deletes it when the
    /// booking goes. Zoom unreachable or 429/5xx: retried; refused: a dead letter.
    jobs::Handler meeting_handler(zoom::Client& zoom);

    /// Changes an occurrence's capacity (staff). Raising it offers the new places to the
    /// waitlist. Errors: not_found, invalid_input (capacity below the seats taken, or out of
    /// range).
    Result<Occurrence> set_capacity(
        TenantId tenant,
        OccurrenceId occurrence_id,
        int capacity,
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

private:
    /// book_in with the tenant's keys already at hand (book() opens them outside its
    /// transaction).
    Result<Created> book_with(
        storage::ScopedTx& stx,
        const crypto::TenantKeys& keys,
        const NewBooking& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
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

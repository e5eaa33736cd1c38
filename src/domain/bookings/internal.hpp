#pragma once
// Pieces the booking engine's files share (not part of the module's interface).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resources.hpp"

namespace yoyaku::bookings::detail {

Result<std::string> tenant_zone(storage::ScopedTx& stx);

/// The 5-minute bucket an instant falls in (epoch minutes / 5, rounded down).
std::int64_t bucket_of(Instant t);

/// A resource as slots are computed from it: open periods and units used per bucket.
struct ResourceTime {
    std::int64_t id = 0;
    int units = 1;
    std::chrono::minutes before{0};
    std::chrono::minutes after{0};
    std::vector<resources::OpenPeriod> open;
    /// A divided hall's parts (ascending): taking the hall takes each of them too.
    struct Part {
        std::int64_t id = 0;
        std::chrono::minutes before{0};
        std::chrono::minutes after{0};
    };
    std::vector<Part> parts;
    /// What live bookings and holds occupy, widened by the resource's buffers: [from, to)
    /// with the units used, ascending by `from`.
    struct Use {
        Instant from{};
        Instant to{};
        int units = 1;
    };
    std::vector<Use> used;
};

/// Reads a resource's open periods on the local dates from..to and the live bookings and holds
/// on it then (as staff member, rented resource or room), widened by its current buffers; for
/// a divided hall also those on its parts and on other halls sharing them, for a part those
/// on its halls.
/// Availability is advice computed from these; a booking's guard counts the usage buckets it
/// takes (ADR 0009). Archived resources have no open periods. Errors: not_found.
Result<ResourceTime> load_resource_time(
    storage::ScopedTx& stx,
    std::int64_t id,
    std::string_view zone,
    std::chrono::year_month_day from,
    std::chrono::year_month_day to
);

/// Units of `r` free over every bucket of [from, to).
int free_units(const ResourceTime& r, Instant from, Instant to);
/// Whether [start, end) lies inside one open period of `r`.
bool inside_open(const ResourceTime& r, Instant start, Instant end);
/// Start times in every open period: from its start, every `step`, while start + length
/// fits in the period.
std::vector<Instant> starts_in(
    const ResourceTime& r, std::chrono::minutes length, std::chrono::minutes step
);
/// Whether the booking window of `o` (and a course's application period) is open at `now` for
/// something starting at `start`.
bool window_open(const Offering& o, Instant start, Instant now);

/// The free slots of a time offering (appointment, rental) among `staff` (appointment: the
/// candidates; rental: the one resource) and the optional room, keeping those whose window is
/// open at `now`.
std::vector<Slot> time_slots(
    const Offering& o, const std::vector<ResourceTime>& staff, const ResourceTime* room, Instant now
);

// What a booking occupies: a seat count in some occurrences, and units of resources over
// bucket ranges. Stored with the booking so that giving back is exact.
struct Use {
    std::int64_t resource = 0;
    std::int64_t from = 0;  ///< first bucket
    std::int64_t to = 0;    ///< past the last bucket
    int quantity = 1;
    int units = 1;  ///< the resource's units when taken (the guard; not stored)
};
struct Taken {
    std::vector<std::int64_t> occurrences;
    int seats = 0;
    std::vector<Use> usage;
};

// What a selection books: its time, seats and price, and the candidates for what it occupies
// (an appointment may go to any free staff member: one Taken per candidate, best first).
struct Plan {
    std::optional<std::int64_t> occurrence_id;
    Instant starts{};
    Instant ends{};
    int seats = 1;
    std::int64_t total = 0;
    std::map<std::string, int> tickets;
    std::optional<std::int64_t> room_id;
    struct Candidate {
        std::optional<std::int64_t> resource_id;
        Taken taken;
    };
    std::vector<Candidate> candidates;
};

struct Sealed {
    Customer customer;
    std::string note;
    std::map<std::string, std::string> answers;
};

std::string taken_json(const Taken& t);
Taken taken_from(const std::string& text);
/// Takes seats (occurrences in id order), then resource time in the order planned; refused
/// (slot_taken) when any is short, giving back what it took of the resources.
Result<void> take(storage::Tx& tx, std::int64_t t, const Taken& taken);
Result<void> give_back(storage::Tx& tx, std::int64_t t, const Taken& taken);
/// Errors as BookingService::book for what `sel` asks of `o` at `now`.
Result<Plan> plan_for(storage::ScopedTx& stx, const Offering& o, const Selection& sel, Instant now);
Error refused(std::string message, std::string field);
/// The published offering a selection names (an event's occurrence names its offering).
/// Errors: not_found, invalid_input (offering_id, occurrence_id).
Result<Offering> published_offering(storage::ScopedTx& stx, const Selection& what);
/// The usage of `r` over [start, end): its own buckets, then each part's (a divided hall).
std::vector<Use> uses_of(const ResourceTime& r, Instant start, Instant end, int quantity);

std::string sealed_text(const Sealed& s);
/// The sealing context of booking `id`'s customer.
std::string customer_context(TenantId tenant, std::int64_t id);
/// A customer sealed in row `id` of `table` (waitlist_entries, lottery_entries), under the
/// context of that table's column.
Result<void> seal_customer(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    std::string_view table,
    std::int64_t id,
    const Customer& c
);
Result<Customer> open_customer(
    const crypto::TenantKeys& keys,
    const std::string& sealed,
    TenantId tenant,
    std::string_view table,
    std::int64_t id
);
/// A customer's name, address and phone checked and normalised (fields customer.*).
Result<Customer> check_customer(const Customer& c);
/// 10 characters of Crockford base32 (50 random bits).
std::string new_reference();
/// The booking whose column `where` equals `key`. Errors: not_found.
Result<Booking> load_booking(
    storage::ScopedTx& stx,
    std::string_view where,
    const storage::Value& key,
    TenantId tenant,
    const crypto::TenantKeys& keys
);
/// What a change to a booking tells the world inside its transaction: webhook event
/// `booking.<event>`, the customer's mail `mail_name` (none when empty) and the reminder of a
/// booking now confirmed at a new time.
Result<void> announce(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view event,
    std::string_view mail_name,
    const Booking& b,
    const Offering& o,
    Instant now
);
/// The customer's mail `name` about `b` in the booking's language (with `extra` variables).
Result<void> mail_customer(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view name,
    const Booking& b,
    const std::string& offering_name,
    Instant now,
    const std::vector<std::pair<std::string, std::string>>& extra = {}
);
/// Whether `who` may act on `b` (staff, its account, or its email address).
bool proves(const Booking& b, const Requester& who, const crypto::TenantKeys& keys);

/// The fee cancelling `b` at `now` costs under `o`'s tiers (only confirmed bookings cost).
FeeQuote quote_fee(const Offering& o, const Booking& b, Instant now);

/// Refuses (unprocessable on limits.<which>) a booking of `o` starting at `starts` (on
/// `resource_id` when the limits count by resource) for the customer with `email_index` or
/// `account_id`, when it would pass one of `o`'s limits; `except` is a booking being moved.
/// Takes the customer's lock row first, so two bookings of one customer count in turn.
/// `email_indexes`: the address's blind index under each key generation, current first.
Result<void> check_limits(
    storage::ScopedTx& stx,
    const Offering& o,
    const std::vector<std::string>& email_indexes,
    std::optional<std::int64_t> account_id,
    Instant starts,
    std::optional<std::int64_t> resource_id,
    std::optional<std::int64_t> except,
    Instant now
);

/// The class of a signed-in customer, applied to `o` for them: its own booking window replaces
/// the offering's opening. Returns the percent of the prices they pay (100 without a class).
Result<int> apply_user_class(
    storage::ScopedTx& stx, std::optional<std::int64_t> account_id, Offering& o
);
/// plan_for() as a member (`account_id`) sees it: their class's booking window and price.
Result<Plan> member_plan(
    storage::ScopedTx& stx,
    Offering o,
    std::optional<std::int64_t> account_id,
    const Selection& sel,
    Instant now
);
/// Tickets (type code → count) as the JSON text stored with a booking or an entry.
std::string tickets_text(const std::map<std::string, int>& tickets);

/// A booking made for someone already known (a waiter, a lottery winner): its places were
/// taken by the caller; the customer comes as the sealed text of their details.
struct SealedBooking {
    std::int64_t offering_id = 0;
    std::int64_t occurrence_id = 0;
    std::string status;  ///< held (an offer) or confirmed
    Taken taken;
    std::vector<Occurrence> sessions;  ///< what was taken (its times span the booking)
    std::int64_t total_jpy = 0;
    std::string tickets_json;
    std::string customer_text;  ///< sealed_text() of the customer
    std::string email_index;
    std::optional<std::int64_t> account_id;
    std::string locale;
    std::optional<Instant> hold_expires_at;
};
/// Inserts it (its customer sealed under the booking's context). Returns the booking's id.
Result<std::int64_t> insert_sealed_booking(
    storage::ScopedTx& stx, const crypto::TenantKeys& keys, const SealedBooking& nb, Instant now
);

/// Offers (or books) the free seats of `occurrence_id` to the waitlist of `o` in line order,
/// first fit; returns how many entries were served. Called in every transaction that gives
/// seats back (cancel, reject, expire, move, capacity raised).
Result<int> serve_waitlist(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    const Offering& o,
    std::int64_t occurrence_id,
    Instant now
);
/// The waitlist entry whose offer `booking_id` was, when that hold ran out or was cancelled:
/// marked expired (or left) so the line moves on.
Result<void> offer_ended(storage::ScopedTx& stx, std::int64_t booking_id, bool declined);

}  // namespace yoyaku::bookings::detail

#pragma once
// Offerings (SPEC "The booking domain", ADR 0009) and their occurrences: what a tenant sells and
// when. One engine serves four shapes:
//   event       fixed occurrences with a seat capacity; ticket types with prices and limits
//   course      a series of occurrences enrolled as one (a seat in every session), with an
//               application period
//   appointment a duration with one of a set of staff members, optionally a room
//   rental      blocks of N minutes of one resource (min/max blocks, a price per block, a
//               quantity for equipment stock), optionally approved by staff first

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace yoyaku::offerings {

enum class OfferingKind { appointment, rental, event, course };
std::string_view to_string(OfferingKind k) noexcept;
std::optional<OfferingKind> parse_offering_kind(std::string_view s) noexcept;

struct TicketType {
    std::string code;  ///< "adult": [a-z0-9_-]{1,32}, unique in the offering
    std::string name;
    std::int64_t price_jpy = 0;
    int max_per_order = 10;
    /// An event with a seat map: the price in a seat category ("S" → 8000); a seat of a
    /// category not named here costs price_jpy.
    std::map<std::string, std::int64_t> category_prices = {};
};
/// What one ticket of `t` costs on a seat of `category` (empty: no seat map).
std::int64_t price_in(const TicketType& t, std::string_view category);
/// Whether any ticket type prices seat categories (then a booking names seats or a category).
bool prices_by_category(const std::vector<TicketType>& types);

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

/// A cancellation fee tier: cancelling within `within_minutes` of the start costs `percent` of
/// the total. Of the tiers whose time has come, the one nearest the start applies; before all
/// of them cancelling is free. "Free until 30 days before, 50 % until 7 days, then 100 %" is
/// {43200, 50}, {10080, 100}.
struct FeeTier {
    int within_minutes = 0;  ///< 1 – 525 600 (a year), distinct in an offering
    int percent = 0;         ///< 0 – 100
    friend bool operator==(const FeeTier&, const FeeTier&) = default;
};

/// Per-customer limits (0: none). A customer is their email address (a signed-in member's is
/// their account's); live bookings (pending, confirmed, checked in) count. per_day, per_week
/// (Monday to Sunday) and per_month are calendar periods in the tenant's zone around the new
/// booking's start; `active` counts bookings still ahead. `by_resource`: count the customer's
/// bookings of the same resource (staff member, rented resource) across offerings instead of
/// this offering's.
struct CustomerLimits {
    int per_day = 0;
    int per_week = 0;
    int per_month = 0;
    int active = 0;
    bool by_resource = false;
    bool any() const { return per_day || per_week || per_month || active; }
};

/// Waitlist (events and courses): off; `offer`: a freed place is held for the next in line
/// who fits, who accepts before `waitlist_offer_minutes` ran out (else it moves on);
/// `automatic`: the next in line who fits is booked at once.
enum class WaitlistMode { off, offer, automatic };

/// How a booking is paid: at the venue (staff record it), online at once (the places are
/// held while the customer is at the provider's checkout page; the payment confirms the
/// booking), or online later (a pay link in the mails; unpaid at pay_by_minutes, cancelled).
enum class Payment { on_site, online_now, online_later };
std::string_view to_string(Payment p) noexcept;
std::optional<Payment> parse_payment(std::string_view s) noexcept;
std::string_view to_string(WaitlistMode m) noexcept;
std::optional<WaitlistMode> parse_waitlist_mode(std::string_view s) noexcept;

/// A lottery (抽選, events): applications with ranked occurrences until
/// `applications_close_at`; at `draw_at` a random order from a recorded seed gives each
/// applicant, in turn, their first preferred occurrence with enough seats left; the seats left
/// are booked first come first served from `first_come_at` (none: never). Until then the
/// offering takes no direct bookings.
struct LotteryRules {
    Instant applications_close_at{};
    Instant draw_at{};
    std::optional<Instant> first_come_at;
};

/// Equipment (附属設備) a rental lends with what it rents: a resource of kind equipment (its
/// units are the stock, taken with the room in one transaction), the price of one unit per
/// division or block, and at most how many one booking takes.
struct EquipmentOption {
    ResourceId resource_id;
    std::int64_t price_jpy = 0;
    int max_quantity = 1;   ///< 1–100
    std::string name = {};  ///< as customers see it (≤ 100); the resource's name when empty
};

/// A surcharge (加算料金) a rental's customer declares when booking: a percentage of the room
/// charge (入場料を徴収する +50; 営利目的 +100, twice the charge) or an amount per division or
/// block (冷暖房). Exactly one of percent and per_block_jpy is set.
struct Surcharge {
    std::string code;  ///< [a-z0-9_-]{1,32}, unique in the offering
    std::string name;  ///< 1–100 characters
    int percent = 0;   ///< 1–900
    std::int64_t per_block_jpy = 0;
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
    std::vector<ResourceId> resource_ids;
    std::optional<ResourceId> room_id;  ///< appointment: a room taken as well
    /// course: applications are taken from … until … (besides the booking window)
    std::optional<Instant> applications_open_at;
    std::optional<Instant> applications_close_at;
    int hold_minutes = 10;  ///< how long a hold keeps its places (1–60)
    std::vector<Question> questions;
    /// A reminder mail goes out this long before the start (0: none; at most 14 days).
    int reminder_minutes = 1440;
    std::vector<FeeTier> cancellation_fees;  ///< at most 10
    CustomerLimits limits;
    WaitlistMode waitlist = WaitlistMode::off;
    int waitlist_offer_minutes = 1440;  ///< 5 minutes – 7 days
    std::optional<LotteryRules> lottery;
    /// Pay later: a confirmed booking with a price still unpaid this long before its start is
    /// cancelled, with notice, and its places go back (0: never; bookings made after that
    /// moment are not cancelled for it).
    int pay_by_minutes = 0;
    Payment payment = Payment::on_site;
    /// The consumption tax in its prices (tax included), in percent: 10, or the reduced 8.
    int tax_rate = 10;
    /// Events: a confirmed booking none of whose tickets was checked in this long after the
    /// start is a no-show, its seats go back (to the waitlist first), its customer is told
    /// (0: never; else 5 minutes to a day).
    int no_show_release_minutes = 0;
    /// Events: the seat map (seating::SeatMapStore) whose numbered seats are sold (0: seats
    /// are a count). Each booking then holds one seat per ticket, chosen or best available.
    std::int64_t seat_map_id = 0;
    /// Provisional bookings (仮予約), every kind: a booking is pending until staff confirm it
    /// (本予約) at most this long after it is made (never past its start), for documents or
    /// payment; else it lapses: its places go back and its customer is mailed (0: none; 60
    /// minutes to 90 days).
    int provisional_minutes = 0;
    /// Rentals: the resource's time divisions (利用区分) are booked, blocks count consecutive
    /// divisions and the divisions' prices apply (duration_minutes and price_jpy are 0).
    bool by_division = false;
    std::vector<EquipmentOption> equipment;  ///< rentals: at most 20
    std::vector<Surcharge> surcharges;       ///< rentals: at most 10
    /// Appointments, events and courses held online: the meeting link (https, at most 500
    /// characters) every live booking shows — its mails, LINE card, calendar event and page;
    /// never the public listing. Empty: in person.
    std::string online_url = {};
    /// Appointments, events and courses: each live booking gets its own Zoom meeting (the
    /// tenant's Zoom account, zoom.hpp), moved and deleted with it; online_url stays empty.
    bool zoom_meetings = false;
};

struct Offering : OfferingInput {
    OfferingId id;
    Instant created_at{};
};

struct Occurrence {
    OccurrenceId id;
    OfferingId offering_id;
    Instant starts_at{};
    Instant ends_at{};
    int capacity = 0;
    int taken = 0;
};

/// Whether a booking of `o` waits for staff (pending): approval, or a provisional booking.
inline bool waits_for_staff(const OfferingInput& o) {
    return o.requires_approval || o.provisional_minutes > 0;
}
/// Until when a provisional booking of `o` made at `now` for `starts` keeps its places (none:
/// `o` makes no provisional bookings).
inline std::optional<Instant> provisional_until(
    const OfferingInput& o, Instant now, Instant starts
) {
    if (o.provisional_minutes <= 0) return std::nullopt;
    return std::min(now + std::chrono::minutes(o.provisional_minutes), starts);
}

/// Checks and normalises an offering as given (names trimmed, fee tiers sorted nearest the
/// start last), everything but whether its resources exist (OfferingService does that).
/// Errors: invalid_input naming the field (e.g. "ticket_types[1].code", "lottery.draw_at").
Result<OfferingInput> check(OfferingInput in);

}  // namespace yoyaku::offerings

#pragma once
// Offerings and bookings (SPEC "The booking domain", ADR 0009). This first part serves event
// sessions: an offering of kind event has ticket types (price in JPY, tax included, a limit per
// order) and occurrences (fixed start and end, a seat capacity). A booking takes its seats with
// one guarded UPDATE, stores the customer sealed under the tenant's key (name, email, phone)
// with a blind index of the email, carries a short unguessable reference, and is answered
// only after COMMIT. Every creating request names an Idempotency-Key: a retry gets the first
// answer, never a second booking. Appointments, rentals and courses arrive on the same engine.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
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

struct Offering {
    std::int64_t id = 0;
    OfferingKind kind = OfferingKind::event;
    std::string name;
    std::string description;
    bool published = false;
    /// Booking window relative to an occurrence's start: opens this long before (none: at
    /// once), closes this long before.
    std::optional<std::chrono::minutes> opens_before;
    std::chrono::minutes closes_before{0};
    /// Customers may cancel until this long before the start.
    std::chrono::minutes cancel_before{0};
    int max_per_order = 10;
    std::vector<TicketType> ticket_types;
    Instant created_at{};
};

struct OfferingInput {
    OfferingKind kind = OfferingKind::event;
    std::string name;
    std::string description;
    bool published = false;
    std::optional<int> opens_before_minutes;
    int closes_before_minutes = 0;
    int cancel_before_minutes = 0;
    int max_per_order = 10;
    std::vector<TicketType> ticket_types;
};

struct Occurrence {
    std::int64_t id = 0;
    std::int64_t offering_id = 0;
    Instant starts_at{};
    Instant ends_at{};
    int capacity = 0;
    int taken = 0;
};

enum class BookingStatus { pending, confirmed, cancelled, checked_in, no_show };
std::string_view to_string(BookingStatus s) noexcept;

struct Customer {
    std::string name;
    std::string email;
    std::string phone;
};

struct Booking {
    std::int64_t id = 0;
    std::string reference;  ///< 10 characters of Crockford base32 (50 bits)
    std::int64_t offering_id = 0;
    std::int64_t occurrence_id = 0;
    BookingStatus status = BookingStatus::confirmed;
    int seats = 0;
    std::int64_t total_jpy = 0;
    std::map<std::string, int> tickets;  ///< ticket type code → count
    Customer customer;                   ///< opened from its sealed form
    Instant created_at{};
};

struct NewBooking {
    std::int64_t occurrence_id = 0;
    std::map<std::string, int> tickets;
    Customer customer;
    std::string idempotency_key;  ///< 8–128 of [A-Za-z0-9_.:-]
};

/// The answer to a creating request, as first given (a retry gets the same).
struct Created {
    Booking booking;
    bool replayed = false;  ///< true when this is the stored answer of an earlier request
};

class BookingService {
public:
    BookingService(storage::Database& db, crypto::Keyring& keys, const Clock& clock)
        : db_(db), keys_(keys), clock_(clock) {}

    /// Errors: invalid_input naming the field (name, kind — only event for now —, windows,
    /// max_per_order 1–100, ticket_types: 1–20, codes unique, prices 0–10 000 000).
    Result<Offering> create_offering(
        TenantId tenant,
        const OfferingInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Offering> find_offering(TenantId tenant, std::int64_t id);
    Result<std::vector<Offering>> list_offerings(TenantId tenant, bool published_only);
    /// Errors: invalid_input (starts_at, ends_at after starts_at, capacity 1–1 000 000),
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
    Result<std::vector<Occurrence>> occurrences(TenantId tenant, std::int64_t offering_id);

    /// Books seats of an event occurrence for a guest. Errors: invalid_input naming the field
    /// (tickets, customer.name/email/phone, Idempotency-Key; the same key with another
    /// request), not_found (occurrence, or its offering unpublished), unprocessable (outside
    /// the booking window; over the per-order limit), slot_taken (not enough seats left).
    Result<Created> book(
        TenantId tenant,
        const NewBooking& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Errors: not_found.
    Result<Booking> find_by_reference(TenantId tenant, std::string_view reference);
    /// Cancels and gives the seats back. Errors: not_found; unprocessable when already
    /// cancelled or past the cancellation deadline (`by_customer`).
    Result<Booking> cancel(
        TenantId tenant,
        std::string_view reference,
        bool by_customer,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
};

}  // namespace yoyaku::bookings

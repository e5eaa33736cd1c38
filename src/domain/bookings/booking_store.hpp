#pragma once
// The `bookings` table. Its statements are moving here from the engine's files (ADR 0016):
// so far reading a booking (its customer opened) and the calendar feeds' read.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/bookings/bookings.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::bookings {

/// A new booking's row; its customer is sealed afterwards, under the booking's own id.
struct BookingRow {
    std::string reference;
    OfferingId offering_id;
    std::optional<OccurrenceId> occurrence_id;
    std::string status;
    int seats = 0;
    std::int64_t total_jpy = 0;
    std::string tickets_json;
    std::string email_index;
    Instant created_at{};
    Instant starts_at{};
    Instant ends_at{};
    std::optional<ResourceId> resource_id;
    std::optional<ResourceId> room_id;
    std::optional<Instant> hold_expires_at;
    std::optional<AccountId> account_id;
    std::string capacity_taken;  ///< taken_json() of what it holds
    std::string locale;          ///< empty: the tenant's
    std::string payment_state = "unpaid";
    bool awaiting_payment = false;
    std::string fees_json = "{}";     ///< fees_json() of a rental's fee terms
    std::optional<GroupId> group_id;  ///< booked as a registered group
};

/// A booking's fee terms as stored (a JSON object; "{}" when it has none), and back.
std::string fees_json(const FeeTerms& terms);
FeeTerms fees_from(const std::string& text);

/// Money a booking took or kept, when, for which offering (the sales report's entries).
struct MoneyRow {
    OfferingId offering_id;
    Instant at{};
    std::int64_t amount_jpy = 0;
};

/// Rows of `offering_id`, `at` (micros) and `amount_jpy` as money rows (any store's query
/// that names its columns so).
std::vector<MoneyRow> money_rows(const std::vector<storage::Row>& rows);

/// A booking a move puts somewhere else.
struct Moved {
    std::optional<OccurrenceId> occurrence_id;
    Instant starts_at{};
    Instant ends_at{};
    std::optional<ResourceId> resource_id;
    std::optional<ResourceId> room_id;
    std::string capacity_taken;
    std::int64_t total_jpy = 0;
    std::string fees_json = "{}";
};

/// A hold whose time ran out.
struct ExpiredHold {
    BookingId id;
    std::string capacity_taken;
    std::string reference;
    OfferingId offering_id;
    std::optional<OccurrenceId> occurrence_id;
};

/// A row holding a customer, as erasure finds it.
template <class IdT>
struct CustomerRow {
    IdT id;
    std::string reference;
};

/// The rows of a customer (their account, 0 for none, or any of their address's indexes) in
/// the table whose sealed customer `column` declares (a store's own declaration, never input).
template <class IdT>
Result<std::vector<CustomerRow<IdT>>> list_customer_rows(
    storage::ScopedTx& stx,
    const storage::SealedColumn& column,
    AccountId account_id,
    const std::vector<std::string>& indexes
);

/// Time a booking takes on a resource (as staff member, rented resource or room).
struct ResourceUse {
    Instant starts_at{};
    Instant ends_at{};
    int seats = 0;
    BookingStatus status = BookingStatus::confirmed;
};

/// A live booking as a calendar shows it: no personal data.
struct CalendarEntry {
    std::string reference;
    std::string offering_name;
    Instant starts_at{};
    Instant ends_at{};
    int revision = 0;
    Instant updated_at{};
};

class BookingStore {
public:
    explicit BookingStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The customer (name, address, phone, note, answers as JSON), indexed by its address;
    /// an erased one by its reference.
    static constexpr storage::SealedColumn kCustomer{
        "bookings", "customer_sealed", "customer", storage::SealedIndex::customer, "reference"};

    /// The booking with its customer opened with `keys` (the scoped tenant's). Errors:
    /// not_found; internal when the customer does not open.
    Result<Booking> find_by_id(BookingId id, const crypto::TenantKeys& keys);
    Result<Booking> find_by_reference(std::string_view reference, const crypto::TenantKeys& keys);
    /// What the booking took (the JSON text of a Taken; "{}" when there is no such booking).
    Result<std::string> find_capacity_taken(BookingId id);
    /// Inserts a booking (customer still empty); returns its id.
    Result<BookingId> insert(const BookingRow& row);
    Result<void> update_customer_sealed(BookingId id, const std::string& sealed);
    /// The resource a booking went to once its places were taken, and what it holds.
    Result<void> update_resource(
        BookingId id, std::optional<ResourceId> resource_id, const std::string& capacity_taken
    );
    /// Moves a booking from status `from` to `to`; false when it was not in `from` (another
    /// change came first).
    Result<bool> update_status(BookingId id, BookingStatus from, BookingStatus to, Instant now);
    /// A held booking becomes confirmed as it is (an accepted waitlist offer); false when it
    /// is no longer held.
    Result<bool> update_hold_kept(BookingId id, Instant now);
    /// Cancels a confirmed, pending or held booking with the fee charged; false otherwise.
    Result<bool> update_cancelled(BookingId id, std::int64_t fee_jpy, Instant now);
    Result<void> update_moved(BookingId id, const Moved& to, Instant now);
    /// A confirmed booking checked in; false when it was not confirmed.
    Result<bool> update_checked_in(BookingId id, Instant now);
    /// Paid in full (staff record it; or the provider's payment of an unpaid booking).
    Result<void> update_paid(BookingId id, Instant now);
    /// A hold awaiting payment, paid: confirmed, its hold ended. `from`: held, or expired (its
    /// places taken again by the caller). False when it is no longer such a booking.
    Result<bool> update_awaiting_paid(
        BookingId id, BookingStatus from, std::int64_t amount_jpy, Instant now
    );
    /// A hold awaiting its payment now held until `until`, its payment `state`. False when it
    /// is no longer such a hold.
    Result<bool> update_awaiting_until(BookingId id, Instant until, std::string_view state);
    /// Payments received in [from, to) (staff-recorded or the provider's), by when paid.
    Result<std::vector<MoneyRow>> list_paid(Instant from, Instant to);
    /// Cancellation fees charged in [from, to), by when the booking was cancelled.
    Result<std::vector<MoneyRow>> list_fees(Instant from, Instant to);
    /// `amount_jpy` more refunded: refunded in full or in part.
    Result<void> update_refunded(BookingId id, std::int64_t amount_jpy);
    /// A hold's customer, now at the provider's checkout page until `until`.
    Result<bool> update_hold_awaiting_payment(
        BookingId id,
        const std::string& customer_sealed,
        const std::string& email_index,
        std::optional<AccountId> account_id,
        Instant until,
        Instant now
    );
    Result<void> update_total(BookingId id, std::int64_t total_jpy, const std::string& fees_json);
    /// A hold becomes a booking (`status`: pending or confirmed) with its customer, kept
    /// `until` when it is provisional; false when it is no longer held.
    Result<bool> update_hold_confirmed(
        BookingId id,
        BookingStatus status,
        const std::string& customer_sealed,
        const std::string& email_index,
        std::optional<AccountId> account_id,
        std::optional<Instant> until,
        Instant now
    );
    /// Provisional bookings whose time ran out by `now` (pending with hold_expires_at), the
    /// oldest first.
    Result<std::vector<ExpiredHold>> list_lapsed_provisional(Instant now, int limit);
    /// A pending booking decided: its provisional time no longer counts.
    Result<void> clear_hold_expiry(BookingId id);
    /// Holds run out by `now` (of one offering, or of all: 0), the oldest first.
    Result<std::vector<ExpiredHold>> list_expired_holds(
        OfferingId offering_id, Instant now, int limit
    );
    /// Ties a booking to a repeating request's series (the first booking's reference).
    Result<void> update_series(BookingId id, const std::string& series);
    /// The ids of a series' bookings by start.
    Result<std::vector<BookingId>> list_ids_by_series(const std::string& series);
    /// Bookings matching `f` in start order (at most f.limit); `email_indexes`: the address's
    /// blind index under each key generation, or {""} for any address.
    Result<std::vector<Booking>> list(
        const BookingFilter& f,
        const std::vector<std::string>& email_indexes,
        const crypto::TenantKeys& keys
    );

    /// The ids of every booking after `after`, ascending, at most `limit` (paging the export).
    Result<std::vector<BookingId>> list_ids_after(BookingId after, int limit);
    /// When a customer's live bookings (pending, confirmed, checked in) start: those of
    /// `offering_id`, or with `on_resource` those on that resource; the customer is any of
    /// `email_indexes` or `account_id`; booking `except` left out.
    Result<std::vector<Instant>> list_customer_starts(
        const std::vector<std::string>& email_indexes,
        std::optional<AccountId> account_id,
        std::optional<BookingId> except,
        OfferingId offering_id,
        std::optional<ResourceId> on_resource
    );
    /// The bookings on a resource (as staff member, rented resource or room) overlapping
    /// [from, to), whatever their status.
    Result<std::vector<ResourceUse>> list_resource_uses(
        ResourceId resource_id, Instant from, Instant to
    );
    /// The bookings of a customer (their account, 0 for none, or any of their address's
    /// indexes).
    Result<std::vector<CustomerRow<BookingId>>> list_of_customer(
        AccountId account_id, const std::vector<std::string>& indexes
    );
    /// How many of the customer's bookings are held, pending or confirmed and end after `now`.
    Result<std::int64_t> count_upcoming_of_customer(
        AccountId account_id, const std::vector<std::string>& indexes, Instant now
    );
    /// The booking keeps its counts and takings with nobody's details: `sealed` (an empty
    /// customer), an address index nothing looks up, no account.
    Result<void> update_anonymised(
        BookingId id, const std::string& sealed, const std::string& index, Instant now
    );
    /// The accounts that booked, ascending; only bookings `within` covers.
    Result<std::vector<AccountId>> list_account_ids(const access::StaffScope& within);

    /// Live bookings (pending, confirmed, checked in) starting in [from, to) on `resource` (as
    /// staff member, rented resource or room) or of `account`, in start order, at most 5,000.
    Result<std::vector<CalendarEntry>> list_calendar_entries(
        std::optional<ResourceId> resource,
        std::optional<AccountId> account,
        Instant from,
        Instant to
    );

private:
    Result<Booking> one_booking(
        Result<std::vector<storage::Row>> rows, const crypto::TenantKeys& keys
    );

    storage::ScopedTx& stx_;
};

namespace detail {
/// What booking `id` took ("{}" when it cannot be read: nothing to give back).
std::string capacity_of(storage::ScopedTx& stx, BookingId id);
}  // namespace detail

}  // namespace yoyaku::bookings

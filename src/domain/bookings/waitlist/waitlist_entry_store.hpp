#pragma once
// The `waitlist_entries` table: every statement on it, entries read by column name with their
// customer opened, and the line of an occurrence.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/waitlist/waitlist.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::bookings {

/// A new entry's row; its customer is sealed afterwards, under the entry's own id.
struct WaitlistEntryRow {
    std::string reference;
    OfferingId offering_id;
    OccurrenceId occurrence_id;
    int seats = 0;
    std::string tickets_json;
    std::int64_t total_jpy = 0;
    std::string email_index;
    std::optional<AccountId> account_id;
    std::string locale;         ///< empty: the tenant's
    std::string seat_category;  ///< the seat category priced (empty: any seat)
};

/// A confirmed entry waiting in line, as serving the line needs it (customer still sealed).
struct WaitingEntry {
    WaitlistEntryId id;
    std::string reference;
    int seats = 0;
    std::string tickets_json;
    std::int64_t total_jpy = 0;
    std::string customer_sealed;
    std::string email_index;
    std::optional<AccountId> account_id;
    std::string locale;
    std::string seat_category;
};

class WaitlistEntryStore {
public:
    explicit WaitlistEntryStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The applicant (name, address, phone as JSON), indexed by its address; an erased one by
    /// the entry's reference.
    static constexpr storage::SealedColumn kCustomer{
        "waitlist_entries",
        "customer_sealed",
        "customer",
        storage::SealedIndex::customer,
        "reference"};

    /// The entry with its customer opened and its offer's booking (position left 0). Errors:
    /// not_found; internal when the customer does not open.
    Result<WaitlistEntry> find_by_reference(
        std::string_view reference, const crypto::TenantKeys& keys
    );
    /// An offering's entries (of one occurrence when given), by occurrence and line order, at
    /// most 1,000 (positions left 0).
    Result<std::vector<WaitlistEntry>> list_by_offering(
        OfferingId offering_id,
        std::optional<OccurrenceId> occurrence_id,
        const crypto::TenantKeys& keys
    );
    /// How many confirmed entries wait for `occurrence_id` ahead of entry `id`.
    Result<int> count_waiting_before(OccurrenceId occurrence_id, WaitlistEntryId id);
    /// The confirmed entries waiting for `occurrence_id`, first in line first (at most 200).
    Result<std::vector<WaitingEntry>> list_line(OccurrenceId occurrence_id);

    /// The entries of a customer (their account, 0 for none, or any of their address's
    /// indexes).
    Result<std::vector<CustomerRow<WaitlistEntryId>>> list_of_customer(
        AccountId account_id, const std::vector<std::string>& indexes
    );
    /// The entry keeps its place in the records with nobody's details (see BookingStore); one
    /// still waiting or offered has left.
    Result<void> update_anonymised(
        WaitlistEntryId id, const std::string& sealed, const std::string& index, Instant now
    );

    /// Inserts a waiting entry (customer still empty); returns its id.
    Result<WaitlistEntryId> insert(const WaitlistEntryRow& row, Instant now);
    Result<void> update_customer_sealed(WaitlistEntryId id, const std::string& sealed);
    /// A waiting entry served (`to`: offered or booked); false when another transaction
    /// served it first.
    Result<bool> update_served(WaitlistEntryId id, WaitStatus to, Instant now);
    /// Back in line after its places were taken meanwhile (its time of change kept).
    Result<void> update_waiting_again(WaitlistEntryId id);
    /// The entry ends up `to` (booked or left).
    Result<void> update_status(WaitlistEntryId id, WaitStatus to, Instant now);
    /// The booking (or hold) made for the entry.
    Result<void> update_booking(WaitlistEntryId id, BookingId booking_id);
    /// The open offer held by booking `booking_id` ended: declined (left) or ran out (expired).
    Result<void> update_offer_ended(BookingId booking_id, bool declined);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings

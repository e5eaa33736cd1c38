#pragma once
// The `lottery_entries` and `lottery_draws` tables: every statement on them, applications
// read by column name with their customer opened, and a draw's stored seed and result.

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
#include "domain/bookings/lottery/lottery.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::bookings {

/// A new application's row; its customer is sealed afterwards, under the entry's own id.
struct LotteryEntryRow {
    std::string reference;
    OfferingId offering_id;
    std::vector<OccurrenceId> preferences;
    int seats = 0;
    std::string tickets_json;
    std::int64_t total_jpy = 0;
    std::string email_index;
    std::optional<AccountId> account_id;
    std::string locale;  ///< empty: the tenant's
};

/// A confirmed application taking part in a draw, as the draw needs it (customer sealed).
struct DrawnEntry {
    LotteryEntryId id;
    std::string reference;
    int seats = 0;
    std::vector<OccurrenceId> preferences;
    std::string tickets_json;
    std::int64_t total_jpy = 0;
    std::string customer_sealed;
    std::string email_index;
    std::optional<AccountId> account_id;
    std::string locale;
};

class LotteryEntryStore {
public:
    explicit LotteryEntryStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The applicant (name, address, phone as JSON), indexed by its address; an erased one by
    /// the entry's reference.
    static constexpr storage::SealedColumn kCustomer{
        "lottery_entries",
        "customer_sealed",
        "customer",
        storage::SealedIndex::customer,
        "reference"};

    /// The application with its customer opened and its booking's reference once won.
    /// Errors: not_found; internal when the customer does not open.
    Result<LotteryEntry> find_by_id(LotteryEntryId id, const crypto::TenantKeys& keys);
    Result<LotteryEntry> find_by_reference(
        std::string_view reference, const crypto::TenantKeys& keys
    );
    /// The confirmed applications still in the draw of `offering_id`, by reference.
    Result<std::vector<DrawnEntry>> list_applied(OfferingId offering_id);
    /// The applications a draw decided (won or lost), by reference, as the draw saw them.
    Result<std::vector<Applicant>> list_decided(OfferingId offering_id);

    /// The applications of a customer (their account, 0 for none, or any of their address's
    /// indexes).
    Result<std::vector<CustomerRow<LotteryEntryId>>> list_of_customer(
        AccountId account_id, const std::vector<std::string>& indexes
    );
    /// The application keeps its place in the records with nobody's details (see
    /// BookingStore); one still in the draw is withdrawn.
    Result<void> update_anonymised(
        LotteryEntryId id, const std::string& sealed, const std::string& index
    );

    /// Inserts an application (customer still empty); returns its id.
    Result<LotteryEntryId> insert(const LotteryEntryRow& row, Instant now);
    Result<void> update_customer_sealed(LotteryEntryId id, const std::string& sealed);
    Result<void> update_won(LotteryEntryId id, BookingId booking_id);
    Result<void> update_lost(LotteryEntryId id);

private:
    storage::ScopedTx& stx_;
};

/// A draw as stored: its seed, the free seats it started from and the allocation (JSON).
struct StoredDraw {
    std::string seed;
    std::string free_seats_json;
    std::string allocation_json;
    Instant drawn_at{};
};

class LotteryDrawStore {
public:
    explicit LotteryDrawStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::optional<StoredDraw>> find(OfferingId offering_id);
    /// Claims the offering's one draw with its seed; false when it was drawn already (a
    /// concurrent draw waits on the row, then finds it).
    Result<bool> insert(OfferingId offering_id, const std::string& seed, Instant now);
    /// What the draw started from and decided.
    Result<void> update_result(
        OfferingId offering_id,
        const std::string& free_seats_json,
        const std::string& allocation_json
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::bookings

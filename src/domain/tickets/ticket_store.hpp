#pragma once
// The tables of tickets (migration 0030): `ticket_keys` (each tenant's Ed25519 ticket keys,
// the seed sealed under its data key, bound to the row), `tickets` (one row per ticket as
// issued, revoked or checked in) and `ticket_scans` (every scan, admitted or refused).

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::tickets {

struct KeyRow {
    std::int64_t id = 0;
    int key_id = 0;
    std::string public_key;  ///< 32 bytes
    std::string seed_sealed;
    Instant created_at{};
    std::optional<Instant> retired_at;  ///< signs no more tickets (still checks them)
};

class TicketKeyStore {
public:
    static constexpr storage::SealedColumn kSeed{"ticket_keys", "seed_sealed", "seed"};

    explicit TicketKeyStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Every key of the tenant, oldest first.
    Result<std::vector<KeyRow>> all();
    /// The newest key not retired, if any.
    Result<std::optional<KeyRow>> current();
    /// Adds key `key_id` (its seed written by set_seed: it is bound to the row's id); nothing
    /// when another transaction added that number first.
    Result<std::optional<std::int64_t>> insert(
        int key_id, const std::string& public_key, Instant now
    );
    Result<void> set_seed(std::int64_t id, const std::string& sealed);
    /// Retires every key older than `key_id`.
    Result<void> retire_before(int key_id, Instant now);

private:
    storage::ScopedTx& stx_;
};

struct TicketRow {
    std::int64_t id = 0;
    BookingId booking_id;
    OfferingId offering_id;
    std::string reference;
    int number = 0;
    std::optional<OccurrenceId> occurrence_id;
    std::string type;
    std::string seat;
    Instant valid_from{};
    Instant valid_until{};
    int key_id = 0;
    std::string token;
    Instant issued_at{};
    std::optional<Instant> revoked_at;
    std::optional<Instant> checked_in_at;
    std::string checked_in_device;
};

/// What a scan came to.
enum class ScanOutcome { admitted, used, conflict, revoked, not_valid_now, invalid };
std::string_view to_string(ScanOutcome o) noexcept;

struct ScanRow {
    std::optional<std::int64_t> ticket_id;
    std::string device;
    Instant scanned_at{};
    Instant recorded_at{};
    bool offline = false;
    ScanOutcome outcome = ScanOutcome::invalid;
    std::optional<Instant> first_at;  ///< used, conflict: when the ticket was first admitted
    std::string first_device;
    std::string reference;  ///< read with the row (the ticket's booking), not stored
    int number = 0;
};

class TicketStore {
public:
    explicit TicketStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Every ticket of the booking (revoked ones too), by number.
    Result<std::vector<TicketRow>> of_booking(BookingId booking);
    /// The live tickets of an occurrence (with their check-in), by reference and number.
    Result<std::vector<TicketRow>> of_occurrence(OccurrenceId occurrence);
    /// The revoked tickets of an occurrence (0: of none), by revocation.
    Result<std::vector<TicketRow>> revoked(std::optional<OccurrenceId> occurrence);
    /// Every ticket (revoked ones too) whose validity window overlaps [from, to).
    Result<std::vector<TicketRow>> valid_between(Instant from, Instant to);
    Result<std::optional<TicketRow>> find(std::string_view reference, int number);
    Result<void> insert(const TicketRow& t);
    /// Revokes a live ticket; false when it was revoked already.
    Result<bool> revoke(std::int64_t id, Instant now);
    /// Records the admission of a live ticket scanned `at`, unless it was admitted at that
    /// moment or earlier (the first scan wins, also when scans arrive late from offline
    /// devices). Returns whether it was written.
    Result<bool> check_in(std::int64_t id, Instant at, std::string_view device);
    Result<void> record_scan(const ScanRow& s);
    /// The most recent scans, newest first; `problems`: the refused and conflicting only.
    Result<std::vector<ScanRow>> scans(int limit, bool problems);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::tickets

#pragma once
// The `offerings` and `occurrences` tables. An offering's ticket types, questions, staff and
// venue rules are JSON columns; these stores are the one place that knows their layout.

#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/offerings/offering.hpp"
#include "storage/database.hpp"

namespace yoyaku::offerings {

/// One tenant's offerings inside the caller's transaction. Errors: the storage port's;
/// not_found where a row must exist.
class OfferingStore {
public:
    explicit OfferingStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Errors: not_found ("no such offering").
    Result<Offering> find_by_id(OfferingId id);
    /// In id order; with `published_only`, the published ones.
    Result<std::vector<Offering>> list(bool published_only);
    Result<Offering> insert(const OfferingInput& in, Instant now);
    /// Replaces every field but the id and the creation time. Errors: not_found.
    Result<Offering> update(OfferingId id, const OfferingInput& in);
    /// Whether any booking (of any status) names the offering: a course's sessions are fixed
    /// from its first enrolment. (Reads `bookings`, whose store lives downstream of this one.)
    Result<bool> has_bookings(OfferingId id);

private:
    storage::ScopedTx& stx_;
};

/// One tenant's occurrences (an event's dates, a course's sessions).
class OccurrenceStore {
public:
    explicit OccurrenceStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Errors: not_found ("no such occurrence").
    Result<Occurrence> find_by_id(OccurrenceId id);
    /// The occurrence `id` when it belongs to `offering`. Errors: not_found.
    Result<Occurrence> find_of_offering(OfferingId offering, OccurrenceId id);
    /// In start order; with `from`/`to`, only those starting in [from, to).
    Result<std::vector<Occurrence>> list_by_offering(
        OfferingId offering, Instant from = Instant::min(), Instant to = Instant::max()
    );
    Result<Occurrence> insert(
        OfferingId offering, Instant starts_at, Instant ends_at, int capacity
    );
    /// Sets the capacity unless fewer than the seats taken; returns whether it did.
    Result<bool> update_capacity(OccurrenceId id, int capacity);
    /// Takes `seats` when that many are left (one guarded statement, the row's lock held to
    /// the end of the transaction); returns whether it did.
    Result<bool> take_seats(OccurrenceId id, int seats);
    Result<void> give_back_seats(OccurrenceId id, int seats);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::offerings

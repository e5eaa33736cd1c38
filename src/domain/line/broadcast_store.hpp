#pragma once
// The `broadcasts` table (segment messages, broadcast.hpp) and the customers a segment picks.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/line/broadcast.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

/// The booking statuses a segment may name (none named: all of them).
inline constexpr std::array<std::string_view, 5> kSegmentStatuses = {
    "pending", "confirmed", "cancelled", "checked_in", "no_show"};

/// A customer a segment message goes to, their name and LINE user id still sealed.
struct Recipient {
    AccountId id;
    std::string name_sealed;
    std::string line_user_sealed;
};

/// The segment as JSON, as it is stored and audited.
std::string segment_json(const Segment& s);

/// Reads and writes one tenant's segment messages inside the caller's transaction. Errors: the
/// storage port's (unavailable, internal); not_found where a row must exist.
class BroadcastStore {
public:
    explicit BroadcastStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<bool> offering_exists(OfferingId id);
    Result<bool> user_class_exists(UserClassId id);
    /// The linked customers who follow the official account, did not opt out and match `s`,
    /// in id order.
    Result<std::vector<Recipient>> recipients(const Segment& s);

    /// Stored as scheduled at `send_at`.
    Result<BroadcastId> insert(const BroadcastInput& in, Instant send_at, Instant now);
    /// Errors: not_found.
    Result<Broadcast> find(BroadcastId id);
    /// Newest first, at most `limit`.
    Result<std::vector<Broadcast>> list(int limit);
    Result<void> cancel(BroadcastId id);
    /// Its recipients were picked: `n` of them (none: sent at `now` already).
    Result<void> start_sending(BroadcastId id, int n, Instant now);
    /// A batch answered: counts added; sent at `now` once every recipient is counted.
    Result<void> add_counts(BroadcastId id, int delivered, int failed, Instant now);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::line

#pragma once
// The `payment_events` table: each provider event applied, by its id, with what came of it,
// so that a repeated delivery changes nothing.

#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

class PaymentEventStore {
public:
    explicit PaymentEventStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// What came of event `event_id`, if it was applied.
    Result<std::optional<std::string>> find_outcome(
        std::string_view provider, std::string_view event_id
    );
    /// Records it; false when it was recorded already.
    Result<bool> insert(
        std::string_view provider,
        std::string_view event_id,
        std::string_view type,
        std::string_view outcome,
        Instant now
    );

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::payments

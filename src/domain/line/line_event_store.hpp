#pragma once
// The `line_events` rows: the ids of the Messaging API webhook events a tenant handled, so that
// LINE's redeliveries are handled once.

#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

class LineEventStore {
public:
    explicit LineEventStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Records event `id` of `type`; false when it was recorded before (a redelivery).
    Result<bool> record(const std::string& id, const std::string& type, Instant now);
    /// How many events of `type` the tenant handled.
    Result<std::int64_t> count(const std::string& type);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::line

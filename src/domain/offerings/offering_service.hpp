#pragma once
// Setting up what a tenant sells: offerings and their occurrences (dates, sessions).

#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "domain/offerings/offering.hpp"
#include "storage/database.hpp"

namespace yoyaku::offerings {

/// Every call is one transaction in the tenant's scope; changes are audited
/// (offering.created/updated, occurrence.created). Blocking: call from the worker pool.
/// Capacity changes serve the waitlist, so they belong to the booking engine
/// (BookingService::set_capacity).
class OfferingService {
public:
    OfferingService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// Errors: invalid_input (check(), and resource_ids[i] / room_id naming no live resource
    /// of the right kind).
    Result<Offering> create(
        TenantId tenant,
        const OfferingInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The same inside the caller's transaction (an import of many, all or nothing).
    Result<Offering> create_in(
        storage::ScopedTx& stx,
        const OfferingInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Errors: as create, not_found, invalid_input on kind (an offering keeps its kind).
    Result<Offering> update(
        TenantId tenant,
        OfferingId id,
        const OfferingInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Errors: not_found.
    Result<Offering> find(TenantId tenant, OfferingId id);
    Result<std::vector<Offering>> list(TenantId tenant, bool published_only);
    /// One occurrence of any offering. Errors: not_found.
    Result<Occurrence> find_occurrence(TenantId tenant, OccurrenceId id);

    /// Adds an event's date or a course's session. Errors: invalid_input (ends_at, capacity,
    /// offering_id of another kind), not_found, unprocessable (a course someone enrolled in).
    Result<Occurrence> add_occurrence(
        TenantId tenant,
        OfferingId offering,
        Instant starts_at,
        Instant ends_at,
        int capacity,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The same inside the caller's transaction.
    Result<Occurrence> add_occurrence_in(
        storage::ScopedTx& stx,
        OfferingId offering,
        Instant starts_at,
        Instant ends_at,
        int capacity,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// In start order; `upcoming_only`: those starting from now.
    Result<std::vector<Occurrence>> occurrences(
        TenantId tenant, OfferingId offering, bool upcoming_only
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::offerings

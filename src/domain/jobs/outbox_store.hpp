#pragma once
// The `outbox` table's rows (ADR 0010, 0016): queued jobs, their claims and outcomes. A
// platform table: the worker claims across tenants; a tenant's own views name their tenant.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/jobs/jobs.hpp"
#include "storage/database.hpp"

namespace yoyaku::jobs {

class OutboxStore {
public:
    explicit OutboxStore(storage::Tx& tx) : tx_(tx) {}

    /// A queued job with an empty payload (the payload is sealed under its row id next).
    Result<JobId> insert(TenantId tenant, const NewJob& job, Instant now);
    Result<void> update_payload_sealed(JobId id, const std::string& sealed);

    /// A claimed job and its sealed payload.
    struct Claimed {
        Job job;
        std::string sealed;
    };
    /// Leases up to `batch` due jobs of `topics` until `lease_until`, counting the attempt.
    /// PostgreSQL's SKIP LOCKED lets another node's claim pass the rows this one is taking;
    /// SQLite has one writer.
    Result<std::vector<Claimed>> claim(
        const std::vector<std::string>& topics, Instant now, Instant lease_until, int batch
    );
    Result<void> update_sent(JobId id, Instant at);
    Result<void> update_failed(JobId id, Instant at, const std::string& error);
    Result<void> update_retry_at(JobId id, Instant next, const std::string& error);

    /// A tenant's jobs, newest first.
    Result<std::vector<Entry>> list(TenantId tenant, const Filter& f);
    /// Errors: not_found.
    Result<Entry> find(TenantId tenant, JobId id);
    /// A dead letter back in the queue; false when the job is not one.
    Result<bool> update_requeued(TenantId tenant, JobId id, Instant now);

    Result<Counts> counts(Instant now);
    Result<std::int64_t> count_failed_since(const std::string& topic, Instant since);
    /// Removes jobs sent or failed before `before`. Returns how many.
    Result<std::int64_t> remove_finished_before(Instant before);

private:
    storage::Tx& tx_;
};

/// The `schedules` table: each platform job's next due time, claimed by one node.
class ScheduleStore {
public:
    explicit ScheduleStore(storage::Tx& tx) : tx_(tx) {}

    /// Its next run (a new schedule is due at `now`).
    Result<Instant> find_or_insert(const std::string& name, Instant now);
    /// Moves the next run on from `due` to `next`; false when another node did first.
    Result<bool> update_next(const std::string& name, Instant due, Instant next, Instant now);
    Result<void> update_last_error(const std::string& name, std::optional<std::string> error);

private:
    storage::Tx& tx_;
};

}  // namespace yoyaku::jobs

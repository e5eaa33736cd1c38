#pragma once
// The durable job queue (SPEC "Notifications"): rows of the `outbox` table written inside the
// transaction of the change that causes them, run after commit by a Worker for their topic
// (mail, webhook, reminder, line). Payloads are sealed under the tenant's key. A job whose
// handler answers `unavailable` is retried with exponential back-off; any other error, or too
// many attempts, makes it a dead letter that a manager can see and retry. Several nodes may
// run workers: PostgreSQL hands each due job to one of them (FOR UPDATE SKIP LOCKED), and a
// claimed job is leased so a node that dies mid-run gives it back when the lease ends.
//
// Scheduler runs platform jobs (clean-ups, later backups) on a period, once across nodes.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::jobs {

/// A job's payload, sealed in the outbox (OutboxStore seals it under its row id).
inline constexpr storage::SealedColumn kPayloadSealed{"outbox", "payload_sealed", "payload"};

struct NewJob {
    std::string topic;    ///< which worker runs it: "mail", "webhook", "reminder", "line"
    std::string kind;     ///< what it is, for people ("booking.confirmed")
    std::string payload;  ///< handler input (JSON by convention); sealed at rest
    Instant run_at;       ///< not before
    std::string ref;      ///< what it is about ("webhook:12", a booking reference), or empty
};

/// Queues `job` in the caller's transaction. Returns its id.
Result<JobId> enqueue(
    storage::Tx& tx, crypto::Keyring& keys, TenantId tenant, const NewJob& job, Instant now
);

/// A claimed job as its handler sees it.
struct Job {
    JobId id;
    TenantId tenant{0};
    std::string topic;
    std::string kind;
    std::string payload;  ///< opened
    std::string ref;
    int attempt = 1;  ///< 1 for the first run
    Instant created_at;
};

/// Runs one job. Errors: unavailable → try again later; anything else → dead letter. The
/// error's message and detail are recorded (200 characters): never put personal data in them.
using Handler = std::function<Result<void>(const Job&)>;

struct WorkerOptions {
    int batch = 20;                        ///< jobs claimed per run
    int max_attempts = 8;                  ///< then the job becomes a dead letter
    std::chrono::seconds first_retry{30};  ///< doubled after each failure
    std::chrono::minutes lease{5};         ///< a claimed job is not run by another node
};

struct WorkerRun {
    int done = 0;
    int retried = 0;
    int failed = 0;
};

class Worker {
public:
    Worker(
        storage::Database& db, crypto::Keyring& keys, const Clock& clock, WorkerOptions options = {}
    );
    /// Runs jobs of `topic` with `handler` (before the first run_once).
    void handle(std::string topic, Handler handler);
    /// One pass: claims due jobs of the handled topics and runs them. Errors: unavailable
    /// when the database is.
    Result<WorkerRun> run_once();

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    WorkerOptions options_;
    std::map<std::string, Handler, std::less<>> handlers_;
};

enum class State { queued, done, failed };
std::string_view to_string(State s) noexcept;
std::optional<State> parse_state(std::string_view s) noexcept;

/// One row of the delivery log, without its payload.
struct Entry {
    JobId id;
    std::string topic;
    std::string kind;
    std::string ref;
    State state = State::queued;
    int attempts = 0;
    Instant created_at;
    Instant next_attempt_at;
    std::optional<Instant> done_at;  ///< sent or failed
    std::string last_error;
};

struct Filter {
    std::optional<State> state;
    std::string topic;  ///< empty: all
    std::string ref;    ///< empty: all
    JobId before_id;    ///< paging: ids below this (none: newest first from the top)
    int limit = 50;
};

/// A tenant's jobs, newest first.
Result<std::vector<Entry>> list(storage::ScopedTx& stx, const Filter& filter);
/// Puts a dead letter back in the queue, due now, attempts reset. Errors: not_found; conflict
/// when it is not a dead letter.
Result<Entry> retry(storage::ScopedTx& stx, JobId id, Instant now);

/// Queue figures for /metrics and the status view.
struct Counts {
    std::int64_t queued = 0;
    std::int64_t done = 0;
    std::int64_t failed = 0;
    std::int64_t oldest_due_lag_s = 0;  ///< how long the oldest due job has waited
};
Result<Counts> counts(storage::Database& db, Instant now);
/// How many jobs of `topic` failed for good at or after `since` (the self-check's mail figure).
Result<std::int64_t> count_failed_since(
    storage::Database& db, std::string_view topic, Instant since
);

/// Platform jobs on a period, each run by exactly one node per due time.
class Scheduler {
public:
    Scheduler(storage::Database& db, const Clock& clock);
    /// `next(now)` gives the next due time after a run at `now`.
    void add(
        std::string name, std::function<Instant(Instant)> next, std::function<Result<void>()> fn
    );
    /// Runs the jobs that are due and that this node wins. Returns how many it ran.
    Result<int> run_due();

private:
    struct Item {
        std::string name;
        std::function<Instant(Instant)> next;
        std::function<Result<void>()> fn;
    };
    storage::Database& db_;
    const Clock& clock_;
    std::vector<Item> items_;
};

/// Deletes finished jobs (sent, or dead for longer) older than `keep`; returns how many.
Result<std::int64_t> purge_finished(storage::Database& db, Instant now, std::chrono::hours keep);

}  // namespace yoyaku::jobs

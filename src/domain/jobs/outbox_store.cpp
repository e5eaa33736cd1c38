#include "domain/jobs/outbox_store.hpp"

#include <algorithm>

#include "storage/sql_text.hpp"

namespace yoyaku::jobs {
namespace {

constexpr std::string_view kEntryColumns =
    "id, topic, kind, coalesce(ref, '') AS ref, sent_at, failed_at, attempts, created_at, next_attempt_at, coalesce(last_error, '') AS last_error";

Entry entry_from(const storage::Row& r) {
    Entry e;
    e.id = r.id<JobId>("id");
    e.topic = r.text("topic");
    e.kind = r.text("kind");
    e.ref = r.text("ref");
    if (!r.is_null("sent_at")) {
        e.state = State::done;
        e.done_at = from_micros(r.i64("sent_at"));
    } else if (!r.is_null("failed_at")) {
        e.state = State::failed;
        e.done_at = from_micros(r.i64("failed_at"));
    }
    e.attempts = r.i32("attempts");
    e.created_at = from_micros(r.i64("created_at"));
    e.next_attempt_at = from_micros(r.i64("next_attempt_at"));
    e.last_error = r.text("last_error");
    return e;
}

}  // namespace

Result<JobId> OutboxStore::insert(TenantId tenant, const NewJob& job, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "INSERT INTO outbox(tenant_id, topic, kind, ref, payload_sealed, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            tenant,
            job.topic,
            job.kind,
            job.ref.empty() ? storage::Value() : storage::Value(job.ref),
            storage::Blob{},
            to_micros(now),
            to_micros(std::max(job.run_at, now))
        )
    );
    return row.id<JobId>("id");
}

Result<void> OutboxStore::update_payload_sealed(JobId id, const std::string& sealed) {
    YOYAKU_TRY(
        tx_.exec("UPDATE outbox SET payload_sealed = $2 WHERE id = $1", id, storage::Blob{sealed})
    );
    return {};
}

Result<std::vector<OutboxStore::Claimed>> OutboxStore::claim(
    const std::vector<std::string>& topics, Instant now, Instant lease_until, int batch
) {
    auto params = storage::values(to_micros(now), to_micros(lease_until), batch);
    const auto list = storage::append_list(params, topics);
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND topic IN (" +
                list +
                ") AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id, tenant_id, topic, kind, coalesce(ref, '') AS ref, attempts, created_at, payload_sealed",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<Claimed> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        Claimed c;
        c.job.id = r.id<JobId>("id");
        c.job.tenant = r.id<TenantId>("tenant_id");
        c.job.topic = r.text("topic");
        c.job.kind = r.text("kind");
        c.job.ref = r.text("ref");
        c.job.attempt = r.i32("attempts");
        c.job.created_at = from_micros(r.i64("created_at"));
        c.sealed = r.blob("payload_sealed").bytes;
        out.push_back(std::move(c));
    }
    return out;
}

Result<void> OutboxStore::update_sent(JobId id, Instant at) {
    YOYAKU_TRY(tx_.exec(
        "UPDATE outbox SET sent_at = $2, last_error = NULL WHERE id = $1", id, to_micros(at)
    ));
    return {};
}

Result<void> OutboxStore::update_failed(JobId id, Instant at, const std::string& error) {
    YOYAKU_TRY(tx_.exec(
        "UPDATE outbox SET failed_at = $2, last_error = $3 WHERE id = $1", id, to_micros(at), error
    ));
    return {};
}

Result<void> OutboxStore::update_retry_at(JobId id, Instant next, const std::string& error) {
    YOYAKU_TRY(tx_.exec(
        "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
        id,
        to_micros(next),
        error
    ));
    return {};
}

Result<std::vector<Entry>> OutboxStore::list(TenantId tenant, const Filter& f) {
    const std::string state = f.state ? std::string(to_string(*f.state)) : std::string();
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT " + std::string(kEntryColumns) +
                " FROM outbox WHERE tenant_id = $1 AND ($2 = '' OR topic = $2) AND ($3 = '' OR ref = $3) AND ($4 = 0 OR id < $4) AND ($5 = '' OR ($5 = 'queued' AND sent_at IS NULL AND failed_at IS NULL) OR ($5 = 'done' AND sent_at IS NOT NULL) OR ($5 = 'failed' AND failed_at IS NOT NULL)) ORDER BY id DESC LIMIT $6",
            tenant,
            f.topic,
            f.ref,
            f.before_id,
            state,
            std::clamp(f.limit, 1, 500)
        )
    );
    std::vector<Entry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(entry_from(r));
    return out;
}

Result<Entry> OutboxStore::find(TenantId tenant, JobId id) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "SELECT " + std::string(kEntryColumns) +
                " FROM outbox WHERE tenant_id = $1 AND id = $2",
            tenant,
            id
        )
    );
    return entry_from(row);
}

Result<bool> OutboxStore::update_requeued(TenantId tenant, JobId id, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        tx_.exec(
            "UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $3 WHERE tenant_id = $1 AND id = $2 AND failed_at IS NOT NULL",
            tenant,
            id,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<Counts> OutboxStore::counts(Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "SELECT coalesce(sum(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS queued, coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS done, coalesce(sum(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed, coalesce(min(CASE WHEN sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 THEN next_attempt_at END), $1) AS oldest_due FROM outbox",
            to_micros(now)
        )
    );
    return Counts{
        row.i64("queued"),
        row.i64("done"),
        row.i64("failed"),
        std::max<std::int64_t>(0, (to_micros(now) - row.i64("oldest_due")) / 1'000'000)};
}

Result<std::int64_t> OutboxStore::count_failed_since(const std::string& topic, Instant since) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "SELECT count(*) AS failed FROM outbox WHERE topic = $1 AND failed_at IS NOT NULL AND failed_at >= $2",
            topic,
            to_micros(since)
        )
    );
    return row.i64("failed");
}

Result<std::int64_t> OutboxStore::remove_finished_before(Instant before) {
    return tx_.exec(
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) OR (failed_at IS NOT NULL AND failed_at < $1)",
        to_micros(before)
    );
}

Result<Instant> ScheduleStore::find_or_insert(const std::string& name, Instant now) {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO schedules(name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        name,
        to_micros(now)
    ));
    YOYAKU_TRY_ASSIGN(
        const auto row, tx_.query_one("SELECT next_run_at FROM schedules WHERE name = $1", name)
    );
    return from_micros(row.i64("next_run_at"));
}

Result<bool> ScheduleStore::update_next(
    const std::string& name, Instant due, Instant next, Instant now
) {
    // Of the nodes that read the same due time, one moves it on (PostgreSQL re-checks the
    // condition after the first commit and the others change nothing).
    YOYAKU_TRY_ASSIGN(
        const auto n,
        tx_.exec(
            "UPDATE schedules SET next_run_at = $3, last_run_at = $4 WHERE name = $1 AND next_run_at = $2",
            name,
            to_micros(due),
            to_micros(next),
            to_micros(now)
        )
    );
    return n == 1;
}

Result<void> ScheduleStore::update_last_error(
    const std::string& name, std::optional<std::string> error
) {
    YOYAKU_TRY(
        tx_.exec("UPDATE schedules SET last_error = $2 WHERE name = $1", name, std::move(error))
    );
    return {};
}

}  // namespace yoyaku::jobs

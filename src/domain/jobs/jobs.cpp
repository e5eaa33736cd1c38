#include "domain/jobs/jobs.hpp"

#include <algorithm>

#include "crypto/sealing.hpp"

namespace yoyaku::jobs {
namespace {

using storage::Blob;
using storage::Tx;
using storage::Value;

std::string payload_context(TenantId tenant, JobId id) {
    return crypto::field_context(tenant, "outbox", "payload", id);
}

std::string error_text(const Error& e) {
    return (e.detail.empty() ? e.message : e.message + ": " + e.detail).substr(0, 200);
}

constexpr std::string_view kEntryColumns =
    "id, topic, kind, coalesce(ref, ''), sent_at, failed_at, attempts, created_at, "
    "next_attempt_at, coalesce(last_error, '')";

Entry entry_from(const storage::Row& r) {
    Entry e;
    e.id = JobId(r.i64(0));
    e.topic = r.text(1);
    e.kind = r.text(2);
    e.ref = r.text(3);
    if (!r.is_null(4)) {
        e.state = State::done;
        e.done_at = from_micros(r.i64(4));
    } else if (!r.is_null(5)) {
        e.state = State::failed;
        e.done_at = from_micros(r.i64(5));
    }
    e.attempts = static_cast<int>(r.i64(6));
    e.created_at = from_micros(r.i64(7));
    e.next_attempt_at = from_micros(r.i64(8));
    e.last_error = r.text(9);
    return e;
}

}  // namespace

std::string_view to_string(State s) noexcept {
    switch (s) {
        case State::queued:
            return "queued";
        case State::done:
            return "done";
        case State::failed:
            return "failed";
    }
    return "queued";
}

std::optional<State> parse_state(std::string_view s) noexcept {
    for (auto st : {State::queued, State::done, State::failed})
        if (to_string(st) == s) return st;
    return std::nullopt;
}

Result<JobId> enqueue(
    Tx& tx, crypto::Keyring& keys, TenantId tenant, const NewJob& job, Instant now
) {
    auto k = keys.tenant_keys(tenant);
    if (!k) return fail(std::move(k).error());
    // The row id is part of the sealed payload's associated data, so the row comes first.
    auto row = tx.query_one(
        "INSERT INTO outbox(tenant_id, topic, kind, ref, payload_sealed, created_at, "
        "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        tenant.value,
        job.topic,
        job.kind,
        job.ref.empty() ? Value() : Value(job.ref),
        Blob{},
        to_micros(now),
        to_micros(std::max(job.run_at, now))
    );
    if (!row) return fail(std::move(row).error());
    const JobId id(row->i64(0));
    YOYAKU_TRY(tx.exec(
        "UPDATE outbox SET payload_sealed = $2 WHERE id = $1",
        id,
        Blob{crypto::seal(k->seal, job.payload, payload_context(tenant, id))}
    ));
    return id;
}

Worker::Worker(
    storage::Database& db, crypto::Keyring& keys, const Clock& clock, WorkerOptions options
)
    : db_(db), keys_(keys), clock_(clock), options_(options) {}

void Worker::handle(std::string topic, Handler handler) {
    handlers_[std::move(topic)] = std::move(handler);
}

Result<WorkerRun> Worker::run_once() {
    WorkerRun run;
    if (handlers_.empty()) return run;
    struct Claimed {
        Job job;
        std::string sealed;
    };
    std::vector<Claimed> claimed;
    const Instant now = clock_.now();
    // Claim and lease in one statement. On PostgreSQL, SKIP LOCKED lets another node's claim
    // pass the rows this one is taking instead of waiting for them; SQLite has one writer.
    YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
        auto params = storage::values(
            Value(to_micros(now)),
            Value(to_micros(now + options_.lease)),
            Value(static_cast<std::int64_t>(options_.batch))
        );
        std::string topics;
        for (const auto& [topic, h] : handlers_) {
            params.emplace_back(topic);
            topics += (topics.empty() ? "$" : ", $") + std::to_string(params.size());
        }
        const std::string sql =
            "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1 WHERE id IN (SELECT "
            "id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND topic IN (" +
            topics +
            ") AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP "
            "LOCKED) RETURNING id, tenant_id, topic, kind, coalesce(ref, ''), attempts, created_at, "
            "payload_sealed";
        auto rows = tx.query(sql, std::span<const Value>(params));
        if (!rows) return fail(std::move(rows).error());
        for (const auto& r : *rows) {
            Claimed c;
            c.job.id = JobId(r.i64(0));
            c.job.tenant = TenantId{r.i64(1)};
            c.job.topic = r.text(2);
            c.job.kind = r.text(3);
            c.job.ref = r.text(4);
            c.job.attempt = static_cast<int>(r.i64(5));
            c.job.created_at = from_micros(r.i64(6));
            c.sealed = r.blob(7).bytes;
            claimed.push_back(std::move(c));
        }
        return {};
    }));
    std::sort(claimed.begin(), claimed.end(), [](const Claimed& a, const Claimed& b) {
        return a.job.id < b.job.id;
    });

    for (auto& c : claimed) {
        Result<void> outcome{};
        auto k = keys_.tenant_keys(c.job.tenant);
        auto opened = k ? k->open(c.sealed, payload_context(c.job.tenant, c.job.id))
                        : Result<std::string>(fail(std::move(k).error()));
        // A job whose tenant key is gone (crypto-shredded) can never run.
        if (!opened)
            outcome = Error::invalid("payload", "the job's payload no longer opens");
        else {
            c.job.payload = std::move(*opened);
            const auto h = handlers_.find(c.job.topic);
            outcome = h->second(c.job);
        }
        const Instant at = clock_.now();
        YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
            if (outcome) {
                ++run.done;
                YOYAKU_TRY(tx.exec(
                    "UPDATE outbox SET sent_at = $2, last_error = NULL WHERE id = $1",
                    c.job.id,
                    to_micros(at)
                ));
                return {};
            }
            const auto& e = outcome.error();
            if (e.code != Errc::unavailable || c.job.attempt >= options_.max_attempts) {
                ++run.failed;
                YOYAKU_TRY(tx.exec(
                    "UPDATE outbox SET failed_at = $2, last_error = $3 WHERE id = $1",
                    c.job.id,
                    to_micros(at),
                    error_text(e)
                ));
                return {};
            }
            ++run.retried;
            const auto wait = options_.first_retry * (1 << std::min(c.job.attempt - 1, 16));
            YOYAKU_TRY(tx.exec(
                "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
                c.job.id,
                to_micros(at + wait),
                error_text(e)
            ));
            return {};
        }));
    }
    return run;
}

Result<std::vector<Entry>> list(storage::ScopedTx& stx, const Filter& f) {
    const std::string state = f.state ? std::string(to_string(*f.state)) : std::string();
    auto rows = stx.tx().query(
        "SELECT " + std::string(kEntryColumns) +
            " FROM outbox WHERE tenant_id = $1 AND ($2 = '' OR topic = $2) AND ($3 = '' OR ref "
            "= $3) AND ($4 = 0 OR id < $4) AND ($5 = '' OR ($5 = 'queued' AND sent_at IS NULL "
            "AND failed_at IS NULL) OR ($5 = 'done' AND sent_at IS NOT NULL) OR ($5 = 'failed' "
            "AND failed_at IS NOT NULL)) ORDER BY id DESC LIMIT $6",
        stx.tenant_id().value,
        f.topic,
        f.ref,
        f.before_id,
        state,
        static_cast<std::int64_t>(std::clamp(f.limit, 1, 500))
    );
    if (!rows) return fail(std::move(rows).error());
    std::vector<Entry> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(entry_from(r));
    return out;
}

Result<Entry> retry(storage::ScopedTx& stx, JobId id, Instant now) {
    auto& tx = stx.tx();
    auto n = tx.exec(
        "UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $3 WHERE tenant_id "
        "= $1 AND id = $2 AND failed_at IS NOT NULL",
        stx.tenant_id().value,
        id,
        to_micros(now)
    );
    if (!n) return fail(std::move(n).error());
    auto row = tx.query_one(
        "SELECT " + std::string(kEntryColumns) + " FROM outbox WHERE tenant_id = $1 AND id = $2",
        stx.tenant_id().value,
        id
    );
    if (!row) {
        if (row.error().code == Errc::not_found) return Error::not_found("no such job");
        return fail(std::move(row).error());
    }
    if (*n == 0) return Error{Errc::conflict, "only a failed job can be retried", {}, {}};
    return entry_from(*row);
}

Result<Counts> counts(storage::Database& db, Instant now) {
    Counts c;
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        auto row = tx.query_one(
            "SELECT coalesce(sum(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 "
            "END), 0), coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
            "coalesce(min(CASE WHEN sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= "
            "$1 THEN next_attempt_at END), $1) FROM outbox",
            to_micros(now)
        );
        if (!row) return fail(std::move(row).error());
        c = {
            row->i64(0),
            row->i64(1),
            row->i64(2),
            std::max<std::int64_t>(0, (to_micros(now) - row->i64(3)) / 1'000'000)};
        return {};
    }));
    return c;
}

Result<std::int64_t> count_failed_since(
    storage::Database& db, std::string_view topic, Instant since
) {
    return db.read_platform([&](Tx& tx) -> Result<std::int64_t> {
        YOYAKU_TRY_ASSIGN(
            const auto row,
            tx.query_one(
                "SELECT count(*) AS failed FROM outbox WHERE topic = $1 AND failed_at IS NOT NULL AND failed_at >= $2",
                std::string(topic),
                to_micros(since)
            )
        );
        return row.i64("failed");
    });
}

Scheduler::Scheduler(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

void Scheduler::add(
    std::string name, std::function<Instant(Instant)> next, std::function<Result<void>()> fn
) {
    items_.push_back({std::move(name), std::move(next), std::move(fn)});
}

Result<int> Scheduler::run_due() {
    int ran = 0;
    for (const auto& item : items_) {
        const Instant now = clock_.now();
        bool won = false;
        YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
            YOYAKU_TRY(tx.exec(
                "INSERT INTO schedules(name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO "
                "NOTHING",
                item.name,
                to_micros(now)
            ));
            auto row = tx.query_one("SELECT next_run_at FROM schedules WHERE name = $1", item.name);
            if (!row) return fail(std::move(row).error());
            const std::int64_t due = row->i64(0);
            if (due > to_micros(now)) return {};
            // Of the nodes that read the same due time, one moves it on (PostgreSQL re-checks
            // the condition after the first commit and the others change nothing).
            auto n = tx.exec(
                "UPDATE schedules SET next_run_at = $3, last_run_at = $4 WHERE name = $1 AND "
                "next_run_at = $2",
                item.name,
                due,
                to_micros(item.next(now)),
                to_micros(now)
            );
            if (!n) return fail(std::move(n).error());
            won = *n == 1;
            return {};
        }));
        if (!won) continue;
        ++ran;
        auto r = item.fn();
        YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
            YOYAKU_TRY(tx.exec(
                "UPDATE schedules SET last_error = $2 WHERE name = $1",
                item.name,
                r ? Value() : Value(error_text(r.error()))
            ));
            return {};
        }));
    }
    return ran;
}

Result<std::int64_t> purge_finished(storage::Database& db, Instant now, std::chrono::hours keep) {
    return db.write_platform([&](Tx& tx) -> Result<std::int64_t> {
        return tx.exec(
            "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) OR (failed_at IS NOT "
            "NULL AND failed_at < $1)",
            to_micros(now - keep)
        );
    });
}

}  // namespace yoyaku::jobs

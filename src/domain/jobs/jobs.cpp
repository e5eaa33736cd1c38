#include "domain/jobs/jobs.hpp"

#include <algorithm>

#include "crypto/sealing.hpp"
#include "domain/jobs/outbox_store.hpp"

namespace yoyaku::jobs {
namespace {

using storage::Tx;

std::string payload_context(TenantId tenant, JobId id) {
    return crypto::field_context(tenant, "outbox", "payload", id);
}

std::string error_text(const Error& e) {
    return (e.detail.empty() ? e.message : e.message + ": " + e.detail).substr(0, 200);
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
    YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(tenant));
    // The row id is part of the sealed payload's associated data, so the row comes first.
    OutboxStore outbox(tx);
    YOYAKU_TRY_ASSIGN(const auto id, outbox.insert(tenant, job, now));
    YOYAKU_TRY(outbox.update_payload_sealed(
        id, crypto::seal(k.seal, job.payload, payload_context(tenant, id))
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
    std::vector<OutboxStore::Claimed> claimed;
    const Instant now = clock_.now();
    std::vector<std::string> topics;
    for (const auto& [topic, h] : handlers_) topics.push_back(topic);
    YOYAKU_TRY_ASSIGN(claimed, db_.write_platform([&](Tx& tx) {
        return OutboxStore(tx).claim(topics, now, now + options_.lease, options_.batch);
    }));
    std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) {
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
            OutboxStore outbox(tx);
            if (outcome) {
                ++run.done;
                return outbox.update_sent(c.job.id, at);
            }
            const auto& e = outcome.error();
            if (e.code != Errc::unavailable || c.job.attempt >= options_.max_attempts) {
                ++run.failed;
                return outbox.update_failed(c.job.id, at, error_text(e));
            }
            ++run.retried;
            const auto wait = options_.first_retry * (1 << std::min(c.job.attempt - 1, 16));
            return outbox.update_retry_at(c.job.id, at + wait, error_text(e));
        }));
    }
    return run;
}

Result<std::vector<Entry>> list(storage::ScopedTx& stx, const Filter& f) {
    return OutboxStore(stx.tx()).list(stx.tenant_id(), f);
}

Result<Entry> retry(storage::ScopedTx& stx, JobId id, Instant now) {
    OutboxStore outbox(stx.tx());
    YOYAKU_TRY_ASSIGN(const bool requeued, outbox.update_requeued(stx.tenant_id(), id, now));
    auto entry = outbox.find(stx.tenant_id(), id);
    if (!entry) {
        if (entry.error().code == Errc::not_found) return Error::not_found("no such job");
        return entry;
    }
    if (!requeued) return Error{Errc::conflict, "only a failed job can be retried", {}, {}};
    return entry;
}

Result<Counts> counts(storage::Database& db, Instant now) {
    return db.read_platform([&](Tx& tx) { return OutboxStore(tx).counts(now); });
}

Result<std::int64_t> count_failed_since(
    storage::Database& db, std::string_view topic, Instant since
) {
    return db.read_platform([&](Tx& tx) {
        return OutboxStore(tx).count_failed_since(std::string(topic), since);
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
            ScheduleStore schedules(tx);
            YOYAKU_TRY_ASSIGN(const Instant due, schedules.find_or_insert(item.name, now));
            if (due > now) return {};
            YOYAKU_TRY_ASSIGN(won, schedules.update_next(item.name, due, item.next(now), now));
            return {};
        }));
        if (!won) continue;
        ++ran;
        auto r = item.fn();
        YOYAKU_TRY(db_.write_platform([&](Tx& tx) {
            return ScheduleStore(tx).update_last_error(
                item.name, r ? std::nullopt : std::optional(error_text(r.error()))
            );
        }));
    }
    return ran;
}

Result<std::int64_t> purge_finished(storage::Database& db, Instant now, std::chrono::hours keep) {
    return db.write_platform([&](Tx& tx) {
        return OutboxStore(tx).remove_finished_before(now - keep);
    });
}

}  // namespace yoyaku::jobs

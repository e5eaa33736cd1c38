#pragma once
// The storage port: transactions over SQLite or PostgreSQL behind one interface.
//
// Statements are written once in the SQL both backends share, with `$1..$N` placeholders
// (see docs/adr/0003-one-sql-dialect-for-stores.md). Calls block: the HTTP layer runs them on
// its worker pool, never on an I/O thread.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "storage/value.hpp"

namespace yoyaku::storage {

enum class Backend { sqlite, postgres };
class Database;
std::string_view to_string(Backend b) noexcept;

/// Proof that the code holding it acts for exactly one tenant. Obtained from the request's
/// resolved tenant (or an operator's audited support access), never from user input alone.
class TenantScope {
public:
    explicit TenantScope(TenantId id) : id_(id) {}
    TenantId tenant_id() const noexcept { return id_; }

private:
    TenantId id_;
};

/// A transaction. Valid only inside the function given to `Database::write/read`.
/// Errors: conflict (unique violation), slot_taken (exclusion violation), invalid_input (a
/// CHECK/NOT NULL/FK constraint: the second wall), unavailable (busy, serialization failure,
/// connection lost; retryable), internal (anything else).
class Tx {
public:
    virtual ~Tx() = default;

    /// Runs a statement and returns its rows (also for INSERT ... RETURNING).
    virtual Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) = 0;
    /// Runs a statement and returns the number of rows it changed.
    virtual Result<std::int64_t> exec(std::string_view sql, std::span<const Value> params) = 0;
    virtual Backend backend() const noexcept = 0;
    /// Runs several statements without parameters (migrations' DDL).
    virtual Result<void> exec_script(std::string_view sql) = 0;
    /// Binds the rest of this transaction to `tenant` (PostgreSQL: `app.tenant_id`, so rows of
    /// other chains and tenants vanish from view). For work that creates a tenant and must write
    /// into its scope in the same transaction; otherwise use Database::write(scope, …).
    virtual Result<void> enter_scope(TenantId tenant) = 0;

    /// Work that must see this transaction's writes committed (the audit chain links its
    /// entries after commit on PostgreSQL, ADR 0027). The database runs it once the transaction
    /// has committed, never when it rolls back, in the committing thread with no transaction
    /// of its own open; the same `key` twice runs once. It cannot change the outcome: whatever
    /// it leaves undone must be picked up later.
    using AfterCommit = std::function<void(Database&)>;
    void after_commit(std::string key, AfterCommit fn);
    /// For the backends: the work registered so far, emptied.
    std::vector<AfterCommit> take_after_commit();

    template <class... A>
    Result<std::vector<Row>> query(std::string_view sql, A&&... args) {
        const Value params[] = {to_value(std::forward<A>(args))..., Value()};
        return query(sql, std::span<const Value>(params, sizeof...(A)));
    }
    template <class... A>
    Result<std::int64_t> exec(std::string_view sql, A&&... args) {
        const Value params[] = {to_value(std::forward<A>(args))..., Value()};
        return exec(sql, std::span<const Value>(params, sizeof...(A)));
    }
    /// The first row, or not_found.
    template <class... A>
    Result<Row> query_one(std::string_view sql, A&&... args) {
        auto rows = query(sql, std::forward<A>(args)...);
        if (!rows) return fail(std::move(rows).error());
        if (rows->empty()) return Error::not_found();
        return std::move(rows->front());
    }

private:
    std::vector<std::pair<std::string, AfterCommit>> after_commit_;
};

/// A transaction bound to one tenant. Tenant-owned stores take a ScopedTx and must bind
/// `tenant_id()` in every statement; on PostgreSQL row-level security enforces the same.
class ScopedTx {
public:
    ScopedTx(Tx& tx, TenantScope scope) : tx_(tx), scope_(scope) {}
    TenantId tenant_id() const noexcept { return scope_.tenant_id(); }
    Tx& tx() noexcept { return tx_; }

private:
    Tx& tx_;
    TenantScope scope_;
};

enum class Access { read, write };

struct SchemaStatus {
    int current = 0;  ///< highest applied migration
    int latest = 0;   ///< highest migration this binary knows
    bool up_to_date() const noexcept { return current == latest; }
};

/// Connection figures for monitoring.
struct PoolStats {
    int open = 0;                  ///< PostgreSQL connections / SQLite reader connections open
    int idle = 0;                  ///< of those, waiting for work
    int capacity = 0;              ///< the configured maximum
    std::int64_t write_queue = 0;  ///< SQLite: write transactions waiting for the writer
};

struct DatabaseOptions {
    /// "sqlite:<path>" or "postgresql://..." / "postgres://...".
    std::string url;
    int pool_size = 8;  ///< PostgreSQL connections / SQLite reader connections
    int connect_timeout_s = 3;
    /// PostgreSQL: statements prepared once per connection; false behind PgBouncer in
    /// transaction pooling mode (each statement parsed anew, unnamed).
    bool prepared_statements = true;
};

class Database {
public:
    virtual ~Database() = default;
    virtual Backend backend() const noexcept = 0;

    /// Runs `fn` in one transaction; commits if it returns a value, rolls back otherwise.
    /// With a scope, the transaction is bound to that tenant (PostgreSQL: `app.tenant_id`).
    /// Writes on SQLite are funnelled through one writer thread in arrival order.
    virtual Result<void> transact(
        Access access, std::optional<TenantScope> scope, const std::function<Result<void>(Tx&)>& fn
    ) = 0;

    /// Cheap round trip to the database; unavailable when it cannot be reached.
    virtual Result<void> ping() = 0;
    /// Applies pending migrations in order, each in its own transaction.
    virtual Result<SchemaStatus> migrate() = 0;
    virtual Result<SchemaStatus> schema_status() = 0;
    virtual PoolStats pool_stats() = 0;

    template <class F>
    auto write(TenantScope scope, F&& fn) {
        return run_scoped(Access::write, scope, std::forward<F>(fn));
    }
    template <class F>
    auto read(TenantScope scope, F&& fn) {
        return run_scoped(Access::read, scope, std::forward<F>(fn));
    }
    /// Platform-level work (tenants table, operator data): no tenant bound.
    template <class F>
    auto write_platform(F&& fn) {
        return run(Access::write, std::nullopt, std::forward<F>(fn));
    }
    template <class F>
    auto read_platform(F&& fn) {
        return run(Access::read, std::nullopt, std::forward<F>(fn));
    }

private:
    template <class F>
    auto run_scoped(Access a, TenantScope scope, F&& fn) {
        return run(a, scope, [&](Tx& tx) {
            ScopedTx stx(tx, scope);
            return fn(stx);
        });
    }
    // fn returns Result<T>; the value is carried out of the type-erased transaction.
    template <class F>
    auto run(Access a, std::optional<TenantScope> scope, F&& fn)
        -> decltype(fn(std::declval<Tx&>())) {
        using R = decltype(fn(std::declval<Tx&>()));
        std::optional<R> out;
        auto r = transact(a, scope, [&](Tx& tx) -> Result<void> {
            out.emplace(fn(tx));
            if (!*out) return fail(out->error());
            return {};
        });
        if (!r) return fail(std::move(r).error());
        return std::move(*out);
    }
};

/// Opens (and creates, for SQLite) the database named by `options.url`. Does not migrate.
/// Errors: invalid_input for a malformed URL; unavailable when it cannot be opened.
Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options);

}  // namespace yoyaku::storage

#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/time.hpp"
#include "storage/migrations.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::storage {
namespace {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    std::string detail = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (ext) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return Error{Errc::conflict, "already exists", {}, detail};
        case SQLITE_CONSTRAINT_CHECK:
        case SQLITE_CONSTRAINT_NOTNULL:
        case SQLITE_CONSTRAINT_FOREIGNKEY:
        case SQLITE_CONSTRAINT_DATATYPE:
        case SQLITE_CONSTRAINT_TRIGGER:
            // A broken storage rule is a bug: the domain validates first and names the field.
            // SQLite's message names the rule, not the row's values.
            return Error::internal("storage rule broken: " + detail);
        default:
            break;
    }
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            return Error::unavailable(detail);
        default:
            return Error::internal(detail);
    }
}

// One connection with a cache of prepared statements keyed by the SQL text.
class Connection {
public:
    Connection(const std::string& path, bool read_only) {
        // Readers open read-write with query_only: a strictly read-only handle cannot create
        // the WAL index when it is missing.
        int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE |
                    (path.starts_with("file:") ? SQLITE_OPEN_URI : 0) |
                    (read_only ? 0 : SQLITE_OPEN_CREATE);
        int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            error_ = sqlite_error(db_, rc, "open");
            return;
        }
        sqlite3_extended_result_codes(db_, 1);
        // FULL: a transaction answered "committed" survives power loss (SPEC invariants).
        const char* pragmas =
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
        auto r = exec_script(read_only ? "PRAGMA query_only=ON;" : "PRAGMA journal_mode=WAL;");
        if (r) r = exec_script(pragmas);
        if (!r) error_ = std::move(r).error();
    }
    ~Connection() {
        for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
        sqlite3_close_v2(db_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const std::optional<Error>& open_error() const { return error_; }
    sqlite3* handle() { return db_; }

    Result<void> exec_script(std::string_view sql) {
        if (sql.find(';') == std::string_view::npos) {
            // One statement (BEGIN, COMMIT, SAVEPOINT…), run for every transaction: prepared
            // once and kept, instead of parsed again by sqlite3_exec each time.
            YOYAKU_TRY_ASSIGN(auto st, prepare(sql));
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sqlite_error(db_, rc, "exec");
            return {};
        }
        char* msg = nullptr;
        std::string s(sql);
        int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg);
        sqlite3_free(msg);
        if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
        return {};
    }

    /// The result column names of a cached statement, read once and shared by every row.
    std::shared_ptr<const Columns> column_names(sqlite3_stmt* st) {
        auto& names = names_[st];
        if (!names) {
            auto made = std::make_shared<Columns>();
            const int n = sqlite3_column_count(st);
            made->reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                const char* name = sqlite3_column_name(st, i);
                made->emplace_back(name ? name : "");
            }
            names = std::move(made);
        }
        return names;
    }

    Result<sqlite3_stmt*> prepare(std::string_view sql) {
        auto it = cache_.find(std::string(sql));
        if (it != cache_.end()) return it->second;
        std::string rewritten = to_sqlite_dialect(sql);
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(
            db_,
            rewritten.c_str(),
            static_cast<int>(rewritten.size()),
            SQLITE_PREPARE_PERSISTENT,
            &stmt,
            nullptr
        );
        if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
        cache_.emplace(std::string(sql), stmt);
        return stmt;
    }

private:
    sqlite3* db_ = nullptr;
    std::optional<Error> error_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
    std::unordered_map<sqlite3_stmt*, std::shared_ptr<const Columns>> names_;
};

class SqliteTx final : public Tx {
public:
    explicit SqliteTx(Connection& c) : c_(c) {}
    using Tx::exec;
    using Tx::query;

    Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override {
        std::vector<Row> rows;
        YOYAKU_TRY(run(sql, params, &rows));
        return rows;
    }
    Result<std::int64_t> exec(std::string_view sql, std::span<const Value> params) override {
        YOYAKU_TRY(run(sql, params, nullptr));
        return static_cast<std::int64_t>(sqlite3_changes64(c_.handle()));
    }
    Backend backend() const noexcept override { return Backend::sqlite; }
    Result<void> enter_scope(TenantId) override { return {}; }  // no row-level security here
    Result<void> exec_script(std::string_view sql) override { return c_.exec_script(sql); }

private:
    Result<void> run(std::string_view sql, std::span<const Value> params, std::vector<Row>* rows) {
        YOYAKU_TRY_ASSIGN(auto prepared, c_.prepare(sql));
        sqlite3_stmt* st = prepared;
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{st};
        for (std::size_t i = 0; i < params.size(); ++i) {
            int idx = static_cast<int>(i + 1);
            int rc = std::visit(
                [&](const auto& v) -> int {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>)
                        return sqlite3_bind_null(st, idx);
                    else if constexpr (std::is_same_v<T, std::int64_t>)
                        return sqlite3_bind_int64(st, idx, v);
                    else if constexpr (std::is_same_v<T, double>)
                        return sqlite3_bind_double(st, idx, v);
                    else if constexpr (std::is_same_v<T, std::string>)
                        return sqlite3_bind_text64(
                            st, idx, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8
                        );
                    else
                        return sqlite3_bind_blob64(
                            st, idx, v.bytes.data(), v.bytes.size(), SQLITE_STATIC
                        );
                },
                params[i]
            );
            if (rc != SQLITE_OK) return sqlite_error(c_.handle(), rc, "bind");
        }
        std::shared_ptr<const Columns> names;
        for (;;) {
            int rc = sqlite3_step(st);
            if (rc == SQLITE_DONE) return {};
            if (rc != SQLITE_ROW) return sqlite_error(c_.handle(), rc, "step");
            if (!rows) continue;
            int n = sqlite3_column_count(st);
            if (!names) names = c_.column_names(st);
            std::vector<Value> cols;
            cols.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                switch (sqlite3_column_type(st, i)) {
                    case SQLITE_INTEGER:
                        cols.emplace_back(std::int64_t{sqlite3_column_int64(st, i)});
                        break;
                    case SQLITE_FLOAT:
                        cols.emplace_back(sqlite3_column_double(st, i));
                        break;
                    case SQLITE_TEXT:
                        cols.emplace_back(std::string(
                            reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                            static_cast<std::size_t>(sqlite3_column_bytes(st, i))
                        ));
                        break;
                    case SQLITE_BLOB: {
                        auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
                        cols.emplace_back(Blob{std::string(
                            p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, i))
                        )});
                        break;
                    }
                    default:
                        cols.emplace_back(std::monostate{});
                }
            }
            rows->emplace_back(std::move(cols), names);
        }
    }

    Connection& c_;
};

Result<void> run_in_tx(
    Connection& c,
    bool write,
    const std::function<Result<void>(Tx&)>& fn,
    std::vector<Tx::AfterCommit>& after
) {
    YOYAKU_TRY(c.exec_script(write ? "BEGIN IMMEDIATE" : "BEGIN"));
    SqliteTx tx(c);
    Result<void> r = [&]() -> Result<void> {
        try {
            return fn(tx);
        } catch (const std::exception& e) {
            return Error::internal(std::string("exception in transaction: ") + e.what());
        }
    }();
    if (!r) {
        (void)c.exec_script("ROLLBACK");
        return r;
    }
    auto committed = c.exec_script("COMMIT");
    if (!committed) {
        (void)c.exec_script("ROLLBACK");
        return committed;
    }
    after = tx.take_after_commit();
    return {};
}

void run_after_commit(Database& db, const Result<void>& r, std::vector<Tx::AfterCommit>& after) {
    if (r)
        for (auto& work : after) work(db);
}

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(std::string path, int readers)
        : path_(std::move(path)), readers_wanted_(readers) {}

    Result<void> start() {
        writer_conn_ = std::make_unique<Connection>(path_, false);
        if (writer_conn_->open_error()) return *writer_conn_->open_error();
        writer_ = std::thread([this] { writer_loop(); });
        return {};
    }

    ~SqliteDatabase() override {
        {
            std::lock_guard lock(wmu_);
            stopping_ = true;
        }
        wcv_.notify_all();
        if (writer_.joinable()) writer_.join();
    }

    Backend backend() const noexcept override { return Backend::sqlite; }

    Result<void> transact(
        Access access, std::optional<TenantScope>, const std::function<Result<void>(Tx&)>& fn
    ) override {
        if (access == Access::read) return read_tx(fn);
        Job job{&fn, {}, {}};
        auto fut = job.done.get_future();
        {
            std::lock_guard lock(wmu_);
            if (stopping_) return Error::unavailable("database is closing");
            queue_.push_back(&job);
        }
        wcv_.notify_one();
        auto r = fut.get();
        run_after_commit(*this, r, job.after);
        return r;
    }

    Result<void> ping() override {
        return transact(Access::read, std::nullopt, [](Tx& tx) -> Result<void> {
            YOYAKU_TRY(tx.query("SELECT 1"));
            return {};
        });
    }

    Result<SchemaStatus> schema_status() override;
    Result<SchemaStatus> migrate() override;

    PoolStats pool_stats() override {
        PoolStats s;
        {
            std::lock_guard lock(rmu_);
            s.open = open_readers_;
            s.idle = static_cast<int>(idle_.size());
            s.capacity = readers_wanted_;
        }
        std::lock_guard lock(wmu_);
        s.write_queue = static_cast<std::int64_t>(queue_.size());
        return s;
    }

private:
    Result<void> read_tx(const std::function<Result<void>(Tx&)>& fn) {
        std::unique_ptr<Connection> c;
        {
            std::unique_lock lock(rmu_);
            rcv_.wait(lock, [&] { return !idle_.empty() || open_readers_ < readers_wanted_; });
            if (!idle_.empty()) {
                c = std::move(idle_.back());
                idle_.pop_back();
            } else {
                ++open_readers_;
            }
        }
        if (!c) {
            c = std::make_unique<Connection>(path_, true);
            if (c->open_error()) {
                Error e = *c->open_error();
                std::lock_guard lock(rmu_);
                --open_readers_;
                rcv_.notify_one();
                return e;
            }
        }
        std::vector<Tx::AfterCommit> after;
        auto r = run_in_tx(*c, false, fn, after);
        {
            std::lock_guard lock(rmu_);
            idle_.push_back(std::move(c));
        }
        rcv_.notify_one();
        run_after_commit(*this, r, after);
        return r;
    }

    // One write transaction waiting for the writer: its function and where its result goes.
    struct Job {
        const std::function<Result<void>(Tx&)>* fn;
        std::promise<Result<void>> done;
        std::vector<Tx::AfterCommit> after;  // set before `done`, run by the waiting thread
    };

    // Group commit: the writer takes every transaction waiting (up to kBatch) and runs them
    // in one SQLite transaction, each inside its own savepoint, so one that fails is rolled
    // back alone; a single COMMIT (one fsync) makes the batch durable, and only then does any
    // of them get its answer. Run one after another on one connection, they see each other's
    // writes exactly as serial transactions would.
    void run_batch(std::vector<Job*>& batch) {
        if (batch.size() == 1) {
            auto* j = batch.front();
            j->done.set_value(run_in_tx(*writer_conn_, true, *j->fn, j->after));
            return;
        }
        auto& c = *writer_conn_;
        if (auto begun = c.exec_script("BEGIN IMMEDIATE"); !begun) {
            for (auto* j : batch) j->done.set_value(begun);
            return;
        }
        SqliteTx tx(c);
        std::vector<Result<void>> results;
        results.reserve(batch.size());
        for (auto* j : batch) {
            Result<void> r = c.exec_script("SAVEPOINT job");
            (void)tx.take_after_commit();  // the shared Tx: only this job's work from here
            if (r) {
                r = [&]() -> Result<void> {
                    try {
                        return (*j->fn)(tx);
                    } catch (const std::exception& e) {
                        return Error::internal(
                            std::string("exception in transaction: ") + e.what()
                        );
                    }
                }();
                if (!r) (void)c.exec_script("ROLLBACK TO job");
                (void)c.exec_script("RELEASE job");
            }
            if (r) j->after = tx.take_after_commit();
            results.push_back(std::move(r));
            if (sqlite3_get_autocommit(c.handle()) != 0) {
                // SQLite rolled the whole transaction back (an I/O error, a full disk): no job
                // of the batch is durable, whatever it answered.
                for (auto* b : batch)
                    b->done.set_value(Error::unavailable("the write batch was rolled back"));
                return;
            }
        }
        auto committed = c.exec_script("COMMIT");
        if (!committed) (void)c.exec_script("ROLLBACK");
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (!committed) batch[i]->after.clear();
            batch[i]->done.set_value(results[i] ? committed : std::move(results[i]));
        }
    }

    void writer_loop() {
        static constexpr std::size_t kBatch = 64;
        std::vector<Job*> batch;
        for (;;) {
            batch.clear();
            {
                std::unique_lock lock(wmu_);
                wcv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;  // stopping and drained
                while (!queue_.empty() && batch.size() < kBatch) {
                    batch.push_back(queue_.front());
                    queue_.pop_front();
                }
            }
            run_batch(batch);
        }
    }

    std::string path_;
    int readers_wanted_;
    std::unique_ptr<Connection> writer_conn_;
    std::thread writer_;
    std::mutex wmu_;
    std::condition_variable wcv_;
    std::deque<Job*> queue_;
    bool stopping_ = false;

    std::mutex rmu_;
    std::condition_variable rcv_;
    std::vector<std::unique_ptr<Connection>> idle_;
    int open_readers_ = 0;
};

Result<SchemaStatus> SqliteDatabase::schema_status() {
    return read_schema_status(*this, sqlite_migrations(), dialect_of(Backend::sqlite));
}

Result<SchemaStatus> SqliteDatabase::migrate() {
    return apply_migrations(*this, sqlite_migrations(), dialect_of(Backend::sqlite));
}

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(
    const std::string& path, const DatabaseOptions& options
) {
    // ":memory:" (unit tests): one private in-memory database that the writer and the readers
    // share; it lives as long as the writer's connection.
    static std::atomic<int> memories{0};
    const std::string file =
        path == ":memory:"
            ? "file:yoyaku-memory-" + std::to_string(++memories) + "?mode=memory&cache=shared"
            : path;
    auto db = std::make_unique<SqliteDatabase>(file, std::max(1, options.pool_size));
    YOYAKU_TRY(db->start());
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace yoyaku::storage

#include "storage/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "core/time.hpp"
#include "storage/migrations.hpp"

namespace yoyaku::storage {
namespace {

// The detail names the statement, the primary message and the rule broken, never the row's
// values (PostgreSQL's DETAIL line quotes them: personal data stays out of the logs).
Error pg_error(PGconn* conn, const PGresult* res, std::string_view what) {
    auto field = [&](int code) -> std::string_view {
        const char* v = res ? PQresultErrorField(res, code) : nullptr;
        return v ? v : "";
    };
    std::string msg(field(PG_DIAG_MESSAGE_PRIMARY));
    if (msg.empty()) msg = res ? PQresultErrorMessage(res) : (conn ? PQerrorMessage(conn) : "");
    if (msg.empty()) msg = "no connection";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    std::string detail = std::string(what) + ": " + msg;
    if (const auto rule = field(PG_DIAG_CONSTRAINT_NAME); !rule.empty())
        detail += " [" + std::string(field(PG_DIAG_TABLE_NAME)) + "." + std::string(rule) + "]";
    const std::string_view s = field(PG_DIAG_SQLSTATE);
    if (s == "23505") return Error{Errc::conflict, "already exists", {}, detail};
    if (s == "23P01") return Error{Errc::slot_taken, "no capacity left", {}, detail};
    // A broken storage rule is a bug: the domain validates first and names the field.
    if (s.starts_with("23") || s == "22P02" || s == "22001")
        return Error::internal("storage rule broken: " + detail);
    if (s == "40001" || s == "40P01" || s == "55P03" || s == "57014" || s.starts_with("08") ||
        s.starts_with("57P") || s == "53300" || (conn && PQstatus(conn) == CONNECTION_BAD))
        return Error::unavailable(detail);
    return Error::internal(detail);
}

bool is_retryable_conflict(const Error& e) {
    return e.code == Errc::unavailable &&
           (e.detail.find("could not serialize") != std::string::npos ||
            e.detail.find("deadlock detected") != std::string::npos);
}

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Blob parameters are declared bytea (otherwise an untyped parameter is inferred as text and
// refuses arbitrary bytes); every other type is left to the server to infer from context.
std::vector<Oid> parameter_types(std::span<const Value> params) {
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i)
        if (std::holds_alternative<Blob>(params[i])) types[i] = 17;  // BYTEAOID
    return types;
}

class PgConnection {
public:
    PgConnection(PGconn* c, bool prepare) : c_(c), prepare_(prepare) {}
    ~PgConnection() { PQfinish(c_); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    PGconn* handle() { return c_; }
    bool broken() const { return PQstatus(c_) == CONNECTION_BAD; }

    Result<void> exec_script(const std::string& sql) {
        PgResult r(PQexec(c_, sql.c_str()));
        auto st = PQresultStatus(r.get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_error(c_, r.get(), "exec");
        return {};
    }

    /// false: every statement is parsed anew, unnamed (PgBouncer in transaction pooling mode
    /// hands each transaction any server connection: a statement prepared on one is unknown to
    /// the next).
    bool prepares() const { return prepare_; }

    // Returns the name of a prepared statement for `sql`, preparing it on first use.
    Result<const std::string*> prepared(std::string_view sql, std::span<const Value> params) {
        std::string key(sql);
        const auto types = parameter_types(params);
        if (std::any_of(types.begin(), types.end(), [](Oid t) { return t != 0; })) {
            key.push_back('\0');
            for (auto t : types) key.push_back(t ? 'b' : '-');
        }
        auto it = names_.find(key);
        if (it != names_.end()) return &it->second;
        std::string name = "y" + std::to_string(names_.size());
        std::string text(sql);
        PgResult r(
            PQprepare(c_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data())
        );
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return pg_error(c_, r.get(), "prepare");
        auto [pos, _] = names_.emplace(std::move(key), std::move(name));
        return &pos->second;
    }

private:
    PGconn* c_;
    bool prepare_;
    std::unordered_map<std::string, std::string> names_;
};

Value column_value(const PGresult* r, int row, int col) {
    if (PQgetisnull(r, row, col)) return std::monostate{};
    const char* v = PQgetvalue(r, row, col);
    auto len = static_cast<std::size_t>(PQgetlength(r, row, col));
    switch (PQftype(r, col)) {
        case 16:
            return std::int64_t{v[0] == 't' ? 1 : 0};  // bool
        case 20:
        case 21:
        case 23: {  // int8, int2, int4
            std::int64_t x = 0;
            std::from_chars(v, v + len, x);
            return x;
        }
        case 700:
        case 701:
        case 1700:
            return std::strtod(v, nullptr);  // float4, float8, numeric
        case 17: {                           // bytea, text format "\x..."
            std::size_t n = 0;
            unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
            Blob b{std::string(reinterpret_cast<char*>(raw), n)};
            PQfreemem(raw);
            return b;
        }
        default:
            return std::string(v, len);
    }
}

class PgTx final : public Tx {
public:
    explicit PgTx(PgConnection& c) : c_(c) {}
    using Tx::exec;
    using Tx::query;

    Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override {
        YOYAKU_TRY_ASSIGN(auto r, run(sql, params));
        const PGresult* res = r.get();
        std::vector<Row> rows;
        int n = PQntuples(res), m = PQnfields(res);
        auto names = std::make_shared<Columns>();
        names->reserve(static_cast<std::size_t>(m));
        for (int j = 0; j < m; ++j) names->emplace_back(PQfname(res, j));
        rows.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            std::vector<Value> cols;
            cols.reserve(static_cast<std::size_t>(m));
            for (int j = 0; j < m; ++j) cols.push_back(column_value(res, i, j));
            rows.emplace_back(std::move(cols), names);
        }
        return rows;
    }
    Result<std::int64_t> exec(std::string_view sql, std::span<const Value> params) override {
        YOYAKU_TRY_ASSIGN(auto r, run(sql, params));
        const char* n = PQcmdTuples(r.get());
        return static_cast<std::int64_t>(n && *n ? std::atoll(n) : 0);
    }
    Backend backend() const noexcept override { return Backend::postgres; }
    Result<void> exec_script(std::string_view sql) override {
        return c_.exec_script(std::string(sql));
    }
    Result<void> enter_scope(TenantId tenant) override {
        YOYAKU_TRY(
            query("SELECT set_config('app.tenant_id', $1, true)", std::to_string(tenant.value))
        );
        return {};
    }

private:
    Result<PgResult> run(std::string_view sql, std::span<const Value> params) {
        const auto n = params.size();
        std::vector<std::string> text(n);
        std::vector<const char*> values(n);
        std::vector<int> lengths(n), formats(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        values[i] = nullptr;
                    } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
                        text[i] = std::to_string(v);
                        values[i] = text[i].c_str();
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        values[i] = v.c_str();
                    } else {  // Blob: binary format
                        values[i] = v.bytes.data();
                        lengths[i] = static_cast<int>(v.bytes.size());
                        formats[i] = 1;
                    }
                },
                params[i]
            );
        }
        PgResult r;
        if (c_.prepares()) {
            YOYAKU_TRY_ASSIGN(auto name, c_.prepared(sql, params));
            r.reset(PQexecPrepared(
                c_.handle(),
                name->c_str(),
                static_cast<int>(n),
                values.data(),
                lengths.data(),
                formats.data(),
                0
            ));
        } else {
            const std::string statement(sql);
            const auto types = parameter_types(params);
            r.reset(PQexecParams(
                c_.handle(),
                statement.c_str(),
                static_cast<int>(n),
                types.data(),
                values.data(),
                lengths.data(),
                formats.data(),
                0
            ));
        }
        auto st = PQresultStatus(r.get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
            return pg_error(c_.handle(), r.get(), "query");
        return r;
    }

    PgConnection& c_;
};

class PgDatabase final : public Database {
public:
    explicit PgDatabase(DatabaseOptions o) : opts_(std::move(o)) {}

    Backend backend() const noexcept override { return Backend::postgres; }

    Result<void> transact(
        Access access, std::optional<TenantScope> scope, const std::function<Result<void>(Tx&)>& fn
    ) override {
        for (int attempt = 0;; ++attempt) {
            auto r = once(access, scope, fn);
            if (r || attempt >= 2 || !is_retryable_conflict(r.error())) return r;
        }
    }

    Result<void> ping() override {
        return transact(Access::read, std::nullopt, [](Tx& tx) -> Result<void> {
            YOYAKU_TRY(tx.query("SELECT 1"));
            return {};
        });
    }

    Result<SchemaStatus> schema_status() override {
        return read_schema_status(*this, postgres_migrations(), dialect_of(Backend::postgres));
    }

    PoolStats pool_stats() override {
        std::lock_guard g(mu_);
        return PoolStats{open_, static_cast<int>(idle_.size()), opts_.pool_size, 0};
    }

    Result<SchemaStatus> migrate() override {
        return apply_migrations(*this, postgres_migrations(), dialect_of(Backend::postgres));
    }

private:
    struct Lease {
        std::unique_ptr<PgConnection> conn;
    };

    Result<Lease> acquire() {
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, std::chrono::seconds(opts_.connect_timeout_s + 2), [&] {
                return !idle_.empty() || open_ < opts_.pool_size;
            }))
            return Error::unavailable("connection pool exhausted");
        if (!idle_.empty()) {
            Lease l{std::move(idle_.back())};
            idle_.pop_back();
            return l;
        }
        ++open_;
        lock.unlock();
        auto timeout = std::to_string(opts_.connect_timeout_s);
        // Keywords before dbname are defaults the URL may override.
        const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
        const char* vals[] = {timeout.c_str(), "yoyaku", opts_.url.c_str(), nullptr};
        PGconn* c = PQconnectdbParams(keys, vals, 1);
        if (PQstatus(c) != CONNECTION_OK) {
            Error e = Error::unavailable(std::string("connect: ") + PQerrorMessage(c));
            PQfinish(c);
            std::lock_guard g(mu_);
            --open_;
            cv_.notify_one();
            return e;
        }
        // Server notices ("… already exists, skipping") are not errors; keep them out of stderr.
        PQsetNoticeProcessor(
            c, [](void*, const char*) {}, nullptr
        );
        return Lease{std::make_unique<PgConnection>(c, opts_.prepared_statements)};
    }

    void release(Lease l) {
        std::lock_guard g(mu_);
        if (l.conn->broken() || PQtransactionStatus(l.conn->handle()) != PQTRANS_IDLE) {
            --open_;  // drop it; the next acquire opens a fresh one
        } else {
            idle_.push_back(std::move(l.conn));
        }
        cv_.notify_one();
    }

    Result<void> once(
        Access access, std::optional<TenantScope> scope, const std::function<Result<void>(Tx&)>& fn
    ) {
        YOYAKU_TRY_ASSIGN(auto lease, acquire());
        std::vector<Tx::AfterCommit> after;
        auto r = in_tx(*lease.conn, access, scope, fn, after);
        release(std::move(lease));  // first: the work after commit may need a connection
        if (r)
            for (auto& work : after) work(*this);
        return r;
    }

    static Result<void> in_tx(
        PgConnection& c,
        Access access,
        std::optional<TenantScope> scope,
        const std::function<Result<void>(Tx&)>& fn,
        std::vector<Tx::AfterCommit>& after
    ) {
        YOYAKU_TRY(c.exec_script(access == Access::read ? "BEGIN READ ONLY" : "BEGIN"));
        PgTx tx(c);
        Result<void> r = [&]() -> Result<void> {
            if (scope) YOYAKU_TRY(tx.enter_scope(scope->tenant_id()));
            try {
                return fn(tx);
            } catch (const std::exception& e) {
                return Error::internal(std::string("exception in transaction: ") + e.what());
            }
        }();
        if (!r) {
            if (!c.broken()) (void)c.exec_script("ROLLBACK");
            return r;
        }
        YOYAKU_TRY(c.exec_script("COMMIT"));
        after = tx.take_after_commit();
        return {};
    }

    DatabaseOptions opts_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    int open_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const DatabaseOptions& options) {
    auto db = std::make_unique<PgDatabase>(options);
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace yoyaku::storage

#include "storage/postgres/pg_backup.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <random>

#include "storage/tool.hpp"

extern char** environ;

namespace yoyaku::storage::pg {
namespace fs = std::filesystem;
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

Error down(std::string message) {
    return Error{Errc::unavailable, std::move(message), {}, {}};
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

class Conn {
public:
    static Result<Conn> open(const std::string& url) {
        Conn c(PQconnectdb(url.c_str()));
        if (PQstatus(c.c_.get()) != CONNECTION_OK)
            return down("cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(c.c_.get())));
        return c;
    }
    Result<Rows> query(const std::string& sql, const std::vector<std::string>& params = {}) {
        std::vector<const char*> values;
        for (const auto& p : params) values.push_back(p.c_str());
        std::unique_ptr<PGresult, decltype(&PQclear)> r(
            PQexecParams(
                c_.get(),
                sql.c_str(),
                static_cast<int>(values.size()),
                nullptr,
                values.data(),
                nullptr,
                nullptr,
                0
            ),
            &PQclear
        );
        const auto st = PQresultStatus(r.get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
            return down("PostgreSQL: " + trimmed(PQresultErrorMessage(r.get())));
        Rows rows;
        for (int i = 0; i < PQntuples(r.get()); ++i) {
            auto& row = rows.emplace_back();
            for (int j = 0; j < PQnfields(r.get()); ++j)
                row.push_back(
                    PQgetisnull(r.get(), i, j)
                        ? std::nullopt
                        : std::optional<std::string>(PQgetvalue(r.get(), i, j))
                );
        }
        return rows;
    }
    std::string identifier(std::string_view name) {
        char* q = PQescapeIdentifier(c_.get(), name.data(), name.size());
        std::string out = q ? q : "";
        PQfreemem(q);
        return out;
    }
    std::string database() const { return PQdb(c_.get()); }

private:
    explicit Conn(PGconn* c) : c_(c, &PQfinish) {}
    std::unique_ptr<PGconn, decltype(&PQfinish)> c_;
};

// One connection parameter given in a URL, with libpq's environment variable for it (if any).
struct Parameter {
    std::string keyword, envvar, value;
};

Result<std::vector<Parameter>> parameters(const std::string& url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
        std::string why = err ? trimmed(err) : "out of memory";
        PQfreemem(err);
        return Error::invalid("database.url", "not a PostgreSQL connection URL: " + why);
    }
    std::vector<Parameter> out;
    for (auto* o = opts; o->keyword; ++o)
        if (o->val && *o->val) out.push_back({o->keyword, o->envvar ? o->envvar : "", o->val});
    PQconninfoFree(opts);
    return out;
}

// The environment the tools connect with: ours without any PG* variable, then the URL's
// parameters as libpq's variables (PGHOST, PGPASSWORD…).
Result<std::vector<std::string>> tool_environment(const std::string& url) {
    YOYAKU_TRY_ASSIGN(auto given, parameters(url));
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "PG", 2) != 0) env.emplace_back(*e);
    for (const auto& p : given)
        if (!p.envvar.empty()) env.push_back(p.envvar + "=" + p.value);
    return env;
}

// A conninfo string naming only the database: everything else comes from the environment.
std::string dbname_conninfo(const std::string& db) {
    std::string out = "dbname='";
    for (char ch : db) {
        if (ch == '\'' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "'";
}

// Runs a PostgreSQL tool with `env`; its standard error is the message of a failure.
Result<void> run_pg_tool(
    const std::vector<std::string>& args, const std::vector<std::string>& env
) {
    YOYAKU_TRY(run_tool(args, env, false, "apt-get install postgresql-client-15"));
    return {};
}

Result<SchemaFacts> describe_on(Conn& c, std::string_view schema) {
    SchemaFacts f;
    f.schema = std::string(schema);
    YOYAKU_TRY_ASSIGN(
        auto tables,
        c.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename COLLATE \"C\"",
            {f.schema}
        )
    );
    const auto ns = c.identifier(schema);
    for (const auto& t : tables) {
        const auto& name = *t[0];
        YOYAKU_TRY_ASSIGN(auto n, c.query("SELECT count(*) FROM " + ns + "." + c.identifier(name)));
        f.row_counts.emplace_back(name, std::stoll(*n.front()[0]));
        if (name == "schema_migrations") {
            YOYAKU_TRY_ASSIGN(
                auto v,
                c.query("SELECT coalesce(max(version), 0) FROM " + ns + ".schema_migrations")
            );
            f.schema_version = std::stoll(*v.front()[0]);
        }
    }
    return f;
}

std::string percent_encoded(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += static_cast<char>(ch);
        } else {
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

}  // namespace

Result<SchemaFacts> dump(const std::string& url, const fs::path& file, std::string_view field) {
    YOYAKU_TRY_ASSIGN(auto env, tool_environment(url));
    YOYAKU_TRY_ASSIGN(auto c, Conn::open(url));
    YOYAKU_TRY_ASSIGN(
        auto role,
        c.query(
            "SELECT rolsuper OR rolbypassrls, current_user FROM pg_roles WHERE rolname = current_user"
        )
    );
    if (role.empty() || *role.front()[0] != "t")
        return Error{
            Errc::unprocessable,
            "the role " + (role.empty() ? std::string("of the URL") : *role.front()[1]) +
                " cannot read past row-level security: back up with a role that has BYPASSRLS "
                "(" +
                std::string(field) + ")",
            std::string(field),
            {}};
    // One snapshot for the counts and for pg_dump, held open while it runs.
    YOYAKU_TRY_ASSIGN(auto begun, c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    YOYAKU_TRY_ASSIGN(auto snap, c.query("SELECT current_schema(), pg_export_snapshot()"));
    if (!snap.front()[0])
        return Error{
            Errc::unprocessable,
            "the URL's search path names no schema that exists",
            std::string(field),
            {}};
    const std::string schema = *snap.front()[0];
    YOYAKU_TRY_ASSIGN(auto facts, describe_on(c, schema));
    std::string pattern = "\"";
    for (char ch : schema) pattern += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    pattern += "\"";
    YOYAKU_TRY(run_pg_tool(
        {"pg_dump",
         "--format=custom",
         "--no-password",
         "--snapshot=" + *snap.front()[1],
         "--schema=" + pattern,
         "--file=" + file.string(),
         "--dbname=" + dbname_conninfo(c.database())},
        env
    ));
    YOYAKU_TRY_ASSIGN(auto done, c.query("COMMIT"));
    return facts;
}

Result<SchemaFacts> describe(const std::string& url, std::string_view schema) {
    YOYAKU_TRY_ASSIGN(auto c, Conn::open(url));
    return describe_on(c, schema);
}

Result<void> restore(const std::string& url, const fs::path& file, bool keep_owners) {
    YOYAKU_TRY_ASSIGN(auto env, tool_environment(url));
    YOYAKU_TRY_ASSIGN(auto c, Conn::open(url));
    // --clean drops what the dump makes (the schema too) before making it again: the target
    // holds no table of it unless the operator said to replace them.
    std::vector<std::string> args{
        "pg_restore",
        "--no-password",
        "--exit-on-error",
        "--single-transaction",
        "--clean",
        "--if-exists",
        "--dbname=" + dbname_conninfo(c.database())};
    if (!keep_owners) args.push_back("--no-owner");
    args.push_back(file.string());
    if (auto r = run_pg_tool(args, env); !r)
        return Error{Errc::unprocessable, r.error().message + " (nothing was restored)", "in", {}};
    return {};
}

Result<ScratchDatabase> ScratchDatabase::create(const std::string& url) {
    auto c = Conn::open(url);
    if (!c) return fail(std::move(c).error());
    std::random_device rd;
    const std::string name = "yoyaku_scratch_" + std::to_string(rd()) + std::to_string(rd());
    auto made = c->query("CREATE DATABASE " + c->identifier(name));
    if (!made)
        return Error{
            Errc::unavailable,
            "cannot create a scratch database to verify in (the role needs CREATEDB): " +
                made.error().message,
            {},
            {}};
    return ScratchDatabase(url, name);
}

ScratchDatabase::ScratchDatabase(ScratchDatabase&& other) noexcept
    : server_url_(std::move(other.server_url_)), name_(std::move(other.name_)) {
    other.name_.clear();
}

ScratchDatabase::~ScratchDatabase() {
    if (name_.empty()) return;
    if (auto c = Conn::open(server_url_))
        (void)c->query("DROP DATABASE IF EXISTS " + c->identifier(name_) + " WITH (FORCE)");
}

std::string ScratchDatabase::url(std::string_view schema) const {
    std::string out = "postgresql:///" + percent_encoded(name_) + "?";
    std::string options;
    if (auto ps = parameters(server_url_))
        for (const auto& p : *ps) {
            if (p.keyword == "dbname") continue;
            if (p.keyword == "options") {
                options = p.value + " ";
                continue;
            }
            out += p.keyword + "=" + percent_encoded(p.value) + "&";
        }
    return out + "options=" + percent_encoded(options + "-csearch_path=" + std::string(schema));
}

}  // namespace yoyaku::storage::pg

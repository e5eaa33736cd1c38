// yoyaku: the one binary. serve, migrate, version, and the operator commands.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "app/config.hpp"
#include "app/doctor.hpp"
#include "app/platform.hpp"
#include "cli/backup_commands.hpp"
#include "cli/operator_commands.hpp"
#include "crypto/random.hpp"

extern char** environ;

namespace {

std::vector<std::string> environment() {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    return env;
}

// The options every command that touches a platform's data takes.
void add_data_options(CLI::App* cmd, yoyaku::app::Overrides& o) {
    cmd->add_option("--data", o.data_dir, "data directory (default ./data)");
    cmd->add_option(
        "--database-url",
        o.database_url,
        "sqlite:<path> or postgresql://... (default: SQLite in the data directory)"
    );
    cmd->add_option("--config", o.config_file, "TOML configuration file")->check(CLI::ExistingFile);
}

int config_error(const yoyaku::Error& e) {
    std::cerr << "configuration error: " << (e.field.empty() ? "" : e.field + ": ") << e.message
              << "\n";
    return 2;
}

using yoyaku::app::Config;

// What the command line chose: the command to run (with or without the configuration) and
// the arguments its options fill.
struct Commands {
    yoyaku::app::Overrides o;
    std::function<int(const Config&)> run;
    std::function<int()> run_alone;  ///< a command that needs no configuration
    bool demo = false;
    bool no_migrate = false;
    yoyaku::cli::TenantArgs tenant;
    yoyaku::cli::OperatorArgs op;
    std::string audit_tenant, audit_checkpoints;
    yoyaku::cli::BackupArgs backup;
    bool retention_dry_run = false;
    yoyaku::cli::KeysArgs keys;
};

// `cmd` runs `fn` with the configuration when it is the command chosen.
CLI::App* runs(CLI::App* cmd, Commands& c, std::function<int(const Config&)> fn) {
    cmd->callback([&c, fn = std::move(fn)] { c.run = fn; });
    return cmd;
}

void add_server_commands(CLI::App& cli, Commands& c) {
    auto* serve = runs(cli.add_subcommand("serve", "run the HTTP server"), c, [&c](auto& cfg) {
        return yoyaku::app::serve(cfg, c.demo, !c.no_migrate);
    });
    add_data_options(serve, c.o);
    serve->add_option("--listen", c.o.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
    serve->add_flag(
        "--dev", c.o.dev, "development mode: warn about insecure settings instead of refusing"
    );
    serve->add_flag("--demo", c.demo, "create the demo tenant if it is missing");
    serve->add_flag(
        "--no-migrate",
        c.no_migrate,
        "apply no migration (rolling upgrades: run yoyaku migrate first); refuse a schema this "
        "binary cannot serve"
    );
    auto* migrate = runs(
        cli.add_subcommand("migrate", "apply pending database migrations and exit"),
        c,
        [](const Config& cfg) {
            auto status = yoyaku::app::migrate(cfg);
            if (!status) {
                std::cerr << "migrate failed: " << status.error().message << " ("
                          << status.error().detail << ")\n";
                return 1;
            }
            std::cout << "schema at version " << status->current << " of " << status->latest
                      << "\n";
            return 0;
        }
    );
    add_data_options(migrate, c.o);
    auto* doctor = runs(
        cli.add_subcommand(
            "doctor",
            "check the installation: configuration, permissions, keys, database, TLS, clock, "
            "backups, disk; exit 0 ok, 1 warnings, 2 failures"
        ),
        c,
        [](const Config& cfg) {
            const auto findings = yoyaku::app::doctor(cfg, yoyaku::SystemClock().now());
            for (const auto& f : findings) {
                using yoyaku::app::Verdict;
                const char* mark = f.verdict == Verdict::ok     ? "ok  "
                                   : f.verdict == Verdict::warn ? "WARN"
                                                                : "FAIL";
                std::cout << mark << "  " << f.check << ": " << f.detail;
                if (!f.fix.empty()) std::cout << "\n      fix: " << f.fix;
                std::cout << "\n";
            }
            const int code = yoyaku::app::exit_code(findings);
            std::cout << (code == 0   ? "all checks passed"
                          : code == 1 ? "warnings"
                                      : "failures")
                      << "\n";
            return code;
        }
    );
    add_data_options(doctor, c.o);
    cli.add_subcommand("version", "print the version")->callback([&c] {
        c.run_alone = [] {
            std::cout << "yoyaku " << YOYAKU_VERSION << "\n";
            return 0;
        };
    });
    auto* challenge = cli.add_subcommand("challenge", "proof-of-work challenges");
    challenge->require_subcommand(1);
    challenge
        ->add_subcommand(
            "solve",
            "read a challenge (GET /api/v1/challenge) on stdin, print the answer for the altcha "
            "field"
        )
        ->callback([&c] {
            c.run_alone = [] { return yoyaku::cli::challenge_solve(std::cin, std::cout); };
        });
}

void add_tenant_commands(CLI::App& cli, Commands& c) {
    auto& t = c.tenant;
    auto* tenant = cli.add_subcommand("tenant", "manage tenants");
    tenant->require_subcommand(1);
    auto* create = runs(tenant->add_subcommand("create", "create a tenant"), c, [&t](auto& cfg) {
        return yoyaku::cli::tenant_create(cfg, t);
    });
    add_data_options(create, c.o);
    create->add_option("--code", t.code, "short unique code used in its URL (a-z, 0-9, -)")
        ->required();
    create->add_option("--name", t.name, "display name")->required();
    create->add_option("--time-zone", t.time_zone, "IANA time zone (default Asia/Tokyo)");
    create->add_option("--locale", t.locale, "ja or en (default ja)");
    create->add_option("--manager-email", t.manager_email, "the first manager's email")->required();
    create->add_option("--manager-name", t.manager_name, "the first manager's name");
    create->add_flag(
        "--password-stdin",
        t.password_stdin,
        "read the manager's password from stdin instead of printing a set-up link"
    );
    add_data_options(
        runs(
            tenant->add_subcommand("list", "list tenants: id, code, status, zone, locale, name"),
            c,
            [](auto& cfg) { return yoyaku::cli::tenant_list(cfg); }
        ),
        c.o
    );
    for (auto [verb, to] :
         {std::pair{"suspend", "suspended"},
          {"reactivate", "active"},
          {"terminate", "terminated"}}) {
        auto* cmd = runs(
            tenant->add_subcommand(verb, std::string(verb) + " a tenant (audited, with a reason)"),
            c,
            [&c, to = std::string(to)](auto& cfg) {
                return yoyaku::cli::tenant_status(cfg, c.tenant, to);
            }
        );
        add_data_options(cmd, c.o);
        cmd->add_option("--code", t.code, "the tenant's code")->required();
        cmd->add_option("--reason", t.reason, "why (recorded in the tenant's audit log)")
            ->required();
    }
}

void add_operator_and_audit_commands(CLI::App& cli, Commands& c) {
    auto* op = cli.add_subcommand("operator", "platform operators");
    op->require_subcommand(1);
    auto* create =
        runs(op->add_subcommand("create", "create an operator account"), c, [&c](auto& cfg) {
            return yoyaku::cli::operator_create(cfg, c.op);
        });
    add_data_options(create, c.o);
    create->add_option("--email", c.op.email, "the operator's email")->required();
    create->add_option("--name", c.op.name, "display name");
    create->add_flag(
        "--password-stdin",
        c.op.password_stdin,
        "read the password from stdin instead of printing a set-up link"
    );
    auto* audit = cli.add_subcommand("audit", "the audit log");
    audit->require_subcommand(1);
    auto* verify = runs(
        audit->add_subcommand("verify", "check every audit hash chain; names the first bad entry"),
        c,
        [&c](auto& cfg) {
            return yoyaku::cli::audit_verify(cfg, c.audit_tenant, c.audit_checkpoints);
        }
    );
    add_data_options(verify, c.o);
    verify->add_option("--tenant", c.audit_tenant, "only this tenant's chain (by code)");
    verify->add_option(
        "--checkpoints",
        c.audit_checkpoints,
        "also compare the chains with the signed checkpoints in this directory"
    );
}

void add_backup_commands(CLI::App& cli, Commands& c) {
    auto& b = c.backup;
    auto* backup = cli.add_subcommand(
        "backup", "encrypted backups: create, list, verify, restore; restore points"
    );
    backup->require_subcommand(1);
    const auto sub = [&](const char* name, const char* what, auto fn) {
        auto* cmd =
            runs(backup->add_subcommand(name, what), c, [&b, fn](auto& cfg) { return fn(cfg, b); });
        add_data_options(cmd, c.o);
        return cmd;
    };
    sub("create", "back up the database into a directory", yoyaku::cli::backup_create)
        ->add_option("--out", b.out, "backup directory, away from the data")
        ->required();
    sub("list", "list the backups in a directory, newest first", yoyaku::cli::backup_list)
        ->add_option("--out", b.out, "backup directory")
        ->required();
    sub("verify",
        "open a backup, restore it into a scratch database and check it",
        yoyaku::cli::backup_verify)
        ->add_option("--in", b.in, "backup file")
        ->required()
        ->check(CLI::ExistingFile);
    auto* restore =
        sub("restore",
            "restore a backup as the database of --data/--database-url, or PostgreSQL to a moment "
            "with pgBackRest (stop serve first)",
            yoyaku::cli::backup_restore);
    auto* in = restore->add_option("--in", b.in, "backup file")->check(CLI::ExistingFile);
    auto* from = restore
                     ->add_option(
                         "--points",
                         b.points,
                         "restore points' directory (SQLite): the newest point at or before --at"
                     )
                     ->check(CLI::ExistingDirectory);
    in->excludes(from);
    // PostgreSQL: pgBackRest's repository (docs/operations/pitr-postgresql.md), run on the
    // database server as the cluster's owner.
    const auto pgbackrest = [&b](CLI::App* cmd, CLI::Option* other) {
        auto* stanza = cmd->add_option(
            "--stanza", b.stanza, "PostgreSQL: the pgBackRest stanza (its repository) instead"
        );
        cmd->add_option("--pgbackrest-config", b.pgbackrest_config, "pgbackrest.conf to use")
            ->check(CLI::ExistingFile)
            ->needs(stanza);
        stanza->excludes(other);
        return stanza;
    };
    auto* stanza = pgbackrest(restore, from);
    stanza->excludes(in);
    restore->add_option(
        "--at", b.at, "with --points or --stanza: a time (RFC 3339); default now / all archived"
    );
    restore->add_flag("--force", b.force, "replace a database that has data");
    auto* point =
        sub("point",
            "take a restore point of the SQLite database into a directory (blocks shared "
            "between points), or a pgBackRest backup of PostgreSQL",
            yoyaku::cli::backup_point);
    pgbackrest(
        point, point->add_option("--out", b.out, "restore points' directory, away from the data")
    );
    point->add_option("--type", b.type, "with --stanza: full, diff or incr (default incr)")
        ->check(CLI::IsMember({"full", "diff", "incr"}));
    auto* points =
        sub("points",
            "list the restore points in a directory, or what a pgBackRest repository "
            "restores to, newest first",
            yoyaku::cli::backup_points);
    pgbackrest(points, points->add_option("--out", b.out, "restore points' directory"));
    auto* prune =
        sub("prune",
            "delete backups beyond the newest --keep that are older than --keep-days",
            yoyaku::cli::backup_prune);
    prune->add_option("--out", b.out, "backup directory")->required();
    prune->add_option("--keep", b.keep, "generations always kept (default 8)")
        ->check(CLI::Range(1, 1000));
    prune->add_option("--keep-days", b.keep_days, "days always kept (default 30)")
        ->check(CLI::Range(1, 3650));
    prune->add_flag("--dry-run", b.dry_run, "only say what would be deleted");
}

void add_retention_and_key_commands(CLI::App& cli, Commands& c) {
    auto* retention = cli.add_subcommand("retention", "delete what the retention rules say");
    retention->require_subcommand(1);
    auto* run = runs(
        retention->add_subcommand(
            "run",
            "purge terminated tenants (day 30), destroy their keys (day 37), delete audit entries "
            "after 183 days, access logs after 31, expired sessions and tokens, finished jobs"
        ),
        c,
        [&c](auto& cfg) { return yoyaku::cli::retention_run(cfg, c.retention_dry_run); }
    );
    add_data_options(run, c.o);
    run->add_flag("--dry-run", c.retention_dry_run, "only say what would be deleted");

    auto& k = c.keys;
    auto* keys = cli.add_subcommand("keys", "the master key and the tenants' keys");
    keys->require_subcommand(1);
    auto* rotate = runs(
        keys->add_subcommand(
            "rotate",
            "make a new master key, keep the old one in retired/ (older backups), re-wrap every "
            "tenant key; then give every tenant a new data key and re-encrypt its data under it "
            "while servers keep running (they follow without a restart)"
        ),
        c,
        [&k](auto& cfg) { return yoyaku::cli::keys_rotate(cfg, k); }
    );
    add_data_options(rotate, c.o);
    auto* master = rotate->add_flag(
        "--master-only", k.master_only, "only the master key: re-wrap, re-encrypt nothing"
    );
    rotate
        ->add_option(
            "--tenant", k.tenant, "only this tenant's data key (its code, or \"platform\")"
        )
        ->excludes(master);
    rotate
        ->add_flag(
            "--resume",
            k.resume,
            "no new key: finish re-encrypting what an interrupted rotation left"
        )
        ->excludes(master);
    rotate
        ->add_flag(
            "--drop-old",
            k.drop_old,
            "then drop the older data keys (backups made before no longer open for those tenants)"
        )
        ->excludes(master);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Yoyaku (予約): a multi-tenant reservation platform"};
    cli.require_subcommand(1);
    Commands c;
    add_server_commands(cli, c);
    add_tenant_commands(cli, c);
    add_operator_and_audit_commands(cli, c);
    add_backup_commands(cli, c);
    add_retention_and_key_commands(cli, c);
    CLI11_PARSE(cli, argc, argv);
    try {
        yoyaku::crypto::init();
        if (c.run_alone) return c.run_alone();
        auto config = yoyaku::app::load_config(c.o, environment());
        if (!config) return config_error(config.error());
        yoyaku::app::init_logging(*config);
        return c.run(*config);
    } catch (const std::exception& e) {
        std::cerr << "fatal: " << e.what() << "\n";
        return 1;
    }
}

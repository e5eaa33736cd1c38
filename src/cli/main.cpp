// yoyaku: the one binary. serve, migrate, version, and the operator commands.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/config.hpp"
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

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Yoyaku (予約): a multi-tenant reservation platform"};
    cli.require_subcommand(1);
    yoyaku::app::Overrides o;
    bool demo = false;

    auto* serve = cli.add_subcommand("serve", "run the HTTP server");
    add_data_options(serve, o);
    serve->add_option("--listen", o.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
    serve->add_flag(
        "--dev", o.dev, "development mode: warn about insecure settings instead of refusing"
    );
    serve->add_flag("--demo", demo, "create the demo tenant if it is missing");

    auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations and exit");
    add_data_options(migrate, o);

    cli.add_subcommand("version", "print the version");

    yoyaku::cli::TenantArgs targs;
    auto* tenant = cli.add_subcommand("tenant", "manage tenants");
    tenant->require_subcommand(1);
    auto* tcreate = tenant->add_subcommand("create", "create a tenant");
    add_data_options(tcreate, o);
    tcreate->add_option("--code", targs.code, "short unique code used in its URL (a-z, 0-9, -)")
        ->required();
    tcreate->add_option("--name", targs.name, "display name")->required();
    tcreate->add_option("--time-zone", targs.time_zone, "IANA time zone (default Asia/Tokyo)");
    tcreate->add_option("--locale", targs.locale, "ja or en (default ja)");
    tcreate->add_option("--manager-email", targs.manager_email, "the first manager's email")
        ->required();
    tcreate->add_option("--manager-name", targs.manager_name, "the first manager's name");
    tcreate->add_flag(
        "--password-stdin",
        targs.password_stdin,
        "read the manager's password from stdin instead of printing a set-up link"
    );
    auto* tlist =
        tenant->add_subcommand("list", "list tenants: id, code, status, zone, locale, name");
    add_data_options(tlist, o);
    std::string status_to;
    for (auto [verb, to] :
         {std::pair{"suspend", "suspended"},
          {"reactivate", "active"},
          {"terminate", "terminated"}}) {
        auto* cmd =
            tenant->add_subcommand(verb, std::string(verb) + " a tenant (audited, with a reason)");
        add_data_options(cmd, o);
        cmd->add_option("--code", targs.code, "the tenant's code")->required();
        cmd->add_option("--reason", targs.reason, "why (recorded in the tenant's audit log)")
            ->required();
        cmd->callback([&status_to, to = std::string(to)] { status_to = to; });
    }

    yoyaku::cli::OperatorArgs oargs;
    auto* op = cli.add_subcommand("operator", "platform operators");
    op->require_subcommand(1);
    auto* ocreate = op->add_subcommand("create", "create an operator account");
    add_data_options(ocreate, o);
    ocreate->add_option("--email", oargs.email, "the operator's email")->required();
    ocreate->add_option("--name", oargs.name, "display name");
    ocreate->add_flag(
        "--password-stdin",
        oargs.password_stdin,
        "read the password from stdin instead of printing a set-up link"
    );

    std::string audit_tenant, audit_checkpoints;
    auto* audit = cli.add_subcommand("audit", "the audit log");
    audit->require_subcommand(1);
    auto* verify =
        audit->add_subcommand("verify", "check every audit hash chain; names the first bad entry");
    add_data_options(verify, o);
    verify->add_option("--tenant", audit_tenant, "only this tenant's chain (by code)");
    verify->add_option(
        "--checkpoints",
        audit_checkpoints,
        "also compare the chains with the signed checkpoints in this directory"
    );

    yoyaku::cli::BackupArgs bargs;
    auto* backup = cli.add_subcommand("backup", "encrypted backups: create, list, verify, restore");
    backup->require_subcommand(1);
    auto* bcreate = backup->add_subcommand("create", "back up the database into a directory");
    add_data_options(bcreate, o);
    bcreate->add_option("--out", bargs.out, "backup directory, away from the data")->required();
    auto* blist = backup->add_subcommand("list", "list the backups in a directory, newest first");
    add_data_options(blist, o);
    blist->add_option("--out", bargs.out, "backup directory")->required();
    auto* bverify = backup->add_subcommand(
        "verify", "open a backup, restore it into a scratch database and check it"
    );
    add_data_options(bverify, o);
    bverify->add_option("--in", bargs.in, "backup file")->required()->check(CLI::ExistingFile);
    auto* brestore = backup->add_subcommand(
        "restore", "restore a backup as the database of --data/--database-url (stop serve first)"
    );
    add_data_options(brestore, o);
    brestore->add_option("--in", bargs.in, "backup file")->required()->check(CLI::ExistingFile);
    brestore->add_flag("--force", bargs.force, "replace a database that has data");
    auto* bprune = backup->add_subcommand(
        "prune", "delete backups beyond the newest --keep that are older than --keep-days"
    );
    add_data_options(bprune, o);
    bprune->add_option("--out", bargs.out, "backup directory")->required();
    bprune->add_option("--keep", bargs.keep, "generations always kept (default 8)")
        ->check(CLI::Range(1, 1000));
    bprune->add_option("--keep-days", bargs.keep_days, "days always kept (default 30)")
        ->check(CLI::Range(1, 3650));
    bprune->add_flag("--dry-run", bargs.dry_run, "only say what would be deleted");

    bool retention_dry_run = false;
    auto* retention = cli.add_subcommand("retention", "delete what the retention rules say");
    retention->require_subcommand(1);
    auto* rrun = retention->add_subcommand(
        "run",
        "purge terminated tenants (day 30), destroy their keys (day 37), delete audit entries "
        "after 183 days, access logs after 31, expired sessions and tokens, finished jobs"
    );
    add_data_options(rrun, o);
    rrun->add_flag("--dry-run", retention_dry_run, "only say what would be deleted");

    auto* keys = cli.add_subcommand("keys", "the master key and the tenants' keys");
    keys->require_subcommand(1);
    yoyaku::cli::KeysArgs kargs;
    auto* krotate = keys->add_subcommand(
        "rotate",
        "make a new master key, keep the old one in retired/ (older backups), re-wrap every "
        "tenant key; then give every tenant a new data key and re-encrypt its data under it "
        "while servers keep running (they follow without a restart)"
    );
    add_data_options(krotate, o);
    auto* kmaster = krotate->add_flag(
        "--master-only", kargs.master_only, "only the master key: re-wrap, re-encrypt nothing"
    );
    krotate
        ->add_option(
            "--tenant", kargs.tenant, "only this tenant's data key (its code, or \"platform\")"
        )
        ->excludes(kmaster);
    krotate
        ->add_flag(
            "--resume",
            kargs.resume,
            "no new key: finish re-encrypting what an interrupted rotation left"
        )
        ->excludes(kmaster);
    krotate
        ->add_flag(
            "--drop-old",
            kargs.drop_old,
            "then drop the older data keys (backups made before no longer open for those tenants)"
        )
        ->excludes(kmaster);

    auto* challenge = cli.add_subcommand("challenge", "proof-of-work challenges");
    challenge->require_subcommand(1);
    challenge->add_subcommand(
        "solve",
        "read a challenge (GET /api/v1/challenge) on stdin, print the answer for the altcha field"
    );

    CLI11_PARSE(cli, argc, argv);

    try {
        yoyaku::crypto::init();
        if (cli.got_subcommand("version")) {
            std::cout << "yoyaku " << YOYAKU_VERSION << "\n";
            return 0;
        }
        if (challenge->parsed()) return yoyaku::cli::challenge_solve(std::cin, std::cout);
        auto config = yoyaku::app::load_config(o, environment());
        if (!config) return config_error(config.error());
        yoyaku::app::init_logging(*config);

        if (tenant->parsed()) {
            if (tcreate->parsed()) return yoyaku::cli::tenant_create(*config, targs);
            if (tlist->parsed()) return yoyaku::cli::tenant_list(*config);
            return yoyaku::cli::tenant_status(*config, targs, status_to);
        }
        if (op->parsed()) return yoyaku::cli::operator_create(*config, oargs);
        if (audit->parsed())
            return yoyaku::cli::audit_verify(*config, audit_tenant, audit_checkpoints);
        if (bcreate->parsed()) return yoyaku::cli::backup_create(*config, bargs);
        if (blist->parsed()) return yoyaku::cli::backup_list(*config, bargs);
        if (bverify->parsed()) return yoyaku::cli::backup_verify(*config, bargs);
        if (brestore->parsed()) return yoyaku::cli::backup_restore(*config, bargs);
        if (bprune->parsed()) return yoyaku::cli::backup_prune(*config, bargs);
        if (rrun->parsed()) return yoyaku::cli::retention_run(*config, retention_dry_run);
        if (krotate->parsed()) return yoyaku::cli::keys_rotate(*config, kargs);
        if (cli.got_subcommand("migrate")) {
            auto status = yoyaku::app::migrate(*config);
            if (!status) {
                std::cerr << "migrate failed: " << status.error().message << " ("
                          << status.error().detail << ")\n";
                return 1;
            }
            std::cout << "schema at version " << status->current << " of " << status->latest
                      << "\n";
            return 0;
        }
        return yoyaku::app::serve(*config, demo);
    } catch (const std::exception& e) {
        std::cerr << "fatal: " << e.what() << "\n";
        return 1;
    }
}

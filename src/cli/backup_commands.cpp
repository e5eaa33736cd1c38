#include "cli/backup_commands.hpp"

#include <filesystem>
#include <iostream>

#include "app/backup.hpp"
#include "app/pgbackrest.hpp"
#include "app/platform.hpp"
#include "app/restore_points.hpp"
#include "app/retention.hpp"
#include "crypto/keyring.hpp"
#include "crypto/random.hpp"
#include "domain/audit/audit.hpp"
#include "domain/rekey/rekey.hpp"

namespace yoyaku::cli {
namespace fs = std::filesystem;
namespace {

int report(const Error& e) {
    std::cerr << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
    return e.code == Errc::invalid_input || e.code == Errc::conflict ? 2 : 1;
}

// The backup keys of this platform's keys directory (never created here). The audit chain key
// is installed too: a verification checks the chains of what it restored.
Result<app::backup::BackupKeys> key_of(const app::Config& c) {
    YOYAKU_TRY_ASSIGN(auto keys, crypto::Keyring::open(c.effective_keys_dir(), false));
    YOYAKU_TRY_ASSIGN(
        const auto chain_key, app::audit_chain_key(*keys, c.effective_keys_dir(), false)
    );
    audit::use_chain_key(chain_key);
    return app::backup::backup_key(*keys);
}

std::string mib(std::int64_t bytes) {
    return std::to_string((bytes + 1024 * 1024 - 1) / (1024 * 1024)) + " MiB";
}

void show(const app::backup::Manifest& m) {
    std::int64_t rows = 0;
    for (const auto& [t, n] : m.row_counts) rows += n;
    std::cout << "  created " << format_rfc3339(m.created_at, "UTC") << ", " << m.backend
              << ", schema " << m.schema_version << ", " << m.row_counts.size() << " tables, "
              << rows << " rows, " << mib(m.database_bytes) << "\n";
}

app::pgbackrest::Stanza stanza_of(const BackupArgs& a) {
    return {a.stanza, a.pgbackrest_config};
}

void show(const app::pgbackrest::BaseBackup& b) {
    std::cout << format_rfc3339(b.stopped, "UTC") << "\t" << b.label << "\t" << b.type << "\t"
              << mib(b.database_bytes) << " (" << mib(b.repository_bytes) << " stored)\n";
}

// PostgreSQL to a moment: pgBackRest restores the stopped cluster; it replays on its next start.
int restore_cluster(const BackupArgs& a) {
    std::optional<Instant> at;
    if (!a.at.empty()) {
        at = parse_rfc3339(a.at);
        if (!at) return report(Error::invalid("at", "must be an RFC 3339 time"));
    }
    if (auto r = app::pgbackrest::restore(stanza_of(a), at, SystemClock().now()); !r)
        return report(r.error());
    std::cout << "restored the cluster of stanza " << a.stanza << " to "
              << (at ? format_rfc3339(*at, "UTC") : std::string("the end of the archived WAL"))
              << ": start PostgreSQL (it replays the WAL, then opens for writing on a new "
                 "timeline), then Yoyaku; take a full backup (yoyaku backup point --stanza "
              << a.stanza << " --type full)\n";
    return 0;
}

}  // namespace

int backup_create(const app::Config& c, const BackupArgs& a) {
    auto key = key_of(c);
    if (!key) return report(key.error());
    auto file = app::backup::create(c, *key, a.out, SystemClock().now());
    if (!file) return report(file.error());
    std::cout << "backup written: " << file->string() << "\n";
    return 0;
}

int backup_list(const app::Config& c, const BackupArgs& a) {
    auto key = key_of(c);
    if (!key) return report(key.error());
    for (const auto& g : app::backup::generations(a.out)) {
        std::cout << g.file.filename().string() << "\t" << mib(g.bytes);
        auto m = app::backup::inspect(*key, g.file);
        if (!m) {
            std::cout << "\tdoes not open: " << m.error().message << "\n";
            continue;
        }
        std::cout << "\n";
        show(*m);
    }
    return 0;
}

int backup_verify(const app::Config& c, const BackupArgs& a) {
    auto key = key_of(c);
    if (!key) return report(key.error());
    // A scratch directory of our own (0700), removed afterwards.
    const auto scratch = fs::temp_directory_path() / ("yoyaku-verify-" + crypto::random_hex(8));
    const auto url = c.effective_backup_database_url();
    auto v = app::backup::verify(*key, a.in, scratch, url.starts_with("postgres") ? url : "");
    std::error_code ec;
    fs::remove_all(scratch, ec);
    if (!v) {
        std::cout << "FAILED " << a.in << ": " << v.error().message << "\n";
        return 1;
    }
    std::cout << "ok     " << a.in << ": restored into a scratch database; integrity, row counts "
              << "and " << v->audit_entries << " audit entries verified\n";
    show(v->manifest);
    return 0;
}

int backup_restore(const app::Config& c, const BackupArgs& a) {
    if (!a.stanza.empty()) return restore_cluster(a);
    if (!a.at.empty() && a.points.empty())
        return report(Error::invalid("at", "goes with --points or --stanza"));
    auto key = key_of(c);
    if (!key) return report(key.error());
    if (!a.points.empty()) {
        const auto at = a.at.empty() ? std::optional(SystemClock().now()) : parse_rfc3339(a.at);
        if (!at) return report(Error::invalid("at", "must be an RFC 3339 time"));
        auto p = app::backup::restore_point(c, *key, a.points, *at, a.force);
        if (!p) return report(p.error());
        std::cout << "restored the restore point of " << format_rfc3339(p->taken_at, "UTC") << " ("
                  << p->file.filename().string() << ") into " << c.effective_database_url()
                  << ": schema " << p->schema_version << ", " << mib(p->database_bytes) << "\n";
        return 0;
    }
    if (a.in.empty()) return report(Error::invalid("in", "name a backup file (or --points)"));
    auto m = app::backup::restore(c, *key, a.in, a.force);
    if (!m) return report(m.error());
    std::cout << "restored " << a.in << " into " << c.effective_database_url() << "\n";
    show(*m);
    return 0;
}

int backup_prune(const app::Config& c, const BackupArgs& a) {
    (void)c;
    auto gone = app::backup::prune(
        a.out, SystemClock().now(), a.keep, std::chrono::hours(24 * a.keep_days), a.dry_run
    );
    if (!gone) return report(gone.error());
    for (const auto& g : *gone)
        std::cout << (a.dry_run ? "would delete " : "deleted ") << g.file.string() << "\n";
    std::cout << gone->size() << " backup(s) " << (a.dry_run ? "would be " : "") << "deleted; "
              << "kept the newest " << a.keep << " and any younger than " << a.keep_days
              << " days\n";
    return 0;
}

int backup_point(const app::Config& c, const BackupArgs& a) {
    if (!a.stanza.empty()) {
        auto b = app::pgbackrest::take(stanza_of(a), a.type);
        if (!b) return report(b.error());
        std::cout << "pgBackRest backup taken: ";
        show(*b);
        return 0;
    }
    if (a.out.empty()) return report(Error::invalid("out", "name a directory (or --stanza)"));
    auto key = key_of(c);
    if (!key) return report(key.error());
    auto p = app::backup::take_point(c, *key, a.out, SystemClock().now());
    if (!p) return report(p.error());
    std::cout << "restore point written: " << p->file.string() << " (" << p->blocks << " blocks, "
              << p->new_blocks << " new)\n";
    return 0;
}

int backup_points(const app::Config& c, const BackupArgs& a) {
    if (!a.stanza.empty()) {
        auto w = app::pgbackrest::info(stanza_of(a));
        if (!w) return report(w.error());
        for (const auto& b : w->backups) show(b);
        if (w->backups.empty()) {
            std::cout << "no backup yet: nothing to restore to (yoyaku backup point --stanza "
                      << a.stanza << " --type full)\n";
            return 1;
        }
        std::cout << "restores to any moment from "
                  << format_rfc3339(w->backups.back().stopped, "UTC")
                  << " to the last archived WAL (" << (w->wal_last.empty() ? "none" : w->wal_last)
                  << "); stanza " << (w->status.empty() ? "?" : w->status) << "\n";
        return 0;
    }
    if (a.out.empty()) return report(Error::invalid("out", "name a directory (or --stanza)"));
    auto key = key_of(c);
    if (!key) return report(key.error());
    for (const auto& p : app::backup::points(*key, a.out))
        std::cout << format_rfc3339(p.taken_at, "UTC") << "\t" << p.file.filename().string()
                  << "\tschema " << p.schema_version << "\t" << mib(p.database_bytes) << "\n";
    return 0;
}

int retention_run(const app::Config& c, bool dry_run) {
    auto db = app::open_platform_database(c);
    if (!db) return report(db.error());
    if (auto m = (*db)->migrate(); !m) return report(m.error());
    auto keys = crypto::Keyring::open(c.effective_keys_dir(), false);
    if (!keys) return report(keys.error());
    auto r = app::run_retention(c, **db, **keys, SystemClock().now(), dry_run);
    if (!r) return report(r.error());
    for (const auto& s : r->steps)
        std::cout << (dry_run ? "would delete\t" : "deleted\t") << s.what << "\t"
                  << (s.tenant.empty() ? "-" : s.tenant) << "\t" << s.count << "\n";
    std::cout << r->steps.size() << " step(s)" << (dry_run ? " (dry run: nothing changed)" : "")
              << "\n";
    return 0;
}

int keys_rotate(const app::Config& c, const KeysArgs& a) {
    auto keys = crypto::Keyring::open(c.effective_keys_dir(), false);
    if (!keys) return report(keys.error());
    if (a.tenant.empty() && !a.resume) {
        auto n = (*keys)->rotate_master();
        if (!n) return report(n.error());
        std::cout << "new master key in " << c.effective_keys_dir() << "/master.key; " << *n
                  << " tenant key(s) re-wrapped; the old master is kept in "
                  << c.effective_keys_dir() << "/retired/ for older backups\n";
    }
    if (a.master_only) return 0;
    auto db = app::open_platform_database(c);
    if (!db) return report(db.error());
    if (auto m = (*db)->migrate(); !m) return report(m.error());
    rekey::Options options;
    options.new_key = !a.resume;
    options.drop_old = a.drop_old;
    Result<std::vector<rekey::TenantReport>> done = std::vector<rekey::TenantReport>{};
    const Instant now = SystemClock().now();
    if (a.tenant.empty()) {
        done = rekey::rotate_all(**db, **keys, options, now);
    } else {
        auto id = (*db)->read_platform([&](storage::Tx& tx) -> Result<std::int64_t> {
            if (a.tenant == "platform") return std::int64_t{0};
            auto row = tx.query_one(
                "SELECT id FROM tenants WHERE code = $1 AND purged_at IS NULL AND "
                "key_destroyed_at IS NULL",
                a.tenant
            );
            if (!row) return Error::invalid("tenant", "no such tenant (or it was purged)");
            return row->i64(0);
        });
        if (!id) return report(id.error());
        auto one = rekey::rotate_tenant(**db, **keys, TenantId{*id}, a.tenant, options, now);
        if (!one) return report(one.error());
        done->push_back(std::move(*one));
    }
    if (!done) return report(done.error());
    std::int64_t left = 0;
    std::cout << "tenant\tgeneration\tre-encrypted\tre-indexed\tleft\tolder keys dropped\n";
    for (const auto& r : *done) {
        std::cout << r.code << "\t" << r.generation << "\t" << r.resealed << "\t" << r.reindexed
                  << "\t" << r.left << "\t" << r.dropped << "\n";
        left += r.left;
    }
    if (left > 0) {
        std::cerr << left
                  << " field(s) are still under an older data key: run `yoyaku keys rotate "
                     "--resume` again\n";
        return 1;
    }
    std::cout << done->size() << " data key(s) rotated"
              << (a.drop_old ? "; older generations dropped (older backups of these tenants no "
                               "longer open)"
                             : "; older generations kept to open older backups")
              << "\n";
    return 0;
}

}  // namespace yoyaku::cli

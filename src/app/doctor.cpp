#include "app/doctor.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <sys/timex.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/platform.hpp"
#include "app/restore_points.hpp"
#include "crypto/keyring.hpp"
#include "storage/archiving.hpp"
#include "storage/clock.hpp"
#include "storage/migrations.hpp"
#include "storage/roles.hpp"

namespace yoyaku::app {
namespace fs = std::filesystem;
namespace {

constexpr int kCertWarnDays = 21;  // a renewal (ACME renews at 30 days left) has failed twice
constexpr std::chrono::milliseconds kClockWarn{1000};
constexpr std::chrono::milliseconds kClockFail{30'000};  // one TOTP step

std::string octal(mode_t m) {
    char b[8];
    std::snprintf(b, sizeof b, "%03o", static_cast<unsigned>(m & 0777));
    return b;
}

void add(
    std::vector<Finding>& out,
    std::string check,
    Verdict v,
    std::string detail,
    std::string fix = {}
) {
    out.push_back({std::move(check), v, std::move(detail), std::move(fix)});
}

void configuration(const Config& c, std::vector<Finding>& out) {
    const std::string where = c.config_file.empty() ? "defaults and environment" : c.config_file;
    const auto reasons = insecure_reasons(c);
    if (reasons.empty()) add(out, "configuration", Verdict::ok, where + ": valid and safe");
    for (const auto& r : reasons)
        add(out,
            "configuration",
            Verdict::fail,
            r,
            "change it: serve refuses to start without --dev");
    if (c.server_public_url.empty())
        add(out,
            "configuration",
            Verdict::warn,
            "server.public_url is not set: links in mail are built from server.listen",
            "set server.public_url to the address customers use");
    if (c.mail_smtp_url.empty())
        add(out,
            "configuration",
            Verdict::warn,
            "mail.smtp_url is not set: mail waits in the outbox",
            "set mail.smtp_url (and mail.from) to the venue's relay");
}

// A folder of the platform: present, this user's, and closed to group and others.
void private_folder(
    const std::string& name, const fs::path& dir, bool must, std::vector<Finding>& out
) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        add(out,
            "permissions",
            must ? Verdict::fail : Verdict::warn,
            name + " " + dir.string() + " does not exist",
            "start the service once (it creates it) or check --data and the configuration");
        return;
    }
    if (st.st_uid != ::geteuid())
        add(out,
            "permissions",
            Verdict::warn,
            name + " " + dir.string() + " belongs to another user than the one running doctor",
            "run doctor as the service's user: runuser -u yoyaku -- yoyaku doctor …");
    else if (st.st_mode & 077)
        add(out,
            "permissions",
            Verdict::fail,
            name + " " + dir.string() + " is " + octal(st.st_mode) + ": open to group or others",
            "chmod 700 " + dir.string());
    else
        add(out, "permissions", Verdict::ok, name + " " + dir.string() + " is " + octal(st.st_mode)
        );
}

void permissions(const Config& c, std::vector<Finding>& out) {
    private_folder("data", c.data_dir, true, out);
    private_folder("keys", c.effective_keys_dir(), true, out);
    if (!c.backup_dir.empty()) private_folder("backups", c.backup_dir, false, out);
    struct stat st {};
    if (!c.config_file.empty() && ::stat(c.config_file.c_str(), &st) == 0) {
        if (st.st_mode & 022)
            add(out,
                "permissions",
                Verdict::fail,
                c.config_file + " is " + octal(st.st_mode) +
                    ": others may change the configuration",
                "chmod 640 " + c.config_file);
        else if (st.st_mode & 004)
            add(out,
                "permissions",
                Verdict::warn,
                c.config_file + " is readable by everyone",
                "chmod 640 " + c.config_file + " (owner root, group of the service)");
    }
}

void keys(const Config& c, std::vector<Finding>& out) {
    auto ring = crypto::Keyring::open(c.effective_keys_dir(), false);
    if (!ring) {
        add(out,
            "keys",
            Verdict::fail,
            c.effective_keys_dir() + ": " + ring.error().message,
            "restore the keys folder from its safe copy (sealed data cannot be read without it)");
        return;
    }
    // Looked for first: own_key makes a missing key, and a new chain key would leave every
    // existing audit entry failing verification.
    const auto chain_file = fs::path(c.effective_keys_dir()) / (std::string(kChainKey) + ".key");
    if (!fs::exists(chain_file)) {
        add(out,
            "keys",
            Verdict::fail,
            "the audit chain key is missing: " + chain_file.string(),
            "restore audit.key from the keys folder's safe copy before the service starts");
        return;
    }
    if (auto chain = (*ring)->own_key(kChainKey); !chain)
        add(out,
            "keys",
            Verdict::fail,
            "the audit chain key does not read: " + chain.error().message,
            "restore audit.key from the keys folder's safe copy");
    else
        add(out, "keys", Verdict::ok, "master key and audit chain key open");
}

void tls(const Config& c, Instant now, std::vector<Finding>& out) {
    if (c.server_tls_cert_file.empty()) {
        add(out,
            "tls",
            Verdict::ok,
            c.server_behind_proxy ? "terminated by the proxy in front (its certificate is its own)"
                                  : "no TLS (loopback only)");
        return;
    }
    std::unique_ptr<FILE, int (*)(FILE*)> f(
        std::fopen(c.server_tls_cert_file.c_str(), "r"), &std::fclose
    );
    std::unique_ptr<X509, void (*)(X509*)> cert(
        f ? PEM_read_X509(f.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free
    );
    if (!cert) {
        add(out,
            "tls",
            Verdict::fail,
            c.server_tls_cert_file + ": no PEM certificate can be read",
            "check server.tls_cert_file");
        return;
    }
    const time_t t = std::chrono::system_clock::to_time_t(now);
    std::unique_ptr<ASN1_TIME, void (*)(ASN1_TIME*)> at(ASN1_TIME_set(nullptr, t), &ASN1_TIME_free);
    int days = 0, seconds = 0;
    ASN1_TIME_diff(&days, &seconds, at.get(), X509_get0_notAfter(cert.get()));
    const std::string left = std::to_string(days) + " days left";
    if (days < 0 || (days == 0 && seconds <= 0))
        add(out,
            "tls",
            Verdict::fail,
            "the certificate has expired",
            "renew it, then systemctl reload yoyaku");
    else if (days < kCertWarnDays)
        add(out,
            "tls",
            Verdict::warn,
            "the certificate expires soon: " + left,
            "renew it, then systemctl reload yoyaku");
    else
        add(out, "tls", Verdict::ok, "certificate valid, " + left);
}

void system_clock_sync(std::vector<Finding>& out) {
    timex tx{};
    const int state = ::ntp_adjtime(&tx);
    if (state == TIME_ERROR)
        add(out,
            "clock",
            Verdict::warn,
            "this machine's clock is not synchronised (NTP)",
            "run a time service (systemd-timesyncd or chrony): sign-in codes, holds and audit "
            "times depend on the clock");
    else
        add(out,
            "clock",
            Verdict::ok,
            "synchronised, estimated error " + std::to_string(tx.esterror) + " µs");
}

// Point-in-time recovery: PostgreSQL archives its WAL; SQLite's restore points are recent.
void recovery(const Config& c, storage::Database& d, Instant now, std::vector<Finding>& out) {
    auto wal = storage::wal_archiving(d);
    if (!wal) {
        add(out, "recovery", Verdict::fail, wal.error().message, "check the database");
        return;
    }
    if (*wal) {
        const auto& w = **wal;
        if (!w.on)
            add(out,
                "recovery",
                Verdict::warn,
                "PostgreSQL does not archive its WAL: no point-in-time recovery",
                "archive it into pgBackRest (docs/operations/pitr-postgresql.md)");
        else if (w.failing)
            add(out,
                "recovery",
                Verdict::fail,
                "WAL archiving fails (PostgreSQL keeps the WAL until it works: watch its disk)",
                "pgbackrest --stanza=yoyaku check, and PostgreSQL's log");
        else
            add(out,
                "recovery",
                Verdict::ok,
                w.last_archived
                    ? "WAL archived, last at " + format_rfc3339(*w.last_archived, c.log_time_zone)
                    : "WAL archiving on, nothing archived yet");
        return;
    }
    if (c.backup_dir.empty() || c.backup_point_minutes == 0) {
        add(out,
            "recovery",
            Verdict::warn,
            "no restore points between the daily backups",
            "set backup.dir (and backup.point_minutes above 0)");
        return;
    }
    const auto newest = backup::newest_point(fs::path(c.backup_dir) / "points");
    const auto every = std::chrono::minutes(c.backup_point_minutes);
    if (!newest) {
        add(out,
            "recovery",
            Verdict::warn,
            "no restore point yet",
            "start the service (it takes one as it starts)");
        return;
    }
    const auto age = std::chrono::duration_cast<std::chrono::minutes>(now - *newest);
    const std::string text = "the newest restore point is " + std::to_string(age.count()) +
                             " min old (one every " + std::to_string(every.count()) + " min)";
    if (now - *newest > 3 * every)
        add(out, "recovery", Verdict::warn, text, "start the service (it takes them)");
    else
        add(out, "recovery", Verdict::ok, text);
}

void database(const Config& c, Instant now, std::vector<Finding>& out) {
    const auto url = c.effective_database_url();
    if (url.starts_with("sqlite:") && !fs::exists(url.substr(7))) {
        add(out,
            "database",
            Verdict::fail,
            "no database at " + url.substr(7),
            "start the service once, or run yoyaku migrate, with the same --data");
        return;
    }
    auto db = storage::open_database({url, 1, 3, c.database_prepared_statements});
    if (!db) {
        add(out,
            "database",
            Verdict::fail,
            db.error().message + " " + db.error().detail,
            "check database.url and that the server runs");
        return;
    }
    auto& d = **db;
    add(out, "database", Verdict::ok, std::string(storage::to_string(d.backend())) + " reachable");
    if (auto s = storage::schema_compatibility(d); !s)
        add(out, "schema", Verdict::fail, s.error().message, "check the database");
    else if (!s->changed.empty())  // before pending: a changed migration is refused either way
        add(out, "schema", Verdict::fail, s->why_not(), "see README, Upgrades");
    else if (s->behind())
        add(out,
            "schema",
            Verdict::warn,
            "version " + std::to_string(s->current) + " of " + std::to_string(s->latest) +
                ": migrations pending",
            "yoyaku migrate (serve applies them at start unless --no-migrate)");
    else if (!s->serves())
        add(out, "schema", Verdict::fail, s->why_not(), "see README, Upgrades");
    else
        add(out, "schema", Verdict::ok, "version " + std::to_string(s->current));
    if (auto risks = storage::role_risks(d); !risks)
        add(out, "database role", Verdict::fail, risks.error().message, "check database.url");
    else if (risks->empty())
        add(out,
            "database role",
            Verdict::ok,
            d.backend() == storage::Backend::sqlite ? "SQLite: no roles"
                                                    : "row-level security binds it");
    else
        for (const auto& r : *risks)
            add(out, "database role", Verdict::fail, r, "see README, PostgreSQL roles");
    if (auto off = storage::clock_offset(d); off && *off) {
        const auto ms = off->value().count();
        const auto abs = std::chrono::milliseconds(ms < 0 ? -ms : ms);
        const std::string text = "the database's clock is " + std::to_string(ms) + " ms off";
        if (abs >= kClockFail)
            add(out, "clock", Verdict::fail, text, "synchronise both machines' clocks (NTP)");
        else if (abs >= kClockWarn)
            add(out, "clock", Verdict::warn, text, "synchronise both machines' clocks (NTP)");
        else
            add(out, "clock", Verdict::ok, text);
    }
    auto reading = monitor::measure(d, now, {c.data_dir, c.backup_dir}, thresholds_of(c));
    if (!reading) {
        add(out, "monitor", Verdict::fail, reading.error().message, "check the database");
        return;
    }
    for (const auto& m : reading->checks) {
        std::string fix;
        if (m.name == "backup_age")
            fix = "yoyaku backup create (and see why the daily one did not run)";
        if (m.name == "disk_free") fix = "free space beside the data";
        if (m.name == "queue_lag") fix = "start the service (its workers send what waits)";
        if (m.name == "mail_failures") fix = "check mail.smtp_url and the relay";
        if (m.name == "database_latency") fix = "check the database server's load";
        add(out,
            m.name,
            m.ok ? Verdict::ok : Verdict::fail,
            m.value + " (limit " + m.threshold + ")",
            m.ok ? "" : fix);
    }
    if (c.backup_dir.empty())
        add(out,
            "backup_age",
            Verdict::warn,
            "backup.dir is not set: no daily backups",
            "set backup.dir (another disk)");
    recovery(c, d, now, out);
}

}  // namespace

monitor::Thresholds thresholds_of(const Config& c) {
    monitor::Thresholds limits;
    limits.db_latency = std::chrono::milliseconds(c.monitor_db_latency_ms);
    limits.queue_lag = std::chrono::seconds(c.monitor_queue_lag_seconds);
    limits.mail_failures_per_hour = static_cast<int>(c.monitor_mail_failures_per_hour);
    limits.backup_age = std::chrono::hours(c.monitor_backup_age_hours);
    limits.min_free_disk = static_cast<double>(c.monitor_min_free_disk_percent) / 100.0;
    return limits;
}

std::vector<Finding> doctor(const Config& c, Instant now) {
    std::vector<Finding> out;
    configuration(c, out);
    permissions(c, out);
    keys(c, out);
    tls(c, now, out);
    system_clock_sync(out);
    database(c, now, out);
    return out;
}

int exit_code(const std::vector<Finding>& findings) {
    int code = 0;
    for (const auto& f : findings)
        code = std::max(code, f.verdict == Verdict::fail ? 2 : f.verdict == Verdict::warn ? 1 : 0);
    return code;
}

}  // namespace yoyaku::app

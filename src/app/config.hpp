#pragma once
// Platform configuration. Sources, later ones winning: built-in defaults → TOML file
// (--config) → environment (YOYAKU_<SECTION>_<KEY>) → command-line flags. Unknown keys in the
// file or in a known section's environment are errors, so a typo never silently keeps a default.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::app {

struct Config {
    // [server]
    std::string server_listen = "127.0.0.1:8080";
    std::string server_tls_cert_file;
    std::string server_tls_key_file;
    bool server_behind_proxy = false;  ///< TLS terminates at a trusted proxy in front
    std::int64_t server_io_threads = 0;
    std::int64_t server_worker_threads = 16;
    std::int64_t server_header_limit = 16 * 1024;
    std::int64_t server_body_limit = 1024 * 1024;
    std::int64_t server_request_timeout_ms = 15'000;
    std::int64_t server_idle_timeout_ms = 30'000;
    std::int64_t server_max_connections = 10'000;
    std::string server_web_root = "web/dist";
    bool server_metrics_public = false;
    std::string server_public_url;       ///< base of links; empty: from listen (and TLS)
    std::string server_trusted_proxies;  ///< comma-separated CIDRs whose X-Forwarded-For counts
    // [database]
    std::string database_url;  ///< empty: sqlite:<data_dir>/yoyaku.db
    /// PostgreSQL: the tables' owner, for migrations; database_url then serves as a role that
    /// owns none (row-level security binds it). Empty: database_url migrates too.
    std::string database_owner_url;
    std::int64_t database_pool_size = 8;
    /// PostgreSQL: false behind PgBouncer in transaction pooling mode (1.18 keeps no prepared
    /// statement from one transaction to the next).
    bool database_prepared_statements = true;
    // [security]
    std::string security_keys_dir;  ///< empty: <data>/keys
    std::int64_t security_argon2_memory_mib = 64;
    std::int64_t security_argon2_ops = 2;
    std::int64_t security_hash_concurrency = 2;    ///< argon2id hashes at once (memory bound)
    std::int64_t security_hash_queue = 8;          ///< password checks waiting; beyond: 429 at once
    std::int64_t security_stuffing_accounts = 10;  ///< distinct accounts failed from one address
    /// Public bookings an address makes without a proof-of-work answer (then 1 per 10 of it a
    /// minute); 0: every one needs an answer.
    std::int64_t security_free_bookings = 10;
    std::int64_t security_block_minutes = 60;  ///< automatic block length
    /// Proof-of-work: the secret number is drawn up to this (clients try half on average).
    std::int64_t security_challenge_difficulty = 100000;
    // [mail]
    std::string mail_smtp_url;  ///< smtp://host:587 (STARTTLS) or smtps://host:465; empty: held
    std::string mail_from = "no-reply@localhost";
    std::string mail_from_name = "Yoyaku";
    std::string mail_username;
    std::string mail_password;
    bool mail_starttls = true;  ///< refuse to send over smtp:// without STARTTLS
    std::string mail_ca_file;   ///< CA bundle for the relay's certificate; empty: the system's
    // [webhooks]
    /// Deliver webhooks to loopback and private addresses, over http:// too (a lab or an
    /// internal receiver). Unsafe: off by default, logged when on.
    bool webhooks_allow_private_targets = false;
    std::string webhooks_ca_file;  ///< extra CA bundle for receivers; empty: the system's
    // [line]
    /// Where LINE Messaging API pushes go (tests point it at a local receiver). Operator
    /// configuration, so its host may be private; http:// is allowed but logged as unsafe.
    std::string line_api_base_url = "https://api.line.me";
    /// Where LINE Login's authorization page is (tests point it at a stand-in).
    std::string line_login_base_url = "https://access.line.me";
    /// Where LINE takes uploads (a rich menu's image); tests point it at a stand-in.
    std::string line_data_base_url = "https://api-data.line.me";
    // [zoom]
    /// Zoom's API and its OAuth host (tests point them at a stand-in). Operator configuration,
    /// so the hosts may be private; http:// is allowed but logged as unsafe.
    std::string zoom_api_base_url = "https://api.zoom.us/v2";
    std::string zoom_oauth_base_url = "https://zoom.us";
    // [payments]
    /// Stripe's API (labs and tests point it at a stand-in). Operator configuration, so its
    /// host may be private; http:// is allowed but logged as unsafe.
    std::string payments_stripe_api_base = "https://api.stripe.com";
    // [waf]
    std::string waf_mode = "block";  ///< block | detect (log only) | off (refused outside --dev)
    std::int64_t waf_paranoia = 1;   ///< the Core Rule Set's paranoia level, 1–4
    std::int64_t waf_anomaly_threshold = 5;  ///< inbound anomaly score that blocks
    std::string waf_rules_dir = "/usr/share/modsecurity-crs/rules";
    // [backup]
    /// Where the daily backup goes (away from the data: another disk); empty: no scheduled
    /// backups (warned at start).
    std::string backup_dir;
    std::int64_t backup_hour = 3;              ///< local hour (log.time_zone) of the daily backup
    std::int64_t backup_keep_generations = 8;  ///< always kept, newest first
    std::int64_t backup_keep_days = 30;        ///< and every backup younger than this
    /// SQLite: a restore point every this many minutes (with backup.dir; 0: none), kept
    /// `backup_points_keep_hours`: the recovery point objective between daily backups.
    std::int64_t backup_point_minutes = 5;
    std::int64_t backup_points_keep_hours = 48;
    /// PostgreSQL: the URL backups and restores connect with, a role that bypasses row-level
    /// security (BYPASSRLS) and may create scratch databases (CREATEDB); empty: database.url.
    std::string backup_database_url;
    // [monitor] the limits of the platform's self-checks (operators are mailed when crossed)
    std::int64_t monitor_db_latency_ms = 500;         ///< one database round trip
    std::int64_t monitor_queue_lag_seconds = 600;     ///< the oldest due job's wait
    std::int64_t monitor_mail_failures_per_hour = 5;  ///< mails failed for good: alert at this many
    std::int64_t monitor_backup_age_hours = 26;       ///< the newest backup (with backup.dir)
    std::int64_t monitor_min_free_disk_percent = 10;  ///< beside the data
    // [log]
    std::string log_level = "info";
    std::string log_access_log = "file";  ///< file | stdout | off
    std::string log_time_zone = "Asia/Tokyo";
    std::string log_format = "text";  ///< text | json (one JSON object a line, for a collector)

    // Not in the file: from flags.
    std::string data_dir = "./data";
    std::string config_file;
    bool dev = false;

    std::string effective_database_url() const;
    /// backup.database_url, else the platform's database URL.
    std::string effective_backup_database_url() const;
    std::string effective_public_url() const;
    std::string effective_keys_dir() const;
};

/// Flags that override the file and environment (empty/unset: not given).
struct Overrides {
    std::string data_dir;
    std::string database_url;
    std::string listen;
    std::string config_file;
    bool dev = false;
};

/// Reads the file (if any) and the environment (`env` is "NAME=value" entries, as `environ`),
/// applies overrides and validates. Errors name the key: field = "server.listen".
Result<Config> load_config(const Overrides& overrides, const std::vector<std::string>& env);

/// Range and format checks; errors name the key.
Result<void> validate(const Config& config);

/// Reasons this configuration is unsafe for production (SPEC S18). Empty when safe.
std::vector<std::string> insecure_reasons(const Config& config);

/// Splits a comma-separated list, trimming spaces and dropping empty items.
std::vector<std::string> split_list(const std::string& text);

/// Splits "host:port" / "[v6]:port". nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& listen);

}  // namespace yoyaku::app

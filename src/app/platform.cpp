#include "app/platform.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

#include "app/api_context.hpp"
#include "app/backup.hpp"
#include "app/doctor.hpp"
#include "app/http_post.hpp"
#include "app/platform_metrics.hpp"
#include "app/restore_points.hpp"
#include "app/retention.hpp"
#include "app/service_manager.hpp"
#include "app/services.hpp"
#include "app/smtp.hpp"
#include "core/net.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/checkpoints.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/mail/mail.hpp"
#include "domain/monitor/monitor.hpp"
#include "domain/tenants/tenants.hpp"
#include "http/api/api.hpp"
#include "http/api/health.hpp"
#include "http/api/static_files.hpp"
#include "http/middleware/pipeline.hpp"
#include "http/middleware/waf.hpp"
#include "http/server/server.hpp"
#include "storage/migrations.hpp"
#include "storage/roles.hpp"

namespace yoyaku::app {
namespace fs = std::filesystem;

namespace {
// Runs `fn` every `period` on its own thread until destroyed (which waits for a run in
// progress, never for the rest of a period).
class Every {
public:
    Every(std::chrono::milliseconds period, std::function<void()> fn)
        : thread_([period, fn = std::move(fn)](std::stop_token stop) {
              std::mutex mu;
              std::condition_variable_any cv;
              while (!stop.stop_requested()) {
                  std::unique_lock lock(mu);
                  cv.wait_for(lock, stop, period, [] { return false; });
                  if (stop.stop_requested()) break;
                  lock.unlock();
                  fn();
              }
          }) {}

private:
    std::jthread thread_;
};

}  // namespace

Result<crypto::SecretKey> audit_chain_key(
    const crypto::Keyring& keys, const std::string& dir, bool new_keys
) {
    const auto file = fs::path(dir) / (std::string(kChainKey) + ".key");
    if (!new_keys && !fs::exists(file))
        return Error::invalid(
            "keys",
            file.string() +
                " is missing while the master key is there: restore it from the "
                "keys folder's copy (a new one would make every audit entry written "
                "so far fail verification)"
        );
    return keys.own_key(kChainKey);
}

Result<std::unique_ptr<storage::Database>> open_platform_database(const Config& c) {
    std::error_code ec;
    fs::create_directories(c.data_dir, ec);
    if (ec) return Error::invalid("data", "cannot create " + c.data_dir + ": " + ec.message());
    ::chmod(c.data_dir.c_str(), 0700);
    // Every process that writes the platform's database (serve, each command) chains its audit
    // entries under the key in the keys directory, outside the database.
    const bool new_keys = !fs::exists(fs::path(c.effective_keys_dir()) / "master.key");
    YOYAKU_TRY_ASSIGN(auto keys, crypto::Keyring::open(c.effective_keys_dir(), true));
    YOYAKU_TRY_ASSIGN(
        const auto chain_key, audit_chain_key(*keys, c.effective_keys_dir(), new_keys)
    );
    audit::use_chain_key(chain_key);
    storage::DatabaseOptions o;
    o.url = c.effective_database_url();
    o.pool_size = static_cast<int>(c.database_pool_size);
    o.prepared_statements = c.database_prepared_statements;
    return storage::open_database(o);
}

namespace {

// Migrates as database.owner_url when set (then grants the serving role its rows' work), else
// as database.url; answers the schema as `serving` sees it.
Result<storage::SchemaStatus> bring_schema_up(const Config& c, storage::Database& serving) {
    if (c.database_owner_url.empty()) return serving.migrate();
    storage::DatabaseOptions o;
    o.url = c.database_owner_url;
    o.pool_size = 1;
    o.prepared_statements = c.database_prepared_statements;
    YOYAKU_TRY_ASSIGN(auto owner, storage::open_database(o));
    YOYAKU_TRY(owner->migrate());
    YOYAKU_TRY(storage::grant_rows_to(*owner, serving));
    return serving.schema_status();
}

}  // namespace

Result<storage::SchemaStatus> migrate(const Config& c) {
    YOYAKU_TRY_ASSIGN(auto db, open_platform_database(c));
    return bring_schema_up(c, *db);
}

namespace {

// Logs what is unsafe in the configuration; false when the server must not start (not --dev).
bool safe_enough(const Config& c, bool demo) {
    auto reasons = insecure_reasons(c);
    if (demo)
        reasons.push_back(
            "serve --demo: demo accounts with published passwords (a development machine only)"
        );
    for (const auto& r : reasons) {
        if (c.dev)
            spdlog::warn("insecure configuration: {}", r);
        else
            spdlog::error("insecure configuration: {}", r);
    }
    if (!reasons.empty() && !c.dev) {
        spdlog::error(
            "refusing to start; fix the settings above (or use --dev on a development machine)"
        );
        return false;
    }
    if (c.dev) spdlog::warn("development mode: production safety checks are relaxed");
    return true;
}

// The schema brought up to date unless `migrate` is false (on PostgreSQL the server may start
// before the database: it is waited for a while), checked against this binary (a newer schema
// that admits it is served: rolling upgrades), and the database role checked. Returns the exit
// code on failure.
std::optional<int> ready_database(const Config& c, storage::Database& database, bool migrate) {
    Result<storage::SchemaCompatibility> status = Error::unavailable("not tried");
    for (int attempt = 0; attempt < 30; ++attempt) {
        auto brought = migrate ? bring_schema_up(c, database) : database.schema_status();
        status = brought ? storage::schema_compatibility(database) : fail(brought.error());
        if (status || status.error().code != Errc::unavailable) break;
        spdlog::warn("database unavailable, retrying: {}", status.error().detail);
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    if (!status) {
        spdlog::error(
            "migration failed: {}",
            status.error().detail.empty() ? status.error().message : status.error().detail
        );
        return 1;
    }
    spdlog::info(
        "database {} at schema version {}", storage::to_string(database.backend()), status->current
    );
    if (!status->serves()) {
        spdlog::error("refusing to start: {}", status->why_not());
        return 1;
    }
    if (status->current > status->latest)
        spdlog::info(
            "the schema ({}) is newer than this binary ({}) and admits it (rolling upgrade)",
            status->current,
            status->latest
        );
    auto risks = storage::role_risks(database);
    if (!risks) {
        spdlog::error("database role: {} ({})", risks.error().message, risks.error().detail);
        return 1;
    }
    for (const auto& r : *risks) {
        if (c.dev)
            spdlog::warn("insecure database role: {}; row-level security does not bind it", r);
        else
            spdlog::error("insecure database role: {}; row-level security does not bind it", r);
    }
    if (!risks->empty() && !c.dev) {
        spdlog::error("refusing to start; see README, PostgreSQL roles (or use --dev)");
        return 2;
    }
    return std::nullopt;
}

// The web application firewall as configured (nullptr after logging why it cannot load).
std::unique_ptr<http::Waf> load_waf(const Config& c) {
    http::WafOptions wo;
    wo.mode = *http::parse_waf_mode(c.waf_mode);
    wo.paranoia = static_cast<int>(c.waf_paranoia);
    wo.anomaly_threshold = static_cast<int>(c.waf_anomaly_threshold);
    wo.rules_dir = c.waf_rules_dir;
    wo.body_limit = static_cast<std::size_t>(c.server_body_limit);
    auto waf = http::Waf::load(wo);
    if (!waf) {
        spdlog::error("{}: {}{}", waf.error().field, waf.error().message, waf.error().detail);
        return nullptr;
    }
    if (wo.mode == http::WafMode::detect)
        spdlog::warn("waf.mode = detect: attacks are logged and counted, not refused");
    else if (wo.mode == http::WafMode::block)
        spdlog::info(
            "web application firewall: OWASP Core Rule Set, paranoia {}, threshold {}",
            wo.paranoia,
            wo.anomaly_threshold
        );
    return std::move(waf).value();
}

http::PipelineOptions pipeline_options(const Config& c, http::CookiePolicy cookies) {
    http::PipelineOptions po;
    po.hsts = !c.server_tls_cert_file.empty() || c.server_behind_proxy;
    po.cookies = cookies;
    po.public_origin = c.server_public_url;
    po.https_proxy = c.server_behind_proxy;
    for (const auto& item : split_list(c.server_trusted_proxies))
        po.trusted_proxies.push_back(*net::parse_cidr(item));
    po.metrics_public = c.server_metrics_public;
    return po;
}

http::ServerOptions server_options(const Config& c) {
    const auto listen = *parse_listen(c.server_listen);
    http::ServerOptions so;
    so.host = listen.first;
    so.port = listen.second;
    so.io_threads = static_cast<int>(c.server_io_threads);
    so.worker_threads = static_cast<int>(c.server_worker_threads);
    so.header_limit = static_cast<std::size_t>(c.server_header_limit);
    so.body_limit = static_cast<std::size_t>(c.server_body_limit);
    so.request_timeout = std::chrono::milliseconds(c.server_request_timeout_ms);
    so.idle_timeout = std::chrono::milliseconds(c.server_idle_timeout_ms);
    so.max_connections = static_cast<int>(c.server_max_connections);
    so.tls_cert_file = c.server_tls_cert_file;
    so.tls_key_file = c.server_tls_key_file;
    so.handle_signals = true;
    attach_service_manager(so);
    return so;
}

void run_worker(const char* name, jobs::Worker& w) {
    auto r = w.run_once();
    if (!r)
        spdlog::warn("{} worker: {}", name, r.error().detail);
    else if (r->retried + r->failed > 0)
        spdlog::warn(
            "{} worker: {} done, {} to retry, {} failed", name, r->done, r->retried, r->failed
        );
}

// What runs beside the requests while the server is up: address rules and maintenance
// reloaded from other nodes, expired holds released, the job queue's workers (mail; webhooks,
// reminders, unpaid bookings and LINE), and the platform's scheduled jobs. Stops with it.
class Background {
public:
    Background(const Config& c, storage::Database& db, Services& svc, const Clock& clock)
        : c_(c),
          db_(db),
          svc_(svc),
          clock_(clock),
          mail_worker_(db, *svc.keyring, clock),
          poster_(PostOptions{
              c.webhooks_allow_private_targets, std::chrono::seconds(10), c.webhooks_ca_file}),
          // The LINE API's address is the operator's own configuration, not a tenant's: it
          // may be a private host (a relay, a test receiver).
          line_transport_(PostOptions{true, std::chrono::seconds(10), c.webhooks_ca_file}),
          event_worker_(db, *svc.keyring, clock),
          scheduler_(db, clock),
          watch_(
              db, *svc.keyring, svc.accounts, clock, {c.data_dir, c.backup_dir}, thresholds_of(c)
          ) {}

    /// Starts it all. Errors: the audit checkpoint key cannot be read.
    Result<void> start();

private:
    void start_workers();
    Result<void> schedule_platform_jobs();
    void schedule_backup_and_watch();

    const Config& c_;
    storage::Database& db_;
    Services& svc_;
    const Clock& clock_;
    std::unique_ptr<SmtpSender> sender_;
    jobs::Worker mail_worker_;
    CurlPoster poster_;
    CurlTransport line_transport_;
    jobs::Worker event_worker_;
    jobs::Scheduler scheduler_;
    monitor::Monitor watch_;
    std::optional<crypto::SecretKey> checkpoint_seed_;
    std::vector<fs::path> checkpoint_dirs_;
    // Last: the threads stop (and join) before what they use goes.
    std::vector<std::unique_ptr<Every>> every_;
};

Result<void> Background::start() {
    // Block and allow lists changed on another node reach this one within a few seconds.
    every_.push_back(std::make_unique<Every>(std::chrono::seconds(5), [this] {
        if (auto r = svc_.defence.reload(); !r)
            spdlog::warn("address rules: reload failed: {}", r.error().detail);
        // Maintenance mode switched on another node, too.
        if (auto r = svc_.maintenance.reload(db_); !r)
            spdlog::warn("maintenance mode: reload failed: {}", r.error().detail);
    }));
    // Holds that ran out give their places back (booking attempts on the same offering do so
    // at once; this catches the rest).
    every_.push_back(std::make_unique<Every>(std::chrono::seconds(5), [this] {
        if (auto r = svc_.bookings.release_all_expired_holds(); !r)
            spdlog::warn("hold release: {}", r.error().detail);
    }));
    start_workers();
    YOYAKU_TRY(schedule_platform_jobs());
    every_.push_back(std::make_unique<Every>(std::chrono::seconds(30), [this] {
        if (auto r = scheduler_.run_due(); !r) spdlog::warn("scheduler: {}", r.error().detail);
    }));
    return {};
}

// The job queue: mail, webhooks and reminders leave the outbox every two seconds. Every node
// may run the workers (PostgreSQL hands each job to one of them).
void Background::start_workers() {
    if (c_.mail_smtp_url.empty()) {
        spdlog::warn("mail.smtp_url is not set: mail waits in the outbox until it is");
    } else {
        sender_ = std::make_unique<SmtpSender>(SmtpOptions{
            c_.mail_smtp_url,
            c_.mail_from,
            c_.mail_from_name,
            c_.mail_username,
            c_.mail_password,
            c_.mail_starttls,
            c_.mail_ca_file});
        mail_worker_.handle("mail", mail::sending_handler(*sender_));
        every_.push_back(std::make_unique<Every>(std::chrono::seconds(2), [this] {
            run_worker("mail", mail_worker_);
        }));
    }
    event_worker_.handle(
        "webhook", webhooks::delivery_handler(db_, *svc_.keyring, poster_, clock_)
    );
    event_worker_.handle("reminder", svc_.bookings.reminder_handler());
    event_worker_.handle("unpaid", svc_.bookings.unpaid_handler());
    event_worker_.handle("no_show", svc_.bookings.no_show_handler());
    event_worker_.handle("refund", svc_.payments.refund_handler());
    event_worker_.handle(
        "line",
        line::push_handler(db_, *svc_.keyring, line_transport_, c_.line_api_base_url, clock_)
    );
    event_worker_.handle("line_postback", svc_.waitlist.line_postback_handler());
    event_worker_.handle("line_broadcast", svc_.broadcasts.send_handler());
    event_worker_.handle("zoom", svc_.bookings.meeting_handler(svc_.zoom_client));
    every_.push_back(std::make_unique<Every>(std::chrono::seconds(2), [this] {
        run_worker("event", event_worker_);
    }));
}

// Platform jobs, once across nodes: retention, audit checkpoints, lottery draws, the daily
// backup and the platform's watch over itself.
Result<void> Background::schedule_platform_jobs() {
    // Retention (SPEC S12, S13, S15) daily at 04:00: a terminated tenant purged on day 30 and
    // its key destroyed on day 37, audit entries after 183 days, access logs after 31, expired
    // sign-in leftovers, finished jobs after 30 days.
    scheduler_.add(
        "retention.daily",
        [this](Instant now) { return backup::next_daily(now, c_.log_time_zone, 4); },
        [this]() -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto r, run_retention(c_, db_, *svc_.keyring, clock_.now(), false));
            for (const auto& s : r.steps)
                spdlog::info(
                    "retention: {} {} {}", s.what, s.tenant.empty() ? "-" : s.tenant, s.count
                );
            return {};
        }
    );
    // Signed checkpoints of every audit chain's head (issue 24), hourly, outside the database:
    // in the log directory and, when set, the backup directory.
    YOYAKU_TRY_ASSIGN(checkpoint_seed_, svc_.keyring->own_key(kCheckpointKey));
    checkpoint_dirs_ = {fs::path(c_.data_dir) / "logs" / "audit-checkpoints"};
    if (!c_.backup_dir.empty())
        checkpoint_dirs_.push_back(fs::path(c_.backup_dir) / "audit-checkpoints");
    // One at start too: a node's first hour is covered.
    if (auto w = audit::write_checkpoint(db_, *checkpoint_seed_, checkpoint_dirs_, clock_.now());
        !w)
        spdlog::warn("audit: no checkpoint written: {}", w.error().detail);
    scheduler_.add(
        "audit.checkpoint",
        [](Instant now) { return now + std::chrono::hours(1); },
        [this]() -> Result<void> {
            YOYAKU_TRY_ASSIGN(
                auto written,
                audit::write_checkpoint(db_, *checkpoint_seed_, checkpoint_dirs_, clock_.now())
            );
            spdlog::info("audit: checkpoint written ({} files)", written.size());
            return {};
        }
    );
    // Each tenant's payments of yesterday set against the provider's balance, daily at 05:00.
    scheduler_.add(
        "payments.reconcile",
        [this](Instant now) { return backup::next_daily(now, c_.log_time_zone, 5); },
        [this]() -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto n, svc_.reconciler.run_all());
            if (n > 0) spdlog::warn("payments: {} tenant(s) with reconciliation mismatches", n);
            return {};
        }
    );
    // Lotteries are drawn once their draw time has come (checked every minute).
    scheduler_.add(
        "lottery.draw",
        [](Instant now) { return now + std::chrono::minutes(1); },
        [this]() -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto n, svc_.lottery.draw_due());
            if (n > 0) spdlog::info("lottery: {} drawn", n);
            YOYAKU_TRY_ASSIGN(auto rooms, svc_.room_lotteries.draw_due());
            if (rooms > 0) spdlog::info("room lottery: {} drawn", rooms);
            return {};
        }
    );
    schedule_backup_and_watch();
    return {};
}

void Background::schedule_backup_and_watch() {
    // The daily backup (SPEC S14): created, verified by restoring it into a scratch database,
    // then old generations pruned.
    if (c_.backup_dir.empty()) {
        spdlog::warn("backup.dir is not set: no scheduled backups");
    } else {
        scheduler_.add(
            "backup.daily",
            [this](Instant now) {
                return backup::next_daily(now, c_.log_time_zone, static_cast<int>(c_.backup_hour));
            },
            [this]() -> Result<void> {
                YOYAKU_TRY_ASSIGN(
                    auto v, backup::scheduled(c_, backup::backup_key(*svc_.keyring), clock_.now())
                );
                spdlog::info("backup: written and verified ({} audit entries)", v.audit_entries);
                return {};
            }
        );
        // Between the daily backups, restore points (SQLite) every backup.point_minutes in
        // <backup.dir>/points, kept backup.points_keep_hours.
        if (c_.backup_point_minutes > 0 && c_.effective_database_url().starts_with("sqlite:"))
            scheduler_.add(
                "backup.point",
                [this](Instant now) { return now + std::chrono::minutes(c_.backup_point_minutes); },
                [this]() -> Result<void> {
                    const auto key = backup::backup_key(*svc_.keyring);
                    const auto dir = fs::path(c_.backup_dir) / "points";
                    const auto now = clock_.now();
                    YOYAKU_TRY_ASSIGN(const auto p, backup::take_point(c_, key, dir, now));
                    YOYAKU_TRY(backup::prune_points(
                        key, dir, now, std::chrono::hours(c_.backup_points_keep_hours)
                    ));
                    spdlog::debug(
                        "backup: restore point taken ({} blocks, {} new)", p.blocks, p.new_blocks
                    );
                    return {};
                }
            );
    }
    // The platform watches itself every minute and mails operators when a check turns bad
    // (and when it recovers).
    scheduler_.add(
        "monitor",
        [](Instant now) { return now + std::chrono::minutes(1); },
        [this]() -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto r, watch_.run());
            for (const auto& check : r.checks)
                if (!check.ok)
                    spdlog::warn(
                        "monitor: {} at {} (threshold {})", check.name, check.value, check.threshold
                    );
            return {};
        }
    );
}

}  // namespace

int serve(const Config& c, bool demo, bool migrate) {
    if (!safe_enough(c, demo)) return 2;
    auto db = open_platform_database(c);
    if (!db) {
        const auto& e = db.error();
        spdlog::error(
            "{}: {}{}",
            e.field.empty() ? "database" : e.field,
            e.message,
            e.detail.empty() ? "" : " (" + e.detail + ")"
        );
        return 1;
    }
    auto& database = **db;
    if (auto failed = ready_database(c, database, migrate)) return *failed;
    SystemClock clock;
    auto services = make_services(c, database, clock);
    if (!services) {
        spdlog::error(
            "{}: {}", services.error().field, services.error().message + services.error().detail
        );
        return 1;
    }
    auto& svc = **services;
    if (demo) {
        if (auto r = seed_demo(svc); !r) {
            spdlog::error("demo data: {} {}", r.error().message, r.error().detail);
            return 1;
        }
    }

    http::Metrics metrics;
    http::AccessLog access(make_access_logger(c), c.log_time_zone, clock);
    http::Router router;
    http::add_health_routes(router, database, metrics);
    metrics.add_collector([&database] { return platform_metrics(database); });
    const bool tls = !c.server_tls_cert_file.empty();
    // Secure cookies everywhere but --dev on plain HTTP (browsers treat loopback as secure).
    const http::CookiePolicy cookies{!(c.dev && !tls && !c.server_behind_proxy)};
    if (!cookies.secure) spdlog::warn("development mode: session cookies without Secure");
    auto api = api_context(c, database, svc, clock, cookies);
    http::add_api_routes(router, api);
    std::unique_ptr<http::StaticFiles> files;
    if (fs::is_directory(c.server_web_root))
        files = std::make_unique<http::StaticFiles>(c.server_web_root);
    else
        spdlog::warn(
            "server.web_root {} is not a directory: no web app is served", c.server_web_root
        );
    auto waf = load_waf(c);
    if (!waf) return 2;
    http::Pipeline pipeline(
        router,
        metrics,
        access,
        files.get(),
        pipeline_options(c, cookies),
        {&svc.auth, &svc.defence, &svc.tokens, &svc.support, &svc.maintenance, waf.get()}
    );
    Background background(c, database, svc, clock);
    if (auto r = background.start(); !r) {
        spdlog::error("keys: {}", r.error().message);
        return 1;
    }
    const auto so = server_options(c);
    http::Server server(so, pipeline, metrics);
    if (auto started = server.start(); !started) {
        const auto& e = started.error();
        spdlog::error(
            "{}{}{}",
            e.field.empty() ? "" : e.field + ": ",
            e.message,
            e.detail.empty() ? "" : " (" + e.detail + ")"
        );
        return 1;
    }
    spdlog::info("listening on {}://{}:{}", tls ? "https" : "http", so.host, server.port());
    server.run();
    spdlog::info("stopped");
    spdlog::shutdown();  // flushes the access log before the process exits
    return 0;
}

}  // namespace yoyaku::app

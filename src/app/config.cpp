#include "app/config.hpp"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <charconv>
#include <variant>

#include "core/net.hpp"
#include "core/time.hpp"

namespace yoyaku::app {
namespace {

using Member = std::variant<std::string Config::*, std::int64_t Config::*, bool Config::*>;

const std::map<std::string, Member>& keys() {
    static const std::map<std::string, Member> k = {
        {"server.listen", &Config::server_listen},
        {"server.tls_cert_file", &Config::server_tls_cert_file},
        {"server.tls_key_file", &Config::server_tls_key_file},
        {"server.behind_proxy", &Config::server_behind_proxy},
        {"server.io_threads", &Config::server_io_threads},
        {"server.worker_threads", &Config::server_worker_threads},
        {"server.header_limit", &Config::server_header_limit},
        {"server.body_limit", &Config::server_body_limit},
        {"server.request_timeout_ms", &Config::server_request_timeout_ms},
        {"server.idle_timeout_ms", &Config::server_idle_timeout_ms},
        {"server.max_connections", &Config::server_max_connections},
        {"server.web_root", &Config::server_web_root},
        {"server.metrics_public", &Config::server_metrics_public},
        {"server.public_url", &Config::server_public_url},
        {"server.trusted_proxies", &Config::server_trusted_proxies},
        {"security.keys_dir", &Config::security_keys_dir},
        {"security.argon2_memory_mib", &Config::security_argon2_memory_mib},
        {"security.argon2_ops", &Config::security_argon2_ops},
        {"security.hash_concurrency", &Config::security_hash_concurrency},
        {"security.hash_queue", &Config::security_hash_queue},
        {"security.stuffing_accounts", &Config::security_stuffing_accounts},
        {"security.free_bookings", &Config::security_free_bookings},
        {"security.block_minutes", &Config::security_block_minutes},
        {"security.challenge_difficulty", &Config::security_challenge_difficulty},
        {"database.url", &Config::database_url},
        {"database.owner_url", &Config::database_owner_url},
        {"database.pool_size", &Config::database_pool_size},
        {"database.prepared_statements", &Config::database_prepared_statements},
        {"mail.smtp_url", &Config::mail_smtp_url},
        {"mail.from", &Config::mail_from},
        {"mail.from_name", &Config::mail_from_name},
        {"mail.username", &Config::mail_username},
        {"mail.password", &Config::mail_password},
        {"mail.starttls", &Config::mail_starttls},
        {"mail.ca_file", &Config::mail_ca_file},
        {"webhooks.allow_private_targets", &Config::webhooks_allow_private_targets},
        {"webhooks.ca_file", &Config::webhooks_ca_file},
        {"line.api_base_url", &Config::line_api_base_url},
        {"line.login_base_url", &Config::line_login_base_url},
        {"line.data_base_url", &Config::line_data_base_url},
        {"zoom.api_base_url", &Config::zoom_api_base_url},
        {"zoom.oauth_base_url", &Config::zoom_oauth_base_url},
        {"payments.stripe_api_base", &Config::payments_stripe_api_base},
        {"waf.mode", &Config::waf_mode},
        {"waf.paranoia", &Config::waf_paranoia},
        {"waf.anomaly_threshold", &Config::waf_anomaly_threshold},
        {"waf.rules_dir", &Config::waf_rules_dir},
        {"backup.dir", &Config::backup_dir},
        {"backup.hour", &Config::backup_hour},
        {"backup.keep_generations", &Config::backup_keep_generations},
        {"backup.keep_days", &Config::backup_keep_days},
        {"backup.point_minutes", &Config::backup_point_minutes},
        {"backup.points_keep_hours", &Config::backup_points_keep_hours},
        {"backup.database_url", &Config::backup_database_url},
        {"monitor.db_latency_ms", &Config::monitor_db_latency_ms},
        {"monitor.queue_lag_seconds", &Config::monitor_queue_lag_seconds},
        {"monitor.mail_failures_per_hour", &Config::monitor_mail_failures_per_hour},
        {"monitor.backup_age_hours", &Config::monitor_backup_age_hours},
        {"monitor.min_free_disk_percent", &Config::monitor_min_free_disk_percent},
        {"log.level", &Config::log_level},
        {"log.access_log", &Config::log_access_log},
        {"log.time_zone", &Config::log_time_zone},
        {"log.format", &Config::log_format},
    };
    return k;
}

bool known_section(std::string_view s) {
    return s == "server" || s == "database" || s == "log" || s == "security" || s == "mail" ||
           s == "webhooks" || s == "line" || s == "zoom" || s == "payments" || s == "backup" ||
           s == "monitor" || s == "waf";
}

Result<void> set_from_text(
    Config& c, const std::string& key, const Member& m, const std::string& text
) {
    if (auto s = std::get_if<std::string Config::*>(&m)) {
        c.*(*s) = text;
    } else if (auto i = std::get_if<std::int64_t Config::*>(&m)) {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || end != text.data() + text.size())
            return Error::invalid(key, "must be an integer");
        c.*(*i) = v;
    } else {
        auto b = std::get<bool Config::*>(m);
        if (text == "true" || text == "1")
            c.*b = true;
        else if (text == "false" || text == "0")
            c.*b = false;
        else
            return Error::invalid(key, "must be true or false");
    }
    return {};
}

Result<void> set_from_toml(
    Config& c, const std::string& key, const Member& m, const toml::node& n
) {
    if (auto s = std::get_if<std::string Config::*>(&m)) {
        if (!n.is_string()) return Error::invalid(key, "must be a string");
        c.*(*s) = *n.value<std::string>();
    } else if (auto i = std::get_if<std::int64_t Config::*>(&m)) {
        if (!n.is_integer()) return Error::invalid(key, "must be an integer");
        c.*(*i) = *n.value<std::int64_t>();
    } else {
        if (!n.is_boolean()) return Error::invalid(key, "must be true or false");
        c.*std::get<bool Config::*>(m) = *n.value<bool>();
    }
    return {};
}

Result<void> check_range(const std::string& key, std::int64_t v, std::int64_t lo, std::int64_t hi) {
    if (v < lo || v > hi)
        return Error::invalid(
            key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi)
        );
    return {};
}

// postgresql://user:secret@host/db → true. Only the authority part counts (a ':' or '@' in the
// path or query is not a password).
bool url_has_password(std::string_view url) {
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return false;
    auto authority = url.substr(scheme + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    auto at = authority.rfind('@');
    return at != std::string_view::npos &&
           authority.substr(0, at).find(':') != std::string_view::npos;
}

bool loopback_host(const std::string& host) {
    return host == "localhost" || host.starts_with("127.") || host == "::1";
}

}  // namespace

std::string Config::effective_database_url() const {
    return database_url.empty() ? "sqlite:" + data_dir + "/yoyaku.db" : database_url;
}

std::string Config::effective_backup_database_url() const {
    return backup_database_url.empty() ? effective_database_url() : backup_database_url;
}

std::string Config::effective_public_url() const {
    if (!server_public_url.empty()) return server_public_url;
    const bool https = !server_tls_cert_file.empty() || server_behind_proxy;
    auto l = parse_listen(server_listen);
    std::string host = l ? l->first : "127.0.0.1";
    if (host == "0.0.0.0" || host == "::") host = "127.0.0.1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return std::string(https ? "https://" : "http://") + host + ":" +
           std::to_string(l ? l->second : 8080);
}

std::string Config::effective_keys_dir() const {
    return security_keys_dir.empty() ? data_dir + "/keys" : security_keys_dir;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) out.push_back(item);
        start = comma + 1;
    }
    return out;
}

std::optional<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& listen) {
    std::string host;
    std::string_view port;
    if (!listen.empty() && listen.front() == '[') {
        auto close = listen.find(']');
        if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':')
            return std::nullopt;
        host = listen.substr(1, close - 1);
        port = std::string_view(listen).substr(close + 2);
    } else {
        auto colon = listen.rfind(':');
        if (colon == std::string::npos || colon == 0) return std::nullopt;
        host = listen.substr(0, colon);
        if (host.find(':') != std::string::npos) return std::nullopt;
        port = std::string_view(listen).substr(colon + 1);
    }
    unsigned v = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || v > 65535)
        return std::nullopt;
    if (host == "localhost") host = "127.0.0.1";
    return std::pair{host, static_cast<std::uint16_t>(v)};
}

Result<Config> load_config(const Overrides& o, const std::vector<std::string>& env) {
    Config c;
    c.config_file = o.config_file;
    if (!o.config_file.empty()) {
        toml::table file;
        try {
            file = toml::parse_file(o.config_file);
        } catch (const toml::parse_error& e) {
            return Error::invalid(
                "config", "cannot read " + o.config_file + ": " + std::string(e.description())
            );
        }
        for (const auto& [section, node] : file) {
            std::string sec(section.str());
            // A table named "" is refused on "config" (found by fuzzing: it named no field).
            if (!known_section(sec) || !node.is_table())
                return Error::invalid(
                    sec.empty() ? "config" : sec,
                    "unknown section (expected server, database, security, mail, webhooks, "
                    "line, zoom, payments, backup, monitor, waf, log)"
                );
            for (const auto& [name, value] : *node.as_table()) {
                std::string key = sec + "." + std::string(name.str());
                auto it = keys().find(key);
                if (it == keys().end()) return Error::invalid(key, "unknown setting");
                YOYAKU_TRY(set_from_toml(c, key, it->second, value));
            }
        }
    }
    for (const auto& entry : env) {
        if (!entry.starts_with("YOYAKU_")) continue;
        auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        std::string name = entry.substr(7, eq - 7);
        auto us = name.find('_');
        if (us == std::string::npos) continue;
        std::string sec = name.substr(0, us), rest = name.substr(us + 1);
        for (auto& ch : sec) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        for (auto& ch : rest) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (!known_section(sec)) continue;  // other YOYAKU_* variables are not settings
        std::string key = sec + "." + rest;
        auto it = keys().find(key);
        if (it == keys().end())
            return Error::invalid(
                key, "unknown setting (from environment " + entry.substr(0, eq) + ")"
            );
        YOYAKU_TRY(set_from_text(c, key, it->second, entry.substr(eq + 1)));
    }
    if (!o.data_dir.empty()) c.data_dir = o.data_dir;
    if (!o.database_url.empty()) c.database_url = o.database_url;
    if (!o.listen.empty()) c.server_listen = o.listen;
    c.dev = o.dev;
    YOYAKU_TRY(validate(c));
    return c;
}

namespace {

// Addresses, URLs and files the configuration names.
Result<void> check_addresses(const Config& c) {
    if (!parse_listen(c.server_listen))
        return Error::invalid("server.listen", "must be HOST:PORT, e.g. 127.0.0.1:8080");
    if (c.server_tls_cert_file.empty() != c.server_tls_key_file.empty())
        return Error::invalid(
            c.server_tls_cert_file.empty() ? "server.tls_cert_file" : "server.tls_key_file",
            "TLS needs both a certificate file and a key file"
        );
    if (!c.mail_smtp_url.empty() && !c.mail_smtp_url.starts_with("smtp://") &&
        !c.mail_smtp_url.starts_with("smtps://"))
        return Error::invalid("mail.smtp_url", "must be smtp://HOST:PORT or smtps://HOST:PORT");
    if (!c.line_api_base_url.starts_with("https://") && !c.line_api_base_url.starts_with("http://"))
        return Error::invalid("line.api_base_url", "must be https://HOST[:PORT]");
    if (!c.line_login_base_url.starts_with("https://") &&
        !c.line_login_base_url.starts_with("http://"))
        return Error::invalid("line.login_base_url", "must be https://HOST[:PORT]");
    if (!c.line_data_base_url.starts_with("https://") &&
        !c.line_data_base_url.starts_with("http://"))
        return Error::invalid("line.data_base_url", "must be https://HOST[:PORT]");
    if (!c.zoom_api_base_url.starts_with("https://") && !c.zoom_api_base_url.starts_with("http://"))
        return Error::invalid("zoom.api_base_url", "must be https://HOST[:PORT][/PATH]");
    if (!c.zoom_oauth_base_url.starts_with("https://") &&
        !c.zoom_oauth_base_url.starts_with("http://"))
        return Error::invalid("zoom.oauth_base_url", "must be https://HOST[:PORT]");
    if (!c.payments_stripe_api_base.starts_with("https://") &&
        !c.payments_stripe_api_base.starts_with("http://"))
        return Error::invalid("payments.stripe_api_base", "must be https://HOST[:PORT]");
    if (c.mail_from.find('@') == std::string::npos ||
        c.mail_from.find_first_of("<>\r\n ,") != std::string::npos)
        return Error::invalid("mail.from", "must be one plain address, e.g. no-reply@example.jp");
    if (c.mail_from_name.find_first_of("\r\n") != std::string::npos)
        return Error::invalid("mail.from_name", "must be one line");
    const auto url = c.effective_database_url();
    if (!url.starts_with("sqlite:") && !url.starts_with("postgresql://") &&
        !url.starts_with("postgres://"))
        return Error::invalid("database.url", "must be sqlite:<path> or postgresql://...");
    if (const auto& b = c.backup_database_url;
        !b.empty() && (url.starts_with("sqlite:") ||
                       !(b.starts_with("postgresql://") || b.starts_with("postgres://"))))
        return Error::invalid(
            "backup.database_url", "must be postgresql://... and only with a PostgreSQL database"
        );
    if (const auto& o = c.database_owner_url;
        !o.empty() && (url.starts_with("sqlite:") ||
                       !(o.starts_with("postgresql://") || o.starts_with("postgres://"))))
        return Error::invalid(
            "database.owner_url", "must be postgresql://... and only with a PostgreSQL database"
        );
    if (const auto& u = c.server_public_url; !u.empty()) {
        const auto rest = u.starts_with("https://")  ? u.substr(8)
                          : u.starts_with("http://") ? u.substr(7)
                                                     : std::string();
        if (rest.empty() || rest.find_first_of("/?# ") != std::string::npos)
            return Error::invalid(
                "server.public_url", "must be like https://booking.example.jp (no path)"
            );
    }
    for (const auto& item : split_list(c.server_trusted_proxies))
        if (!net::parse_cidr(item))
            return Error::invalid(
                "server.trusted_proxies", "'" + item + "' is not an address or CIDR range"
            );
    return {};
}

// Numbers within what the platform supports.
Result<void> check_ranges(const Config& c) {
    YOYAKU_TRY(check_range("server.io_threads", c.server_io_threads, 0, 256));
    YOYAKU_TRY(check_range("backup.hour", c.backup_hour, 0, 23));
    YOYAKU_TRY(check_range("backup.keep_generations", c.backup_keep_generations, 1, 1000));
    YOYAKU_TRY(check_range("backup.keep_days", c.backup_keep_days, 1, 3650));
    YOYAKU_TRY(check_range("backup.point_minutes", c.backup_point_minutes, 0, 1440));
    YOYAKU_TRY(check_range("backup.points_keep_hours", c.backup_points_keep_hours, 1, 24 * 90));
    YOYAKU_TRY(check_range("monitor.db_latency_ms", c.monitor_db_latency_ms, 1, 60'000));
    YOYAKU_TRY(check_range("monitor.queue_lag_seconds", c.monitor_queue_lag_seconds, 1, 86'400));
    YOYAKU_TRY(check_range(
        "monitor.mail_failures_per_hour", c.monitor_mail_failures_per_hour, 1, 1'000'000
    ));
    YOYAKU_TRY(check_range("monitor.backup_age_hours", c.monitor_backup_age_hours, 1, 24 * 366));
    YOYAKU_TRY(check_range("monitor.min_free_disk_percent", c.monitor_min_free_disk_percent, 1, 90)
    );
    YOYAKU_TRY(check_range("server.worker_threads", c.server_worker_threads, 1, 1024));
    YOYAKU_TRY(check_range("server.header_limit", c.server_header_limit, 1024, 1 << 20));
    YOYAKU_TRY(check_range("server.body_limit", c.server_body_limit, 1024, std::int64_t{1} << 30));
    YOYAKU_TRY(check_range("server.request_timeout_ms", c.server_request_timeout_ms, 100, 600'000));
    YOYAKU_TRY(check_range("server.idle_timeout_ms", c.server_idle_timeout_ms, 100, 600'000));
    YOYAKU_TRY(check_range("server.max_connections", c.server_max_connections, 1, 1'000'000));
    YOYAKU_TRY(check_range("database.pool_size", c.database_pool_size, 1, 1000));
    YOYAKU_TRY(check_range("waf.paranoia", c.waf_paranoia, 1, 4));
    YOYAKU_TRY(check_range("waf.anomaly_threshold", c.waf_anomaly_threshold, 1, 1000));
    YOYAKU_TRY(check_range("security.argon2_memory_mib", c.security_argon2_memory_mib, 8, 4096));
    YOYAKU_TRY(check_range("security.argon2_ops", c.security_argon2_ops, 1, 20));
    YOYAKU_TRY(check_range("security.hash_concurrency", c.security_hash_concurrency, 1, 64));
    YOYAKU_TRY(check_range("security.hash_queue", c.security_hash_queue, 0, 1024));
    YOYAKU_TRY(check_range("security.stuffing_accounts", c.security_stuffing_accounts, 2, 10000));
    YOYAKU_TRY(check_range("security.free_bookings", c.security_free_bookings, 0, 1'000'000'000));
    YOYAKU_TRY(check_range("security.block_minutes", c.security_block_minutes, 1, 7 * 24 * 60));
    YOYAKU_TRY(check_range(
        "security.challenge_difficulty", c.security_challenge_difficulty, 1000, 10'000'000
    ));
    return {};
    return {};
}

// Settings that take one of a few words, and the data directory.
Result<void> check_choices(const Config& c) {
    if (c.waf_mode != "block" && c.waf_mode != "detect" && c.waf_mode != "off")
        return Error::invalid("waf.mode", "must be one of block, detect, off");
    const auto& l = c.log_level;
    if (l != "trace" && l != "debug" && l != "info" && l != "warn" && l != "error")
        return Error::invalid("log.level", "must be one of trace, debug, info, warn, error");
    const auto& a = c.log_access_log;
    if (a != "file" && a != "stdout" && a != "off")
        return Error::invalid("log.access_log", "must be one of file, stdout, off");
    if (c.log_format != "text" && c.log_format != "json")
        return Error::invalid("log.format", "must be one of text, json");
    if (!is_known_zone(c.log_time_zone))
        return Error::invalid("log.time_zone", "unknown IANA time zone");
    if (c.data_dir.empty()) return Error::invalid("data", "must not be empty");
    return {};
}

}  // namespace

Result<void> validate(const Config& c) {
    YOYAKU_TRY(check_addresses(c));
    YOYAKU_TRY(check_ranges(c));
    return check_choices(c);
}

std::vector<std::string> insecure_reasons(const Config& c) {
    std::vector<std::string> out;
    auto listen = parse_listen(c.server_listen);
    const bool tls = !c.server_tls_cert_file.empty();
    if (listen && !loopback_host(listen->first) && !tls && !c.server_behind_proxy)
        out.push_back(
            "server.listen: plain HTTP on a non-loopback address; set server.tls_cert_file/"
            "server.tls_key_file, or server.behind_proxy = true when a TLS proxy is in front"
        );
    struct stat st {};
    if (tls && ::stat(c.server_tls_key_file.c_str(), &st) == 0 && (st.st_mode & 077))
        out.push_back("server.tls_key_file: readable by group or others (chmod 600)");
    if (::stat(c.data_dir.c_str(), &st) == 0 && (st.st_mode & 002))
        out.push_back("data: the data directory is writable by others (chmod 700)");
    if (c.log_access_log == "off") out.push_back("log.access_log: access logging is off");
    if (!c.config_file.empty() && ::stat(c.config_file.c_str(), &st) == 0 && (st.st_mode & 004) &&
        url_has_password(c.database_url))
        out.push_back("database.url: a password in a world-readable configuration file (chmod 600)"
        );
    if (!c.config_file.empty() && ::stat(c.config_file.c_str(), &st) == 0 && (st.st_mode & 004) &&
        url_has_password(c.database_owner_url))
        out.push_back(
            "database.owner_url: a password in a world-readable configuration file (chmod 600)"
        );
    if (c.server_behind_proxy && c.server_trusted_proxies.empty())
        out.push_back(
            "server.behind_proxy without server.trusted_proxies: every client would look like the "
            "proxy (one automatic block would lock everyone out, /metrics would be open); list "
            "the proxy's addresses"
        );
    if (!c.config_file.empty() && ::stat(c.config_file.c_str(), &st) == 0 && (st.st_mode & 004) &&
        url_has_password(c.backup_database_url))
        out.push_back(
            "backup.database_url: a password in a world-readable configuration file (chmod 600)"
        );
    if (c.security_argon2_memory_mib < 19)
        out.push_back("security.argon2_memory_mib: under 19 MiB, below OWASP's minimum for argon2id"
        );
    if (!c.mail_smtp_url.empty() && !c.mail_starttls && c.mail_smtp_url.starts_with("smtp://"))
        out.push_back("mail.starttls: mail (with sign-in links) would travel unencrypted");
    if (!c.config_file.empty() && ::stat(c.config_file.c_str(), &st) == 0 && (st.st_mode & 004) &&
        !c.mail_password.empty())
        out.push_back("mail.password: in a world-readable configuration file (chmod 600)");
    if (c.webhooks_allow_private_targets)
        out.push_back(
            "webhooks.allow_private_targets: webhooks may reach loopback and private addresses"
        );
    if (c.backup_keep_generations < 8 || c.backup_keep_days < 30)
        out.push_back("backup.keep_*: fewer than 8 generations or 30 days of backups are kept");
    if (c.line_api_base_url.starts_with("http://"))
        out.push_back("line.api_base_url: channel tokens and messages would travel unencrypted");
    if (c.line_login_base_url.starts_with("http://"))
        out.push_back("line.login_base_url: customers would sign in with LINE unencrypted");
    if (c.line_data_base_url.starts_with("http://"))
        out.push_back("line.data_base_url: the channel token would travel unencrypted");
    if (c.zoom_api_base_url.starts_with("http://") || c.zoom_oauth_base_url.starts_with("http://"))
        out.push_back("zoom.*_base_url: Zoom credentials and meeting links would travel unencrypted"
        );
    if (c.payments_stripe_api_base.starts_with("http://"))
        out.push_back("payments.stripe_api_base: payment keys would travel unencrypted");
    if (c.waf_mode == "off")
        out.push_back("waf.mode = off: requests reach the platform without the firewall");
    if (c.server_metrics_public && !tls && !c.server_behind_proxy)
        out.push_back("server.metrics_public: metrics served to any address over plain HTTP");
    return out;
}

}  // namespace yoyaku::app

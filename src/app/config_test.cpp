#include "app/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using namespace yoyaku;
using namespace yoyaku::app;

namespace {
std::string write_temp(const std::string& text) {
    auto p = std::filesystem::temp_directory_path() /
             ("yoyaku-cfg-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(p) << text;
    return p.string();
}
struct Flags {  // designated initializers name only what a test sets
    std::string listen = {}, config_file = {}, data_dir = {}, database_url = {};
};
Overrides flags(Flags f) {
    Overrides o;
    o.listen = f.listen;
    o.config_file = f.config_file;
    o.data_dir = f.data_dir;
    o.database_url = f.database_url;
    return o;
}
}  // namespace

TEST(Config, DefaultsAreValidAndSafe) {
    auto c = load_config({}, {});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server_listen, "127.0.0.1:8080");
    EXPECT_EQ(c->effective_database_url(), "sqlite:./data/yoyaku.db");
    EXPECT_TRUE(insecure_reasons(*c).empty());
}

TEST(Config, FileThenEnvironmentThenFlags) {
    auto path = write_temp(
        "[server]\nlisten = \"127.0.0.1:9000\"\nbody_limit = 4096\n[log]\nlevel = \"debug\"\n"
    );
    auto c = load_config(
        flags({.listen = "", .config_file = path, .data_dir = "/tmp/d", .database_url = ""}),
        {"YOYAKU_SERVER_BODY_LIMIT=8192", "YOYAKU_TEST_PG_URL=ignored", "PATH=/bin"}
    );
    ASSERT_TRUE(c) << c.error().field << ": " << c.error().message;
    EXPECT_EQ(c->server_listen, "127.0.0.1:9000");
    EXPECT_EQ(c->server_body_limit, 8192);
    EXPECT_EQ(c->log_level, "debug");
    EXPECT_EQ(c->data_dir, "/tmp/d");
    auto flagged = load_config(flags({.listen = "127.0.0.1:7000", .config_file = path}), {});
    ASSERT_TRUE(flagged);
    EXPECT_EQ(flagged->server_listen, "127.0.0.1:7000");
    std::filesystem::remove(path);
}

TEST(Config, UnknownKeysAreNamed) {
    auto path = write_temp("[server]\nlistne = \"x\"\n");
    auto c = load_config(flags({.config_file = path}), {});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, "server.listne");
    std::filesystem::remove(path);
    auto e = load_config({}, {"YOYAKU_SERVER_BODYLIMIT=5"});
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().field, "server.bodylimit");
}

TEST(Config, BadValuesAreNamed) {
    auto a = load_config({}, {"YOYAKU_SERVER_BODY_LIMIT=lots"});
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().field, "server.body_limit");
    auto b = load_config({}, {"YOYAKU_LOG_TIME_ZONE=Mars/Base"});
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().field, "log.time_zone");
    auto d = load_config(flags({.listen = "nonsense"}), {});
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().field, "server.listen");
    auto t = load_config({}, {"YOYAKU_SERVER_TLS_CERT_FILE=/x.pem"});
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().field, "server.tls_key_file");
    auto u = load_config(flags({.database_url = "mysql://x"}), {});
    ASSERT_FALSE(u);
    EXPECT_EQ(u.error().field, "database.url");
}

// Found by fuzzing (fuzz/corpus/config/unnamed-table.toml): a table named "" was refused
// naming no key, so nobody could tell what to fix.
TEST(Config, AnUnnamedTableIsRefusedOnTheFile) {
    auto c = load_config(flags({.config_file = write_temp("\"\".time_zone = \"\"\n")}), {});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, "config");
    auto other = load_config(flags({.config_file = write_temp("[printer]\nx = 1\n")}), {});
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().field, "printer");
}

TEST(Config, PlainHttpOnAPublicAddressIsInsecure) {
    auto c = load_config(flags({.listen = "0.0.0.0:8080"}), {});
    ASSERT_TRUE(c);
    auto reasons = insecure_reasons(*c);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("server.listen"), std::string::npos);
    auto proxied = load_config(
        flags({.listen = "0.0.0.0:8080"}),
        {"YOYAKU_SERVER_BEHIND_PROXY=true", "YOYAKU_SERVER_TRUSTED_PROXIES=10.0.0.5"}
    );
    ASSERT_TRUE(proxied);
    EXPECT_TRUE(insecure_reasons(*proxied).empty());
}

// Issue 24, defect 4: behind a proxy nobody named, every client looks like the proxy.
TEST(Config, AProxyWithoutTrustedProxiesIsInsecure) {
    auto c = load_config(flags({.listen = "0.0.0.0:8080"}), {"YOYAKU_SERVER_BEHIND_PROXY=true"});
    ASSERT_TRUE(c);
    auto reasons = insecure_reasons(*c);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("server.trusted_proxies"), std::string::npos) << reasons[0];
}

TEST(Config, AccessLogOffIsInsecure) {
    auto c = load_config({}, {"YOYAKU_LOG_ACCESS_LOG=off"});
    ASSERT_TRUE(c);
    EXPECT_EQ(insecure_reasons(*c).size(), 1u);
}

// S8b: the firewall is on unless --dev says otherwise; its settings are checked and named.
// Zoom's hosts: the real service by default; a stand-in from the file or the environment,
// plain http logged as unsafe; anything else named.
TEST(Config, ZoomsHostsAreSettings) {
    auto c = load_config({}, {});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->zoom_api_base_url, "https://api.zoom.us/v2");
    EXPECT_EQ(c->zoom_oauth_base_url, "https://zoom.us");
    auto path = write_temp("[zoom]\noauth_base_url = \"https://zoom.example\"\n");
    auto local = load_config(
        flags({.config_file = path}), {"YOYAKU_ZOOM_API_BASE_URL=http://127.0.0.1:9/v2"}
    );
    std::filesystem::remove(path);
    ASSERT_TRUE(local) << local.error().field << ": " << local.error().message;
    EXPECT_EQ(local->zoom_api_base_url, "http://127.0.0.1:9/v2");
    EXPECT_EQ(local->zoom_oauth_base_url, "https://zoom.example");
    const auto reasons = insecure_reasons(*local);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("zoom."), std::string::npos) << reasons[0];
    auto bad = load_config({}, {"YOYAKU_ZOOM_OAUTH_BASE_URL=ftp://zoom.us"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "zoom.oauth_base_url");
}

TEST(Config, TheFirewallBlocksByDefaultAndOffIsInsecure) {
    auto c = load_config({}, {});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->waf_mode, "block");
    EXPECT_EQ(c->waf_paranoia, 1);
    EXPECT_EQ(c->waf_anomaly_threshold, 5);
    auto off = load_config({}, {"YOYAKU_WAF_MODE=off"});
    ASSERT_TRUE(off);
    auto reasons = insecure_reasons(*off);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("waf.mode"), std::string::npos) << reasons[0];
    auto detect = load_config({}, {"YOYAKU_WAF_MODE=detect", "YOYAKU_WAF_PARANOIA=2"});
    ASSERT_TRUE(detect);
    EXPECT_TRUE(insecure_reasons(*detect).empty());
    EXPECT_EQ(detect->waf_paranoia, 2);
    auto bad = load_config({}, {"YOYAKU_WAF_MODE=maybe"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "waf.mode");
    auto level = load_config({}, {"YOYAKU_WAF_PARANOIA=5"});
    ASSERT_FALSE(level);
    EXPECT_EQ(level.error().field, "waf.paranoia");
}

TEST(Config, DatabasePasswordInAWorldReadableFileIsInsecure) {
    for (const char* url :
         {"postgresql://app:s3cret@db/yoyaku", "postgres://app:s3cret@db/yoyaku"}) {
        auto path = write_temp(std::string("[database]\nurl = \"") + url + "\"\n");
        ::chmod(path.c_str(), 0644);
        auto c = load_config(flags({.config_file = path}), {});
        ASSERT_TRUE(c) << url;
        auto reasons = insecure_reasons(*c);
        ASSERT_EQ(reasons.size(), 1u) << url;
        EXPECT_NE(reasons[0].find("database.url"), std::string::npos);
        ::chmod(path.c_str(), 0600);
        EXPECT_TRUE(insecure_reasons(*c).empty()) << url;
        std::filesystem::remove(path);
    }
    // No password, or an '@' and ':' only after the host: nothing to hide.
    for (const char* url : {"postgresql://app@db/yoyaku", "postgresql://db/yoyaku?options=a:b@c"}) {
        auto path = write_temp(std::string("[database]\nurl = \"") + url + "\"\n");
        ::chmod(path.c_str(), 0644);
        auto c = load_config(flags({.config_file = path}), {});
        ASSERT_TRUE(c) << url;
        EXPECT_TRUE(insecure_reasons(*c).empty()) << url;
        std::filesystem::remove(path);
    }
}

TEST(ParseListen, AcceptsV4V6AndLocalhost) {
    EXPECT_EQ(parse_listen("127.0.0.1:80")->second, 80);
    EXPECT_EQ(parse_listen("[::1]:8443")->first, "::1");
    EXPECT_EQ(parse_listen("localhost:1")->first, "127.0.0.1");
    EXPECT_FALSE(parse_listen("127.0.0.1"));
    EXPECT_FALSE(parse_listen("127.0.0.1:99999"));
    EXPECT_FALSE(parse_listen(":80"));
}

TEST(Config, MonitorLimitsAreSettingsWithinRange) {
    auto path = write_temp("[monitor]\ndb_latency_ms = 250\nmin_free_disk_percent = 20\n");
    auto c =
        load_config(flags({.config_file = path}), {"YOYAKU_MONITOR_MAIL_FAILURES_PER_HOUR=12"});
    ASSERT_TRUE(c) << c.error().field << ": " << c.error().message;
    EXPECT_EQ(c->monitor_db_latency_ms, 250);
    EXPECT_EQ(c->monitor_min_free_disk_percent, 20);
    EXPECT_EQ(c->monitor_mail_failures_per_hour, 12);
    EXPECT_EQ(c->monitor_queue_lag_seconds, 600) << "the default";
    EXPECT_EQ(c->monitor_backup_age_hours, 26) << "the default";
    std::filesystem::remove(path);
    auto none = load_config({}, {"YOYAKU_MONITOR_MIN_FREE_DISK_PERCENT=0"});
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().field, "monitor.min_free_disk_percent");
    auto late = load_config({}, {"YOYAKU_MONITOR_BACKUP_AGE_HOURS=-1"});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().field, "monitor.backup_age_hours");
}

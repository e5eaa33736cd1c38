#include "domain/monitor/monitor.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "domain/accounts/account_service.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/mail/mail.hpp"
#include "domain/tenants/platform_setting_store.hpp"

namespace yoyaku::monitor {
namespace fs = std::filesystem;
namespace {

using storage::Tx;

constexpr double kNone = std::numeric_limits<double>::infinity();

std::string seconds_text(std::int64_t s) {
    return std::to_string(s) + " s";
}

Check database_latency(storage::Database& db, const Thresholds& t) {
    const auto start = std::chrono::steady_clock::now();
    auto r = db.ping();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
    const std::string limit = std::to_string(t.db_latency.count()) + " ms";
    if (!r) return {"database_latency", false, "no answer", limit, kNone};
    return {
        "database_latency",
        ms <= t.db_latency,
        std::to_string(ms.count()) + " ms",
        limit,
        std::chrono::duration<double>(elapsed).count()};
}

// The newest backup's age, by the file's time.
Check backup_age(const fs::path& dir, Instant now, const Thresholds& t) {
    const std::string limit = std::to_string(t.backup_age.count()) + " h";
    std::optional<fs::file_time_type> newest;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        if (!name.starts_with("yoyaku-") || !name.ends_with(".ybk")) continue;
        const auto at = e.last_write_time(ec);
        if (!ec && (!newest || at > *newest)) newest = at;
    }
    if (!newest) return {"backup_age", false, "no backup", limit, kNone};
    const auto written = std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::file_clock::to_sys(*newest)
    );
    const auto age = std::chrono::duration_cast<std::chrono::hours>(now - written);
    return {
        "backup_age",
        age <= t.backup_age,
        std::to_string(age.count()) + " h",
        limit,
        std::chrono::duration<double>(now - written).count()};
}

Check disk_free(const fs::path& dir, const Thresholds& t) {
    const std::string limit = std::to_string(static_cast<int>(t.min_free_disk * 100)) + " %";
    std::error_code ec;
    const auto s = fs::space(dir, ec);
    if (ec || s.capacity == 0) return {"disk_free", false, "unknown", limit, kNone};
    const double free = static_cast<double>(s.available) / static_cast<double>(s.capacity);
    return {
        "disk_free",
        free >= t.min_free_disk,
        std::to_string(static_cast<int>(free * 100)) + " %",
        limit,
        free};
}

boost::json::object to_json(const Reading& r) {
    boost::json::array checks;
    for (const auto& c : r.checks)
        checks.push_back(
            {{"name", c.name},
             {"ok", c.ok},
             {"value", c.value},
             {"threshold", c.threshold},
             // JSON has no infinity: "none" is null.
             {"amount",
              std::isinf(c.amount) ? boost::json::value(nullptr) : boost::json::value(c.amount)}}
        );
    return {{"at", to_micros(r.at)}, {"checks", std::move(checks)}};
}

std::optional<Reading> from_json(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    try {
        Reading r;
        r.at = from_micros(v.at("at").as_int64());
        for (const auto& c : v.at("checks").as_array()) {
            // Readings stored before amounts were kept have none.
            const auto* amount = c.as_object().if_contains("amount");
            r.checks.push_back(
                {std::string(c.at("name").as_string()),
                 c.at("ok").as_bool(),
                 std::string(c.at("value").as_string()),
                 std::string(c.at("threshold").as_string()),
                 amount && amount->is_number() ? amount->to_number<double>() : kNone}
            );
        }
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

bool Reading::ok() const {
    for (const auto& c : checks)
        if (!c.ok) return false;
    return true;
}

Result<Reading> measure(
    storage::Database& db, Instant now, const Inputs& inputs, const Thresholds& t
) {
    Reading r;
    r.at = now;
    r.checks.push_back(database_latency(db, t));
    YOYAKU_TRY_ASSIGN(auto counts, jobs::counts(db, now));
    r.checks.push_back(
        {"queue_lag",
         counts.oldest_due_lag_s <= t.queue_lag.count(),
         seconds_text(counts.oldest_due_lag_s),
         seconds_text(t.queue_lag.count()),
         static_cast<double>(counts.oldest_due_lag_s)}
    );
    YOYAKU_TRY_ASSIGN(
        auto failed, jobs::count_failed_since(db, "mail", now - std::chrono::hours(1))
    );
    r.checks.push_back(
        {"mail_failures",
         failed < t.mail_failures_per_hour,
         std::to_string(failed) + " in the last hour",
         "fewer than " + std::to_string(t.mail_failures_per_hour),
         static_cast<double>(failed)}
    );
    if (!inputs.backup_dir.empty()) r.checks.push_back(backup_age(inputs.backup_dir, now, t));
    r.checks.push_back(disk_free(inputs.data_dir, t));
    return r;
}

Monitor::Monitor(
    storage::Database& db,
    crypto::Keyring& keys,
    accounts::AccountService& accounts,
    const Clock& clock,
    Inputs inputs,
    Thresholds thresholds
)
    : db_(db),
      keys_(keys),
      accounts_(accounts),
      clock_(clock),
      inputs_(std::move(inputs)),
      thresholds_(thresholds) {}

Result<std::optional<Reading>> Monitor::last(storage::Database& db) {
    return db.read_platform([](Tx& tx) -> Result<std::optional<Reading>> {
        YOYAKU_TRY_ASSIGN(const auto last, tenants::PlatformSettingStore(tx).find("monitor.last"));
        if (!last) return std::optional<Reading>();
        return from_json(*last);
    });
}

Result<Reading> Monitor::run() {
    const Instant now = clock_.now();
    auto reading = measure(db_, now, inputs_, thresholds_);
    if (!reading) return reading;
    YOYAKU_TRY_ASSIGN(auto before, last(db_));
    std::map<std::string, bool> was;
    if (before)
        for (const auto& c : (before)->checks) was[c.name] = c.ok;
    std::vector<const Check*> changed;
    for (const auto& c : reading->checks) {
        const auto it = was.find(c.name);
        const bool previously_ok = it == was.end() || it->second;
        if (previously_ok != c.ok) changed.push_back(&c);
    }
    YOYAKU_TRY_ASSIGN(
        auto operators,
        changed.empty() ? Result<std::vector<accounts::Account>>(std::vector<accounts::Account>{})
                        : accounts_.list(accounts::kPlatform, access::Role::operator_)
    );
    YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY(tenants::PlatformSettingStore(tx).upsert(
            "monitor.last", boost::json::serialize(to_json(*reading)), now
        ));
        for (const auto* c : changed) {
            YOYAKU_TRY_ASSIGN(
                auto e,
                audit::append_platform(
                    tx,
                    {"monitor", "system"},
                    {},
                    {c->ok ? "monitor.recovered" : "monitor.alert",
                     "monitor:" + c->name,
                     "success",
                     boost::json::serialize(boost::json::object{
                         {"value", c->value}, {"threshold", c->threshold}})},
                    now
                )
            );
            for (const auto& op : operators) {
                if (op.status != accounts::Status::active) continue;
                const std::string locale = op.locale.empty() ? "ja" : op.locale;
                YOYAKU_TRY_ASSIGN(
                    auto mail,
                    mail::render(
                        "monitor_alert",
                        locale,
                        {{"tenant_name", "Yoyaku"},
                         {"check", c->name},
                         {"value", c->value},
                         {"threshold", c->threshold},
                         {"at", mail::format_local(now, "Asia/Tokyo", locale)},
                         {c->ok ? "recovered" : "failing", "1"}},
                        op.email
                    )
                );
                YOYAKU_TRY(mail::enqueue(
                    tx, keys_, accounts::kPlatform, "monitor.alert", mail, now, "monitor:" + c->name
                ));
            }
        }
        return {};
    }));
    return reading;
}

}  // namespace yoyaku::monitor

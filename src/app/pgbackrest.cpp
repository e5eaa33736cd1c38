#include "app/pgbackrest.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "storage/tool.hpp"

namespace yoyaku::app::pgbackrest {
namespace json = boost::json;
namespace {

Error down(std::string message) {
    return Error{Errc::unavailable, std::move(message), {}, {}};
}

Result<std::string> run(const Stanza& s, std::vector<std::string> args, bool keep_output) {
    std::vector<std::string> argv{"pgbackrest"};
    if (!s.config.empty()) argv.push_back("--config=" + s.config);
    argv.push_back("--stanza=" + s.name);
    for (auto& a : args) argv.push_back(std::move(a));
    return storage::run_tool(
        argv, storage::own_environment(), keep_output, "apt-get install pgbackrest"
    );
}

std::int64_t i64_at(const json::object& o, std::initializer_list<std::string_view> path) {
    const json::value* v = nullptr;
    const json::object* at = &o;
    for (auto key : path) {
        if (!at) return 0;
        v = at->if_contains(key);
        if (!v) return 0;
        at = v->if_object();
    }
    if (const auto* n = v->if_int64()) return *n;
    if (const auto* u = v->if_uint64()) return static_cast<std::int64_t>(*u);
    return 0;
}

std::string string_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Instant from_seconds(std::int64_t s) {
    return from_micros(s * 1000000);
}

}  // namespace

std::string recovery_target(Instant at) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
    char micros[8];
    std::snprintf(micros, sizeof micros, ".%06lld", static_cast<long long>((at - seconds).count()));
    // "2027-04-01T00:29:00.000+00:00" → "2027-04-01 00:29:00"
    auto text = format_rfc3339(seconds, "UTC").substr(0, 19);
    text[10] = ' ';
    return text + micros + "+00";
}

Result<Window> parse_info(std::string_view text, std::string_view stanza) {
    boost::system::error_code ec;
    const auto doc = json::parse(text, ec);
    if (ec || !doc.is_array()) return down("pgbackrest info did not answer in JSON");
    for (const auto& st : doc.as_array()) {
        const auto* o = st.if_object();
        if (!o || string_at(*o, "name") != stanza) continue;
        Window w;
        if (const auto* status = o->if_contains("status"); status && status->is_object())
            w.status = string_at(status->as_object(), "message");
        if (const auto* archive = o->if_contains("archive"); archive && archive->is_array())
            for (const auto& a : archive->as_array())
                if (const auto* ao = a.if_object()) {
                    // One entry per PostgreSQL version the stanza has held: the last is now.
                    const auto first = string_at(*ao, "min");
                    if (w.wal_first.empty() || (!first.empty() && first < w.wal_first))
                        w.wal_first = first;
                    w.wal_last = std::max(w.wal_last, string_at(*ao, "max"));
                }
        if (const auto* backups = o->if_contains("backup"); backups && backups->is_array())
            for (const auto& b : backups->as_array()) {
                const auto* bo = b.if_object();
                if (!bo) continue;
                if (const auto* e = bo->if_contains("error"); e && e->is_bool() && e->as_bool())
                    continue;  // a backup pgBackRest found damaged restores nothing
                BaseBackup out;
                out.label = string_at(*bo, "label");
                out.type = string_at(*bo, "type");
                out.started = from_seconds(i64_at(*bo, {"timestamp", "start"}));
                out.stopped = from_seconds(i64_at(*bo, {"timestamp", "stop"}));
                out.database_bytes = i64_at(*bo, {"info", "size"});
                out.repository_bytes = i64_at(*bo, {"info", "repository", "delta"});
                w.backups.insert(w.backups.begin(), std::move(out));  // listed oldest first
            }
        return w;
    }
    return down("pgbackrest knows no stanza " + std::string(stanza) + " (stanza-create first)");
}

Result<Window> info(const Stanza& s) {
    YOYAKU_TRY_ASSIGN(auto out, run(s, {"--output=json", "info"}, true));
    return parse_info(out, s.name);
}

Result<BaseBackup> take(const Stanza& s, std::string_view type) {
    if (type != "full" && type != "diff" && type != "incr")
        return Error::invalid("type", "must be full, diff or incr");
    YOYAKU_TRY_ASSIGN(auto before, info(s));
    YOYAKU_TRY(run(s, {"--type=" + std::string(type), "backup"}, false));
    YOYAKU_TRY_ASSIGN(auto after, info(s));
    if (after.backups.empty() ||
        (!before.backups.empty() && after.backups.front().label == before.backups.front().label))
        return down("pgbackrest backup finished but the repository lists no new backup");
    return after.backups.front();
}

Result<void> restore(const Stanza& s, std::optional<Instant> at, Instant now) {
    YOYAKU_TRY_ASSIGN(auto w, info(s));
    if (w.backups.empty())
        return Error::invalid("at", "the repository holds no backup to restore from");
    std::vector<std::string> args{"--delta"};
    if (at) {
        if (*at > now) return Error::invalid("at", "is in the future");
        const auto oldest = w.backups.back().stopped;
        if (*at < oldest)
            return Error::invalid(
                "at",
                "is before the oldest backup in the repository finished (" +
                    format_rfc3339(oldest, "UTC") + "): nothing restores to it"
            );
        args.push_back("--type=time");
        args.push_back("--target=" + recovery_target(*at));
        args.push_back("--target-action=promote");
    }
    args.push_back("restore");
    YOYAKU_TRY(run(s, std::move(args), false));
    return {};
}

}  // namespace yoyaku::app::pgbackrest

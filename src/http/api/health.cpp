#include "http/api/health.hpp"

#include <boost/json.hpp>

#include "storage/migrations.hpp"

namespace yoyaku::http {
void add_health_routes(Router& router, storage::Database& db, Metrics& metrics) {
    metrics.add_gauge("yoyaku_db_connections_open", "Database connections open.", [&db] {
        return static_cast<double>(db.pool_stats().open);
    });
    metrics.add_gauge("yoyaku_db_connections_idle", "Database connections idle.", [&db] {
        return static_cast<double>(db.pool_stats().idle);
    });
    metrics.add_gauge("yoyaku_db_connections_max", "Configured database connections.", [&db] {
        return static_cast<double>(db.pool_stats().capacity);
    });
    metrics.add_gauge(
        "yoyaku_db_write_queue_depth",
        "Write transactions waiting (SQLite writer).",
        [&db] { return static_cast<double>(db.pool_stats().write_queue); }
    );
    router.add(
        {"GET",
         "/healthz",
         "public",
         [](Request&) { return Response::json(200, R"({"status":"ok"})"); },
         Exec::io}
    );

    router.add(
        {"GET",
         "/readyz",
         "public",
         [&db](Request&) {
             boost::json::object checks;
             bool ready = true;
             auto status = storage::schema_compatibility(db);
             if (!status) {
                 ready = false;
                 checks["database"] = "unreachable";
             } else {
                 // A newer schema that admits this binary is served (rolling upgrades).
                 checks["database"] = "ok";
                 checks["migrations"] =
                     !status->changed.empty() ? "changed"
                     : status->behind()       ? "pending"
                     : status->serves()
                         ? (status->current > status->latest ? "newer_compatible" : "current")
                         : "newer_incompatible";
                 ready = status->serves();
             }
             boost::json::object o;
             o["status"] = ready ? "ready" : "not_ready";
             o["checks"] = std::move(checks);
             return Response::json(ready ? 200 : 503, boost::json::serialize(o));
         },
         Exec::worker}
    );

    router.add(
        {"GET",
         "/metrics",
         "metrics.read",
         [&metrics](Request&) {
             return Response::text(
                 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()
             );
         },
         Exec::worker}
    );
}

}  // namespace yoyaku::http

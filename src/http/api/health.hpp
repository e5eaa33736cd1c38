#pragma once
// GET /healthz (process up), GET /readyz (database reachable and schema current, else 503),
// GET /metrics (Prometheus text; answered only to loopback clients unless allowed).

#include "http/middleware/metrics.hpp"
#include "http/router/router.hpp"
#include "storage/database.hpp"

namespace yoyaku::http {

struct HealthOptions {
    bool metrics_from_anywhere = false;
};

void add_health_routes(
    Router& router, storage::Database& db, Metrics& metrics, HealthOptions options
);

}  // namespace yoyaku::http

#pragma once
// GET /healthz (process up), GET /readyz (database reachable and schema current, else 503),
// GET /metrics (Prometheus text; loopback clients and operators).

#include "http/middleware/metrics.hpp"
#include "http/router/router.hpp"
#include "storage/database.hpp"

namespace yoyaku::http {

/// /metrics declares "metrics.read": the pipeline lets operators and, without signing in,
/// loopback clients (any client with server.metrics_public) through.
void add_health_routes(Router& router, storage::Database& db, Metrics& metrics);

}  // namespace yoyaku::http

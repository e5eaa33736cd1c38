// The service's state for those who run on it (SPEC S17).
//
//   GET /api/v1/status            managers: service state, notices reaching the tenant, its own
//                                 usage and its message deliveries (queued, failed)
//   GET /api/v1/platform/status   operators: the self-monitoring's last reading, check by check

#include <boost/json.hpp>

#include "domain/monitor/monitor.hpp"
#include "http/api/api.hpp"
#include "http/api/json_views.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

Response tenant_status(ApiContext& ctx, Request& req) {
    const auto tenant = req.principal.tenant;
    const Instant now = ctx.clock.now();
    auto m = ctx.notices.maintenance();
    if (!m) return api_error(m.error(), req);
    auto current = ctx.notices.current(tenant);
    if (!current) return api_error(current.error(), req);
    boost::json::array notices;
    for (const auto& n : *current)
        notices.push_back(
            {{"id", n.id.value}, {"kind", n.kind}, {"severity", n.severity}, {"title", n.title}}
        );
    auto counts = ctx.db.read(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
        return stx.tx().query_one(
            "SELECT (SELECT count(*) FROM bookings WHERE tenant_id = $1 AND created_at >= $2), "
            "(SELECT count(*) FROM bookings WHERE tenant_id = $1 AND starts_at >= $3 AND status "
            "IN ('pending', 'confirmed')), (SELECT count(*) FROM offerings WHERE tenant_id = $1), "
            "(SELECT count(*) FROM accounts WHERE tenant_id = $1 AND role <> 'customer'), "
            "(SELECT count(*) FROM accounts WHERE tenant_id = $1 AND role = 'customer'), "
            "(SELECT count(*) FROM outbox WHERE tenant_id = $1 AND sent_at IS NULL AND failed_at "
            "IS NULL), (SELECT count(*) FROM outbox WHERE tenant_id = $1 AND failed_at IS NOT "
            "NULL), (SELECT count(*) FROM outbox WHERE tenant_id = $1 AND failed_at >= $4)",
            tenant.value,
            to_micros(now - std::chrono::hours(24 * 30)),
            to_micros(now),
            to_micros(now - std::chrono::hours(24 * 7))
        );
    });
    if (!counts) return api_error(counts.error(), req);
    const auto& c = *counts;
    return json_response(
        200,
        boost::json::object{
            {"state", service_state(*m, *current)},
            {"notices", std::move(notices)},
            {"usage",
             {{"bookings_last_30_days", c.i64(0)},
              {"upcoming_bookings", c.i64(1)},
              {"offerings", c.i64(2)},
              {"staff_accounts", c.i64(3)},
              {"customer_accounts", c.i64(4)}}},
            {"deliveries",
             {{"queued", c.i64(5)}, {"failed", c.i64(6)}, {"failed_last_7_days", c.i64(7)}}}}
    );
}

Response platform_status(ApiContext& ctx, Request& req) {
    auto last = monitor::Monitor::last(ctx.db);
    if (!last) return api_error(last.error(), req);
    if (!*last)
        return json_response(
            200,
            boost::json::object{{"ok", nullptr}, {"at", nullptr}, {"checks", boost::json::array{}}}
        );
    boost::json::array checks;
    for (const auto& c : (*last)->checks)
        checks.push_back(
            {{"name", c.name}, {"ok", c.ok}, {"value", c.value}, {"threshold", c.threshold}}
        );
    return json_response(
        200,
        boost::json::object{
            {"ok", (*last)->ok()}, {"at", json_time((*last)->at)}, {"checks", std::move(checks)}}
    );
}

}  // namespace

void add_status_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/status", "tenant.settings.manage", bind(ctx, tenant_status)});
    router.add(
        {"GET", "/api/v1/platform/status", "platform.health.read", bind(ctx, platform_status)}
    );
}

}  // namespace yoyaku::http

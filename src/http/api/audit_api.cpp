// The tenant's audit log, for managers (permission tenant.audit.read; staff lack it).
//
//   GET /api/v1/audit-entries       JSON, newest first; filters: action (prefix), actor,
//                                   result, from, to (RFC 3339), before (seq), limit (≤ 1000)
//   GET /api/v1/audit-entries.csv   the same filters as CSV (limit ≤ 10000), times in the
//                                   tenant's zone

#include <boost/json.hpp>
#include <charconv>

#include "http/api/api.hpp"
#include "http/api/csv.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

Result<audit::Filter> filter_of(const Request& req, int max_limit) {
    YOYAKU_TRY_ASSIGN(
        auto q, query_params(req, {"action", "actor", "result", "from", "to", "before", "limit"})
    );
    audit::Filter f;
    auto get = [&](const char* k) -> const std::string* {
        auto it = q.find(k);
        return it == q.end() ? nullptr : &it->second;
    };
    if (auto v = get("action")) f.action_prefix = *v;
    if (auto v = get("actor")) f.actor_id = *v;
    if (auto v = get("result")) {
        if (*v != "success" && *v != "failure" && *v != "denied")
            return Error::invalid("result", "must be success, failure or denied");
        f.result = *v;
    }
    for (auto [key, target] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
        if (auto v = get(key)) {
            auto t = parse_rfc3339(*v);
            if (!t)
                return Error::invalid(key, "must be an RFC 3339 time such as 2026-04-01T00:00:00Z");
            *target = *t;
        }
    }
    auto integer = [&](const char* key, std::int64_t lo, std::int64_t hi) -> Result<std::int64_t> {
        const std::string& v = *get(key);
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || n < lo || n > hi)
            return Error::invalid(
                key,
                "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)
            );
        return n;
    };
    if (get("before")) {
        YOYAKU_TRY_ASSIGN(auto n, integer("before", 1, INT64_MAX));
        f.before_seq = n;
    }
    f.limit = max_limit == 1000 ? 100 : max_limit;
    if (get("limit")) {
        YOYAKU_TRY_ASSIGN(auto n, integer("limit", 1, max_limit));
        f.limit = static_cast<int>(n);
    }
    return f;
}

Result<std::vector<audit::Entry>> entries(ApiContext& ctx, const Request& req, int max_limit) {
    YOYAKU_TRY_ASSIGN(auto f, filter_of(req, max_limit));
    return ctx.db.read(storage::TenantScope(req.principal.tenant), [&](storage::ScopedTx& tx) {
        return audit::list(tx, f);
    });
}

Response list(ApiContext& ctx, Request& req) {
    auto all = entries(ctx, req, 1000);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& e : *all) {
        boost::json::error_code ec;
        auto details = boost::json::parse(e.event.details, ec);
        items.push_back(boost::json::object{
            {"id", e.id.value},
            {"seq", e.seq},
            {"at", json_time(e.at)},
            {"actor", {{"id", e.actor.id}, {"role", e.actor.role}}},
            {"action", e.event.action},
            {"target", e.event.target},
            {"result", e.event.result},
            {"details", ec ? boost::json::value(boost::json::object{}) : details},
            {"client_address", e.origin.client_address},
            {"user_agent", e.origin.user_agent},
            {"request_id", e.origin.request_id},
            {"hash", e.hash}});
    }
    boost::json::object o{{"items", std::move(items)}};
    o["next_before"] = all->empty() ? boost::json::value(nullptr) : all->back().seq;
    return json_response(200, o);
}

// RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula
// (OWASP "CSV injection").
Response export_csv(ApiContext& ctx, Request& req) {
    auto all = entries(ctx, req, 10000);
    if (!all) return api_error(all.error(), req);
    auto tenant = ctx.tenants.find_by_id(req.principal.tenant);
    if (!tenant) return api_error(tenant.error(), req);
    std::string out =
        "seq,at,actor_id,actor_role,action,target,result,client_address,user_agent,request_id,"
        "details\r\n";
    for (const auto& e : *all) {
        const std::string fields[] = {
            std::to_string(e.seq),
            format_rfc3339(e.at, tenant->time_zone),
            e.actor.id,
            e.actor.role,
            e.event.action,
            e.event.target,
            e.event.result,
            e.origin.client_address,
            e.origin.user_agent,
            e.origin.request_id,
            e.event.details};
        for (std::size_t i = 0; i < std::size(fields); ++i) {
            if (i) out += ',';
            csv_cell(out, fields[i]);
        }
        out += "\r\n";
    }
    auto r = Response::text(200, "text/csv; charset=utf-8", std::move(out));
    r.headers.set("Content-Disposition", "attachment; filename=\"audit-" + tenant->code + ".csv\"");
    return r;
}

}  // namespace

void add_audit_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/audit-entries", "tenant.audit.read", bind(ctx, list)});
    router.add({"GET", "/api/v1/audit-entries.csv", "tenant.audit.read", bind(ctx, export_csv)});
}

}  // namespace yoyaku::http

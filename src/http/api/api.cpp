#include "http/api/api.hpp"

#include <boost/json.hpp>

#include "http/json/body.hpp"
#include "http/json/problem.hpp"

namespace yoyaku::http {

void add_api_routes(Router& router, ApiContext& ctx) {
    add_session_routes(router, ctx);
    add_staff_routes(router, ctx);
    add_tenant_routes(router, ctx);
    add_audit_routes(router, ctx);
    add_address_rule_routes(router, ctx);
    add_settings_routes(router, ctx);
    add_sign_up_routes(router, ctx);
    add_token_routes(router, ctx);
    add_support_routes(router, ctx);
    add_resource_routes(router, ctx);
    add_offering_routes(router, ctx);
    add_booking_routes(router, ctx);
    add_notification_routes(router, ctx);
    add_customer_routes(router, ctx);
    add_payment_routes(router, ctx);
    add_receipt_routes(router, ctx);
    add_document_routes(router, ctx);
    add_office_report_routes(router, ctx);
    add_group_routes(router, ctx);
    add_room_lottery_routes(router, ctx);
    add_ticket_routes(router, ctx);
    add_seat_routes(router, ctx);
    add_waitlist_routes(router, ctx);
    add_user_class_routes(router, ctx);
    add_mail_template_routes(router, ctx);
    add_line_routes(router, ctx);
    add_broadcast_routes(router, ctx);
    add_zoom_routes(router, ctx);
    add_notice_routes(router, ctx);
    add_export_routes(router, ctx);
    add_import_routes(router, ctx);
    add_status_routes(router, ctx);
}

Response api_error(const Error& e, const Request& req) {
    auto r = problem(e, req);
    if (e.code == Errc::rate_limited && !e.detail.empty()) r.headers.set("Retry-After", e.detail);
    return r;
}

Response pdf_response(const std::string& filename, const std::string& pdf) {
    auto r = Response::text(200, "application/pdf", pdf);
    r.headers.set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    r.headers.set("Cache-Control", "no-store");
    return r;
}

Response no_content() {
    Response r;
    r.status = 204;
    return r;
}

audit::Actor actor_of(const access::Principal& p) {
    if (!p.signed_in()) return {"anonymous", "anonymous"};
    if (p.support_grant_id.valid()) return {"account:" + to_string(p.account_id), "operator"};
    if (p.token_id.valid())
        return {
            "api_token:" + to_string(p.token_id),
            p.role == access::Role::kiosk ? "kiosk" : "integration"};
    return {"account:" + to_string(p.account_id), std::string(access::to_string(p.role))};
}

audit::Origin origin_of(const Request& req) {
    auto clip = [](std::string_view s, std::size_t n) {
        // Cut on a UTF-8 boundary so the stored text stays valid.
        if (s.size() <= n) return std::string(s);
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        return std::string(s.substr(0, n));
    };
    return {
        clip(req.client_address, 64),
        clip(req.headers.get("User-Agent"), 512),
        clip(req.request_id, 64)};
}

Result<tenants::Tenant> public_tenant_facts(ApiContext& ctx, const Request& req) {
    auto t = ctx.tenants.find_by_code(req.param("tenant_code"));
    // A database that cannot answer is a 503 to retry, not a tenant that does not exist.
    if (!t && t.error().code != Errc::not_found) return fail(std::move(t).error());
    if (!t || t->status != tenants::Status::active) return Error::not_found("no such tenant");
    return std::move(*t);
}

Result<TenantId> public_tenant(ApiContext& ctx, const Request& req) {
    YOYAKU_TRY_ASSIGN(auto t, public_tenant_facts(ctx, req));
    return t.id;
}

Result<TenantId> tenant_of(ApiContext& ctx, const std::optional<std::string>& code) {
    if (!code) return accounts::kPlatform;
    auto t = ctx.tenants.find_by_code(*code);
    if (!t) {
        if (t.error().code == Errc::not_found) return Error::invalid("tenant", "no such tenant");
        return fail(std::move(t).error());
    }
    return t->id;
}

Result<void> require_recent_authentication(ApiContext& ctx, const Request& req) {
    if (ctx.auth.recently_authenticated(req.principal)) return {};
    return Error{
        Errc::reauthentication_required, "confirm your password to continue", "password", {}};
}

boost::json::object to_json(const accounts::Account& a) {
    boost::json::object o;
    o["id"] = a.id.value;
    o["role"] = access::to_string(a.role);
    o["status"] = accounts::to_string(a.status);
    o["email"] = a.email;
    o["name"] = a.name;
    o["has_password"] = a.has_password;
    o["failed_logins"] = a.failed_logins;
    o["locked_until"] = a.locked_until ? boost::json::value(json_time(*a.locked_until)) : nullptr;
    o["locale"] = a.locale.empty() ? boost::json::value(nullptr) : boost::json::value(a.locale);
    o["created_at"] = json_time(a.created_at);
    o["last_login_at"] =
        a.last_login_at ? boost::json::value(json_time(*a.last_login_at)) : nullptr;
    return o;
}

boost::json::object to_json(const tenants::Tenant& t) {
    return {
        {"id", t.id.value},
        {"code", t.code},
        {"name", t.name},
        {"time_zone", t.time_zone},
        {"locale", t.locale},
        {"status", tenants::to_string(t.status)},
        {"created_at", json_time(t.created_at)}};
}

std::string setup_link(const std::string& public_url, const std::string& token) {
    // The token travels in the fragment: browsers send it to no server, no log, no Referer.
    return public_url + "/setup#token=" + token;
}

}  // namespace yoyaku::http

// Tickets (issue 26, ADR 0021): a booking's signed tickets and their PDF for staff and for the
// booking's customer, check-in per ticket by a kiosk or staff scanner (one scan, or the scans
// an offline device kept), the revocation lists and public keys an offline device checks
// against, a session's attendance and the tenant's ticket keys.
//
//   GET  /api/v1/bookings/{reference}/tickets         {tickets} (revoked too; bookings.read)
//   GET  /api/v1/bookings/{reference}/tickets/pdf     application/pdf
//   POST /api/v1/public/{tenant_code}/bookings/{reference}/tickets       {email | key} → {tickets}
//   POST /api/v1/public/{tenant_code}/bookings/{reference}/tickets/pdf   → application/pdf
//   GET  /api/v1/public/{tenant_code}/ticket-keys     {keys: [{key_id, public_key, …}]}
//   POST /api/v1/checkin/scans                        {token, device} → 200 admitted; refused:
//        problem+json 409 (used), 422 (revoked, not_valid_now), 400 (field "token": invalid)
//        with the scan's outcome, message and first use (tenant.checkin)
//   POST /api/v1/checkin/sync                         {scans: [{token, device, scanned_at}]}
//        → {results: [...]} (an offline device's scans: conflicts reported, not refused)
//   GET  /api/v1/checkin/scans?problems=&limit=       recent scans (tenant.checkin)
//   GET  /api/v1/checkin/pack?date=                   what an offline device checks against:
//        {tenant_code, generated_at, keys, tickets} (the day's tickets without tokens)
//   GET  /api/v1/occurrences/{occurrence_id}/revocations         {occurrence_id, version, tickets}
//   GET  /api/v1/revocations                          the same for appointments and rentals
//   GET  /api/v1/occurrences/{occurrence_id}/attendance          {tickets} with their check-in
//   POST /api/v1/settings/ticket-keys/rotate          {key_id} (tenant.settings.manage)

#include <boost/json.hpp>
#include <charconv>

#include "domain/tickets/ticket.hpp"
#include "domain/tickets/ticket_service.hpp"
#include "http/api/api.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/described.hpp"
#include "http/json/problem.hpp"

namespace yoyaku::http {
namespace {

using tickets::ScanOutcome;

struct ScanBody {
    Text<1024> token;
    Text<256> device;
    std::optional<Instant> scanned_at;
    static constexpr std::array<std::string_view, 2> kRequired{"token", "device"};
};
BOOST_DESCRIBE_STRUCT(ScanBody, (), (token, device, scanned_at))

struct SyncBody {
    std::vector<ScanBody> scans;
    static constexpr std::array<std::string_view, 1> kRequired{"scans"};
};
BOOST_DESCRIBE_STRUCT(SyncBody, (), (scans))

boost::json::object ticket_json(const tickets::TicketView& v, bool with_token) {
    const auto& t = v.ticket;
    boost::json::object j{
        {"reference", t.reference},
        {"number", t.number},
        {"offering_id", t.offering_id.value},
        {"offering_name", v.offering},
        {"occurrence_id", opt_json(t.occurrence_id)},
        {"ticket_type", t.type},
        {"ticket_type_name", v.type_name},
        {"seat", t.seat},
        {"starts_at", json_time(v.starts_at)},
        {"ends_at", json_time(v.ends_at)},
        {"valid_from", json_time(t.valid_from)},
        {"valid_until", json_time(t.valid_until)},
        {"key_id", t.key_id},
        {"issued_at", json_time(t.issued_at)},
        {"revoked_at", opt_json(t.revoked_at)},
        {"checked_in_at", opt_json(t.checked_in_at)},
        {"checked_in_device", t.checked_in_device}};
    if (with_token) j["token"] = t.token;
    return j;
}

Response tickets_response(const std::vector<tickets::TicketView>& all, bool with_token) {
    boost::json::array a;
    for (const auto& v : all) a.push_back(ticket_json(v, with_token));
    return json_response(200, boost::json::object{{"tickets", std::move(a)}});
}

boost::json::object scan_json(const tickets::ScanResult& r) {
    return {
        {"outcome", tickets::to_string(r.outcome)},
        {"message", r.message},
        {"ticket", r.ticket ? boost::json::value(ticket_json(*r.ticket, false)) : nullptr},
        {"payment_state", bookings::to_string(r.payment_state)},
        {"party", r.party},
        {"party_checked_in", r.party_checked_in},
        {"first_at", opt_json(r.first_at)},
        {"first_device", r.first_device}};
}

tickets::Scan scan_of(const ScanBody& b) {
    return {b.token.value, b.device.value, b.scanned_at};
}

Response staff_tickets(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto all = ctx.tickets.of_booking(req.principal.tenant, req.param("reference"), true);
    if (!all) return api_error(all.error(), req);
    return tickets_response(*all, true);
}

Response staff_pdf(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto d = ctx.tickets.pdf(req.principal.tenant, req.param("reference"));
    if (!d) return api_error(d.error(), req);
    return pdf_response(d->filename, d->pdf);
}

Response public_tickets(ApiContext& ctx, Request& req) {
    auto proven = proven_customer(ctx, req);
    if (!proven) return api_error(proven.error(), req);
    auto all = ctx.tickets.of_booking(proven->tenant, req.param("reference"));
    if (!all) return api_error(all.error(), req);
    return tickets_response(*all, true);
}

Response public_pdf(ApiContext& ctx, Request& req) {
    auto proven = proven_customer(ctx, req);
    if (!proven) return api_error(proven.error(), req);
    auto d = ctx.tickets.pdf(proven->tenant, req.param("reference"));
    if (!d) return api_error(d.error(), req);
    return pdf_response(d->filename, d->pdf);
}

Response public_keys(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto keys = ctx.tickets.public_keys(*tenant);
    if (!keys) return api_error(keys.error(), req);
    boost::json::array a;
    for (const auto& k : *keys)
        a.push_back(boost::json::object{
            {"key_id", k.key_id},
            {"algorithm", "Ed25519"},
            {"public_key", tickets::to_base64url(k.public_key)},
            {"created_at", json_time(k.created_at)},
            {"retired_at", opt_json(k.retired_at)}});
    auto r = json_response(200, boost::json::object{{"keys", std::move(a)}});
    r.headers.set("Cache-Control", "public, max-age=300");
    return r;
}

// A refused scan as problem+json, with what the scan came to.
Response refused(const tickets::ScanResult& r, const Request& req) {
    const Errc code = r.outcome == ScanOutcome::invalid ? Errc::invalid_input
                      : r.outcome == ScanOutcome::used || r.outcome == ScanOutcome::conflict
                          ? Errc::conflict
                          : Errc::unprocessable;
    auto response = problem(Error{code, r.message, "token", {}}, req);
    boost::system::error_code ec;
    auto body = boost::json::parse(response.body, ec);
    if (ec || !body.is_object()) return response;
    for (auto& [k, v] : scan_json(r)) body.as_object()[k] = v;
    response.body = boost::json::serialize(body);
    return response;
}

Response scan(ApiContext& ctx, Request& req) {
    auto body = read_body<ScanBody>(req);
    if (!body) return api_error(body.error(), req);
    auto in = scan_of(*body);
    in.scanned_at.reset();  // online: the server's time
    auto r = ctx.tickets.scan(req.principal.tenant, in, actor_of(req.principal), origin_of(req));
    if (!r) return api_error(r.error(), req);
    if (r->outcome != ScanOutcome::admitted) return refused(*r, req);
    return json_response(200, scan_json(*r));
}

Response sync(ApiContext& ctx, Request& req) {
    auto body = read_body<SyncBody>(req);
    if (!body) return api_error(body.error(), req);
    std::vector<tickets::Scan> in;
    for (const auto& s : body->scans) {
        in.push_back(scan_of(s));
        // Kept offline: when it was scanned (required).
        if (!s.scanned_at)
            return api_error(
                Error::invalid(
                    "scans[" + std::to_string(in.size() - 1) + "].scanned_at", "is required"
                ),
                req
            );
    }
    auto all = ctx.tickets.sync(req.principal.tenant, in, actor_of(req.principal), origin_of(req));
    if (!all) return api_error(all.error(), req);
    boost::json::array a;
    for (const auto& r : *all) a.push_back(scan_json(r));
    return json_response(200, boost::json::object{{"results", std::move(a)}});
}

Response recent_scans(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"problems", "limit"});
    if (!q) return api_error(q.error(), req);
    int limit = 100;
    if (const auto it = q->find("limit"); it != q->end()) {
        const auto& v = it->second;
        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
        if (ec != std::errc() || p != v.data() + v.size())
            return api_error(Error::invalid("limit", "must be 1 to 500"), req);
    }
    const auto problems = q->find("problems");
    auto rows = ctx.tickets.scans(
        req.principal.tenant, limit, problems != q->end() && problems->second == "true"
    );
    if (!rows) return api_error(rows.error(), req);
    boost::json::array a;
    for (const auto& s : *rows)
        a.push_back(boost::json::object{
            {"reference", s.reference},
            {"number", s.number},
            {"device", s.device},
            {"outcome", tickets::to_string(s.outcome)},
            {"offline", s.offline},
            {"scanned_at", json_time(s.scanned_at)},
            {"recorded_at", json_time(s.recorded_at)},
            {"first_at", opt_json(s.first_at)},
            {"first_device", s.first_device}});
    return json_response(200, boost::json::object{{"scans", std::move(a)}});
}

Response revocations_response(const tickets::Revocations& r) {
    boost::json::array a;
    for (const auto& t : r.tickets)
        a.push_back(boost::json::object{
            {"reference", t.reference},
            {"number", t.number},
            {"revoked_at", opt_json(t.revoked_at)}});
    return json_response(
        200,
        boost::json::object{
            {"occurrence_id", opt_json(r.occurrence)},
            {"version", r.version},
            {"tickets", std::move(a)}}
    );
}

Result<OccurrenceId> occurrence_param(const Request& req) {
    return id_param<OccurrenceId>(req, "occurrence_id");
}

Response occurrence_revocations(ApiContext& ctx, Request& req) {
    auto id = occurrence_param(req);
    if (!id) return api_error(id.error(), req);
    auto r = ctx.tickets.revocations(req.principal.tenant, *id);
    if (!r) return api_error(r.error(), req);
    return revocations_response(*r);
}

Response other_revocations(ApiContext& ctx, Request& req) {
    auto r = ctx.tickets.revocations(req.principal.tenant, std::nullopt);
    if (!r) return api_error(r.error(), req);
    return revocations_response(*r);
}

Response attendance(ApiContext& ctx, Request& req) {
    auto id = occurrence_param(req);
    if (!id) return api_error(id.error(), req);
    auto all = ctx.tickets.attendance(req.principal.tenant, *id);
    if (!all) return api_error(all.error(), req);
    return tickets_response(*all, false);
}

Response pack(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"date"});
    if (!q) return api_error(q.error(), req);
    std::optional<std::chrono::year_month_day> day;
    if (const auto it = q->find("date"); it != q->end()) {
        day = resources::parse_date(it->second);
        if (!day) return api_error(Error::invalid("date", "must be a date (YYYY-MM-DD)"), req);
    }
    auto p = ctx.tickets.pack(req.principal.tenant, day);
    if (!p) return api_error(p.error(), req);
    boost::json::array keys, tickets;
    for (const auto& k : p->keys)
        keys.push_back(boost::json::object{
            {"key_id", k.key_id},
            {"public_key", tickets::to_base64url(k.public_key)},
            {"retired_at", opt_json(k.retired_at)}});
    for (const auto& v : p->tickets) tickets.push_back(ticket_json(v, false));
    return json_response(
        200,
        boost::json::object{
            {"tenant_code", p->tenant_code},
            {"generated_at", json_time(p->generated_at)},
            {"keys", std::move(keys)},
            {"tickets", std::move(tickets)}}
    );
}

Response rotate(ApiContext& ctx, Request& req) {
    auto k = ctx.tickets.rotate_key(req.principal.tenant, actor_of(req.principal), origin_of(req));
    if (!k) return api_error(k.error(), req);
    return json_response(200, boost::json::object{{"key_id", *k}});
}

}  // namespace

void add_ticket_routes(Router& router, ApiContext& ctx) {
    const std::string booking = "/api/v1/bookings/{reference}/tickets";
    const std::string pub = "/api/v1/public/{tenant_code}/bookings/{reference}/tickets";
    router.add({"GET", booking, "tenant.bookings.read", bind(ctx, staff_tickets)});
    router.add({"GET", booking + "/pdf", "tenant.bookings.read", bind(ctx, staff_pdf)});
    router.add({"POST", pub, "public", bind(ctx, public_tickets)});
    router.add({"POST", pub + "/pdf", "public", bind(ctx, public_pdf)});
    router.add({"GET", "/api/v1/public/{tenant_code}/ticket-keys", "public", bind(ctx, public_keys)}
    );
    router.add({"POST", "/api/v1/checkin/scans", "tenant.checkin", bind(ctx, scan)});
    router.add({"POST", "/api/v1/checkin/sync", "tenant.checkin", bind(ctx, sync)});
    router.add({"GET", "/api/v1/checkin/scans", "tenant.checkin", bind(ctx, recent_scans)});
    router.add({"GET", "/api/v1/checkin/pack", "tenant.checkin", bind(ctx, pack)});
    router.add(
        {"GET",
         "/api/v1/occurrences/{occurrence_id}/revocations",
         "tenant.checkin",
         bind(ctx, occurrence_revocations)}
    );
    router.add({"GET", "/api/v1/revocations", "tenant.checkin", bind(ctx, other_revocations)});
    router.add(
        {"GET",
         "/api/v1/occurrences/{occurrence_id}/attendance",
         "tenant.bookings.read",
         bind(ctx, attendance)}
    );
    router.add(
        {"POST", "/api/v1/settings/ticket-keys/rotate", "tenant.settings.manage", bind(ctx, rotate)}
    );
}

}  // namespace yoyaku::http

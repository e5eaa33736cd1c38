// Request pieces the booking, waitlist and lottery routes share (booking_input.hpp).

#include "http/api/booking_input.hpp"

#include <boost/json.hpp>
#include <vector>

#include "http/api/api.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {

Result<void> Reader<Answer>::read(
    const boost::json::value& v, const std::string& field, Answer& out
) {
    if (v.is_bool())
        out.text = v.get_bool() ? "true" : "false";
    else if (v.is_string() && v.get_string().size() <= 4000)
        out.text = std::string(v.get_string());
    else
        return Error::invalid(field, "must be text or true/false");
    return {};
}

void add_details(const Details& body, bookings::NewBooking& in) {
    const auto& c = body.customer;
    in.customer = {c.name.value, c.email.value, c.phone ? c.phone->value : std::string()};
    in.locale = c.locale ? boost::describe::enum_to_string(*c.locale, "") : "";
    in.note = body.note ? body.note->value : std::string();
    for (const auto& [id, a] : body.answers) in.answers[id] = a.text;
}

std::map<std::string, int> tickets_of(const std::map<std::string, int>& counts) {
    std::map<std::string, int> out;
    for (const auto& [code, n] : counts) out[code] = std::clamp(n, -1, 1000);
    return out;
}

Result<void> as_customer(
    ApiContext& ctx, const Request& req, TenantId tenant, bookings::NewBooking& in
) {
    const auto& p = req.principal;
    if (p.role != access::Role::customer || p.tenant != tenant) return {};
    YOYAKU_TRY_ASSIGN(auto account, ctx.accounts.find(tenant, p.account_id));
    in.account_id = p.account_id;
    in.customer.email = account.email;
    return {};
}

Result<void> guest_challenge(ApiContext& ctx, const Request& req, const Proof& body) {
    if (req.principal.signed_in()) return {};
    if (body.altcha) return require_challenge(ctx, body.altcha);
    if (!ctx.defence.free_booking(req.client_address))
        return Error::invalid(
            "altcha",
            "solve the proof-of-work challenge (GET /api/v1/challenge) and send it as altcha"
        );
    return {};
}

Result<bookings::Requester> customer_of(
    const Request& req, TenantId tenant, const EmailProof& body
) {
    return customer_of(req, tenant, BookingProof{body, std::nullopt});
}

Result<bookings::Requester> customer_of(
    const Request& req, TenantId tenant, const BookingProof& body
) {
    bookings::Requester who;
    if (req.principal.role == access::Role::customer && req.principal.tenant == tenant)
        who.account_id = req.principal.account_id;
    who.email = body.email ? body.email->value : std::string();
    // The key of the link in the booking's mails proves it as well as the address does.
    who.link_key = body.key ? body.key->value : std::string();
    if (!who.account_id && who.email.empty() && who.link_key.empty())
        return Error::invalid("email", "give the booking's email address");
    return who;
}

Result<ProvenCustomer> proven_customer(ApiContext& ctx, Request& req) {
    YOYAKU_TRY_ASSIGN(const auto tenant, public_tenant(ctx, req));
    YOYAKU_TRY_ASSIGN(const auto body, read_body<BookingProof>(req));
    YOYAKU_TRY_ASSIGN(const auto who, customer_of(req, tenant, body));
    YOYAKU_TRY(ctx.bookings.find_for(tenant, req.param("reference"), who));
    return ProvenCustomer{
        tenant,
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"}};
}

boost::json::object quote_json(const bookings::FeeQuote& q) {
    return {
        {"percent", q.percent},
        {"fee_jpy", q.fee_jpy},
        {"changes_at", q.changes_at ? boost::json::value(json_time(*q.changes_at)) : nullptr}};
}

namespace {

// The booking or hold a public or staff request asks for, its challenge paid.
Result<bookings::NewBooking> new_booking(
    ApiContext& ctx, const Request& req, TenantId tenant, bool hold, bool public_route
) {
    bookings::NewBooking in;
    in.hold = hold;
    in.by_customer = public_route;
    if (hold) {
        YOYAKU_TRY_ASSIGN(const auto body, read_body<PublicHold>(req));
        YOYAKU_TRY(guest_challenge(ctx, req, body));
        in.what = body;
    } else if (public_route) {
        YOYAKU_TRY_ASSIGN(const auto body, read_body<PublicBooking>(req));
        YOYAKU_TRY(guest_challenge(ctx, req, body));
        in.what = body;
        in.repeat = body.repeat;
        add_details(body, in);
        YOYAKU_TRY(as_customer(ctx, req, tenant, in));
    } else {
        YOYAKU_TRY_ASSIGN(const auto body, read_body<StaffBooking>(req));
        in.what = body;
        in.repeat = body.repeat;
        add_details(body, in);
    }
    in.what.tickets = tickets_of(in.what.tickets);
    return in;
}

}  // namespace

Result<bookings::Created> create_from(
    ApiContext& ctx, Request& req, TenantId tenant, bool hold, bool public_route
) {
    YOYAKU_TRY_ASSIGN(auto in, new_booking(ctx, req, tenant, hold, public_route));
    in.idempotency_key = std::string(req.headers.get("Idempotency-Key"));
    if (in.idempotency_key.empty())
        return Error::invalid("Idempotency-Key", "send a unique key with every booking request");
    if (!public_route) YOYAKU_TRY(check_selection(ctx, req, in.what, OfferingId{}));
    const audit::Actor actor = public_route && !req.principal.signed_in()
                                   ? audit::Actor{"guest", "anonymous"}
                                   : actor_of(req.principal);
    return ctx.bookings.book(tenant, in, actor, origin_of(req));
}

Response created(const bookings::Created& r, bool with_customer) {
    auto j = booking_json(r.booking, with_customer);
    if (!r.series.empty()) {
        // A repeating request: every booking made, and the dates skipped with the reason.
        boost::json::array series, skipped;
        for (const auto& b : r.series) series.push_back(booking_json(b, with_customer));
        for (const auto& x : r.skipped)
            skipped.push_back(
                {{"starts_at", json_time(x.starts_at)}, {"field", x.field}, {"reason", x.reason}}
            );
        j["series"] = std::move(series);
        j["skipped"] = std::move(skipped);
    }
    auto resp = json_response(201, j);
    if (r.replayed) resp.headers.set("Idempotent-Replayed", "true");
    return resp;
}

namespace {

bookings::Selection moved_to(const MoveBody& body) {
    bookings::Selection s;
    if (body.occurrence_id) s.occurrence_id = *body.occurrence_id;
    s.starts_at = body.starts_at;
    s.resource_id = body.resource_id;
    s.seats = body.seats;
    if (body.seat_category) s.seat_category = body.seat_category->value;
    s.equipment = body.equipment;
    return s;
}

// Where the body moves the booking to; a guest's proof in the body goes into `who`.
Result<bookings::Selection> move_of(
    const Request& req, bookings::Requester& who, bool public_route
) {
    if (!public_route) {
        YOYAKU_TRY_ASSIGN(const auto body, read_body<MoveBody>(req));
        return moved_to(body);
    }
    YOYAKU_TRY_ASSIGN(const auto body, read_body<PublicMove>(req));
    who.email = body.email ? body.email->value : std::string();
    who.link_key = body.key ? body.key->value : std::string();
    return moved_to(body);
}

}  // namespace

Response reschedule_with(
    ApiContext& ctx, Request& req, TenantId tenant, bookings::Requester who, bool public_route
) {
    auto sel = move_of(req, who, public_route);
    if (!sel) return api_error(sel.error(), req);
    if (!public_route && req.principal.scope.limited()) {
        // Staff move only their own bookings, and only to what is theirs.
        auto b = ctx.bookings.find_by_reference(tenant, req.param("reference"));
        if (!b) return api_error(b.error(), req);
        if (!covers(req, *b)) return api_error(Error::not_found("no such booking"), req);
        if (auto to = check_selection(ctx, req, *sel, OfferingId{b->offering_id}); !to)
            return api_error(to.error(), req);
    }
    const audit::Actor actor =
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
    auto b =
        ctx.bookings.reschedule(tenant, req.param("reference"), *sel, who, actor, origin_of(req));
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, who.staff));
}

}  // namespace yoyaku::http

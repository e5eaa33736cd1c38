// Bookings (offerings and availability: offerings_api.cpp).
//
//   GET  /api/v1/bookings                                    search (from, to, status, …)
//   POST /api/v1/bookings                                    book for a customer (staff) → 201
//   GET  /api/v1/bookings/{reference}                        one booking
//   DELETE /api/v1/bookings/{reference}                      cancel (staff)
//   POST /api/v1/bookings/{reference}/reschedule             move (staff)
//   POST /api/v1/bookings/{reference}/approve | /reject      decide a pending booking
//   POST /api/v1/bookings/{reference}/check-in               staff or kiosk token
//   POST /api/v1/bookings/{reference}/no-show                after the start
//   GET  /api/v1/me/bookings                                 a signed-in customer's own
//   POST /api/v1/public/{tenant_code}/bookings               book (Idempotency-Key)      → 201
//   POST /api/v1/public/{tenant_code}/holds                  hold places (Idempotency-Key) → 201
//   POST /api/v1/public/{tenant_code}/holds/{reference}/confirm
//   POST /api/v1/public/{tenant_code}/bookings/{reference}/lookup | /cancel | /reschedule
//                                                            the customer's own (email or account)

#include <boost/json.hpp>
#include <charconv>
#include <vector>

#include "http/api/api.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {

boost::json::array fee_lines_json(const std::vector<offerings::FeeLine>& lines) {
    boost::json::array a;
    for (const auto& l : lines)
        a.push_back(
            {{"kind", l.kind},
             {"label", l.label},
             {"unit_jpy", l.unit_jpy},
             {"quantity", l.quantity},
             {"amount_jpy", l.amount_jpy}}
        );
    return a;
}

boost::json::object fee_terms_json(const bookings::FeeTerms& f) {
    boost::json::array equipment, surcharges;
    for (const auto& e : f.equipment)
        equipment.push_back({{"resource_id", e.resource_id.value}, {"quantity", e.quantity}});
    for (const auto& code : f.surcharges) surcharges.emplace_back(code);
    return {
        {"blocks", f.blocks},
        {"equipment", std::move(equipment)},
        {"surcharges", std::move(surcharges)},
        {"lines", fee_lines_json(f.lines)}};
}

boost::json::object booking_json(const bookings::Booking& b, bool with_customer) {
    boost::json::object tickets, answers;
    for (const auto& [code, n] : b.tickets) tickets[code] = n;
    for (const auto& [q, a] : b.answers) answers[q] = a;
    boost::json::array seat_ids;
    for (const auto& s : b.seat_ids) seat_ids.emplace_back(s);
    boost::json::object j{
        {"reference", b.reference},
        {"offering_id", b.offering_id.value},
        {"occurrence_id", opt_json(b.occurrence_id)},
        {"status", bookings::to_string(b.status)},
        {"starts_at", json_time(b.starts_at)},
        {"ends_at", json_time(b.ends_at)},
        {"resource_id", opt_json(b.resource_id)},
        {"room_id", opt_json(b.room_id)},
        {"seats", b.seats},
        {"total_jpy", b.total_jpy},
        {"tickets", std::move(tickets)},
        {"seat_ids", std::move(seat_ids)},
        {"hold_expires_at", opt_json(b.hold_expires_at)},
        {"checked_in_at", opt_json(b.checked_in_at)},
        {"cancellation_fee_jpy", opt_json(b.cancellation_fee_jpy)},
        {"paid_at", opt_json(b.paid_at)},
        {"payment",
         {{"state", bookings::to_string(b.payment_state)},
          {"paid_jpy", b.paid_jpy},
          {"refunded_jpy", b.refunded_jpy},
          {"awaiting", b.awaiting_payment}}},
        {"created_at", json_time(b.created_at)}};
    if (!b.fees.lines.empty()) j["fees"] = fee_terms_json(b.fees);
    if (b.group_id) j["group_id"] = b.group_id->value;
    if (!b.meeting_url.empty() && bookings::is_live(b.status)) j["meeting_url"] = b.meeting_url;
    if (with_customer) {
        j["customer"] = {
            {"name", b.customer.name},
            {"email", b.customer.email},
            {"phone", b.customer.phone},
            {"locale", b.locale}};
        j["note"] = b.note;
        j["answers"] = std::move(answers);
    }
    return j;
}

namespace {

Response list_bookings(ApiContext& ctx, Request& req) {
    auto q =
        query_params(req, {"from", "to", "status", "offering_id", "resource_id", "email", "limit"});
    if (!q) return api_error(q.error(), req);
    bookings::BookingFilter f;
    for (const auto& [key, value] : *q) {
        if (key == "from" || key == "to") {
            auto t = parse_rfc3339(value);
            if (!t) return api_error(Error::invalid(key, "must be an RFC 3339 instant"), req);
            (key == "from" ? f.from : f.to) = *t;
        } else if (key == "status") {
            f.status = bookings::parse_booking_status(value);
            if (!f.status) return api_error(Error::invalid("status", "is not a status"), req);
        } else if (key == "email") {
            f.email = value;
        } else {
            std::int64_t n = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || n < 1)
                return api_error(Error::invalid(key, "must be a positive integer"), req);
            if (key == "limit")
                f.limit = static_cast<int>(std::min<std::int64_t>(n, 100000));
            else if (key == "offering_id")
                f.offering_id = OfferingId(n);
            else
                f.resource_id = ResourceId(n);
        }
    }
    f.within = req.principal.scope;
    auto all = ctx.bookings.list(req.principal.tenant, f);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& b : *all) items.push_back(booking_json(b, true));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

bookings::Requester staff() {
    return {true, {}, {}};
}

// A booking with what cancelling it now would cost.
Response with_quote(
    ApiContext& ctx,
    Request& req,
    TenantId tenant,
    const bookings::Booking& b,
    const bookings::Requester& who
) {
    auto q = ctx.bookings.cancellation_quote(tenant, b.reference, who);
    if (!q) return api_error(q.error(), req);
    auto j = booking_json(b, true);
    j["cancellation_quote"] = quote_json(*q);
    return json_response(200, j);
}

Response get_booking(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.find_by_reference(req.principal.tenant, req.param("reference"));
    if (!b) return api_error(b.error(), req);
    return with_quote(ctx, req, req.principal.tenant, *b, staff());
}

Response cancel_booking(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"waive_fee"});
    if (!q) return api_error(q.error(), req);
    bool waive = false;
    if (const auto it = q->find("waive_fee"); it != q->end()) {
        if (it->second != "true" && it->second != "false")
            return api_error(Error::invalid("waive_fee", "must be true or false"), req);
        waive = it->second == "true";
    }
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.cancel(
        req.principal.tenant,
        req.param("reference"),
        staff(),
        actor_of(req.principal),
        origin_of(req),
        bookings::CancelOptions{std::nullopt, waive, false}
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response staff_book(ApiContext& ctx, Request& req) {
    auto r = create_from(ctx, req, req.principal.tenant, false, false);
    if (!r) return api_error(r.error(), req);
    return created(*r, true);
}

Response reschedule_booking(ApiContext& ctx, Request& req) {
    return reschedule_with(ctx, req, req.principal.tenant, staff(), false);
}

Response decide_booking(ApiContext& ctx, Request& req, bool approve) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.decide(
        req.principal.tenant,
        req.param("reference"),
        approve,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response approve_booking(ApiContext& ctx, Request& req) {
    return decide_booking(ctx, req, true);
}

Response reject_booking(ApiContext& ctx, Request& req) {
    return decide_booking(ctx, req, false);
}

Response check_in(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.check_in(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    // A kiosk shows who arrived, not their address.
    return json_response(200, booking_json(*b, false));
}

Response mark_paid(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.mark_paid(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response no_show(ApiContext& ctx, Request& req) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto b = ctx.bookings.mark_no_show(
        req.principal.tenant, req.param("reference"), actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response my_bookings(ApiContext& ctx, Request& req) {
    bookings::BookingFilter f;
    f.account_id = req.principal.account_id;
    f.limit = 500;
    auto all = ctx.bookings.list(req.principal.tenant, f);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& b : *all) items.push_back(booking_json(b, true));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

// A booking that waits for its payment comes with the provider's checkout page; when the
// page cannot be opened, the places go back at once and nothing stays booked.
Response with_checkout(
    ApiContext& ctx, Request& req, TenantId tenant, Response answer, const bookings::Booking& b
) {
    if (!b.awaiting_payment || b.status != bookings::BookingStatus::held) return answer;
    auto c = ctx.payments.checkout(tenant, b.reference);
    if (!c) {
        bookings::Requester system;
        system.staff = true;
        (void)ctx.bookings.cancel(
            tenant,
            b.reference,
            system,
            {"payments", "system"},
            origin_of(req),
            bookings::CancelOptions{std::nullopt, true, false}
        );
        return api_error(c.error(), req);
    }
    auto j = boost::json::parse(answer.body).as_object();
    j["checkout"] = checkout_json(*c);
    answer.body = boost::json::serialize(j);
    return answer;
}

Response public_book(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto r = create_from(ctx, req, *tenant, false, true);
    if (!r) return api_error(r.error(), req);
    return with_checkout(ctx, req, *tenant, created(*r, false), r->booking);
}

// POST /api/v1/public/{tenant_code}/quote: what a selection costs now, itemised.
Response public_quote(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<bookings::Selection>(req);
    if (!body) return api_error(body.error(), req);
    body->tickets = tickets_of(body->tickets);
    std::optional<AccountId> member;
    if (req.principal.role == access::Role::customer && req.principal.tenant == *tenant)
        member = req.principal.account_id;
    auto q = ctx.bookings.quote(*tenant, *body, member);
    if (!q) return api_error(q.error(), req);
    boost::json::array equipment;
    for (const auto& e : q->equipment)
        equipment.push_back(
            {{"resource_id", e.option.resource_id.value},
             {"name", e.option.name},
             {"price_jpy", e.option.price_jpy},
             {"max_quantity", e.option.max_quantity},
             {"left", e.left}}
        );
    return json_response(
        200,
        boost::json::object{
            {"starts_at", json_time(q->starts_at)},
            {"ends_at", json_time(q->ends_at)},
            {"total_jpy", q->total_jpy},
            {"tax_rate", q->tax_rate},
            {"tax_jpy", q->tax_jpy},
            {"lines", fee_lines_json(q->lines)},
            {"equipment", std::move(equipment)}}
    );
}

Response public_hold(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto r = create_from(ctx, req, *tenant, true, true);
    if (!r) return api_error(r.error(), req);
    return created(*r, false);
}

Response public_confirm_hold(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<Details>(req);
    if (!body) return api_error(body.error(), req);
    bookings::NewBooking in;
    add_details(*body, in);
    if (auto c = as_customer(ctx, req, *tenant, in); !c) return api_error(c.error(), req);
    const audit::Actor actor =
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
    auto b = ctx.bookings.confirm_hold(*tenant, req.param("reference"), in, actor, origin_of(req));
    if (!b) return api_error(b.error(), req);
    return with_checkout(ctx, req, *tenant, json_response(200, booking_json(*b, false)), *b);
}

Response public_lookup(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<BookingProof>(req);
    if (!body) return api_error(body.error(), req);
    auto who = customer_of(req, *tenant, *body);
    if (!who) return api_error(who.error(), req);
    auto b = ctx.bookings.find_for(*tenant, req.param("reference"), *who);
    if (!b) return api_error(b.error(), req);
    return with_quote(ctx, req, *tenant, *b, *who);
}

Response public_cancel(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<CancelBody>(req);
    if (!body) return api_error(body.error(), req);
    auto who = customer_of(req, *tenant, *body);
    if (!who) return api_error(who.error(), req);
    const audit::Actor actor =
        req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
    auto b = ctx.bookings.cancel(
        *tenant,
        req.param("reference"),
        *who,
        actor,
        origin_of(req),
        bookings::CancelOptions{body->expected_fee_jpy, false, false}
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, false));
}

Response public_reschedule(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    bookings::Requester who;
    if (req.principal.role == access::Role::customer && req.principal.tenant == *tenant)
        who.account_id = req.principal.account_id;
    return reschedule_with(ctx, req, *tenant, who, true);
}

}  // namespace

void add_booking_routes(Router& router, ApiContext& ctx) {
    const auto read = "tenant.bookings.read";
    const auto manage = "tenant.bookings.manage";
    router.add({"GET", "/api/v1/bookings", read, bind(ctx, list_bookings)});
    router.add({"POST", "/api/v1/bookings", manage, bind(ctx, staff_book)});
    router.add({"GET", "/api/v1/bookings/{reference}", read, bind(ctx, get_booking)});
    router.add({"DELETE", "/api/v1/bookings/{reference}", manage, bind(ctx, cancel_booking)});
    router.add(
        {"POST", "/api/v1/bookings/{reference}/reschedule", manage, bind(ctx, reschedule_booking)}
    );
    router.add({"POST", "/api/v1/bookings/{reference}/approve", manage, bind(ctx, approve_booking)}
    );
    router.add({"POST", "/api/v1/bookings/{reference}/reject", manage, bind(ctx, reject_booking)});
    router.add(
        {"POST", "/api/v1/bookings/{reference}/check-in", "tenant.checkin", bind(ctx, check_in)}
    );
    router.add({"POST", "/api/v1/bookings/{reference}/no-show", manage, bind(ctx, no_show)});
    router.add({"POST", "/api/v1/bookings/{reference}/paid", manage, bind(ctx, mark_paid)});
    router.add({"GET", "/api/v1/me/bookings", "customer.self", bind(ctx, my_bookings)});
    router.add({"POST", "/api/v1/public/{tenant_code}/bookings", "public", bind(ctx, public_book)});
    router.add({"POST", "/api/v1/public/{tenant_code}/holds", "public", bind(ctx, public_hold)});
    router.add({"POST", "/api/v1/public/{tenant_code}/quote", "public", bind(ctx, public_quote)});
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/holds/{reference}/confirm",
         "public",
         bind(ctx, public_confirm_hold)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/lookup",
         "public",
         bind(ctx, public_lookup)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/cancel",
         "public",
         bind(ctx, public_cancel)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/bookings/{reference}/reschedule",
         "public",
         bind(ctx, public_reschedule)}
    );
}

}  // namespace yoyaku::http

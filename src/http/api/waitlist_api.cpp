// Waitlists (キャンセル待ち), lotteries (抽選) and occurrence capacity.
//
//   POST  /api/v1/public/{tenant_code}/waitlist                        join a full occurrence → 201
//   POST  /api/v1/public/{tenant_code}/waitlist/{reference}/confirm    the mailed link's key: the
//                                                                      guest's entry takes its
//                                                                      place
//   POST  /api/v1/public/{tenant_code}/waitlist/{reference}/lookup     position, offer
//   POST  /api/v1/public/{tenant_code}/waitlist/{reference}/accept     take the offered places
//   POST  /api/v1/public/{tenant_code}/waitlist/{reference}/leave      leave the line
//   GET   /api/v1/offerings/{offering_id}/waitlist                     the line (staff)
//   PATCH /api/v1/occurrences/{occurrence_id}                          capacity (raising it
//                                                                      serves the line)
//   POST  /api/v1/public/{tenant_code}/lottery                         apply             → 201
//   POST  /api/v1/public/{tenant_code}/lottery/{reference}/confirm     the mailed link's key: the
//                                                                      application enters the draw
//   POST  /api/v1/public/{tenant_code}/lottery/{reference}/lookup      the result
//   POST  /api/v1/offerings/{offering_id}/lottery/draw                 draw now (from draw_at)
//   GET   /api/v1/offerings/{offering_id}/lottery                      the draw, checked again

#include <boost/json.hpp>
#include <charconv>

#include "http/api/api.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The key of a guest's mailed link, and an occurrence's new capacity.
struct KeyBody {
    Text<64> key;
    static constexpr std::array<std::string_view, 1> kRequired{"key"};
};
BOOST_DESCRIBE_STRUCT(KeyBody, (), (key))
struct CapacityBody {
    std::optional<std::int64_t> capacity;
};
BOOST_DESCRIBE_STRUCT(CapacityBody, (), (capacity))

boost::json::object entry_json(const bookings::WaitlistEntry& e, bool with_customer) {
    boost::json::object tickets;
    for (const auto& [code, n] : e.tickets) tickets[code] = n;
    boost::json::object j{
        {"reference", e.reference},
        {"offering_id", e.offering_id.value},
        {"occurrence_id", e.occurrence_id.value},
        {"status", bookings::to_string(e.status)},
        {"position", e.position > 0 ? boost::json::value(e.position) : nullptr},
        {"seats", e.seats},
        {"tickets", std::move(tickets)},
        {"total_jpy", e.total_jpy},
        {"booking_reference",
         e.booking_reference ? boost::json::value(*e.booking_reference) : nullptr},
        {"offer_expires_at",
         e.offer_expires_at ? boost::json::value(json_time(*e.offer_expires_at)) : nullptr},
        {"confirmed", e.confirmed},
        {"created_at", json_time(e.created_at)}};
    if (with_customer)
        j["customer"] = {
            {"name", e.customer.name},
            {"email", e.customer.email},
            {"phone", e.customer.phone},
            {"locale", e.locale}};
    return j;
}

audit::Actor public_actor(const Request& req) {
    return req.principal.signed_in() ? actor_of(req.principal) : audit::Actor{"guest", "anonymous"};
}

Response public_join(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<JoinBody>(req);
    if (!body) return api_error(body.error(), req);
    if (auto ok = guest_challenge(ctx, req, *body); !ok) return api_error(ok.error(), req);
    bookings::NewBooking details;
    add_details(Details{*body, std::nullopt, {}}, details);
    if (auto c = as_customer(ctx, req, *tenant, details); !c) return api_error(c.error(), req);
    bookings::Selection sel;
    if (body->offering_id) sel.offering_id = *body->offering_id;
    if (body->occurrence_id) sel.occurrence_id = *body->occurrence_id;
    sel.tickets = tickets_of(body->tickets);
    if (body->seat_category) sel.seat_category = body->seat_category->value;
    bookings::NewWaiter in{sel, details.customer, details.account_id, details.locale};
    auto e = ctx.waitlist.join(*tenant, in, public_actor(req), origin_of(req));
    if (!e) return api_error(e.error(), req);
    return json_response(201, entry_json(*e, false));
}

// The waiter's proof (their account, or the address in the body) and the body.
struct Waiter {
    TenantId tenant{0};
    bookings::Requester who;
};

Result<Waiter> waiter_of(ApiContext& ctx, const Request& req) {
    YOYAKU_TRY_ASSIGN(auto tenant, public_tenant(ctx, req));
    YOYAKU_TRY_ASSIGN(const auto body, read_body<EmailProof>(req));
    YOYAKU_TRY_ASSIGN(auto who, customer_of(req, tenant, body));
    return Waiter{tenant, who};
}

// The key of the link mailed to a guest's address ({"key": "…"}).
Result<std::string> confirmation_key(const Request& req) {
    YOYAKU_TRY_ASSIGN(auto body, read_body<KeyBody>(req));
    return std::move(body.key.value);
}

Response public_confirm(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto key = confirmation_key(req);
    if (!key) return api_error(key.error(), req);
    auto e = ctx.waitlist.confirm(
        *tenant, req.param("reference"), *key, public_actor(req), origin_of(req)
    );
    if (!e) return api_error(e.error(), req);
    return json_response(200, entry_json(*e, false));
}

Response public_lookup(ApiContext& ctx, Request& req) {
    auto w = waiter_of(ctx, req);
    if (!w) return api_error(w.error(), req);
    auto e = ctx.waitlist.find(w->tenant, req.param("reference"), w->who);
    if (!e) return api_error(e.error(), req);
    return json_response(200, entry_json(*e, true));
}

Response public_accept(ApiContext& ctx, Request& req) {
    auto w = waiter_of(ctx, req);
    if (!w) return api_error(w.error(), req);
    auto b = ctx.waitlist.accept_offer(
        w->tenant, req.param("reference"), w->who, public_actor(req), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, false));
}

Response public_leave(ApiContext& ctx, Request& req) {
    auto w = waiter_of(ctx, req);
    if (!w) return api_error(w.error(), req);
    auto e = ctx.waitlist.leave(
        w->tenant, req.param("reference"), w->who, public_actor(req), origin_of(req)
    );
    if (!e) return api_error(e.error(), req);
    return json_response(200, entry_json(*e, false));
}

Response staff_waitlist(ApiContext& ctx, Request& req) {
    auto id = id_param<OfferingId>(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    if (auto o = visible_offering(ctx, req, OfferingId{*id}); !o) return api_error(o.error(), req);
    auto q = query_params(req, {"occurrence_id"});
    if (!q) return api_error(q.error(), req);
    std::optional<OccurrenceId> occurrence;
    if (const auto it = q->find("occurrence_id"); it != q->end()) {
        std::int64_t n = 0;
        const auto& v = it->second;
        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || p != v.data() + v.size() || n < 1)
            return api_error(Error::invalid("occurrence_id", "must be an id"), req);
        occurrence = OccurrenceId(n);
    }
    auto all = ctx.waitlist.list(req.principal.tenant, *id, occurrence);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& e : *all) items.push_back(entry_json(e, true));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response set_capacity(ApiContext& ctx, Request& req) {
    auto id = id_param<OccurrenceId>(req, "occurrence_id");
    if (!id) return api_error(id.error(), req);
    auto body = read_body<CapacityBody>(req);
    if (!body) return api_error(body.error(), req);
    // Out of range (or missing): 0, refused by the service once the occurrence is found.
    const auto n = body->capacity.value_or(0);
    auto o = ctx.bookings.set_capacity(
        req.principal.tenant,
        *id,
        n < 1 || n > 1'000'000 ? 0 : static_cast<int>(n),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!o) return api_error(o.error(), req);
    return json_response(200, occurrence_json(*o));
}

boost::json::object application_json(const bookings::LotteryEntry& e) {
    boost::json::array prefs;
    for (auto id : e.preferences) prefs.emplace_back(id.value);
    return {
        {"reference", e.reference},
        {"offering_id", e.offering_id.value},
        {"preferences", std::move(prefs)},
        {"status", e.status},
        {"seats", e.seats},
        {"total_jpy", e.total_jpy},
        {"booking_reference",
         e.booking_reference ? boost::json::value(*e.booking_reference) : nullptr},
        {"confirmed", e.confirmed},
        {"created_at", json_time(e.created_at)}};
}

boost::json::object draw_json(const bookings::LotteryDraw& d) {
    boost::json::array allocation;
    for (const auto& [ref, occ] : d.allocation)
        allocation.push_back({{"reference", ref}, {"occurrence_id", opt_json(occ)}});
    if (!d.drawn) return {{"drawn", false}};
    return {
        {"drawn", true},
        {"seed", d.seed},
        {"drawn_at", json_time(d.drawn_at)},
        {"allocation", std::move(allocation)},
        {"verified", d.verified}};
}

Response public_apply(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = read_body<ApplyBody>(req);
    if (!body) return api_error(body.error(), req);
    if (auto ok = guest_challenge(ctx, req, *body); !ok) return api_error(ok.error(), req);
    bookings::NewBooking details;
    add_details(Details{*body, std::nullopt, {}}, details);
    if (auto c = as_customer(ctx, req, *tenant, details); !c) return api_error(c.error(), req);
    bookings::NewApplication in;
    if (body->offering_id) in.offering_id = *body->offering_id;
    in.tickets = tickets_of(body->tickets);
    in.customer = details.customer;
    in.account_id = details.account_id;
    in.locale = details.locale;
    in.preferences = body->preferences;
    auto e = ctx.lottery.apply(*tenant, in, public_actor(req), origin_of(req));
    if (!e) return api_error(e.error(), req);
    return json_response(201, application_json(*e));
}

Response public_confirm_application(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto key = confirmation_key(req);
    if (!key) return api_error(key.error(), req);
    auto e = ctx.lottery.confirm(
        *tenant, req.param("reference"), *key, public_actor(req), origin_of(req)
    );
    if (!e) return api_error(e.error(), req);
    return json_response(200, application_json(*e));
}

Response public_application(ApiContext& ctx, Request& req) {
    auto w = waiter_of(ctx, req);
    if (!w) return api_error(w.error(), req);
    auto e = ctx.lottery.find(w->tenant, req.param("reference"), w->who);
    if (!e) return api_error(e.error(), req);
    return json_response(200, application_json(*e));
}

Response draw(ApiContext& ctx, Request& req) {
    auto id = id_param<OfferingId>(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    auto d = ctx.lottery.draw(req.principal.tenant, *id, actor_of(req.principal), origin_of(req));
    if (!d) return api_error(d.error(), req);
    return json_response(200, draw_json(*d));
}

Response get_draw(ApiContext& ctx, Request& req) {
    auto id = id_param<OfferingId>(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    if (auto o = visible_offering(ctx, req, OfferingId{*id}); !o) return api_error(o.error(), req);
    auto d = ctx.lottery.draw_of(req.principal.tenant, *id);
    if (!d) return api_error(d.error(), req);
    return json_response(200, draw_json(*d));
}

}  // namespace

void add_waitlist_routes(Router& router, ApiContext& ctx) {
    router.add({"POST", "/api/v1/public/{tenant_code}/lottery", "public", bind(ctx, public_apply)});
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/lottery/{reference}/confirm",
         "public",
         bind(ctx, public_confirm_application)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/lottery/{reference}/lookup",
         "public",
         bind(ctx, public_application)}
    );
    router.add(
        {"POST",
         "/api/v1/offerings/{offering_id}/lottery/draw",
         "tenant.setup.manage",
         bind(ctx, draw)}
    );
    router.add(
        {"GET",
         "/api/v1/offerings/{offering_id}/lottery",
         "tenant.bookings.read",
         bind(ctx, get_draw)}
    );
    router.add({"POST", "/api/v1/public/{tenant_code}/waitlist", "public", bind(ctx, public_join)});
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/waitlist/{reference}/confirm",
         "public",
         bind(ctx, public_confirm)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/waitlist/{reference}/lookup",
         "public",
         bind(ctx, public_lookup)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/waitlist/{reference}/accept",
         "public",
         bind(ctx, public_accept)}
    );
    router.add(
        {"POST",
         "/api/v1/public/{tenant_code}/waitlist/{reference}/leave",
         "public",
         bind(ctx, public_leave)}
    );
    router.add(
        {"GET",
         "/api/v1/offerings/{offering_id}/waitlist",
         "tenant.bookings.read",
         bind(ctx, staff_waitlist)}
    );
    router.add(
        {"PATCH",
         "/api/v1/occurrences/{occurrence_id}",
         "tenant.setup.manage",
         bind(ctx, set_capacity)}
    );
}

}  // namespace yoyaku::http

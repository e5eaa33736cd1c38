// Request pieces the booking and waitlist routes share: what a booking selects, the
// customer's details, who a customer is, the guest's proof of work, and creating or moving a
// booking for the staff and the public routes alike.

#include "http/api/booking_input.hpp"

#include <boost/json.hpp>
#include <vector>

#include "domain/resources/resources.hpp"
#include "http/api/api.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {

Result<bookings::Selection> selection_of(const boost::json::object& body) {
    bookings::Selection s;
    if (body.contains("occurrence_id")) {
        YOYAKU_TRY_ASSIGN(s.occurrence_id, id_member<OccurrenceId>(body, "occurrence_id"));
    }
    if (body.contains("offering_id")) {
        YOYAKU_TRY_ASSIGN(s.offering_id, id_member<OfferingId>(body, "offering_id"));
    }
    if (body.contains("resource_id")) {
        YOYAKU_TRY_ASSIGN(auto id, id_member<ResourceId>(body, "resource_id"));
        s.resource_id = id;
    }
    YOYAKU_TRY_ASSIGN(auto starts, optional_instant(body, "starts_at"));
    s.starts_at = starts;
    for (auto [key, to] : {std::pair{"blocks", &s.blocks}, {"quantity", &s.quantity}}) {
        YOYAKU_TRY_ASSIGN(auto n, int_member(body, key, 1));
        *to = n;
    }
    if (const auto* tickets = body.if_contains("tickets")) {
        if (!tickets->is_object())
            return Error::invalid("tickets", "must be {\"<ticket type>\": count}");
        for (const auto& [code, n] : tickets->get_object()) {
            if (!n.is_int64() || code.size() > 32)
                return Error::invalid("tickets." + std::string(code), "must be a count");
            s.tickets[std::string(code)] =
                static_cast<int>(std::clamp<std::int64_t>(n.get_int64(), -1, 1000));
        }
    }
    return s;
}

Result<void> details_of(const boost::json::object& body, bookings::NewBooking& in) {
    const auto* c = body.if_contains("customer");
    if (!c || !c->is_object()) return Error::invalid("customer", "must be {name, email, phone}");
    const auto& co = c->get_object();
    YOYAKU_TRY(only_keys(co, "customer", {"name", "email", "phone", "locale"}));
    auto name = required_string(co, "name", 400);
    if (!name) return Error::invalid("customer.name", name.error().message);
    auto email = required_string(co, "email", 320);
    if (!email) return Error::invalid("customer.email", email.error().message);
    auto phone = optional_string(co, "phone", 40);
    if (!phone) return Error::invalid("customer.phone", phone.error().message);
    in.customer = {*name, *email, phone->value_or("")};
    auto locale = optional_string(co, "locale", 2);
    if (!locale) return Error::invalid("customer.locale", "must be ja or en");
    if (*locale && **locale != "ja" && **locale != "en")
        return Error::invalid("customer.locale", "must be ja or en");
    in.locale = locale->value_or("");
    YOYAKU_TRY_ASSIGN(auto note, optional_string(body, "note", 4000));
    in.note = note.value_or("");
    if (const auto* a = body.if_contains("answers")) {
        if (!a->is_object()) return Error::invalid("answers", "must be {\"<question>\": answer}");
        for (const auto& [id, v] : a->get_object()) {
            const std::string f = "answers." + std::string(id);
            if (id.size() > 32) return Error::invalid(f, "is not a question");
            if (v.is_bool())
                in.answers[std::string(id)] = v.get_bool() ? "true" : "false";
            else if (v.is_string() && v.get_string().size() <= 4000)
                in.answers[std::string(id)] = std::string(v.get_string());
            else
                return Error::invalid(f, "must be text or true/false");
        }
    }
    return {};
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

Result<void> guest_challenge(ApiContext& ctx, const Request& req, const boost::json::object& body) {
    if (req.principal.signed_in()) return {};
    if (body.contains("altcha")) return require_challenge(ctx, body);
    if (!ctx.defence.free_booking(req.client_address))
        return Error::invalid(
            "altcha",
            "solve the proof-of-work challenge (GET /api/v1/challenge) and send it as altcha"
        );
    return {};
}

Result<bookings::Requester> customer_of(
    const Request& req, TenantId tenant, const boost::json::object& body
) {
    bookings::Requester who;
    if (req.principal.role == access::Role::customer && req.principal.tenant == tenant)
        who.account_id = req.principal.account_id;
    auto email = optional_string(body, "email", 320);
    if (!email) return fail(std::move(email).error());
    who.email = email->value_or("");
    // The key of the link in the booking's mails proves it as well as the address does.
    YOYAKU_TRY_ASSIGN(auto key, optional_string(body, "key", 64));
    who.link_key = key.value_or("");
    if (!who.account_id && who.email.empty() && who.link_key.empty())
        return Error::invalid("email", "give the booking's email address");
    return who;
}

boost::json::object quote_json(const bookings::FeeQuote& q) {
    return {
        {"percent", q.percent},
        {"fee_jpy", q.fee_jpy},
        {"changes_at", q.changes_at ? boost::json::value(json_time(*q.changes_at)) : nullptr}};
}

Result<bookings::Created> create_from(
    ApiContext& ctx, Request& req, TenantId tenant, bool hold, bool public_route
) {
    std::vector<std::string_view> allowed{
        "occurrence_id",
        "offering_id",
        "tickets",
        "starts_at",
        "blocks",
        "quantity",
        "resource_id"};
    if (!hold) allowed.insert(allowed.end(), {"customer", "note", "answers", "repeat"});
    if (public_route) allowed.push_back("altcha");
    YOYAKU_TRY_ASSIGN(auto body, json_object(req, allowed));
    if (public_route) YOYAKU_TRY(guest_challenge(ctx, req, body));
    bookings::NewBooking in;
    in.hold = hold;
    in.idempotency_key = std::string(req.headers.get("Idempotency-Key"));
    if (in.idempotency_key.empty())
        return Error::invalid("Idempotency-Key", "send a unique key with every booking request");
    YOYAKU_TRY_ASSIGN(auto sel, selection_of(body));
    if (!public_route) YOYAKU_TRY(check_selection(ctx, req, sel, OfferingId{}));
    in.what = std::move(sel);
    if (const auto* r = body.if_contains("repeat")) {
        const auto* o = r->if_object();
        if (!o)
            return Error::invalid("repeat", "must be {every_weeks, count | until, skip_conflicts}");
        YOYAKU_TRY(only_keys(*o, "repeat", {"every_weeks", "count", "until", "skip_conflicts"}));
        bookings::Repeat rep;
        auto every = int_member(*o, "every_weeks", 1);
        if (!every) return Error::invalid("repeat.every_weeks", "must be an integer");
        rep.every_weeks = *every;
        auto count = int_member(*o, "count", 0);
        if (!count) return Error::invalid("repeat.count", "must be an integer");
        rep.count = *count;
        if (const auto* u = o->if_contains("until")) {
            rep.until = u->is_string() ? resources::parse_date(u->get_string()) : std::nullopt;
            if (!rep.until) return Error::invalid("repeat.until", "must be a date YYYY-MM-DD");
        }
        auto skip = bool_member(*o, "skip_conflicts");
        if (!skip) return Error::invalid("repeat.skip_conflicts", "must be true or false");
        rep.skip_conflicts = *skip;
        in.repeat = rep;
    }
    if (!hold) {
        YOYAKU_TRY(details_of(body, in));
        if (public_route) YOYAKU_TRY(as_customer(ctx, req, tenant, in));
    }
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

Response reschedule_with(
    ApiContext& ctx, Request& req, TenantId tenant, bookings::Requester who, bool public_route
) {
    auto body =
        public_route
            ? json_object(req, {"email", "key", "occurrence_id", "starts_at", "resource_id"})
            : json_object(req, {"occurrence_id", "starts_at", "resource_id"});
    if (!body) return api_error(body.error(), req);
    if (public_route) {
        auto email = optional_string(*body, "email", 320);
        if (!email) return api_error(email.error(), req);
        who.email = email->value_or("");
        auto key = optional_string(*body, "key", 64);
        if (!key) return api_error(key.error(), req);
        who.link_key = key->value_or("");
        body->erase("email");
        body->erase("key");
    }
    auto sel = selection_of(*body);
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

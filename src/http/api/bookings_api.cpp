// Offerings, occurrences and bookings (so far: event sessions).
//
//   GET  /api/v1/offerings                                   list (staff)
//   POST /api/v1/offerings                                   create (managers)           → 201
//   GET  /api/v1/offerings/{offering_id}                     one, with its occurrences
//   POST /api/v1/offerings/{offering_id}/occurrences         add an occurrence           → 201
//   GET  /api/v1/bookings/{reference}                        one booking (staff)
//   DELETE /api/v1/bookings/{reference}                      cancel (staff)              → 200
//   GET  /api/v1/public/{tenant_code}/offerings              published offerings with seats left
//   POST /api/v1/public/{tenant_code}/bookings               book as a guest (Idempotency-Key)
//                                                            → 201; a retry → the same answer

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {
namespace {

using bookings::Occurrence;
using bookings::Offering;

boost::json::object occurrence_json(const Occurrence& o) {
    return {
        {"id", o.id},
        {"starts_at", json_time(o.starts_at)},
        {"ends_at", json_time(o.ends_at)},
        {"capacity", o.capacity},
        {"seats_left", o.capacity - o.taken}};
}

boost::json::object offering_json(const Offering& o, const std::vector<Occurrence>* occ) {
    boost::json::array types;
    for (const auto& t : o.ticket_types)
        types.push_back(
            {{"code", t.code},
             {"name", t.name},
             {"price_jpy", t.price_jpy},
             {"max_per_order", t.max_per_order}}
        );
    boost::json::object j{
        {"id", o.id},
        {"kind", bookings::to_string(o.kind)},
        {"name", o.name},
        {"description", o.description},
        {"published", o.published},
        {"opens_before_minutes",
         o.opens_before ? boost::json::value(o.opens_before->count()) : nullptr},
        {"closes_before_minutes", o.closes_before.count()},
        {"cancel_before_minutes", o.cancel_before.count()},
        {"max_per_order", o.max_per_order},
        {"ticket_types", std::move(types)}};
    if (occ) {
        boost::json::array a;
        for (const auto& x : *occ) a.push_back(occurrence_json(x));
        j["occurrences"] = std::move(a);
    }
    return j;
}

boost::json::object booking_json(const bookings::Booking& b, bool with_customer) {
    boost::json::object tickets;
    for (const auto& [code, n] : b.tickets) tickets[code] = n;
    boost::json::object j{
        {"reference", b.reference},
        {"offering_id", b.offering_id},
        {"occurrence_id", b.occurrence_id},
        {"status", bookings::to_string(b.status)},
        {"seats", b.seats},
        {"total_jpy", b.total_jpy},
        {"tickets", std::move(tickets)},
        {"created_at", json_time(b.created_at)}};
    if (with_customer)
        j["customer"] = {
            {"name", b.customer.name}, {"email", b.customer.email}, {"phone", b.customer.phone}};
    return j;
}

Result<int> int_member(const boost::json::object& o, std::string_view key, int fallback) {
    const auto* v = o.if_contains(key);
    if (!v) return fallback;
    if (!v->is_int64() || v->get_int64() < -1'000'000'000 || v->get_int64() > 1'000'000'000)
        return Error::invalid(std::string(key), "must be an integer");
    return static_cast<int>(v->get_int64());
}

Response create_offering(ApiContext& ctx, Request& req) {
    auto body = json_object(
        req,
        {"kind",
         "name",
         "description",
         "published",
         "opens_before_minutes",
         "closes_before_minutes",
         "cancel_before_minutes",
         "max_per_order",
         "ticket_types"}
    );
    if (!body) return api_error(body.error(), req);
    bookings::OfferingInput in;
    auto kind = required_string(*body, "kind", 16);
    if (!kind) return api_error(kind.error(), req);
    auto k = bookings::parse_offering_kind(*kind);
    if (!k)
        return api_error(
            Error::invalid("kind", "must be appointment, rental, event or course"), req
        );
    in.kind = *k;
    auto name = required_string(*body, "name", 800);
    if (!name) return api_error(name.error(), req);
    in.name = *name;
    auto description = optional_string(*body, "description", 16000);
    if (!description) return api_error(description.error(), req);
    in.description = description->value_or("");
    if (const auto* p = body->if_contains("published")) {
        if (!p->is_bool())
            return api_error(Error::invalid("published", "must be true or false"), req);
        in.published = p->get_bool();
    }
    if (const auto* v = body->if_contains("opens_before_minutes"); v && !v->is_null()) {
        auto n = int_member(*body, "opens_before_minutes", 0);
        if (!n) return api_error(n.error(), req);
        in.opens_before_minutes = *n;
    }
    for (auto [key, to] :
         {std::pair{"closes_before_minutes", &in.closes_before_minutes},
          {"cancel_before_minutes", &in.cancel_before_minutes},
          {"max_per_order", &in.max_per_order}}) {
        auto n = int_member(*body, key, *to);
        if (!n) return api_error(n.error(), req);
        *to = *n;
    }
    if (const auto* types = body->if_contains("ticket_types")) {
        if (!types->is_array())
            return api_error(Error::invalid("ticket_types", "must be a list"), req);
        std::size_t i = 0;
        for (const auto& t : types->get_array()) {
            const std::string f = "ticket_types[" + std::to_string(i++) + "]";
            const auto* o = t.if_object();
            if (!o) return api_error(Error::invalid(f, "must be an object"), req);
            for (const auto& [key, value] : *o)
                if (key != "code" && key != "name" && key != "price_jpy" && key != "max_per_order")
                    return api_error(
                        Error::invalid(f + "." + std::string(key), "is not a field"), req
                    );
            auto code = required_string(*o, "code", 64);
            if (!code) return api_error(Error::invalid(f + ".code", code.error().message), req);
            auto tname = required_string(*o, "name", 400);
            if (!tname) return api_error(Error::invalid(f + ".name", tname.error().message), req);
            const auto* price = o->if_contains("price_jpy");
            if (!price || !price->is_int64())
                return api_error(Error::invalid(f + ".price_jpy", "must be an integer (yen)"), req);
            auto max = int_member(*o, "max_per_order", 10);
            if (!max)
                return api_error(Error::invalid(f + ".max_per_order", "must be an integer"), req);
            in.ticket_types.push_back({*code, *tname, price->get_int64(), *max});
        }
    }
    auto o = ctx.bookings.create_offering(
        req.principal.tenant, in, actor_of(req.principal), origin_of(req)
    );
    if (!o) return api_error(o.error(), req);
    return json_response(201, offering_json(*o, nullptr));
}

Response list_offerings(ApiContext& ctx, Request& req) {
    auto all = ctx.bookings.list_offerings(req.principal.tenant, false);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& o : *all) items.push_back(offering_json(o, nullptr));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response get_offering(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    auto o = ctx.bookings.find_offering(req.principal.tenant, *id);
    if (!o) return api_error(o.error(), req);
    auto occ = ctx.bookings.occurrences(req.principal.tenant, *id);
    if (!occ) return api_error(occ.error(), req);
    return json_response(200, offering_json(*o, &*occ));
}

Response add_occurrence(ApiContext& ctx, Request& req) {
    auto id = id_param(req, "offering_id");
    if (!id) return api_error(id.error(), req);
    auto body = json_object(req, {"starts_at", "ends_at", "capacity"});
    if (!body) return api_error(body.error(), req);
    auto starts = optional_instant(*body, "starts_at");
    if (!starts) return api_error(starts.error(), req);
    auto ends = optional_instant(*body, "ends_at");
    if (!ends) return api_error(ends.error(), req);
    auto capacity = int_member(*body, "capacity", 0);
    if (!capacity) return api_error(capacity.error(), req);
    if (!ctx.bookings.find_offering(req.principal.tenant, *id))
        return api_error(Error::not_found("no such offering"), req);
    if (!*starts) return api_error(Error::invalid("starts_at", "is required"), req);
    if (!*ends) return api_error(Error::invalid("ends_at", "is required"), req);
    auto o = ctx.bookings.add_occurrence(
        req.principal.tenant,
        *id,
        **starts,
        **ends,
        *capacity,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!o) return api_error(o.error(), req);
    return json_response(201, occurrence_json(*o));
}

Response get_booking(ApiContext& ctx, Request& req) {
    auto b = ctx.bookings.find_by_reference(req.principal.tenant, req.param("reference"));
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Response cancel_booking(ApiContext& ctx, Request& req) {
    auto b = ctx.bookings.cancel(
        req.principal.tenant, req.param("reference"), false, actor_of(req.principal), origin_of(req)
    );
    if (!b) return api_error(b.error(), req);
    return json_response(200, booking_json(*b, true));
}

Result<TenantId> public_tenant(ApiContext& ctx, const Request& req) {
    auto t = ctx.tenants.find_by_code(req.param("tenant_code"));
    if (!t || t->status != tenants::Status::active) return Error::not_found("no such tenant");
    return t->id;
}

Response public_offerings(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto all = ctx.bookings.list_offerings(*tenant, true);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& o : *all) {
        auto occ = ctx.bookings.occurrences(*tenant, o.id);
        if (!occ) return api_error(occ.error(), req);
        items.push_back(offering_json(o, &*occ));
    }
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response public_book(ApiContext& ctx, Request& req) {
    auto tenant = public_tenant(ctx, req);
    if (!tenant) return api_error(tenant.error(), req);
    auto body = json_object(req, {"occurrence_id", "tickets", "customer"});
    if (!body) return api_error(body.error(), req);
    bookings::NewBooking in;
    in.idempotency_key = std::string(req.headers.get("Idempotency-Key"));
    if (in.idempotency_key.empty())
        return api_error(
            Error::invalid("Idempotency-Key", "send a unique key with every booking request"), req
        );
    const auto* occ = body->if_contains("occurrence_id");
    if (!occ || !occ->is_int64())
        return api_error(Error::invalid("occurrence_id", "must be an occurrence id"), req);
    in.occurrence_id = occ->get_int64();
    const auto* tickets = body->if_contains("tickets");
    if (!tickets || !tickets->is_object())
        return api_error(Error::invalid("tickets", "must be {\"<ticket type>\": count}"), req);
    for (const auto& [code, n] : tickets->get_object()) {
        if (!n.is_int64() || code.size() > 32)
            return api_error(
                Error::invalid("tickets." + std::string(code), "must be a count"), req
            );
        in.tickets[std::string(code)] =
            static_cast<int>(std::clamp<std::int64_t>(n.get_int64(), -1, 1000));
    }
    const auto* c = body->if_contains("customer");
    if (!c || !c->is_object())
        return api_error(Error::invalid("customer", "must be {name, email, phone}"), req);
    const auto& co = c->get_object();
    for (const auto& [key, value] : co)
        if (key != "name" && key != "email" && key != "phone")
            return api_error(Error::invalid("customer." + std::string(key), "is not a field"), req);
    auto name = required_string(co, "name", 400);
    if (!name) return api_error(Error::invalid("customer.name", name.error().message), req);
    auto email = required_string(co, "email", 320);
    if (!email) return api_error(Error::invalid("customer.email", email.error().message), req);
    auto phone = optional_string(co, "phone", 40);
    if (!phone) return api_error(Error::invalid("customer.phone", phone.error().message), req);
    in.customer = {*name, *email, phone->value_or("")};
    auto r = ctx.bookings.book(*tenant, in, {"guest", "anonymous"}, origin_of(req));
    if (!r) return api_error(r.error(), req);
    auto resp = json_response(201, booking_json(r->booking, false));
    if (r->replayed) resp.headers.set("Idempotent-Replayed", "true");
    return resp;
}

}  // namespace

void add_booking_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/api/v1/offerings", "tenant.bookings.read", bind(ctx, list_offerings)});
    router.add({"POST", "/api/v1/offerings", "tenant.setup.manage", bind(ctx, create_offering)});
    router.add(
        {"GET", "/api/v1/offerings/{offering_id}", "tenant.bookings.read", bind(ctx, get_offering)}
    );
    router.add(
        {"POST",
         "/api/v1/offerings/{offering_id}/occurrences",
         "tenant.setup.manage",
         bind(ctx, add_occurrence)}
    );
    router.add(
        {"GET", "/api/v1/bookings/{reference}", "tenant.bookings.read", bind(ctx, get_booking)}
    );
    router.add(
        {"DELETE",
         "/api/v1/bookings/{reference}",
         "tenant.bookings.manage",
         bind(ctx, cancel_booking)}
    );
    router.add(
        {"GET", "/api/v1/public/{tenant_code}/offerings", "public", bind(ctx, public_offerings)}
    );
    router.add({"POST", "/api/v1/public/{tenant_code}/bookings", "public", bind(ctx, public_book)});
}

}  // namespace yoyaku::http

// A booking's permit (使用許可書) and invoice (請求書) (issue 27, ADR 0023): a manager sets the
// wording and the seal image; staff and the booking's customer download them as PDFs, issued on
// first download under the tenant's next number and issued again (再発行) when the booking
// changed what they state.
//
//   GET  /api/v1/settings/documents   {permit_text, invoice_text, has_seal, updated_at}
//   PUT  /api/v1/settings/documents   {permit_text, invoice_text, seal?} (seal: a PNG in
//        base64; "" removes it; absent keeps it) → the same as GET
//   GET  /api/v1/settings/documents/seal   image/png
//   GET  /api/v1/bookings/{reference}/permit|invoice   application/pdf (tenant.bookings.read)
//   POST /api/v1/public/{tenant_code}/bookings/{reference}/permit|invoice   {email | key} →
//        application/pdf (the booking's customer; signed in, no proof needed)

#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "domain/payments/booking_document_service.hpp"
#include "http/api/api.hpp"
#include "http/api/booking_bodies.hpp"
#include "http/api/booking_input.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

struct DocumentsBody {
    Text<8000> permit_text;
    Text<8000> invoice_text;
    std::optional<std::string> seal;  ///< base64 of a PNG; "" removes the seal
};
BOOST_DESCRIBE_STRUCT(DocumentsBody, (), (permit_text, invoice_text, seal))

boost::json::object settings_json(const payments::DocumentSettings& s) {
    return {
        {"permit_text", s.wording.permit_text},
        {"invoice_text", s.wording.invoice_text},
        {"has_seal", s.has_seal},
        {"updated_at", opt_json(s.updated_at)}};
}

Response get_settings(ApiContext& ctx, Request& req) {
    auto s = ctx.documents.settings(req.principal.tenant);
    if (!s) return api_error(s.error(), req);
    return json_response(200, settings_json(*s));
}

Response get_seal(ApiContext& ctx, Request& req) {
    auto png = ctx.documents.seal(req.principal.tenant);
    if (!png) return api_error(png.error(), req);
    if (png->empty()) return api_error(Error::not_found("no seal image is set"), req);
    Response r;
    r.status = 200;
    r.headers.set("Content-Type", "image/png");
    r.body = std::move(*png);
    return r;
}

Response set_settings(ApiContext& ctx, Request& req) {
    auto body = read_body<DocumentsBody>(req);
    if (!body) return api_error(body.error(), req);
    std::optional<std::string> seal;
    if (body->seal) {
        seal = body->seal->empty() ? std::optional<std::string>(std::string())
                                   : crypto::from_base64(*body->seal);
        if (!seal) return api_error(Error::invalid("seal", "must be a PNG image in base64"), req);
    }
    auto s = ctx.documents.set_settings(
        req.principal.tenant,
        {body->permit_text.value, body->invoice_text.value},
        std::move(seal),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!s) return api_error(s.error(), req);
    return json_response(200, settings_json(*s));
}

Response staff_document(ApiContext& ctx, Request& req, payments::DocumentKind kind) {
    if (auto in = check_booking(ctx, req, req.param("reference")); !in)
        return api_error(in.error(), req);
    auto d = ctx.documents.document(
        req.principal.tenant, req.param("reference"), kind, actor_of(req.principal), origin_of(req)
    );
    if (!d) return api_error(d.error(), req);
    return pdf_response(d->filename, d->pdf);
}

Response public_document(ApiContext& ctx, Request& req, payments::DocumentKind kind) {
    // Only the booking's customer gets its documents (their name is on them).
    auto proven = proven_customer(ctx, req);
    if (!proven) return api_error(proven.error(), req);
    auto d = ctx.documents.document(
        proven->tenant, req.param("reference"), kind, proven->actor, origin_of(req)
    );
    if (!d) return api_error(d.error(), req);
    return pdf_response(d->filename, d->pdf);
}

}  // namespace

void add_document_routes(Router& router, ApiContext& ctx) {
    const std::string path = "/api/v1/settings/documents";
    router.add({"GET", path, "tenant.settings.manage", bind(ctx, get_settings)});
    router.add({"PUT", path, "tenant.settings.manage", bind(ctx, set_settings)});
    router.add({"GET", path + "/seal", "tenant.settings.manage", bind(ctx, get_seal)});
    for (const auto kind : {payments::DocumentKind::permit, payments::DocumentKind::invoice}) {
        const std::string name(payments::to_string(kind));
        router.add(
            {"GET",
             "/api/v1/bookings/{reference}/" + name,
             "tenant.bookings.read",
             [&ctx, kind](Request& req) { return staff_document(ctx, req, kind); }}
        );
        router.add(
            {"POST",
             "/api/v1/public/{tenant_code}/bookings/{reference}/" + name,
             "public",
             [&ctx, kind](Request& req) { return public_document(ctx, req, kind); }}
        );
    }
}

}  // namespace yoyaku::http

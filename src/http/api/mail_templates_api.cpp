// A tenant's wording of its mails.
//
//   GET    /api/v1/mail-templates                       every message × language, as in use
//   PUT    /api/v1/mail-templates/{name}/{locale}       {body}: the tenant's own text
//   DELETE /api/v1/mail-templates/{name}/{locale}       back to the built-in text

#include <boost/json.hpp>

#include "domain/mail/wording.hpp"
#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

// The request body: the new wording.
struct WordingBody {
    Text<40000> body;
    static constexpr std::array<std::string_view, 1> kRequired{"body"};
};
BOOST_DESCRIBE_STRUCT(WordingBody, (), (body))

boost::json::object wording_json(const mail::Wording& w) {
    return {
        {"name", w.name},
        {"locale", w.locale},
        {"body", w.body},
        {"custom", w.custom},
        {"built_in", w.built_in}};
}

Response list(ApiContext& ctx, Request& req) {
    auto all = mail::wordings(ctx.db, req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& w : *all) items.push_back(wording_json(w));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response set(ApiContext& ctx, Request& req) {
    auto in = read_body<WordingBody>(req);
    if (!in) return api_error(in.error(), req);
    const auto& text = in->body.value;
    auto w = mail::set_wording(
        ctx.db,
        req.principal.tenant,
        req.param("name"),
        req.param("locale"),
        text,
        actor_of(req.principal),
        origin_of(req),
        ctx.clock.now()
    );
    if (!w) return api_error(w.error(), req);
    return json_response(200, wording_json(*w));
}

Response reset(ApiContext& ctx, Request& req) {
    auto w = mail::reset_wording(
        ctx.db,
        req.principal.tenant,
        req.param("name"),
        req.param("locale"),
        actor_of(req.principal),
        origin_of(req),
        ctx.clock.now()
    );
    if (!w) return api_error(w.error(), req);
    return json_response(200, wording_json(*w));
}

}  // namespace

void add_mail_template_routes(Router& router, ApiContext& ctx) {
    const auto setup = "tenant.setup.manage";
    router.add({"GET", "/api/v1/mail-templates", setup, bind(ctx, list)});
    router.add({"PUT", "/api/v1/mail-templates/{name}/{locale}", setup, bind(ctx, set)});
    router.add({"DELETE", "/api/v1/mail-templates/{name}/{locale}", setup, bind(ctx, reset)});
}

}  // namespace yoyaku::http

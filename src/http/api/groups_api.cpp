// Registered groups (利用団体, issue 27, ADR 0024): a signed-in customer registers an
// organisation, attaches its documents and renews it yearly; staff read them and approve (with
// a user class) or reject.
//
//   GET  /api/v1/me/groups                          the customer's groups
//   POST /api/v1/me/groups                          {name, details{representative, phone?,
//                                                   address?, members?}, member_count} → 201
//   GET  /api/v1/me/groups/{group_id}
//   POST /api/v1/me/groups/{group_id}/documents     {filename, content_type, data (base64)}
//                                                   → 201 (PDF, PNG or JPEG, ≤ 700 KiB)
//   GET  /api/v1/me/groups/{group_id}/documents/{document_id}   the file
//   POST /api/v1/me/groups/{group_id}/renewal       {registration?} → pending again
//   GET  /api/v1/groups?status=                     (tenant.bookings.read)
//   GET  /api/v1/groups/{group_id}                  (tenant.bookings.read)
//   GET  /api/v1/groups/{group_id}/documents/{document_id}   (tenant.bookings.read)
//   POST /api/v1/groups/{group_id}/decision         {approve, user_class_id?, note?}
//                                                   (tenant.bookings.manage)

#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "http/api/api.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

namespace yoyaku::http {
namespace {

struct DetailsBody {
    Text<400> representative;
    Text<120> phone;
    Text<1200> address;
    std::vector<Text<400>> members;
    static constexpr std::array<std::string_view, 1> kRequired{"representative"};
};
BOOST_DESCRIBE_STRUCT(DetailsBody, (), (representative, phone, address, members))

struct GroupBody {
    Text<800> name;
    DetailsBody details;
    int member_count = 1;
    static constexpr std::array<std::string_view, 3> kRequired{"name", "details", "member_count"};
};
BOOST_DESCRIBE_STRUCT(GroupBody, (), (name, details, member_count))

struct RenewalBody {
    std::optional<GroupBody> registration;
};
BOOST_DESCRIBE_STRUCT(RenewalBody, (), (registration))

struct DocumentBody {
    Text<800> filename;
    Text<40> content_type;
    Text<960000> data;
    static constexpr std::array<std::string_view, 3> kRequired{"filename", "content_type", "data"};
};
BOOST_DESCRIBE_STRUCT(DocumentBody, (), (filename, content_type, data))

struct DecisionBody {
    bool approve = false;
    std::optional<UserClassId> user_class_id;
    Text<4000> note;
    static constexpr std::array<std::string_view, 1> kRequired{"approve"};
};
BOOST_DESCRIBE_STRUCT(DecisionBody, (), (approve, user_class_id, note))

groups::NewGroup registration_of(const GroupBody& b) {
    groups::NewGroup g;
    g.name = b.name.value;
    g.details.representative = b.details.representative.value;
    g.details.phone = b.details.phone.value;
    g.details.address = b.details.address.value;
    for (const auto& m : b.details.members) g.details.members.push_back(m.value);
    g.member_count = b.member_count;
    return g;
}

boost::json::object group_json(const groups::Group& g, Instant now) {
    boost::json::array members, documents;
    for (const auto& m : g.details.members) members.emplace_back(m);
    for (const auto& d : g.documents)
        documents.push_back(
            {{"id", d.id.value},
             {"filename", d.filename},
             {"content_type", d.content_type},
             {"size", d.size},
             {"created_at", json_time(d.created_at)}}
        );
    return {
        {"id", g.id.value},
        {"account_id", g.account_id.value},
        {"name", g.name},
        {"details",
         {{"representative", g.details.representative},
          {"phone", g.details.phone},
          {"address", g.details.address},
          {"members", std::move(members)}}},
        {"member_count", g.member_count},
        {"status", groups::status_at(g, now)},
        {"user_class_id", opt_json(g.user_class_id)},
        {"expires_at", opt_json(g.expires_at)},
        {"decided_at", opt_json(g.decided_at)},
        {"decision_note", g.decision_note},
        {"created_at", json_time(g.created_at)},
        {"documents", std::move(documents)}};
}

Result<GroupId> group_param(const Request& req) {
    return id_param<GroupId>(req, "group_id");
}

// The group a route names: the signed-in customer's own on /me routes, any for staff.
std::optional<AccountId> owner_of(const Request& req) {
    if (req.principal.role == access::Role::customer) return req.principal.account_id;
    return std::nullopt;
}

Response list_mine(ApiContext& ctx, Request& req) {
    auto all = ctx.groups.list(req.principal.tenant, req.principal.account_id, std::nullopt);
    if (!all) return api_error(all.error(), req);
    boost::json::array out;
    for (const auto& g : *all) out.push_back(group_json(g, ctx.clock.now()));
    return json_response(200, boost::json::object{{"groups", std::move(out)}});
}

Response list_all(ApiContext& ctx, Request& req) {
    auto q = query_params(req, {"status"});
    if (!q) return api_error(q.error(), req);
    std::optional<std::string> status;
    if (q->count("status")) {
        status = q->at("status");
        if (*status != "pending" && *status != "approved" && *status != "rejected")
            return api_error(
                Error::invalid("status", "must be pending, approved or rejected"), req
            );
    }
    auto all = ctx.groups.list(req.principal.tenant, std::nullopt, status);
    if (!all) return api_error(all.error(), req);
    boost::json::array out;
    for (const auto& g : *all) out.push_back(group_json(g, ctx.clock.now()));
    return json_response(200, boost::json::object{{"groups", std::move(out)}});
}

Response register_group(ApiContext& ctx, Request& req) {
    auto body = read_body<GroupBody>(req);
    if (!body) return api_error(body.error(), req);
    auto g = ctx.groups.register_group(
        req.principal.tenant,
        req.principal.account_id,
        registration_of(*body),
        actor_of(req.principal),
        origin_of(req)
    );
    if (!g) return api_error(g.error(), req);
    return json_response(201, group_json(*g, ctx.clock.now()));
}

Response get_group(ApiContext& ctx, Request& req) {
    auto id = group_param(req);
    if (!id) return api_error(id.error(), req);
    auto g = ctx.groups.find(req.principal.tenant, *id, owner_of(req));
    if (!g) return api_error(g.error(), req);
    return json_response(200, group_json(*g, ctx.clock.now()));
}

Response add_document(ApiContext& ctx, Request& req) {
    auto id = group_param(req);
    if (!id) return api_error(id.error(), req);
    auto body = read_body<DocumentBody>(req);
    if (!body) return api_error(body.error(), req);
    const auto bytes = crypto::from_base64(body->data.value);
    if (!bytes) return api_error(Error::invalid("data", "must be the file in base64"), req);
    auto d = ctx.groups.add_document(
        req.principal.tenant,
        req.principal.account_id,
        *id,
        body->filename.value,
        body->content_type.value,
        *bytes,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!d) return api_error(d.error(), req);
    return json_response(
        201,
        boost::json::object{
            {"id", d->id.value},
            {"filename", d->filename},
            {"content_type", d->content_type},
            {"size", d->size},
            {"created_at", json_time(d->created_at)}}
    );
}

Response get_document(ApiContext& ctx, Request& req) {
    auto id = group_param(req);
    if (!id) return api_error(id.error(), req);
    auto doc = id_param<GroupDocumentId>(req, "document_id");
    if (!doc) return api_error(doc.error(), req);
    auto d = ctx.groups.document(req.principal.tenant, *id, *doc, owner_of(req));
    if (!d) return api_error(d.error(), req);
    Response r;
    r.status = 200;
    r.headers.set("Content-Type", d->first.content_type);
    // Never shown in the browser's context: saved as a file.
    r.headers.set(
        "Content-Disposition", "attachment; filename=\"document-" + to_string(*doc) + "\""
    );
    r.headers.set("Cache-Control", "no-store");
    r.body = std::move(d->second);
    return r;
}

Response renew(ApiContext& ctx, Request& req) {
    auto id = group_param(req);
    if (!id) return api_error(id.error(), req);
    auto body = read_body<RenewalBody>(req);
    if (!body) return api_error(body.error(), req);
    auto g = ctx.groups.renew(
        req.principal.tenant,
        req.principal.account_id,
        *id,
        body->registration ? std::optional(registration_of(*body->registration)) : std::nullopt,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!g) return api_error(g.error(), req);
    return json_response(200, group_json(*g, ctx.clock.now()));
}

Response decide(ApiContext& ctx, Request& req) {
    auto id = group_param(req);
    if (!id) return api_error(id.error(), req);
    // Another tenant's id is not found, whatever the body says.
    if (auto g = ctx.groups.find(req.principal.tenant, *id, std::nullopt); !g)
        return api_error(g.error(), req);
    auto body = read_body<DecisionBody>(req);
    if (!body) return api_error(body.error(), req);
    auto g = ctx.groups.decide(
        req.principal.tenant,
        *id,
        body->approve,
        body->user_class_id,
        body->note.value,
        actor_of(req.principal),
        origin_of(req)
    );
    if (!g) return api_error(g.error(), req);
    return json_response(200, group_json(*g, ctx.clock.now()));
}

}  // namespace

void add_group_routes(Router& router, ApiContext& ctx) {
    const auto self = "customer.self";
    const auto read = "tenant.bookings.read";
    router.add({"GET", "/api/v1/me/groups", self, bind(ctx, list_mine)});
    router.add({"POST", "/api/v1/me/groups", self, bind(ctx, register_group)});
    router.add({"GET", "/api/v1/me/groups/{group_id}", self, bind(ctx, get_group)});
    router.add({"POST", "/api/v1/me/groups/{group_id}/documents", self, bind(ctx, add_document)});
    router.add(
        {"GET",
         "/api/v1/me/groups/{group_id}/documents/{document_id}",
         self,
         bind(ctx, get_document)}
    );
    router.add({"POST", "/api/v1/me/groups/{group_id}/renewal", self, bind(ctx, renew)});
    router.add({"GET", "/api/v1/groups", read, bind(ctx, list_all)});
    router.add({"GET", "/api/v1/groups/{group_id}", read, bind(ctx, get_group)});
    router.add(
        {"GET", "/api/v1/groups/{group_id}/documents/{document_id}", read, bind(ctx, get_document)}
    );
    router.add(
        {"POST", "/api/v1/groups/{group_id}/decision", "tenant.bookings.manage", bind(ctx, decide)}
    );
}

}  // namespace yoyaku::http

// User classes (利用者区分) and the tenant's customers.
//
//   GET    /api/v1/user-classes                        list (staff)
//   POST   /api/v1/user-classes                        create (managers)             → 201
//   PUT    /api/v1/user-classes/{class_id}             replace (managers)
//   DELETE /api/v1/user-classes/{class_id}             delete; members keep none      → 204
//   GET    /api/v1/customers                           customer accounts with their class
//   PUT    /api/v1/customers/{account_id}/user-class   {user_class_id: id | null}

#include <algorithm>
#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {

boost::json::object user_class_json(const user_classes::UserClass& c) {
    return {
        {"id", c.id.value},
        {"name", c.name},
        {"price_percent", c.price_percent},
        {"opens_before_minutes",
         c.opens_before_minutes ? boost::json::value(*c.opens_before_minutes) : nullptr}};
}

namespace {

Response list_classes(ApiContext& ctx, Request& req) {
    auto all = ctx.user_classes.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& c : *all) items.push_back(user_class_json(c));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Result<user_classes::UserClass> class_input(const Request& req) {
    YOYAKU_TRY_ASSIGN(
        auto body, json_object(req, {"name", "price_percent", "opens_before_minutes"})
    );
    user_classes::UserClass c;
    YOYAKU_TRY_ASSIGN(auto name, required_string(body, "name", 400));
    c.name = name;
    YOYAKU_TRY_ASSIGN(auto percent, optional_integer(body, "price_percent"));
    if (percent && (*percent < 0 || *percent > 1000))
        return Error::invalid("price_percent", "must be 0 to 1000");
    c.price_percent = static_cast<int>(percent.value_or(100));
    if (const auto* v = body.if_contains("opens_before_minutes"); v && !v->is_null()) {
        if (!v->is_int64() || v->get_int64() < 0 || v->get_int64() > 1051200)
            return Error::invalid(
                "opens_before_minutes", "must be 0 to 1051200 (two years) or null"
            );
        c.opens_before_minutes = static_cast<int>(v->get_int64());
    }
    return c;
}

Response save_class(ApiContext& ctx, Request& req, UserClassId id) {
    auto in = class_input(req);
    if (!in) return api_error(in.error(), req);
    in->id = id;
    auto c =
        ctx.user_classes.save(req.principal.tenant, *in, actor_of(req.principal), origin_of(req));
    if (!c) return api_error(c.error(), req);
    return json_response(id.valid() ? 200 : 201, user_class_json(*c));
}

Response create_class(ApiContext& ctx, Request& req) {
    return save_class(ctx, req, UserClassId{});
}

Response replace_class(ApiContext& ctx, Request& req) {
    auto id = id_param<UserClassId>(req, "class_id");
    if (!id) return api_error(id.error(), req);
    auto all = ctx.user_classes.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    if (std::none_of(all->begin(), all->end(), [&](const auto& c) { return c.id == *id; }))
        return api_error(Error::not_found("no such user class"), req);
    return save_class(ctx, req, UserClassId{*id});
}

Response delete_class(ApiContext& ctx, Request& req) {
    auto id = id_param<UserClassId>(req, "class_id");
    if (!id) return api_error(id.error(), req);
    auto r = ctx.user_classes.remove(
        req.principal.tenant, UserClassId{*id}, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    return no_content();
}

boost::json::object customer_json(
    const accounts::Account& a, const std::map<AccountId, UserClassId>& classes
) {
    const auto it = classes.find(AccountId{a.id});
    return {
        {"id", a.id.value},
        {"name", a.name},
        {"email", a.email},
        {"user_class_id",
         it == classes.end() ? boost::json::value(nullptr) : boost::json::value(it->second.value)},
        {"created_at", json_time(a.created_at)}};
}

Response list_customers(ApiContext& ctx, Request& req) {
    auto all = ctx.accounts.list(req.principal.tenant, access::Role::customer);
    if (!all) return api_error(all.error(), req);
    auto classes = ctx.user_classes.members(req.principal.tenant);
    if (!classes) return api_error(classes.error(), req);
    // A limited staff member sees the customers of their own bookings only.
    std::vector<AccountId> mine;
    const bool limited = req.principal.scope.limited();
    if (limited) {
        auto ids = ctx.bookings.customer_accounts(req.principal.tenant, req.principal.scope);
        if (!ids) return api_error(ids.error(), req);
        mine = std::move(*ids);
    }
    boost::json::array items;
    for (const auto& a : *all)
        if (!limited || std::binary_search(mine.begin(), mine.end(), AccountId{a.id}))
            items.push_back(customer_json(a, *classes));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response set_class(ApiContext& ctx, Request& req) {
    auto id = id_param<AccountId>(req, "account_id");
    if (!id) return api_error(id.error(), req);
    auto customer = ctx.accounts.find(req.principal.tenant, *id);
    if (!customer || customer->role != access::Role::customer)
        return api_error(Error::not_found("no such customer"), req);
    if (auto in = check_customer(ctx, req, AccountId{*id}); !in) return api_error(in.error(), req);
    auto body = json_object(req, {"user_class_id"});
    if (!body) return api_error(body.error(), req);
    std::optional<UserClassId> class_id;
    const auto* v = body->if_contains("user_class_id");
    if (!v) return api_error(Error::invalid("user_class_id", "is required (an id or null)"), req);
    if (!v->is_null()) {
        if (!v->is_int64() || v->get_int64() < 1)
            return api_error(Error::invalid("user_class_id", "must be an id or null"), req);
        class_id = UserClassId{v->get_int64()};
    }
    auto r = ctx.user_classes.assign(
        req.principal.tenant, AccountId{*id}, class_id, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    auto a = ctx.accounts.find(req.principal.tenant, *id);
    if (!a) return api_error(a.error(), req);
    std::map<AccountId, UserClassId> classes;
    if (class_id) classes[AccountId{*id}] = *class_id;
    return json_response(200, customer_json(*a, classes));
}

}  // namespace

void add_user_class_routes(Router& router, ApiContext& ctx) {
    const auto read = "tenant.bookings.read";
    const auto setup = "tenant.setup.manage";
    router.add({"GET", "/api/v1/user-classes", read, bind(ctx, list_classes)});
    router.add({"POST", "/api/v1/user-classes", setup, bind(ctx, create_class)});
    router.add({"PUT", "/api/v1/user-classes/{class_id}", setup, bind(ctx, replace_class)});
    router.add({"DELETE", "/api/v1/user-classes/{class_id}", setup, bind(ctx, delete_class)});
    router.add({"GET", "/api/v1/customers", read, bind(ctx, list_customers)});
    router.add(
        {"PUT",
         "/api/v1/customers/{account_id}/user-class",
         "tenant.bookings.manage",
         bind(ctx, set_class)}
    );
}

}  // namespace yoyaku::http

// User classes (利用者区分) and the tenant's customers.
//
//   GET    /api/v1/user-classes                        list (staff)
//   POST   /api/v1/user-classes                        create (managers)             → 201
//   PUT    /api/v1/user-classes/{class_id}             replace (managers)
//   DELETE /api/v1/user-classes/{class_id}             delete; members keep none      → 204
//   GET    /api/v1/customers                           customer accounts with class and tags
//   PUT    /api/v1/customers/{account_id}/user-class   {user_class_id: id | null}

#include <algorithm>
#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "http/api/staff_scope_guard.hpp"
#include "http/json/body.hpp"
#include "http/json/described.hpp"

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

// The request bodies, one declaration each.
struct ClassBody {
    Text<400> name;
    std::optional<int> price_percent;         ///< none: 100
    std::optional<int> opens_before_minutes;  ///< none or null: the offering's opening
    static constexpr std::array<std::string_view, 1> kRequired{"name"};
};
BOOST_DESCRIBE_STRUCT(ClassBody, (), (name, price_percent, opens_before_minutes))
struct AssignBody {
    std::optional<UserClassId> user_class_id;  ///< null: none
    static constexpr std::array<std::string_view, 1> kRequired{"user_class_id"};
};
BOOST_DESCRIBE_STRUCT(AssignBody, (), (user_class_id))

Response list_classes(ApiContext& ctx, Request& req) {
    auto all = ctx.user_classes.list(req.principal.tenant);
    if (!all) return api_error(all.error(), req);
    boost::json::array items;
    for (const auto& c : *all) items.push_back(user_class_json(c));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Result<user_classes::UserClass> class_input(const Request& req) {
    YOYAKU_TRY_ASSIGN(auto body, read_body<ClassBody>(req));
    user_classes::UserClass c;
    c.name = std::move(body.name.value);
    c.price_percent = body.price_percent.value_or(100);
    c.opens_before_minutes = body.opens_before_minutes;
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
    const accounts::Account& a,
    const std::map<AccountId, UserClassId>& classes,
    const std::map<AccountId, std::vector<std::string>>& tags = {}
) {
    const auto it = classes.find(AccountId{a.id});
    boost::json::array tagged;
    if (const auto t = tags.find(AccountId{a.id}); t != tags.end())
        for (const auto& x : t->second) tagged.emplace_back(x);
    return {
        {"id", a.id.value},
        {"name", a.name},
        {"email", a.email},
        {"user_class_id",
         it == classes.end() ? boost::json::value(nullptr) : boost::json::value(it->second.value)},
        {"tags", std::move(tagged)},
        {"created_at", json_time(a.created_at)}};
}

Response list_customers(ApiContext& ctx, Request& req) {
    auto all = ctx.accounts.list(req.principal.tenant, access::Role::customer);
    if (!all) return api_error(all.error(), req);
    auto classes = ctx.user_classes.members(req.principal.tenant);
    if (!classes) return api_error(classes.error(), req);
    auto tags = ctx.user_classes.tags(req.principal.tenant);
    if (!tags) return api_error(tags.error(), req);
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
            items.push_back(customer_json(a, *classes, *tags));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

Response set_class(ApiContext& ctx, Request& req) {
    auto id = id_param<AccountId>(req, "account_id");
    if (!id) return api_error(id.error(), req);
    if (auto in = check_customer(ctx, req, AccountId{*id}); !in) return api_error(in.error(), req);
    auto body = read_body<AssignBody>(req);
    if (!body) return api_error(body.error(), req);
    const auto class_id = body->user_class_id;
    auto r = ctx.user_classes.assign(
        req.principal.tenant, AccountId{*id}, class_id, actor_of(req.principal), origin_of(req)
    );
    if (!r) return api_error(r.error(), req);
    auto a = ctx.accounts.find(req.principal.tenant, *id);
    if (!a) return api_error(a.error(), req);
    std::map<AccountId, UserClassId> classes;
    if (class_id) classes[AccountId{*id}] = *class_id;
    auto tags = ctx.user_classes.tags(req.principal.tenant);
    if (!tags) return api_error(tags.error(), req);
    return json_response(200, customer_json(*a, classes, *tags));
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

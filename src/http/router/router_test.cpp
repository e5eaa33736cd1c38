#include "http/router/router.hpp"

#include <gtest/gtest.h>

using namespace yoyaku::http;

namespace {
Router make() {
    Router r;
    auto h = [](Request&) { return Response{}; };
    r.add({"GET", "/api/v1/tenants", "public", h});
    r.add({"POST", "/api/v1/tenants", "public", h});
    r.add({"GET", "/api/v1/tenants/{id}", "public", h});
    r.add({"DELETE", "/api/v1/tenants/{id}", "public", h});
    return r;
}
}  // namespace

TEST(Router, MatchesLiteralAndParameterRoutes) {
    auto r = make();
    auto m = r.match("GET", "/api/v1/tenants/a%20b");
    ASSERT_EQ(m.kind, RouteMatch::Kind::found);
    EXPECT_EQ(m.route->pattern, "/api/v1/tenants/{id}");
    ASSERT_EQ(m.params.size(), 1u);
    EXPECT_EQ(m.params[0].second, "a b");
}

TEST(Router, AnswersNotFoundForUnknownPaths) {
    auto r = make();
    EXPECT_EQ(r.match("GET", "/api/v1/nope").kind, RouteMatch::Kind::not_found);
    EXPECT_EQ(r.match("GET", "/api/v1/tenants/").kind, RouteMatch::Kind::not_found);
    EXPECT_EQ(r.match("GET", "/api/v1/tenants/1/x").kind, RouteMatch::Kind::not_found);
}

TEST(Router, AnswersMethodNotAllowedWithAllow) {
    auto r = make();
    auto m = r.match("PUT", "/api/v1/tenants/7");
    EXPECT_EQ(m.kind, RouteMatch::Kind::method_not_allowed);
    EXPECT_EQ(m.allow, "GET, HEAD, DELETE");
}

TEST(Router, HeadFollowsGet) {
    auto r = make();
    EXPECT_EQ(r.match("HEAD", "/api/v1/tenants").kind, RouteMatch::Kind::found);
}

TEST(Router, RefusesRoutesWithoutPermissionOrDuplicates) {
    Router r;
    auto h = [](Request&) { return Response{}; };
    EXPECT_THROW(r.add({"GET", "/x", "", h}), std::invalid_argument);
    EXPECT_THROW(r.add({"GET", "/x", "tenant.everything", h}), std::invalid_argument);
    EXPECT_TRUE(r.routes().empty());
    r.add({"GET", "/x", "public", h});
    EXPECT_THROW(r.add({"GET", "/x", "public", h}), std::invalid_argument);
}

TEST(SplitPath, RejectsTraversalAndBadEncoding) {
    EXPECT_FALSE(split_path("/a/../b"));
    EXPECT_FALSE(split_path("/a/%2e%2e/b"));
    EXPECT_FALSE(split_path("/a/%2fetc"));
    EXPECT_FALSE(split_path("/a/%5c"));
    EXPECT_FALSE(split_path("/a/%00"));
    EXPECT_FALSE(split_path("/a/%zz"));
    EXPECT_FALSE(split_path("/a/%4"));
    EXPECT_FALSE(split_path("relative"));
    auto ok = split_path("/assets/app.js");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->size(), 2u);
}

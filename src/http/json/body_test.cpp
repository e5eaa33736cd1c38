// The JSON body reader; the cases found by fuzzing (fuzz/json_body.cpp) stay here.

#include "http/json/body.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::http;

namespace {
Result<boost::json::object> read(std::string body) {
    Request req;
    req.headers.add("Content-Type", "application/json");
    req.body = std::move(body);
    static constexpr std::string_view kFields[] = {"name", "count"};
    return json_object(req, kFields);
}
}  // namespace

TEST(JsonBody, EveryRefusalNamesItsField) {
    EXPECT_EQ(read("[1]").error().field, "body");
    EXPECT_EQ(read("{\"name\":").error().field, "body");
    EXPECT_EQ(read(R"({"other":1})").error().field, "other");
    EXPECT_EQ(read(R"({"name":"x"})").value().at("name").as_string(), "x");
}

// Found by fuzzing (fuzz/corpus/json_body/empty-member-name): a member named "" was refused
// with an empty field, so the client was told nothing about what to fix.
TEST(JsonBody, AMemberWithoutANameIsRefusedOnTheBody) {
    auto r = read(R"({"":"7770000000000000000000xy"})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);
    EXPECT_EQ(r.error().field, "body");
}

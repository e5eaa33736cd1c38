#include "http/json/problem.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

using namespace yoyaku;
using namespace yoyaku::http;

TEST(Problem, EveryErrorCodeMapsToAnErrorStatus) {
    for (auto c : kAllErrcs) {
        int s = http_status(c);
        EXPECT_GE(s, 400) << to_string(c);
        EXPECT_LE(s, 599) << to_string(c);
    }
    EXPECT_EQ(http_status(Errc::not_found), 404);
    EXPECT_EQ(http_status(Errc::payload_too_large), 413);
    EXPECT_EQ(http_status(Errc::headers_too_large), 431);
    EXPECT_EQ(http_status(Errc::unavailable), 503);
}

TEST(Problem, BodyNamesCodeAndFieldButNotDetail) {
    Request req;
    req.request_id = "r1";
    auto resp =
        problem(Error{Errc::invalid_input, "must be a date", "start_on", "secret detail"}, req);
    EXPECT_EQ(resp.status, 400);
    EXPECT_EQ(resp.headers.get("content-type"), "application/problem+json");
    auto v = boost::json::parse(resp.body).as_object();
    EXPECT_EQ(v["code"].as_string(), "invalid_input");
    EXPECT_EQ(v["field"].as_string(), "start_on");
    EXPECT_EQ(v["detail"].as_string(), "must be a date");
    EXPECT_EQ(v["status"].as_int64(), 400);
    EXPECT_EQ(v["request_id"].as_string(), "r1");
    EXPECT_EQ(resp.body.find("secret"), std::string::npos);
}

TEST(Problem, InternalErrorsRevealNothingAndAreLoggedWithTheRequestId) {
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("problem_test", sink));
    Request req;
    req.request_id = "req-42";
    auto resp = problem(
        Error{
            Errc::internal,
            "db password is hunter2",
            {},
            "storage rule broken: insert: CHECK constraint failed: kind IN ('a')"},
        req
    );
    spdlog::set_default_logger(previous);
    EXPECT_EQ(resp.status, 500);
    EXPECT_EQ(resp.body.find("hunter2"), std::string::npos);
    EXPECT_EQ(resp.body.find("CHECK"), std::string::npos);
    const auto lines = sink->last_formatted();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("req-42"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("CHECK constraint failed"), std::string::npos) << lines[0];
}

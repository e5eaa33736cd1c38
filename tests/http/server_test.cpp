// The HTTP server and pipeline end to end over loopback.

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>

#include "http/json/problem.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::http;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

void demo_routes(Router& r, Metrics&) {
    r.add(
        {"GET",
         "/healthz",
         "public",
         [](Request&) { return Response::json(200, R"({"status":"ok"})"); },
         Exec::io}
    );
    r.add({"GET", "/items/{id}", "public", [](Request& q) {
               return Response::json(200, "{\"id\":\"" + std::string(q.param("id")) + "\"}");
           }});
    r.add({"POST", "/echo", "public", [](Request& q) {
               return Response::text(200, "text/plain", q.body);
           }});
    r.add({"GET", "/boom", "public", [](Request&) -> Response {
               throw std::runtime_error("secret internals");
           }});
    r.add({"GET", "/slow", "public", [](Request&) {
               std::this_thread::sleep_for(400ms);
               return Response::json(200, "{}");
           }});
}

std::string code_of(const HttpResult& r) {
    return std::string(boost::json::parse(r.body).as_object().at("code").as_string());
}

// Reads everything the server sends until it closes.
std::string read_all(std::uint16_t port, const std::string& raw) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    boost::asio::write(s, boost::asio::buffer(raw));
    std::string out;
    boost::system::error_code ec;
    std::array<char, 4096> b;
    for (;;) {
        auto n = s.read_some(boost::asio::buffer(b), ec);
        if (ec) break;
        out.append(b.data(), n);
    }
    return out;
}

int count(const std::string& hay, const std::string& needle) {
    int n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

}  // namespace

TEST(HttpServer, HealthzAnswersWithSecurityHeaders) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_NE(
        r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos
    );
    EXPECT_EQ(r.header("content-security-policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("x-xss-protection"), "0");
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
    EXPECT_FALSE(r.header("permissions-policy").empty());
    EXPECT_EQ(r.header("x-request-id").size(), 32u);
    EXPECT_EQ(r.header("server"), "");
    EXPECT_EQ(r.header("strict-transport-security"), "");  // plain HTTP
}

TEST(HttpServer, UnknownRouteIsProblemNotFound) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "GET", "/api/v1/nothing-here");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_EQ(code_of(r), "not_found");
}

TEST(HttpServer, WrongMethodIs405WithAllow) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "DELETE", "/items/7");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("allow"), "GET, HEAD");
    EXPECT_EQ(code_of(r), "method_not_allowed");
}

TEST(HttpServer, TwoMebibyteBodyIs413) {
    TestServer s({}, demo_routes);
    auto r = request(
        s.port(), "POST", "/echo", "Content-Type: text/plain\r\n", std::string(2 << 20, 'x')
    );
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(code_of(r), "payload_too_large");
}

TEST(HttpServer, BodyUnderTheLimitIsAccepted) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "POST", "/echo", "", std::string(1000, 'y'));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, std::string(1000, 'y'));
}

TEST(HttpServer, SixtyFourKibibyteHeaderIs431) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "GET", "/healthz", "X-Big: " + std::string(64 << 10, 'h') + "\r\n");
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(code_of(r), "headers_too_large");
}

TEST(HttpServer, MalformedRequestIs400) {
    TestServer s({}, demo_routes);
    auto r = raw_request(s.port(), "GARBAGE\r\n\r\n");
    EXPECT_EQ(r.status, 400);
    auto t = raw_request(s.port(), "GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(t.status, 400);
}

TEST(HttpServer, IdleConnectionIsClosedAfterItsTimeout) {
    ServerOptions o;
    o.idle_timeout = 300ms;
    TestServer s(o, demo_routes);
    auto took = time_until_closed(s.port(), "", 5s);
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 3s);
}

TEST(HttpServer, SlowlorisClientCannotHoldTheConnection) {
    ServerOptions o;
    o.request_timeout = 500ms;
    o.idle_timeout = 10s;
    TestServer s(o, demo_routes);
    // Half a header, then silence: the whole-request timeout closes it.
    auto took = time_until_closed(s.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ", 8s);
    EXPECT_LT(took, 4s);
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    TestServer s({}, demo_routes);
    auto all = read_all(
        s.port(),
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    EXPECT_EQ(count(all, "HTTP/1.1 200 OK"), 3);
    EXPECT_NE(all.find(R"({"id":"2"})"), std::string::npos);
}

TEST(HttpServer, ConnectionCapAnswers503) {
    ServerOptions o;
    o.max_connections = 1;
    TestServer s(o, demo_routes);
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket holder(ioc);
    holder.connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
    // Give the server a moment to count the first connection: poll instead of sleeping blind.
    for (int i = 0; i < 200 && s.metrics().connections_open() < 1; ++i)
        std::this_thread::sleep_for(5ms);
    auto r = request(s.port(), "GET", "/healthz");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.header("retry-after"), "1");
}

TEST(HttpServer, RequestIdIsEchoedOnlyWhenSafe) {
    TestServer s({}, demo_routes);
    EXPECT_EQ(
        request(s.port(), "GET", "/healthz", "X-Request-Id: abc-123.x_y\r\n")
            .header("x-request-id"),
        "abc-123.x_y"
    );
    auto bad =
        request(s.port(), "GET", "/healthz", "X-Request-Id: <script>\r\n").header("x-request-id");
    EXPECT_EQ(bad.size(), 32u);
}

TEST(HttpServer, HandlerExceptionIs500WithoutInternals) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "GET", "/boom");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(code_of(r), "internal");
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    EXPECT_EQ(request(s.port(), "GET", "/healthz").status, 200);  // the server lives on
}

// The firewall in the pipeline: an attack gets 403 problem+json before any handler runs, one
// log line with the rule ids (never the payload), and a count by rule.
TEST(HttpServer, TheFirewallRefusesAttacksBeforeTheHandlerAndCountsThem) {
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("waf_test", sink));
    std::atomic<int> echoed = 0;
    TestServer s(
        {},
        [&](Router& r, Metrics& m) {
            demo_routes(r, m);
            r.add({"POST", "/count", "public", [&](Request&) {
                       ++echoed;
                       return Response::json(200, "{}");
                   }});
        },
        "",
        {},
        PipelineSecurity{nullptr, nullptr, nullptr, nullptr, nullptr, platform_waf()}
    );
    const std::string attack = R"({"notes":"<script>alert('hunter2')</script>"})";
    auto r = request(
        s.port(),
        "POST",
        "/count",
        "Content-Type: application/json\r\nX-Request-Id: waf-1\r\n",
        attack
    );
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_EQ(code_of(r), "forbidden");
    EXPECT_EQ(boost::json::parse(r.body).as_object().at("request_id").as_string(), "waf-1");
    EXPECT_EQ(echoed.load(), 0);
    // A query and a route on the I/O thread are inspected too; Japanese text passes.
    EXPECT_EQ(request(s.port(), "GET", "/healthz?x=%3Cscript%3Ealert(1)%3C/script%3E").status, 403);
    EXPECT_EQ(request(s.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(
        request(
            s.port(),
            "POST",
            "/count",
            "Content-Type: application/json\r\n",
            R"({"name":"O'Brien様 同伴 2名","notes":"ご要望: 窓際の席"})"
        )
            .status,
        200
    );
    EXPECT_EQ(echoed.load(), 1);
    // A body the firewall cannot parse is bad input, named as such.
    auto broken =
        request(s.port(), "POST", "/count", "Content-Type: application/json\r\n", "{\"a\":");
    EXPECT_EQ(broken.status, 400);
    EXPECT_EQ(boost::json::parse(broken.body).as_object().at("field").as_string(), "body");
    EXPECT_EQ(echoed.load(), 1);
    spdlog::set_default_logger(previous);

    const auto text = s.metrics().render();
    EXPECT_NE(text.find(R"(yoyaku_waf_requests_total{action="blocked"} 3)"), std::string::npos)
        << text;
    EXPECT_NE(
        text.find(R"(yoyaku_waf_rule_matches_total{action="blocked",rule="941100"} 2)"),
        std::string::npos
    ) << text;
    std::string lines;
    for (const auto& l : sink->last_formatted()) lines += l;
    EXPECT_NE(lines.find("waf: blocked request_id=waf-1"), std::string::npos) << lines;
    EXPECT_NE(lines.find("941100"), std::string::npos) << lines;
    EXPECT_EQ(lines.find("hunter2"), std::string::npos) << lines;
    EXPECT_EQ(lines.find("script"), std::string::npos) << lines;
}

TEST(HttpServer, TheFirewallInDetectModeLogsAndCountsButLetsThrough) {
    WafOptions o;
    o.mode = WafMode::detect;
    auto waf = Waf::load(o);
    ASSERT_TRUE(waf) << waf.error().detail;
    TestServer s(
        {},
        demo_routes,
        "",
        {},
        PipelineSecurity{nullptr, nullptr, nullptr, nullptr, nullptr, waf->get()}
    );
    EXPECT_EQ(request(s.port(), "GET", "/items/1?q=%3Cscript%3Ealert(1)%3C/script%3E").status, 200);
    EXPECT_NE(
        s.metrics().render().find(R"(yoyaku_waf_requests_total{action="detected"} 1)"),
        std::string::npos
    );
}

TEST(HttpServer, HeadSendsLengthButNoBody) {
    TestServer s({}, demo_routes);
    auto r = request(s.port(), "HEAD", "/items/abc");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-length"), "12");
    EXPECT_TRUE(r.body.empty());
}

TEST(HttpServer, AccessLogHasRouteTemplateNotRawPathOrQuery) {
    TestServer s({}, demo_routes);
    ASSERT_EQ(
        request(
            s.port(),
            "GET",
            "/items/customer-email@example.test?token=s3cr3t",
            "Cookie: sid=abc\r\n"
        )
            .status,
        200
    );
    s.stop();
    auto log = s.access_log();
    ASSERT_FALSE(log.empty());
    auto line = boost::json::parse(log.substr(0, log.find('\n'))).as_object();
    EXPECT_EQ(line.at("route").as_string(), "/items/{id}");
    EXPECT_EQ(line.at("method").as_string(), "GET");
    EXPECT_EQ(line.at("status").as_int64(), 200);
    EXPECT_EQ(line.at("client").as_string(), "127.0.0.1");
    EXPECT_EQ(line.at("request_id").as_string().size(), 32u);
    EXPECT_TRUE(std::string(line.at("time").as_string()).ends_with("+09:00"));
    EXPECT_EQ(log.find("customer-email"), std::string::npos);
    EXPECT_EQ(log.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(log.find("sid=abc"), std::string::npos);
}

TEST(HttpServer, MetricsCountRequestsByRouteAndStatus) {
    TestServer s({}, demo_routes);
    request(s.port(), "GET", "/items/1");
    request(s.port(), "GET", "/items/2");
    request(s.port(), "GET", "/nope");
    // Requests are counted after their response is written, so the client may see an answer
    // before its count lands (and the next request's count may land first): wait for all.
    std::string text;
    for (int i = 0; i < 400; ++i) {
        text = s.metrics().render();
        if (text.find(R"(route="-",status="404"} 1)") != std::string::npos &&
            text.find(R"(route="/items/{id}",status="200"} 2)") != std::string::npos)
            break;
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_NE(
        text.find(R"(yoyaku_http_requests_total{method="GET",route="/items/{id}",status="200"} 2)"),
        std::string::npos
    ) << text;
    EXPECT_NE(text.find(R"(route="-",status="404"} 1)"), std::string::npos);
    EXPECT_NE(text.find("yoyaku_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(text.find("process_resident_memory_bytes"), std::string::npos);
}

TEST(HttpServer, StopDrainsInFlightRequests) {
    TestServer s({}, demo_routes);
    auto pending =
        std::async(std::launch::async, [&] { return request(s.port(), "GET", "/slow"); });
    // Wait until the slow request is in flight, then stop.
    for (int i = 0; i < 200 && s.metrics().connections_open() < 1; ++i)
        std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(50ms);
    auto t0 = std::chrono::steady_clock::now();
    s.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    EXPECT_EQ(pending.get().status, 200);
}

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto root = dir_.path() / "web";
        std::filesystem::create_directories(root / "assets");
        std::ofstream(root / "index.html") << "<!doctype html><title>Yoyaku</title>";
        std::ofstream(root / "assets" / "app-1234.js") << "console.log(1)";
        std::ofstream(root / ".env") << "SECRET=1";
        std::ofstream(dir_.path() / "outside.txt") << "private";
        std::filesystem::create_symlink(dir_.path() / "outside.txt", root / "link.txt");
        server_ = std::make_unique<TestServer>(ServerOptions{}, demo_routes, root.string());
    }
    TempDir dir_;
    std::unique_ptr<TestServer> server_;
};

TEST_F(StaticFilesTest, ServesIndexWithRevalidation) {
    auto r = request(server_->port(), "GET", "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-cache");
    ASSERT_FALSE(r.header("etag").empty());
    auto again =
        request(server_->port(), "GET", "/", "If-None-Match: " + r.header("etag") + "\r\n");
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
}

TEST_F(StaticFilesTest, FingerprintedAssetsAreImmutable) {
    auto r = request(server_->port(), "GET", "/assets/app-1234.js");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, RefusesTraversalDotFilesListingsAndEscapingLinks) {
    for (const char* path :
         {"/../outside.txt",
          "/%2e%2e/outside.txt",
          "/assets/%2e%2e/%2e%2e/outside.txt",
          "/.env",
          "/assets",
          "/assets/",
          "/link.txt",
          "/%2fetc%2fpasswd",
          "/index.html%00.js"}) {
        auto r = request(server_->port(), "GET", path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body.find("private"), std::string::npos) << path;
        EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
    }
}

TEST_F(StaticFilesTest, ApiPathsNeverFallBackToFiles) {
    auto r = request(server_->port(), "GET", "/api/v1/index.html");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
}

TEST_F(StaticFilesTest, AppPagesGetTheIndexButOtherMissingPathsDoNot) {
    for (const char* path :
         {"/t/demo", "/t/demo/offerings/3", "/admin", "/me/bookings", "/kiosk"}) {
        auto r = request(server_->port(), "GET", path);
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8") << path;
        EXPECT_NE(r.body.find("<title>Yoyaku</title>"), std::string::npos) << path;
    }
    for (const char* path :
         {"/nowhere", "/t/demo/missing.js", "/assets/missing-1.js", "/t/../outside.txt"}) {
        auto r = request(server_->port(), "GET", path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body.find("private"), std::string::npos) << path;
    }
}

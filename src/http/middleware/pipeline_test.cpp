#include "http/middleware/pipeline.hpp"

#include <gtest/gtest.h>

#include "http/middleware/cookies.hpp"

using namespace yoyaku;
using namespace yoyaku::http;

TEST(Cookies, FindsTheSessionCookieAmongOthers) {
    Request req;
    req.headers.add("Cookie", "theme=dark; __Host-yoyaku_session=1.abc ;x=y");
    req.headers.add("cookie", "other=1");
    EXPECT_EQ(cookie_value(req, "__Host-yoyaku_session"), "1.abc");
    EXPECT_EQ(cookie_value(req, "other"), "1");
    EXPECT_EQ(cookie_value(req, "yoyaku_session"), "");
}

TEST(Cookies, SecureByDefaultRelaxedOnlyWhenAsked) {
    const auto secure = session_cookie(CookiePolicy{}, "1.abc");
    EXPECT_EQ(secure, "__Host-yoyaku_session=1.abc; Path=/; HttpOnly; SameSite=Lax; Secure");
    const auto dev = session_cookie(CookiePolicy{false}, "1.abc");
    EXPECT_EQ(dev, "yoyaku_session=1.abc; Path=/; HttpOnly; SameSite=Lax");
    EXPECT_NE(clear_session_cookie(CookiePolicy{}).find("Max-Age=0"), std::string::npos);
}

TEST(ClientAddress, ForwardedForCountsOnlyFromTrustedProxies) {
    const std::vector<net::Cidr> proxies = {*net::parse_cidr("10.0.0.0/8")};
    EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", proxies), "203.0.113.9");
    EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1", proxies), "198.51.100.1");
    // A client cannot pick its address by sending the header itself: the right-most
    // untrusted entry wins.
    EXPECT_EQ(
        client_address("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.7", proxies), "198.51.100.1"
    );
    EXPECT_EQ(client_address("10.0.0.2", "", proxies), "10.0.0.2");
    EXPECT_EQ(client_address("10.0.0.2", "garbage", proxies), "10.0.0.2");
    EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1", {}), "10.0.0.2");
}

TEST(ClientAddress, LoopbackIsRecognised) {
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("127.8.9.10"));
    EXPECT_TRUE(is_loopback("::1"));
    EXPECT_TRUE(is_loopback("::ffff:127.0.0.1"));
    EXPECT_FALSE(is_loopback("128.0.0.1"));
    EXPECT_FALSE(is_loopback("::2"));
    EXPECT_FALSE(is_loopback("local"));
}

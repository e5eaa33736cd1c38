#include "crypto/totp.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::crypto;

namespace {
// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890".
const std::string kSeed = "12345678901234567890";
Instant at(std::int64_t unix_seconds) {
    return Instant{std::chrono::seconds(unix_seconds)};
}
}  // namespace

TEST(Totp, MatchesTheRfc6238Vectors) {
    // The RFC lists 8 digits; the 6-digit codes are their last six.
    EXPECT_EQ(totp_code(kSeed, at(59)), "287082");
    EXPECT_EQ(totp_code(kSeed, at(1111111109)), "081804");
    EXPECT_EQ(totp_code(kSeed, at(1234567890)), "005924");
    EXPECT_EQ(totp_code(kSeed, at(2000000000)), "279037");
}

TEST(Totp, AcceptsOneStepOfDriftAndReportsTheCounter) {
    const auto t = at(1234567890);
    auto now = match_totp(kSeed, "005924", t);
    ASSERT_TRUE(now);
    EXPECT_EQ(*now, 1234567890u / 30);
    auto late = match_totp(kSeed, totp_code(kSeed, t - std::chrono::seconds(30)), t);
    ASSERT_TRUE(late);
    EXPECT_EQ(*late, *now - 1);
    EXPECT_FALSE(match_totp(kSeed, totp_code(kSeed, t - std::chrono::seconds(90)), t));
    EXPECT_FALSE(match_totp(kSeed, "00592", t));
    EXPECT_FALSE(match_totp(kSeed, "0059a4", t));
    EXPECT_FALSE(match_totp("another secret value", "005924", t));
}

TEST(Totp, SecretsAreFreshAndBase32Encoded) {
    const auto a = new_totp_secret();
    EXPECT_EQ(a.size(), 20u);
    EXPECT_NE(a, new_totp_secret());
    EXPECT_EQ(base32("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    EXPECT_EQ(base32("f"), "MY");
    EXPECT_EQ(from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), kSeed);
    EXPECT_EQ(from_base32(base32(a)), a);
    EXPECT_FALSE(from_base32("GEZ1"));
    const auto uri = otpauth_uri("Yoyaku (demo)", "manager@demo.example", kSeed);
    EXPECT_EQ(
        uri,
        "otpauth://totp/Yoyaku%20%28demo%29:manager@demo.example?secret="
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Yoyaku%20%28demo%29&algorithm=SHA1&digits=6&"
        "period=30"
    );
}

TEST(Qr, RendersAnSvgWithoutScript) {
    auto svg = qr_svg("otpauth://totp/Yoyaku:a@b.example?secret=GEZDGNBV");
    ASSERT_TRUE(svg);
    EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_NE(svg->find("<path fill=\"#000\" d=\"M"), std::string::npos);
    EXPECT_EQ(svg->find("script"), std::string::npos);
    EXPECT_FALSE(qr_svg(std::string(8000, 'x')));
}

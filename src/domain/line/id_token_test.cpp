#include "domain/line/id_token.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace yoyaku::line {
namespace {

constexpr std::string_view kChannel = "1650000000";
constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";
constexpr std::string_view kUser = "U0123456789abcdef0123456789abcdef";
const Instant kNow{std::chrono::seconds(1'800'000'000)};

// An ID token as LINE's web login signs it (HS256 under the channel secret), with `change`
// applied to its claims first.
std::string token(
    const std::function<void(boost::json::object&)>& change = {},
    std::string_view alg = "HS256",
    std::string_view secret = kSecret
) {
    boost::json::object claims{
        {"iss", "https://access.line.me"},
        {"sub", kUser},
        {"aud", kChannel},
        {"exp", 1'800'000'000 + 3600},
        {"iat", 1'800'000'000 - 10},
        {"nonce", "n-123"},
        {"amr", boost::json::array{"pwd"}},
        {"name", "山田 花子"}};
    if (change) change(claims);
    const auto head = crypto::to_base64url(boost::json::serialize(boost::json::object{
        {"typ", "JWT"}, {"alg", alg}}));
    const auto body = crypto::to_base64url(boost::json::serialize(claims));
    const auto signed_part = head + "." + body;
    return signed_part + "." + crypto::to_base64url(crypto::hmac_sha256(secret, signed_part));
}

std::string refusal(const std::string& t) {
    auto r = verify_id_token(t, {kChannel, kSecret, "n-123", kNow});
    if (r) return "accepted";
    EXPECT_EQ(r.error().code, Errc::unauthenticated);
    return r.error().field;
}

TEST(IdToken, LinesOwnTokenNamesItsUser) {
    auto r = verify_id_token(token(), {kChannel, kSecret, "n-123", kNow});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->user_id, kUser);
    EXPECT_EQ(r->name, "山田 花子");
}

TEST(IdToken, ForgeriesAreRefusedNamingWhatFailed) {
    EXPECT_EQ(refusal(token({}, "HS256", "ffffffffffffffffffffffffffffffff")), "signature");
    EXPECT_EQ(refusal(token({}, "none")), "algorithm");
    EXPECT_EQ(refusal(token({}, "ES256")), "algorithm");
    EXPECT_EQ(refusal(token([](auto& c) { c["aud"] = "1650000001"; })), "audience");
    EXPECT_EQ(refusal(token([](auto& c) { c["nonce"] = "n-124"; })), "nonce");
    EXPECT_EQ(refusal(token([](auto& c) { c.erase("nonce"); })), "nonce");
    EXPECT_EQ(refusal(token([](auto& c) { c["iss"] = "https://evil.example"; })), "issuer");
    EXPECT_EQ(refusal(token([](auto& c) { c["exp"] = 1'800'000'000 - 600; })), "expired");
    EXPECT_EQ(refusal(token([](auto& c) { c["iat"] = 1'800'000'000 + 600; })), "issued_at");
    EXPECT_EQ(refusal(token([](auto& c) { c["sub"] = "U123"; })), "subject");
    // A token whose claims were changed after signing.
    auto t = token();
    const auto dot = t.find('.');
    t[dot + 5] = t[dot + 5] == 'A' ? 'B' : 'A';
    EXPECT_TRUE(refusal(t) == "signature" || refusal(t) == "format");
    EXPECT_EQ(refusal("a.b"), "format");
    EXPECT_EQ(refusal("a.b.c.d"), "format");
    EXPECT_EQ(refusal(token() + "="), "format");
    // Clocks a minute apart still agree.
    EXPECT_EQ(refusal(token([](auto& c) { c["iat"] = 1'800'000'000 + 60; })), "accepted");
    // No nonce expected is never a match.
    EXPECT_FALSE(verify_id_token(token(), {kChannel, kSecret, "", kNow}));
}

}  // namespace
}  // namespace yoyaku::line

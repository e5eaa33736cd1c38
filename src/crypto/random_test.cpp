#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <set>

#include "crypto/hash.hpp"

using namespace yoyaku::crypto;

TEST(Random, HexHasRequestedLengthAndDiffers) {
    auto a = random_hex(16), b = random_hex(16);
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Random, FastHexIsUniqueAcrossManyDraws) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(fast_random_hex(16));
    EXPECT_EQ(seen.size(), 10000u);
    EXPECT_EQ(fast_random_hex(16).size(), 32u);
}

TEST(Random, HexEncodesBytes) {
    EXPECT_EQ(to_hex(std::string("\x01\xab", 2)), "01ab");
}

namespace yoyaku::crypto {
namespace {

TEST(Base64, RoundTripsAndRefusesGarbage) {
    EXPECT_EQ(to_base64("hello"), "aGVsbG8=");  // RFC 4648 alphabet, padded
    EXPECT_EQ(from_base64("aGVsbG8="), std::optional<std::string>("hello"));
    EXPECT_EQ(from_base64("aGVs\nbG8="), std::optional<std::string>("hello"));
    EXPECT_FALSE(from_base64("a$b"));
    const std::string bytes("\0\xff\x10", 3);
    EXPECT_EQ(from_base64(to_base64(bytes)), std::optional<std::string>(bytes));
}

TEST(Base64Url, IsJwtsAlphabetWithoutPadding) {
    EXPECT_EQ(to_base64url("\xfb\xff"), "-_8");  // '+' and '/' become '-' and '_', no '='
    EXPECT_EQ(from_base64url("-_8"), std::optional<std::string>("\xfb\xff"));
    EXPECT_FALSE(from_base64url("+/8"));   // standard alphabet refused
    EXPECT_FALSE(from_base64url("-_8="));  // padding refused
    EXPECT_FALSE(from_base64url("aGVs bG8"));
    // PKCE's S256 challenge of a verifier, as Python's hashlib and base64 compute it.
    EXPECT_EQ(
        to_base64url(sha256("dBjftJeZ4CVP-mB92K9uhvGTosiDdhGqxKpzlLiZb7Y")),
        "74-EshGwVgupWeIUGlkJcBQ2-3ZKhkrTiGCTYQMLONM"
    );
}

}  // namespace
}  // namespace yoyaku::crypto

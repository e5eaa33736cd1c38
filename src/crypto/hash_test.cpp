#include "crypto/hash.hpp"

#include <gtest/gtest.h>

namespace yoyaku::crypto {
namespace {

// FIPS 180-2 and RFC 4231 vectors: ALTCHA clients compute these with Web Crypto, so ours must
// match them bit for bit.
TEST(Hash, Sha256MatchesTheStandardVector) {
    EXPECT_EQ(
        sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

TEST(Hash, HmacSha256MatchesRfc4231) {
    EXPECT_EQ(
        hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

TEST(Hash, ConstantTimeComparisonNeedsEqualLengthAndBytes) {
    EXPECT_TRUE(equal_constant_time("abc", "abc"));
    EXPECT_FALSE(equal_constant_time("abc", "abd"));
    EXPECT_FALSE(equal_constant_time("abc", "abcd"));
}

}  // namespace
}  // namespace yoyaku::crypto

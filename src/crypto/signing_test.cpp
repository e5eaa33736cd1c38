#include "crypto/signing.hpp"

#include <gtest/gtest.h>

using namespace yoyaku::crypto;

TEST(Signing, OnlyTheSeedsPublicKeyAcceptsItsSignature) {
    const auto seed = SecretKey::random();
    const auto pk = signing_public_key(seed);
    ASSERT_EQ(pk.size(), 32u);
    const auto sig = sign(seed, "chain 3 seq 17 hash ab12");
    ASSERT_EQ(sig.size(), 64u);
    EXPECT_TRUE(signature_valid(pk, "chain 3 seq 17 hash ab12", sig));
    EXPECT_FALSE(signature_valid(pk, "chain 3 seq 17 hash ab13", sig)) << "another message";
    EXPECT_FALSE(
        signature_valid(signing_public_key(SecretKey::random()), "chain 3 seq 17 hash ab12", sig)
    ) << "another key";
    EXPECT_EQ(signing_public_key(seed), pk) << "the same seed, the same key";
    EXPECT_FALSE(signature_valid(pk, "x", "short"));
}

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

TEST(Signing, ASignerDerivedOnceSignsAsTheSeedDoes) {
    const auto seed = SecretKey::random();
    const Signer signer(seed);
    EXPECT_EQ(signer.public_key(), signing_public_key(seed));
    // Ed25519 is deterministic: the same message, the same signature.
    EXPECT_EQ(signer.sign("ticket 1"), sign(seed, "ticket 1"));
    EXPECT_TRUE(signature_valid(signer.public_key(), "ticket 2", signer.sign("ticket 2")));
}

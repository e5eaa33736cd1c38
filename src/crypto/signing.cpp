#include "crypto/signing.hpp"

#include <sodium.h>

namespace yoyaku::crypto {
namespace {

struct Pair {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    Pair(const Pair&) = delete;
    Pair& operator=(const Pair&) = delete;
    explicit Pair(const SecretKey& seed) { crypto_sign_seed_keypair(pk, sk, seed.data()); }
    ~Pair() { sodium_memzero(sk, sizeof sk); }
};

}  // namespace

std::string signing_public_key(const SecretKey& seed) {
    const Pair p(seed);
    return {reinterpret_cast<const char*>(p.pk), sizeof p.pk};
}

std::string sign(const SecretKey& seed, std::string_view message) {
    const Pair p(seed);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(
        sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(), p.sk
    );
    return {reinterpret_cast<const char*>(sig), sizeof sig};
}

bool signature_valid(
    std::string_view public_key, std::string_view message, std::string_view signature
) noexcept {
    if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
        return false;
    return crypto_sign_verify_detached(
               reinterpret_cast<const unsigned char*>(signature.data()),
               reinterpret_cast<const unsigned char*>(message.data()),
               message.size(),
               reinterpret_cast<const unsigned char*>(public_key.data())
           ) == 0;
}

}  // namespace yoyaku::crypto

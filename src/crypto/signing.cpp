#include "crypto/signing.hpp"

#include <sodium.h>

namespace yoyaku::crypto {
namespace {

static_assert(crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_PUBLICKEYBYTES == 32);

}  // namespace

Signer::Signer(const SecretKey& seed) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_seed_keypair(pk, sk_, seed.data());
}

Signer::~Signer() {
    sodium_memzero(sk_, sizeof sk_);
}

std::string Signer::sign(std::string_view message) const {
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(
        sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(), sk_
    );
    return {reinterpret_cast<const char*>(sig), sizeof sig};
}

std::string Signer::public_key() const {
    // The second half of libsodium's secret key.
    return {reinterpret_cast<const char*>(sk_) + 32, crypto_sign_PUBLICKEYBYTES};
}

std::string signing_public_key(const SecretKey& seed) {
    return Signer(seed).public_key();
}

std::string sign(const SecretKey& seed, std::string_view message) {
    return Signer(seed).sign(message);
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

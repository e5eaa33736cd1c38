#pragma once
// Ed25519 signatures (libsodium crypto_sign) for what must be checked outside the database:
// the audit chain's checkpoints (issue 24). The signing key is a 32-byte seed kept in the
// keys directory; anyone holding the public key can check a signature, nobody without the
// seed can make one.

#include <string>
#include <string_view>

#include "crypto/sealing.hpp"

namespace yoyaku::crypto {

/// A seed's key pair, derived once (deriving it costs as much as a signature): for signing
/// many messages. Wiped when destroyed.
class Signer {
public:
    explicit Signer(const SecretKey& seed);
    ~Signer();
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;
    /// The detached signature (64 bytes) of `message`.
    std::string sign(std::string_view message) const;
    /// The public key (32 bytes).
    std::string public_key() const;

private:
    unsigned char sk_[64];  ///< libsodium's secret key: the seed, then the public key
};

/// The public key (32 bytes) that belongs to `seed`.
std::string signing_public_key(const SecretKey& seed);
/// The detached signature (64 bytes) of `message` under `seed`.
std::string sign(const SecretKey& seed, std::string_view message);
/// True when `signature` is `public_key`'s over `message`.
bool signature_valid(
    std::string_view public_key, std::string_view message, std::string_view signature
) noexcept;

}  // namespace yoyaku::crypto

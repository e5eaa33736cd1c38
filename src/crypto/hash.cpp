#include "crypto/hash.hpp"

#include <sodium.h>

#include "crypto/random.hpp"

namespace yoyaku::crypto {

std::string blake2b_256_hex(std::string_view data) {
    init();
    unsigned char out[32];
    crypto_generichash(
        out,
        sizeof out,
        reinterpret_cast<const unsigned char*>(data.data()),
        data.size(),
        nullptr,
        0
    );
    return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string blake2b_256_keyed_hex(std::string_view key, std::string_view data) {
    init();
    unsigned char out[32];
    crypto_generichash(
        out,
        sizeof out,
        reinterpret_cast<const unsigned char*>(data.data()),
        data.size(),
        reinterpret_cast<const unsigned char*>(key.data()),
        key.size()
    );
    return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string sha256_hex(std::string_view data) {
    init();
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string sha256(std::string_view data) {
    init();
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(
        reinterpret_cast<unsigned char*>(out.data()),
        reinterpret_cast<const unsigned char*>(data.data()),
        data.size()
    );
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    init();
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(
        &st, reinterpret_cast<const unsigned char*>(key.data()), key.size()
    );
    crypto_auth_hmacsha256_update(
        &st, reinterpret_cast<const unsigned char*>(data.data()), data.size()
    );
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    return to_hex(hmac_sha256(key, data));
}

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace yoyaku::crypto

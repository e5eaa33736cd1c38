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

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace yoyaku::crypto

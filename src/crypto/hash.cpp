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

}  // namespace yoyaku::crypto

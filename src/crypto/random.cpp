#include "crypto/random.hpp"

#include <sodium.h>

#include <stdexcept>

namespace yoyaku::crypto {

void init() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string to_hex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(
        out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()
    );
    out.pop_back();
    return out;
}

std::string random_hex(std::size_t n) {
    init();
    std::string raw(n, '\0');
    randombytes_buf(raw.data(), raw.size());
    return to_hex(raw);
}

}  // namespace yoyaku::crypto

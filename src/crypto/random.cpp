#include "crypto/random.hpp"

#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace yoyaku::crypto {

void init() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string random_bytes(std::size_t n) {
    init();
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::string to_hex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(
        out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()
    );
    out.pop_back();
    return out;
}

std::string fast_random_hex(std::size_t n) {
    struct Stream {
        unsigned char key[crypto_stream_chacha20_KEYBYTES];
        std::uint64_t counter = 0;
        Stream() {
            init();
            randombytes_buf(key, sizeof key);
        }
        ~Stream() { sodium_memzero(key, sizeof key); }
    };
    thread_local Stream s;
    unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {};
    std::memcpy(nonce, &s.counter, sizeof s.counter);
    ++s.counter;
    std::string raw(n, '\0');
    crypto_stream_chacha20(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), nonce, s.key);
    return to_hex(raw);
}

std::string random_hex(std::size_t n) {
    init();
    std::string raw(n, '\0');
    randombytes_buf(raw.data(), raw.size());
    return to_hex(raw);
}

}  // namespace yoyaku::crypto

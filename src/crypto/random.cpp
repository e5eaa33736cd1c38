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

std::string to_base64(std::string_view bytes) {
    init();
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(
        out.data(),
        out.size(),
        reinterpret_cast<const unsigned char*>(bytes.data()),
        bytes.size(),
        sodium_base64_VARIANT_ORIGINAL
    );
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> from_base64(std::string_view text) {
    init();
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(
            reinterpret_cast<unsigned char*>(out.data()),
            out.size(),
            text.data(),
            text.size(),
            " \r\n",
            &len,
            nullptr,
            sodium_base64_VARIANT_ORIGINAL
        ) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string to_base64url(std::string_view bytes) {
    init();
    std::string out(
        sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0'
    );
    sodium_bin2base64(
        out.data(),
        out.size(),
        reinterpret_cast<const unsigned char*>(bytes.data()),
        bytes.size(),
        sodium_base64_VARIANT_URLSAFE_NO_PADDING
    );
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    init();
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(
            reinterpret_cast<unsigned char*>(out.data()),
            out.size(),
            text.data(),
            text.size(),
            nullptr,
            &len,
            &end,
            sodium_base64_VARIANT_URLSAFE_NO_PADDING
        ) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

}  // namespace yoyaku::crypto

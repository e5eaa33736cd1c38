#include "crypto/stream.hpp"

#include <array>
#include <stdexcept>

namespace yoyaku::crypto {
namespace {

constexpr std::uint32_t kMaxMessage = 16u << 20;

Error refused(std::string why) {
    return Error{Errc::unprocessable, "the file does not open: " + std::move(why), "in", {}};
}

}  // namespace

StreamWriter::StreamWriter(const SecretKey& key, std::ostream& out) : out_(out) {
    std::array<unsigned char, crypto_secretstream_xchacha20poly1305_HEADERBYTES> header{};
    crypto_secretstream_xchacha20poly1305_init_push(&state_, header.data(), key.data());
    out_.write(reinterpret_cast<const char*>(header.data()), header.size());
}

void StreamWriter::push(std::string_view message, bool last) {
    if (message.size() > kMaxMessage) throw std::length_error("stream message too long");
    std::string cipher(message.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    unsigned long long n = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state_,
        reinterpret_cast<unsigned char*>(cipher.data()),
        &n,
        reinterpret_cast<const unsigned char*>(message.data()),
        message.size(),
        nullptr,
        0,
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
             : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
    );
    const auto len = static_cast<std::uint32_t>(n);
    const unsigned char le[4] = {
        static_cast<unsigned char>(len),
        static_cast<unsigned char>(len >> 8),
        static_cast<unsigned char>(len >> 16),
        static_cast<unsigned char>(len >> 24)};
    out_.write(reinterpret_cast<const char*>(le), 4);
    out_.write(cipher.data(), static_cast<std::streamsize>(n));
}

Result<StreamReader> StreamReader::open(const SecretKey& key, std::istream& in) {
    std::array<unsigned char, crypto_secretstream_xchacha20poly1305_HEADERBYTES> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    if (in.gcount() != static_cast<std::streamsize>(header.size())) return refused("too short");
    StreamReader r(in);
    if (crypto_secretstream_xchacha20poly1305_init_pull(&r.state_, header.data(), key.data()) != 0)
        return refused("bad header");
    return r;
}

Result<std::optional<std::string>> StreamReader::next() {
    if (done_) {
        if (in_->peek() != std::char_traits<char>::eof()) return refused("bytes after the end");
        return std::optional<std::string>();
    }
    unsigned char le[4];
    in_->read(reinterpret_cast<char*>(le), 4);
    if (in_->gcount() != 4) return refused("cut off");
    const std::uint32_t len =
        le[0] | (le[1] << 8) | (le[2] << 16) | (static_cast<std::uint32_t>(le[3]) << 24);
    if (len < crypto_secretstream_xchacha20poly1305_ABYTES ||
        len > kMaxMessage + crypto_secretstream_xchacha20poly1305_ABYTES)
        return refused("a message of impossible length");
    std::string cipher(len, '\0');
    in_->read(cipher.data(), len);
    if (in_->gcount() != static_cast<std::streamsize>(len)) return refused("cut off");
    std::string plain(len - crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    unsigned long long n = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state_,
            reinterpret_cast<unsigned char*>(plain.data()),
            &n,
            &tag,
            reinterpret_cast<const unsigned char*>(cipher.data()),
            len,
            nullptr,
            0
        ) != 0)
        return refused("a message does not authenticate (altered, or another key)");
    plain.resize(n);
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) done_ = true;
    return std::optional<std::string>(std::move(plain));
}

}  // namespace yoyaku::crypto

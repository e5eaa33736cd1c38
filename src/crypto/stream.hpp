#pragma once
// Authenticated encryption of a stream of messages (libsodium secretstream,
// XChaCha20-Poly1305): used for backups. The file is a 24-byte header, then per message a
// 4-byte little-endian length and the ciphertext. Each message is authenticated, their order
// too, and the last one carries the FINAL tag, so a flipped byte, a reordering or a cut-off
// file is refused.

#include <sodium.h>

#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/sealing.hpp"

namespace yoyaku::crypto {

class StreamWriter {
public:
    /// Writes the stream header to `out`.
    StreamWriter(const SecretKey& key, std::ostream& out);
    /// Encrypts and writes one message (at most 16 MiB); `last` closes the stream.
    void push(std::string_view message, bool last = false);

private:
    std::ostream& out_;
    crypto_secretstream_xchacha20poly1305_state state_{};
};

class StreamReader {
public:
    /// Reads the stream header from `in`. Errors: unprocessable (too short).
    static Result<StreamReader> open(const SecretKey& key, std::istream& in);
    /// The next message; nullopt after the last one. Errors: unprocessable when a message does
    /// not authenticate, the stream ends before its last message, or bytes follow it.
    Result<std::optional<std::string>> next();

private:
    explicit StreamReader(std::istream& in) : in_(&in) {}
    std::istream* in_;
    crypto_secretstream_xchacha20poly1305_state state_{};
    bool done_ = false;
};

}  // namespace yoyaku::crypto

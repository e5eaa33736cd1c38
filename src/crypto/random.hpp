#pragma once
// Randomness from libsodium's CSPRNG. Callers never see sodium.h.

#include <cstddef>
#include <optional>
#include <string>

namespace yoyaku::crypto {

/// Initialises libsodium once; safe to call many times from any thread. Throws if it cannot.
void init();

/// `n` random bytes from the CSPRNG.
std::string random_bytes(std::size_t n);
/// `n` random bytes as lowercase hex (2n characters).
std::string random_hex(std::size_t n);

/// `n` random bytes as hex from a per-thread ChaCha20 keystream keyed once from the OS (no
/// system call per use). Unpredictable, for identifiers such as request ids; use `random_hex`
/// for secrets and keys.
std::string fast_random_hex(std::size_t n);

/// Lowercase hex of arbitrary bytes.
std::string to_hex(std::string_view bytes);

/// Standard base64 (with padding) of arbitrary bytes, and back; nothing for malformed text
/// (spaces and newlines are ignored).
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);
/// URL-safe base64 without padding (JWT's base64url), and back; nothing for anything else.
std::string to_base64url(std::string_view bytes);
std::optional<std::string> from_base64url(std::string_view text);

}  // namespace yoyaku::crypto

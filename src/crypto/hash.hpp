#pragma once
// Hashing and keyed MACs (libsodium) for integrity chains and token look-ups.

#include <string>
#include <string_view>

namespace yoyaku::crypto {

/// BLAKE2b-256 of `data`, lowercase hex (64 characters).
std::string blake2b_256_hex(std::string_view data);

/// BLAKE2b-256 of `data` keyed with a 32-byte `key` (a MAC), lowercase hex (64 characters).
std::string blake2b_256_keyed_hex(std::string_view key, std::string_view data);

/// SHA-256 of `data`, lowercase hex (for ALTCHA, whose clients hash with Web Crypto).
std::string sha256_hex(std::string_view data);

/// SHA-256 of `data` as 32 raw bytes (PKCE's S256 challenge).
std::string sha256(std::string_view data);

/// HMAC-SHA-256 of `data` under a 32-byte `key`, lowercase hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/// HMAC-SHA-256 of `data` under a key of any length, as 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Compares in time that depends only on the lengths (for tokens a client sends).
bool equal_constant_time(std::string_view a, std::string_view b) noexcept;

}  // namespace yoyaku::crypto

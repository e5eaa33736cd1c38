#pragma once
// Encryption at rest (SPEC S11): personal data fields sealed with XChaCha20-Poly1305 under a
// tenant's data key, bound to where they live (associated data: tenant, table, column, row), so
// a ciphertext copied to another row or tenant does not open. Look-ups use keyed blind indexes.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/result.hpp"

namespace yoyaku::crypto {

/// 32 secret bytes, wiped on destruction.
class SecretKey {
public:
    static SecretKey random();
    /// Errors: invalid_input unless exactly 32 bytes.
    static Result<SecretKey> from_bytes(std::string_view bytes);
    SecretKey(const SecretKey& other) : bytes_(other.bytes_) {}
    SecretKey& operator=(const SecretKey& other) = default;
    ~SecretKey();
    const unsigned char* data() const noexcept { return bytes_.data(); }
    std::string_view view() const noexcept {
        return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
    }

private:
    SecretKey() = default;
    std::array<unsigned char, 32> bytes_{};
};

/// "tenant:<id>/<table>.<column>#<row>": the associated data a field is sealed with.
std::string field_context(
    TenantId tenant, std::string_view table, std::string_view column, std::int64_t row
);
/// The same for a row named by its strong id.
template <class Tag>
std::string field_context(
    TenantId tenant, std::string_view table, std::string_view column, Id<Tag> row
) {
    return field_context(tenant, table, column, row.value);
}

/// Seals `plaintext` (format: version byte ‖ 24-byte random nonce ‖ ciphertext ‖ 16-byte tag).
std::string seal(const SecretKey& key, std::string_view plaintext, std::string_view associated);
/// Opens what `seal` made with the same key and associated data. Errors: unprocessable when the
/// key, the associated data or any byte differs (no detail on which).
Result<std::string> open(
    const SecretKey& key, std::string_view sealed, std::string_view associated
);

/// Keyed BLAKE2b-256 of an already normalised value (e.g. a lower-cased email), hex: equal
/// values give equal indexes under one key, and nothing without the key.
std::string blind_index(const SecretKey& index_key, std::string_view normalized);

/// Derives a purpose-specific subkey (libsodium KDF); `purpose` is at most 8 characters.
SecretKey derive(const SecretKey& root, std::uint64_t id, std::string_view purpose);

}  // namespace yoyaku::crypto

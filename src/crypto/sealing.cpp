#include "crypto/sealing.hpp"

#include <sodium.h>

#include <cstring>

#include "crypto/random.hpp"

namespace yoyaku::crypto {
namespace {
constexpr unsigned char kVersion = 1;
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
}  // namespace

SecretKey SecretKey::random() {
    init();
    SecretKey k;
    crypto_aead_xchacha20poly1305_ietf_keygen(k.bytes_.data());
    return k;
}

Result<SecretKey> SecretKey::from_bytes(std::string_view bytes) {
    if (bytes.size() != 32) return Error::invalid("key", "must be 32 bytes");
    SecretKey k;
    std::memcpy(k.bytes_.data(), bytes.data(), 32);
    return k;
}

SecretKey::~SecretKey() {
    sodium_memzero(bytes_.data(), bytes_.size());
}

std::string field_context(
    TenantId tenant, std::string_view table, std::string_view column, std::int64_t row
) {
    return "tenant:" + std::to_string(tenant.value) + "/" + std::string(table) + "." +
           std::string(column) + "#" + std::to_string(row);
}

std::string seal(const SecretKey& key, std::string_view plaintext, std::string_view associated) {
    init();
    std::string out(1 + kNonce + plaintext.size() + kTag, '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    p[0] = kVersion;
    randombytes_buf(p + 1, kNonce);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        p + 1 + kNonce,
        &clen,
        reinterpret_cast<const unsigned char*>(plaintext.data()),
        plaintext.size(),
        reinterpret_cast<const unsigned char*>(associated.data()),
        associated.size(),
        nullptr,
        p + 1,
        key.data()
    );
    out.resize(1 + kNonce + clen);
    return out;
}

Result<std::string> open(
    const SecretKey& key, std::string_view sealed, std::string_view associated
) {
    const Error refused{Errc::unprocessable, "the data cannot be decrypted", {}, {}};
    if (sealed.size() < 1 + kNonce + kTag || static_cast<unsigned char>(sealed[0]) != kVersion)
        return refused;
    const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
    std::string out(sealed.size() - 1 - kNonce - kTag, '\0');
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()),
            &mlen,
            nullptr,
            p + 1 + kNonce,
            sealed.size() - 1 - kNonce,
            reinterpret_cast<const unsigned char*>(associated.data()),
            associated.size(),
            p + 1,
            key.data()
        ) != 0)
        return refused;
    out.resize(mlen);
    return out;
}

std::string blind_index(const SecretKey& index_key, std::string_view normalized) {
    init();
    unsigned char out[32];
    crypto_generichash(
        out,
        sizeof out,
        reinterpret_cast<const unsigned char*>(normalized.data()),
        normalized.size(),
        index_key.data(),
        32
    );
    return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

SecretKey derive(const SecretKey& root, std::uint64_t id, std::string_view purpose) {
    init();
    char ctx[crypto_kdf_CONTEXTBYTES] = {};
    std::memcpy(ctx, purpose.data(), std::min(purpose.size(), sizeof ctx));
    unsigned char sub[32];
    crypto_kdf_derive_from_key(sub, sizeof sub, id, ctx, root.data());
    auto k =
        SecretKey::from_bytes(std::string_view(reinterpret_cast<const char*>(sub), sizeof sub));
    sodium_memzero(sub, sizeof sub);
    return std::move(*k);
}

}  // namespace yoyaku::crypto

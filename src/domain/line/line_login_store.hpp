#pragma once
// The `line_logins` rows: a sign-in or link through LINE in progress, keyed by the hash of its
// state, and a LINE user proven by LINE Login who is giving an address to sign up.

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::line {

struct LoginRow {
    std::int64_t id = 0;
    std::string purpose;  ///< sign_in, link or sign_up
    std::optional<AccountId> account;
    std::string nonce;
    std::string line_user_sealed;  ///< sign_up only
    std::string return_to;
};

struct NewLogin {
    std::string secret_hash;
    std::string purpose;
    std::optional<AccountId> account;
    std::string nonce;
    std::string return_to;
    Instant expires_at{};
};

class LineLoginStore {
public:
    /// A proven LINE user waiting to sign up, sealed under the row's id.
    static constexpr storage::SealedColumn kLineUser{
        "line_logins", "line_user_sealed", "line_user"};

    explicit LineLoginStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::int64_t> insert(const NewLogin& row, Instant now);
    Result<void> update_line_user(std::int64_t id, const std::string& sealed);
    /// The unexpired row of `secret_hash` with one of `purposes` (comma-separated SQL literals).
    Result<std::optional<LoginRow>> find(
        const std::string& secret_hash, std::string_view purpose, Instant now
    );
    /// Deletes it: each state and sign-up token is used once.
    Result<bool> remove(std::int64_t id);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::line

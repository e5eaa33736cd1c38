#pragma once
// The `payment_accounts` table: a tenant's keys with a provider, both sealed under the
// tenant's data key (bound to the row), a hint of the secret key's last characters to show,
// and whether they are test keys.

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::payments {

struct AccountRow {
    std::int64_t id = 0;
    std::string provider;
    std::string secret_key_sealed;
    std::string webhook_secret_sealed;
    std::string key_hint;
    bool test_mode = false;
    Instant updated_at{};
};

class PaymentAccountStore {
public:
    static constexpr storage::SealedColumn kSecretKey{
        "payment_accounts", "secret_key_sealed", "secret_key"};
    static constexpr storage::SealedColumn kWebhookSecret{
        "payment_accounts", "webhook_secret_sealed", "webhook_secret"};

    explicit PaymentAccountStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::optional<AccountRow>> find(std::string_view provider);
    /// The row's id, made for `provider` if there was none (its sealed columns empty until
    /// update_keys: they are bound to the id).
    Result<std::int64_t> ensure(std::string_view provider, Instant now);
    Result<void> update_keys(const AccountRow& row);
    Result<void> remove(std::string_view provider);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::payments

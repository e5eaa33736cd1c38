#include "domain/payments/payment_account_store.hpp"

namespace yoyaku::payments {

Result<std::optional<AccountRow>> PaymentAccountStore::find(std::string_view provider) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, provider, secret_key_sealed, webhook_secret_sealed, key_hint, test_mode, updated_at FROM payment_accounts WHERE tenant_id = $1 AND provider = $2",
            stx_.tenant_id(),
            std::string(provider)
        )
    );
    if (rows.empty()) return std::optional<AccountRow>();
    const auto& r = rows.front();
    return std::optional<AccountRow>(AccountRow{
        r.i64("id"),
        r.text("provider"),
        r.blob("secret_key_sealed").bytes,
        r.blob("webhook_secret_sealed").bytes,
        r.text("key_hint"),
        r.i64("test_mode") != 0,
        from_micros(r.i64("updated_at"))});
}

Result<std::int64_t> PaymentAccountStore::ensure(std::string_view provider, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO payment_accounts(tenant_id, provider, secret_key_sealed, webhook_secret_sealed, key_hint, test_mode, updated_at) VALUES ($1, $2, $3, $3, '', 1, $4) ON CONFLICT (tenant_id, provider) DO NOTHING",
        stx_.tenant_id(),
        std::string(provider),
        storage::Blob{},
        to_micros(now)
    ));
    YOYAKU_TRY_ASSIGN(
        const auto row,
        stx_.tx().query_one(
            "SELECT id FROM payment_accounts WHERE tenant_id = $1 AND provider = $2",
            stx_.tenant_id(),
            std::string(provider)
        )
    );
    return row.i64("id");
}

Result<void> PaymentAccountStore::update_keys(const AccountRow& row) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE payment_accounts SET secret_key_sealed = $3, webhook_secret_sealed = $4, key_hint = $5, test_mode = $6, updated_at = $7 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        row.id,
        storage::Blob{row.secret_key_sealed},
        storage::Blob{row.webhook_secret_sealed},
        row.key_hint,
        row.test_mode ? 1 : 0,
        to_micros(row.updated_at)
    ));
    return {};
}

Result<void> PaymentAccountStore::remove(std::string_view provider) {
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM payment_accounts WHERE tenant_id = $1 AND provider = $2",
        stx_.tenant_id(),
        std::string(provider)
    ));
    return {};
}

}  // namespace yoyaku::payments

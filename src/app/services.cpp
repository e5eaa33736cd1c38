#include "app/services.hpp"

namespace yoyaku::app {

Services::Services(
    storage::Database& db_,
    std::unique_ptr<crypto::Keyring> keyring_,
    crypto::Argon2Params argon2,
    int hash_concurrency,
    accounts::DefenceOptions defence_options,
    const Clock& clock_,
    accounts::AuthOptions auth_options
)
    : db(db_),
      clock(clock_),
      keyring(std::move(keyring_)),
      hasher(argon2, hash_concurrency),
      tenants(db, clock),
      accounts(db, *keyring, hasher, clock),
      defence(db, clock, defence_options),
      auth(db, accounts, hasher, defence, clock, auth_options) {}

Result<std::unique_ptr<Services>> make_services(
    const Config& c, storage::Database& db, const Clock& clock
) {
    auto keyring = crypto::Keyring::open(c.effective_keys_dir(), true);
    if (!keyring) return fail(std::move(keyring).error());
    crypto::Argon2Params argon2;
    argon2.ops_limit = static_cast<std::uint64_t>(c.security_argon2_ops);
    argon2.mem_limit = static_cast<std::size_t>(c.security_argon2_memory_mib) * 1024 * 1024;
    accounts::DefenceOptions d;
    d.stuffing_accounts = static_cast<int>(c.security_stuffing_accounts);
    d.block_duration = std::chrono::minutes(c.security_block_minutes);
    auto s = std::make_unique<Services>(
        db, std::move(*keyring), argon2, static_cast<int>(c.security_hash_concurrency), d, clock
    );
    YOYAKU_TRY(s->defence.reload());
    return s;
}

}  // namespace yoyaku::app

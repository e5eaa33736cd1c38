#pragma once
// The composition root: opens the database, applies migrations, builds the route table and the
// server, runs until stopped. Commands of the CLI call these.

#include <memory>
#include <string_view>

#include "app/config.hpp"
#include "app/logging.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"

namespace yoyaku::app {

/// The keys directory's own files (crypto::Keyring::own_key) for the audit log: the chain key
/// and the checkpoints' Ed25519 signing seed.
inline constexpr std::string_view kChainKey = "audit";
inline constexpr std::string_view kCheckpointKey = "audit-sign";

/// The audit chain key from the keys directory, made only when `new_keys` (the directory's
/// first use). Errors: invalid_input (field "keys") when it is missing from a directory in use:
/// a new key would make every entry written so far fail verification.
Result<crypto::SecretKey> audit_chain_key(
    const crypto::Keyring& keys, const std::string& dir, bool new_keys
);

/// Creates the data directory (mode 0700), installs the audit chain key from the keys
/// directory (made on first use) and opens the configured database.
Result<std::unique_ptr<storage::Database>> open_platform_database(const Config& config);

/// Opens the database and applies pending migrations.
Result<storage::SchemaStatus> migrate(const Config& config);

struct Services;

/// Demo sign-ins that `--demo` creates (published in README: never use --demo in production).
struct DemoLogin {
    const char* role;
    const char* tenant;  ///< "" for the operator
    const char* email;
    const char* password;
};
inline constexpr DemoLogin kDemoLogins[] = {
    {"manager", "demo", "manager@demo.example", "Sakura-Demo-4821"},
    {"manager", "demo", "office@demo.example", "Kaede-Office-2468"},
    {"operator", "", "operator@demo.example", "Fuji-Operator-7310"},
};

/// Ensures the demo tenant (code "demo") and the demo sign-ins exist. Idempotent.
Result<void> seed_demo(Services& services);

/// Serves until SIGTERM/SIGINT; returns the process exit code. `migrate` false (serve
/// --no-migrate, the rolling-upgrade step after `yoyaku migrate`) applies no migration: the
/// schema must already serve this binary.
int serve(const Config& config, bool demo, bool migrate = true);

}  // namespace yoyaku::app

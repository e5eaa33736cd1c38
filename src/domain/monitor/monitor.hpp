#pragma once
// The platform watching itself (SPEC S17): readings against thresholds, operators alerted by
// mail when a check turns bad (and again when it recovers).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {
class AccountService;
}

namespace yoyaku::monitor {

struct Thresholds {
    std::chrono::milliseconds db_latency{500};
    std::chrono::seconds queue_lag{600};
    int mail_failures_per_hour = 5;
    std::chrono::hours backup_age{26};
    double min_free_disk = 0.10;  ///< of the data directory's file system
};

struct Check {
    std::string name;  ///< database_latency, queue_lag, mail_failures, backup_age, disk_free
    bool ok = true;
    std::string value;      ///< as measured, with its unit
    std::string threshold;  ///< the limit, with its unit
    /// The value as a number in base units (seconds, a count, a ratio of 1) for /metrics;
    /// +Inf when there is none (no backup yet, no answer).
    double amount = 0;
};

struct Reading {
    Instant at;
    std::vector<Check> checks;
    bool ok() const;
};

struct Inputs {
    std::filesystem::path data_dir;
    std::filesystem::path backup_dir;  ///< empty: no backups are expected (not checked)
};

/// One reading now. Errors: those of the store (a database that does not answer is a reading
/// with a failed latency check, not an error).
Result<Reading> measure(
    storage::Database& db, Instant now, const Inputs& inputs, const Thresholds& thresholds
);

class Monitor {
public:
    Monitor(
        storage::Database& db,
        crypto::Keyring& keys,
        accounts::AccountService& accounts,
        const Clock& clock,
        Inputs inputs,
        Thresholds thresholds = {}
    );
    /// Measures, stores the reading, and alerts operators about every check whose state
    /// changed since the last stored reading. Returns the reading.
    Result<Reading> run();
    /// The last stored reading, if any.
    static Result<std::optional<Reading>> last(storage::Database& db);

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    accounts::AccountService& accounts_;
    const Clock& clock_;
    Inputs inputs_;
    Thresholds thresholds_;
};

}  // namespace yoyaku::monitor

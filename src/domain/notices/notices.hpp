#pragma once
// Incident and maintenance notices and maintenance mode (SPEC S16). Notices are platform rows
// (operators write them); each tenant reads the ones that reach it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {
class AccountService;
}

namespace yoyaku::notices {

/// Maintenance announced fewer days ahead than this needs the emergency flag and a reason.
inline constexpr std::chrono::hours kMaintenanceNotice{24 * 7};

struct NoticeInput {
    std::string kind;      ///< incident | maintenance
    std::string severity;  ///< info | minor | major | critical
    std::string title;
    std::string body;
    Instant starts_at;
    std::optional<Instant> ends_at;
    std::vector<std::string> tenants;  ///< tenant codes; empty: every tenant
    std::string emergency_reason;      ///< set: an emergency (maintenance at short notice)
};

struct Update {
    Instant at;
    std::string body;
    bool resolved = false;
};

struct Notice {
    NoticeId id;
    std::string kind, severity, title, body;
    Instant starts_at;
    std::optional<Instant> ends_at;
    bool all_tenants = true;
    std::vector<std::string> tenants;  ///< codes, when not all
    std::string emergency_reason;
    std::optional<Instant> resolved_at;
    Instant created_at;
    std::vector<Update> updates;  ///< oldest first
};

struct Maintenance {
    bool on = false;
    int retry_after_s = 600;
    std::string message;
    std::optional<Instant> since;
};

class MaintenanceState;

struct NoticeOptions {
    std::string status_url;  ///< the public status page, for the mails
    /// This node's snapshot, refreshed at once when maintenance mode changes here.
    MaintenanceState* state = nullptr;
};

class NoticeService {
public:
    NoticeService(
        storage::Database& db,
        crypto::Keyring& keys,
        accounts::AccountService& accounts,
        const Clock& clock,
        NoticeOptions options = {}
    );

    /// Posts a notice, audited on the platform chain, and mails the managers of the tenants it
    /// reaches. Errors: invalid_input naming kind, severity, title (1–200), body (≤ 5000),
    /// starts_at, ends_at (after starts_at), tenants (an unknown code), emergency_reason (≤ 500;
    /// required for maintenance starting within 7 days).
    Result<Notice> post(
        const NoticeInput& in, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Adds a timeline update (resolving the notice when `resolved`), mailed like the notice.
    /// Errors: not_found; invalid_input on body; conflict when it is already resolved.
    Result<Notice> add_update(
        NoticeId id,
        std::string_view body,
        bool resolved,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The latest 100 notices, newest first (operators).
    Result<std::vector<Notice>> list();
    /// What a tenant's console shows: unresolved notices that reach it, and those resolved in
    /// the last 24 hours; maintenance only until it ends.
    Result<std::vector<Notice>> current(TenantId tenant);
    /// The public status page: notices to every tenant, unresolved or resolved in the last 7 days.
    Result<std::vector<Notice>> public_status();

    Result<Maintenance> maintenance();
    /// Turns maintenance mode on or off, audited. Errors: invalid_input on retry_after_s
    /// (60–86400) or message (≤ 500).
    Result<Maintenance> set_maintenance(
        bool on,
        int retry_after_s,
        std::string_view message,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    Result<void> mail_managers(
        storage::Tx& tx, const Notice& n, const std::string& update, Instant now
    );

    storage::Database& db_;
    crypto::Keyring& keys_;
    accounts::AccountService& accounts_;
    const Clock& clock_;
    NoticeOptions options_;
};

/// Maintenance mode as the request pipeline sees it: a snapshot reread from the database.
class MaintenanceState {
public:
    /// Rereads it. Errors: those of the store (the last state stays).
    Result<void> reload(storage::Database& db);
    bool on() const noexcept { return on_.load(std::memory_order_relaxed); }
    int retry_after_s() const noexcept { return retry_after_.load(std::memory_order_relaxed); }
    std::string message() const;

private:
    std::atomic<bool> on_{false};
    std::atomic<int> retry_after_{600};
    mutable std::mutex mu_;
    std::string message_;
};

}  // namespace yoyaku::notices

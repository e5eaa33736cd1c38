#pragma once
// The platform's `notices` (incidents and maintenance), `notice_tenants` (whom one reaches when
// not everyone) and `notice_updates` tables, outside any tenant scope.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/notices/notices.hpp"
#include "storage/database.hpp"

namespace yoyaku::notices {

/// A tenant a notice reaches, as its mail needs it.
struct Reached {
    TenantId id;
    std::string name;
    std::string locale;
    std::string time_zone;
};

class NoticeStore {
public:
    explicit NoticeStore(storage::Tx& tx) : tx_(tx) {}

    /// The newest 100, each with its tenants' codes and its updates.
    Result<std::vector<Notice>> list();
    /// Those a tenant sees now: for everyone or for it, unresolved or resolved after
    /// `resolved_after`, and (maintenance) not ended by `now`.
    Result<std::vector<Notice>> list_current(TenantId tenant, Instant resolved_after, Instant now);
    /// Those for everyone, unresolved or resolved after `resolved_after` (the status page).
    Result<std::vector<Notice>> list_public(Instant resolved_after);
    Result<std::optional<Notice>> find(NoticeId id);
    /// The live tenants the notice reaches.
    Result<std::vector<Reached>> list_reached(const Notice& n);
    /// A new notice for everyone (no tenants) or for `tenants`; its id.
    Result<NoticeId> insert(
        const NoticeInput& in,
        const std::string& title,
        const std::string& body,
        const std::vector<TenantId>& tenants,
        const std::string& emergency_reason,
        const std::string& created_by,
        Instant now
    );
    Result<void> insert_update(NoticeId id, const std::string& body, bool resolved, Instant at);
    Result<void> update_resolved(NoticeId id, Instant at);

private:
    Result<std::vector<Notice>> load(
        const std::string& where, const std::vector<storage::Value>& params
    );

    storage::Tx& tx_;
};

}  // namespace yoyaku::notices

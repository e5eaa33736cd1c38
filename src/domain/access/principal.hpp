#pragma once
// Who is making a request, as the authentication step found it. Handlers read it; only the
// pipeline sets it.

#include <cstdint>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/access/permissions.hpp"

namespace yoyaku::access {

struct Principal {
    Role role = Role::anonymous;
    TenantId tenant{0};           ///< 0 for operators and anonymous callers
    std::int64_t account_id = 0;  ///< 0 when anonymous
    std::string session_id;       ///< the session's public id (empty for tokens)
    Instant reauthenticated_at{};
    bool tenant_read_only = false;    ///< the tenant is suspended
    bool tenant_export_only = false;  ///< the tenant is terminated
    /// The role must use two-step sign-in and the account has not set it up yet: only its own
    /// session routes (where it enrols) are open.
    bool mfa_enrolment_required = false;
    bool signed_in() const noexcept { return role != Role::anonymous; }
};

}  // namespace yoyaku::access

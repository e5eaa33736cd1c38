#pragma once
// Who is making a request, as the authentication step found it. Handlers read it; only the
// pipeline sets it.

#include <cstdint>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/access/permissions.hpp"
#include "domain/access/staff_scope.hpp"

namespace yoyaku::access {

struct Principal {
    Role role = Role::anonymous;
    TenantId tenant{0};      ///< 0 for operators and anonymous callers
    AccountId account_id;    ///< invalid when anonymous
    std::string session_id;  ///< the session's public id (empty for tokens)
    Instant reauthenticated_at{};
    bool tenant_read_only = false;    ///< the tenant is suspended
    bool tenant_export_only = false;  ///< the tenant is terminated
    /// The role must use two-step sign-in and the account has not set it up yet: only its own
    /// session routes (where it enrols) are open.
    bool mfa_enrolment_required = false;
    /// Set when an API or kiosk token authenticated the request: its id, and the permissions
    /// it was given (bit i: Permission i). Such a caller may use only those.
    ApiTokenId token_id;
    std::uint32_t token_scopes = 0;
    /// Set when an operator acts inside a tenant under support access (then role is manager,
    /// tenant that tenant, account_id the operator's, and the tenant read-only).
    SupportGrantId support_grant_id;
    /// A staff member a manager limited to chosen resources and offerings: handlers show and
    /// act on only what it covers. Empty (no limit) for every other caller.
    StaffScope scope;
    bool signed_in() const noexcept { return role != Role::anonymous; }
    /// False for a token caller whose scopes lack `p` (public routes stay open).
    bool scope_allows(Permission p) const noexcept {
        return !token_id.valid() || p == Permission::public_ ||
               ((token_scopes >> static_cast<unsigned>(p)) & 1u) != 0;
    }
};

}  // namespace yoyaku::access

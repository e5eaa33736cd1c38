#pragma once
// The one role/permission matrix (SPEC S6). Every route declares a permission by name; the
// router refuses a route whose permission is missing or unknown (fail closed), and the
// authorisation step asks `allows(role, permission)`. Nothing else decides who may do what.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace yoyaku::access {

enum class Role : std::uint8_t { operator_, manager, staff, kiosk, customer, anonymous };

std::string_view to_string(Role r) noexcept;
std::optional<Role> parse_role(std::string_view s) noexcept;

/// When adding a permission, add it to the matrix in permissions.cpp; a test walks them all.
enum class Permission : std::uint8_t {
    public_,                  ///< "public": anyone, signed in or not
    session_self,             ///< "session.self": one's own session, password and sign-ins
    metrics_read,             ///< "metrics.read": Prometheus metrics (loopback or operator)
    platform_tenants_manage,  ///< "platform.tenants.manage": create, suspend, terminate tenants
    platform_blocks_manage,   ///< "platform.blocks.manage": address block and allow lists
    platform_notices_manage,  ///< "platform.notices.manage": incident and maintenance notices
    platform_health_read,     ///< "platform.health.read": platform status
    tenant_settings_manage,   ///< "tenant.settings.manage": settings and security policy
    tenant_staff_manage,      ///< "tenant.staff.manage": staff accounts and their rights
    tenant_audit_read,        ///< "tenant.audit.read": the tenant's audit log and its export
    tenant_tokens_manage,     ///< "tenant.tokens.manage": API and kiosk tokens
    tenant_setup_manage,      ///< "tenant.setup.manage": resources, offerings, policies
    tenant_bookings_read,     ///< "tenant.bookings.read": see bookings and calendars
    tenant_bookings_manage,   ///< "tenant.bookings.manage": approve, cancel, move, mark no-show
    tenant_checkin,           ///< "tenant.checkin": check customers in (kiosks, staff)
    tenant_export,            ///< "tenant.export": export all of the tenant's data
    tenant_customers_erase,   ///< "tenant.customers.erase": erase a customer on their request
    customer_self,            ///< "customer.self": a customer's own bookings, profile and data
};

std::span<const Permission> all_permissions() noexcept;
std::string_view to_string(Permission p) noexcept;
std::optional<Permission> parse_permission(std::string_view s) noexcept;

/// True when `role` holds `permission`. Operators hold no tenant permission: they reach a
/// tenant's data only through audited, time-boxed support access (which grants a role then).
bool allows(Role role, Permission permission) noexcept;

}  // namespace yoyaku::access

#include "domain/access/permissions.hpp"

#include <array>

namespace yoyaku::access {
namespace {

struct Row {
    Permission permission;
    std::string_view name;
    // operator, manager, staff, kiosk, customer, anonymous
    std::array<bool, 6> roles;
};

// The matrix: the ceiling for each role. A manager may narrow a staff member further to chosen
// resources and offerings (StaffScope, checked where bookings are listed and acted on).
constexpr std::array<Row, 18> kMatrix = {{
    {Permission::public_, "public", {true, true, true, true, true, true}},
    {Permission::session_self, "session.self", {true, true, true, false, true, false}},
    {Permission::metrics_read, "metrics.read", {true, false, false, false, false, false}},
    {Permission::platform_tenants_manage,
     "platform.tenants.manage",
     {true, false, false, false, false, false}},
    {Permission::platform_blocks_manage,
     "platform.blocks.manage",
     {true, false, false, false, false, false}},
    {Permission::platform_notices_manage,
     "platform.notices.manage",
     {true, false, false, false, false, false}},
    {Permission::platform_health_read,
     "platform.health.read",
     {true, false, false, false, false, false}},
    {Permission::tenant_settings_manage,
     "tenant.settings.manage",
     {false, true, false, false, false, false}},
    {Permission::tenant_staff_manage,
     "tenant.staff.manage",
     {false, true, false, false, false, false}},
    {Permission::tenant_audit_read, "tenant.audit.read", {false, true, false, false, false, false}},
    {Permission::tenant_tokens_manage,
     "tenant.tokens.manage",
     {false, true, false, false, false, false}},
    {Permission::tenant_setup_manage,
     "tenant.setup.manage",
     {false, true, false, false, false, false}},
    {Permission::tenant_bookings_read,
     "tenant.bookings.read",
     {false, true, true, false, false, false}},
    {Permission::tenant_bookings_manage,
     "tenant.bookings.manage",
     {false, true, true, false, false, false}},
    {Permission::tenant_checkin, "tenant.checkin", {false, true, true, true, false, false}},
    {Permission::tenant_export, "tenant.export", {false, true, false, false, false, false}},
    {Permission::tenant_customers_erase,
     "tenant.customers.erase",
     {false, true, false, false, false, false}},
    {Permission::customer_self, "customer.self", {false, false, false, false, true, false}},
}};

constexpr std::array<Permission, kMatrix.size()> kAll = [] {
    std::array<Permission, kMatrix.size()> a{};
    for (std::size_t i = 0; i < kMatrix.size(); ++i) a[i] = kMatrix[i].permission;
    return a;
}();

constexpr std::array<std::string_view, 6> kRoles = {
    "operator", "manager", "staff", "kiosk", "customer", "anonymous"};

const Row* row_of(Permission p) noexcept {
    for (const auto& r : kMatrix)
        if (r.permission == p) return &r;
    return nullptr;
}

}  // namespace

std::string_view to_string(Role r) noexcept {
    return kRoles[static_cast<std::size_t>(r)];
}

std::optional<Role> parse_role(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kRoles.size(); ++i)
        if (kRoles[i] == s) return static_cast<Role>(i);
    return std::nullopt;
}

std::span<const Permission> all_permissions() noexcept {
    return kAll;
}

std::string_view to_string(Permission p) noexcept {
    const Row* r = row_of(p);
    return r ? r->name : std::string_view{};
}

std::optional<Permission> parse_permission(std::string_view s) noexcept {
    for (const auto& r : kMatrix)
        if (r.name == s) return r.permission;
    return std::nullopt;
}

bool allows(Role role, Permission permission) noexcept {
    const Row* r = row_of(permission);
    return r && r->roles[static_cast<std::size_t>(role)];  // unknown: denied
}

}  // namespace yoyaku::access

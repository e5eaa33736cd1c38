#include "domain/access/permissions.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace yoyaku::access;

TEST(Permissions, EveryPermissionHasOneDistinctNameThatParsesBack) {
    std::set<std::string_view> names;
    for (auto p : all_permissions()) {
        auto name = to_string(p);
        ASSERT_FALSE(name.empty());
        EXPECT_TRUE(names.insert(name).second) << name;
        EXPECT_EQ(parse_permission(name), p);
    }
    // The enum's last value is in the matrix: a permission added without a row fails here.
    EXPECT_EQ(all_permissions().size(), static_cast<std::size_t>(Permission::customer_self) + 1);
    EXPECT_FALSE(parse_permission("tenant.everything"));
    EXPECT_FALSE(parse_permission(""));
}

TEST(Permissions, OperatorsHoldNoTenantDataPermission) {
    for (auto p : all_permissions()) {
        auto name = to_string(p);
        if (name.starts_with("tenant.") || name.starts_with("customer.")) {
            EXPECT_FALSE(allows(Role::operator_, p)) << name;
        }
        if (name.starts_with("platform.")) {
            EXPECT_TRUE(allows(Role::operator_, p)) << name;
        }
    }
}

TEST(Permissions, KiosksOnlyCheckIn) {
    for (auto p : all_permissions())
        EXPECT_EQ(
            allows(Role::kiosk, p), p == Permission::tenant_checkin || p == Permission::public_
        ) << to_string(p);
}

TEST(Permissions, StaffCannotManageStaffSettingsOrReadTheAuditLog) {
    EXPECT_TRUE(allows(Role::staff, Permission::tenant_bookings_manage));
    EXPECT_FALSE(allows(Role::staff, Permission::tenant_staff_manage));
    EXPECT_FALSE(allows(Role::staff, Permission::tenant_settings_manage));
    EXPECT_FALSE(allows(Role::staff, Permission::tenant_audit_read));
    EXPECT_TRUE(allows(Role::manager, Permission::tenant_audit_read));
    EXPECT_FALSE(allows(Role::staff, Permission::tenant_customers_erase));
    EXPECT_TRUE(allows(Role::manager, Permission::tenant_customers_erase));
}

TEST(Permissions, AnonymousAndCustomersGetOnlyTheirOwn) {
    for (auto p : all_permissions()) {
        EXPECT_EQ(allows(Role::anonymous, p), p == Permission::public_) << to_string(p);
        EXPECT_EQ(
            allows(Role::customer, p),
            p == Permission::public_ || p == Permission::customer_self ||
                p == Permission::session_self
        ) << to_string(p);
        // A kiosk has no session of its own to manage: it signs in with a device token.
        if (p == Permission::session_self) {
            EXPECT_FALSE(allows(Role::kiosk, p));
        }
    }
}

TEST(Roles, ParseBack) {
    for (auto r :
         {Role::operator_,
          Role::manager,
          Role::staff,
          Role::kiosk,
          Role::customer,
          Role::anonymous})
        EXPECT_EQ(parse_role(to_string(r)), r);
    EXPECT_FALSE(parse_role("root"));
}

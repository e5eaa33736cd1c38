#include "domain/tenants/tenant_store.hpp"

#include <gtest/gtest.h>

#include "domain/testing/slice_fixture.hpp"

using namespace yoyaku;

namespace {
class TenantStoreTest : public yoyaku::testing::SliceTest {};
}  // namespace

TEST_F(TenantStoreTest, ReadsTheScopedTenantsProfileOnly) {
    const TenantId beta = add_tenant("beta");
    auto profile = db().read(storage::TenantScope(beta), [](storage::ScopedTx& stx) {
        return tenants::TenantStore(stx).find_profile();
    });
    ASSERT_TRUE(profile) << profile.error().detail;
    EXPECT_EQ(profile->code, "beta");
    EXPECT_EQ(profile->name, "Tenant beta");
    EXPECT_EQ(profile->time_zone, "Asia/Tokyo");
    EXPECT_EQ(profile->locale, "ja");
    auto none = db().read(storage::TenantScope(TenantId{999}), [](storage::ScopedTx& stx) {
        return tenants::TenantStore(stx).find_profile();
    });
    EXPECT_EQ(none.error().code, Errc::not_found);
}

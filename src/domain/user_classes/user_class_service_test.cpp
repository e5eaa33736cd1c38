#include "domain/user_classes/user_class_service.hpp"

#include <gtest/gtest.h>

#include "domain/testing/slice_fixture.hpp"
#include "domain/user_classes/user_class_store.hpp"

using namespace yoyaku;
using namespace yoyaku::user_classes;

namespace {

class UserClassServiceTest : public yoyaku::testing::SliceTest {
protected:
    UserClassService service_{db(), clock_};
};

}  // namespace

TEST(UserClasses, CheckTrimsTheNameAndRefusesOutOfRangeFields) {
    auto ok = check({UserClassId{}, "  Residents ", 80, 60});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->name, "Residents");
    EXPECT_EQ(check({UserClassId{}, "", 80, {}}).error().field, "name");
    EXPECT_EQ(check({UserClassId{}, "A", -1, {}}).error().field, "price_percent");
    EXPECT_EQ(check({UserClassId{}, "A", 1001, {}}).error().field, "price_percent");
    EXPECT_EQ(check({UserClassId{}, "A", 100, -1}).error().field, "opens_before_minutes");
    EXPECT_EQ(check({UserClassId{}, "A", 100, 1051201}).error().field, "opens_before_minutes");
    EXPECT_TRUE(check({UserClassId{}, "A", 1000, 1051200}));
}

TEST(UserClasses, AClassOpensTheWindowEarlierOnlyWhenItOpensBeforeTheOfferingCloses) {
    EXPECT_EQ(apply_class(std::nullopt, 60).price_percent, 100);
    EXPECT_EQ(apply_class(std::nullopt, 60).opens_before_minutes, std::nullopt);
    const UserClass residents{UserClassId{1}, "Residents", 80, 10080};
    EXPECT_EQ(apply_class(residents, 60).price_percent, 80);
    EXPECT_EQ(apply_class(residents, 60).opens_before_minutes, 10080);
    // A class window that would open after the offering closes leaves the offering's.
    EXPECT_EQ(apply_class(residents, 20000).opens_before_minutes, std::nullopt);
    const UserClass no_window{UserClassId{2}, "Groups", 50, std::nullopt};
    EXPECT_EQ(apply_class(no_window, 0).opens_before_minutes, std::nullopt);
}

TEST(UserClasses, PricesRoundDownToTheYen) {
    EXPECT_EQ(priced(999, 80), 799);
    EXPECT_EQ(priced(1000, 0), 0);
    EXPECT_EQ(priced(1000, 250), 2500);
}

TEST_F(UserClassServiceTest, SavesListsReplacesAndAuditsClasses) {
    auto a = service_.save(tenant_, {UserClassId{}, "Residents", 80, 10080}, manager_, origin_);
    ASSERT_TRUE(a) << a.error().detail;
    EXPECT_TRUE(a->id.valid());
    auto b = service_.save(tenant_, {UserClassId{}, "Visitors", 120, {}}, manager_, origin_);
    ASSERT_TRUE(b);
    auto replaced = service_.save(tenant_, {a->id, "Residents", 70, {}}, manager_, origin_);
    ASSERT_TRUE(replaced);
    EXPECT_EQ(replaced->price_percent, 70);
    EXPECT_EQ(replaced->opens_before_minutes, std::nullopt);
    auto all = service_.list(tenant_);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ(all->front(), *replaced);
    EXPECT_EQ(all->back(), *b);
    EXPECT_EQ(
        audit_actions(tenant_),
        (std::vector<std::string>{"user_class.updated", "user_class.created", "user_class.created"})
    );
}

TEST_F(UserClassServiceTest, RefusesBadInputAndUnknownIdsWithoutStoringAnything) {
    EXPECT_EQ(
        service_.save(tenant_, {UserClassId{}, "", 80, {}}, manager_, origin_).error().field, "name"
    );
    EXPECT_EQ(
        service_.save(tenant_, {UserClassId{99}, "Ghost", 80, {}}, manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_EQ(
        service_.remove(tenant_, UserClassId{99}, manager_, origin_).error().code, Errc::not_found
    );
    EXPECT_TRUE(service_.list(tenant_)->empty());
    EXPECT_TRUE(audit_actions(tenant_).empty());
}

TEST_F(UserClassServiceTest, MembersKeepNoClassOnceItIsDeleted) {
    auto c = service_.save(tenant_, {UserClassId{}, "Residents", 80, {}}, manager_, origin_);
    ASSERT_TRUE(c);
    const AccountId one = add_customer(tenant_, 1), two = add_customer(tenant_, 2);
    ASSERT_TRUE(service_.assign(tenant_, one, c->id, manager_, origin_));
    ASSERT_TRUE(service_.assign(tenant_, two, c->id, manager_, origin_));
    ASSERT_TRUE(service_.assign(tenant_, two, std::nullopt, manager_, origin_));
    EXPECT_EQ(*service_.members(tenant_), (std::map<AccountId, UserClassId>{{one, c->id}}));
    auto found = db().read(storage::TenantScope(tenant_), [&](storage::ScopedTx& stx) {
        return UserClassStore(stx).find_by_account(one);
    });
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->price_percent, 80);

    ASSERT_TRUE(service_.remove(tenant_, c->id, manager_, origin_));
    EXPECT_TRUE(service_.members(tenant_)->empty());
    EXPECT_EQ(audit_actions(tenant_).front(), "user_class.deleted");
}

TEST_F(UserClassServiceTest, AssigningRefusesAnUnknownClassOrCustomerAndAnotherTenantsClass) {
    const TenantId beta = add_tenant("beta");
    auto theirs = service_.save(beta, {UserClassId{}, "Theirs", 10, {}}, manager_, origin_);
    ASSERT_TRUE(theirs);
    const AccountId one = add_customer(tenant_, 1);
    EXPECT_EQ(
        service_.assign(tenant_, one, theirs->id, manager_, origin_).error().field, "user_class_id"
    );
    EXPECT_EQ(
        service_.assign(tenant_, AccountId{999}, std::nullopt, manager_, origin_).error().code,
        Errc::not_found
    );
    EXPECT_TRUE(service_.members(tenant_)->empty());
}

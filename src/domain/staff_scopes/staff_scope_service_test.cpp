#include "domain/staff_scopes/staff_scope_service.hpp"

#include <gtest/gtest.h>

#include "domain/accounts/staff_scope_store.hpp"
#include "domain/offerings/offering_service.hpp"
#include "domain/resources/resources.hpp"
#include "domain/testing/slice_fixture.hpp"

using namespace yoyaku;
using access::StaffScope;
using staff_scopes::StaffScopeService;

namespace {

class StaffScopeServiceTest : public yoyaku::testing::SliceTest {
protected:
    ResourceId add_room(TenantId tenant) {
        resources::ResourceService resources(db(), clock_);
        resources::ResourceInput room;
        room.name = "Room";
        auto r = resources.create(tenant, room, manager_, origin_);
        if (!r) throw std::runtime_error("room: " + r.error().field);
        return ResourceId{r->id};
    }
    OfferingId add_event(TenantId tenant) {
        offerings::OfferingService offerings(db(), clock_);
        offerings::OfferingInput in;
        in.kind = offerings::OfferingKind::event;
        in.name = "Concert";
        in.ticket_types = {{"adult", "大人", 3000, 4}};
        auto o = offerings.create(tenant, in, manager_, origin_);
        if (!o) throw std::runtime_error("offering: " + o.error().field);
        return o->id;
    }

    StaffScopeService service_{db(), clock_};
};

}  // namespace

TEST_F(StaffScopeServiceTest, AManagerLimitsAStaffMemberAndLiftsTheLimitAgain) {
    const AccountId desk = add_account(tenant_, 1, "staff");
    const ResourceId room = add_room(tenant_);
    const OfferingId concert = add_event(tenant_);
    EXPECT_FALSE(service_.find(tenant_, desk)->limited());

    auto set = service_.set(tenant_, desk, StaffScope{{room, room}, {concert}}, manager_, origin_);
    ASSERT_TRUE(set) << set.error().field << " " << set.error().detail;
    EXPECT_EQ(*set, (StaffScope{{room}, {concert}}));
    EXPECT_EQ(*service_.find(tenant_, desk), *set);
    EXPECT_EQ(service_.list(tenant_)->at(desk), *set);
    // The same scope again changes nothing and is not audited again.
    ASSERT_TRUE(service_.set(tenant_, desk, *set, manager_, origin_));

    ASSERT_TRUE(service_.set(tenant_, desk, StaffScope{}, manager_, origin_));
    EXPECT_FALSE(service_.find(tenant_, desk)->limited());
    EXPECT_TRUE(service_.list(tenant_)->empty());
    EXPECT_EQ(
        audit_actions(tenant_),
        (std::vector<std::string>{
            "staff.scope_changed", "staff.scope_changed", "offering.created", "resource.created"})
    );
}

TEST_F(StaffScopeServiceTest, OnlyStaffMembersOfTheTenantAreLimitedToItsOwnThings) {
    const AccountId boss = add_account(tenant_, 1, "manager");
    const AccountId guest = add_customer(tenant_, 2);
    const AccountId desk = add_account(tenant_, 3, "staff");
    const TenantId other = add_tenant("beta");
    const AccountId theirs = add_account(other, 4, "staff");
    const ResourceId their_room = add_room(other);
    const OfferingId their_event = add_event(other);
    const ResourceId room = add_room(tenant_);

    for (const AccountId who : {boss, guest, theirs, AccountId{999}})
        EXPECT_EQ(
            service_.set(tenant_, who, StaffScope{{room}, {}}, manager_, origin_).error().code,
            Errc::not_found
        ) << who.value;
    EXPECT_EQ(
        service_.set(tenant_, desk, StaffScope{{room, their_room}, {}}, manager_, origin_)
            .error()
            .field,
        "resource_ids[1]"
    );
    EXPECT_EQ(
        service_.set(tenant_, desk, StaffScope{{room}, {their_event}}, manager_, origin_)
            .error()
            .field,
        "offering_ids[0]"
    );
    StaffScope many;
    for (int i = 0; i < 201; ++i) many.resources.push_back(room);
    EXPECT_EQ(service_.set(tenant_, desk, many, manager_, origin_).error().field, "resource_ids");
    // Nothing was stored by any refusal.
    EXPECT_TRUE(service_.list(tenant_)->empty());
}

TEST_F(StaffScopeServiceTest, DeletingTheAccountTakesItsScopeAlong) {
    const AccountId desk = add_account(tenant_, 1, "staff");
    const ResourceId room = add_room(tenant_);
    ASSERT_TRUE(service_.set(tenant_, desk, StaffScope{{room}, {}}, manager_, origin_));
    ASSERT_TRUE(db().write(storage::TenantScope(tenant_), [&](storage::ScopedTx& stx) {
        return stx.tx().exec("DELETE FROM accounts WHERE id = $1", desk);
    }));
    EXPECT_TRUE(service_.list(tenant_)->empty());
}

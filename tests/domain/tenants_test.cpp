// Tenants on both backends: validation, uniqueness, status changes and their audit entries.

#include "domain/tenants/tenants.hpp"

#include <gtest/gtest.h>

#include "support/test_database.hpp"

using namespace yoyaku;
using namespace yoyaku::storage;
using tenants::Status;
using yoyaku::testing::TestDatabase;

namespace {

const audit::Actor kOperator{"operator:1", "operator"};
const audit::Origin kOrigin{"127.0.0.1", "test-agent", "req-1"};

class Tenants : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        svc_ = std::make_unique<tenants::TenantService>(tdb_->db(), clock_);
    }
    std::int64_t tenant_count() {
        auto n = tdb_->db().read_platform([](Tx& tx) -> Result<std::int64_t> {
            auto r = tx.query_one("SELECT count(*) FROM tenants");
            if (!r) return fail(std::move(r).error());
            return r->i64(0);
        });
        return n ? *n : -1;
    }
    FakeClock clock_{from_micros(1'800'000'000'000'000)};
    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<tenants::TenantService> svc_;
};

std::string name_of(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(to_string(info.param));
}

}  // namespace

TEST_P(Tenants, CreatesWithDefaultsAndFindsByCode) {
    auto t = svc_->create({"shimin-hall", "  市民会館  ", "Asia/Tokyo", "ja"}, kOperator, kOrigin);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->name, "市民会館");
    EXPECT_EQ(t->status, Status::active);
    EXPECT_EQ(t->created_at, clock_.now());
    auto found = svc_->find_by_code("shimin-hall");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, t->id);
    EXPECT_EQ(svc_->find_by_code("nope").error().code, Errc::not_found);
}

TEST_P(Tenants, BadInputNamesTheFieldAndStoresNothing) {
    struct Case {
        tenants::NewTenant input;
        const char* field;
    } cases[] = {
        {{"A", "x", "Asia/Tokyo", "ja"}, "code"},
        {{"has space", "x", "Asia/Tokyo", "ja"}, "code"},
        {{"-dash", "x", "Asia/Tokyo", "ja"}, "code"},
        {{"api", "x", "Asia/Tokyo", "ja"}, "code"},
        {{"ok-code", "", "Asia/Tokyo", "ja"}, "name"},
        {{"ok-code", "bad\x01name", "Asia/Tokyo", "ja"}, "name"},
        {{"ok-code", std::string(201, 'n'), "Asia/Tokyo", "ja"}, "name"},
        {{"ok-code", "\xff", "Asia/Tokyo", "ja"}, "name"},
        {{"ok-code", "x", "Mars/Base", "ja"}, "time_zone"},
        {{"ok-code", "x", "Asia/Tokyo", "fr"}, "locale"},
    };
    for (const auto& c : cases) {
        auto r = svc_->create(c.input, kOperator, kOrigin);
        ASSERT_FALSE(r) << c.field;
        EXPECT_EQ(r.error().code, Errc::invalid_input);
        EXPECT_EQ(r.error().field, c.field);
    }
    EXPECT_EQ(tenant_count(), 0);
}

TEST_P(Tenants, ATakenCodeIsAConflictOnTheCodeField) {
    ASSERT_TRUE(svc_->create({"hall", "One", "Asia/Tokyo", "ja"}, kOperator, kOrigin));
    auto again = svc_->create({"hall", "Two", "Europe/Berlin", "en"}, kOperator, kOrigin);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::conflict);
    EXPECT_EQ(again.error().field, "code");
    EXPECT_EQ(tenant_count(), 1);
}

TEST_P(Tenants, StatusChangesAreAuditedWithTheReason) {
    auto t = svc_->create({"hall", "Hall", "Asia/Tokyo", "ja"}, kOperator, kOrigin);
    ASSERT_TRUE(t);
    auto s = svc_->change_status(t->id, Status::suspended, "unpaid invoice", kOperator, kOrigin);
    ASSERT_TRUE(s) << s.error().detail;
    EXPECT_EQ(s->status, Status::suspended);
    ASSERT_TRUE(svc_->change_status(t->id, Status::active, "paid", kOperator, kOrigin));
    ASSERT_TRUE(svc_->change_status(t->id, Status::terminated, "contract ended", kOperator, kOrigin)
    );
    auto after = svc_->change_status(t->id, Status::active, "oops", kOperator, kOrigin);
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, Errc::unprocessable);
    EXPECT_EQ(svc_->find_by_id(t->id)->status, Status::terminated);

    auto log =
        tdb_->db().read(TenantScope(t->id), [](ScopedTx& stx) { return audit::list(stx, {}); });
    ASSERT_TRUE(log);
    ASSERT_EQ(log->size(), 4u);
    EXPECT_EQ((*log)[0].event.action, "tenant.terminated");
    EXPECT_NE((*log)[0].event.details.find("contract ended"), std::string::npos);
    EXPECT_EQ((*log)[1].event.action, "tenant.reactivated");
    EXPECT_EQ((*log)[2].event.action, "tenant.suspended");
    EXPECT_EQ((*log)[3].event.action, "tenant.created");
}

TEST_P(Tenants, AStatusChangeNeedsAReason) {
    auto t = svc_->create({"hall", "Hall", "Asia/Tokyo", "ja"}, kOperator, kOrigin);
    ASSERT_TRUE(t);
    auto r = svc_->change_status(t->id, Status::suspended, "", kOperator, kOrigin);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "reason");
    EXPECT_EQ(svc_->find_by_id(t->id)->status, Status::active);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, Tenants, ::testing::Values(Backend::sqlite, Backend::postgres), name_of
);

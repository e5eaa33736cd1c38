// Resources on both backends: validation naming the field, hours, exceptions, national
// holidays and DST in the open periods availability stands on, audit entries, tenant walls.

#include "domain/resources/resources.hpp"

#include <gtest/gtest.h>

#include "domain/audit/audit.hpp"
#include "support/identity.hpp"

using namespace yoyaku;
using namespace yoyaku::resources;
using namespace std::chrono;
using yoyaku::testing::Identity;
using yoyaku::testing::TestDatabase;

namespace {

DayHours day_hours(std::initializer_list<std::pair<const char*, const char*>> list) {
    DayHours d;
    for (auto [a, b] : list) d.push_back({*parse_hhmm(a), *parse_hhmm(b)});
    return d;
}

Instant utc(const char* text) {
    return *parse_rfc3339(text);
}

class Resources : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(tdb_->db());
        svc_ = std::make_unique<ResourceService>(tdb_->db(), id_->clock);
        hall_ = id_->tenant("hall", "boss@hall.example");
    }
    ResourceInput room() {
        ResourceInput in;
        in.kind = Kind::room;
        in.name = "第1会議室";
        in.seats = 12;
        for (int d = 0; d < 5; ++d)
            in.hours[d] = day_hours({{"09:00", "12:00"}, {"13:00", "18:00"}});
        return in;
    }
    Result<Resource> make(TenantId t, const ResourceInput& in) {
        return svc_->create(t, in, id_->actor, id_->origin);
    }
    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<ResourceService> svc_;
    TenantId hall_{0};
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace

TEST_P(Resources, AreCreatedUpdatedArchivedAndAudited) {
    auto r = make(hall_, room());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->name, "第1会議室");
    EXPECT_EQ(r->hours[0], day_hours({{"09:00", "12:00"}, {"13:00", "18:00"}}));
    EXPECT_TRUE(r->hours[6].empty());
    auto in = room();
    in.buffer_after_minutes = 15;
    in.closed_on_holidays = true;
    auto changed = svc_->update(hall_, r->id, in, id_->actor, id_->origin);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->buffer_after, minutes(15));
    EXPECT_TRUE(changed->closed_on_holidays);
    ASSERT_TRUE(svc_->archive(hall_, r->id, id_->actor, id_->origin));
    EXPECT_TRUE(svc_->list(hall_, false)->empty());
    EXPECT_EQ(svc_->list(hall_, true)->size(), 1u);
    auto log = tdb_->db().read(storage::TenantScope(hall_), [](storage::ScopedTx& stx) {
        audit::Filter f;
        f.action_prefix = "resource.";
        return audit::list(stx, f);
    });
    ASSERT_TRUE(log);
    ASSERT_EQ(log->size(), 3u);
    EXPECT_EQ((*log)[0].event.action, "resource.archived");
    EXPECT_EQ((*log)[2].event.action, "resource.created");
}

TEST_P(Resources, RefusedInputNamesTheFieldAndStoresNothing) {
    auto field = [&](ResourceInput in) {
        auto r = make(hall_, in);
        return r ? std::string("stored") : r.error().field;
    };
    auto in = room();
    in.hours[1] = day_hours({{"09:00", "12:00"}, {"11:00", "13:00"}});
    EXPECT_EQ(field(in), "hours.tue");
    in = room();
    in.hours[4] = day_hours({{"18:00", "09:00"}});
    EXPECT_EQ(field(in), "hours.fri");
    in = room();
    in.name = "  ";
    EXPECT_EQ(field(in), "name");
    in = room();
    in.units = 3;
    EXPECT_EQ(field(in), "units") << "a room takes one booking at a time";
    in = room();
    in.buffer_before_minutes = 2000;
    EXPECT_EQ(field(in), "buffer_before_minutes");
    const auto customer = id_->account(hall_, access::Role::customer, "guest@hall.example");
    in = room();
    in.kind = Kind::staff;
    in.account_id = customer;
    EXPECT_EQ(field(in), "account_id") << "a customer is not a staff member";
    const auto other = id_->tenant("other", "boss@other.example");
    const auto their_staff = id_->account(other, access::Role::staff, "s@other.example");
    in.account_id = their_staff;
    EXPECT_EQ(field(in), "account_id") << "another tenant's staff member";
    EXPECT_TRUE(svc_->list(hall_, true)->empty());
}

TEST_P(Resources, OpenPeriodsFollowHoursExceptionsAndHolidays) {
    auto in = room();
    in.closed_on_holidays = true;
    in.hours[5] = day_hours({{"10:00", "16:00"}});  // Saturday
    auto r = make(hall_, in);
    ASSERT_TRUE(r);
    // 2026-09-21 (Mon) to 27 (Sun): the 21st–23rd are national holidays (Silver Week).
    ASSERT_TRUE(svc_->set_exception(
        hall_, r->id, {year{2026} / 9 / 24, {}, "点検"}, id_->actor, id_->origin
    ));
    ASSERT_TRUE(svc_->set_exception(
        hall_,
        r->id,
        {year{2026} / 9 / 26, day_hours({{"10:00", "12:00"}}), ""},
        id_->actor,
        id_->origin
    ));
    auto c = svc_->calendar(hall_, r->id, year{2026} / 9 / 21, year{2026} / 9 / 27);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->time_zone, "Asia/Tokyo");
    EXPECT_EQ(c->exceptions.size(), 2u);
    const auto* p = &c->open;
    ASSERT_EQ(p->size(), 3u);
    EXPECT_EQ((*p)[0].date, year{2026} / 9 / 25);
    EXPECT_EQ((*p)[0].start, utc("2026-09-25T00:00:00Z")) << "09:00 in Tokyo";
    EXPECT_EQ((*p)[1].end, utc("2026-09-25T09:00:00Z"));
    EXPECT_EQ((*p)[2].start, utc("2026-09-26T01:00:00Z"));
    EXPECT_EQ((*p)[2].end, utc("2026-09-26T03:00:00Z")) << "the exception's hours";
    // Holidays count only when the resource says so.
    in.closed_on_holidays = false;
    ASSERT_TRUE(svc_->update(hall_, r->id, in, id_->actor, id_->origin));
    EXPECT_EQ(
        svc_->calendar(hall_, r->id, year{2026} / 9 / 21, year{2026} / 9 / 21)->open.size(), 2u
    );
    // Removing an exception restores the week's hours.
    ASSERT_TRUE(svc_->remove_exception(hall_, r->id, year{2026} / 9 / 24, id_->actor, id_->origin));
    EXPECT_EQ(
        svc_->calendar(hall_, r->id, year{2026} / 9 / 24, year{2026} / 9 / 24)->open.size(), 2u
    );
    EXPECT_EQ(
        svc_->remove_exception(hall_, r->id, year{2026} / 9 / 24, id_->actor, id_->origin)
            .error()
            .code,
        Errc::not_found
    );
    auto week = svc_->calendar(hall_, r->id, std::nullopt, std::nullopt);
    ASSERT_TRUE(week);
    EXPECT_EQ(local_days{week->to} - local_days{week->from}, days{6});
    EXPECT_EQ(local_days{week->from}, floor<days>(to_local(id_->clock.now(), "Asia/Tokyo")));
    auto too_long = svc_->calendar(hall_, r->id, year{2026} / 9 / 1, year{2026} / 10 / 2);
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().field, "to");
    EXPECT_EQ(
        svc_->calendar(hall_, r->id, year{2026} / 9 / 2, year{2026} / 9 / 1).error().field, "to"
    );
}

TEST_P(Resources, OpenPeriodsAreRightAcrossDaylightSavingChanges) {
    auto ny = (*id_)->tenants.create(
        {"nyc", "NYC studio", "America/New_York", "en"}, id_->actor, id_->origin
    );
    ASSERT_TRUE(ny);
    auto in = room();
    for (auto& d : in.hours) d = day_hours({{"01:00", "04:00"}, {"09:00", "17:00"}});
    auto r = make(ny->id, in);
    ASSERT_TRUE(r);
    // Spring forward, 2026-03-08: 02:00–03:00 does not exist, so 01:00–04:00 lasts two hours.
    auto spring_c = svc_->calendar(ny->id, r->id, year{2026} / 3 / 8, year{2026} / 3 / 8);
    ASSERT_TRUE(spring_c);
    const auto* spring = &spring_c->open;
    ASSERT_EQ(spring->size(), 2u);
    EXPECT_EQ((*spring)[0].start, utc("2026-03-08T06:00:00Z"));
    EXPECT_EQ((*spring)[0].end, utc("2026-03-08T08:00:00Z"));
    EXPECT_EQ((*spring)[1].start, utc("2026-03-08T13:00:00Z")) << "09:00 EDT";
    // Fall back, 2026-11-01: 01:00–02:00 happens twice, so 01:00–04:00 lasts four hours.
    auto fall_c = svc_->calendar(ny->id, r->id, year{2026} / 11 / 1, year{2026} / 11 / 1);
    ASSERT_TRUE(fall_c);
    const auto* fall = &fall_c->open;
    EXPECT_EQ((*fall)[0].start, utc("2026-11-01T05:00:00Z"));
    EXPECT_EQ((*fall)[0].end, utc("2026-11-01T09:00:00Z"));
    EXPECT_EQ((*fall)[1].start, utc("2026-11-01T14:00:00Z")) << "09:00 EST";
}

TEST_P(Resources, AnotherTenantsResourceDoesNotExist) {
    auto r = make(hall_, room());
    ASSERT_TRUE(r);
    const auto other = id_->tenant("other", "boss@other.example");
    EXPECT_EQ(svc_->find(other, r->id).error().code, Errc::not_found);
    EXPECT_EQ(
        svc_->update(other, r->id, room(), id_->actor, id_->origin).error().code, Errc::not_found
    );
    EXPECT_EQ(
        svc_->set_exception(other, r->id, {year{2026} / 1 / 5, {}, ""}, id_->actor, id_->origin)
            .error()
            .code,
        Errc::not_found
    );
    EXPECT_TRUE(svc_->list(other, true)->empty());
    EXPECT_TRUE(svc_->find(hall_, r->id));
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Resources,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

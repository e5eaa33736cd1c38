// The resources API end to end on both backends: managers shape resources and their hours,
// staff read them, input errors name the field, exceptions change the calendar, holidays.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/api/api.hpp"
#include "support/http_client.hpp"
#include "support/identity.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

const std::string kJson = "Content-Type: application/json\r\n";

class ResourcesApi : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(tdb_->db());
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        server_ = id_->api_server(*ctx_);
        hall_ = id_->tenant("hall", "boss@hall.example");
        id_->account(hall_, access::Role::staff, "desk@hall.example");
        boss_ = sign_in("boss@hall.example");
        desk_ = sign_in("desk@hall.example");
    }
    std::string sign_in(const std::string& email) {
        return signed_in_headers(server_->port(), "hall", email);
    }
    HttpResult call(
        const std::string& method,
        const std::string& target,
        const std::string& who,
        const std::string& body = ""
    ) {
        return request(server_->port(), method, target, who + (body.empty() ? "" : kJson), body);
    }
    static std::string field(const HttpResult& r) {
        return std::string(boost::json::parse(r.body).at("field").as_string());
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    TenantId hall_{0};
    std::string boss_, desk_;
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

const std::string kRoom = R"({
  "kind": "room", "name": "大ホール", "seats": 300, "buffer_after_minutes": 30,
  "closed_on_holidays": true,
  "hours": {"mon": [{"opens": "09:00", "closes": "12:00"}, {"opens": "13:00", "closes": "21:00"}],
            "sat": [{"opens": "10:00", "closes": "17:00"}]}
})";

}  // namespace

TEST_P(ResourcesApi, ManagersShapeResourcesAndStaffReadThem) {
    auto made = call("POST", "/api/v1/resources", boss_, kRoom);
    ASSERT_EQ(made.status, 201) << made.body;
    const auto o = boost::json::parse(made.body).as_object();
    const auto id = std::to_string(o.at("id").as_int64());
    EXPECT_EQ(o.at("hours").at("mon").as_array().size(), 2u);
    EXPECT_EQ(o.at("hours").at("sat").at(0).at("closes").as_string(), "17:00");
    EXPECT_TRUE(o.at("hours").at("sun").as_array().empty());

    EXPECT_EQ(call("GET", "/api/v1/resources", desk_).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/resources/" + id, desk_).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/resources", desk_, kRoom).status, 403) << "staff only read";

    // PATCH changes what it names and keeps the rest.
    auto renamed = call("PATCH", "/api/v1/resources/" + id, boss_, R"({"name":"小ホール"})");
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    const auto p = boost::json::parse(renamed.body).as_object();
    EXPECT_EQ(p.at("name").as_string(), "小ホール");
    EXPECT_EQ(p.at("seats").as_int64(), 300);
    EXPECT_EQ(p.at("hours").at("mon").as_array().size(), 2u);

    EXPECT_EQ(call("DELETE", "/api/v1/resources/" + id, boss_).status, 204);
    auto active = call("GET", "/api/v1/resources", desk_);
    EXPECT_TRUE(boost::json::parse(active.body).at("items").as_array().empty());
    auto all = call("GET", "/api/v1/resources?archived=true", desk_);
    EXPECT_EQ(boost::json::parse(all.body).at("items").as_array().size(), 1u);
}

TEST_P(ResourcesApi, BadInputNamesTheFieldAndStoresNothing) {
    auto overlap = call(
        "POST",
        "/api/v1/resources",
        boss_,
        R"({"kind":"room","name":"A","hours":{"wed":[{"opens":"09:00","closes":"12:00"},{"opens":"11:00","closes":"13:00"}]}})"
    );
    EXPECT_EQ(overlap.status, 400);
    EXPECT_EQ(field(overlap), "hours.wed");
    auto bad_time = call(
        "POST",
        "/api/v1/resources",
        boss_,
        R"({"kind":"room","name":"A","hours":{"mon":[{"opens":"9:00","closes":"25:00"}]}})"
    );
    EXPECT_EQ(field(bad_time), "hours.mon");
    auto weekday = call(
        "POST", "/api/v1/resources", boss_, R"({"kind":"room","name":"A","hours":{"mond":[]}})"
    );
    EXPECT_EQ(field(weekday), "hours.mond");
    EXPECT_EQ(
        field(call("POST", "/api/v1/resources", boss_, R"({"kind":"boat","name":"A"})")), "kind"
    );
    EXPECT_EQ(field(call("POST", "/api/v1/resources", boss_, R"({"kind":"room"})")), "name");
    EXPECT_EQ(
        field(call("POST", "/api/v1/resources", boss_, R"({"kind":"room","name":"A","colour":1})")),
        "colour"
    );
    EXPECT_EQ(
        field(
            call("POST", "/api/v1/resources", boss_, R"({"kind":"room","name":"A","seats":"many"})")
        ),
        "seats"
    );
    auto list = call("GET", "/api/v1/resources?archived=true", boss_);
    EXPECT_TRUE(boost::json::parse(list.body).at("items").as_array().empty());
}

TEST_P(ResourcesApi, ExceptionsAndHolidaysShapeTheCalendar) {
    auto made = call("POST", "/api/v1/resources", boss_, kRoom);
    ASSERT_EQ(made.status, 201);
    const auto id = std::to_string(boost::json::parse(made.body).at("id").as_int64());
    const std::string base = "/api/v1/resources/" + id;
    // 2026-09-21 is a Monday and a national holiday; 28 is a plain Monday.
    auto cal = call("GET", base + "/calendar?from=2026-09-21&to=2026-09-28", desk_);
    ASSERT_EQ(cal.status, 200) << cal.body;
    auto open = boost::json::parse(cal.body).at("open").as_array();
    ASSERT_EQ(open.size(), 3u) << cal.body;  // Saturday 26th, Monday 28th (two intervals)
    EXPECT_EQ(open[0].at("date").as_string(), "2026-09-26");
    EXPECT_EQ(open[0].at("start").as_string(), "2026-09-26T01:00:00.000+00:00");
    EXPECT_EQ(open[1].at("start").as_string(), "2026-09-28T00:00:00.000+00:00");

    auto closed = call("PUT", base + "/exceptions/2026-09-28", boss_, R"({"note":"館内点検"})");
    ASSERT_EQ(closed.status, 200) << closed.body;
    auto evening = call(
        "PUT",
        base + "/exceptions/2026-09-27",
        boss_,
        R"({"hours":[{"opens":"18:00","closes":"21:00"}],"note":"特別開館"})"
    );
    ASSERT_EQ(evening.status, 200) << evening.body;
    cal = call("GET", base + "/calendar?from=2026-09-21&to=2026-09-28", desk_);
    const auto c = boost::json::parse(cal.body).as_object();
    open = c.at("open").as_array();
    ASSERT_EQ(open.size(), 2u) << cal.body;
    EXPECT_EQ(open[1].at("date").as_string(), "2026-09-27");
    EXPECT_EQ(open[1].at("start").as_string(), "2026-09-27T09:00:00.000+00:00");
    EXPECT_EQ(c.at("exceptions").as_array().size(), 2u);
    EXPECT_EQ(c.at("time_zone").as_string(), "Asia/Tokyo");
    EXPECT_EQ(call("DELETE", base + "/exceptions/2026-09-28", boss_).status, 204);
    EXPECT_EQ(call("DELETE", base + "/exceptions/2026-09-28", boss_).status, 404);
    EXPECT_EQ(call("PUT", base + "/exceptions/2026-02-30", boss_, "{}").status, 404);
    auto wide = call("GET", base + "/calendar?from=2026-09-01&to=2026-10-15", desk_);
    ASSERT_EQ(wide.status, 400) << wide.body;
    EXPECT_EQ(field(wide), "to");

    auto holidays = request(server_->port(), "GET", "/api/v1/holidays?year=2026");
    ASSERT_EQ(holidays.status, 200) << holidays.body;
    const auto items = boost::json::parse(holidays.body).at("items").as_array();
    EXPECT_EQ(items.size(), 18u);
    EXPECT_EQ(items[9].at("name_ja").as_string(), "振替休日");
    EXPECT_EQ(request(server_->port(), "GET", "/api/v1/holidays?year=1999").status, 400);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    ResourcesApi,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

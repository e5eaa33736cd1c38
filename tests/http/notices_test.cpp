// Incident and maintenance notices and maintenance mode (SPEC S16) on both backends: an
// operator's notice to one tenant reaches its manager's console and mailbox (a real SMTP
// server), not another tenant's; maintenance sooner than 7 days ahead needs the emergency flag
// and a reason (audited); updates form a timeline until resolved; the public status page shows
// notices to every tenant; maintenance mode answers 503 with Retry-After to all but operators.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/smtp.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/mail/mail.hpp"
#include "http/api/api.hpp"
#include "support/http_client.hpp"
#include "support/identity.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

const std::string kJson = "Content-Type: application/json\r\n";

class Notices : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(tdb_->db());
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        server_ = id_->api_server(*ctx_);
        hall_ = id_->tenant("hall", "boss@hall.example");
        id_->tenant("pool", "boss@pool.example");
        auto op = (*id_)->accounts.create(
            accounts::kPlatform,
            {access::Role::operator_, "ops@platform.example", "Ops", std::string(kPassword)},
            id_->actor,
            id_->origin
        );
        ASSERT_TRUE(op);
        ops_ = signed_in_headers(server_->port(), "", "ops@platform.example");
        hall_boss_ = signed_in_headers(server_->port(), "hall", "boss@hall.example");
        pool_boss_ = signed_in_headers(server_->port(), "pool", "boss@pool.example");
    }
    HttpResult call(
        const std::string& method,
        const std::string& target,
        const std::string& who,
        const std::string& body = ""
    ) {
        return request(server_->port(), method, target, who + (body.empty() ? "" : kJson), body);
    }
    std::string at(std::chrono::hours from_now) {
        return format_rfc3339(id_->clock.now() + from_now, "UTC");
    }
    static std::string field(const HttpResult& r) {
        return std::string(boost::json::parse(r.body).at("field").as_string());
    }
    static std::size_t count(const HttpResult& r) {
        return boost::json::parse(r.body).at("items").as_array().size();
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    TenantId hall_{0};
    std::string ops_, hall_boss_, pool_boss_;
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace

TEST_P(Notices, AnIncidentReachesItsTenantsConsoleAndMailboxUntilResolved) {
    if (!smtp_sink_available()) {
        if (in_ci()) FAIL() << "python3-aiosmtpd is required";
        GTEST_SKIP() << "python3-aiosmtpd missing (scripts/deps.sh)";
    }
    SmtpSink sink;
    app::SmtpOptions smtp;
    smtp.url = sink.url();
    smtp.from = "no-reply@platform.example";
    smtp.ca_file = sink.ca_file();
    app::SmtpSender sender(smtp);
    jobs::Worker mailer(tdb_->db(), *(*id_)->keyring, id_->clock);
    mailer.handle("mail", mail::sending_handler(sender));

    // Managers cannot post; bad input names its field.
    EXPECT_EQ(call("POST", "/api/v1/notices", hall_boss_, "{}").status, 403);
    auto bad = call(
        "POST",
        "/api/v1/notices",
        ops_,
        R"({"kind":"incident","severity":"dire","title":"x","starts_at":")" + at(0h) + "\"}"
    );
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(field(bad), "severity");
    bad = call(
        "POST",
        "/api/v1/notices",
        ops_,
        R"({"kind":"incident","severity":"major","title":"x","starts_at":")" + at(0h) +
            R"(","tenants":["nosuch"]})"
    );
    EXPECT_EQ(field(bad), "tenants");

    auto posted = call(
        "POST",
        "/api/v1/notices",
        ops_,
        R"({"kind":"incident","severity":"major","title":"予約画面の遅延","body":"調査中です。","starts_at":")" +
            at(0h) + R"(","tenants":["hall"]})"
    );
    ASSERT_EQ(posted.status, 201) << posted.body;
    const auto id = std::to_string(boost::json::parse(posted.body).at("id").as_int64());
    auto mine = call("GET", "/api/v1/current-notices", hall_boss_);
    ASSERT_EQ(mine.status, 200) << mine.body;
    ASSERT_EQ(count(mine), 1u);
    EXPECT_NE(mine.body.find("予約画面の遅延"), std::string::npos);
    EXPECT_EQ(count(call("GET", "/api/v1/current-notices", pool_boss_)), 0u) << "not pool's";
    EXPECT_EQ(count(call("GET", "/api/v1/public/status", "")), 0u) << "not everyone's";

    // The manager's mail, in the tenant's language.
    auto sent = mailer.run_once();
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->done, 1);
    auto got = sink.wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(mail_header(got[0], "To").find("boss@hall.example"), std::string::npos);
    EXPECT_NE(
        decode_header_word(mail_header(got[0], "Subject")).find("予約画面の遅延"), std::string::npos
    );
    EXPECT_NE(mail_text(got[0]).find("調査中です。"), std::string::npos);

    // A timeline: an update, then resolved; resolved notices leave the console after a day.
    auto upd = call(
        "POST",
        "/api/v1/notices/" + id + "/updates",
        ops_,
        R"({"body":"復旧しました。","resolved":true})"
    );
    ASSERT_EQ(upd.status, 200) << upd.body;
    const auto n = boost::json::parse(upd.body).as_object();
    EXPECT_FALSE(n.at("resolved_at").is_null());
    ASSERT_EQ(n.at("updates").as_array().size(), 1u);
    EXPECT_EQ(
        call("POST", "/api/v1/notices/" + id + "/updates", ops_, R"({"body":"again"})").status, 409
    );
    ASSERT_TRUE(mailer.run_once());
    got = sink.wait_for(2, 10s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_NE(mail_text(got[1]).find("復旧しました。"), std::string::npos);
    EXPECT_EQ(count(call("GET", "/api/v1/current-notices", hall_boss_)), 1u);
    id_->clock.advance(25h);
    hall_boss_ = signed_in_headers(server_->port(), "hall", "boss@hall.example");
    EXPECT_EQ(count(call("GET", "/api/v1/current-notices", hall_boss_)), 0u);
}

TEST_P(Notices, MaintenanceSoonerThanSevenDaysNeedsAnEmergencyReason) {
    const std::string window = R"(","ends_at":")" + at(74h) + "\"";
    auto soon = call(
        "POST",
        "/api/v1/notices",
        ops_,
        R"({"kind":"maintenance","severity":"minor","title":"DB upgrade","starts_at":")" + at(72h) +
            window + "}"
    );
    ASSERT_EQ(soon.status, 400) << soon.body;
    EXPECT_EQ(field(soon), "emergency_reason");
    auto emergency = call(
        "POST",
        "/api/v1/notices",
        ops_,
        R"({"kind":"maintenance","severity":"minor","title":"DB upgrade","starts_at":")" + at(72h) +
            window + R"(,"emergency_reason":"security fix from the vendor"})"
    );
    ASSERT_EQ(emergency.status, 201) << emergency.body;
    auto later = call(
        "POST",
        "/api/v1/notices",
        ops_,
        R"({"kind":"maintenance","severity":"info","title":"Yearly check","starts_at":")" +
            at(24h * 8) + R"(","ends_at":")" + at(24h * 8 + 2h) + "\"}"
    );
    ASSERT_EQ(later.status, 201) << later.body;
    // Both reach every tenant: consoles and the public status page.
    EXPECT_EQ(count(call("GET", "/api/v1/current-notices", pool_boss_)), 2u);
    auto status = call("GET", "/api/v1/public/status", "");
    ASSERT_EQ(status.status, 200);
    EXPECT_EQ(count(status), 2u);
    EXPECT_EQ(boost::json::parse(status.body).at("state").as_string(), "operational");
    // The emergency and its reason are in the platform's audit log.
    auto audit = tdb_->db().read_platform([](storage::Tx& tx) {
        return tx.query("SELECT details FROM audit_log WHERE chain = 0 AND action = 'notice.posted'"
        );
    });
    ASSERT_TRUE(audit);
    ASSERT_EQ(audit->size(), 2u);
    EXPECT_NE((*audit)[0].text(0).find("security fix from the vendor"), std::string::npos);
}

TEST_P(Notices, MaintenanceModeAnswers503ToAllButOperators) {
    EXPECT_EQ(call("PUT", "/api/v1/maintenance", hall_boss_, R"({"on":true})").status, 403);
    auto bad = call("PUT", "/api/v1/maintenance", ops_, R"({"on":true,"retry_after_s":5})");
    EXPECT_EQ(field(bad), "retry_after_s");
    auto on = call(
        "PUT",
        "/api/v1/maintenance",
        ops_,
        R"({"on":true,"retry_after_s":900,"message":"DB upgrade"})"
    );
    ASSERT_EQ(on.status, 200) << on.body;
    auto refused = call("GET", "/api/v1/offerings", hall_boss_);
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.header("retry-after"), "900");
    EXPECT_NE(refused.body.find("DB upgrade"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/v1/public/hall/offerings", "").status, 503);
    EXPECT_EQ(call("GET", "/api/v1/sessions", hall_boss_).status, 503) << "only signing in and out";
    EXPECT_EQ(call("GET", "/api/v1/tenants", ops_).status, 200) << "operators keep working";
    // Operators can still sign in; the status page says why.
    EXPECT_NO_THROW(signed_in_headers(server_->port(), "", "ops@platform.example"));
    auto status = call("GET", "/api/v1/public/status", "");
    ASSERT_EQ(status.status, 200);
    EXPECT_EQ(boost::json::parse(status.body).at("state").as_string(), "maintenance");
    ASSERT_EQ(call("PUT", "/api/v1/maintenance", ops_, R"({"on":false})").status, 200);
    EXPECT_EQ(call("GET", "/api/v1/offerings", hall_boss_).status, 200);
    // Another node learns it on its next reload (every few seconds in serve).
    notices::MaintenanceState other;
    ASSERT_TRUE(other.reload(tdb_->db()));
    EXPECT_FALSE(other.on());
    ASSERT_EQ(call("PUT", "/api/v1/maintenance", ops_, R"({"on":true})").status, 200);
    ASSERT_TRUE(other.reload(tdb_->db()));
    EXPECT_TRUE(other.on());
    EXPECT_EQ(other.retry_after_s(), 600);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Notices,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

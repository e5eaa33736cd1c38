// Two-step sign-in (SPEC S2) on both backends: enrolment, codes used once, recovery codes,
// lockout, who must use it, and the console closed until a manager has enrolled.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/totp.hpp"
#include "http/api/api.hpp"
#include "support/http_client.hpp"
#include "support/identity.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::storage;
using namespace std::chrono_literals;
using access::Role;
using yoyaku::testing::Identity;
using yoyaku::testing::kPassword;
using yoyaku::testing::TestDatabase;

namespace {

class Mfa : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(
            tdb_->db(), accounts::DefenceOptions{}, accounts::AuthOptions{}
        );
        tenant_ = id_->tenant("hall", "manager@hall.example");
    }
    app::Services& s() { return **id_; }
    Result<accounts::SignedIn> login(const std::string& email = "manager@hall.example") {
        return s().auth.login({tenant_, email, kPassword, id_->origin, ""});
    }
    // Enrols TOTP for the signed-in manager; returns the raw secret.
    std::string enrol(const accounts::SignedIn& in, std::vector<std::string>* codes = nullptr) {
        auto e = s().auth.begin_totp(in.principal, "Yoyaku (hall)");
        EXPECT_TRUE(e) << e.error().message;
        EXPECT_TRUE(e->otpauth_uri.starts_with("otpauth://totp/Yoyaku%20%28hall%29:manager@"));
        EXPECT_TRUE(e->qr_svg.starts_with("<svg"));
        auto secret = *crypto::from_base32(e->secret);
        auto wrong = s().auth.confirm_totp(in.principal, "000000", id_->origin);
        EXPECT_FALSE(wrong);
        auto ok = s().auth.confirm_totp(
            in.principal, crypto::totp_code(secret, id_->clock.now()), id_->origin
        );
        EXPECT_TRUE(ok) << ok.error().message;
        if (codes) *codes = *ok;
        return secret;
    }
    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    TenantId tenant_;
};

std::string name_of(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(to_string(info.param));
}

}  // namespace

TEST_P(Mfa, ManagersMustEnrolAndThenSignInWithACodeUsedOnce) {
    auto first = login();
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->mfa_token.empty());
    EXPECT_TRUE(first->principal.mfa_enrolment_required);
    EXPECT_TRUE(s().auth.authenticate(first->token)->mfa_enrolment_required);
    auto other = login();
    std::vector<std::string> codes;
    const auto secret = enrol(*first, &codes);
    EXPECT_EQ(codes.size(), 10u);
    EXPECT_FALSE(s().auth.authenticate(first->token)->mfa_enrolment_required);
    EXPECT_FALSE(s().auth.authenticate(other->token)) << "password-only sessions end";

    id_->clock.advance(30s);
    auto pending = login();
    ASSERT_TRUE(pending);
    EXPECT_FALSE(pending->mfa_token.empty());
    EXPECT_TRUE(pending->token.empty()) << "no session before the code";
    const std::string code = crypto::totp_code(secret, id_->clock.now());
    auto in = s().auth.complete_mfa(pending->mfa_token, code, id_->origin);
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_FALSE(in->token.empty());
    EXPECT_TRUE(s().auth.authenticate(in->token));
    // The same code again, on a fresh challenge: refused.
    auto replay = s().auth.complete_mfa(login()->mfa_token, code, id_->origin);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, Errc::unauthenticated);
    // The challenge itself is single-use too.
    EXPECT_FALSE(s().auth.complete_mfa(pending->mfa_token, code, id_->origin));
    id_->clock.advance(30s);
    EXPECT_TRUE(s().auth.complete_mfa(
        login()->mfa_token, crypto::totp_code(secret, id_->clock.now()), id_->origin
    ));
    // A challenge expires after 5 minutes.
    auto stale = login();
    id_->clock.advance(6min);
    EXPECT_FALSE(s().auth.complete_mfa(
        stale->mfa_token, crypto::totp_code(secret, id_->clock.now()), id_->origin
    ));
}

TEST_P(Mfa, RecoveryCodesWorkOnceAndWrongCodesLockTheAccount) {
    auto first = login();
    std::vector<std::string> codes;
    enrol(*first, &codes);
    auto a = s().auth.complete_mfa(login()->mfa_token, codes[0], id_->origin);
    ASSERT_TRUE(a) << a.error().message;
    std::string upper = codes[1];
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(s().auth.complete_mfa(login()->mfa_token, upper, id_->origin));
    EXPECT_FALSE(s().auth.complete_mfa(login()->mfa_token, codes[0], id_->origin));
    // Four more wrong codes reach the lockout threshold of five.
    for (int i = 0; i < 4; ++i) {
        auto challenge = login();
        ASSERT_TRUE(challenge);
        EXPECT_FALSE(s().auth.complete_mfa(challenge->mfa_token, "123456", id_->origin));
    }
    EXPECT_FALSE(login()) << "locked";
    auto all =
        tdb_->db().read(TenantScope(tenant_), [](ScopedTx& tx) { return audit::list(tx, {}); });
    bool locked = false, enabled = false;
    for (const auto& e : *all) {
        locked = locked || e.event.action == "account.locked";
        enabled = enabled || e.event.action == "account.mfa_enabled";
    }
    EXPECT_TRUE(locked);
    EXPECT_TRUE(enabled);
}

TEST_P(Mfa, StaffNeedItOnlyWhenTheTenantSaysSo) {
    id_->account(tenant_, Role::staff, "desk@hall.example");
    auto in = login("desk@hall.example");
    ASSERT_TRUE(in);
    EXPECT_FALSE(in->principal.mfa_enrolment_required);
    ASSERT_TRUE(tdb_->db().write(TenantScope(tenant_), [&](ScopedTx& tx) {
        return accounts::store_policy_setting(
            tx.tx(), tenant_, "mfa.staff_required", 1, id_->clock.now()
        );
    }));
    EXPECT_TRUE(s().auth.authenticate(in->token)->mfa_enrolment_required);
    // A manager may not turn its own factor off; staff may, when not required.
    auto boss = login();
    enrol(*boss);
    auto refused = s().auth.disable_totp(*s().auth.authenticate(boss->token), id_->origin);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::unprocessable);
}

TEST_P(Mfa, TheConsoleStaysClosedUntilTheManagerEnrols) {
    auto ctx = id_->api();
    auto server = id_->api_server(ctx);
    auto paid = [&](const std::string& b) { return yoyaku::testing::pay(server->port(), b); };
    const std::string json = "Content-Type: application/json\r\n";
    const std::string sign_in = R"({"tenant":"hall","email":"manager@hall.example","password":")" +
                                std::string(kPassword) + "\"}";
    auto r =
        yoyaku::testing::request(server->port(), "POST", "/api/v1/session", json, paid(sign_in));
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = boost::json::parse(r.body);
    EXPECT_TRUE(body.at("mfa_enrolment_required").as_bool());
    const std::string cookie = r.header("set-cookie").substr(0, r.header("set-cookie").find(';'));
    const std::string auth = "Cookie: " + cookie +
                             "\r\nX-CSRF-Token: " + std::string(body.at("csrf_token").as_string()) +
                             "\r\n";
    auto closed = yoyaku::testing::request(server->port(), "GET", "/api/v1/staff", auth);
    EXPECT_EQ(closed.status, 403);
    EXPECT_EQ(boost::json::parse(closed.body).at("field").as_string(), "mfa");
    auto start =
        yoyaku::testing::request(server->port(), "POST", "/api/v1/session/totp", auth + json, "{}");
    ASSERT_EQ(start.status, 200) << start.body;
    const auto secret =
        *crypto::from_base32(std::string(boost::json::parse(start.body).at("secret").as_string()));
    auto confirm = yoyaku::testing::request(
        server->port(),
        "POST",
        "/api/v1/session/totp/confirm",
        auth + json,
        R"({"code":")" + crypto::totp_code(secret, id_->clock.now()) + "\"}"
    );
    ASSERT_EQ(confirm.status, 200) << confirm.body;
    EXPECT_EQ(boost::json::parse(confirm.body).at("recovery_codes").as_array().size(), 10u);
    EXPECT_EQ(yoyaku::testing::request(server->port(), "GET", "/api/v1/staff", auth).status, 200);
    // Next sign-in: two steps.
    id_->clock.advance(30s);
    auto step1 =
        yoyaku::testing::request(server->port(), "POST", "/api/v1/session", json, paid(sign_in));
    ASSERT_EQ(step1.status, 200);
    EXPECT_TRUE(step1.header("set-cookie").empty());
    const std::string token(boost::json::parse(step1.body).at("mfa_token").as_string());
    auto step2 = yoyaku::testing::request(
        server->port(),
        "POST",
        "/api/v1/session/mfa",
        json,
        R"({"mfa_token":")" + token + R"(","code":")" +
            crypto::totp_code(secret, id_->clock.now()) + "\"}"
    );
    ASSERT_EQ(step2.status, 201) << step2.body;
    EXPECT_TRUE(step2.header("set-cookie").starts_with("__Host-yoyaku_session="));
}

INSTANTIATE_TEST_SUITE_P(
    Backends, Mfa, ::testing::Values(Backend::sqlite, Backend::postgres), name_of
);

// A lost phone: another manager resets the factor; the owner's sessions end, the owner is
// mailed, and the next sign-in asks to enrol again. Nobody resets their own.
TEST_P(Mfa, AnotherManagerResetsALostFactor) {
    auto first = login();
    ASSERT_TRUE(first);
    enrol(*first);
    id_->account(tenant_, access::Role::manager, "deputy@hall.example");
    auto deputy = login("deputy@hall.example");
    ASSERT_TRUE(deputy);
    auto self = s().auth.reset_totp(first->principal, first->principal.account_id, id_->origin);
    ASSERT_FALSE(self);
    EXPECT_EQ(self.error().code, Errc::unprocessable);
    const yoyaku::testing::Identity::Outbox outbox{tdb_->db()};
    const auto before = outbox.count("account.security_alert");
    ASSERT_TRUE(s().auth.reset_totp(deputy->principal, first->principal.account_id, id_->origin));
    EXPECT_FALSE(s().auth.authenticate(first->token)) << "its sessions ended";
    EXPECT_EQ(outbox.count("account.security_alert"), before + 1) << "the owner is mailed";
    id_->clock.advance(30s);
    auto again = login();
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->mfa_token.empty()) << "no code asked: the factor is gone";
    EXPECT_TRUE(again->principal.mfa_enrolment_required);
    EXPECT_FALSE(s().auth.reset_totp(deputy->principal, AccountId(999999), id_->origin));
}

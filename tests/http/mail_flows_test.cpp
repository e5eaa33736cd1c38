// Mail-based flows end to end on both backends, through the JSON API, the outbox, the relay and
// a real SMTP server: customer sign-up with a confirmation link, password reset, and security
// alerts; the same answer whether or not an address has an account (SPEC S1–S3, S12).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/smtp.hpp"
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

// The token of the first "#token=" link in a mail's text.
std::string link_token(const std::string& raw) {
    const auto text = mail_text(raw);
    const auto at = text.find("#token=");
    if (at == std::string::npos) return {};
    const auto end = text.find_first_of(" \r\n", at);
    return text.substr(at + 7, end == std::string::npos ? end : end - at - 7);
}

class MailFlows : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        if (!smtp_sink_available()) {
            if (in_ci()) FAIL() << "python3-aiosmtpd is required";
            GTEST_SKIP() << "python3-aiosmtpd is not installed";
        }
        id_ = std::make_unique<Identity>(tdb_->db());
        auto& s = **id_;
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        http::PipelineOptions po;
        po.trusted_proxies = {*net::parse_cidr("127.0.0.1")};
        server_ = id_->api_server(*ctx_, po);
        sink_ = std::make_unique<SmtpSink>();
        app::SmtpOptions o;
        o.url = sink_->url();
        o.from = "no-reply@hall.example";
        o.from_name = "Yoyaku";
        o.ca_file = sink_->ca_file();
        sender_ = std::make_unique<app::SmtpSender>(o);
        relay_ = std::make_unique<jobs::Worker>(tdb_->db(), *s.keyring, id_->clock);
        relay_->handle("mail", mail::sending_handler(*sender_));
        hall_ = id_->tenant("hall", "boss@hall.example");
    }

    HttpResult post(const std::string& path, const std::string& body, const std::string& h = "") {
        return request(server_->port(), "POST", path, kJson + h, body);
    }
    std::string paid(const std::string& body) { return pay(server_->port(), body); }
    // Sends what the outbox holds and returns every mail received so far.
    std::vector<std::string> deliver(std::size_t expected) {
        auto run = relay_->run_once();
        EXPECT_TRUE(run) << run.error().message;
        return sink_->wait_for(expected, 10s);
    }
    HttpResult sign_in(const std::string& email, const std::string& password) {
        return post(
            "/api/v1/session",
            paid(R"({"tenant":"hall","email":")" + email + R"(","password":")" + password + "\"}")
        );
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<SmtpSink> sink_;
    std::unique_ptr<app::SmtpSender> sender_;
    std::unique_ptr<jobs::Worker> relay_;
    TenantId hall_{0};
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace

TEST_P(MailFlows, ACustomerSignsUpConfirmsTheAddressAndSignsIn) {
    const std::string body =
        R"({"tenant":"hall","email":"Hanako@Example.JP","name":"山田 花子","password":")" +
        std::string(kPassword) + "\"}";
    EXPECT_EQ(post("/api/v1/sign-up", body).status, 400) << "a proof of work is needed";
    auto r = post("/api/v1/sign-up", paid(body));
    ASSERT_EQ(r.status, 202) << r.body;
    auto mails = deliver(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mail_header(mails[0], "To"), "<hanako@example.jp>");
    EXPECT_EQ(
        decode_header_word(mail_header(mails[0], "Subject")), "【hall hall】メールアドレスの確認"
    );
    EXPECT_NE(mail_text(mails[0]).find("山田 花子 様"), std::string::npos);
    const auto token = link_token(mails[0]);
    ASSERT_FALSE(token.empty());

    // Not before the address is confirmed (said only with the right password).
    auto early = sign_in("hanako@example.jp", kPassword);
    EXPECT_EQ(early.status, 403);
    EXPECT_EQ(boost::json::parse(early.body).at("field").as_string(), "email");
    EXPECT_EQ(sign_in("hanako@example.jp", "Wrong-Password-1").status, 401);

    auto verified = post("/api/v1/email/verify", R"({"token":")" + token + "\"}");
    ASSERT_EQ(verified.status, 200) << verified.body;
    EXPECT_EQ(post("/api/v1/email/verify", R"({"token":")" + token + "\"}").status, 400)
        << "a link works once";
    auto in = sign_in("hanako@example.jp", kPassword);
    EXPECT_EQ(in.status, 201) << in.body;
    EXPECT_NE(in.body.find(R"("role":"customer")"), std::string::npos);

    // Signing up again with the same address answers the same, and mails the owner instead.
    auto again = post("/api/v1/sign-up", paid(body));
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(again.body, r.body);
    mails = deliver(2);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_NE(mail_text(mails[1]).find("すでにあります"), std::string::npos);
    EXPECT_TRUE(link_token(mails[1]).empty()) << "no link that could take the account";

    // Bad input names the field and stores nothing.
    auto weak = post(
        "/api/v1/sign-up",
        paid(R"({"tenant":"hall","email":"jiro@example.jp","name":"Jiro","password":"short"})")
    );
    EXPECT_EQ(weak.status, 400);
    EXPECT_EQ(boost::json::parse(weak.body).at("field").as_string(), "password");
    EXPECT_EQ(deliver(2).size(), 2u);
}

// A member's mail follows their own language, chosen at sign-up and changed on their page,
// whatever the tenant's; the links open the tenant's own pages.
TEST_P(MailFlows, AMembersMailIsInTheirOwnLanguage) {
    const std::string body =
        R"({"tenant":"hall","email":"ann@example.jp","name":"Ann","locale":"en","password":")" +
        std::string(kPassword) + "\"}";
    auto bad = post(
        "/api/v1/sign-up",
        paid(
            R"({"tenant":"hall","email":"ann@example.jp","name":"Ann","locale":"fr","password":")" +
            std::string(kPassword) + "\"}"
        )
    );
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "locale");
    ASSERT_EQ(post("/api/v1/sign-up", paid(body)).status, 202);
    auto mails = deliver(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(
        decode_header_word(mail_header(mails[0], "Subject")),
        "[hall hall] Confirm your email address"
    );
    EXPECT_NE(mail_text(mails[0]).find("/t/hall/verify#token="), std::string::npos);
    ASSERT_EQ(
        post("/api/v1/email/verify", R"({"token":")" + link_token(mails[0]) + "\"}").status, 200
    );
    auto in = sign_in("ann@example.jp", kPassword);
    ASSERT_EQ(in.status, 201);
    const std::string member =
        "Cookie: " + in.header("set-cookie").substr(0, in.header("set-cookie").find(';')) +
        "\r\nX-CSRF-Token: " +
        std::string(boost::json::parse(in.body).at("csrf_token").as_string()) + "\r\n";
    auto me = request(server_->port(), "GET", "/api/v1/session", member);
    EXPECT_EQ(boost::json::parse(me.body).at("account").at("locale").as_string(), "en");

    // She switches to Japanese: the reset mail comes in Japanese, its link to the tenant's page.
    auto odd =
        request(server_->port(), "PATCH", "/api/v1/me", kJson + member, R"({"locale":"fr"})");
    EXPECT_EQ(odd.status, 400);
    auto ja = request(server_->port(), "PATCH", "/api/v1/me", kJson + member, R"({"locale":"ja"})");
    ASSERT_EQ(ja.status, 200) << ja.body;
    EXPECT_EQ(boost::json::parse(ja.body).at("name").as_string(), "Ann") << "the name stays";
    ASSERT_EQ(
        post("/api/v1/password/reset", paid(R"({"tenant":"hall","email":"ann@example.jp"})"))
            .status,
        202
    );
    mails = deliver(2);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(
        decode_header_word(mail_header(mails[1], "Subject")),
        "【hall hall】パスワード再設定のご案内"
    );
    EXPECT_NE(mail_text(mails[1]).find("/t/hall/reset#token="), std::string::npos);
}

TEST_P(MailFlows, PasswordResetByMailAnswersAlikeForUnknownAddresses) {
    auto known =
        post("/api/v1/password/reset", paid(R"({"tenant":"hall","email":"boss@hall.example"})"));
    auto unknown =
        post("/api/v1/password/reset", paid(R"({"tenant":"hall","email":"ghost@hall.example"})"));
    ASSERT_EQ(known.status, 202) << known.body;
    EXPECT_EQ(unknown.status, known.status);
    EXPECT_EQ(unknown.body, known.body);
    auto mails = deliver(2);
    ASSERT_EQ(mails.size(), 2u);
    const auto& to_boss =
        mail_header(mails[0], "To") == "<boss@hall.example>" ? mails[0] : mails[1];
    const auto& to_ghost = &to_boss == &mails[0] ? mails[1] : mails[0];
    EXPECT_EQ(mail_header(to_ghost, "To"), "<ghost@hall.example>");
    EXPECT_TRUE(link_token(to_ghost).empty());
    EXPECT_NE(mail_text(to_ghost).find("アカウントはありません"), std::string::npos);
    const auto token = link_token(to_boss);
    ASSERT_FALSE(token.empty());

    auto before = sign_in("boss@hall.example", kPassword);
    ASSERT_EQ(before.status, 201);
    const std::string fresh = "Haru-no-Umi-9753";
    auto redeemed = post(
        "/api/v1/password/redeem", R"({"token":")" + token + R"(","password":")" + fresh + "\"}"
    );
    ASSERT_EQ(redeemed.status, 200) << redeemed.body;
    EXPECT_EQ(sign_in("boss@hall.example", kPassword).status, 401);
    EXPECT_EQ(sign_in("boss@hall.example", fresh).status, 201);
    // The old session ended; the owner is told by mail.
    const auto cookie =
        before.header("set-cookie").substr(0, before.header("set-cookie").find(';'));
    EXPECT_EQ(
        request(server_->port(), "GET", "/api/v1/session", "Cookie: " + cookie + "\r\n").status, 401
    );
    mails = deliver(3);
    ASSERT_EQ(mails.size(), 3u);
    EXPECT_EQ(
        decode_header_word(mail_header(mails[2], "Subject")),
        "【hall hall】セキュリティ設定が変更されました"
    );
    EXPECT_NE(mail_text(mails[2]).find("再設定リンク"), std::string::npos);

    // A second request makes the first link useless; the log has both requests.
    ASSERT_EQ(
        post("/api/v1/password/reset", paid(R"({"tenant":"hall","email":"boss@hall.example"})"))
            .status,
        202
    );
    ASSERT_EQ(
        post("/api/v1/password/reset", paid(R"({"tenant":"hall","email":"boss@hall.example"})"))
            .status,
        202
    );
    mails = deliver(5);
    ASSERT_EQ(mails.size(), 5u);
    auto stale = post(
        "/api/v1/password/redeem",
        R"({"token":")" + link_token(mails[3]) + R"(","password":"Aki-no-Sora-8642"})"
    );
    EXPECT_EQ(stale.status, 400);
    auto entries = (*id_)->db.read(storage::TenantScope(hall_), [](storage::ScopedTx& stx) {
        audit::Filter f;
        f.action_prefix = "account.password_reset_requested";
        return audit::list(stx, f);
    });
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 4u);
    EXPECT_EQ(entries->back().event.result, "success");
    EXPECT_EQ((*entries)[2].event.target, "account:unknown") << "the unknown address, not named";
}

TEST_P(MailFlows, ChangingAFactorOrThePasswordMailsTheOwner) {
    auto in = sign_in("boss@hall.example", kPassword);
    ASSERT_EQ(in.status, 201);
    const auto cookie = in.header("set-cookie").substr(0, in.header("set-cookie").find(';'));
    const std::string csrf(boost::json::parse(in.body).at("csrf_token").as_string());
    const std::string auth = "Cookie: " + cookie + "\r\nX-CSRF-Token: " + csrf + "\r\n";
    auto changed = post(
        "/api/v1/session/password",
        R"({"current_password":")" + std::string(kPassword) +
            R"(","password":"Natsu-no-Yama-1357"})",
        auth
    );
    ASSERT_EQ(changed.status, 204) << changed.body;
    auto mails = deliver(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mail_header(mails[0], "To"), "<boss@hall.example>");
    const auto text = mail_text(mails[0]);
    EXPECT_NE(text.find("パスワードを変更しました"), std::string::npos);
    EXPECT_NE(text.find("(Asia/Tokyo)"), std::string::npos);
    EXPECT_NE(text.find("127.0.0.1"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    MailFlows,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

// Mail on both backends: templates, the outbox inside the change's transaction, the relay over
// a real SMTP server with STARTTLS, retries with back-off and giving up, refusing plain text.

#include "domain/mail/mail.hpp"

#include <gtest/gtest.h>

#include "app/smtp.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_database.hpp"

using namespace yoyaku;
using namespace yoyaku::storage;
using namespace std::chrono_literals;
using yoyaku::testing::SmtpSink;
using yoyaku::testing::TempDir;
using yoyaku::testing::TestDatabase;

namespace {

#define YOYAKU_REQUIRE_SMTP_SINK()                                                      \
    do {                                                                                \
        if (!::yoyaku::testing::smtp_sink_available()) {                                \
            if (::yoyaku::testing::in_ci()) FAIL() << "python3-aiosmtpd is required";   \
            GTEST_SKIP() << "python3-aiosmtpd is not installed (scripts/deps.sh test)"; \
        }                                                                               \
    } while (false)

class Mail : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        YOYAKU_REQUIRE_SMTP_SINK();
        auto k = crypto::Keyring::open(dir_.path() / "keys", true);
        ASSERT_TRUE(k);
        keys_ = std::move(*k);
    }

    app::SmtpOptions smtp(const SmtpSink& sink) {
        app::SmtpOptions o;
        o.url = sink.url();
        o.from = "no-reply@hall.example";
        o.from_name = "市民ホール";
        o.ca_file = sink.ca_file();
        o.timeout = 10s;
        return o;
    }

    Result<void> queue(TenantId t, const mail::Mail& m, bool commit = true) {
        return tdb_->db().write_platform([&](Tx& tx) -> Result<void> {
            YOYAKU_TRY(mail::enqueue(tx, *keys_, t, "test.mail", m, clock_.now()));
            if (!commit) return Error::internal("roll back");
            return {};
        });
    }

    std::string last_error() {
        auto r = tdb_->db().read_platform([](Tx& tx) -> Result<std::string> {
            auto row = tx.query_one("SELECT coalesce(last_error, '') FROM outbox ORDER BY id");
            if (!row) return fail(std::move(row).error());
            return row->text(0);
        });
        return r ? *r : "?";
    }

    TempDir dir_;
    std::unique_ptr<crypto::Keyring> keys_;
    FakeClock clock_{from_micros(1'800'000'000'000'000)};
    std::unique_ptr<TestDatabase> tdb_;
};

std::string name_of(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(to_string(info.param));
}

const mail::Vars kVars = {
    {"tenant_name", "市民ホール"},
    {"name", "山田 花子"},
    {"link", "https://booking.example.jp/reset#token=1.abc"},
    {"sign_in_link", "https://booking.example.jp/sign-in"},
    {"minutes", "60"},
    {"hours", "48"},
    {"change_ja", "二段階認証を有効にしました"},
    {"change_en", "two-step sign-in turned on"},
    {"at", "2026-11-22 10:00 (Asia/Tokyo)"},
    {"client_address", "192.0.2.1"}};

}  // namespace

TEST(MailTemplates, EveryTemplateRendersInBothLocalesWithASubject) {
    const auto names = mail::template_names();
    ASSERT_GE(names.size(), 10u);
    for (const auto& full : names) {
        const auto dot = full.rfind('.');
        auto m = mail::render(full.substr(0, dot), full.substr(dot + 1), kVars, "a@b.example");
        ASSERT_TRUE(m) << full << ": " << m.error().message;
        EXPECT_NE(m->subject.find("市民ホール"), std::string::npos) << full;
        EXPECT_EQ(m->text.find("{{"), std::string::npos) << full;
        EXPECT_EQ(m->text.find("&"), std::string::npos) << full << ": nothing HTML-escaped";
    }
    auto en = mail::render("password_reset", "en", kVars, "a@b.example");
    ASSERT_TRUE(en);
    EXPECT_EQ(en->subject, "[市民ホール] Reset your password");
    EXPECT_NE(en->text.find("https://booking.example.jp/reset#token=1.abc"), std::string::npos);
    auto fallback = mail::render("password_reset", "fr", kVars, "a@b.example");
    ASSERT_TRUE(fallback);
    EXPECT_EQ(fallback->subject, "【市民ホール】パスワード再設定のご案内");
    EXPECT_FALSE(mail::render("no_such_template", "ja", kVars, "a@b.example"));
    // A variable cannot add a header line.
    auto injected = mail::render(
        "password_reset", "en", {{"tenant_name", "Hall\r\nBcc: x@evil.example"}}, "a@b.example"
    );
    ASSERT_TRUE(injected);
    EXPECT_EQ(injected->subject.find('\n'), std::string::npos);
    EXPECT_EQ(injected->subject.find('\r'), std::string::npos);
}

TEST_P(Mail, CommittedMailGoesOutOverStartTlsAndRolledBackMailNever) {
    SmtpSink sink;
    auto m = mail::render("password_reset", "ja", kVars, "hanako@hall.example");
    ASSERT_TRUE(m);
    ASSERT_FALSE(queue(TenantId{3}, *m, false));
    ASSERT_TRUE(queue(TenantId{3}, *m));
    // At rest the address and the text are sealed.
    auto raw = tdb_->db().read_platform([](Tx& tx) -> Result<std::string> {
        auto row = tx.query_one("SELECT payload_sealed FROM outbox");
        if (!row) return fail(std::move(row).error());
        return row->blob(0).bytes;
    });
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->find("hanako"), std::string::npos);

    app::SmtpSender sender(smtp(sink));
    jobs::Worker relay(tdb_->db(), *keys_, clock_);
    relay.handle("mail", mail::sending_handler(sender));
    auto run = relay.run_once();
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->done, 1);
    auto got = sink.wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(yoyaku::testing::mail_header(got[0], "To"), "<hanako@hall.example>");
    EXPECT_EQ(
        yoyaku::testing::decode_header_word(yoyaku::testing::mail_header(got[0], "Subject")),
        "【市民ホール】パスワード再設定のご案内"
    );
    EXPECT_NE(
        yoyaku::testing::mail_header(got[0], "From").find("<no-reply@hall.example>"),
        std::string::npos
    );
    EXPECT_NE(yoyaku::testing::mail_text(got[0]).find("reset#token=1.abc"), std::string::npos);
    // Sent once: a second pass finds nothing.
    auto again = relay.run_once();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->done, 0);
    auto counts = jobs::counts(tdb_->db(), clock_.now());
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->done, 1);
    EXPECT_EQ(counts->queued, 0);
}

TEST_P(Mail, AnUnreachableRelayIsRetriedWithBackOffThenGivenUp) {
    SmtpSink sink;
    auto options = smtp(sink);
    sink.stop();
    app::SmtpSender sender(options);
    jobs::Worker relay(tdb_->db(), *keys_, clock_, {20, 3, 30s, 5min});
    relay.handle("mail", mail::sending_handler(sender));
    auto m = mail::render("verify_email", "en", kVars, "taro@hall.example");
    ASSERT_TRUE(m);
    ASSERT_TRUE(queue(TenantId{3}, *m));
    auto first = relay.run_once();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->retried, 1);
    const auto error = last_error();
    EXPECT_NE(error.find("curl"), std::string::npos) << error;
    EXPECT_EQ(error.find("taro"), std::string::npos) << "no address in the error";
    EXPECT_EQ(relay.run_once()->retried, 0) << "not due before its back-off";
    clock_.advance(31s);
    EXPECT_EQ(relay.run_once()->retried, 1);
    clock_.advance(31s);
    EXPECT_EQ(relay.run_once()->retried, 0) << "the second wait is twice as long";
    clock_.advance(31s);
    auto last = relay.run_once();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->failed, 1) << "given up after max_attempts";
    auto counts = jobs::counts(tdb_->db(), clock_.now());
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->failed, 1);
}

TEST_P(Mail, ARelayWithoutTlsIsRefusedUnlessPlainTextWasChosen) {
    SmtpSink plain(false);
    auto m = mail::render("password_reset", "en", kVars, "jiro@hall.example");
    ASSERT_TRUE(m);
    auto o = smtp(plain);
    app::SmtpSender strict(o);
    auto refused = strict.send(*m);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::unavailable);
    EXPECT_TRUE(plain.messages().empty());
    o.starttls = false;
    app::SmtpSender relaxed(o);
    ASSERT_TRUE(relaxed.send(*m));
    EXPECT_EQ(plain.wait_for(1, 10s).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, Mail, ::testing::Values(Backend::sqlite, Backend::postgres), name_of
);

// Issue 24, defect 9: a customer's name is never rendered as a link (neither by our HTML part
// nor by a mail program's link detection); the platform's own links still are.
TEST(MailTemplates, ACustomersNameNeverBecomesALink) {
    auto vars = kVars;
    for (auto& [key, value] : vars)
        if (key == "name") value = "https://evil.example/login www.evil.example a@evil.example";
    auto m = mail::render("booking_confirmed", "ja", vars, "a@b.example");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->html.find("evil.example/login\""), std::string::npos) << m->html;
    EXPECT_EQ(m->html.find("<a href=\"https://evil"), std::string::npos) << m->html;
    EXPECT_EQ(m->text.find("https://evil"), std::string::npos);
    EXPECT_EQ(m->text.find("evil.example"), std::string::npos);
    EXPECT_EQ(m->text.find("a@evil"), std::string::npos);
    EXPECT_NE(m->text.find("https:\u200b//evil.\u200bexample/login"), std::string::npos)
        << "still readable: only zero-width spaces are added";
    auto reset = mail::render("password_reset", "en", kVars, "a@b.example");
    ASSERT_TRUE(reset);
    EXPECT_NE(
        reset->html.find("<a href=\"https://booking.example.jp/reset#token=1.abc\""),
        std::string::npos
    ) << "the platform's own link is a link";
    EXPECT_EQ(mail::unlinkable("山田 花子"), "山田 花子");
    EXPECT_EQ(mail::unlinkable("1.5 seats."), "1.\u200b5 seats.");
}

TEST(MailDates, WriteLocalTimeWithThePatternsTheWebAppUses) {
    // The same instant and expectations as web/src/lib/datetime.test.ts.
    const auto t = *parse_rfc3339("2026-12-05T09:00:00Z");
    EXPECT_EQ(mail::format_local(t, "Asia/Tokyo", "ja"), "2026年12月5日(土) 18:00");
    EXPECT_EQ(mail::format_local(t, "Asia/Tokyo", "en"), "Sat 5 Dec 2026, 18:00");
    EXPECT_EQ(mail::format_local(t, "America/New_York", "en", "time"), "4:00");
    EXPECT_EQ(
        mail::format_local(*parse_rfc3339("2026-12-05T15:30:00Z"), "Asia/Tokyo", "ja", "date"),
        "2026年12月6日(日)"
    );
    EXPECT_EQ(
        mail::format_local(
            *parse_rfc3339("2026-03-08T07:30:00Z"), "America/New_York", "en", "time"
        ),
        "3:30"
    );
}

// Notifications and integrations on both backends: one confirmation mail per booking with an
// iCalendar event that python3-icalendar reads at the right UTC start, METHOD:CANCEL on
// cancellation, in the customer's language; reminders before the start (none once cancelled);
// webhooks signed the Standard Webhooks way and checked by an independent receiver, retried
// with back-off, in a delivery log; dead letters retried by a manager; a non-public target
// refused (SSRF); two workers sharing one database run every job once; scheduled jobs run once
// across nodes; secret calendar feeds that can be revoked.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <mutex>
#include <thread>

#include "app/http_post.hpp"
#include "app/smtp.hpp"
#include "crypto/random.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/line/line.hpp"
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

#define YOYAKU_REQUIRE_PYTHON_PACKAGES()                                                       \
    do {                                                                                       \
        if (std::system("/usr/bin/python3 -c 'import aiosmtpd, icalendar' >/dev/null 2>&1")) { \
            if (in_ci()) FAIL() << "python3-aiosmtpd and python3-icalendar are required";      \
            GTEST_SKIP() << "python3-aiosmtpd or python3-icalendar missing (scripts/deps.sh)"; \
        }                                                                                      \
    } while (false)

class Notifications : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        YOYAKU_REQUIRE_PYTHON_PACKAGES();
        id_ = std::make_unique<Identity>(tdb_->db());
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        server_ = id_->api_server(*ctx_);
        hall_ = id_->tenant("hall", "boss@hall.example");
        boss_ = signed_in_headers(server_->port(), "hall", "boss@hall.example");
        auto o = call(
            "POST",
            "/api/v1/offerings",
            boss_,
            R"({"kind":"event","name":"第九演奏会","published":true,"reminder_minutes":1440,
                "ticket_types":[{"code":"adult","name":"一般","price_jpy":3000}]})"
        );
        ASSERT_EQ(o.status, 201) << o.body;
        offering_ = std::to_string(boost::json::parse(o.body).at("id").as_int64());
        start_ = id_->clock.now() + 24h * 30;
        auto occ = call(
            "POST",
            "/api/v1/offerings/" + offering_ + "/occurrences",
            boss_,
            R"({"starts_at":")" + format_rfc3339(start_, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start_ + 2h, "UTC") + R"(","capacity":50})"
        );
        ASSERT_EQ(occ.status, 201) << occ.body;
        occurrence_ = std::to_string(boost::json::parse(occ.body).at("id").as_int64());
        sink_ = std::make_unique<SmtpSink>();
        sender_ = std::make_unique<app::SmtpSender>(smtp(*sink_));
        mail_ = std::make_unique<jobs::Worker>(tdb_->db(), *(*id_)->keyring, id_->clock);
        mail_->handle("mail", mail::sending_handler(*sender_));
        poster_ = std::make_unique<app::CurlPoster>(app::PostOptions{true, 5s, {}});
        events_ = std::make_unique<jobs::Worker>(tdb_->db(), *(*id_)->keyring, id_->clock);
        events_->handle(
            "webhook",
            webhooks::delivery_handler(tdb_->db(), *(*id_)->keyring, *poster_, id_->clock)
        );
        events_->handle("reminder", (*id_)->bookings.reminder_handler());
    }

    static app::SmtpOptions smtp(const SmtpSink& sink) {
        app::SmtpOptions o;
        o.url = sink.url();
        o.from = "no-reply@hall.example";
        o.ca_file = sink.ca_file();
        return o;
    }
    HttpResult call(
        const std::string& method,
        const std::string& target,
        const std::string& who,
        const std::string& body = ""
    ) {
        return request(server_->port(), method, target, who + (body.empty() ? "" : kJson), body);
    }
    // A guest's booking; its reference.
    std::string book(const std::string& locale = "en", const std::string& who = "") {
        auto r = request(
            server_->port(),
            "POST",
            "/api/v1/public/hall/bookings",
            kJson + who + "Idempotency-Key: key-" + crypto::random_hex(8) + "\r\n",
            R"({"occurrence_id":)" + occurrence_ +
                R"(,"tickets":{"adult":2},"customer":{"name":"Hanako Yamada","email":"hanako@example.jp","locale":")" +
                locale + R"("}})"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(boost::json::parse(r.body).at("reference").as_string())
                               : "";
    }
    jobs::WorkerRun run(jobs::Worker& w) {
        auto r = w.run_once();
        EXPECT_TRUE(r) << r.error().message << " " << r.error().detail;
        return r ? *r : jobs::WorkerRun{};
    }
    // The text/calendar part of a raw mail, decoded.
    static std::string calendar_part(const std::string& raw) {
        const auto type = raw.find("Content-Type: text/calendar");
        if (type == std::string::npos) return {};
        return mail_text(raw.substr(type));
    }
    // Fields of an .ics as python3-icalendar reads them: METHOD, UID, SEQUENCE, DTSTART (UTC).
    static std::string parsed(const std::string& ics) {
        TempDir dir;
        const auto file = dir.path() / "event.ics";
        std::ofstream(file) << ics;
        const std::string cmd =
            "/usr/bin/python3 -c \"import icalendar,sys,datetime; c = "
            "icalendar.Calendar.from_ical(open(sys.argv[1],'rb').read()); e = "
            "list(c.walk('VEVENT'))[0]; print(c['METHOD'], e['UID'], e['SEQUENCE'], "
            "e.decoded('DTSTART').astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),"
            " "
            "e['STATUS'], end='')\" " +
            file.string() + " > " + (dir.path() / "out").string();
        if (std::system(cmd.c_str()) != 0) return "python3-icalendar refused the file";
        std::ifstream in(dir.path() / "out");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<SmtpSink> sink_;
    std::unique_ptr<app::SmtpSender> sender_;
    std::unique_ptr<app::CurlPoster> poster_;
    std::unique_ptr<jobs::Worker> mail_, events_;
    TenantId hall_{0};
    std::string boss_, offering_, occurrence_;
    Instant start_;
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace

TEST_P(Notifications, ABookingMailsOneConfirmationWithAnIcsAtTheRightUtcStartAndACancelLater) {
    const auto ref = book("en");
    ASSERT_FALSE(ref.empty());
    EXPECT_EQ(run(*mail_).done, 1);
    EXPECT_EQ(run(*mail_).done, 0) << "sent once";
    auto got = sink_->wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(
        decode_header_word(mail_header(got[0], "Subject")).find("Your booking is confirmed"),
        std::string::npos
    ) << "in the customer's language";
    EXPECT_NE(
        mail_text(got[0]).find(mail::format_local(start_, "Asia/Tokyo", "en")), std::string::npos
    ) << "the start in the tenant's zone, written as the booking site writes it";
    EXPECT_NE(got[0].find("multipart/alternative"), std::string::npos);
    EXPECT_NE(got[0].find("Content-Type: text/html"), std::string::npos);
    const auto uid = ref + "@hall.yoyaku";
    EXPECT_EQ(
        parsed(calendar_part(got[0])),
        "REQUEST " + uid + " 0 " + format_rfc3339(start_, "UTC").substr(0, 19) + "Z CONFIRMED"
    );

    auto cancelled = call("DELETE", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(run(*mail_).done, 1);
    got = sink_->wait_for(2, 10s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(
        parsed(calendar_part(got[1])),
        "CANCEL " + uid + " 1 " + format_rfc3339(start_, "UTC").substr(0, 19) + "Z CANCELLED"
    );
    // The cancelled booking's reminder, due a day before, sends nothing.
    id_->clock.advance(24h * 29 + 1min);
    EXPECT_EQ(run(*events_).done, 1);
    EXPECT_EQ(run(*mail_).done, 0);
    EXPECT_EQ(sink_->messages().size(), 2u);
}

// Issue 28: an offering held online gives every live booking its meeting link (mail,
// calendar event, the booking itself); the public listing only says it is online.
TEST_P(Notifications, AnOnlineOfferingsBookingsCarryTheMeetingLinkAndTheListingDoesNot) {
    const std::string link = "https://meet.example.jp/j/8123?pwd=Zx9";
    const auto with_link = [](const std::string& url) {
        return R"({"kind":"event","name":"第九演奏会","published":true,"reminder_minutes":1440,
                "ticket_types":[{"code":"adult","name":"一般","price_jpy":3000}],"online_url":")" +
               url + "\"}";
    };
    for (const auto* bad :
         {"http://meet.example.jp/j/1",
          "https://",
          "https://user@meet.example.jp/",
          "https://a b/"}) {
        auto r = call("PUT", "/api/v1/offerings/" + offering_, boss_, with_link(bad));
        ASSERT_EQ(r.status, 400) << bad << " " << r.body;
        EXPECT_EQ(boost::json::parse(r.body).at("field").as_string(), "online_url") << bad;
    }
    auto set = call("PUT", "/api/v1/offerings/" + offering_, boss_, with_link(link));
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(boost::json::parse(set.body).at("online_url").as_string(), link);

    auto listing = request(server_->port(), "GET", "/api/v1/public/hall/offerings");
    ASSERT_EQ(listing.status, 200) << listing.body;
    EXPECT_EQ(listing.body.find("meet.example.jp"), std::string::npos) << "for those who booked";
    EXPECT_EQ(boost::json::parse(listing.body).at("items").at(0).at("online"), true);

    const auto ref = book("ja");
    ASSERT_FALSE(ref.empty());
    auto booked = call("GET", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(booked.status, 200) << booked.body;
    EXPECT_EQ(boost::json::parse(booked.body).at("meeting_url").as_string(), link);
    EXPECT_EQ(run(*mail_).done, 1);
    auto got = sink_->wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(mail_text(got[0]).find("オンライン会議: " + link), std::string::npos)
        << mail_text(got[0]);
    const auto ics = calendar_part(got[0]);
    EXPECT_NE(ics.find("LOCATION:" + link + "\r\n"), std::string::npos) << ics;
    EXPECT_NE(ics.find("URL:" + link + "\r\n"), std::string::npos) << ics;

    // Cancelled: the link goes with it.
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    booked = call("GET", "/api/v1/bookings/" + ref, boss_);
    EXPECT_EQ(booked.body.find("meeting_url"), std::string::npos) << booked.body;
    EXPECT_EQ(run(*mail_).done, 1);
    got = sink_->wait_for(2, 10s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].find("meet.example.jp"), std::string::npos) << "not in the cancellation";
}

// Issue 24, defect 9: every booking mail carries a signed link to view, move or cancel the
// booking; its key proves the booking like the address does, and nothing else does.
TEST_P(Notifications, EveryBookingMailCarriesASignedLinkThatProvesTheBooking) {
    const auto ref = book("ja");
    ASSERT_FALSE(ref.empty());
    EXPECT_EQ(run(*mail_).done, 1);
    auto got = sink_->wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    const std::string text = mail_text(got[0]);
    const std::string head = "https://booking.example.jp/t/hall/manage?ref=" + ref + "#key=";
    const auto at = text.find(head);
    ASSERT_NE(at, std::string::npos) << text;
    const std::string key = text.substr(at + head.size(), 32);
    ASSERT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos) << key;
    const std::string path = "/api/v1/public/hall/bookings/" + ref;
    auto seen =
        request(server_->port(), "POST", path + "/lookup", kJson, R"({"key":")" + key + "\"}");
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(boost::json::parse(seen.body).at("reference").as_string(), ref);
    const std::string forged(32, 'a');
    EXPECT_EQ(
        request(server_->port(), "POST", path + "/lookup", kJson, R"({"key":")" + forged + "\"}")
            .status,
        404
    );
    EXPECT_EQ(
        request(server_->port(), "POST", path + "/cancel", kJson, R"({"key":")" + forged + "\"}")
            .status,
        404
    );
    auto cancelled =
        request(server_->port(), "POST", path + "/cancel", kJson, R"({"key":")" + key + "\"}");
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(boost::json::parse(cancelled.body).at("status").as_string(), "cancelled");
    EXPECT_EQ(run(*mail_).done, 1);
    auto both = sink_->wait_for(2, 10s);
    ASSERT_EQ(both.size(), 2u);
    EXPECT_NE(mail_text(both[1]).find(head + key), std::string::npos) << "the cancellation too";
}

TEST_P(Notifications, ATenantsOwnWordingIsSentUntilItIsReset) {
    const std::string path = "/api/v1/mail-templates/booking_confirmed/en";
    auto set = call(
        "PUT",
        path,
        boss_,
        R"({"body":"Subject: Tickets for {{offering}} ({{reference}})\nHello {{name}}, see you!\n"})"
    );
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_TRUE(boost::json::parse(set.body).at("custom").as_bool());
    // Bad wording and unknown messages are refused; nothing changes.
    auto bad = [&](const std::string& p, const std::string& body) {
        return call("PUT", p, boss_, R"({"body":)" + body + "}").status;
    };
    EXPECT_EQ(bad(path, R"("Hello {{name}}")"), 400) << "no Subject line";
    EXPECT_EQ(bad(path, R"("Subject: x\n{{#open}} never closed")"), 400);
    EXPECT_EQ(bad("/api/v1/mail-templates/no_such_mail/en", R"("Subject: x\ny")"), 404);
    EXPECT_EQ(bad("/api/v1/mail-templates/booking_confirmed/fr", R"("Subject: x\ny")"), 404);

    const auto ref = book("en");
    ASSERT_FALSE(ref.empty());
    EXPECT_EQ(run(*mail_).done, 1);
    auto got = sink_->wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(
        decode_header_word(mail_header(got[0], "Subject")), "Tickets for 第九演奏会 (" + ref + ")"
    );
    EXPECT_NE(mail_text(got[0]).find("Hello Hanako Yamada, see you!"), std::string::npos);
    EXPECT_NE(calendar_part(got[0]), "") << "the calendar event still comes with it";

    // The list shows it as the tenant's; reset, the built-in wording is back.
    auto listed = boost::json::parse(call("GET", "/api/v1/mail-templates", boss_).body);
    int custom = 0;
    for (const auto& w : listed.at("items").as_array()) custom += w.at("custom").as_bool();
    EXPECT_EQ(custom, 1);
    id_->tenant("other", "boss@other.example");
    const auto other = signed_in_headers(server_->port(), "other", "boss@other.example");
    auto theirs = boost::json::parse(call("GET", "/api/v1/mail-templates", other).body);
    for (const auto& w : theirs.at("items").as_array())
        EXPECT_FALSE(w.at("custom").as_bool()) << "another tenant keeps the built-in wording";
    auto reset = call("DELETE", path, boss_);
    ASSERT_EQ(reset.status, 200) << reset.body;
    const auto after = boost::json::parse(reset.body);
    EXPECT_FALSE(after.at("custom").as_bool());
    EXPECT_EQ(after.at("body"), after.at("built_in"));
    ASSERT_FALSE(book("en").empty());
    EXPECT_EQ(run(*mail_).done, 1);
    got = sink_->wait_for(2, 10s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_NE(
        decode_header_word(mail_header(got[1], "Subject")).find("Your booking is confirmed"),
        std::string::npos
    );
}

TEST_P(Notifications, AStoppedMailServerDelaysTheConfirmationWithoutLosingIt) {
    sink_->stop();
    const auto ref = book("en");
    EXPECT_EQ(run(*mail_).retried, 1);
    // The relay comes back (on a new port: a new sender for it, the same queue).
    SmtpSink back;
    app::SmtpSender sender(smtp(back));
    jobs::Worker relay(tdb_->db(), *(*id_)->keyring, id_->clock);
    relay.handle("mail", mail::sending_handler(sender));
    EXPECT_EQ(run(relay).done, 0) << "not before its back-off";
    id_->clock.advance(31s);
    EXPECT_EQ(run(relay).done, 1);
    auto got = back.wait_for(1, 10s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(decode_header_word(mail_header(got[0], "Subject")).find(ref), std::string::npos);
}

TEST_P(Notifications, AReminderGoesOutADayBeforeInTheCustomersLanguage) {
    const auto ref = book("ja");
    EXPECT_EQ(run(*mail_).done, 1);
    EXPECT_EQ(run(*events_).done, 0) << "not due yet";
    id_->clock.advance(24h * 29 - 1min);
    EXPECT_EQ(run(*events_).done, 0) << "still a minute early";
    id_->clock.advance(2min);
    EXPECT_EQ(run(*events_).done, 1);
    EXPECT_EQ(run(*mail_).done, 1);
    auto got = sink_->wait_for(2, 10s);
    ASSERT_EQ(got.size(), 2u);
    const auto subject = decode_header_word(mail_header(got[1], "Subject"));
    EXPECT_NE(subject.find("ご予約日時のお知らせ"), std::string::npos) << subject;
    EXPECT_NE(subject.find(ref), std::string::npos);
}

TEST_P(Notifications, WebhooksAreSignedRetriedAndLogged) {
    WebhookReceiver receiver(1);  // the first attempt gets a 500
    auto made = call(
        "POST",
        "/api/v1/webhooks",
        boss_,
        R"({"url":")" + receiver.url() +
            R"(","events":["booking.created","booking.cancelled"],"description":"CRM"})"
    );
    ASSERT_EQ(made.status, 201) << made.body;
    const auto endpoint = boost::json::parse(made.body).as_object();
    const std::string secret(endpoint.at("secret").as_string());
    EXPECT_TRUE(secret.starts_with("whsec_"));
    receiver.set_secret(secret);
    const auto hook = std::to_string(endpoint.at("id").as_int64());
    EXPECT_EQ(call("GET", "/api/v1/webhooks/" + hook, boss_).body.find("whsec_"), std::string::npos)
        << "the secret is shown once";

    const auto ref = book();
    EXPECT_EQ(run(*events_).retried, 1);
    EXPECT_EQ(run(*events_).done, 0) << "waits for its back-off";
    id_->clock.advance(31s);
    EXPECT_EQ(run(*events_).done, 1);
    auto got = receiver.deliveries();
    ASSERT_EQ(got.size(), 2u);
    const auto first = boost::json::parse(got[0]).as_object();
    const auto second = boost::json::parse(got[1]).as_object();
    EXPECT_TRUE(second.at("valid").as_bool()) << got[1];
    EXPECT_TRUE(first.at("valid").as_bool()) << got[0];
    EXPECT_EQ(first.at("id"), second.at("id")) << "a retry keeps its webhook-id";
    EXPECT_EQ(second.at("body").at("type").as_string(), "booking.created");
    EXPECT_EQ(second.at("body").at("data").at("reference").as_string(), ref);
    EXPECT_EQ(second.at("body").at("data").at("seats").as_int64(), 2);

    // Not subscribed: a test event goes only when asked; no-show events are filtered out.
    ASSERT_EQ(call("POST", "/api/v1/webhooks/" + hook + "/test", boss_).status, 202);
    EXPECT_EQ(run(*events_).done, 1);
    ASSERT_EQ(receiver.deliveries().size(), 3u);
    EXPECT_EQ(
        boost::json::parse(receiver.deliveries()[2]).at("body").at("type").as_string(),
        "webhook.test"
    );
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    EXPECT_EQ(run(*events_).done, 1);
    ASSERT_EQ(receiver.deliveries().size(), 4u);
    EXPECT_EQ(
        boost::json::parse(receiver.deliveries()[3]).at("body").at("type").as_string(),
        "booking.cancelled"
    );

    auto log = call("GET", "/api/v1/webhooks/" + hook + "/deliveries", boss_);
    ASSERT_EQ(log.status, 200) << log.body;
    const auto items = boost::json::parse(log.body).at("items").as_array();
    ASSERT_EQ(items.size(), 3u);
    const auto& oldest = items.back().as_object();
    EXPECT_EQ(oldest.at("kind").as_string(), "booking.created");
    EXPECT_EQ(oldest.at("state").as_string(), "done");
    EXPECT_EQ(oldest.at("attempts").as_int64(), 2);

    // Bad input names the field and stores nothing.
    auto bad = call("POST", "/api/v1/webhooks", boss_, R"({"url":"ftp://x.example/"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "url");
    bad = call(
        "POST", "/api/v1/webhooks", boss_, R"({"url":"https://x.example/","events":["nope"]})"
    );
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "events");
    auto all = call("GET", "/api/v1/webhooks", boss_);
    EXPECT_EQ(boost::json::parse(all.body).at("items").as_array().size(), 1u);
}

TEST_P(Notifications, DeadLettersAreListedAndRetryableAndNonPublicTargetsAreRefused) {
    WebhookReceiver receiver;
    auto made = call("POST", "/api/v1/webhooks", boss_, R"({"url":")" + receiver.url() + "\"}");
    ASSERT_EQ(made.status, 201) << made.body;
    receiver.set_secret(std::string(boost::json::parse(made.body).at("secret").as_string()));
    book();
    // A node that does not allow private targets refuses loopback at once: a dead letter.
    app::CurlPoster strict(app::PostOptions{false, 5s, {}});
    jobs::Worker guarded(tdb_->db(), *(*id_)->keyring, id_->clock);
    guarded.handle(
        "webhook", webhooks::delivery_handler(tdb_->db(), *(*id_)->keyring, strict, id_->clock)
    );
    EXPECT_EQ(run(guarded).failed, 1);
    EXPECT_TRUE(receiver.deliveries().empty()) << "nothing reached the loopback receiver";

    auto failed = call("GET", "/api/v1/jobs?state=failed&topic=webhook", boss_);
    ASSERT_EQ(failed.status, 200) << failed.body;
    const auto items = boost::json::parse(failed.body).at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_NE(
        std::string(items[0].at("last_error").as_string()).find("not a public address"),
        std::string::npos
    ) << failed.body;
    const auto job = std::to_string(items[0].at("id").as_int64());
    auto retried = call("POST", "/api/v1/jobs/" + job + "/retry", boss_);
    ASSERT_EQ(retried.status, 200) << retried.body;
    EXPECT_EQ(boost::json::parse(retried.body).at("state").as_string(), "queued");
    EXPECT_EQ(call("POST", "/api/v1/jobs/" + job + "/retry", boss_).status, 409);
    EXPECT_EQ(run(*events_).done, 1) << "the allowed node delivers it";
    ASSERT_EQ(receiver.deliveries().size(), 1u);
    EXPECT_TRUE(boost::json::parse(receiver.deliveries()[0]).at("valid").as_bool());
    // Another tenant sees none of it.
    id_->tenant("other", "boss@other.example");
    const auto other = signed_in_headers(server_->port(), "other", "boss@other.example");
    EXPECT_EQ(call("POST", "/api/v1/jobs/" + job + "/retry", other).status, 404);
    EXPECT_EQ(
        boost::json::parse(call("GET", "/api/v1/jobs", other).body).at("items").as_array().size(),
        0u
    );
}

TEST_P(Notifications, TwoWorkersOnOneDatabaseRunEveryJobOnce) {
    constexpr int kJobs = 300;
    auto queued =
        tdb_->db().write(storage::TenantScope(hall_), [&](storage::ScopedTx& stx) -> Result<void> {
            for (int i = 0; i < kJobs; ++i) {
                jobs::NewJob j{"count", "test.count", std::to_string(i), id_->clock.now(), ""};
                auto id = jobs::enqueue(stx.tx(), *(*id_)->keyring, hall_, j, id_->clock.now());
                if (!id) return fail(std::move(id).error());
            }
            return {};
        });
    ASSERT_TRUE(queued);
    std::mutex mu;
    std::map<std::string, int> runs;
    auto node = [&] {
        jobs::Worker w(tdb_->db(), *(*id_)->keyring, id_->clock, {7, 8, 30s, 5min});
        w.handle("count", [&](const jobs::Job& j) -> Result<void> {
            std::lock_guard lock(mu);
            ++runs[j.payload];
            return {};
        });
        for (int pass = 0; pass < 200; ++pass) {
            auto r = w.run_once();
            if (!r || r->done == 0) break;
        }
    };
    std::thread a(node), b(node);
    a.join();
    b.join();
    EXPECT_EQ(runs.size(), static_cast<std::size_t>(kJobs));
    for (const auto& [payload, n] : runs) EXPECT_EQ(n, 1) << payload;
    auto counts = jobs::counts(tdb_->db(), id_->clock.now());
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->queued, 0);
    EXPECT_EQ(counts->done, kJobs);
    // Finished jobs stay as the delivery log for 30 days, then go.
    auto kept = jobs::purge_finished(tdb_->db(), id_->clock.now() + 24h * 29, 24h * 30);
    ASSERT_TRUE(kept);
    EXPECT_EQ(*kept, 0);
    auto purged = jobs::purge_finished(tdb_->db(), id_->clock.now() + 24h * 31, 24h * 30);
    ASSERT_TRUE(purged);
    EXPECT_EQ(*purged, kJobs);
}

TEST_P(Notifications, AScheduledJobRunsOnceAcrossNodesPerPeriod) {
    int ran = 0;
    auto job = [&]() -> Result<void> {
        ++ran;
        return {};
    };
    auto daily = [](Instant now) { return now + 24h; };
    jobs::Scheduler a(tdb_->db(), id_->clock), b(tdb_->db(), id_->clock);
    a.add("test.daily", daily, job);
    b.add("test.daily", daily, job);
    std::thread ta([&] { (void)a.run_due(); }), tb([&] { (void)b.run_due(); });
    ta.join();
    tb.join();
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(*a.run_due() + *b.run_due(), 0);
    id_->clock.advance(24h + 1s);
    EXPECT_EQ(*b.run_due(), 1);
    EXPECT_EQ(*a.run_due(), 0);
    EXPECT_EQ(ran, 2);
}

TEST_P(Notifications, ACustomersCalendarFeedListsTheirBookingsUntilRevoked) {
    id_->account(hall_, access::Role::customer, "hanako@example.jp");
    const auto me = signed_in_headers(server_->port(), "hall", "hanako@example.jp");
    const auto ref = book("ja", me);
    auto made = call("POST", "/api/v1/me/calendar-feeds", me);
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string url(boost::json::parse(made.body).at("url").as_string());
    const auto path = url.substr(url.find("/api/v1/"));
    auto feed = request(server_->port(), "GET", path);
    ASSERT_EQ(feed.status, 200) << feed.body;
    EXPECT_EQ(feed.header("content-type"), "text/calendar; charset=UTF-8");
    EXPECT_NE(feed.body.find("UID:" + ref + "@hall.yoyaku"), std::string::npos) << feed.body;
    EXPECT_EQ(feed.body.find("hanako"), std::string::npos) << "no personal data in a feed";
    EXPECT_EQ(
        request(server_->port(), "GET", path.substr(0, path.size() - 8) + "0000.ics").status, 404
    );
    const auto feed_id = std::to_string(boost::json::parse(made.body).at("id").as_int64());
    ASSERT_EQ(call("DELETE", "/api/v1/me/calendar-feeds/" + feed_id, me).status, 204);
    EXPECT_EQ(request(server_->port(), "GET", path).status, 404);
}

TEST_P(Notifications, ALinkedCustomerGetsTheirBookingMessagesAsLinePushes) {
    WebhookReceiver line_api(1);  // stands in for api.line.me; the first push gets a 500
    app::CurlTransport transport(app::PostOptions{true, 5s, {}});
    jobs::Worker pushes(tdb_->db(), *(*id_)->keyring, id_->clock);
    pushes.handle(
        "line",
        line::push_handler(
            tdb_->db(), *(*id_)->keyring, transport, line_api.base_url() + "/", id_->clock
        )
    );
    auto field_of = [](const HttpResult& r) {
        return std::string(boost::json::parse(r.body).at("field").as_string());
    };

    // The manager stores the channel's token; it is never shown again.
    auto bad = call("PUT", "/api/v1/settings/line", boss_, R"({"channel_access_token":"a b"})");
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(field_of(bad), "channel_access_token");
    EXPECT_EQ(call("GET", "/api/v1/settings/line", boss_).body.find("true"), std::string::npos);
    const std::string token = "chan" + crypto::random_hex(20);
    auto set =
        call("PUT", "/api/v1/settings/line", boss_, R"({"channel_access_token":")" + token + "\"}");
    ASSERT_EQ(set.status, 200) << set.body;
    auto shown = call("GET", "/api/v1/settings/line", boss_);
    EXPECT_TRUE(boost::json::parse(shown.body).at("configured").as_bool()) << shown.body;
    EXPECT_EQ(shown.body.find(token), std::string::npos);

    // A customer linked LINE (through LINE Login: tests/http/line_test.cpp); a typed user id
    // is no longer taken.
    const auto customer = id_->account(hall_, access::Role::customer, "hanako@example.jp");
    const auto me = signed_in_headers(server_->port(), "hall", "hanako@example.jp");
    const std::string user = "U" + crypto::random_hex(16);
    auto typed = call("PUT", "/api/v1/me/line", me, R"({"user_id":")" + user + "\"}");
    EXPECT_EQ(typed.status, 400) << typed.body;
    EXPECT_EQ(field_of(typed), "user_id") << "a typed id is unknown";
    const auto link = [&] {
        auto keys = (*id_)->keyring->tenant_keys(hall_);
        ASSERT_TRUE(keys);
        auto linked = tdb_->db().write(storage::TenantScope(hall_), [&](storage::ScopedTx& stx) {
            return line::link_in(
                stx, *keys, customer, user, id_->actor, id_->origin, id_->clock.now()
            );
        });
        ASSERT_TRUE(linked) << linked.error().message;
    };
    link();
    auto mine = call("GET", "/api/v1/me/line", me);
    EXPECT_EQ(boost::json::parse(mine.body).at("user_id").as_string(), user) << mine.body;

    // Their booking is pushed once, retried after a 500 with the same retry key.
    const auto ref = book("ja", me);
    EXPECT_EQ(run(pushes).retried, 1);
    id_->clock.advance(31s);
    EXPECT_EQ(run(pushes).done, 1);
    auto got = line_api.deliveries();
    ASSERT_EQ(got.size(), 2u);
    const auto first = boost::json::parse(got[0]).as_object();
    const auto second = boost::json::parse(got[1]).as_object();
    EXPECT_EQ(second.at("path").as_string(), "/v2/bot/message/push");
    EXPECT_EQ(second.at("authorization").as_string(), "Bearer " + token);
    EXPECT_EQ(first.at("retry_key"), second.at("retry_key")) << "a retry is not a new message";
    EXPECT_EQ(second.at("retry_key").as_string().size(), 36u) << got[1];
    EXPECT_EQ(second.at("body").at("to").as_string(), user);
    const auto& message = second.at("body").at("messages").at(0);
    EXPECT_EQ(message.at("type").as_string(), "flex") << "a card (tests/http/line_test.cpp)";
    const std::string text(message.at("altText").as_string());
    EXPECT_NE(text.find(ref), std::string::npos) << text;
    EXPECT_NE(text.find("ご予約が確定しました"), std::string::npos) << "in the customer's language";
    auto log = call("GET", "/api/v1/jobs?topic=line", boss_);
    ASSERT_EQ(log.status, 200) << log.body;
    ASSERT_EQ(boost::json::parse(log.body).at("items").as_array().size(), 1u) << log.body;
    EXPECT_EQ(log.body.find(user), std::string::npos) << "the log shows no user id";

    // A guest's booking has nobody to push to; an unlinked customer gets mail only.
    book("en");
    EXPECT_EQ(run(pushes).done, 0);
    ASSERT_EQ(call("DELETE", "/api/v1/me/line", me).status, 204);
    EXPECT_FALSE(boost::json::parse(call("GET", "/api/v1/me/line", me).body).at("linked").as_bool()
    );
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    EXPECT_EQ(run(pushes).done, 0);
    EXPECT_EQ(line_api.deliveries().size(), 2u);

    // Linked again but the channel removed: nothing is queued.
    link();
    ASSERT_EQ(call("DELETE", "/api/v1/settings/line", boss_).status, 204);
    book("ja", me);
    EXPECT_EQ(run(pushes).done, 0);
    EXPECT_EQ(line_api.deliveries().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Notifications,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

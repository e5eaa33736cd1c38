// Online payments end to end on both backends, against the Stripe stand-in
// (tests/support/stripe_standin.py): an offering paid at once holds its places while the
// customer is at the checkout page and only the provider's signed event confirms it; repeated,
// reordered, forged and tampered deliveries change nothing they should not; a payment that
// comes after its hold ran out is refunded in full; the keys are sealed and never shown again.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "crypto/hash.hpp"
#include "domain/jobs/jobs.hpp"
#include "support/booking_fixture.hpp"
#include "support/stripe_standin.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

class Payments : public BookingFixture {
protected:
    std::string stripe_api_base() const override { return stripe_.url(); }
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        stripe_.set_clock(id_->clock.now());
        stripe_.send_events_to(
            "http://127.0.0.1:" + std::to_string(server_->port()) +
            "/api/v1/public/salon/payments/stripe/webhook"
        );
        auto keys = call(
            "PUT",
            "/api/v1/settings/payments/stripe",
            boss_,
            std::string(R"({"secret_key":")") + StripeStandIn::kSecretKey +
                R"(","webhook_secret":")" + StripeStandIn::kWebhookSecret + R"("})"
        );
        ASSERT_EQ(keys.status, 200) << keys.body;
        event_ = offering(
            R"({"kind":"event","name":"Concert","published":true,"payment":"online_now",
                "cancellation_fees":[{"within_minutes":86400,"percent":50}],
                "ticket_types":[{"code":"adult","name":"Adult","price_jpy":3000}]})"
        );
        const auto start = id_->clock.now() + 24h * 30;
        occurrence_ = make(
            "/api/v1/offerings/" + std::to_string(event_) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":1})"
        );
    }
    std::string order(const std::string& email = "hanako@example.jp") const {
        return R"({"occurrence_id":)" + std::to_string(occurrence_) + R"(,"tickets":{"adult":1},)" +
               customer(email) + "}";
    }
    // A booking waiting for its payment: its reference and its checkout session's id.
    std::pair<std::string, std::string> book_unpaid() {
        auto r = book(order());
        EXPECT_EQ(r.status, 201) << r.body;
        const auto j = parse(r);
        EXPECT_EQ(j.at("status"), "held");
        EXPECT_EQ(j.at("payment").at("awaiting"), true);
        const std::string url(j.at("checkout").at("url").as_string());
        return {std::string(j.at("reference").as_string()), url.substr(url.rfind('/') + 1)};
    }
    boost::json::value booking(const std::string& reference) {
        auto r = call("GET", "/api/v1/bookings/" + reference, boss_);
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r);
    }
    // What the platform answered to the first event the control delivered.
    static boost::json::value answer(const boost::json::object& control) {
        const auto& d = control.at("deliveries").as_array().at(0).as_object();
        EXPECT_EQ(d.at("status"), 200) << boost::json::serialize(d);
        return boost::json::parse(d.at("body").as_string());
    }

    // Runs the refund jobs due now: what came of them.
    jobs::WorkerRun refunds() {
        jobs::Worker w(tdb_->db(), *id_->services->keyring, id_->clock);
        w.handle("refund", id_->services->payments.refund_handler());
        auto r = w.run_once();
        EXPECT_TRUE(r);
        return r ? *r : jobs::WorkerRun{};
    }
    // A booking paid through the stand-in: its reference.
    std::string paid_booking() {
        const auto [ref, session] = book_unpaid();
        EXPECT_EQ(
            answer(stripe_.control("sessions/" + session + "/pay")).at("outcome"), "confirmed"
        );
        return ref;
    }

    StripeStandIn stripe_;
    std::int64_t event_ = 0, occurrence_ = 0;
};

}  // namespace

TEST_P(Payments, PayingAtOnceHoldsThePlacesUntilTheProvidersEventConfirms) {
    auto account = parse(call("GET", "/api/v1/settings/payments/stripe", boss_));
    EXPECT_EQ(account.at("configured"), true);
    EXPECT_EQ(account.at("test_mode"), true);
    EXPECT_EQ(account.at("key_hint"), "cdef");
    EXPECT_EQ(boost::json::serialize(account).find("standin"), std::string::npos)
        << "the keys are never shown again";

    const auto [ref, session] = book_unpaid();
    EXPECT_EQ(parse(book(order("taro@example.jp"))).at("code"), "slot_taken")
        << "the one seat is held while she pays";
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.confirmed'"), 0)
        << "nothing is confirmed yet";

    // What the adapter asked of Stripe, as Stripe documents it.
    const auto sent = stripe_.control("requests").at("requests").as_array();
    ASSERT_EQ(sent.size(), 1u);
    const auto& form = sent[0].at("form").as_object();
    EXPECT_EQ(sent[0].at("path"), "/v1/checkout/sessions");
    EXPECT_EQ(form.at("client_reference_id"), boost::json::value(ref));
    EXPECT_EQ(form.at("line_items[0][price_data][unit_amount]"), "3000");
    EXPECT_EQ(form.at("line_items[0][price_data][currency]"), "jpy");
    EXPECT_EQ(sent[0].at("idempotency_key"), boost::json::value("checkout-" + ref));
    // Asking again gives the same page, not a second session.
    auto again = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings/" + ref + "/checkout",
        kJson,
        R"({"email":"hanako@example.jp"})"
    );
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_NE(std::string(parse(again).at("url").as_string()).find(session), std::string::npos);
    EXPECT_EQ(stripe_.control("requests").at("requests").as_array().size(), 1u);

    // The browser's return proves nothing; the signed event does.
    const auto paid = stripe_.control("sessions/" + session + "/pay");
    EXPECT_EQ(answer(paid).at("outcome"), "confirmed");
    auto b = booking(ref);
    EXPECT_EQ(b.at("status"), "confirmed");
    EXPECT_EQ(b.at("payment").at("state"), "paid");
    EXPECT_EQ(b.at("payment").at("paid_jpy"), 3000);
    EXPECT_EQ(b.at("payment").at("awaiting"), false);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.confirmed'"), 1)
        << "the confirmation mail, once";

    // Stripe delivers at least once: the same event again is harmless.
    const std::string event_id(paid.at("event").at("id").as_string());
    const auto repeat = stripe_.control("events/" + event_id + "/resend");
    EXPECT_EQ(answer(repeat).at("duplicate"), true);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.confirmed'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'booking.paid'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM payment_events"), 1);

    // Staff book as before: no checkout for them.
    const auto start = id_->clock.now() + 24h * 31;
    const auto other = make(
        "/api/v1/offerings/" + std::to_string(event_) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":5})"
    );
    auto staff = call(
        "POST",
        "/api/v1/bookings",
        boss_ + "Idempotency-Key: staff-booking-1\r\n",
        R"({"occurrence_id":)" + std::to_string(other) + R"(,"tickets":{"adult":1},)" + customer() +
            "}"
    );
    ASSERT_EQ(staff.status, 201) << staff.body;
    EXPECT_EQ(parse(staff).at("status"), "confirmed");
    EXPECT_EQ(parse(staff).at("payment").at("state"), "unpaid");
}

TEST_P(Payments, ForgedTamperedAndReorderedDeliveriesChangeNothingTheyShouldNot) {
    const auto [ref, session] = book_unpaid();
    // A forged signature: refused and recorded.
    const std::string fake = R"({"id":"evt_forged","type":"checkout.session.completed",
        "data":{"object":{"object":"checkout.session","id":")" +
                             session +
                             R"(","payment_status":"paid","amount_total":3000,"currency":"jpy",
        "client_reference_id":")" +
                             ref + R"(","payment_intent":"pi_x"}}})";
    const auto t =
        std::chrono::duration_cast<std::chrono::seconds>(id_->clock.now().time_since_epoch())
            .count();
    auto forged = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/payments/stripe/webhook",
        kJson + "Stripe-Signature: t=" + std::to_string(t) + ",v1=" +
            crypto::hmac_sha256_hex(
                "whsec_not_the_tenants_secret", std::to_string(t) + "." + fake
            ) +
            "\r\n",
        fake
    );
    EXPECT_EQ(forged.status, 403) << forged.body;
    EXPECT_EQ(
        scalar("SELECT count(*) FROM audit_log WHERE action = 'payments.webhook_refused'"), 1
    );
    EXPECT_EQ(booking(ref).at("status"), "held");

    // A payment of another amount confirms nothing.
    const auto tampered = stripe_.control("sessions/" + session + "/pay?amount=300");
    EXPECT_EQ(answer(tampered).at("outcome"), "amount_mismatch");
    EXPECT_EQ(booking(ref).at("status"), "held");
    EXPECT_EQ(booking(ref).at("payment").at("state"), "unpaid");

    // Konbini: completed with the payment still to make, then paid — delivered the wrong way
    // round, it ends confirmed all the same.
    const auto [ref2, session2] = [&] {
        auto r = call("DELETE", "/api/v1/bookings/" + ref, boss_);
        EXPECT_EQ(r.status, 200) << r.body;
        return book_unpaid();
    }();
    stripe_.control("hold_events");
    stripe_.control("sessions/" + session2 + "/pay?method=konbini");
    stripe_.control("sessions/" + session2 + "/konbini_paid");
    const auto flushed = stripe_.control("flush?order=reverse");
    const auto& d = flushed.at("deliveries").as_array();
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].at("type"), "checkout.session.async_payment_succeeded");
    EXPECT_EQ(boost::json::parse(d[0].at("body").as_string()).at("outcome"), "confirmed");
    EXPECT_EQ(boost::json::parse(d[1].at("body").as_string()).at("outcome"), "pending");
    EXPECT_EQ(booking(ref2).at("status"), "confirmed");
    EXPECT_EQ(booking(ref2).at("payment").at("state"), "paid");
}

TEST_P(Payments, APaymentAfterTheHoldRanOutIsRefundedInFull) {
    const auto [ref, session] = book_unpaid();
    id_->clock.set(id_->clock.now() + bookings::kCheckoutMinutes + 1min);
    stripe_.set_clock(id_->clock.now());
    ASSERT_TRUE(id_->services->bookings.release_expired_holds(salon_));
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    EXPECT_EQ(booking(ref).at("status"), "expired");
    EXPECT_EQ(parse(book(order("taro@example.jp"))).at("status"), "held") << "the seat came back";

    const auto late = stripe_.control("sessions/" + session + "/pay");
    EXPECT_EQ(answer(late).at("outcome"), "refunded_late");
    EXPECT_EQ(booking(ref).at("status"), "expired") << "nothing is booked twice";
    const auto sent = stripe_.control("requests").at("requests").as_array();
    const auto& refund = sent.back().as_object();
    EXPECT_EQ(refund.at("path"), "/v1/refunds");
    EXPECT_EQ(refund.at("form").at("amount"), "3000");
    EXPECT_EQ(
        refund.at("idempotency_key"),
        boost::json::value("late-" + std::string(late.at("event").at("id").as_string()))
    );
    EXPECT_EQ(
        scalar("SELECT count(*) FROM payments WHERE kind = 'refund' AND amount_jpy = 3000"), 1
    );
}

TEST_P(Payments, KeysAreCheckedSealedAndNeededForOnlinePayment) {
    auto bad = call(
        "PUT",
        "/api/v1/settings/payments/stripe",
        boss_,
        R"({"secret_key":"pk_test_publishable","webhook_secret":"whsec_0123456789abcdef"})"
    );
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "secret_key");
    // At rest, the secret is sealed: its text is nowhere in the table.
    auto plain = tdb_->db().read(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
        return stx.tx().query_one(
            "SELECT secret_key_sealed, webhook_secret_sealed, key_hint FROM payment_accounts"
        );
    });
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->blob("secret_key_sealed").bytes.find("sk_test"), std::string::npos);
    EXPECT_EQ(plain->blob("webhook_secret_sealed").bytes.find("whsec"), std::string::npos);
    // Nor anywhere in the database file (the same search finds the offering's name there).
    if (GetParam() == storage::Backend::sqlite) {
        const auto file = tdb_->url().substr(7);
        std::string raw;
        for (const auto& f : {file, file + "-wal"}) {
            std::ifstream in(f, std::ios::binary);
            raw += std::string(std::istreambuf_iterator<char>(in), {});
        }
        EXPECT_NE(raw.find("Concert"), std::string::npos);
        EXPECT_EQ(raw.find(StripeStandIn::kSecretKey), std::string::npos);
        EXPECT_EQ(raw.find(StripeStandIn::kWebhookSecret), std::string::npos);
    }

    // Without keys, a booking that must be paid at once is refused and leaves nothing held.
    ASSERT_EQ(call("DELETE", "/api/v1/settings/payments/stripe", boss_).status, 204);
    auto refused = book(order());
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE status IN ('held', 'confirmed')"), 0);
    EXPECT_EQ(parse(book(order("taro@example.jp"))).at("code"), "unprocessable")
        << "the seat is free again, and still not sold without payment";
}

TEST_P(Payments, ACancellationRefundsWhatTheFeeLeavesAndStaffRefundTheRest) {
    auto hook = call(
        "POST",
        "/api/v1/webhooks",
        boss_,
        R"({"url":"https://crm.example/hook","events":["booking.paid","booking.refunded"]})"
    );
    ASSERT_EQ(hook.status, 201) << hook.body;
    const auto ref = paid_booking();
    // 30 days ahead, the tier within 60 days charges half.
    auto cancelled = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings/" + ref + "/cancel",
        kJson,
        R"({"email":"hanako@example.jp","expected_fee_jpy":1500})"
    );
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(refunds().done, 1);
    auto b = booking(ref);
    EXPECT_EQ(b.at("status"), "cancelled");
    EXPECT_EQ(b.at("payment").at("state"), "partially_refunded");
    EXPECT_EQ(b.at("payment").at("refunded_jpy"), 1500);
    auto sent = stripe_.control("requests").at("requests").as_array();
    EXPECT_EQ(sent.back().at("path"), "/v1/refunds");
    EXPECT_EQ(sent.back().at("form").at("amount"), "1500");
    EXPECT_EQ(sent.back().at("idempotency_key"), boost::json::value("cancel-" + ref));
    EXPECT_EQ(refunds().done, 0) << "one refund, once";

    // Staff give back the fee as well; not more than was paid.
    auto over =
        call("POST", "/api/v1/bookings/" + ref + "/refund", boss_, R"({"amount_jpy":1501})");
    EXPECT_EQ(over.status, 400);
    EXPECT_EQ(field(over), "amount_jpy");
    // The provider fails once: the job is retried and the refund made once.
    stripe_.control("fail_refunds?n=1");
    auto rest =
        call("POST", "/api/v1/bookings/" + ref + "/refund", boss_, R"({"amount_jpy":1500})");
    ASSERT_EQ(rest.status, 202) << rest.body;
    EXPECT_EQ(refunds().retried, 1);
    EXPECT_EQ(booking(ref).at("payment").at("state"), "partially_refunded");
    id_->clock.set(id_->clock.now() + 1min);
    stripe_.set_clock(id_->clock.now());
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    EXPECT_EQ(refunds().done, 1);
    b = booking(ref);
    EXPECT_EQ(b.at("payment").at("state"), "refunded");
    EXPECT_EQ(b.at("payment").at("refunded_jpy"), 3000);
    EXPECT_EQ(scalar("SELECT count(*) FROM payments WHERE kind = 'refund'"), 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'booking.refunded'"), 2);
    // The day's sales: taken, given back, kept as the fee — on screen and as CSV.
    const auto today = format_rfc3339(id_->clock.now(), "Asia/Tokyo").substr(0, 10);
    auto sales = call("GET", "/api/v1/reports/sales?from=" + today + "&to=" + today, boss_);
    ASSERT_EQ(sales.status, 200) << sales.body;
    const auto total = parse(sales).at("total");
    EXPECT_EQ(total.at("sales_jpy"), 3000);
    EXPECT_EQ(total.at("refunds_jpy"), 3000);
    EXPECT_EQ(total.at("fees_jpy"), 1500);
    EXPECT_EQ(parse(sales).at("rows").at(0).at("offering"), "Concert");
    auto csv = call(
        "GET",
        "/api/v1/reports/sales?from=" + today + "&to=" + today + "&by=month&format=csv",
        boss_
    );
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(
        csv.body.find("\"Concert\",\"1\",\"3000\",\"3000\",\"1500\",\"0\""), std::string::npos
    ) << csv.body;
    EXPECT_EQ(
        field(call("GET", "/api/v1/reports/sales?from=" + today + "&to=2020-01-01", boss_)), "to"
    );
    // The venue's own systems hear of each payment and refund.
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.paid'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.refunded'"), 2);
}

TEST_P(Payments, AKonbiniPaymentKeepsThePlacesUntilItIsMadeAndAnEndedCheckoutLetsThemGo) {
    const auto [ref, session] = book_unpaid();
    EXPECT_EQ(
        answer(stripe_.control("sessions/" + session + "/pay?method=konbini")).at("outcome"),
        "pending"
    );
    auto b = booking(ref);
    EXPECT_EQ(b.at("status"), "held");
    EXPECT_EQ(b.at("payment").at("state"), "pending");
    const auto until = *parse_rfc3339(b.at("hold_expires_at").as_string());
    EXPECT_GT(until, id_->clock.now() + 24h) << "days to pay at the konbini, not minutes";
    id_->clock.set(id_->clock.now() + 2h);
    stripe_.set_clock(id_->clock.now());
    ASSERT_TRUE(id_->services->bookings.release_expired_holds(salon_));
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    EXPECT_EQ(booking(ref).at("status"), "held") << "still kept while the voucher runs";
    EXPECT_EQ(
        answer(stripe_.control("sessions/" + session + "/konbini_paid")).at("outcome"), "confirmed"
    );
    EXPECT_EQ(booking(ref).at("payment").at("state"), "paid");

    // A checkout that expires unpaid gives its places back at once, not at the hold's end.
    const auto start = id_->clock.now() + 24h * 40;
    const auto other = make(
        "/api/v1/offerings/" + std::to_string(event_) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":1})"
    );
    occurrence_ = other;
    const auto [ref2, session2] = book_unpaid();
    EXPECT_EQ(
        answer(stripe_.control("sessions/" + session2 + "/expire")).at("outcome"), "checkout_ended"
    );
    ASSERT_TRUE(id_->services->bookings.release_expired_holds(salon_));
    EXPECT_EQ(booking(ref2).at("status"), "expired");
    EXPECT_EQ(parse(book(order("taro@example.jp"))).at("status"), "held")
        << "the seat is free again";
}

TEST_P(Payments, APayLaterBookingIsPaidFromItsPageBeforeTheDeadline) {
    const auto later = offering(
        R"({"kind":"event","name":"Workshop","published":true,"payment":"online_later",
            "pay_by_minutes":1440,"ticket_types":[{"code":"adult","name":"Adult","price_jpy":2000}]})"
    );
    const auto start = id_->clock.now() + 24h * 10;
    occurrence_ = make(
        "/api/v1/offerings/" + std::to_string(later) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":3})"
    );
    auto r = book(order());
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(parse(r).at("status"), "confirmed") << "booked now, paid later";
    EXPECT_FALSE(parse(r).as_object().contains("checkout"));
    const std::string ref(parse(r).at("reference").as_string());
    const auto open_page = [&] {
        return request(
            server_->port(),
            "POST",
            "/api/v1/public/salon/bookings/" + ref + "/checkout",
            kJson,
            R"({"email":"hanako@example.jp"})"
        );
    };
    auto page = open_page();
    ASSERT_EQ(page.status, 200) << page.body;
    const std::string url(parse(page).at("url").as_string());
    const auto expires = *parse_rfc3339(parse(page).at("expires_at").as_string());
    EXPECT_LE(expires, id_->clock.now() + 24h) << "a day at most";
    const auto paid = stripe_.control("sessions/" + url.substr(url.rfind('/') + 1) + "/pay");
    EXPECT_EQ(answer(paid).at("outcome"), "paid");
    auto b = booking(ref);
    EXPECT_EQ(b.at("status"), "confirmed");
    EXPECT_EQ(b.at("payment").at("state"), "paid");
    EXPECT_EQ(b.at("payment").at("paid_jpy"), 2000);
    EXPECT_EQ(open_page().status, 422) << "nothing left to pay";
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Payments,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

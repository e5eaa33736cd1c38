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
#include "http/payments_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {
class Payments : public PaymentsFixture {};
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

TEST_P(Payments, APaymentAfterTheHoldRanOutRetakesItsPlacesWhenStillFree) {
    const auto [ref, session] = book_unpaid();
    id_->clock.set(id_->clock.now() + bookings::kCheckoutMinutes + 1min);
    stripe_.set_clock(id_->clock.now());
    ASSERT_TRUE(id_->services->bookings.release_expired_holds(salon_));
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    EXPECT_EQ(booking(ref).at("status"), "expired");
    EXPECT_EQ(scalar("SELECT taken FROM occurrences"), 0) << "the seat went back";

    EXPECT_EQ(answer(stripe_.control("sessions/" + session + "/pay")).at("outcome"), "confirmed");
    auto b = booking(ref);
    EXPECT_EQ(b.at("status"), "confirmed") << "nobody had taken the seat: it is hers again";
    EXPECT_EQ(b.at("payment").at("state"), "paid");
    EXPECT_EQ(scalar("SELECT taken FROM occurrences"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM payments WHERE kind = 'refund'"), 0);
    EXPECT_EQ(parse(book(order("taro@example.jp"))).at("code"), "slot_taken");
}

TEST_P(Payments, ARentalPaidWhenBookingIsSoldAndRefundedThroughTheProvider) {
    const auto room = resource("room", "", kEveryDay);
    const auto rent = offering(
        R"({"kind":"rental","name":"会議室","published":true,"duration_minutes":60,
            "min_blocks":1,"max_blocks":3,"price_jpy":2000,"payment":"online_now",
            "resource_ids":[)" +
        std::to_string(room) + "]}"
    );
    // 09:00 in Tokyo, ten days on.
    const auto at =
        format_rfc3339(std::chrono::floor<std::chrono::days>(id_->clock.now() + 240h), "UTC");
    auto r = book(
        R"({"offering_id":)" + std::to_string(rent) + R"(,"starts_at":")" + at +
        R"(","blocks":2,)" + customer() + "}"
    );
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(parse(r).at("status"), "held");
    EXPECT_EQ(parse(r).at("total_jpy"), 4000);
    const std::string ref(parse(r).at("reference").as_string());
    const std::string url(parse(r).at("checkout").at("url").as_string());
    EXPECT_EQ(
        answer(stripe_.control("sessions/" + url.substr(url.rfind('/') + 1) + "/pay"))
            .at("outcome"),
        "confirmed"
    );
    EXPECT_EQ(booking(ref).at("payment").at("paid_jpy"), 4000);
    // The customer cancels (no fee tiers): all of it goes back through the provider.
    auto cancelled = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings/" + ref + "/cancel",
        kJson,
        R"({"email":"hanako@example.jp"})"
    );
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(refunds().done, 1);
    EXPECT_EQ(booking(ref).at("payment").at("state"), "refunded");
    const auto sent = stripe_.control("requests").at("requests").as_array();
    EXPECT_EQ(sent.back().at("path"), "/v1/refunds");
    EXPECT_EQ(sent.back().at("form").at("amount"), "4000");
    EXPECT_EQ(starts(availability(rent, at.substr(0, 10), at.substr(0, 10))).size(), 3u)
        << "the room is free again";
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
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'payment.received'"), 1)
        << "the customer hears the payment came, with the way to the receipt";
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Payments,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

TEST_P(Payments, TheDailyReconciliationFindsMoneyNoBookingKnows) {
    const auto ref = paid_booking();
    auto cancelled = call("DELETE", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(refunds().done, 1);
    const auto day = format_rfc3339(id_->clock.now(), "Asia/Tokyo").substr(0, 10);
    auto early =
        call("POST", "/api/v1/reports/reconciliations", boss_, R"({"date":")" + day + "\"}");
    EXPECT_EQ(early.status, 422) << "the day is not over";
    EXPECT_EQ(field(early), "date");

    // Two days on, the day is set against the stand-in's balance: a payment and its refund.
    now_is(format_rfc3339(id_->clock.now() + 48h, "UTC"));
    auto ok = call("POST", "/api/v1/reports/reconciliations", boss_, R"({"date":")" + day + "\"}");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(parse(ok).at("state"), "ok") << ok.body;
    EXPECT_EQ(parse(ok).at("checked"), 2);
    const auto sent = stripe_.control("requests").at("requests").as_array();
    EXPECT_EQ(sent.back().at("path"), "/v1/balance_transactions");
    EXPECT_EQ(sent.back().at("form").at("expand[]"), "data.source");

    // Money taken outside Yoyaku on that day: a mismatch, audited and mailed to the managers.
    stripe_.set_clock(id_->clock.now() - 48h);
    stripe_.control("balance/stray?amount=5000");
    stripe_.set_clock(id_->clock.now());
    auto bad = call("POST", "/api/v1/reports/reconciliations", boss_, R"({"date":")" + day + "\"}");
    ASSERT_EQ(bad.status, 200) << bad.body;
    const auto found = parse(bad);
    EXPECT_EQ(found.at("state"), "mismatch");
    const auto& m = found.at("mismatches").as_array();
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].at("kind"), "unknown_to_yoyaku");
    EXPECT_EQ(m[0].at("provider_jpy"), 5000);
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'payments.reconciliation'"), 1);
    EXPECT_EQ(
        scalar("SELECT count(*) FROM audit_log WHERE action = 'payments.reconciliation_mismatch'"),
        1
    );
    auto list = parse(call("GET", "/api/v1/reports/reconciliations", boss_));
    ASSERT_EQ(list.at("items").as_array().size(), 1u) << "one row per day, the last run kept";
    EXPECT_EQ(list.at("items").at(0).at("state"), "mismatch");
    // The daily job reconciles yesterday (nothing moved), once however often it runs.
    for (int i = 0; i < 2; ++i) {
        auto all = id_->services->reconciler.run_all();
        ASSERT_TRUE(all);
        EXPECT_EQ(*all, 0);
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM reconciliations"), 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'payments.reconciled'"), 2)
        << "the day by hand and yesterday by the job, once";
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'payments.reconciliation'"), 1);
}

TEST_P(Payments, AWaitlistWinnerPaysFromTheirLinkByADeadlineOrLosesThePlace) {
    const auto rush = offering(
        R"({"kind":"event","name":"Rush","published":true,"payment":"online_now",
            "waitlist":"automatic","ticket_types":[{"code":"adult","name":"Adult","price_jpy":3000}]})"
    );
    const auto start = id_->clock.now() + 24h * 20;
    occurrence_ = make(
        "/api/v1/offerings/" + std::to_string(rush) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":1})"
    );
    const auto first = paid_booking();
    id_->account(salon_, access::Role::customer, "member@example.jp");
    const auto member = signed_in_headers(server_->port(), "salon", "member@example.jp");
    auto joined = call(
        "POST",
        "/api/v1/public/salon/waitlist",
        member,
        R"({"occurrence_id":)" + std::to_string(occurrence_) +
            R"(,"tickets":{"adult":1},"customer":{"name":"Member","email":"member@example.jp"}})"
    );
    ASSERT_EQ(joined.status, 201) << joined.body;
    // The place frees: the member has it at once, owing the payment, with a deadline.
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + first, boss_).status, 200);
    auto row = tdb_->db().read(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
        return stx.tx().query_one(
            "SELECT reference FROM bookings WHERE status = 'confirmed' AND payment_state = 'unpaid'"
        );
    });
    ASSERT_TRUE(row) << "the winner's booking";
    const std::string won = row->text("reference");
    EXPECT_EQ(
        scalar("SELECT next_attempt_at FROM outbox WHERE kind = 'booking.unpaid'"),
        to_micros(id_->clock.now() + bookings::kWinnerPayHours)
    ) << "cancelled unpaid two days on";
    // Their page takes them to the provider; the payment makes it theirs for good.
    auto page = call("POST", "/api/v1/public/salon/bookings/" + won + "/checkout", member, "{}");
    ASSERT_EQ(page.status, 200) << page.body;
    const std::string url(parse(page).at("url").as_string());
    EXPECT_EQ(
        answer(stripe_.control("sessions/" + url.substr(url.rfind('/') + 1) + "/pay"))
            .at("outcome"),
        "paid"
    );
    EXPECT_EQ(booking(won).at("payment").at("state"), "paid");
}

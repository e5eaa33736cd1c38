// Stripe's adapter without a network: signatures as Stripe documents them, events read into
// what Yoyaku acts on, and the form a checkout and a refund send.

#include "domain/payments/stripe.hpp"

#include <gtest/gtest.h>

#include "crypto/hash.hpp"

using namespace yoyaku;
using namespace yoyaku::payments;

namespace {

const std::string kSecret = "whsec_test_0123456789abcdef";
const Instant kNow = Instant(std::chrono::seconds(1'800'000'000));

std::string signature(
    const std::string& payload, std::int64_t t, const std::string& secret = kSecret
) {
    return "t=" + std::to_string(t) +
           ",v1=" + crypto::hmac_sha256_hex(secret, std::to_string(t) + "." + payload);
}

// Records what the adapter sends and answers with `reply`.
class RecordingTransport final : public Transport {
public:
    explicit RecordingTransport(HttpReply reply) : reply_(std::move(reply)) {}
    Result<HttpReply> send(const HttpCall& call) override {
        calls.push_back(call);
        return reply_;
    }
    std::vector<HttpCall> calls;

private:
    HttpReply reply_;
};

std::string header(const HttpCall& c, std::string_view name) {
    for (const auto& [k, v] : c.headers)
        if (k == name) return v;
    return {};
}

const std::string kCompleted =
    R"({"id":"evt_1","type":"checkout.session.completed","data":{"object":{"object":"checkout.session",
    "id":"cs_test_1","payment_status":"paid","amount_total":3000,"currency":"jpy",
    "client_reference_id":"ABCDEFGHJK","payment_intent":"pi_1"}}})";

}  // namespace

TEST(StripeSignature, AcceptsTheDocumentedSchemeAndRefusesAnythingElse) {
    const auto now_s = 1'800'000'000;
    EXPECT_TRUE(verify_stripe_signature(kCompleted, signature(kCompleted, now_s), kSecret, kNow));
    // Several v1 signatures (a secret being rolled): one that verifies is enough.
    EXPECT_TRUE(verify_stripe_signature(
        kCompleted,
        "t=" + std::to_string(now_s) + ",v1=00ff,v0=abc," +
            signature(kCompleted, now_s).substr(signature(kCompleted, now_s).find("v1=")),
        kSecret,
        kNow
    ));
    auto forged = verify_stripe_signature(
        kCompleted, signature(kCompleted, now_s, "whsec_someone_else_entirely"), kSecret, kNow
    );
    ASSERT_FALSE(forged);
    EXPECT_EQ(forged.error().code, Errc::forbidden);
    EXPECT_FALSE(
        verify_stripe_signature(kCompleted + " ", signature(kCompleted, now_s), kSecret, kNow)
    ) << "a changed body";
    EXPECT_FALSE(
        verify_stripe_signature(kCompleted, signature(kCompleted, now_s - 301), kSecret, kNow)
    ) << "older than five minutes";
    EXPECT_TRUE(
        verify_stripe_signature(kCompleted, signature(kCompleted, now_s - 299), kSecret, kNow)
    );
    EXPECT_FALSE(verify_stripe_signature(kCompleted, "", kSecret, kNow));
    EXPECT_FALSE(verify_stripe_signature(kCompleted, "t=abc,v1=00", kSecret, kNow));
    EXPECT_FALSE(verify_stripe_signature(kCompleted, signature(kCompleted, now_s), "", kNow));
}

TEST(StripeEvents, ReadsWhatABookingNeedsFromASignedEvent) {
    RecordingTransport none({200, "{}"});
    StripeProvider stripe(none, "http://stand-in");
    const Credentials keys{"sk_test_x", kSecret};
    auto e = stripe.read_event(keys, kCompleted, signature(kCompleted, 1'800'000'000), kNow);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->id, "evt_1");
    EXPECT_EQ(e->kind, Event::Kind::checkout_paid);
    EXPECT_EQ(e->reference, "ABCDEFGHJK");
    EXPECT_EQ(e->checkout_id, "cs_test_1");
    EXPECT_EQ(e->payment_ref, "pi_1");
    EXPECT_EQ(e->amount, 3000);
    EXPECT_EQ(e->currency, "jpy");

    std::string konbini = kCompleted;
    konbini.replace(konbini.find("\"paid\""), 6, "\"unpaid\"");
    e = stripe.read_event(keys, konbini, signature(konbini, 1'800'000'000), kNow);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, Event::Kind::checkout_pending) << "completed, the konbini payment to come";

    const std::string other =
        R"({"id":"evt_2","type":"customer.created","data":{"object":{"object":"customer"}}})";
    e = stripe.read_event(keys, other, signature(other, 1'800'000'000), kNow);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, Event::Kind::other);

    const std::string junk = "[1,2]";
    e = stripe.read_event(keys, junk, signature(junk, 1'800'000'000), kNow);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, Errc::invalid_input);
}

TEST(StripeCalls, ACheckoutAndARefundSendTheDocumentedForm) {
    RecordingTransport t(
        {200,
         R"({"id":"cs_test_9","object":"checkout.session","url":"http://stand-in/pay/cs_test_9","expires_at":1800002100})"}
    );
    StripeProvider stripe(t, "http://stand-in");
    const Credentials keys{"sk_test_abcdefghijklmnop", kSecret};
    auto c = stripe.create_checkout(
        keys,
        {"ABCDEFGHJK",
         "Concert & talk",
         3000,
         "h+1@example.jp",
         "https://b.example/s?a=1",
         "https://b.example/c",
         kNow + std::chrono::minutes(35),
         "checkout-ABCDEFGHJK"}
    );
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->id, "cs_test_9");
    EXPECT_EQ(c->url, "http://stand-in/pay/cs_test_9");
    ASSERT_EQ(t.calls.size(), 1u);
    const auto& call = t.calls[0];
    EXPECT_EQ(call.url, "http://stand-in/v1/checkout/sessions");
    EXPECT_EQ(header(call, "Authorization"), "Bearer sk_test_abcdefghijklmnop");
    EXPECT_EQ(header(call, "Idempotency-Key"), "checkout-ABCDEFGHJK");
    EXPECT_NE(call.body.find("mode=payment"), std::string::npos);
    EXPECT_NE(
        call.body.find("line_items%5B0%5D%5Bprice_data%5D%5Bcurrency%5D=jpy"), std::string::npos
    ) << call.body;
    EXPECT_NE(call.body.find("unit_amount%5D=3000"), std::string::npos);
    EXPECT_NE(call.body.find("Concert%20%26%20talk"), std::string::npos) << "encoded";
    EXPECT_NE(call.body.find("expires_at=1800002100"), std::string::npos);
    EXPECT_NE(call.body.find("customer_email=h%2B1%40example.jp"), std::string::npos)
        << "a plus stays a plus";
    EXPECT_NE(call.body.find("success_url=https%3A%2F%2Fb.example%2Fs%3Fa%3D1"), std::string::npos);

    RecordingTransport refused({401, R"({"error":{"message":"Invalid API Key provided"}})"});
    StripeProvider wrong_key(refused, "http://stand-in");
    auto r = wrong_key.refund(keys, {"pi_1", 1500, "refund-1"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "secret_key");
    RecordingTransport down({503, "{}"});
    StripeProvider busy(down, "http://stand-in");
    r = busy.refund(keys, {"pi_1", 1500, "refund-1"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::unavailable) << "retried later";
}

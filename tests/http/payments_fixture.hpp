#pragma once
// Bookings paid through the Stripe stand-in (tests/support/stripe_standin.py): a tenant with
// its keys set, an event paid at once with one seat, and the stand-in's events sent to the
// tenant's webhook.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/jobs/jobs.hpp"
#include "support/booking_fixture.hpp"
#include "support/stripe_standin.hpp"

namespace yoyaku::testing {

using namespace std::chrono_literals;

class PaymentsFixture : public BookingFixture {
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

}  // namespace yoyaku::testing

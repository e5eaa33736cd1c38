#pragma once
// The booking tests' fixture: a tenant "salon" with its manager signed in, an API server on
// either backend, and helpers to make resources and offerings, book and read availability.
// The fake clock starts on Friday 2027-01-15 17:00 in Tokyo.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/api/api.hpp"
#include "support/http_client.hpp"
#include "support/identity.hpp"
#include "support/test_server.hpp"

namespace yoyaku::testing {

inline const std::string kJson = "Content-Type: application/json\r\n";
inline const std::string kWeekdays =
    R"({"mon":[{"opens":"09:00","closes":"12:00"}],"tue":[{"opens":"09:00","closes":"12:00"}],
        "wed":[{"opens":"09:00","closes":"12:00"}],"thu":[{"opens":"09:00","closes":"12:00"}],
        "fri":[{"opens":"09:00","closes":"12:00"}]})";
inline const std::string kEveryDay =
    R"({"mon":[{"opens":"09:00","closes":"12:00"}],"tue":[{"opens":"09:00","closes":"12:00"}],
        "wed":[{"opens":"09:00","closes":"12:00"}],"thu":[{"opens":"09:00","closes":"12:00"}],
        "fri":[{"opens":"09:00","closes":"12:00"}],"sat":[{"opens":"09:00","closes":"12:00"}],
        "sun":[{"opens":"09:00","closes":"12:00"}]})";

inline boost::json::value parse(const HttpResult& r) {
    return boost::json::parse(r.body.empty() ? "null" : r.body);
}

class BookingFixture : public ::testing::TestWithParam<storage::Backend> {
protected:
    virtual accounts::DefenceOptions defence() const { return test_defence(); }
    /// Where the services find Stripe (a stand-in's address in the payment tests).
    virtual std::string stripe_api_base() const { return kNoStripe; }
    /// Where the services find LINE (the stand-in's address in the LINE tests).
    virtual std::string line_base() const { return kNoStripe; }
    /// Where the services find Zoom (the stand-in's address in the meeting tests).
    virtual std::string zoom_base() const { return kNoStripe; }
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(
            tdb_->db(),
            defence(),
            accounts::AuthOptions{false, false},
            stripe_api_base(),
            line_base(),
            zoom_base()
        );
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        server_ = id_->api_server(*ctx_);
        salon_ = id_->tenant("salon", "boss@salon.example");
        boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    }
    HttpResult call(
        const std::string& method,
        const std::string& target,
        const std::string& who,
        const std::string& body = ""
    ) {
        return request(server_->port(), method, target, who + (body.empty() ? "" : kJson), body);
    }
    // Moves the fake clock; sessions idle that long end, so the manager signs in again.
    void now_is(const std::string& when) {
        id_->clock.set(*parse_rfc3339(when));
        boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    }
    std::int64_t make(const std::string& path, const std::string& body) {
        auto r = call("POST", path, boss_, body);
        EXPECT_EQ(r.status, 201) << path << " " << r.body;
        return r.status == 201 ? parse(r).at("id").as_int64() : 0;
    }
    std::int64_t resource(
        const std::string& kind, const std::string& extra, const std::string& hours = kWeekdays
    ) {
        return make(
            "/api/v1/resources",
            R"({"kind":")" + kind + R"(","name":"R )" + std::to_string(++made_) + "\"," + extra +
                (extra.empty() ? "" : ",") + R"("hours":)" + hours + "}"
        );
    }
    std::int64_t offering(const std::string& body) { return make("/api/v1/offerings", body); }
    HttpResult availability(std::int64_t offering, const std::string& from, const std::string& to) {
        return call(
            "GET",
            "/api/v1/public/salon/offerings/" + std::to_string(offering) +
                "/availability?from=" + from + "&to=" + to,
            ""
        );
    }
    std::vector<std::string> starts(const HttpResult& r) {
        std::vector<std::string> out;
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status != 200) return out;
        const auto body = parse(r);
        for (const auto& s : body.at("slots").as_array())
            out.emplace_back(s.at("starts_at").as_string());
        return out;
    }
    HttpResult book(
        const std::string& body, const std::string& who = "", const std::string& key = ""
    ) {
        return request(
            server_->port(),
            "POST",
            "/api/v1/public/salon/bookings",
            who + kJson + "Idempotency-Key: " +
                (key.empty() ? "booking-key-" + std::to_string(++keys_) : key) + "\r\n",
            body
        );
    }
    static std::string customer(const std::string& email = "hanako@example.jp") {
        return R"("customer":{"name":"山田 花子","email":")" + email +
               R"(","phone":"090-1234-5678"})";
    }
    std::int64_t scalar(const std::string& sql) {
        auto r = tdb_->db().read(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
            return stx.tx().query_one(sql);
        });
        EXPECT_TRUE(r) << sql;
        return r ? r->i64(0) : -1;
    }
    static std::string field(const HttpResult& r) {
        return std::string(boost::json::parse(r.body).at("field").as_string());
    }
    static std::string str(const HttpResult& r, const char* key) {
        return std::string(boost::json::parse(r.body).at(key).as_string());
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    TenantId salon_{0};
    std::string boss_;
    int made_ = 0;
    std::atomic<int> keys_ = 0;  // racing tests book from several threads
};

inline std::string backend_name(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace yoyaku::testing

// Event bookings end to end on both backends (SPEC invariants, ADR 0009): a rush of 256
// concurrent requests for 100 seats confirms exactly 100; 64 simultaneous requests for one
// seat have one winner, round after round; Idempotency-Key retries return the first answer;
// input errors name the field; the customer is sealed at rest; cancelling gives seats back.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "http/api/api.hpp"
#include "support/http_client.hpp"
#include "support/identity.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

const std::string kJson = "Content-Type: application/json\r\n";

class BookingsApi : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(tdb_->db());
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        server_ = id_->api_server(*ctx_);
        hall_ = id_->tenant("hall", "boss@hall.example");
        boss_ = signed_in_headers(server_->port(), "hall", "boss@hall.example");
        auto o = call(
            "POST",
            "/api/v1/offerings",
            boss_,
            R"({"kind":"event","name":"第九演奏会","published":true,"closes_before_minutes":60,
                "cancel_before_minutes":1440,"max_per_order":6,
                "ticket_types":[{"code":"adult","name":"一般","price_jpy":3000,"max_per_order":4},
                                {"code":"child","name":"小学生","price_jpy":1000}]})"
        );
        ASSERT_EQ(o.status, 201) << o.body;
        offering_ = std::to_string(boost::json::parse(o.body).at("id").as_int64());
    }
    HttpResult call(
        const std::string& method,
        const std::string& target,
        const std::string& who,
        const std::string& body = ""
    ) {
        return request(server_->port(), method, target, who + (body.empty() ? "" : kJson), body);
    }
    // An occurrence `in` from now with `capacity` seats; its id.
    std::int64_t occurrence(int capacity, std::chrono::hours in = 24h * 30) {
        const auto start = id_->clock.now() + in;
        auto r = call(
            "POST",
            "/api/v1/offerings/" + offering_ + "/occurrences",
            boss_,
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":)" + std::to_string(capacity) +
                "}"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return boost::json::parse(r.body).at("id").as_int64();
    }
    static std::string order(
        std::int64_t occ,
        const std::string& tickets = R"({"adult":1})",
        const std::string& email = "hanako@example.jp"
    ) {
        return R"({"occurrence_id":)" + std::to_string(occ) + R"(,"tickets":)" + tickets +
               R"(,"customer":{"name":"山田 花子","email":")" + email +
               R"(","phone":"090-1234-5678"}})";
    }
    HttpResult book(const std::string& key, const std::string& body) {
        return request(
            server_->port(),
            "POST",
            "/api/v1/public/hall/bookings",
            kJson + (key.empty() ? "" : "Idempotency-Key: " + key + "\r\n"),
            body
        );
    }
    std::int64_t scalar(const std::string& sql) {
        auto r = tdb_->db().read(storage::TenantScope(hall_), [&](storage::ScopedTx& stx) {
            return stx.tx().query_one(sql);
        });
        EXPECT_TRUE(r) << sql;
        return r ? r->i64(0) : -1;
    }
    static std::string field(const HttpResult& r) {
        return std::string(boost::json::parse(r.body).at("field").as_string());
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    TenantId hall_{0};
    std::string boss_, offering_;
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace

TEST_P(BookingsApi, ARushOf256ConfirmsExactly100Seats) {
    const auto occ = occurrence(100);
    std::atomic<int> confirmed{0}, full{0}, other{0};
    std::latch start(256);
    std::vector<std::thread> clients;
    for (int i = 0; i < 256; ++i)
        clients.emplace_back([&, i] {
            start.arrive_and_wait();
            auto r = book("rush-key-" + std::to_string(i), order(occ));
            if (r.status == 201)
                ++confirmed;
            else if (r.status == 409)
                ++full;
            else
                ++other;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(confirmed.load(), 100);
    EXPECT_EQ(full.load(), 156);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occ)), 100);
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 100);
    EXPECT_EQ(scalar("SELECT count(DISTINCT reference) FROM bookings"), 100);
}

TEST_P(BookingsApi, SixtyFourRequestsForOneSeatHaveOneWinnerEveryRound) {
    for (int round = 0; round < 8; ++round) {
        const auto occ = occurrence(1, 24h * (30 + round));
        std::atomic<int> winners{0}, refused{0};
        std::latch start(64);
        std::vector<std::thread> clients;
        for (int i = 0; i < 64; ++i)
            clients.emplace_back([&, i] {
                start.arrive_and_wait();
                auto r =
                    book("race-" + std::to_string(round) + "-" + std::to_string(i), order(occ));
                if (r.status == 201)
                    ++winners;
                else if (r.status == 409)
                    ++refused;
            });
        for (auto& t : clients) t.join();
        EXPECT_EQ(winners.load(), 1) << "round " << round;
        EXPECT_EQ(refused.load(), 63) << "round " << round;
    }
}

TEST_P(BookingsApi, ARetryWithTheSameKeyReturnsTheFirstAnswer) {
    const auto occ = occurrence(10);
    auto first = book("order-7f3a9c21", order(occ, R"({"adult":2,"child":1})"));
    ASSERT_EQ(first.status, 201) << first.body;
    const auto b = boost::json::parse(first.body).as_object();
    EXPECT_EQ(b.at("total_jpy").as_int64(), 7000);
    EXPECT_EQ(b.at("seats").as_int64(), 3);
    EXPECT_EQ(b.at("reference").as_string().size(), 10u);
    EXPECT_FALSE(b.contains("customer")) << "the guest's answer does not echo personal data";
    auto again = book("order-7f3a9c21", order(occ, R"({"adult":2,"child":1})"));
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("idempotent-replayed"), "true");
    auto other = book("order-7f3a9c21", order(occ, R"({"adult":1})"));
    EXPECT_EQ(other.status, 400);
    EXPECT_EQ(field(other), "Idempotency-Key");
    EXPECT_EQ(field(book("", order(occ))), "Idempotency-Key");
    // Sixteen copies of one request at once: one booking.
    std::latch start(16);
    std::vector<std::thread> copies;
    std::vector<std::string> references(16);
    for (int i = 0; i < 16; ++i)
        copies.emplace_back([&, i] {
            start.arrive_and_wait();
            auto r = book("order-dup-00000001", order(occ));
            if (r.status == 201)
                references[i] = std::string(boost::json::parse(r.body).at("reference").as_string());
        });
    for (auto& t : copies) t.join();
    for (const auto& r : references) EXPECT_EQ(r, references[0]);
    EXPECT_EQ(scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occ)), 4);
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 2);
}

TEST_P(BookingsApi, BadOrdersNameTheFieldAndTakeNothing) {
    const auto occ = occurrence(10);
    auto expect = [&](const std::string& body, int status, const std::string& f) {
        auto r = book("bad-order-" + std::to_string(std::hash<std::string>{}(body)), body);
        EXPECT_EQ(r.status, status) << body << " → " << r.body;
        if (r.status == status) {
            EXPECT_EQ(field(r), f) << r.body;
        }
    };
    expect(order(occ, R"({"vip":1})"), 400, "tickets.vip");
    expect(order(occ, R"({"adult":5})"), 422, "tickets.adult");
    expect(order(occ, R"({"adult":4,"child":3})"), 422, "tickets");
    expect(order(occ, R"({"adult":0})"), 400, "tickets");
    expect(order(occ, R"({"adult":1})", "not-an-email"), 400, "customer.email");
    expect(
        R"({"occurrence_id":1,"tickets":{"adult":1},"customer":{"name":"x","email":"a@b.jp","age":3}})",
        400,
        "customer.age"
    );
    expect(R"({"occurrence_id":"one","tickets":{},"customer":{}})", 400, "occurrence_id");
    EXPECT_EQ(book("bad-order-nosuch", order(999999)).status, 404);
    const auto soon = occurrence(10, 0h);
    auto late = book("bad-order-late01", order(soon));
    EXPECT_EQ(late.status, 422) << "booking closes an hour before the start";
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM occurrences WHERE taken > 0"), 0);
}

// SPEC S6, issue 24 defect 1: an integration token writes with every scope it carries (it
// acts as "api_token:<id>" in the role "integration"), on both databases.
TEST_P(BookingsApi, IntegrationTokensWriteWithTheScopesTheyCarry) {
    auto made = call(
        "POST",
        "/api/v1/api-tokens",
        boss_,
        R"({"name":"基幹システム","scopes":["tenant.setup.manage","tenant.bookings.manage",
            "tenant.bookings.read","tenant.checkin"]})"
    );
    ASSERT_EQ(made.status, 201) << made.body;
    const auto token = boost::json::parse(made.body).as_object();
    const std::string bearer =
        "Authorization: Bearer " + std::string(token.at("token").as_string()) + "\r\n";
    auto offering = call(
        "POST",
        "/api/v1/offerings",
        bearer,
        R"({"kind":"event","name":"連携公演","published":true,
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":2000}]})"
    );
    ASSERT_EQ(offering.status, 201) << offering.body;
    const auto id = std::to_string(boost::json::parse(offering.body).at("id").as_int64());
    const auto start = id_->clock.now() + 24h * 10;
    auto occ = call(
        "POST",
        "/api/v1/offerings/" + id + "/occurrences",
        bearer,
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":10})"
    );
    ASSERT_EQ(occ.status, 201) << occ.body;
    auto booked = call(
        "POST",
        "/api/v1/bookings",
        bearer + "Idempotency-Key: integration-order-1\r\n",
        order(boost::json::parse(occ.body).at("id").as_int64(), R"({"adult":2})")
    );
    ASSERT_EQ(booked.status, 201) << booked.body;
    const std::string ref(boost::json::parse(booked.body).at("reference").as_string());
    auto paid = call("POST", "/api/v1/bookings/" + ref + "/paid", bearer, "{}");
    EXPECT_EQ(paid.status, 200) << paid.body;
    auto cancelled = call("DELETE", "/api/v1/bookings/" + ref, bearer);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(boost::json::parse(cancelled.body).at("status").as_string(), "cancelled");

    // The audit log names the token, not the manager who made it.
    auto log = call("GET", "/api/v1/audit-entries?action=booking.cancelled", boss_);
    ASSERT_EQ(log.status, 200) << log.body;
    const auto entries = boost::json::parse(log.body).at("items").as_array();
    ASSERT_EQ(entries.size(), 1u);
    const auto& actor = entries[0].at("actor").as_object();
    EXPECT_EQ(actor.at("id").as_string(), "api_token:" + std::to_string(token.at("id").as_int64()));
    EXPECT_EQ(actor.at("role").as_string(), "integration");
}

TEST_P(BookingsApi, TheCustomerIsSealedAndCancellingGivesSeatsBack) {
    const auto occ = occurrence(5);
    auto r = book(
        "canary-order-01",
        R"({"occurrence_id":)" + std::to_string(occ) +
            R"(,"tickets":{"adult":2},"customer":{"name":"カナリア太郎","email":"canary-7731@example.jp"}})"
    );
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string ref(boost::json::parse(r.body).at("reference").as_string());
    // Staff see the customer; the database holds them sealed.
    auto seen = call("GET", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(seen.status, 200);
    EXPECT_EQ(boost::json::parse(seen.body).at("customer").at("name").as_string(), "カナリア太郎");
    auto raw = tdb_->db().read(storage::TenantScope(hall_), [](storage::ScopedTx& stx) {
        return stx.tx().query_one("SELECT customer_sealed FROM bookings");
    });
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->blob(0).bytes.find("canary-7731"), std::string::npos);
    if (GetParam() == storage::Backend::sqlite) {
        // The database file and its WAL, where the committed pages are now.
        for (const auto& entry : std::filesystem::directory_iterator(tdb_->dir().path())) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream bytes;
            bytes << in.rdbuf();
            EXPECT_EQ(bytes.str().find("canary-7731"), std::string::npos) << entry.path();
            EXPECT_EQ(bytes.str().find("カナリア"), std::string::npos) << entry.path();
        }
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE kind = 'booking.confirmed'"), 1)
        << "the confirmation mail is queued with the booking";
    auto cancelled = call("DELETE", "/api/v1/bookings/" + ref, boss_);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(boost::json::parse(cancelled.body).at("status").as_string(), "cancelled");
    EXPECT_EQ(scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occ)), 0);
    EXPECT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 422);
    auto offers = request(server_->port(), "GET", "/api/v1/public/hall/offerings");
    ASSERT_EQ(offers.status, 200);
    EXPECT_EQ(
        boost::json::parse(offers.body)
            .at("items")
            .at(0)
            .at("occurrences")
            .at(0)
            .at("seats_left")
            .as_int64(),
        5
    );
    auto shown = boost::json::parse(offers.body).at("tenant");
    EXPECT_EQ(shown.at("code").as_string(), "hall");
    EXPECT_EQ(shown.at("time_zone").as_string(), "Asia/Tokyo");
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    BookingsApi,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

// Receipts (領収書, qualified simplified invoices) on both backends: the tenant's registration
// number checked; a paid booking's receipt issued once under the tenant's next number and the
// same on every download; only staff and the booking's customer get it; the PDF's text read
// back with poppler's pdftotext.

#include <gtest/gtest.h>

#include "documents/pdf_text.hpp"
#include "http/payments_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

class Receipts : public PaymentsFixture {
protected:
    void SetUp() override {
        PaymentsFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        auto set = call(
            "PUT",
            "/api/v1/settings/invoice",
            boss_,
            R"({"name":"サロン株式会社","registration_number":"T1234567890123",
                "address":"東京都千代田区千代田1-1"})"
        );
        ASSERT_EQ(set.status, 200) << set.body;
    }
    HttpResult staff_receipt(const std::string& ref) {
        return call("GET", "/api/v1/bookings/" + ref + "/receipt", boss_);
    }
    HttpResult customer_receipt(const std::string& ref, const std::string& email) {
        return request(
            server_->port(),
            "POST",
            "/api/v1/public/salon/bookings/" + ref + "/receipt",
            kJson,
            R"({"email":")" + email + R"("})"
        );
    }
    // Another occurrence of the event, so that one more booking fits.
    void next_occurrence(int days) {
        const auto start = id_->clock.now() + 24h * days;
        occurrence_ = make(
            "/api/v1/offerings/" + std::to_string(event_) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":1})"
        );
    }
};

}  // namespace

TEST_P(Receipts, APaidBookingsReceiptIsAQualifiedInvoiceNumberedWithoutGaps) {
    auto bad = call(
        "PUT", "/api/v1/settings/invoice", boss_, R"({"registration_number":"1234567890123"})"
    );
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "registration_number");
    auto settings = parse(call("GET", "/api/v1/settings/invoice", boss_));
    EXPECT_EQ(settings.at("registration_number"), "T1234567890123") << "unchanged";

    const auto [unpaid, session] = book_unpaid();
    EXPECT_EQ(staff_receipt(unpaid).status, 422) << "nothing paid, nothing received";
    stripe_.control("sessions/" + session + "/pay");

    auto r = staff_receipt(unpaid);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/pdf");
    EXPECT_NE(r.header("content-disposition").find("R-000001.pdf"), std::string::npos);
    const auto text = documents::pdf_text(r.body);
    for (const char* want :
         {"適格簡易請求書",
          "R-000001",
          "山田 花子 様",
          "¥3,000",
          "10%対象",
          "内消費税 ¥272",
          "登録番号 T1234567890123",
          "サロン株式会社",
          "東京都千代田区千代田1-1",
          "オンライン決済"})
        EXPECT_NE(text.find(want), std::string::npos) << want << " in\n" << text;
    EXPECT_NE(text.find(unpaid), std::string::npos);

    // The same receipt however often it is fetched; the customer gets it too, a stranger not.
    EXPECT_EQ(documents::pdf_text(staff_receipt(unpaid).body), text);
    EXPECT_EQ(customer_receipt(unpaid, "taro@example.jp").status, 404);
    auto mine = customer_receipt(unpaid, "hanako@example.jp");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_NE(documents::pdf_text(mine.body).find("R-000001"), std::string::npos);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'receipt.issued'"), 1);

    // The next paid booking takes the next number, and a refund since is stated.
    next_occurrence(31);
    const auto second = paid_booking();
    ASSERT_EQ(
        call("POST", "/api/v1/bookings/" + second + "/refund", boss_, R"({"amount_jpy":1000})")
            .status,
        202
    );
    auto run = refunds();
    EXPECT_EQ(run.done, 1);
    const auto text2 = documents::pdf_text(staff_receipt(second).body);
    for (const char* want : {"R-000002", "返金（10%対象）", "-¥1,000", "内消費税 -¥90", "¥2,000"})
        EXPECT_NE(text2.find(want), std::string::npos) << want << " in\n" << text2;
    EXPECT_EQ(scalar("SELECT count(*) FROM receipts"), 2);
    EXPECT_EQ(scalar("SELECT max(number) FROM receipts"), 2);
}

TEST_P(Receipts, PaidAtTheVenueAtTheReducedRate) {
    const auto lunch = offering(
        R"({"kind":"event","name":"お弁当つき講座","published":true,"tax_rate":8,
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":1080}]})"
    );
    EXPECT_EQ(
        call("POST", "/api/v1/offerings", boss_, R"({"kind":"event","name":"x","tax_rate":5})")
            .status,
        400
    );
    const auto start = id_->clock.now() + 24h * 5;
    occurrence_ = make(
        "/api/v1/offerings/" + std::to_string(lunch) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":5})"
    );
    auto b = book(order());
    ASSERT_EQ(b.status, 201) << b.body;
    const std::string ref(parse(b).at("reference").as_string());
    ASSERT_EQ(call("POST", "/api/v1/bookings/" + ref + "/paid", boss_).status, 200);
    const auto text = documents::pdf_text(staff_receipt(ref).body);
    for (const char* want :
         {"8%対象", "※お弁当つき講座 一般", "※は軽減税率対象", "内消費税 ¥80", "現地でのお支払い"})
        EXPECT_NE(text.find(want), std::string::npos) << want << " in\n" << text;
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Receipts,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

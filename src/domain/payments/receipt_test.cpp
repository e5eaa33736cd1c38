#include "domain/payments/receipt.hpp"

#include <gtest/gtest.h>

#include "documents/pdf_text.hpp"

namespace yoyaku::payments {
namespace {

using namespace std::chrono_literals;

Receipt sample() {
    Receipt r;
    r.number = 12;
    r.issued_at = from_micros(1'796'000'000'000'000);  // 2026-11-30 09:53 in Tokyo
    r.time_zone = "Asia/Tokyo";
    r.issuer = {"ヨヤク会館", "T1234567890123", "東京都千代田区1-1"};
    r.reference = "ABCDE12345";
    r.offering = "秋の演奏会";
    r.starts_at = r.issued_at + 24h * 10;
    r.lines = {{"秋の演奏会 一般", 2, 5500, 11000}, {"割引・調整", 1, -1100, -1100}};
    r.received_jpy = 9900;
    r.tax_rate = 10;
    r.paid_at = r.issued_at;
    r.online = true;
    r.customer_name = "山田 花子";
    return r;
}

TEST(Receipt, TaxIncludedIsRoundedDownOncePerRate) {
    EXPECT_EQ(tax_included(11000, 10), 1000);
    EXPECT_EQ(tax_included(9900, 10), 900);
    EXPECT_EQ(tax_included(1080, 8), 80);
    EXPECT_EQ(tax_included(1000, 8), 74);  // 74.07…
    EXPECT_EQ(tax_included(999, 10), 90);  // 90.8…
    EXPECT_EQ(tax_included(0, 10), 0);
}

TEST(Receipt, RegistrationNumberIsTAndThirteenDigits) {
    EXPECT_TRUE(is_registration_number("T1234567890123"));
    EXPECT_FALSE(is_registration_number("1234567890123"));
    EXPECT_FALSE(is_registration_number("T123456789012"));
    EXPECT_FALSE(is_registration_number("T12345678901234"));
    EXPECT_FALSE(is_registration_number("T12345678901a3"));
    EXPECT_FALSE(is_registration_number("t1234567890123"));
}

TEST(Receipt, ContentKeepsEverythingButTheNameAndRefunds) {
    auto r = sample();
    r.refunded_jpy = 500;
    const auto text = content_json(r);
    EXPECT_EQ(text.find("山田"), std::string::npos);
    auto back = from_content(12, r.issued_at, text);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->issuer.registration_number, "T1234567890123");
    EXPECT_EQ(back->lines.size(), 2u);
    EXPECT_EQ(back->lines[1].amount_jpy, -1100);
    EXPECT_EQ(back->received_jpy, 9900);
    EXPECT_EQ(back->paid_at, r.paid_at);
    EXPECT_TRUE(back->online);
    EXPECT_EQ(back->refunded_jpy, 0);
    EXPECT_FALSE(from_content(1, r.issued_at, "{}"));
    EXPECT_FALSE(from_content(1, r.issued_at, "not json"));
}

TEST(Receipt, PdfStatesIssuerNumberAndTaxPerRate) {
    auto r = sample();
    auto pdf = render_pdf(r);
    ASSERT_TRUE(pdf) << pdf.error().message;
    const auto text = documents::pdf_text(*pdf);
    for (const char* want :
         {"領収書",
          "適格簡易請求書",
          "R-000012",
          "山田 花子 様",
          "¥9,900",
          "10%対象",
          "内消費税 ¥900",
          "登録番号 T1234567890123",
          "ヨヤク会館",
          "ABCDE12345",
          "2026年12月10日 9:53",
          "2026年11月30日",
          "オンライン決済",
          "-¥1,100"})
        EXPECT_NE(text.find(want), std::string::npos) << want << " in\n" << text;
    EXPECT_EQ(text.find("返金"), std::string::npos);
}

TEST(Receipt, PdfMarksTheReducedRateAndStatesRefunds) {
    auto r = sample();
    r.tax_rate = 8;
    r.issuer.registration_number.clear();
    r.refunded_jpy = 5400;
    auto pdf = render_pdf(r);
    ASSERT_TRUE(pdf);
    const auto text = documents::pdf_text(*pdf);
    for (const char* want :
         {"8%対象",
          "※秋の演奏会 一般",
          "※は軽減税率対象",
          "内消費税 ¥733",
          "返金（8%対象）",
          "-¥5,400",
          "内消費税 -¥400",
          "¥4,500"})
        EXPECT_NE(text.find(want), std::string::npos) << want << " in\n" << text;
    // Not a registered issuer: not a qualified invoice.
    EXPECT_EQ(text.find("適格"), std::string::npos);
    EXPECT_EQ(text.find("登録番号"), std::string::npos);
}

}  // namespace
}  // namespace yoyaku::payments

#include "documents/pdf.hpp"

#include <gtest/gtest.h>

#include "documents/pdf_text.hpp"

namespace yoyaku::documents {
namespace {

TEST(Pdf, DrawsJapaneseTextThatReadsBack) {
    Pdf doc("領収書");
    const double h = doc.text(50, 50, 400, "領収書 No. 000001", {18, true, Align::center});
    EXPECT_GT(h, 15);
    doc.line(50, 80, 545, 80);
    doc.text(50, 90, 400, "山田 <b>太郎</b> 様 ¥12,000");
    auto bytes = doc.finish();
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_TRUE(bytes->starts_with("%PDF-"));
    const auto text = pdf_text(*bytes);
    EXPECT_NE(text.find("領収書 No. 000001"), std::string::npos) << text;
    // Plain text, never markup: the tags are drawn as they are.
    EXPECT_NE(text.find("山田 <b>太郎</b> 様 ¥12,000"), std::string::npos) << text;
}

TEST(Pdf, WrapsLongTextAndKeepsPages) {
    Pdf doc("pages");
    const double one = doc.text(50, 50, 100, "あ");
    const double many = doc.text(50, 100, 100, std::string(60 * 3, 'x') + "あいうえおかきくけこ");
    EXPECT_GT(many, one * 2);
    doc.next_page();
    doc.text(50, 50, 400, "二ページ目");
    auto bytes = doc.finish();
    ASSERT_TRUE(bytes);
    EXPECT_NE(pdf_text(*bytes).find("二ページ目"), std::string::npos);
    EXPECT_FALSE(doc.finish());
}

TEST(Qr, ImagesAndPagesReadBackAsTheirText) {
    const std::string token = "YT1.dGVzdHxwYXlsb2Fk.c2lnbmF0dXJl";
    auto png = qr_png(token, 4);
    ASSERT_TRUE(png) << png.error().message;
    EXPECT_TRUE(png->starts_with("\x89PNG"));
    EXPECT_EQ(png_qr_codes(*png), std::vector<std::string>{token});

    auto code = qr_code("second ticket");
    ASSERT_TRUE(code);
    EXPECT_EQ(code->dark.size(), static_cast<std::size_t>(code->size * code->size));
    Pdf doc("tickets");
    doc.qr(60, 60, 150, *qr_code(token));
    doc.next_page();
    doc.qr(300, 400, 150, *code);
    auto bytes = doc.finish();
    ASSERT_TRUE(bytes);
    EXPECT_EQ(pdf_qr_codes(*bytes), (std::vector<std::string>{token, "second ticket"}));
    // Too much for any QR code.
    EXPECT_EQ(qr_code(std::string(8000, 'x')).error().field, "qr");
}

}  // namespace
}  // namespace yoyaku::documents

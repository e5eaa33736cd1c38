#include "core/text.hpp"

#include <gtest/gtest.h>

using namespace yoyaku::text;

TEST(Text, ValidatesUtf8) {
    EXPECT_TRUE(is_valid_utf8("O'Brien様 同伴 2名"));
    EXPECT_FALSE(is_valid_utf8("\xff\xfe"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));  // overlong '/'
}

TEST(Text, NormalisesToNfcAndNfkc) {
    EXPECT_EQ(*to_nfc("e\xcc\x81"), "\xc3\xa9");            // e + combining acute → é
    EXPECT_EQ(*to_nfkc("\xef\xbc\xa1\xef\xbc\x91"), "A1");  // fullwidth Ａ１ → A1
    EXPECT_EQ(*to_nfc("ｶﾞ"), "ｶﾞ");                         // NFC keeps half-width kana
    EXPECT_EQ(*to_nfkc("ｶﾞ"), "ガ");
    EXPECT_FALSE(to_nfc("\xff"));
}

TEST(Text, CountsCodePoints) {
    EXPECT_EQ(code_points("予約abc"), 5u);
}

TEST(Text, FindsControlCharacters) {
    EXPECT_TRUE(
        has_control_chars("a\x01"
                          "b")
    );
    EXPECT_TRUE(has_control_chars("a\nb"));
    EXPECT_FALSE(has_control_chars("a\nb", true));
    EXPECT_TRUE(has_control_chars("\xc2\x85"));         // NEL (C1)
    EXPECT_TRUE(has_control_chars("abc\xe2\x80\xae"));  // right-to-left override
    EXPECT_FALSE(has_control_chars("O'Brien様 同伴 2名"));
}

TEST(Text, ChecksSingleLineFields) {
    auto ok = check_line("  市民会館  ", 1, 10);
    ASSERT_TRUE(ok.value);
    EXPECT_EQ(*ok.value, "市民会館");
    EXPECT_FALSE(check_line("", 1, 10).value);
    EXPECT_FALSE(check_line("12345678901", 1, 10).value);
    EXPECT_FALSE(check_line("a\tb", 1, 10).value);
    EXPECT_EQ(check_line("\xff", 1, 10).problem, "must be valid UTF-8");
}

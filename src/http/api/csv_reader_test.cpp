// CSV files as imports read them: RFC 4180 quoting (commas, quotes and line breaks inside a
// cell), CRLF or LF rows, a UTF-8 byte order mark, Shift_JIS told from the bytes or named, empty
// rows skipped, and refusals naming the file or the charset.

#include "http/api/csv_reader.hpp"

#include <gtest/gtest.h>

using namespace yoyaku;
using namespace yoyaku::http;

namespace {
using Records = std::vector<std::vector<std::string>>;
}

TEST(CsvReader, ReadsQuotedCellsAcrossLinesAndSkipsEmptyRows) {
    auto f = read_csv(
        "\xEF\xBB\xBFname,note\r\n\"Yamada, Hanako\",\"said \"\"hi\"\"\nthen left\"\r\n\r\nB,\n",
        "",
        10
    );
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->encoding, "UTF-8");
    EXPECT_EQ(
        f->records,
        (Records{{"name", "note"}, {"Yamada, Hanako", "said \"hi\"\nthen left"}, {"B", ""}})
    );
}

TEST(CsvReader, ReadsShiftJisToldFromTheBytesOrNamed) {
    // 氏名 / 山田 in Windows-31J.
    const std::string sjis = "\x8E\x81\x96\xBC\r\n\x8E\x52\x93\x63\r\n";
    auto told = read_csv(sjis, "", 10);
    ASSERT_TRUE(told) << told.error().message;
    EXPECT_EQ(told->encoding, "Shift_JIS");
    EXPECT_EQ(told->records, (Records{{"氏名"}, {"山田"}}));
    auto named = read_csv(sjis, "Windows-31J", 10);
    ASSERT_TRUE(named);
    EXPECT_EQ(named->records, told->records);
}

TEST(CsvReader, RefusesWhatIsNotCsvTextNamingTheFileOrTheCharset) {
    EXPECT_EQ(read_csv("a,b\n\"open,1\n", "", 10).error().field, "file") << "a quote not closed";
    EXPECT_EQ(read_csv("a\n\x81\x20x\n", "", 10).error().field, "file") << "neither encoding";
    EXPECT_EQ(read_csv("a\n\xFF\n", "utf-8", 10).error().field, "file") << "not UTF-8 as named";
    EXPECT_EQ(read_csv("a\n", "utf-16", 10).error().field, "charset");
    EXPECT_EQ(read_csv("", "", 10).error().field, "file") << "no header";
    EXPECT_EQ(read_csv("a\n1\n2\n3\n", "", 2).error().field, "file") << "more rows than allowed";
    ASSERT_TRUE(read_csv("a\n1\n2\n", "", 2));
}

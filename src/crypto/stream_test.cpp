#include "crypto/stream.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace yoyaku::crypto {
namespace {

std::string sealed_three(const SecretKey& key) {
    std::ostringstream out;
    StreamWriter w(key, out);
    w.push("manifest");
    w.push(std::string(100000, 'x'));
    w.push("end", true);
    return out.str();
}

Result<std::vector<std::string>> read_all(const SecretKey& key, const std::string& bytes) {
    std::istringstream in(bytes);
    YOYAKU_TRY_ASSIGN(auto r, StreamReader::open(key, in));
    std::vector<std::string> out;
    for (;;) {
        YOYAKU_TRY_ASSIGN(auto m, r.next());
        if (!m) return out;
        out.push_back(std::move(*m));
    }
}

TEST(Stream, RoundTripsMessagesInOrder) {
    const auto key = SecretKey::random();
    auto got = read_all(key, sealed_three(key));
    ASSERT_TRUE(got) << got.error().message;
    ASSERT_EQ(got->size(), 3u);
    EXPECT_EQ((*got)[0], "manifest");
    EXPECT_EQ((*got)[1].size(), 100000u);
    EXPECT_EQ((*got)[2], "end");
}

TEST(Stream, RefusesAFlippedByteACutAnotherKeyAndTrailingBytes) {
    const auto key = SecretKey::random();
    const auto bytes = sealed_three(key);
    for (std::size_t at : {std::size_t{3}, std::size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
        auto bad = bytes;
        bad[at] = static_cast<char>(bad[at] ^ 0x01);
        EXPECT_FALSE(read_all(key, bad)) << "flipped byte at " << at;
    }
    EXPECT_FALSE(read_all(key, bytes.substr(0, bytes.size() - 30))) << "cut off";
    // Without its last message the stream never ends: refused, not taken as complete.
    std::ostringstream partial;
    StreamWriter w(key, partial);
    w.push("manifest");
    EXPECT_FALSE(read_all(key, partial.str()));
    EXPECT_FALSE(read_all(SecretKey::random(), bytes)) << "another key";
    EXPECT_FALSE(read_all(key, bytes + "x")) << "bytes after the end";
}

}  // namespace
}  // namespace yoyaku::crypto

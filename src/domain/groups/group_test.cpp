#include "domain/groups/group.hpp"

#include <gtest/gtest.h>

#include "domain/groups/group_service.hpp"

namespace yoyaku::groups {
namespace {

NewGroup valid() {
    NewGroup g;
    g.name = "  緑町合唱団 ";
    g.details.representative = "山田 花子";
    g.details.phone = "03-1234-5678";
    g.details.members = {"山田 花子", "佐藤 一郎"};
    g.member_count = 12;
    return g;
}

TEST(Groups, ChecksARegistrationNamingTheField) {
    auto ok = check(valid());
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->name, "緑町合唱団");
    const std::vector<std::pair<std::function<void(NewGroup&)>, std::string>> bad = {
        {[](NewGroup& g) { g.name = ""; }, "name"},
        {[](NewGroup& g) { g.name = std::string(201, 'x'); }, "name"},
        {[](NewGroup& g) { g.details.representative = ""; }, "details.representative"},
        {[](NewGroup& g) { g.details.phone = std::string(31, '1'); }, "details.phone"},
        {[](NewGroup& g) { g.details.members.push_back("a\x01"); }, "details.members[2]"},
        {[](NewGroup& g) { g.member_count = 0; }, "member_count"},
        {[](NewGroup& g) { g.member_count = 1; }, "member_count"},
    };
    for (const auto& [spoil, field] : bad) {
        auto g = valid();
        spoil(g);
        auto r = check(g);
        ASSERT_FALSE(r) << field;
        EXPECT_EQ(r.error().field, field);
        EXPECT_EQ(r.error().code, Errc::invalid_input);
    }
}

TEST(Groups, KnowsADocumentByItsFirstBytes) {
    EXPECT_EQ(sniff_document("%PDF-1.7\n..."), "application/pdf");
    EXPECT_EQ(sniff_document(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), "image/png");
    EXPECT_EQ(sniff_document("\xff\xd8\xff\xe0JFIF"), "image/jpeg");
    EXPECT_EQ(sniff_document("MZ\x90\0"), "");
    EXPECT_EQ(sniff_document("<html>%PDF-"), "");
    EXPECT_EQ(sniff_document(""), "");
}

TEST(Groups, AnApprovalPastItsExpiryIsExpired) {
    Group g;
    g.status = "approved";
    const Instant now = from_micros(1'800'000'000'000'000);
    g.expires_at = now + std::chrono::hours(1);
    EXPECT_EQ(status_at(g, now), "approved");
    g.expires_at = now;
    EXPECT_EQ(status_at(g, now), "expired");
    g.status = "pending";
    EXPECT_EQ(status_at(g, now), "pending");
}

}  // namespace
}  // namespace yoyaku::groups

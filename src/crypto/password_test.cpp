#include "crypto/password.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace yoyaku;
using namespace yoyaku::crypto;

namespace {
// Small parameters keep the tests fast; production defaults are tested separately once.
Argon2Params fast() {
    return {1, 8u * 1024 * 1024};
}

std::string refusal(std::string_view pw, std::vector<std::string> ctx = {}) {
    auto r = check_new_password(pw, ctx);
    if (r) return "";
    EXPECT_EQ(r.error().field, "password");
    return r.error().message;
}
}  // namespace

TEST(PasswordPolicy, LengthIsCountedInCodePointsAfterNfkc) {
    EXPECT_EQ(refusal("tulip-river9"), "");                                    // 12
    EXPECT_NE(refusal("tulip-rivr9").find("at least 12"), std::string::npos);  // 11
    EXPECT_EQ(refusal("予約システムの合言葉です"), "");  // 12 Japanese characters
    EXPECT_EQ(refusal(std::string(128 - 4, 'q') + "zxcv").find("at most"), std::string::npos);
    EXPECT_NE(refusal(std::string(129, 'q')).find("at most 128"), std::string::npos);
    // Fullwidth letters become ASCII under NFKC, so both spellings are one password.
    EXPECT_EQ(*check_new_password("ｔｕｌｉｐ－ｒｉｖｅｒ９"), "tulip-river9");
}

TEST(PasswordPolicy, RefusesCommonPasswordsAndTheirDecorations) {
    for (const char* pw :
         {"password1234",
          "Password1234!",
          "!!qwertyuiop",
          "1234iloveyou!!",
          "baseball2024",
          "passwordpassword"})
        EXPECT_NE(refusal(pw).find("too common"), std::string::npos) << pw;
}

TEST(PasswordPolicy, RefusesRepetitionsAndSequences) {
    for (const char* pw : {"aaaaaaaaaaaa", "123456789012", "abcdefghijklm", "abababababab"})
        EXPECT_NE(refusal(pw).find("simple sequence"), std::string::npos) << pw;
}

TEST(PasswordPolicy, RefusesTheContextAsCore) {
    EXPECT_NE(refusal("hanako.tanaka2025", {"hanako.tanaka"}).find("email"), std::string::npos);
    EXPECT_EQ(refusal("hanako likes green tea", {"hanako.tanaka"}), "");
}

TEST(PasswordPolicy, AcceptsAnyUnicodeWithoutCompositionRules) {
    EXPECT_EQ(refusal("correct horse battery staple"), "");
    EXPECT_EQ(refusal("🍣🍣 すし が すき です 🍣"), "");
    EXPECT_FALSE(check_new_password("\xff\xfe bad utf-8 here"));
}

TEST(PasswordHasher, StoresArgon2idAndVerifies) {
    PasswordHasher h(fast());
    auto stored = *h.hash("tulip-river9");
    EXPECT_TRUE(stored.starts_with("$argon2id$v=19$"));
    EXPECT_EQ(stored.find("tulip"), std::string::npos);
    EXPECT_TRUE(*h.verify(stored, "tulip-river9"));
    EXPECT_FALSE(*h.verify(stored, "tulip-river8"));
    EXPECT_FALSE(*h.verify("not a hash", "tulip-river9"));
    EXPECT_FALSE(*h.verify("", ""));
    EXPECT_NE(*h.hash("tulip-river9"), stored);  // salted
}

TEST(PasswordHasher, AllLengthsMatter) {
    PasswordHasher h(fast());
    std::string long_pw(100, 'k');
    long_pw.back() = 'z';
    auto stored = *h.hash(long_pw);
    std::string almost = long_pw;
    almost.back() = 'y';
    EXPECT_FALSE(*h.verify(stored, almost));  // no truncation
    EXPECT_TRUE(*h.verify(stored, long_pw));
}

TEST(PasswordHasher, AsksForRehashWhenParametersChange) {
    PasswordHasher old_params(fast());
    auto stored = *old_params.hash("tulip-river9");
    EXPECT_FALSE(old_params.needs_rehash(stored));
    PasswordHasher stronger({2, 16u * 1024 * 1024});
    EXPECT_TRUE(stronger.needs_rehash(stored));
    EXPECT_TRUE(*stronger.verify(stored, "tulip-river9"));  // old hashes still verify
}

TEST(PasswordHasher, DefaultsAreLibsodiumInteractive) {
    PasswordHasher h;
    EXPECT_TRUE(h.hash("tulip-river9")->starts_with("$argon2id$v=19$m=65536,t=2,p=1$"));
}

TEST(PasswordHasher, BoundsConcurrentHashes) {
    // With a gate of 1, hashes run one at a time: the peak in-flight count stays 1.
    PasswordHasher h(fast(), 1);
    std::atomic<int> done{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 4; ++i)
        ts.emplace_back([&] {
            EXPECT_TRUE(h.hash("tulip-river9")->starts_with("$argon2id$"));
            ++done;
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(done.load(), 4);
}

TEST(HashGate, QueuesUpToItsLimitAndRefusesBeyondAtOnce) {
    HashGate gate(1, 0);
    auto first = gate.enter();
    ASSERT_TRUE(first);
    EXPECT_FALSE(gate.enter()) << "running full and no queue: refused, not held";
    first.reset();
    EXPECT_TRUE(gate.enter()) << "a place again once the first left";

    HashGate queued(1, 1);
    auto holder = queued.enter();
    ASSERT_TRUE(holder);
    std::atomic<bool> entered{false};
    std::thread waiter([&] { entered = queued.enter().has_value(); });
    while (queued.queued() == 0) std::this_thread::yield();
    EXPECT_FALSE(queued.enter()) << "the one queue place is taken: refused at once";
    holder.reset();
    waiter.join();
    EXPECT_TRUE(entered.load()) << "the queued caller got in when the place was freed";
    EXPECT_EQ(queued.queued(), 0);
}

TEST(PasswordHasher, AFullQueueIsRateLimitedNotHeld) {
    PasswordHasher h(fast(), 1, 0);
    auto stored = h.hash("tulip-river9");
    ASSERT_TRUE(stored);
    std::atomic<int> refused{0}, checked{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 6; ++i)
        ts.emplace_back([&] {
            auto r = h.verify(*stored, "tulip-river9");
            if (r) {
                EXPECT_TRUE(*r);
                ++checked;
            } else {
                EXPECT_EQ(r.error().code, Errc::rate_limited);
                EXPECT_EQ(r.error().detail, "1") << "seconds to wait, for Retry-After";
                ++refused;
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(checked + refused, 6);
    EXPECT_GE(checked.load(), 1);
}

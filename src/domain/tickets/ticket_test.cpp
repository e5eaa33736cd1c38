#include "domain/tickets/ticket.hpp"

#include <gtest/gtest.h>

#include "crypto/signing.hpp"

namespace yoyaku::tickets {
namespace {

using namespace std::chrono;

Claims claims() {
    return {
        "demo",
        2,
        "K7M2Q9X4TB",
        3,
        1234,
        "adult",
        "1階 A-12",
        Instant(seconds(1'796'000'000)),
        Instant(seconds(1'796'014'400))};
}

TEST(Ticket, SignedTokenReadsBackAndChecksOnlyUnderItsKey) {
    const auto seed = crypto::SecretKey::random();
    const auto token = sign_ticket(claims(), seed);
    EXPECT_TRUE(token.starts_with("YT1."));
    EXPECT_LT(token.size(), 220u);  // fits a QR code phones read at arm's length
    auto back = read_ticket(token);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, claims());
    EXPECT_TRUE(ticket_signed_by(token, crypto::signing_public_key(seed)));
    EXPECT_FALSE(ticket_signed_by(token, crypto::signing_public_key(crypto::SecretKey::random())));
}

TEST(Ticket, AnyChangedByteBreaksTheSignature) {
    const auto seed = crypto::SecretKey::random();
    const auto pub = crypto::signing_public_key(seed);
    const auto token = sign_ticket(claims(), seed);
    // Another seat, number or window under the same signature.
    auto other = claims();
    other.seat = "1階 A-13";
    const auto forged = sign_ticket(other, crypto::SecretKey::random());
    const auto body = forged.substr(0, forged.rfind('.'));
    const auto sig = token.substr(token.rfind('.'));
    EXPECT_FALSE(ticket_signed_by(body + sig, pub));
    // (The signature's last character carries 4 spare bits: left out.)
    for (std::size_t i = 4; i + 1 < token.size(); i += 7) {
        std::string t = token;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(ticket_signed_by(t, pub)) << i;
    }
}

TEST(Ticket, MalformedTokensAreRefusedNamingTheToken) {
    for (const std::string& bad : std::vector<std::string>{
             "",
             "YT1.",
             "YT2.abc.def",
             "YT1.abc",
             "YT1.!!!.abc",
             "YT1." + to_base64url("a|b|c") + ".x",
             "YT1." + to_base64url("demo|x|REF|1|0|adult||1|2") + ".x",
             "YT1." + to_base64url("demo|1|REF|0|0|adult||1|2") + ".x",
             std::string(2000, 'Y')}) {
        auto r = read_ticket(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().field, "token");
    }
    EXPECT_FALSE(ticket_signed_by("no dot", crypto::signing_public_key(crypto::SecretKey::random()))
    );
}

TEST(Ticket, Base64urlRoundTripsAndRefusesStandardAlphabet) {
    const std::string bytes("\xfb\xff\x00\x01zz", 6);
    const auto s = to_base64url(bytes);
    EXPECT_EQ(s.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(from_base64url(s), bytes);
    EXPECT_FALSE(from_base64url("+/=="));
}

}  // namespace
}  // namespace yoyaku::tickets

#include "domain/accounts/proof_of_work.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstring>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/spent_challenge_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;

constexpr std::string_view kAlgorithm = "SHA-256";

Error refused() {
    return Error::invalid(
        "altcha", "the proof-of-work answer is missing, wrong, expired or used; fetch a new one"
    );
}

// The unix seconds of "?expires=" in the salt's parameters.
std::optional<std::int64_t> expires_of(std::string_view salt) {
    const auto q = salt.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view params = salt.substr(q + 1);
    while (!params.empty()) {
        const auto amp = params.find('&');
        const auto pair = params.substr(0, amp);
        if (pair.starts_with("expires=")) {
            const auto v = pair.substr(8);
            std::int64_t n = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc{} || p != v.data() + v.size()) return std::nullopt;
            return n;
        }
        if (amp == std::string_view::npos) break;
        params.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

const boost::json::string* string_at(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() ? it->value().if_string() : nullptr;
}

}  // namespace

ProofOfWork::ProofOfWork(
    storage::Database& db, ChallengeKeys keys, const Clock& clock, ChallengeOptions o
)
    : db_(db), keys_(std::move(keys)), clock_(clock), options_(o) {}

Challenge ProofOfWork::issue() const {
    const auto expires = to_micros(clock_.now() + options_.ttl) / 1'000'000;
    std::uint64_t draw = 0;
    const auto bytes = crypto::random_bytes(sizeof draw);
    std::memcpy(&draw, bytes.data(), sizeof draw);
    const auto number =
        static_cast<std::int64_t>(draw % static_cast<std::uint64_t>(options_.max_number + 1));
    Challenge c;
    c.max_number = options_.max_number;
    c.salt = crypto::random_hex(12) + "?expires=" + std::to_string(expires);
    c.challenge = crypto::sha256_hex(c.salt + std::to_string(number));
    c.signature = crypto::hmac_sha256_hex(keys_().front().view(), c.challenge);
    return c;
}

Result<void> ProofOfWork::redeem(std::string_view payload) {
    if (payload.empty() || payload.size() > 2048) return refused();
    auto raw = crypto::from_base64(payload);
    if (!raw) return refused();
    boost::system::error_code ec;
    auto parsed = boost::json::parse(*raw, ec);
    if (ec || !parsed.is_object()) return refused();
    const auto& o = parsed.get_object();
    const auto* algorithm = string_at(o, "algorithm");
    const auto* challenge = string_at(o, "challenge");
    const auto* salt = string_at(o, "salt");
    const auto* signature = string_at(o, "signature");
    const auto number_it = o.find("number");
    if (!algorithm || !challenge || !salt || !signature || number_it == o.end() ||
        !number_it->value().is_int64() || *algorithm != kAlgorithm || challenge->size() != 64)
        return refused();
    const std::int64_t number = number_it->value().get_int64();
    const auto expires = expires_of(*salt);
    const auto now_s = to_micros(clock_.now()) / 1'000'000;
    if (!expires || *expires < now_s || number < 0 || number > options_.max_number)
        return refused();
    // Signed by the current key or the one before it (a rotation minutes ago).
    const auto keys = keys_();
    bool signed_here = false;
    for (std::size_t i = 0; i < keys.size() && i < 2; ++i)
        signed_here |= crypto::equal_constant_time(
            crypto::hmac_sha256_hex(keys[i].view(), *challenge), std::string_view(*signature)
        );
    if (!signed_here) return refused();
    if (crypto::sha256_hex(std::string(*salt) + std::to_string(number)) !=
        std::string_view(*challenge))
        return refused();

    bool fresh = false;
    YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
        SpentChallengeStore spent(tx);
        YOYAKU_TRY(spent.remove_expired(clock_.now()));
        YOYAKU_TRY_ASSIGN(
            fresh, spent.insert(std::string(*challenge), from_micros(*expires * 1'000'000))
        );
        return {};
    }));
    if (!fresh) return refused();
    return {};
}

std::optional<std::string> solve(const Challenge& c) {
    for (std::int64_t n = 0; n <= c.max_number; ++n) {
        if (crypto::sha256_hex(c.salt + std::to_string(n)) != c.challenge) continue;
        const boost::json::object o{
            {"algorithm", c.algorithm},
            {"challenge", c.challenge},
            {"number", n},
            {"salt", c.salt},
            {"signature", c.signature},
            {"took", 0}};
        return crypto::to_base64(boost::json::serialize(o));
    }
    return std::nullopt;
}

}  // namespace yoyaku::accounts

#include "domain/line/id_token.hpp"

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/line/line.hpp"

namespace yoyaku::line {
namespace {

using namespace std::chrono_literals;

/// Clocks differ a little; LINE's and ours may be this far apart.
constexpr auto kSkew = 2min;

Error refused(std::string_view what, std::string_view why) {
    return Error{
        Errc::unauthenticated, "LINE sign-in failed: " + std::string(why), std::string(what), {}};
}

std::optional<boost::json::object> json_part(std::string_view part) {
    auto bytes = crypto::from_base64url(part);
    if (!bytes) return std::nullopt;
    boost::system::error_code ec;
    auto v = boost::json::parse(*bytes, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

std::string_view text(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

std::optional<std::int64_t> seconds(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_number()) return std::nullopt;
    boost::system::error_code ec;
    const auto n = v->to_number<std::int64_t>(ec);
    return ec ? std::nullopt : std::optional(n);
}

Instant at(std::int64_t unix_seconds) {
    return Instant{std::chrono::seconds(unix_seconds)};
}

}  // namespace

Result<IdClaims> verify_id_token(std::string_view token, const IdTokenCheck& check) {
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (token.size() > 8192 || dot2 == std::string_view::npos ||
        token.find('.', dot2 + 1) != std::string_view::npos)
        return refused("format", "the ID token is not a JWT");
    const auto header = json_part(token.substr(0, dot1));
    const auto claims = json_part(token.substr(dot1 + 1, dot2 - dot1 - 1));
    const auto signature = crypto::from_base64url(token.substr(dot2 + 1));
    if (!header || !claims || !signature) return refused("format", "the ID token is garbled");
    if (text(*header, "alg") != "HS256")
        return refused("algorithm", "the ID token is not signed with HS256");
    const auto expected = crypto::hmac_sha256(check.channel_secret, token.substr(0, dot2));
    if (!crypto::equal_constant_time(expected, *signature))
        return refused("signature", "the ID token's signature does not match");
    if (text(*claims, "iss") != kIssuer) return refused("issuer", "the ID token is not LINE's");
    if (text(*claims, "aud") != check.channel_id)
        return refused("audience", "the ID token is for another channel");
    if (check.nonce.empty() || !crypto::equal_constant_time(text(*claims, "nonce"), check.nonce))
        return refused("nonce", "the ID token answers another sign-in");
    const auto exp = seconds(*claims, "exp");
    if (!exp || at(*exp) + kSkew <= check.now) return refused("expired", "the ID token expired");
    const auto iat = seconds(*claims, "iat");
    if (!iat || at(*iat) > check.now + kSkew)
        return refused("issued_at", "the ID token is issued in the future");
    IdClaims out{std::string(text(*claims, "sub")), std::string(text(*claims, "name"))};
    if (!valid_user_id(out.user_id)) return refused("subject", "the ID token names no LINE user");
    if (out.name.size() > 200) out.name.clear();
    return out;
}

}  // namespace yoyaku::line

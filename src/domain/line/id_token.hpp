#pragma once
// LINE Login's ID token (OpenID Connect): a JWT that LINE signs, for web login, with HS256 under
// the Login channel's secret. Only what LINE signed is believed: the algorithm must be HS256
// (never "none", never a public-key algorithm keyed with the secret), the issuer LINE, the
// audience this channel, the nonce the one this sign-in sent, and the token unexpired.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace yoyaku::line {

inline constexpr std::string_view kIssuer = "https://access.line.me";

struct IdTokenCheck {
    std::string_view channel_id;
    std::string_view channel_secret;
    std::string_view nonce;
    Instant now{};
};

/// What a verified ID token says of its user.
struct IdClaims {
    std::string user_id;  ///< "sub": U and 32 hex digits
    std::string name;     ///< display name, when the profile scope was granted
};

/// Verifies `token`. Errors: unauthenticated, its field naming what failed: "format",
/// "algorithm", "signature", "issuer", "audience", "nonce", "expired", "issued_at", "subject".
Result<IdClaims> verify_id_token(std::string_view token, const IdTokenCheck& check);

}  // namespace yoyaku::line

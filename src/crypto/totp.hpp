#pragma once
// Time-based one-time passwords (RFC 6238, through liboath): 6 digits, 30-second steps,
// HMAC-SHA1 (what every authenticator app accepts), 160-bit secrets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace yoyaku::crypto {

/// 20 random bytes.
std::string new_totp_secret();

/// RFC 4648 base32 without padding (what otpauth URIs carry).
std::string base32(std::string_view raw);

/// Decodes base32 (upper or lower case, padding optional). nullopt when malformed.
std::optional<std::string> from_base32(std::string_view text);

/// "otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30",
/// percent-encoded, for enrolment by QR code.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

/// The code for `at` (tests and tools).
std::string totp_code(std::string_view secret, Instant at);

/// The time step (counter) `code` matches at `now`, allowing one step of clock drift either
/// way; nullopt when it matches none or is not 6 digits. Callers refuse a counter at or below
/// the last one accepted, so each code works once.
std::optional<std::uint64_t> match_totp(
    std::string_view secret, std::string_view code, Instant now
);

/// An SVG image of `text` as a QR code (error correction M), black on white, no script.
/// Errors: invalid_input (field "qr") when the text does not fit a QR code.
Result<std::string> qr_svg(std::string_view text);

}  // namespace yoyaku::crypto

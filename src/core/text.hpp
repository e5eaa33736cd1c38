#pragma once
// Text rules shared by validation and security code (SPEC S8): valid UTF-8, Unicode
// normalisation, control characters, lengths in code points.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace yoyaku::text {

bool is_valid_utf8(std::string_view s) noexcept;

/// NFC form of valid UTF-8 (nullopt when `s` is not valid UTF-8).
std::optional<std::string> to_nfc(std::string_view s);
/// NFKC form of valid UTF-8 (nullopt when `s` is not valid UTF-8).
std::optional<std::string> to_nfkc(std::string_view s);

/// Number of code points in valid UTF-8.
std::size_t code_points(std::string_view s) noexcept;

/// True when `s` holds a C0/C1 control character or DEL; `allow_newlines` admits \n and \t.
bool has_control_chars(std::string_view s, bool allow_newlines = false) noexcept;

/// Checks a single-line human text field (names, titles): valid UTF-8, NFC, no control
/// characters, `min`..`max` code points after trimming ASCII spaces. Returns the NFC text or a
/// message for the field error.
struct Checked {
    std::optional<std::string> value;
    std::string problem;  ///< when !value
};
Checked check_line(std::string_view s, std::size_t min, std::size_t max);

/// What is wrong with `url` as a link shown to customers (a meeting link, a picture): it must
/// start with https://, name a host without a user part, and be at most `max` characters of
/// printable ASCII without spaces or quotes. Empty when it is fine.
std::string https_url_problem(std::string_view url, std::size_t max);

}  // namespace yoyaku::text

#include "core/text.hpp"

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include <cstdlib>

namespace yoyaku::text {
namespace {
std::optional<std::string> normalize(uninorm_t form, std::string_view s) {
    if (!is_valid_utf8(s)) return std::nullopt;
    if (s.empty()) return std::string();
    std::size_t len = 0;
    auto* out =
        u8_normalize(form, reinterpret_cast<const uint8_t*>(s.data()), s.size(), nullptr, &len);
    if (!out) return std::nullopt;
    std::string r(reinterpret_cast<char*>(out), len);
    std::free(out);
    return r;
}
}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
    return u8_check(reinterpret_cast<const uint8_t*>(s.data()), s.size()) == nullptr;
}

std::optional<std::string> to_nfc(std::string_view s) {
    return normalize(UNINORM_NFC, s);
}
std::optional<std::string> to_nfkc(std::string_view s) {
    return normalize(UNINORM_NFKC, s);
}

std::size_t code_points(std::string_view s) noexcept {
    return u8_mbsnlen(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

bool has_control_chars(std::string_view s, bool allow_newlines) noexcept {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        ucs4_t c = 0;
        int n = u8_mbtouc(&c, p, static_cast<std::size_t>(end - p));
        if (n <= 0) return true;
        p += n;
        if (allow_newlines && (c == '\n' || c == '\t')) continue;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) return true;
        // Line/paragraph separators and bidirectional overrides can disguise text.
        if (c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069))
            return true;
    }
    return false;
}

Checked check_line(std::string_view s, std::size_t min, std::size_t max) {
    if (!is_valid_utf8(s)) return {std::nullopt, "must be valid UTF-8"};
    if (has_control_chars(s)) return {std::nullopt, "must not contain control characters"};
    auto b = s.find_first_not_of(' ');
    auto e = s.find_last_not_of(' ');
    std::string_view trimmed =
        b == std::string_view::npos ? std::string_view{} : s.substr(b, e - b + 1);
    auto nfc = to_nfc(trimmed);
    if (!nfc) return {std::nullopt, "must be valid UTF-8"};
    auto n = code_points(*nfc);
    if (n < min || n > max)
        return {
            std::nullopt,
            "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters"};
    return {std::move(nfc), {}};
}

std::string https_url_problem(std::string_view url, std::size_t max) {
    constexpr std::string_view scheme = "https://";
    if (url.size() > max) return "at most " + std::to_string(max) + " characters";
    if (url.substr(0, scheme.size()) != scheme) return "a link starting with https://";
    const auto host =
        url.substr(scheme.size(), url.find_first_of("/?#", scheme.size()) - scheme.size());
    if (host.empty() || host.find('@') != std::string_view::npos)
        return "a link needs a host (and no user name)";
    for (char c : url)
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`' ||
            c == '{' || c == '}' || c == '|' || c == '^')
            return "a link of printable ASCII without spaces or quotes";
    return {};
}

}  // namespace yoyaku::text

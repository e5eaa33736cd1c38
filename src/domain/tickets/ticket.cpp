// Ticket tokens (ticket.hpp).

#include "domain/tickets/ticket.hpp"

#include <charconv>
#include <vector>

#include "crypto/random.hpp"
#include "crypto/signing.hpp"

namespace yoyaku::tickets {
namespace {

constexpr std::string_view kPrefix = "YT1.";

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0;;) {
        const auto next = s.find(sep, at);
        out.push_back(s.substr(at, next == std::string_view::npos ? next : next - at));
        if (next == std::string_view::npos) return out;
        at = next + 1;
    }
}

template <class T>
bool number(std::string_view s, T& out) {
    if (s.empty() || s.size() > 19) return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

std::int64_t seconds(Instant t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Error malformed() {
    return Error::invalid("token", "is not a ticket");
}

}  // namespace

std::string to_base64url(std::string_view bytes) {
    std::string s = crypto::to_base64(bytes);
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return s;
}

std::optional<std::string> from_base64url(std::string_view text) {
    std::string s(text);
    for (char& c : s) {
        if (c == '+' || c == '/' || c == '=') return std::nullopt;
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (s.size() % 4 != 0) s.push_back('=');
    return crypto::from_base64(s);
}

std::string sign_ticket(const Claims& c, const crypto::SecretKey& seed) {
    return sign_ticket(c, crypto::Signer(seed));
}

std::string sign_ticket(const Claims& c, const crypto::Signer& signer) {
    const std::string body = c.tenant + "|" + std::to_string(c.key_id) + "|" + c.reference + "|" +
                             std::to_string(c.number) + "|" + std::to_string(c.occurrence) + "|" +
                             c.type + "|" + c.seat + "|" + std::to_string(seconds(c.valid_from)) +
                             "|" + std::to_string(seconds(c.valid_until));
    const std::string signed_part = std::string(kPrefix) + to_base64url(body);
    return signed_part + "." + to_base64url(signer.sign(signed_part));
}

Result<Claims> read_ticket(std::string_view token) {
    if (token.size() > 1024 || !token.starts_with(kPrefix)) return malformed();
    const auto parts = split(token.substr(kPrefix.size()), '.');
    if (parts.size() != 2) return malformed();
    const auto body = from_base64url(parts[0]);
    if (!body) return malformed();
    const auto f = split(*body, '|');
    if (f.size() != 9) return malformed();
    Claims c;
    c.tenant = f[0];
    c.reference = f[2];
    c.type = f[5];
    c.seat = f[6];
    std::int64_t from = 0;
    std::int64_t until = 0;
    if (!number(f[1], c.key_id) || !number(f[3], c.number) || !number(f[4], c.occurrence) ||
        !number(f[7], from) || !number(f[8], until) || c.tenant.empty() || c.reference.empty() ||
        c.type.empty() || c.key_id <= 0 || c.number <= 0)
        return malformed();
    c.valid_from = Instant(std::chrono::seconds(from));
    c.valid_until = Instant(std::chrono::seconds(until));
    return c;
}

bool ticket_signed_by(std::string_view token, std::string_view public_key) noexcept {
    const auto dot = token.rfind('.');
    if (dot == std::string_view::npos || dot < kPrefix.size()) return false;
    const auto signature = from_base64url(token.substr(dot + 1));
    return signature && crypto::signature_valid(public_key, token.substr(0, dot), *signature);
}

}  // namespace yoyaku::tickets

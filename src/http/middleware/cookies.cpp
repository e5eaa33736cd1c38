#include "http/middleware/cookies.hpp"

namespace yoyaku::http {
namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
}  // namespace

std::string_view cookie_value(const Request& req, std::string_view name) {
    for (const auto& f : req.headers.fields()) {
        if (f.name.size() != 6) continue;
        bool is_cookie = true;
        for (std::size_t i = 0; i < 6; ++i)
            is_cookie = is_cookie && (f.name[i] | 0x20) == "cookie"[i];
        if (!is_cookie) continue;
        std::string_view rest = f.value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            auto pair = trim(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            const auto eq = pair.find('=');
            if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name)
                return trim(pair.substr(eq + 1));
        }
    }
    return {};
}

std::string session_cookie(const CookiePolicy& policy, std::string_view value) {
    std::string c(policy.name());
    c += '=';
    c += value;
    c += "; Path=/; HttpOnly; SameSite=Lax";
    if (policy.secure) c += "; Secure";
    return c;
}

std::string clear_session_cookie(const CookiePolicy& policy) {
    std::string c(policy.name());
    c += "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
    if (policy.secure) c += "; Secure";
    return c;
}

std::string_view line_state_cookie_name(const CookiePolicy& policy) noexcept {
    return policy.secure ? "__Host-yoyaku_line" : "yoyaku_line";
}

namespace {
std::string line_cookie(const CookiePolicy& policy, std::string_view value, int max_age) {
    std::string c(line_state_cookie_name(policy));
    c += '=';
    c += value;
    c += "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax";
    if (policy.secure) c += "; Secure";
    return c;
}
}  // namespace

std::string line_state_cookie(const CookiePolicy& policy, std::string_view state) {
    return line_cookie(policy, state, 600);
}

std::string clear_line_state_cookie(const CookiePolicy& policy) {
    return line_cookie(policy, "", 0);
}

bool is_safe_method(std::string_view method) noexcept {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace yoyaku::http

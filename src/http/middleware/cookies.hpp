#pragma once
// The session cookie (SPEC S4): `__Host-yoyaku_session`, HttpOnly, Secure, SameSite=Lax, Path=/,
// no Domain. Only `--dev` on plain HTTP drops Secure, and with it the `__Host-` prefix (which
// requires Secure), using `yoyaku_session` instead.

#include <string>
#include <string_view>

#include "http/router/message.hpp"

namespace yoyaku::http {

struct CookiePolicy {
    bool secure = true;
    std::string_view name() const noexcept {
        return secure ? "__Host-yoyaku_session" : "yoyaku_session";
    }
};

/// The value of cookie `name` in the request's Cookie headers, or empty.
std::string_view cookie_value(const Request& req, std::string_view name);

/// A Set-Cookie value that stores `value` for the browser session.
std::string session_cookie(const CookiePolicy& policy, std::string_view value);
/// A Set-Cookie value that deletes the session cookie.
std::string clear_session_cookie(const CookiePolicy& policy);

/// The cookie that keeps a LINE sign-in's state until LINE sends the browser back (10 minutes,
/// SameSite=Lax so that top-level redirect carries it), and its name and deletion.
std::string_view line_state_cookie_name(const CookiePolicy& policy) noexcept;
std::string line_state_cookie(const CookiePolicy& policy, std::string_view state);
std::string clear_line_state_cookie(const CookiePolicy& policy);

/// True for GET, HEAD and OPTIONS.
bool is_safe_method(std::string_view method) noexcept;

}  // namespace yoyaku::http

#pragma once
// Expected outcomes of an operation, as values (see docs/architecture.md "Errors").

#include <cstdint>
#include <string>
#include <string_view>

namespace yoyaku {

/// Stable, transport-neutral error codes. Each maps to one HTTP status in
/// http/json/problem.cpp; a test walks every enumerator.
/// When adding an enumerator, also add it to `kAllErrcs`, `to_string` and the HTTP mapping.
enum class Errc : std::uint8_t {
    invalid_input,    ///< the request is malformed or a field is invalid (names the field)
    unprocessable,    ///< well-formed, but a rule refuses it
    unauthenticated,  ///< no valid credentials
    forbidden,        ///< authenticated, but not allowed
    reauthentication_required,  ///< a sensitive action: confirm the password first
    not_found,                  ///< no such object (also: another tenant's object)
    method_not_allowed,         ///< the route exists, not with this method
    conflict,                   ///< the state changed under the caller (unique key, stale version)
    slot_taken,                 ///< capacity is exhausted
    payload_too_large,          ///< body over the configured limit
    headers_too_large,          ///< request header over the configured limit
    unsupported_media,          ///< wrong Content-Type
    rate_limited,               ///< too many requests; retry later
    unavailable,                ///< a dependency is down or busy; retryable
    internal,                   ///< a bug; the client sees no detail
};

inline constexpr Errc kAllErrcs[] = {
    Errc::invalid_input,
    Errc::unprocessable,
    Errc::unauthenticated,
    Errc::forbidden,
    Errc::reauthentication_required,
    Errc::not_found,
    Errc::method_not_allowed,
    Errc::conflict,
    Errc::slot_taken,
    Errc::payload_too_large,
    Errc::headers_too_large,
    Errc::unsupported_media,
    Errc::rate_limited,
    Errc::unavailable,
    Errc::internal,
};

std::string_view to_string(Errc code) noexcept;

/// An expected failure. `message` is safe to show a client; `field` names the offending input
/// field (JSON pointer-ish dotted path) when there is one; `detail` is for logs only and must
/// never carry secrets or personal data.
struct Error {
    Errc code = Errc::internal;
    std::string message;
    std::string field;
    std::string detail;

    static Error invalid(std::string field, std::string message) {
        return Error{Errc::invalid_input, std::move(message), std::move(field), {}};
    }
    static Error not_found(std::string message = "not found") {
        return Error{Errc::not_found, std::move(message), {}, {}};
    }
    static Error unavailable(std::string detail) {
        return Error{Errc::unavailable, "service temporarily unavailable", {}, std::move(detail)};
    }
    static Error internal(std::string detail) {
        return Error{Errc::internal, "internal error", {}, std::move(detail)};
    }
};

}  // namespace yoyaku

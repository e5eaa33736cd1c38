#pragma once
// RFC 9457 problem+json: the one mapping from Errc to HTTP status, and the error body.

#include "core/error.hpp"
#include "http/router/message.hpp"

namespace yoyaku::http {

/// The HTTP status for an error code. Total: every Errc has one (a test walks them all).
int http_status(Errc code) noexcept;

/// A problem+json response: type, title, status, detail (the safe message), code, field (when
/// known), request_id. `Error::detail` never leaves the server.
Response problem(const Error& error, const Request& request);

}  // namespace yoyaku::http

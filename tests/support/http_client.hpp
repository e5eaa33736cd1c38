#pragma once
// A blocking HTTP/1.1 client for tests (Beast lives in tests too; keep it out of src/).

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace yoyaku::testing {

struct HttpResult {
    int status = 0;                              ///< 0: no response (connection closed or failed)
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string body;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

/// Sends `raw` (a complete request, as bytes) and reads one response.
HttpResult raw_request(
    std::uint16_t port,
    const std::string& raw,
    std::chrono::milliseconds timeout = std::chrono::seconds(10)
);

/// A simple request with the given method, target, extra header lines ("Name: v\r\n...") and body.
HttpResult request(
    std::uint16_t port,
    const std::string& method,
    const std::string& target,
    const std::string& headers = "",
    const std::string& body = ""
);

/// Connects and waits, sending nothing (or `partial`), until the server closes the connection.
/// Returns how long that took, or `limit` if it never closed.
std::chrono::milliseconds time_until_closed(
    std::uint16_t port, const std::string& partial, std::chrono::milliseconds limit
);

}  // namespace yoyaku::testing

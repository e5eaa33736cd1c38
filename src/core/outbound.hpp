#pragma once
// An outbound HTTP exchange with an outside service's API (Stripe, LINE, Zoom) at an address
// the operator configured. The domain speaks through `Transport`; libcurl implements it in
// app/ (CurlTransport), so no domain code sees a network library.

#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::outbound {

struct HttpCall {
    std::string method;  ///< GET, POST, PATCH or DELETE
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  ///< sent with POST and PATCH
};

struct HttpReply {
    int status = 0;
    std::string body;
};

class Transport {
public:
    virtual ~Transport() = default;
    /// Errors: unavailable (connection, TLS, timeout).
    virtual Result<HttpReply> send(const HttpCall& call) = 0;
};

}  // namespace yoyaku::outbound

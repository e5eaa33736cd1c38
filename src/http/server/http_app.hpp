#pragma once
// What the Beast server calls. Implemented by the middleware pipeline; keeps Beast and Asio
// out of everything above the server.

#include <chrono>
#include <cstddef>

#include "core/error.hpp"
#include "http/router/message.hpp"

namespace yoyaku::http {

class HttpApp {
public:
    virtual ~HttpApp() = default;
    /// On the I/O thread, right after a request was read: assigns the request id and matches
    /// the route. Returns true when `handle` must run on the worker pool (it may block).
    virtual bool prepare(Request& req) = 0;
    /// Produces the response; never throws.
    virtual Response handle(Request& req) = 0;
    /// A response for a failure the server found itself (413, 431, 400, 503); never throws.
    virtual Response reject(Request& req, const Error& error) = 0;
    /// After the response was written (or the write failed): access log and metrics.
    virtual void completed(
        const Request& req, int status, std::size_t bytes, std::chrono::nanoseconds elapsed
    ) = 0;
};

}  // namespace yoyaku::http

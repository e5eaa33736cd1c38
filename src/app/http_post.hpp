#pragma once
// Outbound HTTP POSTs to URLs that tenants give (webhooks, LINE): libcurl, certificates always
// verified, no redirects, a time limit. The host is resolved once here; unless private targets
// are allowed, any address that is not public (loopback, private, link-local…) refuses the
// request, and the connection is pinned to the checked address, so a DNS answer that changes
// between the check and the connection (rebinding) cannot reach inside.

#include <chrono>
#include <string>

#include "core/outbound.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::app {

struct PostOptions {
    bool allow_private_targets = false;
    std::chrono::seconds timeout{10};
    std::string ca_file;  ///< extra trust for tests; empty: the system's
};

class CurlPoster final : public webhooks::Poster {
public:
    explicit CurlPoster(PostOptions options);
    Result<int> post(const webhooks::Outgoing& request) override;

private:
    PostOptions options_;
};

/// Calls to an outside service's API (Stripe, LINE, Zoom) at an address the operator
/// configured (so private hosts are allowed): libcurl, certificates always verified, no
/// redirects, a time limit, the answer's body kept (at most 1 MiB).
class CurlTransport final : public outbound::Transport {
public:
    explicit CurlTransport(PostOptions options);
    Result<outbound::HttpReply> send(const outbound::HttpCall& call) override;

private:
    PostOptions options_;
};

}  // namespace yoyaku::app

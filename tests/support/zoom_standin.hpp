#pragma once
// The Zoom stand-in (tests/support/zoom_standin.py, named as such: the real service cannot be
// reached from here) run for one test: Server-to-Server OAuth's token endpoint and the
// Meetings API's create, update and delete, with its test controls.

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace yoyaku::testing {

class ZoomStandIn {
public:
    static constexpr const char* kAccountId = "standin-account-01";
    static constexpr const char* kClientId = "standinClient01";
    static constexpr const char* kClientSecret = "standin-client-secret-0123456789";

    /// Starts it and waits until it listens. Throws when it cannot.
    ZoomStandIn();
    ~ZoomStandIn();
    ZoomStandIn(const ZoomStandIn&) = delete;
    ZoomStandIn& operator=(const ZoomStandIn&) = delete;

    /// Where zoom.oauth_base_url points (zoom.api_base_url: this + "/v2").
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// POST /_standin/<what> ("meetings", "token_requests", "revoke", "fail?status=503"): its
    /// JSON answer with "status" added.
    boost::json::object control(const std::string& what) const;

private:
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace yoyaku::testing

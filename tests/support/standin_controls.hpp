#pragma once
// What the stand-ins of outside services (Stripe, LINE) share: their test controls under
// /_standin/, answered as JSON.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "core/time.hpp"

namespace yoyaku::testing {

/// POST /_standin/<what> on the stand-in at `port`: its JSON answer with "status" added.
boost::json::object standin_control(std::uint16_t port, const std::string& what);
/// `text` percent-encoded for a query (everything but letters and digits).
std::string query_encoded(const std::string& text);
/// Tells the stand-in where its events go (the webhook URL set at the provider).
void standin_send_events_to(std::uint16_t port, const std::string& url);
/// The stand-in's clock follows the test's.
void standin_set_clock(std::uint16_t port, Instant now);

}  // namespace yoyaku::testing

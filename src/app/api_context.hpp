#pragma once
// What the JSON API's handlers reach, from a platform's services and configuration.

#include "app/config.hpp"
#include "app/services.hpp"
#include "http/api/api.hpp"

namespace yoyaku::app {

http::ApiContext api_context(
    const Config& c,
    storage::Database& db,
    Services& svc,
    const Clock& clock,
    http::CookiePolicy cookies
);

}  // namespace yoyaku::app

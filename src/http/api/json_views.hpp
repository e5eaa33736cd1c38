#pragma once
// JSON views shared by more than one API file (the tenant export reuses the offering and
// resource views of their own endpoints, so an export reads like the API).

#include <boost/json.hpp>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/notices/notices.hpp"
#include "domain/resources/resources.hpp"

namespace yoyaku::http {

/// An offering as GET /api/v1/offerings/{id} answers it (with its dates when `occurrences`).
boost::json::object offering_view(
    const bookings::Offering& o, const std::vector<bookings::Occurrence>* occurrences
);
/// A resource as GET /api/v1/resources/{id} answers it.
boost::json::object resource_view(const resources::Resource& r);

/// "maintenance" while maintenance mode is on, else "incident" while one of `notices` is an
/// unresolved incident, else "operational" (the status page and the managers' status view).
inline const char* service_state(
    const notices::Maintenance& m, const std::vector<notices::Notice>& notices
) {
    if (m.on) return "maintenance";
    for (const auto& n : notices)
        if (n.kind == "incident" && !n.resolved_at) return "incident";
    return "operational";
}

}  // namespace yoyaku::http

#pragma once
// (method, path) → route. Path templates are literal segments and `{name}` parameters.
// 404 and 405 (with the allowed methods) are decided here.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/router/message.hpp"

namespace yoyaku::http {

using Handler = std::function<Response(Request&)>;

/// Where a handler runs. `io` handlers must not block (no database, no file over a few KiB
/// beyond the page cache); `worker` handlers run on the blocking worker pool.
enum class Exec { io, worker };

struct Route {
    std::string method;
    std::string pattern;
    /// The permission a caller needs, by its name in the access matrix ("public" for open
    /// routes, "tenant.bookings.manage", …). Every route declares one.
    std::string permission;
    Handler handler;
    Exec exec = Exec::worker;
};

struct RouteMatch {
    enum class Kind { found, not_found, method_not_allowed } kind = Kind::not_found;
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;  ///< decoded
    std::string allow;  ///< for method_not_allowed: "GET, HEAD"
};

class Router {
public:
    /// Adds a route. Throws std::invalid_argument for a missing or unknown permission, a
    /// malformed pattern or a duplicate (method, pattern): route tables are built at start, so a
    /// mistake stops it.
    void add(Route route);
    RouteMatch match(std::string_view method, std::string_view path) const;
    const std::vector<Route>& routes() const noexcept { return routes_; }

private:
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> segments_;
};

/// Splits a path into percent-decoded segments. nullopt for invalid encoding, a decoded '/',
/// NUL or control characters, or "." / ".." segments.
std::optional<std::vector<std::string>> split_path(std::string_view path);

}  // namespace yoyaku::http

#include "http/router/router.hpp"

#include <stdexcept>

#include "domain/access/permissions.hpp"

namespace yoyaku::http {
namespace {
int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
bool is_param(const std::string& seg) {
    return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
}  // namespace

std::optional<std::vector<std::string>> split_path(std::string_view path) {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        std::string_view raw = path.substr(i, j - i);
        std::string seg;
        for (std::size_t k = 0; k < raw.size(); ++k) {
            char c = raw[k];
            if (c == '%') {
                if (k + 2 >= raw.size()) return std::nullopt;
                int hi = hexval(raw[k + 1]), lo = hexval(raw[k + 2]);
                if (hi < 0 || lo < 0) return std::nullopt;
                c = static_cast<char>(hi * 16 + lo);
                k += 2;
                if (c == '/' || c == '\\') return std::nullopt;
            }
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
            seg.push_back(c);
        }
        if (seg == "." || seg == "..") return std::nullopt;
        if (!seg.empty() || j < path.size()) out.push_back(std::move(seg));
        i = j + 1;
    }
    return out;
}

void Router::add(Route route) {
    // Fail closed: a route without a permission of the matrix never enters the table.
    if (!access::parse_permission(route.permission))
        throw std::invalid_argument(
            "route " + route.method + " " + route.pattern +
            (route.permission.empty() ? " declares no permission"
                                      : " declares an unknown permission: " + route.permission)
        );
    auto segs = split_path(route.pattern);
    if (!segs) throw std::invalid_argument("malformed route pattern: " + route.pattern);
    for (std::size_t i = 0; i < routes_.size(); ++i)
        if (routes_[i].method == route.method && routes_[i].pattern == route.pattern)
            throw std::invalid_argument("duplicate route: " + route.method + " " + route.pattern);
    routes_.push_back(std::move(route));
    segments_.push_back(std::move(*segs));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    RouteMatch result;
    if (path.size() > 1 && path.back() == '/') return result;  // one spelling per resource
    auto segs = split_path(path);
    if (!segs) return result;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        const auto& pat = segments_[r];
        if (pat.size() != segs->size()) continue;
        std::vector<std::pair<std::string, std::string>> params;
        bool ok = true;
        for (std::size_t i = 0; i < pat.size() && ok; ++i) {
            if (is_param(pat[i])) {
                if ((*segs)[i].empty())
                    ok = false;
                else
                    params.emplace_back(pat[i].substr(1, pat[i].size() - 2), (*segs)[i]);
            } else {
                ok = pat[i] == (*segs)[i];
            }
        }
        if (!ok) continue;
        const bool same =
            routes_[r].method == method || (method == "HEAD" && routes_[r].method == "GET");
        if (same) {
            result.kind = RouteMatch::Kind::found;
            result.route = &routes_[r];
            result.params = std::move(params);
            return result;
        }
        result.kind = RouteMatch::Kind::method_not_allowed;
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += routes_[r].method;
        if (routes_[r].method == "GET") result.allow += ", HEAD";
    }
    return result;
}

}  // namespace yoyaku::http

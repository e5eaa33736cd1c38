#pragma once
// Reading JSON request bodies and writing JSON answers. Every refusal names the field.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "http/router/message.hpp"

namespace yoyaku::http {

/// The body as a JSON object. Errors: unsupported_media unless Content-Type is
/// application/json; invalid_input (field "body") when it is not one JSON object; invalid_input
/// naming the first key not in `allowed` (a typo is never silently ignored).
Result<boost::json::object> json_object(
    const Request& req, std::span<const std::string_view> allowed
);
inline Result<boost::json::object> json_object(
    const Request& req, std::initializer_list<std::string_view> allowed
) {
    return json_object(req, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

/// A string member. Errors: invalid_input naming the field when missing (required), not a
/// string, or over `max_bytes`.
Result<std::string> required_string(
    const boost::json::object& o, std::string_view name, std::size_t max_bytes = 1024
);
Result<std::optional<std::string>> optional_string(
    const boost::json::object& o, std::string_view name, std::size_t max_bytes = 1024
);
Result<std::optional<std::int64_t>> optional_integer(
    const boost::json::object& o, std::string_view name
);
/// A list of ids (positive integers); an absent member is an empty list. Errors name the
/// member, or its entry ("resource_ids[2]").
Result<std::vector<std::int64_t>> id_list(const boost::json::object& o, std::string_view name);
/// An RFC 3339 instant member.
Result<std::optional<Instant>> optional_instant(
    const boost::json::object& o, std::string_view name
);

/// The decoded query parameters. Errors: invalid_input naming a parameter not in `allowed`,
/// given twice, or badly encoded (field "query").
Result<std::map<std::string, std::string>> query_params(
    const Request& req, std::initializer_list<std::string_view> allowed
);

/// A path parameter that must be a positive id. Errors: not_found (a malformed id names no
/// object, exactly like another tenant's id).
Result<std::int64_t> id_param(const Request& req, const std::string& name);

/// An RFC 3339 UTC rendering for JSON ("2026-11-22T01:02:03Z").
std::string json_time(Instant t);

Response json_response(int status, const boost::json::value& body);

}  // namespace yoyaku::http

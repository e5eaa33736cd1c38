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

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "http/router/message.hpp"

namespace yoyaku::http {

/// The body as a JSON object, whatever its members. Errors: unsupported_media unless
/// Content-Type is application/json; invalid_input (field "body") when it is not one JSON
/// object or has a member without a name.
Result<boost::json::object> json_body(const Request& req);
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
template <class IdT>
Result<std::vector<IdT>> id_list(const boost::json::object& o, std::string_view name) {
    YOYAKU_TRY_ASSIGN(const auto ns, id_list(o, name));
    std::vector<IdT> out;
    out.reserve(ns.size());
    for (const auto n : ns) out.push_back(IdT(n));
    return out;
}
/// An integer member (|n| ≤ 10⁹), `fallback` when absent.
Result<int> int_member(const boost::json::object& o, std::string_view key, int fallback);
/// A required id member (a positive integer).
Result<std::int64_t> id_member(const boost::json::object& o, const std::string& key);
template <class IdT>
Result<IdT> id_member(const boost::json::object& o, const std::string& key) {
    YOYAKU_TRY_ASSIGN(const auto n, id_member(o, key));
    return IdT(n);
}
/// A true/false member, false when absent.
Result<bool> bool_member(const boost::json::object& o, std::string_view key);
/// Only the keys `k` in `o` (the object at field `f`): another is refused as "f.key".
Result<void> only_keys(
    const boost::json::object& o, const std::string& f, std::initializer_list<std::string_view> k
);
/// The value or null.
boost::json::value opt_json(const std::optional<std::int64_t>& v);
template <class Tag>
boost::json::value opt_json(const std::optional<Id<Tag>>& v) {
    return v ? boost::json::value(v->value) : boost::json::value(nullptr);
}
boost::json::value opt_json(const std::optional<Instant>& v);
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
/// The same as a strong id (OfferingId, ResourceId, …).
template <class IdT>
Result<IdT> id_param(const Request& req, const std::string& name) {
    YOYAKU_TRY_ASSIGN(const auto n, id_param(req, name));
    return IdT(n);
}

/// An RFC 3339 UTC rendering for JSON ("2026-11-22T01:02:03Z").
std::string json_time(Instant t);

Response json_response(int status, const boost::json::value& body);

}  // namespace yoyaku::http

#include "http/json/body.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>
#include <charconv>

#include "core/text.hpp"

namespace yoyaku::http {

Result<boost::json::object> json_body(const Request& req) {
    auto type = req.headers.get("Content-Type");
    const auto semi = type.find(';');
    auto media = type.substr(0, semi);
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    if (media != "application/json")
        return Error{
            Errc::unsupported_media, "the body must be application/json", "Content-Type", {}};
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec || !v.is_object()) return Error::invalid("body", "must be one JSON object");
    auto& o = v.as_object();
    // Found by fuzzing: a member named "" was refused naming no field.
    for (const auto& kv : o)
        if (kv.key().empty()) return Error::invalid("body", "has a member without a name");
    return std::move(o);
}

Result<boost::json::object> json_object(
    const Request& req, std::span<const std::string_view> allowed
) {
    YOYAKU_TRY_ASSIGN(auto o, json_body(req));
    for (const auto& kv : o) {
        bool known = false;
        for (auto a : allowed) known = known || kv.key() == a;
        if (!known) return Error::invalid(std::string(kv.key()), "is not a known field");
    }
    return o;
}

Result<std::optional<std::string>> optional_string(
    const boost::json::object& o, std::string_view name, std::size_t max_bytes
) {
    auto it = o.find(name);
    if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
    if (!it->value().is_string()) return Error::invalid(std::string(name), "must be a string");
    const auto& s = it->value().as_string();
    if (s.size() > max_bytes)
        return Error::invalid(
            std::string(name), "must be at most " + std::to_string(max_bytes) + " bytes"
        );
    if (!text::is_valid_utf8(s)) return Error::invalid(std::string(name), "must be UTF-8");
    return std::optional<std::string>(std::string(s));
}

Result<std::string> required_string(
    const boost::json::object& o, std::string_view name, std::size_t max_bytes
) {
    YOYAKU_TRY_ASSIGN(auto v, optional_string(o, name, max_bytes));
    if (!v) return Error::invalid(std::string(name), "is required");
    return std::move(*v);
}

Result<std::optional<std::int64_t>> optional_integer(
    const boost::json::object& o, std::string_view name
) {
    auto it = o.find(name);
    if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>();
    if (it->value().is_int64()) return std::optional<std::int64_t>(it->value().as_int64());
    if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX)
        return std::optional<std::int64_t>(static_cast<std::int64_t>(it->value().as_uint64()));
    return Error::invalid(std::string(name), "must be an integer");
}

Result<int> int_member(const boost::json::object& o, std::string_view key, int fallback) {
    const auto* v = o.if_contains(key);
    if (!v) return fallback;
    if (!v->is_int64() || v->get_int64() < -1'000'000'000 || v->get_int64() > 1'000'000'000)
        return Error::invalid(std::string(key), "must be an integer");
    return static_cast<int>(v->get_int64());
}

Result<std::int64_t> id_member(const boost::json::object& o, const std::string& key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_int64() || v->get_int64() < 1)
        return Error::invalid(key, "must be an id (a positive integer)");
    return v->get_int64();
}

Result<bool> bool_member(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return false;
    if (!v->is_bool()) return Error::invalid(std::string(key), "must be true or false");
    return v->get_bool();
}

Result<void> only_keys(
    const boost::json::object& o, const std::string& f, std::initializer_list<std::string_view> k
) {
    for (const auto& [key, value] : o)
        if (std::find(k.begin(), k.end(), std::string_view(key)) == k.end())
            return Error::invalid(f + "." + std::string(key), "is not a field");
    return {};
}

boost::json::value opt_json(const std::optional<std::int64_t>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::value opt_json(const std::optional<Instant>& v) {
    return v ? boost::json::value(json_time(*v)) : boost::json::value(nullptr);
}

Result<std::vector<std::int64_t>> id_list(const boost::json::object& o, std::string_view name) {
    std::vector<std::int64_t> out;
    const auto* v = o.if_contains(name);
    if (!v) return out;
    if (!v->is_array()) return Error::invalid(std::string(name), "must be a list of ids");
    for (const auto& x : v->get_array()) {
        if (!x.is_int64() || x.get_int64() < 1)
            return Error::invalid(
                std::string(name) + "[" + std::to_string(out.size()) + "]", "must be an id"
            );
        out.push_back(x.get_int64());
    }
    return out;
}

Result<std::optional<Instant>> optional_instant(
    const boost::json::object& o, std::string_view name
) {
    YOYAKU_TRY_ASSIGN(auto s, optional_string(o, name, 64));
    if (!s) return std::optional<Instant>();
    auto t = parse_rfc3339(*s);
    if (!t)
        return Error::invalid(
            std::string(name), "must be an RFC 3339 time such as 2026-04-01T09:00:00+09:00"
        );
    return std::optional<Instant>(*t);
}

Result<std::map<std::string, std::string>> query_params(
    const Request& req, std::initializer_list<std::string_view> allowed
) {
    std::map<std::string, std::string> out;
    if (req.query.empty()) return out;
    auto parsed = boost::urls::parse_query(req.query);
    if (!parsed) return Error::invalid("query", "is not a valid query string");
    for (auto p : *parsed) {
        std::string key = p.key.decode();
        bool known = false;
        for (auto a : allowed) known = known || key == a;
        if (!known) return Error::invalid(key, "is not a known parameter");
        std::string value = p.has_value ? p.value.decode() : std::string();
        if (!text::is_valid_utf8(value) || value.size() > 1024)
            return Error::invalid(key, "must be UTF-8, at most 1024 bytes");
        if (!out.emplace(key, std::move(value)).second)
            return Error::invalid(key, "is given more than once");
    }
    return out;
}

Result<std::int64_t> id_param(const Request& req, const std::string& name) {
    auto v = req.param(name);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
    if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || id <= 0)
        return Error::not_found("no such resource");
    return id;
}

std::string json_time(Instant t) {
    return format_rfc3339(t, "UTC");
}

Response json_response(int status, const boost::json::value& body) {
    return Response::json(status, boost::json::serialize(body));
}

}  // namespace yoyaku::http

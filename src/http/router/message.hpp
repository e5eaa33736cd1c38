#pragma once
// Transport-neutral request and response. Handlers and middleware see these, never Beast.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/access/principal.hpp"

namespace yoyaku::http {

struct Route;

/// Header list with case-insensitive look-up (field names are ASCII).
class Headers {
public:
    struct Field {
        std::string name;
        std::string value;
    };
    /// The first value of `name`, or empty.
    std::string_view get(std::string_view name) const;
    bool has(std::string_view name) const;
    /// Replaces every field named `name` with one field.
    void set(std::string_view name, std::string value);
    void add(std::string name, std::string value) {
        fields_.push_back({std::move(name), std::move(value)});
    }
    const std::vector<Field>& fields() const noexcept { return fields_; }

private:
    std::vector<Field> fields_;
};

struct Request {
    std::string method;  ///< upper case, e.g. "GET"
    std::string path;    ///< raw (percent-encoded) path, without the query
    std::string query;   ///< raw query, without '?'
    Headers headers;
    std::string body;
    std::string client_address;  ///< from the socket (or a trusted proxy, later)
    bool tls = false;

    // Filled in by the pipeline.
    std::string request_id;
    std::string route;  ///< the matched route template, e.g. "/api/v1/tenants/{id}"; "-" if none
    std::unordered_map<std::string, std::string> params;  ///< decoded path parameters
    const Route* matched = nullptr;                       ///< the matched route, when one matched
    access::Principal principal;  ///< anonymous unless a session or token authenticated it
    std::string session_token;    ///< the session cookie's value, when it authenticated

    std::string_view param(const std::string& name) const {
        auto it = params.find(name);
        return it == params.end() ? std::string_view{} : std::string_view(it->second);
    }
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;

    static Response json(int status, std::string body) {
        Response r;
        r.status = status;
        r.headers.set("Content-Type", "application/json");
        r.body = std::move(body);
        return r;
    }
    static Response text(int status, std::string content_type, std::string body) {
        Response r;
        r.status = status;
        r.headers.set("Content-Type", std::move(content_type));
        r.body = std::move(body);
        return r;
    }
};

}  // namespace yoyaku::http

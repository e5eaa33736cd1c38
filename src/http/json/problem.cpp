#include "http/json/problem.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace yoyaku::http {

int http_status(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_input:
            return 400;
        case Errc::unauthenticated:
            return 401;
        case Errc::forbidden:
        case Errc::reauthentication_required:
            return 403;
        case Errc::not_found:
            return 404;
        case Errc::method_not_allowed:
            return 405;
        case Errc::conflict:
            return 409;
        case Errc::slot_taken:
            return 409;
        case Errc::payload_too_large:
            return 413;
        case Errc::unsupported_media:
            return 415;
        case Errc::unprocessable:
            return 422;
        case Errc::rate_limited:
            return 429;
        case Errc::headers_too_large:
            return 431;
        case Errc::internal:
            return 500;
        case Errc::unavailable:
            return 503;
    }
    return 500;
}

namespace {
std::string_view title(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Content Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 503:
            return "Service Unavailable";
        default:
            return "Internal Server Error";
    }
}
}  // namespace

Response problem(const Error& error, const Request& request) {
    const int status = http_status(error.code);
    // The client sees a fixed sentence and the request id; the log gets what went wrong
    // (a detail never carries secrets or personal data), under the same request id.
    if (error.code == Errc::internal)
        spdlog::error("request {} failed: {}", request.request_id, error.detail);
    else if (error.code == Errc::unavailable)
        spdlog::warn("request {} unavailable: {}", request.request_id, error.detail);
    const auto code = to_string(error.code);
    boost::json::object o;
    o["type"] = "urn:yoyaku:problem:" + std::string(code);
    o["title"] = title(status);
    o["status"] = status;
    // Internal errors never echo anything but a fixed sentence.
    o["detail"] = error.code == Errc::internal ? std::string("internal error") : error.message;
    o["code"] = code;
    if (!error.field.empty()) o["field"] = error.field;
    if (!request.request_id.empty()) o["request_id"] = request.request_id;
    Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/problem+json");
    r.body = boost::json::serialize(o);
    return r;
}

}  // namespace yoyaku::http

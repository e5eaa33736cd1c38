#include "core/error.hpp"

namespace yoyaku {

std::string_view to_string(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_input:
            return "invalid_input";
        case Errc::unprocessable:
            return "unprocessable";
        case Errc::unauthenticated:
            return "unauthenticated";
        case Errc::forbidden:
            return "forbidden";
        case Errc::reauthentication_required:
            return "reauthentication_required";
        case Errc::not_found:
            return "not_found";
        case Errc::method_not_allowed:
            return "method_not_allowed";
        case Errc::conflict:
            return "conflict";
        case Errc::slot_taken:
            return "slot_taken";
        case Errc::payload_too_large:
            return "payload_too_large";
        case Errc::headers_too_large:
            return "headers_too_large";
        case Errc::unsupported_media:
            return "unsupported_media";
        case Errc::rate_limited:
            return "rate_limited";
        case Errc::unavailable:
            return "unavailable";
        case Errc::internal:
            return "internal";
    }
    return "internal";
}

}  // namespace yoyaku

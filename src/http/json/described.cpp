#include "http/json/described.hpp"

#include "core/text.hpp"

namespace yoyaku::http {

namespace described {

Result<std::string> read_text(
    const boost::json::value& v, const std::string& field, std::size_t max
) {
    if (!v.is_string()) return Error::invalid(field, "must be a string");
    const auto& s = v.get_string();
    if (s.size() > max)
        return Error::invalid(field, "must be at most " + std::to_string(max) + " bytes");
    if (!text::is_valid_utf8(s)) return Error::invalid(field, "must be UTF-8");
    return std::string(s);
}

}  // namespace described

}  // namespace yoyaku::http

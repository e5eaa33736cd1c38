#include "http/json/described.hpp"

#include "core/text.hpp"
#include "domain/resources/resources.hpp"

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

Result<std::chrono::year_month_day> read_date(
    const boost::json::value& v, const std::string& field
) {
    const auto d = v.is_string() ? resources::parse_date(v.get_string()) : std::nullopt;
    if (!d) return Error::invalid(field, "must be a date YYYY-MM-DD");
    return *d;
}

std::string format_date(std::chrono::year_month_day d) {
    return resources::format_date(d);
}

}  // namespace described

}  // namespace yoyaku::http

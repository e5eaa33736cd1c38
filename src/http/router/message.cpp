#include "http/router/message.hpp"

#include <algorithm>

namespace yoyaku::http {
namespace {
bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}
}  // namespace

std::string_view Headers::get(std::string_view name) const {
    for (const auto& f : fields_)
        if (iequals(f.name, name)) return f.value;
    return {};
}

bool Headers::has(std::string_view name) const {
    return std::any_of(fields_.begin(), fields_.end(), [&](const Field& f) {
        return iequals(f.name, name);
    });
}

void Headers::set(std::string_view name, std::string value) {
    std::erase_if(fields_, [&](const Field& f) { return iequals(f.name, name); });
    fields_.push_back({std::string(name), std::move(value)});
}

}  // namespace yoyaku::http

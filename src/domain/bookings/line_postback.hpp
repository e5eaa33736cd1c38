#pragma once
// The data of a LINE button's postback, shaped like a query ("action=cancel&ref=K7F2Q9"), as
// the booking's and the waitlist's buttons send it.

#include <algorithm>
#include <string>
#include <string_view>

namespace yoyaku::bookings::detail {

/// The value of `key` in postback `data` ("" when absent).
inline std::string postback_field(std::string_view data, std::string_view key) {
    std::size_t at = 0;
    while (at <= data.size()) {
        const auto end = std::min(data.find('&', at), data.size());
        const auto pair = data.substr(at, end - at);
        if (pair.size() > key.size() && pair.substr(0, key.size()) == key &&
            pair[key.size()] == '=')
            return std::string(pair.substr(key.size() + 1));
        at = end + 1;
    }
    return {};
}

}  // namespace yoyaku::bookings::detail

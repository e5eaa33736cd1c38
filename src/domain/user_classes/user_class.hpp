#pragma once
// A class of customer (利用者区分): the value the slice stores and the booking engine applies.

#include <optional>
#include <string>

#include "core/ids.hpp"

namespace yoyaku::user_classes {

/// A class of customer (resident, non-resident, a registered group…): signed-in members of the
/// class pay `price_percent` of every price (rounded down to the yen) and may book from
/// `opens_before_minutes` before a start (instead of each offering's window opening; none: the
/// offering's). Guests and members without a class pay the prices as set.
struct UserClass {
    UserClassId id;
    std::string name;                         ///< 1–100 characters
    int price_percent = 100;                  ///< 0–1000
    std::optional<int> opens_before_minutes;  ///< 0 – 2 years
    friend bool operator==(const UserClass&, const UserClass&) = default;
};

}  // namespace yoyaku::user_classes

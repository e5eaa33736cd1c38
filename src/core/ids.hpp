#pragma once
// Strong ids: a TenantId cannot be passed where a BookingId is expected.

#include <compare>
#include <cstdint>
#include <functional>

namespace yoyaku {

template <class Tag>
struct Id {
    std::int64_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::int64_t v) : value(v) {}
    constexpr bool valid() const noexcept { return value > 0; }
    friend constexpr auto operator<=>(Id, Id) = default;
};

using TenantId = Id<struct TenantTag>;

}  // namespace yoyaku

template <class Tag>
struct std::hash<yoyaku::Id<Tag>> {
    std::size_t operator()(yoyaku::Id<Tag> id) const noexcept {
        return std::hash<std::int64_t>{}(id.value);
    }
};

#include "domain/access/staff_scope.hpp"

#include <algorithm>

namespace yoyaku::access {
namespace {

template <class T>
void sort_unique(std::vector<T>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

void StaffScope::normalise() {
    sort_unique(resources);
    sort_unique(offerings);
}

bool StaffScope::assigned(OfferingId offering) const noexcept {
    return std::binary_search(offerings.begin(), offerings.end(), offering);
}

bool StaffScope::assigned(ResourceId resource) const noexcept {
    return std::binary_search(resources.begin(), resources.end(), resource);
}

bool StaffScope::covers_booking(
    OfferingId offering, std::optional<ResourceId> resource, std::optional<ResourceId> room
) const noexcept {
    if (!limited() || assigned(offering)) return true;
    return (resource && assigned(*resource)) || (room && assigned(*room));
}

bool StaffScope::covers_offering(
    OfferingId offering, std::span<const ResourceId> uses, std::optional<ResourceId> room
) const noexcept {
    if (!limited() || assigned(offering) || (room && assigned(*room))) return true;
    return std::any_of(uses.begin(), uses.end(), [&](ResourceId r) { return assigned(r); });
}

}  // namespace yoyaku::access

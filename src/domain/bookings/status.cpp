// The names of booking and waitlist states, as stored and as the API shows them.

#include <array>

#include "domain/bookings/internal.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::bookings {
namespace {

constexpr std::array<std::string_view, 8> kStatuses = {
    "held", "pending", "confirmed", "cancelled", "rejected", "expired", "checked_in", "no_show"};
constexpr std::array<std::string_view, 5> kWaitStatuses = {
    "waiting", "offered", "booked", "expired", "left"};

}  // namespace

namespace detail {

Result<std::string> tenant_zone(storage::ScopedTx& stx) {
    YOYAKU_TRY_ASSIGN(auto profile, tenants::TenantStore(stx).find_profile());
    return std::move(profile.time_zone);
}

}  // namespace detail

std::string_view to_string(BookingStatus s) noexcept {
    return kStatuses[static_cast<std::size_t>(s)];
}

std::optional<BookingStatus> parse_booking_status(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == s) return static_cast<BookingStatus>(i);
    return std::nullopt;
}

std::string_view to_string(WaitStatus s) noexcept {
    return kWaitStatuses[static_cast<std::size_t>(s)];
}

}  // namespace yoyaku::bookings

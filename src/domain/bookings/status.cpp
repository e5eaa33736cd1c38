// The names of booking, payment and waitlist states, as stored and as the API shows them.

#include <array>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::bookings {
namespace {

constexpr std::array<std::string_view, 8> kStatuses = {
    "held", "pending", "confirmed", "cancelled", "rejected", "expired", "checked_in", "no_show"};
constexpr std::array<std::string_view, 6> kPaymentStates = {
    "none", "unpaid", "pending", "paid", "partially_refunded", "refunded"};
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

std::string_view to_string(PaymentState s) noexcept {
    return kPaymentStates[static_cast<std::size_t>(s)];
}

std::optional<PaymentState> parse_payment_state(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kPaymentStates.size(); ++i)
        if (kPaymentStates[i] == s) return static_cast<PaymentState>(i);
    return std::nullopt;
}

std::optional<BookingStatus> parse_booking_status(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == s) return static_cast<BookingStatus>(i);
    return std::nullopt;
}

bool is_live(BookingStatus s) noexcept {
    return s == BookingStatus::confirmed || s == BookingStatus::pending;
}

std::string_view to_string(WaitStatus s) noexcept {
    return kWaitStatuses[static_cast<std::size_t>(s)];
}

}  // namespace yoyaku::bookings

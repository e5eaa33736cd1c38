#pragma once
// A waitlist entry and what joining asks for (the slice: waitlist_service.hpp).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/bookings/bookings.hpp"

namespace yoyaku::bookings {

/// A customer's place in the waitlist of a full occurrence.
enum class WaitStatus { waiting, offered, booked, expired, left };
std::string_view to_string(WaitStatus s) noexcept;

struct WaitlistEntry {
    WaitlistEntryId id;
    std::string reference;  ///< 10 characters, like a booking's
    OfferingId offering_id;
    OccurrenceId occurrence_id;
    WaitStatus status = WaitStatus::waiting;
    int seats = 0;
    std::map<std::string, int> tickets;
    std::int64_t total_jpy = 0;
    Customer customer;
    std::string locale = "ja";
    std::optional<AccountId> account_id;
    int position = 0;                              ///< 1 for the first in line; 0 unless waiting
    std::optional<std::string> booking_reference;  ///< the offer's hold, or the booking made
    std::optional<Instant> offer_expires_at;
    Instant created_at{};
    /// A guest's entry holds no place until its address is confirmed by the mailed link; a
    /// signed-in customer's is confirmed at once.
    bool confirmed = true;
};

/// Who joins a waitlist: what they would book (event: occurrence_id + tickets; course:
/// offering_id + tickets) and who they are.
struct NewWaiter {
    Selection what;
    Customer customer;
    std::optional<AccountId> account_id;
    std::string locale;
};

}  // namespace yoyaku::bookings

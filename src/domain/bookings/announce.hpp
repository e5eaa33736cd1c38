#pragma once
// What a change to a booking tells the world inside its transaction.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/line/line.hpp"

namespace yoyaku::bookings::detail {

/// What a change to a booking tells the world inside its transaction: webhook event
/// `booking.<event>`, the customer's mail `mail_name` (none when empty) and the reminder of a
/// booking now confirmed at a new time. `won`: a waitlist's or lottery's winner, who pays an
/// offering paid online at once from the booking's page by pay_deadline() (or loses it).
Result<void> announce(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view event,
    std::string_view mail_name,
    const Booking& b,
    const Offering& o,
    Instant now,
    bool won = false
);
/// How a LINE card shows `b` under `title`, in the booking's language: what, when, how many,
/// the price, the reference; buttons to see it as it stands (a postback: line_actions.cpp)
/// and, while it is live, to move it on its page (when the platform has a public URL) and to
/// cancel it (a postback).
Result<line::Card> line_card(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    const Booking& b,
    const std::string& offering_name,
    std::string title
);
/// The customer's mail `name` about `b` in the booking's language (with `extra` variables).
Result<void> mail_customer(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view name,
    const Booking& b,
    const std::string& offering_name,
    Instant now,
    const std::vector<std::pair<std::string, std::string>>& extra = {}
);
/// A waitlist entry or lottery application as the mail templates see a booking: its reference,
/// who, their language, the seats, the total and the (first) date.
Booking mail_stand_in(
    std::string reference,
    Customer customer,
    std::string locale,
    int seats,
    std::int64_t total_jpy,
    Instant starts_at
);
/// The mail asking a guest to confirm a waitlist entry or lottery application (`what`:
/// "waitlist" or "lottery") by opening its link; `entry` stands for it (reference, customer,
/// locale, seats, first date).
Result<void> mail_confirmation(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view what,
    const Booking& entry,
    const std::string& offering_name,
    Instant now
);
/// How long a guest's unconfirmed entry keeps its address from entering again (one mail per
/// address per line or draw in that time).
inline constexpr std::chrono::hours kUnconfirmedHold{24};
/// A booking of an offering with Zoom meetings: records what its meeting should be (one while
/// it is confirmed, at its times) and queues the "zoom" job when that changed.
Result<void> sync_meeting(
    storage::ScopedTx& stx, crypto::Keyring& keys, const Booking& b, const Offering& o, Instant now
);
/// What webhooks receive about a booking.
std::string event_data(const Booking& b, const std::string& offering_name);
/// Reloads booking `id` after a change that mails nobody and sends its webhook event
/// `booking.<event>`.
Result<Booking> announced(
    storage::ScopedTx& stx,
    crypto::Keyring& keyring,
    std::string_view event,
    BookingId id,
    const crypto::TenantKeys& keys,
    Instant now
);

}  // namespace yoyaku::bookings::detail

#pragma once
// A booking's tickets (issue 26): what admissions it gives, kept in step by announce() with
// every change, and the QR images its mails carry.

#include <vector>

#include "domain/bookings/bookings.hpp"
#include "domain/mail/mail.hpp"
#include "domain/tickets/tickets.hpp"

namespace yoyaku::bookings::detail {

/// The admissions `b` gives now: one per seat of each ticket type (each session of a course),
/// one for an appointment or a rental; none unless it is confirmed or checked in and not
/// refunded in full.
Result<std::vector<tickets::Admission>> admissions(
    storage::ScopedTx& stx, const Booking& b, const Offering& o
);

/// Issues and revokes `b`'s tickets to match admissions(b).
Result<tickets::Synced> sync_tickets(
    storage::ScopedTx& stx, crypto::Keyring& keys, const Booking& b, const Offering& o, Instant now
);

/// The tickets of `b` not revoked, by number.
Result<std::vector<tickets::TicketRow>> live_tickets(storage::ScopedTx& stx, const Booking& b);

/// `live` as inline QR images of `m` (content ids "ticket-<n>@yoyaku"), shown at the end of its
/// HTML part with their captions. The PNGs are drawn when the mail is sent (Attachment::qr_of).
void attach_ticket_codes(
    const std::vector<tickets::TicketRow>& live, const Booking& b, mail::Mail& m
);

}  // namespace yoyaku::bookings::detail

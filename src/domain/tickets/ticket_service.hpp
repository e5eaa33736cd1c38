#pragma once
// Tickets as people use them (issue 26, ADR 0021): a booking's tickets and their printable
// PDF, check-in per ticket at a kiosk or a staff scanner (online, or scans made offline and
// sent later: the first scan wins, a second admission is reported), the revocation lists and
// public keys an offline device checks against, the attendance of an occurrence (a course's
// session) and the tenant's ticket keys.

#include <optional>
#include <string>
#include <vector>

#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/tickets/ticket_store.hpp"
#include "storage/database.hpp"

namespace yoyaku::tickets {

/// A ticket with what it admits to.
struct TicketView {
    TicketRow ticket;
    std::string type_name;  ///< the ticket type's name ("大人"), else the code
    std::string offering;
    Instant starts_at{};
    Instant ends_at{};
};

/// A booking's tickets ready to print: "tickets-<reference>.pdf" and its bytes.
struct TicketDocument {
    std::string filename;
    std::string pdf;
};

/// One scan as the device read it.
struct Scan {
    std::string token;
    std::string device;  ///< the device's label ("東口キオスク"), 1–64 characters
    /// When an offline device scanned it (within the last 7 days); none: now, online.
    std::optional<Instant> scanned_at;
};

/// What a scan came to. Refusals are answers too (recorded, audited), not errors.
struct ScanResult {
    ScanOutcome outcome = ScanOutcome::invalid;
    std::string message;               ///< why it was refused, for the person at the door
    std::optional<TicketView> ticket;  ///< none for a token that is not a valid ticket
    bookings::PaymentState payment_state = bookings::PaymentState::none;
    int party = 0;                    ///< the booking's live tickets for the same occurrence
    int party_checked_in = 0;         ///< of which admitted (this one included)
    std::optional<Instant> first_at;  ///< used, conflict: the first admission
    std::string first_device;
};

/// The revoked tickets an offline device refuses: `version` grows with every revocation.
struct Revocations {
    std::optional<OccurrenceId> occurrence;
    int version = 0;
    std::vector<TicketRow> tickets;
};

/// What an offline device needs to check the tickets of one local day: the tenant's public
/// keys, the revoked and the admitted tickets valid that day, and what they admit to.
struct CheckinPack {
    std::string tenant_code;
    Instant generated_at{};
    std::vector<KeyRow> keys;         ///< without their seeds
    std::vector<TicketView> tickets;  ///< every ticket valid that day (no tokens needed)
};

class TicketService {
public:
    TicketService(
        storage::Database& db,
        crypto::Keyring& keys,
        const Clock& clock,
        bookings::BookingService& bookings
    )
        : db_(db), keys_(keys), clock_(clock), bookings_(bookings) {}

    /// Booking `reference`'s tickets by number (`revoked`: those revoked too). Errors:
    /// not_found.
    Result<std::vector<TicketView>> of_booking(
        TenantId tenant, std::string_view reference, bool revoked = false
    );
    /// Its live tickets as an A4 PDF, one ticket per panel. Errors: not_found; unprocessable
    /// (field "reference") when it has none (not confirmed, cancelled).
    Result<TicketDocument> pdf(TenantId tenant, std::string_view reference);

    /// Checks a ticket in: its signature under one of the tenant's keys, its tenant, the
    /// revocations, its validity window at the scan's time, then the first scan wins. Every
    /// scan is recorded; an admission is audited (ticket.checked_in, with the webhook), a
    /// refusal too. Errors: invalid_input on "device" or "scanned_at".
    Result<ScanResult> scan(
        TenantId tenant, const Scan& in, const audit::Actor& actor, const audit::Origin& origin
    );
    /// Scans an offline device kept, in the order it made them (at most 500). Errors as scan.
    Result<std::vector<ScanResult>> sync(
        TenantId tenant,
        const std::vector<Scan>& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The recent scans, newest first (`problems`: refused and conflicting only).
    Result<std::vector<ScanRow>> scans(TenantId tenant, int limit, bool problems);

    /// The revoked tickets of an occurrence (none: of appointments and rentals).
    Result<Revocations> revocations(TenantId tenant, std::optional<OccurrenceId> occurrence);
    /// The live tickets of an occurrence with their check-in: a session's attendance.
    Result<std::vector<TicketView>> attendance(TenantId tenant, OccurrenceId occurrence);

    /// The pack for the local day `day` (none: today) in the tenant's time zone, with the day
    /// before and after (a device's clock, events past midnight).
    Result<CheckinPack> pack(TenantId tenant, std::optional<std::chrono::year_month_day> day);

    /// The tenant's ticket keys, oldest first (made on first use): what checks its tickets.
    Result<std::vector<KeyRow>> public_keys(TenantId tenant);
    /// A new key signs from now on (audited); the older keys still check. Returns its number.
    Result<int> rotate_key(TenantId tenant, const audit::Actor& actor, const audit::Origin& origin);

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    bookings::BookingService& bookings_;
};

}  // namespace yoyaku::tickets

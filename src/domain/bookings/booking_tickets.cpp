// A booking's tickets (booking_tickets.hpp).

#include "domain/bookings/booking_tickets.hpp"

#include "core/text.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::bookings::detail {
namespace {

// One admission per seat of each type at one time; numbered seats (a seat map) in the order
// the booking holds them.
void per_seat(
    std::vector<tickets::Admission>& out,
    const Booking& b,
    std::optional<OccurrenceId> occurrence,
    Instant starts,
    Instant ends
) {
    std::size_t next = 0;
    const auto seat = [&]() {
        return next < b.seat_ids.size() ? b.seat_ids[next++] : std::string();
    };
    if (b.tickets.empty()) {
        for (int i = 0; i < b.seats; ++i)
            out.push_back({occurrence, "admission", seat(), starts, ends});
        return;
    }
    for (const auto& [type, count] : b.tickets)
        for (int i = 0; i < count; ++i) out.push_back({occurrence, type, seat(), starts, ends});
}

}  // namespace

Result<std::vector<tickets::Admission>> admissions(
    storage::ScopedTx& stx, const Booking& b, const Offering& o
) {
    std::vector<tickets::Admission> out;
    const bool admits =
        b.status == BookingStatus::confirmed || b.status == BookingStatus::checked_in;
    if (!admits || b.payment_state == PaymentState::refunded) return out;
    switch (o.kind) {
        case OfferingKind::event:
            per_seat(out, b, b.occurrence_id, b.starts_at, b.ends_at);
            break;
        case OfferingKind::course: {
            // A seat in every session: each its own ticket, so attendance is kept per session.
            for (const auto& id : taken_from(capacity_of(stx, b.id)).occurrences) {
                YOYAKU_TRY_ASSIGN(const auto s, offerings::OccurrenceStore(stx).find_by_id(id));
                per_seat(out, b, s.id, s.starts_at, s.ends_at);
            }
            break;
        }
        case OfferingKind::appointment:
        case OfferingKind::rental:
            out.push_back({std::nullopt, "admission", "", b.starts_at, b.ends_at});
            break;
    }
    return out;
}

Result<tickets::Synced> sync_tickets(
    storage::ScopedTx& stx, crypto::Keyring& keys, const Booking& b, const Offering& o, Instant now
) {
    YOYAKU_TRY_ASSIGN(const auto want, admissions(stx, b, o));
    YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
    YOYAKU_TRY_ASSIGN(const auto k, keys.tenant_keys(stx.tenant_id()));
    return tickets::sync(stx, k, {t.code, b.id, b.offering_id, b.reference}, want, now);
}

Result<std::vector<tickets::TicketRow>> live_tickets(storage::ScopedTx& stx, const Booking& b) {
    YOYAKU_TRY_ASSIGN(auto all, tickets::TicketStore(stx).of_booking(b.id));
    std::erase_if(all, [](const auto& t) { return t.revoked_at.has_value(); });
    return all;
}

void attach_ticket_codes(
    const std::vector<tickets::TicketRow>& live, const Booking& b, mail::Mail& m
) {
    const bool ja = b.locale != "en";
    std::string html;
    for (const auto& t : live) {
        const std::string id = "ticket-" + std::to_string(t.number) + "@yoyaku";
        const std::string caption = (ja ? "チケット " : "Ticket ") + b.reference + "-" +
                                    std::to_string(t.number) +
                                    (t.seat.empty() ? "" : " " + t.seat) + " (" + t.type + ")";
        html += "<p style=\"margin:16px 0\"><img src=\"cid:" + id +
                "\" width=\"220\" height=\"220\" alt=\"" + mail::html_escape(caption) + "\"><br>" +
                mail::html_escape(caption) + "</p>\n";
        m.attachments.push_back(
            {"ticket-" + std::to_string(t.number) + ".png", "image/png", "", id, t.token}
        );
    }
    if (live.empty() || m.html.empty()) return;
    const auto end = m.html.rfind("</div></body>");
    m.html.insert(end == std::string::npos ? m.html.size() : end, html);
}

}  // namespace yoyaku::bookings::detail

#pragma once
// Tickets drawn as an A4 PDF in Japanese (cairo + pango through documents::Pdf): three panels
// to a page, one ticket per panel, each with its QR code, what it admits to and when, its type
// and seat, and the booking's reference with the ticket's number. No customer's name.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/tickets/ticket_service.hpp"

namespace yoyaku::tickets {

struct Venue {
    std::string name;       ///< the tenant's name
    std::string time_zone;  ///< its IANA zone, for the times printed
};

/// Errors: internal (cairo), invalid_input ("qr") for a token too long for a QR code.
Result<std::string> draw_tickets(const Venue& venue, const std::vector<TicketView>& tickets);

}  // namespace yoyaku::tickets

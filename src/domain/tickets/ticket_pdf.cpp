// Tickets as an A4 PDF (ticket_pdf.hpp).

#include "domain/tickets/ticket_pdf.hpp"

#include "documents/pdf.hpp"
#include "domain/mail/mail.hpp"

namespace yoyaku::tickets {
namespace {

using documents::Align;
using documents::Pdf;

constexpr double kLeft = 48;
constexpr double kTop = 36;
constexpr double kPanel = 256;  // height of one panel
constexpr int kPerPage = 3;
constexpr double kQr = 184;

void draw_panel(
    Pdf& pdf, double y, const Venue& venue, const TicketView& v, const documents::QrCode& code
) {
    const double width = documents::kA4Width - 2 * kLeft;
    pdf.box(kLeft, y, width, kPanel - 16, 0.8);
    const double x = kLeft + 16;
    const double text_width = width - kQr - 48;
    double at = y + 14;
    at += pdf.text(x, at, text_width, "入場券 TICKET", {9, true});
    at += pdf.text(x, at, text_width, venue.name, {10});
    at += 4;
    at += pdf.text(x, at, text_width, v.offering, {16, true});
    at += 8;
    const auto line = [&](const std::string& label, const std::string& value) {
        pdf.text(x, at, 56, label, {10});
        at += pdf.text(x + 56, at, text_width - 56, value, {11, true}) + 4;
    };
    line("日時", mail::format_local(v.starts_at, venue.time_zone, "ja"));
    line("券種", v.ticket.type == "admission" ? "入場" : v.type_name);
    line("座席", v.ticket.seat.empty() ? "指定なし" : v.ticket.seat);
    line("番号", v.ticket.reference + "-" + std::to_string(v.ticket.number));
    pdf.text(
        x,
        y + kPanel - 58,
        text_width,
        "この券1枚で1名様が入場できます。入口でQRコードをご提示ください。複製された券は最初の1枚だけが有効です。",
        {8}
    );
    pdf.qr(kLeft + width - kQr - 16, y + (kPanel - 16 - kQr) / 2, kQr, code);
}

}  // namespace

Result<std::string> draw_tickets(const Venue& venue, const std::vector<TicketView>& tickets) {
    Pdf pdf("チケット " + (tickets.empty() ? std::string() : tickets.front().ticket.reference));
    for (std::size_t i = 0; i < tickets.size(); ++i) {
        if (i > 0 && i % kPerPage == 0) pdf.next_page();
        YOYAKU_TRY_ASSIGN(const auto code, documents::qr_code(tickets[i].ticket.token));
        draw_panel(pdf, kTop + static_cast<double>(i % kPerPage) * kPanel, venue, tickets[i], code);
    }
    return pdf.finish();
}

}  // namespace yoyaku::tickets

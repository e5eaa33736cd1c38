// A booking's permit or invoice drawn as an A4 PDF in Japanese (booking_document.hpp).

#include <fmt/format.h>

#include "documents/pdf.hpp"
#include "domain/payments/booking_document.hpp"
#include "domain/payments/pdf_parts.hpp"

namespace yoyaku::payments {
namespace {

using documents::Align;
using documents::Pdf;
using namespace pdf_parts;

constexpr const char* kPermitText =
    "使用にあたっては、施設の利用規則を守り、係員の指示に従ってください。"
    "許可された目的以外に使用すること、権利を譲り渡すことはできません。";

std::string title_of(DocumentKind k) {
    return k == DocumentKind::permit ? "使用許可書" : "請求書";
}

// Title (再発行 where it replaces another), number, date and the customer; returns where the
// next part starts.
double draw_head(Pdf& pdf, const BookingDocument& d) {
    double y = 56;
    y += pdf.text(
        kLeft,
        y,
        kWidth,
        title_of(d.kind) + (d.replaces ? "（再発行）" : ""),
        {24, true, Align::center}
    );
    y += 20;
    pdf.text(
        kLeft, y, kWidth, "No. " + document_number(d.kind, d.number), {10, false, Align::right}
    );
    y += 14;
    pdf.text(
        kLeft,
        y,
        kWidth,
        "発行日 " + local_date(d.issued_at, d.time_zone, false),
        {10, false, Align::right}
    );
    if (d.replaces) {
        y += 14;
        pdf.text(
            kLeft,
            y,
            kWidth,
            "（" + document_number(d.kind, *d.replaces) + " に代わるもの）",
            {9, false, Align::right}
        );
    }
    y += 24;
    pdf.text(kLeft, y, 300, d.customer_name + " 様", {14});
    pdf.line(kLeft, y + 22, kLeft + 300, y + 22, 0.8);
    return y + 40;
}

// The booking: what, where, when.
double draw_facts(Pdf& pdf, const BookingDocument& d, double y) {
    const auto until = local_date(d.ends_at, d.time_zone, true);
    const auto from = local_date(d.starts_at, d.time_zone, true);
    // The same day: only the end's time after the start.
    const auto end = until.substr(0, until.find(' ')) == from.substr(0, from.find(' '))
                         ? until.substr(until.find(' ') + 1)
                         : until;
    const std::pair<std::string, std::string> facts[] = {
        {"予約番号", d.reference},
        {"利用内容", d.offering},
        {"施設", d.place.empty() ? "—" : d.place},
        {"使用日時", from + " 〜 " + end}};
    for (const auto& [label, value] : facts) {
        pdf.text(kLeft, y, 90, label, {10, true});
        y += std::max(pdf.text(kLeft + 90, y, kWidth - 90, value, {10}), 14.0) + 4;
    }
    return y + 12;
}

// The issuer at the right, its seal beside its name.
void draw_issuer(Pdf& pdf, const BookingDocument& d, std::string_view seal, double y) {
    const double x = kLeft + kWidth / 2;
    double at = y;
    at += pdf.text(x, at, kWidth / 2 - 70, d.issuer.name, {12, true});
    if (!d.issuer.registration_number.empty())
        at += pdf.text(x, at, kWidth / 2 - 70, "登録番号 " + d.issuer.registration_number, {9});
    if (!d.issuer.address.empty()) pdf.text(x, at, kWidth / 2 - 70, d.issuer.address, {9});
    if (!seal.empty()) pdf.image(kLeft + kWidth - 64, y - 8, 64, 64, seal);
}

}  // namespace

Result<std::string> render_pdf(const BookingDocument& d, std::string_view seal_png) {
    Pdf pdf(title_of(d.kind) + " " + document_number(d.kind, d.number));
    double y = draw_head(pdf, d);
    if (d.kind == DocumentKind::permit) {
        y += pdf.text(kLeft, y, kWidth, "下記のとおり施設の使用を許可します。", {11});
        y += 16;
        y = draw_facts(pdf, d, y);
        y = draw_lines(pdf, d.lines, d.total_jpy, d.tax_rate, y);
        pdf.text(kLeft, y, 90, "使用条件", {10, true});
        y += pdf.text(kLeft + 90, y, kWidth - 90, d.wording.empty() ? kPermitText : d.wording, {9});
    } else {
        y += pdf.text(kLeft, y, kWidth, "下記のとおりご請求申し上げます。", {11});
        y += 12;
        pdf.box(kLeft + 80, y, kWidth - 160, 44, 1.2);
        pdf.text(
            kLeft + 80,
            y + 8,
            kWidth - 160,
            "ご請求金額 " + yen(d.total_jpy) + " -",
            {20, true, Align::center}
        );
        y += 60;
        y = draw_facts(pdf, d, y);
        y = draw_lines(pdf, d.lines, d.total_jpy, d.tax_rate, y);
        if (!d.wording.empty()) {
            pdf.text(kLeft, y, 90, "お支払い", {10, true});
            y += pdf.text(kLeft + 90, y, kWidth - 90, d.wording, {9});
        }
    }
    draw_issuer(pdf, d, seal_png, y + 36);
    pdf.text(
        kLeft,
        documents::kA4Height - 56,
        kWidth,
        "この" + title_of(d.kind) + "は電子的に発行されたものです。",
        {8}
    );
    return pdf.finish();
}

}  // namespace yoyaku::payments

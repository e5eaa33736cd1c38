// A receipt drawn as an A4 PDF in Japanese (receipt.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "documents/pdf.hpp"
#include "domain/payments/pdf_parts.hpp"
#include "domain/payments/receipt.hpp"

namespace yoyaku::payments {
namespace {

using documents::Align;
using documents::Pdf;
using namespace pdf_parts;

// Title, number, date, receiver and the amount received; returns where the next part starts.
double draw_head(Pdf& pdf, const Receipt& r) {
    double y = 56;
    y += pdf.text(kLeft, y, kWidth, "領収書", {24, true, Align::center});
    if (!r.issuer.registration_number.empty())
        pdf.text(kLeft, y, kWidth, "（適格簡易請求書）", {10, false, Align::center});
    y += 24;
    pdf.text(kLeft, y, kWidth, "No. " + receipt_number(r.number), {10, false, Align::right});
    y += 14;
    pdf.text(
        kLeft,
        y,
        kWidth,
        "発行日 " + local_date(r.issued_at, r.time_zone, false),
        {10, false, Align::right}
    );
    y += 24;
    pdf.text(kLeft, y, 300, r.customer_name + " 様", {14});
    pdf.line(kLeft, y + 22, kLeft + 300, y + 22, 0.8);
    y += 44;
    pdf.box(kLeft + 80, y, kWidth - 160, 44, 1.2);
    pdf.text(
        kLeft + 80, y + 8, kWidth - 160, yen(r.received_jpy) + " -", {22, true, Align::center}
    );
    y += 56;
    y += pdf.text(
        kLeft,
        y,
        kWidth,
        "但し「" + r.offering + "」のご利用代金として、上記正に領収いたしました。",
        {10, false, Align::center}
    );
    return y + 20;
}

// The lines bought and the totals per rate, then refunds; returns where the next part starts.
double draw_lines(Pdf& pdf, const Receipt& r, double y) {
    y = pdf_parts::draw_lines(pdf, r.lines, r.received_jpy, r.tax_rate, y) - 16;
    if (r.refunded_jpy > 0) {
        y += 6;
        draw_total(
            pdf,
            y,
            fmt::format("返金（{}%対象）", r.tax_rate),
            fmt::format(
                "{}（内消費税 {}）",
                yen(-r.refunded_jpy),
                yen(-tax_included(r.refunded_jpy, r.tax_rate))
            )
        );
        y += 16;
        draw_total(pdf, y, "差引", yen(r.received_jpy - r.refunded_jpy), true);
        y += 16;
    }
    return y + 16;
}

// The booking's facts and the issuer.
void draw_facts(Pdf& pdf, const Receipt& r, double y) {
    const std::pair<std::string, std::string> facts[] = {
        {"予約番号", r.reference},
        {"ご利用日時", local_date(r.starts_at, r.time_zone, true)},
        {"お支払い日", r.paid_at ? local_date(*r.paid_at, r.time_zone, false) : "—"},
        {"お支払い方法", r.online ? "オンライン決済" : "現地でのお支払い"}};
    for (const auto& [label, value] : facts) {
        pdf.text(kLeft, y, 100, label, {9});
        pdf.text(kLeft + 100, y, kWidth - 100, value, {9});
        y += 14;
    }
    y += 24;
    const double x = kLeft + kWidth / 2;
    y += pdf.text(x, y, kWidth / 2, r.issuer.name, {12, true});
    if (!r.issuer.registration_number.empty())
        y += pdf.text(x, y, kWidth / 2, "登録番号 " + r.issuer.registration_number, {9});
    if (!r.issuer.address.empty()) pdf.text(x, y, kWidth / 2, r.issuer.address, {9});
    pdf.text(
        kLeft, documents::kA4Height - 56, kWidth, "この領収書は電子的に発行されたものです。", {8}
    );
}

}  // namespace

Result<std::string> render_pdf(const Receipt& r) {
    Pdf pdf("領収書 " + receipt_number(r.number));
    const double y = draw_lines(pdf, r, draw_head(pdf, r));
    draw_facts(pdf, r, y);
    return pdf.finish();
}

}  // namespace yoyaku::payments

// A receipt drawn as an A4 PDF in Japanese (receipt.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "documents/pdf.hpp"
#include "domain/payments/receipt.hpp"

namespace yoyaku::payments {
namespace {

using documents::Align;
using documents::Pdf;

constexpr double kLeft = 56;
constexpr double kWidth = documents::kA4Width - 2 * kLeft;

std::string yen(std::int64_t v) {
    std::string digits = std::to_string(v < 0 ? -v : v);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return (v < 0 ? "-¥" : "¥") + digits;
}

std::string local_date(Instant t, const std::string& zone, bool with_time) {
    using namespace std::chrono;
    const auto local = to_local(t, zone);
    const auto day = floor<days>(local);
    const year_month_day d{day};
    std::string out = fmt::format(
        "{}年{}月{}日",
        static_cast<int>(d.year()),
        static_cast<unsigned>(d.month()),
        static_cast<unsigned>(d.day())
    );
    if (with_time) {
        const hh_mm_ss hms{local - day};
        out += fmt::format(" {}:{:02}", hms.hours().count(), hms.minutes().count());
    }
    return out;
}

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

// One row of the table: name, quantity, unit price, amount.
void draw_row(Pdf& pdf, double y, const std::array<std::string, 4>& cells, bool bold = false) {
    const double x[] = {kLeft, kLeft + 270, kLeft + 320, kLeft + 400};
    const double w[] = {260, 40, 80, kWidth - 400};
    for (std::size_t i = 0; i < cells.size(); ++i)
        pdf.text(x[i], y, w[i], cells[i], {10, bold, i == 0 ? Align::left : Align::right});
}

// A total: its label on the left, its amount right-aligned across the rest of the line.
void draw_total(
    Pdf& pdf, double y, const std::string& label, const std::string& value, bool bold = false
) {
    pdf.text(kLeft, y, 200, label, {10, bold});
    pdf.text(kLeft + 200, y, kWidth - 200, value, {10, bold, Align::right});
}

// The lines bought and the totals per rate; returns where the next part starts.
double draw_lines(Pdf& pdf, const Receipt& r, double y) {
    // The reduced rate's lines are marked, as the qualified invoice rules ask.
    const bool reduced = r.tax_rate != 10;
    draw_row(pdf, y, {"品目", "数量", "単価", "金額"}, true);
    y += 16;
    pdf.line(kLeft, y, kLeft + kWidth, y);
    y += 6;
    for (const auto& l : r.lines) {
        const double h = pdf.text(kLeft, y, 260, (reduced ? "※" : "") + l.name);
        draw_row(pdf, y, {"", std::to_string(l.quantity), yen(l.unit_jpy), yen(l.amount_jpy)});
        y += std::max(h, 14.0) + 4;
    }
    pdf.line(kLeft, y, kLeft + kWidth, y);
    y += 8;
    draw_total(pdf, y, "合計（税込）", yen(r.received_jpy), true);
    y += 18;
    draw_total(
        pdf,
        y,
        fmt::format("{}%対象", r.tax_rate),
        fmt::format(
            "{}（内消費税 {}）", yen(r.received_jpy), yen(tax_included(r.received_jpy, r.tax_rate))
        )
    );
    y += 16;
    if (reduced) {
        pdf.text(kLeft, y, kWidth, "※は軽減税率対象", {8});
        y += 14;
    }
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

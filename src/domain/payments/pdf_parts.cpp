// What the payments slice's PDFs draw alike (pdf_parts.hpp).

#include "domain/payments/pdf_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace yoyaku::payments::pdf_parts {

using documents::Align;
using documents::Pdf;

std::string yen(std::int64_t v) {
    const std::string digits = std::to_string(v < 0 ? -v : v);
    std::string out = v < 0 ? "-¥" : "¥";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        // A comma before every group of three from the right.
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
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

void draw_row(Pdf& pdf, double y, const std::array<std::string, 4>& cells, bool bold) {
    const double x[] = {kLeft, kLeft + 270, kLeft + 320, kLeft + 400};
    const double w[] = {260, 40, 80, kWidth - 400};
    for (std::size_t i = 0; i < cells.size(); ++i)
        pdf.text(x[i], y, w[i], cells[i], {10, bold, i == 0 ? Align::left : Align::right});
}

void draw_total(Pdf& pdf, double y, const std::string& label, const std::string& value, bool bold) {
    pdf.text(kLeft, y, 200, label, {10, bold});
    pdf.text(kLeft + 200, y, kWidth - 200, value, {10, bold, Align::right});
}

double draw_lines(
    Pdf& pdf, const std::vector<ReceiptLine>& lines, std::int64_t total_jpy, int tax_rate, double y
) {
    // The reduced rate's lines are marked, as the qualified invoice rules ask.
    const bool reduced = tax_rate != 10;
    draw_row(pdf, y, {"品目", "数量", "単価", "金額"}, true);
    y += 16;
    pdf.line(kLeft, y, kLeft + kWidth, y);
    y += 6;
    for (const auto& l : lines) {
        const double h = pdf.text(kLeft, y, 260, (reduced ? "※" : "") + l.name);
        draw_row(pdf, y, {"", std::to_string(l.quantity), yen(l.unit_jpy), yen(l.amount_jpy)});
        y += std::max(h, 14.0) + 4;
    }
    pdf.line(kLeft, y, kLeft + kWidth, y);
    y += 8;
    draw_total(pdf, y, "合計（税込）", yen(total_jpy), true);
    y += 18;
    draw_total(
        pdf,
        y,
        fmt::format("{}%対象", tax_rate),
        fmt::format("{}（内消費税 {}）", yen(total_jpy), yen(tax_included(total_jpy, tax_rate)))
    );
    y += 16;
    if (reduced) {
        pdf.text(kLeft, y, kWidth, "※は軽減税率対象", {8});
        y += 14;
    }
    return y + 16;
}

}  // namespace yoyaku::payments::pdf_parts

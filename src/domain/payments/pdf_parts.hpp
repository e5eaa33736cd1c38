#pragma once
// What the payments slice's PDFs (receipts, permits, invoices) draw alike: yen amounts, local
// dates, the table of lines and its totals, on an A4 page with the same margins.

#include <array>
#include <string>

#include "core/time.hpp"
#include "documents/pdf.hpp"
#include "domain/payments/receipt.hpp"

namespace yoyaku::payments::pdf_parts {

inline constexpr double kLeft = 56;
inline constexpr double kWidth = documents::kA4Width - 2 * kLeft;

/// "¥12,345" ("-¥500" below zero).
std::string yen(std::int64_t v);
/// "2027年1月18日" (with_time: " 9:00") in `zone`.
std::string local_date(Instant t, const std::string& zone, bool with_time);
/// One row of the lines table: name, quantity, unit price, amount.
void draw_row(
    documents::Pdf& pdf, double y, const std::array<std::string, 4>& cells, bool bold = false
);
/// A total: its label on the left, its amount right-aligned across the rest of the line.
void draw_total(
    documents::Pdf& pdf,
    double y,
    const std::string& label,
    const std::string& value,
    bool bold = false
);
/// The table of lines (※ marks the reduced rate's), its total tax included and the tax per
/// rate; returns where the next part starts.
double draw_lines(
    documents::Pdf& pdf,
    const std::vector<ReceiptLine>& lines,
    std::int64_t total_jpy,
    int tax_rate,
    double y
);

}  // namespace yoyaku::payments::pdf_parts

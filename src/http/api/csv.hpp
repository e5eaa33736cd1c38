#pragma once
// CSV cells for exports (RFC 4180, CRLF rows): every cell quoted, quotes doubled, and a cell
// that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) prefixed with '.

#include <string>
#include <string_view>

namespace yoyaku::http {

inline void csv_cell(std::string& out, std::string_view v) {
    const bool formula =
        !v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos;
    out += '"';
    if (formula) out += '\'';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace yoyaku::http

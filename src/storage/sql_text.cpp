#include "storage/sql_text.hpp"

#include <cctype>

namespace yoyaku::storage {

std::string to_sqlite_dialect(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'' || c == '"') {  // copy a quoted run verbatim ('' and "" escape themselves)
            std::size_t j = i + 1;
            while (j < sql.size() && sql[j] != c) ++j;
            out.append(sql.substr(i, j - i + 1));
            i = j;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            std::size_t j = sql.find('\n', i);
            if (j == std::string_view::npos) j = sql.size() - 1;
            out.append(sql.substr(i, j - i + 1));
            i = j;
        } else if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
            out.push_back('?');
        } else {
            out.push_back(c);
        }
    }
    auto end = out.find_last_not_of(" \t\n;");
    constexpr std::string_view kForUpdate = "FOR UPDATE";
    if (end != std::string::npos && end + 1 >= kForUpdate.size()) {
        auto start = end + 1 - kForUpdate.size();
        if (std::string_view(out).substr(start, kForUpdate.size()) == kForUpdate) out.erase(start);
    }
    return out;
}

std::string append_list(std::vector<Value>& params, const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += ", ";
        params.emplace_back(v);
        out += "$" + std::to_string(params.size());
    }
    return out;
}

}  // namespace yoyaku::storage

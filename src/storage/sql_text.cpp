#include "storage/sql_text.hpp"

#include <cctype>

namespace yoyaku::storage {
namespace {

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The length of a row-locking clause (" FOR UPDATE", " FOR UPDATE SKIP LOCKED") starting at
// `i` with its leading space, or 0.
std::size_t row_lock_at(std::string_view sql, std::size_t i) {
    constexpr std::string_view kLock = " FOR UPDATE", kSkip = " SKIP LOCKED";
    if (sql.substr(i, kLock.size()) != kLock) return 0;
    std::size_t n = kLock.size();
    if (sql.substr(i + n, kSkip.size()) == kSkip) n += kSkip.size();
    if (i + n < sql.size() && word_char(sql[i + n])) return 0;
    return n;
}

}  // namespace

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
        } else if (std::size_t n = row_lock_at(sql, i)) {
            i += n - 1;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

namespace {

template <class T>
std::string append_values(std::vector<Value>& params, const std::vector<T>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += ", ";
        params.emplace_back(v);
        out += "$" + std::to_string(params.size());
    }
    return out;
}

}  // namespace

std::string append_list(std::vector<Value>& params, const std::vector<std::string>& values) {
    return append_values(params, values);
}

std::string append_list(std::vector<Value>& params, const std::vector<std::int64_t>& values) {
    return append_values(params, values);
}

std::string append_customer_clause(
    std::vector<Value>& params, AccountId account_id, const std::vector<std::string>& indexes
) {
    params.emplace_back(account_id.value);
    const std::string account = "$" + std::to_string(params.size());
    return " AND (account_id = " + account + " OR email_index IN (" +
           append_values(params, indexes) + "))";
}

}  // namespace yoyaku::storage

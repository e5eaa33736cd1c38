#pragma once
// The CSV sheets of imports (issue 30): each kind's columns (key, Japanese name, type, example),
// and a file read against them into typed cells, its bad cells and header problems named by
// line and column (http/api/imports_api.cpp turns the rows into the domain's).

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/imports/imports.hpp"
#include "http/api/csv_reader.hpp"

namespace yoyaku::http {

inline constexpr std::size_t kMaxImportRows = 5000;

enum class Cell { text, integer, boolean, hours, names, time };

struct Column {
    std::string_view key;
    std::string_view ja;
    Cell type = Cell::text;
    bool required = false;
    std::string_view example;  ///< the template's example row ("{next}": a date next year)
};

/// The columns of a kind, in the template's order.
std::span<const Column> columns_of(imports::Kind k);

/// A field the domain or the JSON reader names, as the column that holds it.
std::string column_of(std::string_view field);

// One row's cells by column key (only those given), each already of its column's type.
struct Cells {
    std::map<std::string, std::string, std::less<>> text;
    std::map<std::string, std::int64_t, std::less<>> number;
    std::map<std::string, bool, std::less<>> flag;
    std::map<std::string, Instant, std::less<>> time;
    std::map<std::string, boost::json::array, std::less<>> day;
    std::string get(std::string_view key) const {
        auto it = text.find(key);
        return it == text.end() ? std::string() : it->second;
    }
};

struct Sheet {
    std::string encoding;
    int total = 0;
    std::vector<std::pair<int, Cells>> rows;  ///< the rows read whole, with their lines
    std::vector<imports::Problem> problems;
};

/// The file's header matched to the kind's columns, and each row's cells typed. A bad cell is a
/// problem of its row (the row is left out); a bad header, of line 1 (no row is read).
Sheet sheet_of(const CsvFile& file, imports::Kind kind, const std::string& zone);

/// A cell without the spaces around it (also the ideographic space).
std::string_view trimmed(std::string_view s);

/// The names in a names cell ("a|b"), trimmed, empty ones dropped.
std::vector<std::string> names_in(std::string_view s);

/// Equipment as "プロジェクター|マイク×2" (or "*2"): each name with how many (one if unsaid).
/// Errors: invalid on "equipment".
Result<std::vector<std::pair<std::string, int>>> counted(const std::vector<std::string>& names);

/// A number cell, or `fallback` when the row leaves it empty.
int number_or(const Cells& c, std::string_view key, int fallback);

}  // namespace yoyaku::http

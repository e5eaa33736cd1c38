#pragma once
// CSV files sent to the API (imports): RFC 4180 records (libcsv, strict), in UTF-8 or in the
// Shift_JIS (Windows-31J) that Japanese spreadsheets and booking services export.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::http {

struct CsvFile {
    /// "UTF-8" or "Shift_JIS": what the bytes were read as.
    std::string encoding;
    /// The records in file order, cells in UTF-8; records_[0] is the header (line 1). A record
    /// with quoted line breaks is still one line, as a spreadsheet counts its rows.
    std::vector<std::vector<std::string>> records;
};

/// Reads `bytes` as CSV. `charset` is the Content-Type's charset parameter: "utf-8",
/// "shift_jis" (also "windows-31j", "cp932", "sjis"), or empty to tell from the bytes (a UTF-8
/// byte order mark or valid UTF-8 is UTF-8; otherwise Shift_JIS). Empty rows are skipped.
/// Errors: invalid_input on field "file" (not text in that encoding, a quote not closed, more
/// than `max_records` records, no header), unsupported_media on "charset".
Result<CsvFile> read_csv(std::string_view bytes, std::string_view charset, std::size_t max_records);

}  // namespace yoyaku::http

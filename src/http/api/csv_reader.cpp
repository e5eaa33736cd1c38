#include "http/api/csv_reader.hpp"

#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/text.hpp"

namespace yoyaku::http {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

// Windows-31J (CP932, the Shift_JIS that Windows and Excel write) to UTF-8 with glibc's
// iconv; nullopt when the bytes are not text in it.
std::optional<std::string> from_cp932(std::string_view in) {
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    const std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
    std::string out(in.size() * 3 + 16, '\0');
    char* src = const_cast<char*>(in.data());
    std::size_t left = in.size();
    char* dst = out.data();
    std::size_t room = out.size();
    if (iconv(cd, &src, &left, &dst, &room) == static_cast<std::size_t>(-1)) return std::nullopt;
    out.resize(out.size() - room);
    return out;
}

struct Collect {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> row;
    std::size_t max = 0;
    bool too_many = false;
};

void on_field(void* s, std::size_t n, void* data) {
    auto* c = static_cast<Collect*>(data);
    c->row.emplace_back(s ? static_cast<const char*>(s) : "", s ? n : 0);
}

void on_record(int, void* data) {
    auto* c = static_cast<Collect*>(data);
    const bool empty =
        std::all_of(c->row.begin(), c->row.end(), [](const auto& f) { return f.empty(); });
    if (!empty) {
        if (c->records.size() >= c->max)
            c->too_many = true;
        else
            c->records.push_back(std::move(c->row));
    }
    c->row.clear();
}

}  // namespace

Result<CsvFile> read_csv(
    std::string_view bytes, std::string_view charset, std::size_t max_records
) {
    CsvFile file;
    std::string text;
    const auto cs = lower(charset);
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    const bool sjis = cs == "shift_jis" || cs == "windows-31j" || cs == "cp932" || cs == "sjis" ||
                      cs == "x-sjis" || cs == "ms932";
    if (!cs.empty() && cs != "utf-8" && cs != "utf8" && !sjis)
        return Error{Errc::unsupported_media, "send CSV in UTF-8 or Shift_JIS", "charset", {}};
    if (sjis || (cs.empty() && !bytes.starts_with(bom) && !text::is_valid_utf8(bytes))) {
        auto decoded = from_cp932(bytes);
        if (!decoded) return Error::invalid("file", "the file is neither UTF-8 nor Shift_JIS text");
        text = std::move(*decoded);
        file.encoding = "Shift_JIS";
    } else {
        if (bytes.starts_with(bom)) bytes.remove_prefix(bom.size());
        if (!text::is_valid_utf8(bytes))
            return Error::invalid("file", "the file is not UTF-8 text");
        text = std::string(bytes);
        file.encoding = "UTF-8";
    }
    csv_parser p{};
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return Error::internal("csv parser");
    const std::unique_ptr<csv_parser, void (*)(csv_parser*)> freer(&p, csv_free);
    Collect c;
    c.max = max_records + 1;  // and the header
    const bool parsed =
        csv_parse(&p, text.data(), text.size(), on_field, on_record, &c) == text.size() &&
        csv_fini(&p, on_field, on_record, &c) == 0;
    if (!parsed)
        return Error::invalid(
            "file",
            "not CSV after line " + std::to_string(c.records.size()) + ": " +
                csv_strerror(csv_error(&p))
        );
    if (c.too_many)
        return Error::invalid(
            "file", "at most " + std::to_string(max_records) + " rows in one file"
        );
    if (c.records.empty()) return Error::invalid("file", "the file has no header row");
    file.records = std::move(c.records);
    return file;
}

}  // namespace yoyaku::http

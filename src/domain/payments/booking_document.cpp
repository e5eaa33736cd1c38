// A booking's permit and invoice, kept as issued (booking_document.hpp).

#include "domain/payments/booking_document.hpp"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>

#include "documents/pdf.hpp"

namespace yoyaku::payments {
namespace {

constexpr std::array<std::string_view, 2> kKinds = {"permit", "invoice"};

boost::json::array lines_json(const std::vector<ReceiptLine>& lines) {
    boost::json::array a;
    for (const auto& l : lines)
        a.push_back(
            {{"name", l.name},
             {"quantity", l.quantity},
             {"unit_jpy", l.unit_jpy},
             {"amount_jpy", l.amount_jpy}}
        );
    return a;
}

}  // namespace

std::string_view to_string(DocumentKind k) noexcept {
    return kKinds[static_cast<std::size_t>(k)];
}

std::optional<DocumentKind> parse_document_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (kKinds[i] == s) return static_cast<DocumentKind>(i);
    return std::nullopt;
}

bool is_seal_image(std::string_view bytes) {
    if (bytes.size() > kMaxSealBytes) return false;
    const auto size = documents::png_size(bytes);
    return size && size->first <= 2000 && size->second <= 2000;
}

std::string basis_of(const BookingDocument& d) {
    return boost::json::serialize(boost::json::object{
        {"place", d.place},
        {"offering", d.offering},
        {"starts_at", to_micros(d.starts_at)},
        {"ends_at", to_micros(d.ends_at)},
        {"lines", lines_json(d.lines)},
        {"total_jpy", d.total_jpy},
        {"tax_rate", d.tax_rate}});
}

std::string content_json(const BookingDocument& d) {
    return boost::json::serialize(boost::json::object{
        {"replaces", d.replaces ? boost::json::value(*d.replaces) : nullptr},
        {"time_zone", d.time_zone},
        {"issuer",
         {{"name", d.issuer.name},
          {"registration_number", d.issuer.registration_number},
          {"address", d.issuer.address}}},
        {"reference", d.reference},
        {"offering", d.offering},
        {"place", d.place},
        {"starts_at", to_micros(d.starts_at)},
        {"ends_at", to_micros(d.ends_at)},
        {"lines", lines_json(d.lines)},
        {"total_jpy", d.total_jpy},
        {"tax_rate", d.tax_rate},
        {"wording", d.wording}});
}

Result<BookingDocument> document_from(
    DocumentKind kind, std::int64_t number, Instant issued_at, std::string_view content
) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(content, ec);
    if (ec || !v.is_object()) return Error::internal("a document's content is not JSON");
    try {
        const auto& o = v.get_object();
        auto str = [&](const boost::json::object& x, const char* key) {
            return std::string(x.at(key).as_string());
        };
        BookingDocument d;
        d.kind = kind;
        d.number = number;
        d.issued_at = issued_at;
        if (const auto& r = o.at("replaces"); r.is_int64()) d.replaces = r.as_int64();
        d.time_zone = str(o, "time_zone");
        const auto& i = o.at("issuer").as_object();
        d.issuer = {str(i, "name"), str(i, "registration_number"), str(i, "address")};
        d.reference = str(o, "reference");
        d.offering = str(o, "offering");
        d.place = str(o, "place");
        d.starts_at = from_micros(o.at("starts_at").as_int64());
        d.ends_at = from_micros(o.at("ends_at").as_int64());
        for (const auto& x : o.at("lines").as_array()) {
            const auto& l = x.as_object();
            d.lines.push_back(
                {str(l, "name"),
                 static_cast<int>(l.at("quantity").as_int64()),
                 l.at("unit_jpy").as_int64(),
                 l.at("amount_jpy").as_int64()}
            );
        }
        d.total_jpy = o.at("total_jpy").as_int64();
        d.tax_rate = static_cast<int>(o.at("tax_rate").as_int64());
        d.wording = str(o, "wording");
        return d;
    } catch (const std::exception& e) {
        return Error::internal(std::string("a document's content is incomplete: ") + e.what());
    }
}

std::string document_number(DocumentKind kind, std::int64_t number) {
    return fmt::format("{}-{:06}", kind == DocumentKind::permit ? "P" : "I", number);
}

}  // namespace yoyaku::payments

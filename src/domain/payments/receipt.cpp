// Receipts (receipt.hpp): their content kept as issued, and the tax per rate.

#include "domain/payments/receipt.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

namespace yoyaku::payments {

bool is_registration_number(std::string_view s) noexcept {
    if (s.size() != 14 || s[0] != 'T') return false;
    for (const char c : s.substr(1))
        if (c < '0' || c > '9') return false;
    return true;
}

std::string receipt_number(std::int64_t number) {
    return fmt::format("R-{:06}", number);
}

std::string content_json(const Receipt& r) {
    boost::json::array lines;
    for (const auto& l : r.lines)
        lines.push_back(
            {{"name", l.name},
             {"quantity", l.quantity},
             {"unit_jpy", l.unit_jpy},
             {"amount_jpy", l.amount_jpy}}
        );
    return boost::json::serialize(boost::json::object{
        {"time_zone", r.time_zone},
        {"issuer",
         {{"name", r.issuer.name},
          {"registration_number", r.issuer.registration_number},
          {"address", r.issuer.address}}},
        {"reference", r.reference},
        {"offering", r.offering},
        {"starts_at", to_micros(r.starts_at)},
        {"lines", std::move(lines)},
        {"received_jpy", r.received_jpy},
        {"tax_rate", r.tax_rate},
        {"paid_at", r.paid_at ? boost::json::value(to_micros(*r.paid_at)) : nullptr},
        {"online", r.online}});
}

Result<Receipt> from_content(std::int64_t number, Instant issued_at, std::string_view content) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(content, ec);
    if (ec || !v.is_object()) return Error::internal("a receipt's content is not JSON");
    try {
        const auto& o = v.get_object();
        Receipt r;
        r.number = number;
        r.issued_at = issued_at;
        r.time_zone = std::string(o.at("time_zone").as_string());
        const auto& i = o.at("issuer").as_object();
        r.issuer = {
            std::string(i.at("name").as_string()),
            std::string(i.at("registration_number").as_string()),
            std::string(i.at("address").as_string())};
        r.reference = std::string(o.at("reference").as_string());
        r.offering = std::string(o.at("offering").as_string());
        r.starts_at = from_micros(o.at("starts_at").as_int64());
        for (const auto& x : o.at("lines").as_array()) {
            const auto& l = x.as_object();
            r.lines.push_back(
                {std::string(l.at("name").as_string()),
                 static_cast<int>(l.at("quantity").as_int64()),
                 l.at("unit_jpy").as_int64(),
                 l.at("amount_jpy").as_int64()}
            );
        }
        r.received_jpy = o.at("received_jpy").as_int64();
        r.tax_rate = static_cast<int>(o.at("tax_rate").as_int64());
        if (const auto& p = o.at("paid_at"); p.is_int64()) r.paid_at = from_micros(p.as_int64());
        r.online = o.at("online").as_bool();
        return r;
    } catch (const std::exception& e) {
        return Error::internal(std::string("a receipt's content is incomplete: ") + e.what());
    }
}

}  // namespace yoyaku::payments

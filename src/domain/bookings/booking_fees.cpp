// A booking's fee terms as the `bookings.fees` column keeps them (booking_store.hpp, ADR 0023).

#include <boost/json.hpp>

#include "domain/bookings/booking_store.hpp"

namespace yoyaku::bookings {

std::string fees_json(const FeeTerms& t) {
    if (t.lines.empty()) return "{}";
    boost::json::array equipment, surcharges, lines;
    for (const auto& e : t.equipment)
        equipment.push_back({{"resource_id", e.resource_id.value}, {"quantity", e.quantity}});
    for (const auto& code : t.surcharges) surcharges.emplace_back(code);
    for (const auto& l : t.lines)
        lines.push_back(
            {{"kind", l.kind},
             {"label", l.label},
             {"unit_jpy", l.unit_jpy},
             {"quantity", l.quantity},
             {"amount_jpy", l.amount_jpy}}
        );
    return boost::json::serialize(boost::json::object{
        {"blocks", t.blocks},
        {"equipment", std::move(equipment)},
        {"surcharges", std::move(surcharges)},
        {"lines", std::move(lines)}});
}

FeeTerms fees_from(const std::string& text) {
    FeeTerms t;
    boost::system::error_code ec;
    const auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return t;
    const auto& o = v.get_object();
    auto i64 = [](const boost::json::object& x, const char* key) -> std::int64_t {
        const auto* n = x.if_contains(key);
        return n && n->is_int64() ? n->get_int64() : 0;
    };
    auto str = [](const boost::json::object& x, const char* key) {
        const auto* n = x.if_contains(key);
        return n && n->is_string() ? std::string(n->get_string()) : std::string();
    };
    t.blocks = static_cast<int>(i64(o, "blocks"));
    if (const auto* a = o.if_contains("equipment"); a && a->is_array())
        for (const auto& x : a->get_array())
            if (const auto* e = x.if_object())
                t.equipment.push_back(
                    {ResourceId(i64(*e, "resource_id")), static_cast<int>(i64(*e, "quantity"))}
                );
    if (const auto* a = o.if_contains("surcharges"); a && a->is_array())
        for (const auto& x : a->get_array())
            if (x.is_string()) t.surcharges.emplace_back(x.get_string());
    if (const auto* a = o.if_contains("lines"); a && a->is_array())
        for (const auto& x : a->get_array())
            if (const auto* l = x.if_object())
                t.lines.push_back(
                    {str(*l, "kind"),
                     str(*l, "label"),
                     i64(*l, "unit_jpy"),
                     static_cast<int>(i64(*l, "quantity")),
                     i64(*l, "amount_jpy")}
                );
    return t;
}

}  // namespace yoyaku::bookings

#include "domain/payments/sales.hpp"

#include <map>

#include "domain/resources/resources.hpp"

namespace yoyaku::payments {

namespace {

std::string period_of(Instant at, const std::string& zone, Period by) {
    const auto day =
        std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(to_local(at, zone)));
    const auto text = resources::format_date(day);
    return by == Period::day ? text : text.substr(0, 7);
}

}  // namespace

SalesReport tally(
    const std::vector<bookings::MoneyRow>& paid,
    const std::vector<bookings::MoneyRow>& refunds,
    const std::vector<bookings::MoneyRow>& fees,
    const std::string& zone,
    Period by
) {
    std::map<std::pair<std::string, std::int64_t>, SalesRow> rows;
    const auto row = [&](const bookings::MoneyRow& m) -> SalesRow& {
        auto& r = rows[{period_of(m.at, zone, by), m.offering_id.value}];
        r.period = period_of(m.at, zone, by);
        r.offering_id = m.offering_id;
        return r;
    };
    SalesReport out{zone, {}, {}};
    for (const auto& m : paid) {
        auto& r = row(m);
        ++r.payments;
        r.sales_jpy += m.amount_jpy;
        ++out.total.payments;
        out.total.sales_jpy += m.amount_jpy;
    }
    for (const auto& m : refunds) {
        row(m).refunds_jpy += m.amount_jpy;
        out.total.refunds_jpy += m.amount_jpy;
    }
    for (const auto& m : fees) {
        row(m).fees_jpy += m.amount_jpy;
        out.total.fees_jpy += m.amount_jpy;
    }
    for (auto& [key, r] : rows) out.rows.push_back(std::move(r));
    return out;
}

}  // namespace yoyaku::payments

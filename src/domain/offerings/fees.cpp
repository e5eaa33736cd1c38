#include "domain/offerings/fees.hpp"

namespace yoyaku::offerings {

std::vector<FeeLine> itemise(const FeeBasis& b) {
    std::vector<FeeLine> out = b.room;
    std::int64_t room = total_of(b.room);
    std::int64_t charge = room;  // the room with its percentage surcharges
    for (const auto& s : b.surcharges)
        if (s.percent != 0) {
            const std::int64_t amount = room * s.percent / 100;
            out.push_back(
                {"surcharge", s.name + " (+" + std::to_string(s.percent) + "%)", amount, 1, amount}
            );
            charge += amount;
        }
    if (b.class_percent != 100) {
        const std::int64_t amount = charge * b.class_percent / 100 - charge;
        out.push_back(
            {"class",
             b.class_name + " (" + std::to_string(b.class_percent) + "%)",
             amount,
             1,
             amount}
        );
    }
    for (const auto& s : b.surcharges)
        if (s.per_block_jpy != 0)
            out.push_back(
                {"surcharge", s.name, s.per_block_jpy, b.blocks, s.per_block_jpy * b.blocks}
            );
    for (const auto& e : b.equipment)
        out.push_back(
            {"equipment",
             e.name,
             e.price_jpy,
             e.quantity * b.blocks,
             e.price_jpy * e.quantity * b.blocks}
        );
    return out;
}

std::int64_t total_of(const std::vector<FeeLine>& lines) {
    std::int64_t sum = 0;
    for (const auto& l : lines) sum += l.amount_jpy;
    return sum;
}

std::int64_t tax_included(std::int64_t amount_jpy, int rate) noexcept {
    return amount_jpy * rate / (100 + rate);
}

}  // namespace yoyaku::offerings

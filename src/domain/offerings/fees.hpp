#pragma once
// A rental's fee as a real fee table itemises it (issue 27, ADR 0023): the room by division or
// block, surcharges the customer declares, the user class's percentage, equipment. Integer yen,
// tax included; pure, so that every rule is tested to the yen without a database.

#include <cstdint>
#include <string>
#include <vector>

#include "domain/offerings/offering.hpp"

namespace yoyaku::offerings {

/// One line of an itemised fee, as shown before confirming and printed on every document.
struct FeeLine {
    std::string kind;   ///< "room", "surcharge", "class", "equipment"
    std::string label;  ///< "午前 09:00–12:00", "入場料を徴収する (+50%)", …
    std::int64_t unit_jpy = 0;
    int quantity = 1;
    std::int64_t amount_jpy = 0;  ///< negative for a reduction
    friend bool operator==(const FeeLine&, const FeeLine&) = default;
};

/// What a rental booking is charged for.
struct FeeBasis {
    /// The room's lines: one per division booked, or the blocks (kind "room").
    std::vector<FeeLine> room = {};
    int blocks = 1;  ///< divisions or blocks booked: per-block surcharges and equipment count them
    std::vector<Surcharge> surcharges = {};  ///< those the customer declared
    struct Item {
        std::string name;
        std::int64_t price_jpy = 0;  ///< one unit, one division or block
        int quantity = 1;
    };
    std::vector<Item> equipment = {};
    int class_percent = 100;  ///< the customer's user class (100: none)
    std::string class_name = {};
};

/// The itemised fee, in this order:
///   the room lines;
///   each percentage surcharge: that percent of the room charge (rounded down);
///   the user class: its percentage of the room charge with those surcharges, as the
///   difference (a reduction is negative; rounded down as user_classes::priced does);
///   each per-block surcharge × blocks;
///   each piece of equipment: its price × quantity × blocks (the class does not reduce it).
std::vector<FeeLine> itemise(const FeeBasis& basis);
/// The sum of the lines' amounts.
std::int64_t total_of(const std::vector<FeeLine>& lines);
/// The tax in `amount_jpy` tax included at `rate` percent, rounded down to the yen once per
/// rate and document (the qualified invoice rule), toward zero for a negative amount.
std::int64_t tax_included(std::int64_t amount_jpy, int rate) noexcept;

}  // namespace yoyaku::offerings

// What a signed-in member pays and when they may book: their user class (domain/user_classes)
// applied to an offering on the booking engine's write path.

#include <boost/json.hpp>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/groups/group_service.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/user_classes/user_class_store.hpp"

namespace yoyaku::bookings::detail {

Result<ClassPrice> apply_user_class(
    storage::ScopedTx& stx,
    std::optional<AccountId> account_id,
    Offering& o,
    std::optional<GroupId> group,
    Instant now
) {
    if (!account_id) {
        if (group) return Error::invalid("group_id", "sign in to book as a group");
        return ClassPrice{};
    }
    user_classes::UserClassStore classes(stx);
    std::optional<user_classes::UserClass> c;
    if (group) {
        // As a registered group: the group's class, not the member's own.
        YOYAKU_TRY_ASSIGN(const auto id, groups::class_for_booking(stx, *account_id, *group, now));
        if (id) {
            YOYAKU_TRY_ASSIGN(c, classes.find_by_id(*id));
        }
    } else {
        YOYAKU_TRY_ASSIGN(c, classes.find_by_account(AccountId{*account_id}));
    }
    const auto applied = user_classes::apply_class(c, o.closes_before_minutes);
    if (applied.opens_before_minutes) o.opens_before_minutes = *applied.opens_before_minutes;
    return ClassPrice{applied.price_percent, c ? c->name : std::string()};
}

void price_for_class(Plan& plan, const ClassPrice& c) {
    if (plan.basis) {
        // A rental's fee table: the class takes its percent of the room charge only.
        plan.basis->class_percent = c.percent;
        plan.basis->class_name = c.name;
        plan.fees.lines = offerings::itemise(*plan.basis);
        plan.total = offerings::total_of(plan.fees.lines);
        return;
    }
    plan.total = user_classes::priced(plan.total, c.percent);
}

Result<Plan> member_plan(
    storage::ScopedTx& stx,
    Offering o,
    std::optional<AccountId> account_id,
    const Selection& sel,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(const auto c, apply_user_class(stx, account_id, o, sel.group_id, now));
    auto plan = plan_for(stx, o, sel, now);
    if (!plan) return plan;
    price_for_class(*plan, c);
    return plan;
}

std::optional<offerings::FeeBasis> basis_of(const Offering& o, const FeeTerms& terms) {
    if (terms.lines.empty()) return std::nullopt;
    offerings::FeeBasis b;
    b.blocks = terms.blocks;
    for (const auto& l : terms.lines)
        if (l.kind == "room") b.room.push_back(l);
    for (const auto& code : terms.surcharges)
        for (const auto& s : o.surcharges)
            if (s.code == code) b.surcharges.push_back(s);
    for (const auto& e : terms.equipment)
        for (const auto& option : o.equipment)
            if (option.resource_id == e.resource_id)
                b.equipment.push_back({option.name, option.price_jpy, e.quantity});
    return b;
}

std::string tickets_text(const std::map<std::string, int>& tickets) {
    boost::json::object o;
    for (const auto& [code, n] : tickets) o[code] = n;
    return boost::json::serialize(o);
}

}  // namespace yoyaku::bookings::detail

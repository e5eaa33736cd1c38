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
#include "domain/offerings/offering_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/user_classes/user_class_store.hpp"

namespace yoyaku::bookings::detail {

Result<int> apply_user_class(
    storage::ScopedTx& stx, std::optional<AccountId> account_id, Offering& o
) {
    if (!account_id) return 100;
    YOYAKU_TRY_ASSIGN(
        const auto c, user_classes::UserClassStore(stx).find_by_account(AccountId{*account_id})
    );
    const auto applied = user_classes::apply_class(c, o.closes_before_minutes);
    if (applied.opens_before_minutes) o.opens_before_minutes = *applied.opens_before_minutes;
    return applied.price_percent;
}

Result<Plan> member_plan(
    storage::ScopedTx& stx,
    Offering o,
    std::optional<AccountId> account_id,
    const Selection& sel,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(const int percent, apply_user_class(stx, account_id, o));
    auto plan = plan_for(stx, o, sel, now);
    if (!plan) return plan;
    plan->total = user_classes::priced(plan->total, percent);
    return plan;
}

std::string tickets_text(const std::map<std::string, int>& tickets) {
    boost::json::object o;
    for (const auto& [code, n] : tickets) o[code] = n;
    return boost::json::serialize(o);
}

}  // namespace yoyaku::bookings::detail

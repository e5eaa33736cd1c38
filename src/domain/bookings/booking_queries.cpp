// Reading bookings: by reference, for a customer who proves it is theirs, lists and the fee a
// cancellation would cost now.
#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/booking_tickets.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/resource_usage_store.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/tickets/ticket_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {

using namespace detail;
using namespace std::chrono;
using storage::ScopedTx;

Result<Booking> BookingService::find_by_reference(TenantId tenant, std::string_view reference) {
    return find_for(tenant, reference, Requester{true, {}, {}});
}

Result<void> BookingService::issue_missing_tickets(TenantId tenant, BookingId id) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto any, tickets::TicketStore(stx).of_booking(id));
        if (!any.empty()) return {};  // issued meanwhile, or revoked on purpose
        YOYAKU_TRY_ASSIGN(const auto b, BookingStore(stx).find_by_id(id, keys));
        YOYAKU_TRY_ASSIGN(const auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id));
        YOYAKU_TRY(detail::sync_tickets(stx, keys_, b, o, now));
        return {};
    });
}

Result<Booking> BookingService::find_for(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto b = BookingStore(stx).find_by_reference(reference, keys);
        if (!b) return b;
        if (!proves(*b, who, keys)) return Error::not_found("no such booking");
        return b;
    });
}

Result<std::vector<Booking>> BookingService::list(TenantId tenant, const BookingFilter& f) {
    if (f.limit < 1 || f.limit > 500) return Error::invalid("limit", "must be 1 to 500");
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    std::vector<std::string> email_indexes{""};
    if (!f.email.empty()) {
        YOYAKU_TRY_ASSIGN(auto e, accounts::normalize_email(f.email, "email"));
        email_indexes = keys.indexes(e);
    }
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return BookingStore(stx).list(f, email_indexes, keys);
    });
}

Result<std::vector<AccountId>> BookingService::customer_accounts(
    TenantId tenant, const access::StaffScope& within
) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return BookingStore(stx).list_account_ids(within);
    });
}

Result<FeeQuote> BookingService::cancellation_quote(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<FeeQuote> {
        YOYAKU_TRY_ASSIGN(auto b, BookingStore(stx).find_by_reference(reference, keys));
        if (!proves(b, who, keys)) return Error::not_found("no such booking");
        YOYAKU_TRY_ASSIGN(
            auto o, offerings::OfferingStore(stx).find_by_id(OfferingId{b.offering_id})
        );
        return quote_fee(o, b, now);
    });
}

Result<PriceQuote> BookingService::quote(
    TenantId tenant, const Selection& what, std::optional<AccountId> account_id
) {
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<PriceQuote> {
        YOYAKU_TRY_ASSIGN(const auto o, detail::published_offering(stx, what));
        YOYAKU_TRY_ASSIGN(const auto plan, detail::member_plan(stx, o, account_id, what, now));
        PriceQuote q;
        q.starts_at = plan.starts;
        q.ends_at = plan.ends;
        q.total_jpy = plan.total;
        q.tax_rate = o.tax_rate;
        q.tax_jpy = offerings::tax_included(plan.total, o.tax_rate);
        q.lines = plan.fees.lines;
        if (o.equipment.empty()) return q;
        YOYAKU_TRY_ASSIGN(const auto zone, detail::tenant_zone(stx));
        const auto day = year_month_day{floor<days>(to_local(plan.starts, zone))};
        const auto before = year_month_day{local_days{day} - days{1}};
        const auto after = year_month_day{local_days{day} + days{1}};
        ResourceUsageStore usage(stx);
        for (const auto& option : o.equipment) {
            YOYAKU_TRY_ASSIGN(
                const auto e,
                detail::load_resource_time(stx, option.resource_id, zone, before, after)
            );
            const auto use = detail::uses_of(e, plan.starts, plan.ends, 1).front();
            YOYAKU_TRY_ASSIGN(const int most, usage.most_used(e.id, use.from, use.to));
            q.equipment.push_back({option, std::max(0, e.units - most)});
        }
        return q;
    });
}

}  // namespace yoyaku::bookings

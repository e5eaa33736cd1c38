#include "app/api_context.hpp"

namespace yoyaku::app {

http::ApiContext api_context(
    const Config& c,
    storage::Database& db,
    Services& svc,
    const Clock& clock,
    http::CookiePolicy cookies
) {
    return {
        db,
        *svc.keyring,
        svc.accounts,
        svc.auth,
        svc.defence,
        svc.challenges,
        svc.tokens,
        svc.support,
        svc.resources,
        svc.offerings,
        svc.availability,
        svc.bookings,
        svc.waitlist,
        svc.lottery,
        svc.room_lotteries,
        svc.groups,
        svc.erasure,
        svc.feeds,
        svc.user_classes,
        svc.webhooks,
        svc.line,
        svc.line_login,
        svc.broadcasts,
        svc.zoom,
        svc.notices,
        svc.tenants,
        svc.staff_scopes,
        svc.payments,
        svc.receipts,
        svc.documents,
        svc.tickets,
        svc.seats,
        svc.reconciler,
        svc.imports,
        clock,
        cookies,
        c.effective_public_url()};
}

}  // namespace yoyaku::app

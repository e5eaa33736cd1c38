#pragma once
// The JSON API (/api/v1): what every resource file needs, and the one call that adds them all.
// Handlers are thin: JSON → service call → JSON. The pipeline has already authenticated the
// caller and checked the route's permission; handlers scope every call to the caller's tenant.

#include <boost/json/object.hpp>
#include <string>

#include "core/time.hpp"
#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/proof_of_work.hpp"
#include "domain/accounts/support_service.hpp"
#include "domain/accounts/token_service.hpp"
#include "domain/bookings/availability/availability_service.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/erasure/erasure_service.hpp"
#include "domain/bookings/lottery/lottery_service.hpp"
#include "domain/bookings/room_lottery/room_lottery_service.hpp"
#include "domain/bookings/waitlist/waitlist_service.hpp"
#include "domain/feeds/feed_service.hpp"
#include "domain/groups/group_service.hpp"
#include "domain/line/broadcast.hpp"
#include "domain/line/line.hpp"
#include "domain/line/line_login.hpp"
#include "domain/notices/notices.hpp"
#include "domain/offerings/offering_service.hpp"
#include "domain/payments/booking_document_service.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/payments/receipt_service.hpp"
#include "domain/payments/reconciliation.hpp"
#include "domain/resources/resources.hpp"
#include "domain/staff_scopes/staff_scope_service.hpp"
#include "domain/tenants/tenants.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "domain/zoom/zoom.hpp"
#include "http/middleware/cookies.hpp"
#include "http/router/router.hpp"

namespace yoyaku::tickets {
class TicketService;
}
namespace yoyaku::bookings {
class SeatService;
}
namespace yoyaku::imports {
class ImportService;
}

namespace yoyaku::http {

struct ApiContext {
    storage::Database& db;
    crypto::Keyring& keys;  ///< for reads that open sealed data outside a service (exports)
    accounts::AccountService& accounts;
    accounts::AuthService& auth;
    accounts::LoginDefence& defence;
    accounts::ProofOfWork& challenges;
    accounts::TokenService& tokens;
    accounts::SupportService& support;
    resources::ResourceService& resources;
    offerings::OfferingService& offerings;
    bookings::AvailabilityService& availability;
    bookings::BookingService& bookings;
    bookings::WaitlistService& waitlist;
    bookings::LotteryService& lottery;
    bookings::RoomLotteryService& room_lotteries;
    groups::GroupService& groups;
    bookings::ErasureService& erasure;
    feeds::FeedService& feeds;
    user_classes::UserClassService& user_classes;
    webhooks::WebhookService& webhooks;
    line::LineService& line;
    line::LoginService& line_login;
    line::BroadcastService& broadcasts;
    zoom::ZoomService& zoom;
    notices::NoticeService& notices;
    tenants::TenantService& tenants;
    staff_scopes::StaffScopeService& staff_scopes;
    payments::PaymentService& payments;
    payments::ReceiptService& receipts;
    payments::BookingDocumentService& documents;
    tickets::TicketService& tickets;
    bookings::SeatService& seats;
    payments::Reconciler& reconciler;
    imports::ImportService& imports;
    const Clock& clock;
    CookiePolicy cookies;
    /// Base of links in messages and CLI output, e.g. "https://booking.example.jp".
    std::string public_url;
};

/// Adds every /api/v1 route. `ctx` must outlive the router.
void add_api_routes(Router& router, ApiContext& ctx);

void add_session_routes(Router& router, ApiContext& ctx);
void add_staff_routes(Router& router, ApiContext& ctx);
void add_tenant_routes(Router& router, ApiContext& ctx);
void add_audit_routes(Router& router, ApiContext& ctx);
void add_address_rule_routes(Router& router, ApiContext& ctx);
void add_settings_routes(Router& router, ApiContext& ctx);
void add_sign_up_routes(Router& router, ApiContext& ctx);
void add_token_routes(Router& router, ApiContext& ctx);
void add_support_routes(Router& router, ApiContext& ctx);
void add_resource_routes(Router& router, ApiContext& ctx);
void add_offering_routes(Router& router, ApiContext& ctx);
void add_booking_routes(Router& router, ApiContext& ctx);
void add_notification_routes(Router& router, ApiContext& ctx);
void add_customer_routes(Router& router, ApiContext& ctx);
void add_payment_routes(Router& router, ApiContext& ctx);
void add_receipt_routes(Router& router, ApiContext& ctx);
void add_document_routes(Router& router, ApiContext& ctx);
void add_office_report_routes(Router& router, ApiContext& ctx);
void add_group_routes(Router& router, ApiContext& ctx);
void add_room_lottery_routes(Router& router, ApiContext& ctx);
void add_ticket_routes(Router& router, ApiContext& ctx);
void add_seat_routes(Router& router, ApiContext& ctx);
/// {url, expires_at} of a booking's checkout page.
boost::json::object checkout_json(const payments::CheckoutView& c);
void add_waitlist_routes(Router& router, ApiContext& ctx);
void add_user_class_routes(Router& router, ApiContext& ctx);
void add_mail_template_routes(Router& router, ApiContext& ctx);
void add_line_routes(Router& router, ApiContext& ctx);
void add_broadcast_routes(Router& router, ApiContext& ctx);
void add_zoom_routes(Router& router, ApiContext& ctx);
void add_notice_routes(Router& router, ApiContext& ctx);
void add_export_routes(Router& router, ApiContext& ctx);
void add_import_routes(Router& router, ApiContext& ctx);
void add_status_routes(Router& router, ApiContext& ctx);

using ApiHandler = Response (*)(ApiContext&, Request&);
/// A router handler that calls `fn` with the context.
inline Handler bind(ApiContext& ctx, ApiHandler fn) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
}

/// problem+json for an error, with Retry-After when it is rate_limited.
Response api_error(const Error& e, const Request& req);
/// 200 with a PDF to download as `filename` (ASCII), never cached.
Response pdf_response(const std::string& filename, const std::string& pdf);
/// 204 No Content.
Response no_content();

/// Who and where, for audit entries (lengths clipped to what the log stores).
audit::Actor actor_of(const access::Principal& p);
audit::Origin origin_of(const Request& req);

/// The tenant named by its code in a public request's body; kPlatform when absent.
/// Errors: invalid_input on "tenant" when no tenant has that code.
Result<TenantId> tenant_of(ApiContext& ctx, const std::optional<std::string>& code);

/// The active tenant named by the path's {tenant_code} (public routes). Errors: not_found.
Result<tenants::Tenant> public_tenant_facts(ApiContext& ctx, const Request& req);
/// Its id only.
Result<TenantId> public_tenant(ApiContext& ctx, const Request& req);

/// Spends the proof-of-work answer in a body's "altcha" member, if sent (sign-in, sign-up,
/// reset, a guest's booking). Errors: invalid_input on "altcha".
template <class TextT>
Result<void> require_challenge(ApiContext& ctx, const std::optional<TextT>& altcha) {
    return ctx.challenges.redeem(altcha ? altcha->value : std::string());
}

/// Errors: reauthentication_required unless the caller confirmed the password within the
/// accounts::kReauthenticationWindow (POST /api/v1/session/reauthenticate).
Result<void> require_recent_authentication(ApiContext& ctx, const Request& req);

boost::json::object to_json(const accounts::Account& a);
boost::json::object to_json(const tenants::Tenant& t);
/// A booking as the API shows it; `with_customer` adds the customer's details and answers.
boost::json::object booking_json(const bookings::Booking& b, bool with_customer);
boost::json::object session_json(const accounts::SessionInfo& s);
boost::json::object feed_json(const feeds::CalendarFeed& f);
boost::json::object occurrence_json(const offerings::Occurrence& o);
boost::json::object user_class_json(const user_classes::UserClass& c);

/// The link a new account's owner opens to choose a password.
std::string setup_link(const std::string& public_url, const std::string& token);

}  // namespace yoyaku::http

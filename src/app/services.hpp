#pragma once
// The domain services of one platform, built from its configuration: keyring, password hasher,
// tenants, accounts, sign-in, login defence and proof-of-work challenges. Shared by `serve` and the
// CLI commands.

#include <memory>

#include "app/config.hpp"
#include "crypto/keyring.hpp"
#include "crypto/password.hpp"
#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/proof_of_work.hpp"
#include "domain/accounts/support_service.hpp"
#include "domain/accounts/token_service.hpp"
#include "domain/bookings/availability/availability_service.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/erasure/erasure_service.hpp"
#include "domain/bookings/lottery/lottery_service.hpp"
#include "domain/bookings/room_lottery/room_lottery_service.hpp"
#include "domain/bookings/seats/seat_service.hpp"
#include "domain/bookings/waitlist/waitlist_service.hpp"
#include "domain/feeds/feed_service.hpp"
#include "domain/groups/group_service.hpp"
#include "domain/imports/imports.hpp"
#include "domain/line/broadcast.hpp"
#include "domain/line/line.hpp"
#include "domain/line/line_login.hpp"
#include "domain/notices/notices.hpp"
#include "domain/offerings/offering_service.hpp"
#include "domain/payments/booking_document_service.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/payments/receipt_service.hpp"
#include "domain/payments/reconciliation.hpp"
#include "domain/payments/stripe.hpp"
#include "domain/resources/resources.hpp"
#include "domain/staff_scopes/staff_scope_service.hpp"
#include "domain/tenants/tenants.hpp"
#include "domain/tickets/ticket_service.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "domain/zoom/zoom.hpp"
#include "storage/database.hpp"

namespace yoyaku::app {

/// How the services are tuned; the defaults are production's (make_services fills them from
/// the configuration, tests lower the hashing cost and challenge difficulty).
struct ServiceOptions {
    crypto::Argon2Params argon2;
    int hash_concurrency = 2;
    int hash_queue = 8;
    accounts::DefenceOptions defence;
    accounts::AuthOptions auth;
    accounts::ChallengeOptions challenge;
    accounts::AccountOptions accounts;
    bookings::BookingOptions bookings;
    webhooks::WebhookOptions webhooks;
    notices::NoticeOptions notices;
    /// Stripe's API (payments.stripe_api_base); tests point it at the stand-in.
    std::string stripe_api_base = "https://api.stripe.com";
    std::string provider_ca_file;  ///< extra trust for the provider's certificate
    /// LINE's hosts (line.api_base_url, line.login_base_url); tests point them at the stand-in.
    std::string line_api_base = "https://api.line.me";
    std::string line_login_base = "https://access.line.me";
    std::string line_data_base = "https://api-data.line.me";
    /// Zoom's hosts (zoom.api_base_url, zoom.oauth_base_url); tests point them at the stand-in.
    std::string zoom_api_base = "https://api.zoom.us/v2";
    std::string zoom_oauth_base = "https://zoom.us";
};

struct Services {
    Services(
        storage::Database& db,
        std::unique_ptr<crypto::Keyring> keyring,
        const Clock& clock,
        const ServiceOptions& options = {}
    );

    storage::Database& db;
    const Clock& clock;
    std::unique_ptr<crypto::Keyring> keyring;
    crypto::PasswordHasher hasher;
    tenants::TenantService tenants;
    accounts::AccountService accounts;
    accounts::LoginDefence defence;
    accounts::AuthService auth;
    accounts::ProofOfWork challenges;
    accounts::TokenService tokens;
    accounts::SupportService support;
    resources::ResourceService resources;
    offerings::OfferingService offerings;
    bookings::AvailabilityService availability;
    bookings::BookingService bookings;
    bookings::WaitlistService waitlist;
    bookings::LotteryService lottery;
    bookings::RoomLotteryService room_lotteries;
    groups::GroupService groups;
    bookings::ErasureService erasure;
    feeds::FeedService feeds;
    user_classes::UserClassService user_classes;
    webhooks::WebhookService webhooks;
    line::LineService line;
    notices::MaintenanceState maintenance;
    notices::NoticeService notices;
    staff_scopes::StaffScopeService staff_scopes;
    std::unique_ptr<outbound::Transport> provider_transport;
    payments::StripeProvider stripe;
    zoom::Client zoom_client;
    zoom::ZoomService zoom;
    line::LoginService line_login;
    line::BroadcastService broadcasts;
    payments::PaymentService payments;
    payments::ReceiptService receipts;
    payments::BookingDocumentService documents;
    tickets::TicketService tickets;
    bookings::SeatService seats;
    payments::Reconciler reconciler;
    imports::ImportService imports;
};

/// Opens the keyring (creating it on first start) and builds the services over `db`.
/// Errors: invalid_input (field "keys") for a key directory that is unsafe or unreadable.
Result<std::unique_ptr<Services>> make_services(
    const Config& config, storage::Database& db, const Clock& clock
);

}  // namespace yoyaku::app

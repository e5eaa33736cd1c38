#pragma once
// Request pieces the booking, waitlist and lottery routes share: the bodies of
// booking_bodies.hpp turned into the domain's requests, who a customer is, the guest's proof
// of work, and creating or moving a booking for the staff and the public routes alike.

#include "http/api/api.hpp"
#include "http/api/booking_bodies.hpp"

namespace yoyaku::http {

/// The customer's details, note and answers, into `in`.
void add_details(const Details& body, bookings::NewBooking& in);
/// A signed-in customer of this tenant books as themselves: their account and address.
Result<void> as_customer(
    ApiContext& ctx, const Request& req, TenantId tenant, bookings::NewBooking& in
);
/// A guest's public booking request pays a proof of work: the solved challenge in "altcha" is
/// spent; without one an address has a few free requests (security.free_bookings). Signed-in
/// callers pass. Errors: invalid_input on "altcha".
Result<void> guest_challenge(ApiContext& ctx, const Request& req, const Proof& body);
/// The customer's proof: their signed-in account, or the email address (or the key of the
/// booking's mailed link) in the body. Errors: invalid_input on "email" when none is given.
Result<bookings::Requester> customer_of(
    const Request& req, TenantId tenant, const EmailProof& body
);
Result<bookings::Requester> customer_of(
    const Request& req, TenantId tenant, const BookingProof& body
);
/// A public request about booking {reference} (path) by its customer, proven by their signed-in
/// account or by the email or link key in the body: its tenant and who acts (the customer, or
/// a guest). Errors: not_found (tenant, or a booking the proof does not open), invalid_input.
struct ProvenCustomer {
    TenantId tenant;
    audit::Actor actor;
};
Result<ProvenCustomer> proven_customer(ApiContext& ctx, Request& req);

/// Ticket type code → count as the domain takes them (a count beyond reason is refused there).
std::map<std::string, int> tickets_of(const std::map<std::string, int>& counts);
/// {percent, fee_jpy, changes_at}
boost::json::object quote_json(const bookings::FeeQuote& q);

/// Books or holds what the request body selects, for a customer (public route: the caller is
/// a guest or signed-in customer and pays the guest challenge) or by staff (only what their
/// scope covers). Needs an Idempotency-Key.
Result<bookings::Created> create_from(
    ApiContext& ctx, Request& req, TenantId tenant, bool hold, bool public_route
);
/// 201 with the booking (and a repeating request's series and skipped dates);
/// Idempotent-Replayed on a retry.
Response created(const bookings::Created& r, bool with_customer);
/// Moves the booking in the path to what the body selects: staff (within their scope), or
/// the customer proving it (public route: email or key in the body).
Response reschedule_with(
    ApiContext& ctx, Request& req, TenantId tenant, bookings::Requester who, bool public_route
);

}  // namespace yoyaku::http

// A tenant's payments (payment_service.hpp).

#include "domain/payments/payment_service.hpp"

#include <boost/json.hpp>

#include "crypto/sealing.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/payments/payment_account_store.hpp"
#include "domain/payments/payment_event_store.hpp"
#include "domain/payments/payment_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::payments {

using storage::ScopedTx;

namespace {

constexpr std::string_view kProvider = "stripe";

std::string context(TenantId tenant, const storage::SealedColumn& c, std::int64_t row) {
    return crypto::field_context(tenant, c.table, c.context, row);
}

AccountView view_of(const AccountRow& r) {
    return {true, r.provider, r.key_hint, r.test_mode, r.updated_at};
}

bool printable(std::string_view s) {
    for (const char c : s)
        if (c < 0x21 || c > 0x7E) return false;
    return true;
}

Result<void> check_keys(const NewKeys& k) {
    const auto& s = k.secret_key;
    if (!(s.starts_with("sk_test_") || s.starts_with("sk_live_") || s.starts_with("rk_test_") ||
          s.starts_with("rk_live_")) ||
        s.size() < 16 || s.size() > 255 || !printable(s))
        return Error::invalid("secret_key", "must be a Stripe secret key (sk_test_… or sk_live_…)");
    const auto& w = k.webhook_secret;
    if (!w.starts_with("whsec_") || w.size() < 16 || w.size() > 255 || !printable(w))
        return Error::invalid(
            "webhook_secret", "must be a Stripe webhook signing secret (whsec_…)"
        );
    return {};
}

const audit::Actor kProviderActor{"stripe", "system"};

}  // namespace

Result<AccountView> PaymentService::account(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<AccountView> {
        YOYAKU_TRY_ASSIGN(const auto row, PaymentAccountStore(stx).find(kProvider));
        return row ? view_of(*row) : AccountView{};
    });
}

Result<AccountView> PaymentService::set_account(
    TenantId tenant, const NewKeys& in, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY(check_keys(in));
    YOYAKU_TRY_ASSIGN(const auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<AccountView> {
        PaymentAccountStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto id, store.ensure(kProvider, now));
        AccountRow row{
            id,
            std::string(kProvider),
            crypto::seal(
                k.seal, in.secret_key, context(tenant, PaymentAccountStore::kSecretKey, id)
            ),
            crypto::seal(
                k.seal, in.webhook_secret, context(tenant, PaymentAccountStore::kWebhookSecret, id)
            ),
            in.secret_key.substr(in.secret_key.size() - 4),
            in.secret_key.find("_test_") != std::string::npos,
            now};
        YOYAKU_TRY(store.update_keys(row));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"payments.keys_set",
             "payments:stripe",
             "success",
             row.test_mode ? "{\"test_mode\":true}" : "{\"test_mode\":false}"},
            now
        ));
        return view_of(row);
    });
}

Result<void> PaymentService::remove_account(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(PaymentAccountStore(stx).remove(kProvider));
        YOYAKU_TRY(
            audit::append(stx, actor, origin, {"payments.keys_removed", "payments:stripe"}, now)
        );
        return {};
    });
}

Result<Credentials> tenant_credentials(
    storage::Database& db, crypto::Keyring& keys, TenantId tenant
) {
    YOYAKU_TRY_ASSIGN(const auto k, keys.tenant_keys(tenant));
    return db.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Credentials> {
        YOYAKU_TRY_ASSIGN(const auto row, PaymentAccountStore(stx).find(kProvider));
        if (!row)
            return Error{
                Errc::unprocessable, "this venue takes no online payments yet", "payment", {}};
        YOYAKU_TRY_ASSIGN(
            auto secret,
            k.open(
                row->secret_key_sealed, context(tenant, PaymentAccountStore::kSecretKey, row->id)
            )
        );
        YOYAKU_TRY_ASSIGN(
            auto hook,
            k.open(
                row->webhook_secret_sealed,
                context(tenant, PaymentAccountStore::kWebhookSecret, row->id)
            )
        );
        return Credentials{std::move(secret), std::move(hook)};
    });
}

Result<Credentials> PaymentService::credentials(TenantId tenant) {
    return tenant_credentials(db_, keys_, tenant);
}

namespace {

// Until when a booking's checkout may run: a hold awaiting its payment, until the hold ends; a
// pay-later booking still unpaid, a day at most and not past its deadline.
Result<Instant> checkout_until(
    const bookings::Booking& b, const offerings::Offering& o, Instant now
) {
    using bookings::BookingStatus;
    using bookings::PaymentState;
    const Error waiting_for_nothing{
        Errc::unprocessable, "this booking is not waiting for its payment", "reference", {}};
    if (b.payment_state != PaymentState::unpaid || b.total_jpy <= 0) return waiting_for_nothing;
    if (b.status == BookingStatus::held && b.awaiting_payment) {
        if (b.hold_expires_at && *b.hold_expires_at > now) return *b.hold_expires_at;
        return waiting_for_nothing;
    }
    // Pay later, or a winner of an offering paid at once (or a booking staff made for it).
    const auto deadline = bookings::pay_deadline(o, b.created_at, b.starts_at);
    if (!deadline || !bookings::is_live(b.status)) return waiting_for_nothing;
    const auto until = std::min(now + std::chrono::hours(24), *deadline);
    if (until < now + std::chrono::minutes(31))
        return Error{
            Errc::unprocessable,
            "it is too late to pay online; please pay at the venue",
            "reference",
            {}};
    return until;
}

}  // namespace

Result<CheckoutView> PaymentService::checkout(TenantId tenant, std::string_view reference) {
    YOYAKU_TRY_ASSIGN(const auto b, bookings_.find_by_reference(tenant, reference));
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(const auto k, keys_.tenant_keys(tenant));
    CheckoutRequest request;
    YOYAKU_TRY_ASSIGN(
        const auto open,
        db_.read(
            storage::TenantScope(tenant),
            [&](ScopedTx& stx) -> Result<std::optional<CheckoutView>> {
                YOYAKU_TRY_ASSIGN(
                    const auto o, offerings::OfferingStore(stx).find_by_id(b.offering_id)
                );
                YOYAKU_TRY_ASSIGN(const auto until, checkout_until(b, o, now));
                YOYAKU_TRY_ASSIGN(const auto rows, PaymentStore(stx).list_of_booking(b.id));
                int opened = 0;
                for (const auto& p : rows) {
                    if (p.kind != "checkout") continue;
                    ++opened;
                    if (p.state == "open" && p.expires_at && *p.expires_at > now)
                        return std::optional<CheckoutView>(CheckoutView{p.url, *p.expires_at});
                }
                YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
                const auto page =
                    options_.public_url + bookings::manage_path(k.index, t.code, b.reference);
                request = {
                    b.reference,
                    o.name,
                    b.total_jpy,
                    b.customer.email,
                    page,
                    page,
                    until,
                    "checkout-" + b.reference + (opened ? "-" + std::to_string(opened) : "")};
                return std::optional<CheckoutView>();
            }
        )
    );
    if (open) return *open;
    YOYAKU_TRY_ASSIGN(const auto keys, credentials(tenant));
    YOYAKU_TRY_ASSIGN(const auto c, provider_.create_checkout(keys, request));
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<CheckoutView> {
        PaymentRow row;
        row.booking_id = b.id;
        row.provider = std::string(kProvider);
        row.kind = "checkout";
        row.provider_ref = c.id;
        row.url = c.url;
        row.amount_jpy = b.total_jpy;
        row.state = "open";
        row.expires_at = c.expires_at;
        row.created_at = clock_.now();
        YOYAKU_TRY(PaymentStore(stx).insert(row));
        return CheckoutView{c.url, c.expires_at};
    });
}

Result<Applied> PaymentService::receive(
    TenantId tenant,
    std::string_view payload,
    std::string_view signature,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    auto keys = credentials(tenant);
    auto event =
        keys ? provider_.read_event(*keys, payload, signature, now)
             : Result<Event>(Error{Errc::forbidden, "no payment keys", "Stripe-Signature", {}});
    if (!event) {
        if (event.error().code != Errc::forbidden) return fail(std::move(event).error());
        // A forged, stale or unkeyed delivery: refused, and recorded for the tenant's managers.
        YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY(audit::append(
                stx,
                {"anonymous", "anonymous"},
                origin,
                {"payments.webhook_refused", "payments:stripe", "failure", "{}"},
                now
            ));
            return {};
        }));
        return fail(std::move(event).error());
    }
    YOYAKU_TRY_ASSIGN(const auto seen, db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return PaymentEventStore(stx).find_outcome(kProvider, event->id);
    }));
    if (seen) return Applied{*seen, true};
    YOYAKU_TRY_ASSIGN(const auto outcome, apply(tenant, *event));
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Applied> {
        YOYAKU_TRY_ASSIGN(
            const bool first,
            PaymentEventStore(stx).insert(kProvider, event->id, event->type, outcome, now)
        );
        if (!first) return Applied{outcome, true};
        const bool wrong = outcome == "amount_mismatch" || outcome == "unknown_booking";
        YOYAKU_TRY(audit::append(
            stx,
            kProviderActor,
            origin,
            {"payments.event",
             event->reference.empty() ? "payments:stripe" : "booking:" + event->reference,
             wrong ? "failure" : "success",
             "{\"type\":\"" + event->type + "\",\"outcome\":\"" + outcome + "\"}"},
            now
        ));
        return Applied{outcome, false};
    });
}

Result<std::string> PaymentService::apply(TenantId tenant, const Event& e) {
    using Kind = Event::Kind;
    const Instant now = clock_.now();
    auto mark = [&](std::string_view state) -> Result<void> {
        return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
            return PaymentStore(stx).update_checkout(
                kProvider, e.checkout_id, state, e.payment_ref, now
            );
        });
    };
    switch (e.kind) {
        case Kind::other:
            return std::string("ignored");
        case Kind::checkout_pending: {
            YOYAKU_TRY(mark("pending"));
            auto b = bookings_.payment_pending(tenant, e.reference, kProviderActor);
            if (!b && b.error().code != Errc::not_found) return fail(std::move(b).error());
            return std::string(b ? "pending" : "unknown_booking");
        }
        case Kind::checkout_failed: {
            YOYAKU_TRY(mark("expired"));
            auto b = bookings_.checkout_ended(tenant, e.reference, kProviderActor);
            if (!b && b.error().code != Errc::not_found) return fail(std::move(b).error());
            return std::string(b ? "checkout_ended" : "unknown_booking");
        }
        case Kind::checkout_paid:
            break;
    }
    if (e.currency != "jpy") return std::string("amount_mismatch");
    // A hold the payment confirms, or a booking already confirmed that is now paid.
    auto before = bookings_.find_by_reference(tenant, e.reference);
    if (!before && before.error().code == Errc::not_found) return std::string("unknown_booking");
    const bool held = before && before->awaiting_payment &&
                      (before->status == bookings::BookingStatus::held ||
                       before->status == bookings::BookingStatus::expired);
    auto b = bookings_.record_payment(
        tenant, e.reference, {std::string(kProvider), e.payment_ref, e.amount}, kProviderActor
    );
    if (!b) {
        const auto code = b.error().code;
        if (code == Errc::not_found) return std::string("unknown_booking");
        if (code == Errc::conflict) return std::string("amount_mismatch");
        if (code == Errc::unprocessable) return refund_late(tenant, e);
        return fail(std::move(b).error());
    }
    YOYAKU_TRY(mark("complete"));
    return std::string(held ? "confirmed" : "paid");
}

Result<std::string> PaymentService::refund_late(TenantId tenant, const Event& e) {
    // The places went before the money came: it goes back in full.
    YOYAKU_TRY_ASSIGN(const auto keys, credentials(tenant));
    YOYAKU_TRY_ASSIGN(
        const auto r, provider_.refund(keys, {e.payment_ref, e.amount, "late-" + e.id})
    );
    YOYAKU_TRY_ASSIGN(const auto b, bookings_.find_by_reference(tenant, e.reference));
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(PaymentStore(stx).update_checkout(
            kProvider, e.checkout_id, "complete", e.payment_ref, now
        ));
        PaymentRow row;
        row.booking_id = b.id;
        row.provider = std::string(kProvider);
        row.kind = "refund";
        row.provider_ref = r.id;
        row.payment_ref = e.payment_ref;
        row.amount_jpy = e.amount;
        row.state = r.state.empty() ? "pending" : r.state;
        row.created_at = now;
        YOYAKU_TRY(PaymentStore(stx).insert(row));
        return {};
    }));
    YOYAKU_TRY(bookings_.tell_refunded_late(tenant, e.reference));
    return std::string("refunded_late");
}

namespace {

Result<bookings::RefundOrder> order_of(const std::string& payload) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(payload, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* id = o ? o->if_contains("booking_id") : nullptr;
    const auto* ref = o ? o->if_contains("reference") : nullptr;
    const auto* amount = o ? o->if_contains("amount_jpy") : nullptr;
    const auto* key = o ? o->if_contains("key") : nullptr;
    if (!id || !id->is_int64() || !ref || !ref->is_string() || !amount || !amount->is_int64() ||
        !key || !key->is_string())
        return Error::internal("a refund job's payload is garbled");
    return bookings::RefundOrder{
        BookingId(id->get_int64()),
        std::string(ref->get_string()),
        amount->get_int64(),
        std::string(key->get_string())};
}

}  // namespace

Result<SalesReport> PaymentService::sales(
    TenantId tenant, std::chrono::year_month_day from, std::chrono::year_month_day to, Period by
) {
    using std::chrono::days;
    using std::chrono::sys_days;
    if (sys_days(to) < sys_days(from) || sys_days(to) - sys_days(from) > days(366))
        return Error::invalid("to", "must be on or after from, at most 366 days later");
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<SalesReport> {
        YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
        const auto local = [&](std::chrono::year_month_day d) {
            return from_local(std::chrono::local_days(d), t.time_zone);
        };
        const Instant start = local(from);
        const Instant end = local(std::chrono::year_month_day(sys_days(to) + days(1)));
        bookings::BookingStore bookings(stx);
        YOYAKU_TRY_ASSIGN(const auto paid, bookings.list_paid(start, end));
        YOYAKU_TRY_ASSIGN(const auto fees, bookings.list_fees(start, end));
        YOYAKU_TRY_ASSIGN(const auto refunds, PaymentStore(stx).list_refunds(start, end));
        return tally(paid, refunds, fees, t.time_zone, by);
    });
}

jobs::Handler PaymentService::refund_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto order, order_of(job.payload));
        return refund_now(job.tenant, order);
    };
}

Result<void> PaymentService::refund_now(TenantId tenant, const bookings::RefundOrder& order) {
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(
        const auto paid,
        db_.read(
            storage::TenantScope(tenant),
            [&](ScopedTx& stx) -> Result<std::optional<PaymentRow>> {
                YOYAKU_TRY_ASSIGN(
                    const auto rows, PaymentStore(stx).list_of_booking(order.booking_id)
                );
                for (const auto& p : rows)
                    if (p.kind == "checkout" && p.state == "complete" && !p.payment_ref.empty())
                        return std::optional<PaymentRow>(p);
                return std::optional<PaymentRow>();
            }
        )
    );
    if (!paid) {
        // Paid on site: staff give it back by hand; the audit log says so.
        return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY(audit::append(
                stx,
                kProviderActor,
                {},
                {"payments.refund_by_hand",
                 "booking:" + order.reference,
                 "success",
                 "{\"amount_jpy\":" + std::to_string(order.amount_jpy) + "}"},
                now
            ));
            return {};
        });
    }
    YOYAKU_TRY_ASSIGN(const auto keys, credentials(tenant));
    YOYAKU_TRY_ASSIGN(const auto data_keys, keys_.tenant_keys(tenant));
    auto r = provider_.refund(keys, {paid->payment_ref, order.amount_jpy, order.key});
    if (!r && r.error().code == Errc::unavailable) return fail(std::move(r).error());  // retried
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        PaymentRow row;
        row.booking_id = order.booking_id;
        row.provider = std::string(kProvider);
        row.kind = "refund";
        row.provider_ref = r ? r->id : "failed:" + order.key;
        row.payment_ref = paid->payment_ref;
        row.amount_jpy = order.amount_jpy;
        row.state = !r ? "failed" : r->state.empty() ? "pending" : r->state;
        row.created_at = now;
        YOYAKU_TRY_ASSIGN(const bool first, PaymentStore(stx).insert(row));
        if (first && r)
            YOYAKU_TRY(
                bookings::add_refund(stx, keys_, data_keys, order.booking_id, order.amount_jpy, now)
            );
        YOYAKU_TRY(audit::append(
            stx,
            kProviderActor,
            {},
            {r ? "booking.refunded" : "booking.refund_failed",
             "booking:" + order.reference,
             r ? "success" : "failure",
             "{\"amount_jpy\":" + std::to_string(order.amount_jpy) + "}"},
            now
        ));
        return {};
    }));
    // A refusal stays on record (above) and fails the job, for staff to see.
    if (!r) return fail(std::move(r).error());
    return {};
}

}  // namespace yoyaku::payments

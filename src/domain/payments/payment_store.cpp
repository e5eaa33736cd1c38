#include "domain/payments/payment_store.hpp"

namespace yoyaku::payments {

Result<bool> PaymentStore::insert(const PaymentRow& p) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "INSERT INTO payments(tenant_id, booking_id, provider, kind, provider_ref, payment_ref, url, amount_jpy, state, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (tenant_id, provider, provider_ref) DO NOTHING",
            stx_.tenant_id(),
            p.booking_id,
            p.provider,
            p.kind,
            p.provider_ref,
            p.payment_ref.empty() ? storage::Value() : storage::Value(p.payment_ref),
            p.url.empty() ? storage::Value() : storage::Value(p.url),
            p.amount_jpy,
            p.state,
            p.expires_at ? storage::Value(to_micros(*p.expires_at)) : storage::Value(),
            to_micros(p.created_at)
        )
    );
    return n == 1;
}

Result<std::vector<PaymentRow>> PaymentStore::list_of_booking(BookingId booking_id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, booking_id, provider, kind, provider_ref, payment_ref, url, amount_jpy, state, expires_at, created_at FROM payments WHERE tenant_id = $1 AND booking_id = $2 ORDER BY id DESC",
            stx_.tenant_id(),
            booking_id
        )
    );
    std::vector<PaymentRow> out;
    for (const auto& r : rows) {
        PaymentRow p;
        p.id = r.i64("id");
        p.booking_id = r.id<BookingId>("booking_id");
        p.provider = r.text("provider");
        p.kind = r.text("kind");
        p.provider_ref = r.text("provider_ref");
        p.payment_ref = r.opt_text("payment_ref").value_or("");
        p.url = r.opt_text("url").value_or("");
        p.amount_jpy = r.i64("amount_jpy");
        p.state = r.text("state");
        if (!r.is_null("expires_at")) p.expires_at = from_micros(r.i64("expires_at"));
        p.created_at = from_micros(r.i64("created_at"));
        out.push_back(std::move(p));
    }
    return out;
}

Result<std::vector<bookings::MoneyRow>> PaymentStore::list_refunds(Instant from, Instant to) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT b.offering_id, p.created_at AS at, p.amount_jpy FROM payments p JOIN bookings b ON b.tenant_id = p.tenant_id AND b.id = p.booking_id WHERE p.tenant_id = $1 AND p.kind = 'refund' AND p.state <> 'failed' AND p.created_at >= $2 AND p.created_at < $3",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to)
        )
    );
    return bookings::money_rows(rows);
}

Result<std::vector<Recorded>> PaymentStore::list_settled(Instant from, Instant to) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT p.kind, p.provider_ref, p.payment_ref, p.amount_jpy, CASE WHEN p.kind = 'refund' THEN p.created_at ELSE p.updated_at END AS at, b.reference FROM payments p JOIN bookings b ON b.tenant_id = p.tenant_id AND b.id = p.booking_id WHERE p.tenant_id = $1 AND ((p.kind = 'checkout' AND p.state = 'complete' AND p.updated_at >= $2 AND p.updated_at < $3) OR (p.kind = 'refund' AND p.state <> 'failed' AND p.created_at >= $2 AND p.created_at < $3)) ORDER BY at",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to)
        )
    );
    std::vector<Recorded> out;
    for (const auto& r : rows) {
        const bool refund = r.text("kind") == "refund";
        out.push_back(
            {refund ? "refund" : "charge",
             r.opt_text("payment_ref").value_or(""),
             refund ? r.text("provider_ref") : std::string(),
             r.i64("amount_jpy"),
             from_micros(r.i64("at")),
             r.text("reference")}
        );
    }
    return out;
}

Result<void> PaymentStore::update_checkout(
    std::string_view provider,
    std::string_view checkout_id,
    std::string_view state,
    std::string_view payment_ref,
    Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE payments SET state = $4, payment_ref = coalesce($5, payment_ref), updated_at = $6 WHERE tenant_id = $1 AND provider = $2 AND provider_ref = $3 AND kind = 'checkout' AND (state <> 'complete' OR $4 = 'complete')",
        stx_.tenant_id(),
        std::string(provider),
        std::string(checkout_id),
        std::string(state),
        payment_ref.empty() ? storage::Value() : storage::Value(std::string(payment_ref)),
        to_micros(now)
    ));
    return {};
}

}  // namespace yoyaku::payments

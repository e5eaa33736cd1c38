#include "domain/payments/payment_event_store.hpp"

namespace yoyaku::payments {

Result<std::optional<std::string>> PaymentEventStore::find_outcome(
    std::string_view provider, std::string_view event_id
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT outcome FROM payment_events WHERE tenant_id = $1 AND provider = $2 AND event_id = $3",
            stx_.tenant_id(),
            std::string(provider),
            std::string(event_id)
        )
    );
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows.front().text("outcome"));
}

Result<bool> PaymentEventStore::insert(
    std::string_view provider,
    std::string_view event_id,
    std::string_view type,
    std::string_view outcome,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "INSERT INTO payment_events(tenant_id, provider, event_id, type, outcome, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, provider, event_id) DO NOTHING",
            stx_.tenant_id(),
            std::string(provider),
            std::string(event_id),
            std::string(type),
            std::string(outcome),
            to_micros(now)
        )
    );
    return n == 1;
}

}  // namespace yoyaku::payments

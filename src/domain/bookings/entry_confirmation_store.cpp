#include "domain/bookings/entry_confirmation_store.hpp"

#include <climits>

#include "storage/sql_text.hpp"

namespace yoyaku::bookings {

Result<bool> EntryConfirmationStore::confirm(std::int64_t id, std::int64_t now_micros) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE " + std::string(table_.table) +
                " SET confirmed_at = $3 WHERE tenant_id = $1 AND id = $2 AND confirmed_at IS NULL",
            stx_.tenant_id(),
            id,
            now_micros
        )
    );
    return n == 1;
}

Result<bool> EntryConfirmationStore::address_taken(
    std::int64_t scope_id,
    const std::vector<std::string>& email_indexes,
    std::int64_t except_id,
    std::optional<std::int64_t> young_since_micros
) {
    std::vector<storage::Value> params{
        stx_.tenant_id().value, scope_id, except_id, young_since_micros.value_or(INT64_MAX)};
    const auto list = storage::append_list(params, email_indexes);
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT 1 FROM " + std::string(table_.table) + " WHERE tenant_id = $1 AND " +
                std::string(table_.scope_column) + " = $2 AND id <> $3 AND " +
                std::string(table_.live) +
                " AND (confirmed_at IS NOT NULL OR created_at > $4) AND email_index IN (" + list +
                ") LIMIT 1",
            std::span<const storage::Value>(params)
        )
    );
    return !rows.empty();
}

}  // namespace yoyaku::bookings

#include "domain/bookings/entry_confirmation_store.hpp"

#include <climits>

#include "storage/sql_text.hpp"

namespace yoyaku::bookings {

namespace detail {

Result<bool> confirm_entry(
    storage::ScopedTx& stx, std::string_view table, std::int64_t row, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx.tx().exec(
            "UPDATE " + std::string(table) +
                " SET confirmed_at = $3 WHERE tenant_id = $1 AND id = $2 AND confirmed_at IS NULL",
            stx.tenant_id(),
            row,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<bool> entry_address_taken(
    storage::ScopedTx& stx,
    std::string_view table,
    std::string_view scope_column,
    std::string_view live,
    std::int64_t scope,
    const std::vector<std::string>& email_indexes,
    std::int64_t except_row,
    std::optional<Instant> young_since
) {
    auto params = storage::values(
        stx.tenant_id().value,
        scope,
        except_row,
        young_since ? to_micros(*young_since) : std::int64_t{INT64_MAX}
    );
    const auto list = storage::append_list(params, email_indexes);
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx.tx().query(
            "SELECT 1 FROM " + std::string(table) + " WHERE tenant_id = $1 AND " +
                std::string(scope_column) + " = $2 AND id <> $3 AND " + std::string(live) +
                " AND (confirmed_at IS NOT NULL OR created_at > $4) AND email_index IN (" + list +
                ") LIMIT 1",
            std::span<const storage::Value>(params)
        )
    );
    return !rows.empty();
}

}  // namespace detail
}  // namespace yoyaku::bookings

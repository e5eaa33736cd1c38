#include "storage/sealed_rows.hpp"

namespace yoyaku::storage {

Result<std::vector<SealedRow>> list_sealed_rows(
    Tx& tx, const SealedColumn& c, TenantId tenant, std::int64_t after, int limit
) {
    const std::string table(c.table), column(c.column), index_column(c.index_column);
    const bool indexed = c.index != SealedIndex::none;
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx.query(
            "SELECT id, " + column + " AS sealed, " + (indexed ? index_column : "''") +
                " AS email_index, " + std::string(c.extra) + " AS extra FROM " + table +
                " WHERE tenant_id = $1 AND id > $2 AND " + column +
                " IS NOT NULL ORDER BY id LIMIT $3",
            tenant,
            after,
            limit
        )
    );
    std::vector<SealedRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back({r.i64("id"), r.blob("sealed").bytes, r.text("email_index"), r.text("extra")}
        );
    return out;
}

Result<bool> update_sealed_row(
    Tx& tx,
    const SealedColumn& c,
    TenantId tenant,
    std::int64_t row,
    const std::string& was,
    const std::string& fresh,
    const std::optional<std::string>& index
) {
    const std::string table(c.table), column(c.column);
    YOYAKU_TRY_ASSIGN(
        const auto n,
        index ? tx.exec(
                    "UPDATE " + table + " SET " + column + " = $3, " + std::string(c.index_column) +
                        " = $5 WHERE tenant_id = $1 AND id = $2 AND " + column + " = $4",
                    tenant,
                    row,
                    Blob{fresh},
                    Blob{was},
                    *index
                )
              : tx.exec(
                    "UPDATE " + table + " SET " + column +
                        " = $3 WHERE tenant_id = $1 AND id = $2 AND " + column + " = $4",
                    tenant,
                    row,
                    Blob{fresh},
                    Blob{was}
                )
    );
    return n == 1;
}

}  // namespace yoyaku::storage

#include "storage/catalog.hpp"

namespace yoyaku::storage {
namespace {

bool on_postgres(const Tx& tx) {
    return tx.backend() == Backend::postgres;
}

Result<std::vector<std::pair<std::string, std::string>>> pairs(Result<std::vector<Row>> rows) {
    if (!rows) return fail(std::move(rows).error());
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.emplace_back(r.text("table_name"), r.text("other"));
    return out;
}

}  // namespace

Result<std::vector<std::string>> tables_with_column(Tx& tx, std::string_view column) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        on_postgres(tx)
            ? tx.query(
                  "SELECT table_name::text AS table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = $1 ORDER BY 1",
                  std::string(column)
              )
            : tx.query(
                  "SELECT m.name AS table_name FROM sqlite_schema m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = $1 ORDER BY 1",
                  std::string(column)
              )
    );
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.text("table_name"));
    return out;
}

Result<std::vector<std::pair<std::string, std::string>>> foreign_keys(Tx& tx) {
    return pairs(
        on_postgres(tx)
            ? tx.query(
                  "SELECT tc.table_name::text AS table_name, ccu.table_name::text AS other FROM information_schema.table_constraints tc JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()"
              )
            : tx.query(
                  "SELECT m.name AS table_name, p.\"table\" AS other FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'"
              )
    );
}

Result<std::vector<std::pair<std::string, std::string>>> columns_ending_with(
    Tx& tx, std::string_view suffix
) {
    // LIKE with the suffix's own characters escaped ('_' would match any one character).
    std::string pattern = "%";
    for (char c : suffix) {
        if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
        pattern.push_back(c);
    }
    return pairs(
        on_postgres(tx)
            ? tx.query(
                  "SELECT table_name::text AS table_name, column_name::text AS other FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE $1 ESCAPE '\\' ORDER BY 1, 2",
                  pattern
              )
            : tx.query(
                  "SELECT m.name AS table_name, c.name AS other FROM sqlite_schema m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name LIKE $1 ESCAPE '\\' ORDER BY 1, 2",
                  pattern
              )
    );
}

Result<std::vector<TenantId>> all_tenant_ids(Tx& tx) {
    YOYAKU_TRY_ASSIGN(const auto rows, tx.query("SELECT id FROM tenants ORDER BY id"));
    std::vector<TenantId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<TenantId>("id"));
    return out;
}

Result<std::int64_t> count_tenant_rows(Tx& tx, const std::string& table, TenantId tenant) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx.query_one("SELECT count(*) AS n FROM " + table + " WHERE tenant_id = $1", tenant)
    );
    return row.i64("n");
}

Result<std::int64_t> delete_tenant_rows(Tx& tx, const std::string& table, TenantId tenant) {
    return tx.exec("DELETE FROM " + table + " WHERE tenant_id = $1", tenant);
}

}  // namespace yoyaku::storage

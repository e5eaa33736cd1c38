#include "storage/roles.hpp"

namespace yoyaku::storage {

Result<std::vector<std::string>> role_risks(Database& db) {
    std::vector<std::string> out;
    if (db.backend() != Backend::postgres) return out;
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(
            auto role,
            tx.query_one(
                "SELECT current_user AS name, CAST(rolsuper AS integer) AS super, "
                "CAST(rolbypassrls AS integer) AS bypass FROM pg_roles WHERE rolname = current_user"
            )
        );
        const std::string who = "the role " + role.text("name");
        if (role.flag("super")) out.push_back(who + " is a superuser");
        if (role.flag("bypass")) out.push_back(who + " has BYPASSRLS");
        // Owning a table, also through a role it belongs to, allows switching its security off.
        YOYAKU_TRY_ASSIGN(
            auto owned,
            tx.query_one(
                "SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND "
                "pg_has_role(current_user, tableowner, 'USAGE')"
            )
        );
        if (owned.i64("n") > 0)
            out.push_back(
                who + " owns " + std::to_string(owned.i64("n")) +
                " of the tables: migrate as the owner (database.owner_url) and serve as a role "
                "that owns none"
            );
        return {};
    }));
    return out;
}

Result<void> grant_rows_to(Database& owner, Database& app) {
    if (owner.backend() != Backend::postgres || app.backend() != Backend::postgres) return {};
    YOYAKU_TRY_ASSIGN(auto role, app.read_platform([](Tx& tx) {
        return tx.query_one("SELECT current_user AS name");
    }));
    const std::string name = role.text("name");
    return owner.write_platform([&](Tx& tx) -> Result<void> {
        // format(%I) quotes the identifiers; the statements run as the tables' owner.
        YOYAKU_TRY_ASSIGN(
            auto grants,
            tx.query_one(
                "SELECT format('GRANT USAGE ON SCHEMA %1$I TO %2$I; GRANT SELECT, INSERT, UPDATE, "
                "DELETE ON ALL TABLES IN SCHEMA %1$I TO %2$I; GRANT USAGE, SELECT ON ALL "
                "SEQUENCES IN SCHEMA %1$I TO %2$I', current_schema(), CAST($1 AS text)) AS sql",
                name
            )
        );
        return tx.exec_script(grants.text("sql"));
    });
}

}  // namespace yoyaku::storage

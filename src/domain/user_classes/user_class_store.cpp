#include "domain/user_classes/user_class_store.hpp"

#include <string>

namespace yoyaku::user_classes {
namespace {

using storage::Row;

constexpr std::string_view kColumns = "id, name, price_percent, opens_before_minutes";

UserClass from_row(const Row& r) {
    return {
        r.id<UserClassId>("id"),
        r.text("name"),
        r.i32("price_percent"),
        r.opt_i32("opens_before_minutes"),
    };
}

}  // namespace

Result<std::vector<UserClass>> UserClassStore::list() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM user_classes WHERE tenant_id = $1 ORDER BY id",
            stx_.tenant_id()
        )
    );
    std::vector<UserClass> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

Result<UserClass> UserClassStore::find_by_id(UserClassId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM user_classes WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return Error::not_found("no such user class");
    return from_row(rows.front());
}

Result<std::optional<UserClass>> UserClassStore::find_by_account(AccountId account) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT c.id AS id, c.name AS name, c.price_percent AS price_percent, c.opens_before_minutes AS opens_before_minutes FROM accounts a JOIN user_classes c ON c.id = a.user_class_id AND c.tenant_id = a.tenant_id WHERE a.tenant_id = $1 AND a.id = $2",
            stx_.tenant_id(),
            account
        )
    );
    if (rows.empty()) return std::optional<UserClass>();
    return std::optional<UserClass>(from_row(rows.front()));
}

Result<UserClassId> UserClassStore::insert(const UserClass& c, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO user_classes(tenant_id, name, price_percent, opens_before_minutes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            stx_.tenant_id(),
            c.name,
            c.price_percent,
            c.opens_before_minutes,
            to_micros(now)
        )
    );
    return row.id<UserClassId>("id");
}

Result<void> UserClassStore::update(const UserClass& c) {
    YOYAKU_TRY_ASSIGN(
        auto changed,
        stx_.tx().exec(
            "UPDATE user_classes SET name = $3, price_percent = $4, opens_before_minutes = $5 WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            c.id,
            c.name,
            c.price_percent,
            c.opens_before_minutes
        )
    );
    if (changed != 1) return Error::not_found("no such user class");
    return {};
}

Result<void> UserClassStore::remove(UserClassId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE accounts SET user_class_id = NULL WHERE tenant_id = $1 AND user_class_id = $2",
        stx_.tenant_id(),
        id
    ));
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM user_classes WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
    ));
    return {};
}

Result<std::map<AccountId, UserClassId>> UserClassStore::list_members() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, user_class_id FROM accounts WHERE tenant_id = $1 AND role = 'customer' AND user_class_id IS NOT NULL",
            stx_.tenant_id()
        )
    );
    std::map<AccountId, UserClassId> out;
    for (const auto& r : rows) out[r.id<AccountId>("id")] = r.id<UserClassId>("user_class_id");
    return out;
}

Result<void> UserClassStore::update_account_class(
    AccountId account, std::optional<UserClassId> id
) {
    YOYAKU_TRY_ASSIGN(
        auto changed,
        stx_.tx().exec(
            "UPDATE accounts SET user_class_id = $3 WHERE tenant_id = $1 AND id = $2 AND role = 'customer'",
            stx_.tenant_id(),
            account,
            id
        )
    );
    if (changed != 1) return Error::not_found("no such customer");
    return {};
}

Result<std::map<AccountId, std::vector<std::string>>> UserClassStore::list_tags() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT account_id, tag FROM customer_tags WHERE tenant_id = $1 ORDER BY account_id, tag",
            stx_.tenant_id()
        )
    );
    std::map<AccountId, std::vector<std::string>> out;
    for (const auto& r : rows) out[r.id<AccountId>("account_id")].push_back(r.text("tag"));
    return out;
}

Result<bool> UserClassStore::replace_tags(
    AccountId account, const std::vector<std::string>& tags, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto customer,
        stx_.tx().query(
            "SELECT 1 AS x FROM accounts WHERE tenant_id = $1 AND id = $2 AND role = 'customer'",
            stx_.tenant_id(),
            account
        )
    );
    if (customer.empty()) return false;
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM customer_tags WHERE tenant_id = $1 AND account_id = $2",
        stx_.tenant_id(),
        account
    ));
    for (const auto& tag : tags)
        YOYAKU_TRY(stx_.tx().exec(
            "INSERT INTO customer_tags(tenant_id, account_id, tag, created_at) VALUES ($1, $2, $3, $4)",
            stx_.tenant_id(),
            account,
            tag,
            to_micros(now)
        ));
    return true;
}

}  // namespace yoyaku::user_classes

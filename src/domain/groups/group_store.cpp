#include "domain/groups/group_store.hpp"

namespace yoyaku::groups {
namespace {

using storage::Blob;
using storage::Row;

constexpr std::string_view kColumns =
    "SELECT id, account_id, name, details_sealed, member_count, status, user_class_id, "
    "expires_at, decided_at, decision_note, created_at FROM customer_groups WHERE tenant_id = $1";

std::optional<Instant> opt_instant(const Row& r, std::string_view column) {
    const auto v = r.opt_i64(column);
    return v ? std::optional(from_micros(*v)) : std::nullopt;
}

std::optional<std::int64_t> opt_micros(std::optional<Instant> t) {
    return t ? std::optional(to_micros(*t)) : std::nullopt;
}

GroupRow row_of(const Row& r) {
    GroupRow out;
    auto& g = out.group;
    g.id = r.id<GroupId>("id");
    g.account_id = r.id<AccountId>("account_id");
    g.name = r.text("name");
    g.member_count = r.i32("member_count");
    g.status = r.text("status");
    g.user_class_id = r.opt_id<UserClassId>("user_class_id");
    g.expires_at = opt_instant(r, "expires_at");
    g.decided_at = opt_instant(r, "decided_at");
    g.decision_note = r.text("decision_note");
    g.created_at = from_micros(r.i64("created_at"));
    out.details_sealed = r.blob("details_sealed").bytes;
    return out;
}

GroupDocument document_of(const Row& r) {
    return {
        r.id<GroupDocumentId>("id"),
        r.text("filename"),
        r.text("content_type"),
        r.i64("size"),
        from_micros(r.i64("created_at"))};
}

}  // namespace

Result<GroupId> GroupStore::insert(AccountId account, const NewGroup& g, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO customer_groups(tenant_id, account_id, name, details_sealed, member_count, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) RETURNING id",
            stx_.tenant_id(),
            account,
            g.name,
            Blob{"-"},
            g.member_count,
            to_micros(now)
        )
    );
    return row.id<GroupId>("id");
}

Result<void> GroupStore::update_details_sealed(GroupId id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE customer_groups SET details_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        Blob{sealed}
    ));
    return {};
}

Result<void> GroupStore::update_registration(GroupId id, const NewGroup& g) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE customer_groups SET name = $3, member_count = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        g.name,
        g.member_count
    ));
    return {};
}

Result<GroupRow> GroupStore::find(GroupId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows, stx_.tx().query(std::string(kColumns) + " AND id = $2", stx_.tenant_id(), id)
    );
    if (rows.empty()) return Error::not_found("no such group");
    return row_of(rows.front());
}

Result<std::vector<GroupRow>> GroupStore::list(
    std::optional<std::string> status, std::optional<AccountId> account
) {
    std::string sql(kColumns);
    auto params = storage::values(stx_.tenant_id());
    if (status) {
        params.push_back(storage::to_value(*status));
        sql += " AND status = $" + std::to_string(params.size());
    }
    if (account) {
        params.push_back(storage::to_value(*account));
        sql += " AND account_id = $" + std::to_string(params.size());
    }
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(sql + " ORDER BY id DESC", std::span<const storage::Value>(params))
    );
    std::vector<GroupRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(row_of(r));
    return out;
}

Result<bool> GroupStore::update_decision(
    GroupId id,
    bool approve,
    std::optional<UserClassId> user_class,
    std::optional<Instant> expires_at,
    const std::string& note,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE customer_groups SET status = $3, user_class_id = $4, expires_at = $5, decision_note = $6, decided_at = $7, updated_at = $7 WHERE tenant_id = $1 AND id = $2 AND status = 'pending'",
            stx_.tenant_id(),
            id,
            std::string(approve ? "approved" : "rejected"),
            user_class,
            opt_micros(expires_at),
            note,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<bool> GroupStore::update_renewal(GroupId id, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE customer_groups SET status = 'pending', updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status <> 'pending'",
            stx_.tenant_id(),
            id,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<std::vector<GroupDocument>> GroupStore::list_documents(GroupId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, filename, content_type, size, created_at FROM group_documents WHERE tenant_id = $1 AND group_id = $2 ORDER BY id",
            stx_.tenant_id(),
            id
        )
    );
    std::vector<GroupDocument> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(document_of(r));
    return out;
}

Result<GroupDocumentId> GroupStore::insert_document(
    GroupId id, const GroupDocument& d, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO group_documents(tenant_id, group_id, filename, content_type, size, body_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            stx_.tenant_id(),
            id,
            d.filename,
            d.content_type,
            d.size,
            Blob{"-"},
            to_micros(now)
        )
    );
    return row.id<GroupDocumentId>("id");
}

Result<void> GroupStore::update_document_sealed(GroupDocumentId id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE group_documents SET body_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        Blob{sealed}
    ));
    return {};
}

Result<std::pair<GroupDocument, std::string>> GroupStore::find_document(
    GroupId id, GroupDocumentId doc
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, filename, content_type, size, created_at, body_sealed FROM group_documents WHERE tenant_id = $1 AND group_id = $2 AND id = $3",
            stx_.tenant_id(),
            id,
            doc
        )
    );
    if (rows.empty()) return Error::not_found("no such document");
    return std::pair(document_of(rows.front()), rows.front().blob("body_sealed").bytes);
}

}  // namespace yoyaku::groups

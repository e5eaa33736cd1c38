#include "domain/notices/notice_store.hpp"

namespace yoyaku::notices {
namespace {

constexpr std::string_view kColumns =
    "id, kind, severity, title, body, starts_at, ends_at, all_tenants, emergency_reason, "
    "resolved_at, created_at";

std::optional<Instant> opt_time(const storage::Row& r, std::string_view column) {
    if (auto v = r.opt_i64(column)) return from_micros(*v);
    return std::nullopt;
}

}  // namespace

Result<std::vector<Notice>> NoticeStore::load(
    const std::string& where, const std::vector<storage::Value>& params
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        tx_.query(
            "SELECT " + std::string(kColumns) + " FROM notices WHERE " + where +
                " ORDER BY starts_at DESC, id DESC LIMIT 100",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<Notice> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        Notice n;
        n.id = r.id<NoticeId>("id");
        n.kind = r.text("kind");
        n.severity = r.text("severity");
        n.title = r.text("title");
        n.body = r.text("body");
        n.starts_at = from_micros(r.i64("starts_at"));
        n.ends_at = opt_time(r, "ends_at");
        n.all_tenants = r.i64("all_tenants") != 0;
        n.emergency_reason = r.opt_text("emergency_reason").value_or("");
        n.resolved_at = opt_time(r, "resolved_at");
        n.created_at = from_micros(r.i64("created_at"));
        YOYAKU_TRY_ASSIGN(
            const auto codes,
            tx_.query(
                "SELECT t.code FROM notice_tenants nt JOIN tenants t ON t.id = nt.tenant_id WHERE nt.notice_id = $1 ORDER BY t.code",
                n.id
            )
        );
        for (const auto& c : codes) n.tenants.push_back(c.text("code"));
        YOYAKU_TRY_ASSIGN(
            const auto updates,
            tx_.query(
                "SELECT at, body, resolved FROM notice_updates WHERE notice_id = $1 ORDER BY id",
                n.id
            )
        );
        for (const auto& u : updates)
            n.updates.push_back({from_micros(u.i64("at")), u.text("body"), u.i64("resolved") != 0});
        out.push_back(std::move(n));
    }
    return out;
}

Result<std::vector<Notice>> NoticeStore::list() {
    return load("1 = 1", {});
}

Result<std::vector<Notice>> NoticeStore::list_current(
    TenantId tenant, Instant resolved_after, Instant now
) {
    return load(
        "(all_tenants = 1 OR EXISTS (SELECT 1 FROM notice_tenants nt WHERE nt.notice_id = notices.id AND nt.tenant_id = $1)) AND (resolved_at IS NULL OR resolved_at > $2) AND (kind = 'incident' OR ends_at IS NULL OR ends_at > $3)",
        {tenant.value, to_micros(resolved_after), to_micros(now)}
    );
}

Result<std::vector<Notice>> NoticeStore::list_public(Instant resolved_after) {
    return load(
        "all_tenants = 1 AND (resolved_at IS NULL OR resolved_at > $1)", {to_micros(resolved_after)}
    );
}

Result<std::optional<Notice>> NoticeStore::find(NoticeId id) {
    YOYAKU_TRY_ASSIGN(auto found, load("id = $1", storage::values(id)));
    if (found.empty()) return std::optional<Notice>();
    return std::optional<Notice>(std::move(found.front()));
}

Result<std::vector<Reached>> NoticeStore::list_reached(const Notice& n) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        n.all_tenants
            ? tx_.query(
                  "SELECT id, name, locale, time_zone FROM tenants WHERE status <> 'terminated'"
              )
            : tx_.query(
                  "SELECT t.id, t.name, t.locale, t.time_zone FROM tenants t JOIN notice_tenants nt ON nt.tenant_id = t.id WHERE nt.notice_id = $1 AND t.status <> 'terminated'",
                  n.id
              )
    );
    std::vector<Reached> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back({r.id<TenantId>("id"), r.text("name"), r.text("locale"), r.text("time_zone")}
        );
    return out;
}

Result<NoticeId> NoticeStore::insert(
    const NoticeInput& in,
    const std::string& title,
    const std::string& body,
    const std::vector<TenantId>& tenants,
    const std::string& emergency_reason,
    const std::string& created_by,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto row,
        tx_.query_one(
            "INSERT INTO notices(kind, severity, title, body, starts_at, ends_at, all_tenants, emergency_reason, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            in.kind,
            in.severity,
            title,
            body,
            to_micros(in.starts_at),
            in.ends_at ? storage::Value(to_micros(*in.ends_at)) : storage::Value(),
            std::int64_t{tenants.empty() ? 1 : 0},
            emergency_reason.empty() ? storage::Value() : storage::Value(emergency_reason),
            to_micros(now),
            created_by
        )
    );
    const auto id = row.id<NoticeId>("id");
    for (const auto t : tenants)
        YOYAKU_TRY(tx_.exec(
            "INSERT INTO notice_tenants(notice_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            id,
            t
        ));
    return id;
}

Result<void> NoticeStore::insert_update(
    NoticeId id, const std::string& body, bool resolved, Instant at
) {
    YOYAKU_TRY(tx_.exec(
        "INSERT INTO notice_updates(notice_id, at, body, resolved) VALUES ($1, $2, $3, $4)",
        id,
        to_micros(at),
        body,
        std::int64_t{resolved ? 1 : 0}
    ));
    return {};
}

Result<void> NoticeStore::update_resolved(NoticeId id, Instant at) {
    YOYAKU_TRY(tx_.exec("UPDATE notices SET resolved_at = $2 WHERE id = $1", id, to_micros(at)));
    return {};
}

}  // namespace yoyaku::notices

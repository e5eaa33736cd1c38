#include "domain/notices/notices.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/text.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/mail/mail.hpp"
#include "domain/notices/notice_store.hpp"
#include "domain/tenants/platform_setting_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::notices {
namespace {

using storage::Tx;

// Multi-line text: valid UTF-8, NFC, no control characters but newlines and tabs.
Result<std::string> check_text(
    std::string_view s, std::string_view field, std::size_t max, bool required
) {
    auto nfc = text::to_nfc(s);
    if (!nfc) return Error::invalid(std::string(field), "is not valid UTF-8");
    if (text::has_control_chars(*nfc, true))
        return Error::invalid(std::string(field), "must not hold control characters");
    if (required && nfc->find_first_not_of(" \n\t") == std::string::npos)
        return Error::invalid(std::string(field), "is required");
    if (text::code_points(*nfc) > max)
        return Error::invalid(std::string(field), "at most " + std::to_string(max) + " characters");
    return std::move(*nfc);
}

bool one_of(std::string_view v, std::initializer_list<std::string_view> set) {
    for (auto s : set)
        if (v == s) return true;
    return false;
}

Maintenance parse_maintenance(const std::string& text) {
    Maintenance m;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    if (!o) return m;
    if (const auto* x = o->if_contains("on"); x && x->is_bool()) m.on = x->get_bool();
    if (const auto* x = o->if_contains("retry_after_s"); x && x->is_int64())
        m.retry_after_s = static_cast<int>(x->get_int64());
    if (const auto* x = o->if_contains("message"); x && x->is_string())
        m.message = std::string(x->get_string());
    if (const auto* x = o->if_contains("since"); x && x->is_int64())
        m.since = from_micros(x->get_int64());
    return m;
}

Result<Maintenance> read_maintenance(Tx& tx) {
    YOYAKU_TRY_ASSIGN(const auto value, tenants::PlatformSettingStore(tx).find("maintenance"));
    if (!value) return Maintenance{};
    return parse_maintenance(*value);
}

}  // namespace

NoticeService::NoticeService(
    storage::Database& db,
    crypto::Keyring& keys,
    accounts::AccountService& accounts,
    const Clock& clock,
    NoticeOptions options
)
    : db_(db), keys_(keys), accounts_(accounts), clock_(clock), options_(std::move(options)) {}

Result<std::vector<Notice>> NoticeService::list() {
    return db_.read_platform([](Tx& tx) { return NoticeStore(tx).list(); });
}

Result<std::vector<Notice>> NoticeService::current(TenantId tenant) {
    const Instant now = clock_.now();
    return db_.read_platform([&](Tx& tx) {
        return NoticeStore(tx).list_current(tenant, now - std::chrono::hours(24), now);
    });
}

Result<std::vector<Notice>> NoticeService::public_status() {
    const Instant week = clock_.now() - std::chrono::hours(24 * 7);
    return db_.read_platform([&](Tx& tx) { return NoticeStore(tx).list_public(week); });
}

Result<void> NoticeService::mail_managers(
    Tx& tx, const Notice& n, const std::string& update, Instant now
) {
    // The tenants it reaches, with their language and zone.
    YOYAKU_TRY_ASSIGN(const auto reached, NoticeStore(tx).list_reached(n));
    for (const auto& r : reached) {
        const TenantId tenant = r.id;
        YOYAKU_TRY_ASSIGN(auto managers, accounts_.list(tenant, access::Role::manager));
        for (const auto& m : managers) {
            if (m.status != accounts::Status::active) continue;
            const std::string locale = m.locale.empty() ? r.locale : m.locale;
            const auto& zone = r.time_zone;
            mail::Vars vars{
                {"tenant_name", r.name},
                {"kind_ja", n.kind == "incident" ? "障害" : "メンテナンス"},
                {"kind_en", n.kind},
                {"title", n.title},
                {"severity", n.severity},
                {"starts_at", mail::format_local(n.starts_at, zone, locale)},
                {"body", n.body},
                {"status_link", options_.status_url}};
            if (n.ends_at)
                vars.emplace_back("ends_at", mail::format_local(*n.ends_at, zone, locale));
            if (!n.emergency_reason.empty())
                vars.emplace_back("emergency_reason", n.emergency_reason);
            if (!update.empty()) vars.emplace_back("update", update);
            YOYAKU_TRY_ASSIGN(auto mail, mail::render("notice", locale, vars, m.email));
            YOYAKU_TRY(mail::enqueue(
                tx, keys_, tenant, "notice." + n.kind, mail, now, "notice:" + to_string(n.id)
            ));
        }
    }
    return {};
}

Result<Notice> NoticeService::post(
    const NoticeInput& in, const audit::Actor& actor, const audit::Origin& origin
) {
    if (!one_of(in.kind, {"incident", "maintenance"}))
        return Error::invalid("kind", "must be incident or maintenance");
    if (!one_of(in.severity, {"info", "minor", "major", "critical"}))
        return Error::invalid("severity", "must be info, minor, major or critical");
    auto title = text::check_line(in.title, 1, 200);
    if (!title.value) return Error::invalid("title", title.problem);
    YOYAKU_TRY_ASSIGN(auto body, check_text(in.body, "body", 5000, false));
    if (in.ends_at && *in.ends_at <= in.starts_at)
        return Error::invalid("ends_at", "must be after starts_at");
    if (in.tenants.size() > 1000) return Error::invalid("tenants", "at most 1000");
    std::string reason;
    if (!in.emergency_reason.empty()) {
        auto r = text::check_line(in.emergency_reason, 1, 500);
        if (!r.value) return Error::invalid("emergency_reason", r.problem);
        reason = *r.value;
    }
    const Instant now = clock_.now();
    if (in.kind == "maintenance") {
        if (!in.ends_at) return Error::invalid("ends_at", "maintenance needs its end");
        if (in.starts_at < now + kMaintenanceNotice && reason.empty())
            return Error::invalid(
                "emergency_reason",
                "maintenance is announced at least 7 days ahead; sooner only as an emergency "
                "with its reason"
            );
    }
    NoticeId id;
    auto done = db_.write_platform([&](Tx& tx) -> Result<Notice> {
        std::vector<TenantId> ids;
        for (const auto& code : in.tenants) {
            auto t = tenants::PlatformTenantStore(tx).find_by_code(code);
            if (!t && t.error().code == Errc::not_found)
                return Error::invalid("tenants", "no tenant has the code " + code);
            if (!t) return fail(std::move(t).error());
            ids.push_back(t->id);
        }
        NoticeStore store(tx);
        YOYAKU_TRY_ASSIGN(id, store.insert(in, *title.value, body, ids, reason, actor.id, now));
        YOYAKU_TRY_ASSIGN(const auto n, store.find(id));
        if (!n) return Error::internal("a notice just posted is not found");
        boost::json::object details{
            {"kind", in.kind}, {"severity", in.severity}, {"tenants", in.tenants.size()}};
        if (!reason.empty()) details["emergency_reason"] = reason;
        YOYAKU_TRY_ASSIGN(
            auto e,
            audit::append_platform(
                tx,
                actor,
                origin,
                {"notice.posted",
                 "notice:" + to_string(id),
                 "success",
                 boost::json::serialize(details)},
                now
            )
        );
        YOYAKU_TRY(mail_managers(tx, *n, "", now));
        return *n;
    });
    return done;
}

Result<Notice> NoticeService::add_update(
    NoticeId id,
    std::string_view body,
    bool resolved,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto text, check_text(body, "body", 5000, true));
    const Instant now = clock_.now();
    return db_.write_platform([&](Tx& tx) -> Result<Notice> {
        NoticeStore store(tx);
        YOYAKU_TRY_ASSIGN(const auto found, store.find(id));
        if (!found) return Error::not_found("no such notice");
        if (found->resolved_at)
            return Error{Errc::conflict, "this notice is resolved", "resolved", {}};
        YOYAKU_TRY(store.insert_update(id, text, resolved, now));
        if (resolved) YOYAKU_TRY(store.update_resolved(id, now));
        YOYAKU_TRY_ASSIGN(const auto n, store.find(id));
        if (!n) return Error::internal("a notice just updated is not found");
        YOYAKU_TRY_ASSIGN(
            auto e,
            audit::append_platform(
                tx,
                actor,
                origin,
                {resolved ? "notice.resolved" : "notice.updated", "notice:" + to_string(id)},
                now
            )
        );
        YOYAKU_TRY(mail_managers(tx, *n, text, now));
        return *n;
    });
}

Result<Maintenance> NoticeService::maintenance() {
    return db_.read_platform([](Tx& tx) { return read_maintenance(tx); });
}

Result<Maintenance> NoticeService::set_maintenance(
    bool on,
    int retry_after_s,
    std::string_view message,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (retry_after_s < 60 || retry_after_s > 86400)
        return Error::invalid("retry_after_s", "must be between 60 and 86400");
    auto text = text::check_line(message.empty() ? std::string_view("-") : message, 1, 500);
    if (!text.value) return Error::invalid("message", text.problem);
    const Instant now = clock_.now();
    auto done = db_.write_platform([&](Tx& tx) -> Result<Maintenance> {
        auto before = read_maintenance(tx);
        if (!before) return before;
        Maintenance m{
            on,
            retry_after_s,
            message.empty() ? "" : *text.value,
            on ? (before->on ? before->since : now) : std::nullopt};
        boost::json::object v{
            {"on", m.on}, {"retry_after_s", m.retry_after_s}, {"message", m.message}};
        if (m.since) v["since"] = to_micros(*m.since);
        YOYAKU_TRY(
            tenants::PlatformSettingStore(tx).upsert("maintenance", boost::json::serialize(v), now)
        );
        YOYAKU_TRY_ASSIGN(
            auto e,
            audit::append_platform(
                tx,
                actor,
                origin,
                {on ? "maintenance.on" : "maintenance.off",
                 "platform:maintenance",
                 "success",
                 "{\"retry_after_s\":" + std::to_string(retry_after_s) + "}"},
                now
            )
        );
        return m;
    });
    if (done && options_.state) (void)options_.state->reload(db_);
    return done;
}

Result<void> MaintenanceState::reload(storage::Database& db) {
    auto m = db.read_platform([](Tx& tx) { return read_maintenance(tx); });
    if (!m) return fail(std::move(m).error());
    {
        std::lock_guard lock(mu_);
        message_ = m->message;
    }
    retry_after_.store(m->retry_after_s, std::memory_order_relaxed);
    on_.store(m->on, std::memory_order_relaxed);
    return {};
}

std::string MaintenanceState::message() const {
    std::lock_guard lock(mu_);
    return message_;
}

}  // namespace yoyaku::notices

#include "domain/tenants/tenants.hpp"

#include <array>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::tenants {
namespace {

using storage::Tx;

// Codes that would collide with the platform's own paths or mislead users.
constexpr std::array<std::string_view, 13> kReserved = {
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "help",
    "kiosk",
    "login",
    "operator",
    "static",
    "status",
    "support",
    "www"};

}  // namespace

std::string_view to_string(Status s) noexcept {
    switch (s) {
        case Status::active:
            return "active";
        case Status::suspended:
            return "suspended";
        case Status::terminated:
            return "terminated";
    }
    return "suspended";
}

std::optional<Status> parse_status(std::string_view s) noexcept {
    if (s == "active") return Status::active;
    if (s == "suspended") return Status::suspended;
    if (s == "terminated") return Status::terminated;
    return std::nullopt;
}

Result<NewTenant> validate(NewTenant t) {
    const auto& c = t.code;
    bool ok = c.size() >= 2 && c.size() <= 32 && c.front() != '-' && c.back() != '-';
    for (char ch : c)
        ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-');
    if (!ok)
        return Error::invalid(
            "code", "must be 2 to 32 of a-z, 0-9 and '-', not starting or ending with '-'"
        );
    for (auto r : kReserved)
        if (c == r) return Error::invalid("code", "is reserved");
    auto name = text::check_line(t.name, 1, 200);
    if (!name.value) return Error::invalid("name", name.problem);
    t.name = std::move(*name.value);
    if (t.time_zone.size() > 64 || !is_known_zone(t.time_zone))
        return Error::invalid("time_zone", "must be an IANA time zone such as Asia/Tokyo");
    if (t.locale != "ja" && t.locale != "en") return Error::invalid("locale", "must be ja or en");
    return t;
}

Result<Tenant> TenantService::create(
    const NewTenant& input,
    const audit::Actor& actor,
    const audit::Origin& origin,
    const std::function<Result<void>(storage::Tx&, const Tenant&)>& also
) {
    auto t = validate(input);
    if (!t) return fail(std::move(t).error());
    const Instant now = clock_.now();
    return db_.write_platform([&](Tx& tx) -> Result<Tenant> {
        auto row = PlatformTenantStore(tx).insert(*t, now);
        if (!row) {
            auto e = std::move(row).error();
            if (e.code == Errc::conflict)
                return Error{Errc::conflict, "this code is taken", "code", e.detail};
            return e;
        }
        Tenant created = std::move(*row);
        const audit::Event event{
            "tenant.created",
            "tenant:" + std::to_string(created.id.value),
            "success",
            boost::json::serialize(boost::json::object{{"code", created.code}})};
        YOYAKU_TRY(audit::append_platform(tx, actor, origin, event, now));
        // The tenant's own chain starts with its creation, in the same transaction.
        YOYAKU_TRY(tx.enter_scope(created.id));
        storage::ScopedTx scoped(tx, storage::TenantScope(created.id));
        YOYAKU_TRY(audit::append(scoped, actor, origin, event, now));
        if (also) YOYAKU_TRY(also(tx, created));
        return created;
    });
}

Result<Tenant> TenantService::find_by_code(std::string_view code) {
    return db_.read_platform([&](Tx& tx) {
        return PlatformTenantStore(tx).find_by_code(std::string(code));
    });
}

Result<Tenant> TenantService::find_by_id(TenantId id) {
    return db_.read_platform([&](Tx& tx) { return PlatformTenantStore(tx).find_by_id(id); });
}

Result<std::vector<Tenant>> TenantService::list() {
    return db_.read_platform([&](Tx& tx) -> Result<std::vector<Tenant>> {
        return PlatformTenantStore(tx).list();
    });
}

Result<Tenant> TenantService::change_status(
    TenantId id,
    Status to,
    std::string_view reason,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto why = text::check_line(reason, 1, 500);
    if (!why.value) return Error::invalid("reason", why.problem);
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(id), [&](storage::ScopedTx& stx) -> Result<Tenant> {
        auto current = PlatformTenantStore(stx.tx()).find_by_id(id);
        if (!current) return current;
        if (current->status == Status::terminated)
            return Error{
                Errc::unprocessable, "a terminated tenant cannot change status", "status", {}};
        if (current->status == to) return current;
        // Terminating starts the day count to the purge (S15).
        YOYAKU_TRY(PlatformTenantStore(stx.tx()).update_status(id, to, now));
        const char* action = to == Status::active      ? "tenant.reactivated"
                             : to == Status::suspended ? "tenant.suspended"
                                                       : "tenant.terminated";
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {action,
             "tenant:" + std::to_string(id.value),
             "success",
             boost::json::serialize(boost::json::object{
                 {"from", to_string(current->status)},
                 {"to", to_string(to)},
                 {"reason", *why.value}})},
            now
        ));
        current->status = to;
        return current;
    });
}

}  // namespace yoyaku::tenants

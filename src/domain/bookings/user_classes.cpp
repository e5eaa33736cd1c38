// User classes (利用者区分, ADR 0012): price factors and booking windows per class of customer,
// set by the tenant, applied on the booking engine's write path.

#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/bookings/internal.hpp"

namespace yoyaku::bookings {
namespace {

using storage::Row;
using storage::ScopedTx;

constexpr std::string_view kClassColumns = "id, name, price_percent, opens_before_minutes";

UserClass class_from(const Row& r) {
    UserClass c;
    c.id = r.i64(0);
    c.name = r.text(1);
    c.price_percent = static_cast<int>(r.i64(2));
    if (!r.is_null(3)) c.opens_before_minutes = static_cast<int>(r.i64(3));
    return c;
}

Result<UserClass> load_class(ScopedTx& stx, std::int64_t id) {
    auto rows = stx.tx().query(
        "SELECT " + std::string(kClassColumns) +
            " FROM user_classes WHERE tenant_id = $1 AND id = $2",
        stx.tenant_id().value,
        id
    );
    if (!rows) return fail(std::move(rows).error());
    if (rows->empty()) return Error::not_found("no such user class");
    return class_from(rows->front());
}

std::string class_details(const UserClass& c) {
    return boost::json::serialize(boost::json::object{
        {"price_percent", c.price_percent},
        {"opens_before_minutes",
         c.opens_before_minutes ? boost::json::value(*c.opens_before_minutes) : nullptr}});
}

}  // namespace

namespace detail {

Result<int> apply_user_class(ScopedTx& stx, std::optional<std::int64_t> account_id, Offering& o) {
    if (!account_id) return 100;
    auto row = stx.tx().query(
        "SELECT c.price_percent, c.opens_before_minutes FROM accounts a JOIN user_classes c ON "
        "c.id = a.user_class_id AND c.tenant_id = a.tenant_id WHERE a.tenant_id = $1 AND a.id = "
        "$2",
        stx.tenant_id().value,
        *account_id
    );
    if (!row) return fail(std::move(row).error());
    if (row->empty()) return 100;
    if (!row->front().is_null(1)) {
        const int opens = static_cast<int>(row->front().i64(1));
        // A window that opens before the offering closes it; otherwise the offering's.
        if (opens > o.closes_before_minutes) o.opens_before_minutes = opens;
    }
    return static_cast<int>(row->front().i64(0));
}

Result<Plan> member_plan(
    ScopedTx& stx,
    Offering o,
    std::optional<std::int64_t> account_id,
    const Selection& sel,
    Instant now
) {
    auto percent = apply_user_class(stx, account_id, o);
    if (!percent) return fail(std::move(percent).error());
    auto plan = plan_for(stx, o, sel, now);
    if (!plan) return plan;
    plan->total = priced(plan->total, *percent);
    return plan;
}

std::string tickets_text(const std::map<std::string, int>& tickets) {
    boost::json::object o;
    for (const auto& [code, n] : tickets) o[code] = n;
    return boost::json::serialize(o);
}

}  // namespace detail

Result<std::vector<UserClass>> BookingService::user_classes(TenantId tenant) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<UserClass>> {
            auto rows = stx.tx().query(
                "SELECT " + std::string(kClassColumns) +
                    " FROM user_classes WHERE tenant_id = $1 ORDER BY id",
                stx.tenant_id().value
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<UserClass> out;
            for (const auto& r : *rows) out.push_back(class_from(r));
            return out;
        }
    );
}

Result<UserClass> BookingService::save_user_class(
    TenantId tenant, const UserClass& given, const audit::Actor& actor, const audit::Origin& origin
) {
    UserClass in = given;
    auto name = text::check_line(in.name, 1, 100);
    if (!name.value) return Error::invalid("name", name.problem);
    in.name = *name.value;
    if (in.price_percent < 0 || in.price_percent > 1000)
        return Error::invalid("price_percent", "must be 0 to 1000");
    if (in.opens_before_minutes &&
        (*in.opens_before_minutes < 0 || *in.opens_before_minutes > 1051200))
        return Error::invalid("opens_before_minutes", "must be 0 to 1051200 (two years)");
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<UserClass> {
        const auto t = stx.tenant_id().value;
        const storage::Value opens =
            in.opens_before_minutes
                ? storage::Value(static_cast<std::int64_t>(*in.opens_before_minutes))
                : storage::Value();
        std::int64_t id = in.id;
        if (id == 0) {
            auto row = stx.tx().query_one(
                "INSERT INTO user_classes(tenant_id, name, price_percent, opens_before_minutes, "
                "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                t,
                in.name,
                static_cast<std::int64_t>(in.price_percent),
                opens,
                to_micros(now)
            );
            if (!row) return fail(std::move(row).error());
            id = row->i64(0);
        } else {
            auto changed = stx.tx().exec(
                "UPDATE user_classes SET name = $3, price_percent = $4, opens_before_minutes = $5 "
                "WHERE tenant_id = $1 AND id = $2",
                t,
                id,
                in.name,
                static_cast<std::int64_t>(in.price_percent),
                opens
            );
            if (!changed) return fail(std::move(changed).error());
            if (*changed != 1) return Error::not_found("no such user class");
        }
        auto c = load_class(stx, id);
        if (!c) return c;
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {in.id == 0 ? "user_class.created" : "user_class.updated",
             "user_class:" + std::to_string(id),
             "success",
             class_details(*c)},
            now
        ));
        return c;
    });
}

Result<void> BookingService::delete_user_class(
    TenantId tenant, std::int64_t id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        const auto t = stx.tenant_id().value;
        YOYAKU_TRY(load_class(stx, id));
        YOYAKU_TRY(stx.tx().exec(
            "UPDATE accounts SET user_class_id = NULL WHERE tenant_id = $1 AND user_class_id = $2",
            t,
            id
        ));
        YOYAKU_TRY(stx.tx().exec("DELETE FROM user_classes WHERE tenant_id = $1 AND id = $2", t, id)
        );
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"user_class.deleted", "user_class:" + std::to_string(id)}, now
        ));
        return {};
    });
}

Result<std::map<std::int64_t, std::int64_t>> BookingService::customer_classes(TenantId tenant) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::map<std::int64_t, std::int64_t>> {
            auto rows = stx.tx().query(
                "SELECT id, user_class_id FROM accounts WHERE tenant_id = $1 AND role = "
                "'customer' AND user_class_id IS NOT NULL",
                stx.tenant_id().value
            );
            if (!rows) return fail(std::move(rows).error());
            std::map<std::int64_t, std::int64_t> out;
            for (const auto& r : *rows) out[r.i64(0)] = r.i64(1);
            return out;
        }
    );
}

Result<void> BookingService::set_user_class(
    TenantId tenant,
    std::int64_t account_id,
    std::optional<std::int64_t> class_id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        const auto t = stx.tenant_id().value;
        if (class_id && !load_class(stx, *class_id))
            return Error::invalid("user_class_id", "no user class has this id");
        auto changed = stx.tx().exec(
            "UPDATE accounts SET user_class_id = $3 WHERE tenant_id = $1 AND id = $2 AND role = "
            "'customer'",
            t,
            account_id,
            class_id ? storage::Value(*class_id) : storage::Value()
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1) return Error::not_found("no such customer");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"account.user_class_changed",
             "account:" + std::to_string(account_id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"user_class_id", class_id ? boost::json::value(*class_id) : nullptr}})},
            now
        ));
        return {};
    });
}

}  // namespace yoyaku::bookings

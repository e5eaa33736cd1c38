#include "domain/resources/resource_store.hpp"

#include <boost/json.hpp>
#include <map>

namespace yoyaku::resources {
namespace {

using namespace std::chrono;

constexpr std::string_view kColumns =
    "id, tenant_id, kind, name, description, units, seats, buffer_before_minutes, "
    "buffer_after_minutes, closed_on_holidays, account_id, status, weekly_hours, created_at, "
    "updated_at, divisions";

DayHours day_from(const boost::json::value& v) {
    DayHours d;
    if (const auto* a = v.if_array())
        for (const auto& pair : *a)
            if (const auto* p = pair.if_array(); p && p->size() == 2)
                d.push_back(
                    {static_cast<int>(p->at(0).to_number<std::int64_t>()),
                     static_cast<int>(p->at(1).to_number<std::int64_t>())}
                );
    return d;
}

WeeklyHours week_from(const std::string& text) {
    WeeklyHours w;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return w;
    const auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size() && i < 7; ++i) w[i] = day_from(a[i]);
    return w;
}

std::vector<Division> divisions_from(const std::string& text) {
    std::vector<Division> out;
    boost::system::error_code ec;
    const auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.get_array()) {
        const auto* o = item.if_object();
        if (!o) continue;
        auto str = [&](const char* key) {
            const auto* x = o->if_contains(key);
            return x && x->is_string() ? std::string(x->get_string()) : std::string();
        };
        Division d;
        d.code = str("code");
        d.name = str("name");
        d.days = parse_day_type(str("days")).value_or(DayType::every_day);
        d.starts = str("starts");
        d.ends = str("ends");
        if (const auto* p = o->if_contains("price_jpy"); p && p->is_int64())
            d.price_jpy = p->get_int64();
        out.push_back(std::move(d));
    }
    return out;
}

Resource resource_from(const storage::Row& r) {
    Resource x;
    x.id = r.id<ResourceId>("id");
    x.tenant = r.id<TenantId>("tenant_id");
    x.kind = parse_kind(r.text("kind")).value_or(Kind::room);
    x.name = r.text("name");
    x.description = r.text("description");
    x.units = r.i32("units");
    x.seats = r.opt_i32("seats");
    x.buffer_before = minutes(r.i64("buffer_before_minutes"));
    x.buffer_after = minutes(r.i64("buffer_after_minutes"));
    x.closed_on_holidays = r.i64("closed_on_holidays") != 0;
    x.account_id = r.opt_id<AccountId>("account_id");
    x.archived = r.text("status") == "archived";
    x.hours = week_from(r.text("weekly_hours"));
    x.divisions = divisions_from(r.text("divisions"));
    x.created_at = from_micros(r.i64("created_at"));
    x.updated_at = from_micros(r.i64("updated_at"));
    return x;
}

// $1 tenant, $2–$11 the input's columns in table order, $12 the time of the change, $13 the
// divisions.
std::vector<storage::Value> row_values(TenantId tenant, const ResourceInput& in, Instant now) {
    auto number = [](std::int64_t v) { return storage::Value(v); };
    return {
        number(tenant.value),
        std::string(to_string(in.kind)),
        in.name,
        in.description,
        number(in.units),
        in.seats ? number(*in.seats) : storage::Value(),
        number(in.buffer_before_minutes),
        number(in.buffer_after_minutes),
        number(in.closed_on_holidays),
        storage::to_value(in.account_id),
        hours_json(in.hours),
        number(to_micros(now)),
        divisions_json(in.divisions)};
}

}  // namespace

std::string hours_json(const DayHours& day) {
    boost::json::array a;
    for (const auto& i : day) a.push_back(boost::json::array{i.opens, i.closes});
    return boost::json::serialize(a);
}

std::string divisions_json(const std::vector<Division>& divisions) {
    boost::json::array a;
    for (const auto& d : divisions)
        a.push_back(
            {{"code", d.code},
             {"name", d.name},
             {"days", to_string(d.days)},
             {"starts", d.starts},
             {"ends", d.ends},
             {"price_jpy", d.price_jpy}}
        );
    return boost::json::serialize(a);
}

std::string hours_json(const WeeklyHours& week) {
    boost::json::array a;
    for (const auto& d : week) a.push_back(boost::json::parse(hours_json(d)));
    return boost::json::serialize(a);
}

Result<Resource> ResourceStore::find(ResourceId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) + " FROM resources WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return Error::not_found("no such resource");
    auto r = resource_from(rows.front());
    YOYAKU_TRY_ASSIGN(
        const auto parts,
        stx_.tx().query(
            "SELECT part_id FROM resource_parts WHERE tenant_id = $1 AND hall_id = $2 ORDER BY part_id",
            stx_.tenant_id(),
            id
        )
    );
    for (const auto& p : parts) r.parts.push_back(p.id<ResourceId>("part_id"));
    return r;
}

Result<std::vector<Resource>> ResourceStore::list(bool include_archived) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM resources WHERE tenant_id = $1 AND (status = 'active' OR $2 = 1) ORDER BY id",
            stx_.tenant_id(),
            static_cast<std::int64_t>(include_archived)
        )
    );
    std::vector<Resource> out;
    std::map<ResourceId, std::size_t> at;
    for (const auto& r : rows) {
        at[r.id<ResourceId>("id")] = out.size();
        out.push_back(resource_from(r));
    }
    YOYAKU_TRY_ASSIGN(
        const auto parts,
        stx_.tx().query(
            "SELECT hall_id, part_id FROM resource_parts WHERE tenant_id = $1 ORDER BY hall_id, part_id",
            stx_.tenant_id()
        )
    );
    for (const auto& p : parts)
        if (const auto it = at.find(p.id<ResourceId>("hall_id")); it != at.end())
            out[it->second].parts.push_back(p.id<ResourceId>("part_id"));
    return out;
}

Result<std::vector<ResourceId>> ResourceStore::list_halls_of(ResourceId id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT hall_id FROM resource_parts WHERE tenant_id = $1 AND part_id = $2 ORDER BY hall_id",
            stx_.tenant_id(),
            id
        )
    );
    std::vector<ResourceId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<ResourceId>("hall_id"));
    return out;
}

Result<Resource> ResourceStore::insert(const ResourceInput& in, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO resources(tenant_id, kind, name, description, units, seats, buffer_before_minutes, buffer_after_minutes, closed_on_holidays, account_id, weekly_hours, updated_at, created_at, divisions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING " +
                std::string(kColumns),
            std::span<const storage::Value>(row_values(stx_.tenant_id(), in, now))
        )
    );
    return resource_from(row);
}

Result<Resource> ResourceStore::update(ResourceId id, const ResourceInput& in, Instant now) {
    auto values = row_values(stx_.tenant_id(), in, now);
    values.push_back(storage::to_value(id));
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "UPDATE resources SET kind = $2, name = $3, description = $4, units = $5, seats = $6, buffer_before_minutes = $7, buffer_after_minutes = $8, closed_on_holidays = $9, account_id = $10, weekly_hours = $11, updated_at = $12, divisions = $13 WHERE tenant_id = $1 AND id = $14 RETURNING " +
                std::string(kColumns),
            std::span<const storage::Value>(values)
        )
    );
    if (rows.empty()) return Error::not_found("no such resource");
    return resource_from(rows.front());
}

Result<void> ResourceStore::update_archived(ResourceId id, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE resources SET status = 'archived', updated_at = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        to_micros(now)
    ));
    return {};
}

Result<void> ResourceStore::replace_parts(ResourceId hall, const std::vector<ResourceId>& parts) {
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM resource_parts WHERE tenant_id = $1 AND hall_id = $2", stx_.tenant_id(), hall
    ));
    for (const auto id : parts)
        YOYAKU_TRY(stx_.tx().exec(
            "INSERT INTO resource_parts(tenant_id, hall_id, part_id) VALUES ($1, $2, $3)",
            stx_.tenant_id(),
            hall,
            id
        ));
    return {};
}

Result<std::vector<DateException>> ResourceExceptionStore::list(
    ResourceId resource_id, year_month_day from, year_month_day to
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT day, hours, note FROM resource_exceptions WHERE tenant_id = $1 AND resource_id = $2 AND day >= $3 AND day <= $4 ORDER BY day",
            stx_.tenant_id(),
            resource_id,
            format_date(from),
            format_date(to)
        )
    );
    std::vector<DateException> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        boost::system::error_code ec;
        auto v = boost::json::parse(r.text("hours"), ec);
        out.push_back({*parse_date(r.text("day")), ec ? DayHours{} : day_from(v), r.text("note")});
    }
    return out;
}

Result<void> ResourceExceptionStore::upsert(ResourceId resource_id, const DateException& e) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO resource_exceptions(tenant_id, resource_id, day, hours, note) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, resource_id, day) DO UPDATE SET hours = excluded.hours, note = excluded.note",
        stx_.tenant_id(),
        resource_id,
        format_date(e.date),
        hours_json(e.hours),
        e.note
    ));
    return {};
}

Result<bool> ResourceExceptionStore::remove(ResourceId resource_id, year_month_day date) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "DELETE FROM resource_exceptions WHERE tenant_id = $1 AND resource_id = $2 AND day = $3",
            stx_.tenant_id(),
            resource_id,
            format_date(date)
        )
    );
    return n > 0;
}

}  // namespace yoyaku::resources

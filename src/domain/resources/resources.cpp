#include "domain/resources/resources.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <map>
#include <span>

#include "core/text.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/calendar/holidays.hpp"
#include "domain/resources/resource_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::resources {
namespace {

using namespace std::chrono;
using storage::ScopedTx;
using storage::Tx;

constexpr std::array<std::string_view, 4> kKinds = {"room", "facility", "equipment", "staff"};
std::string target(ResourceId id) {
    return "resource:" + to_string(id);
}

// A hall's parts: live rooms or facilities of one unit, themselves undivided; a hall is one
// unit and no part of another hall. Sorted ascending (the order their usage is locked in).
Result<void> check_parts(ScopedTx& stx, ResourceInput& in, std::optional<ResourceId> self) {
    if (in.parts.empty()) return {};
    if (in.parts.size() < 2 || in.parts.size() > 20)
        return Error::invalid("parts", "a divided hall has 2 to 20 parts");
    if (in.kind != Kind::room && in.kind != Kind::facility)
        return Error::invalid("parts", "only a room or facility is divided");
    if (in.units != 1) return Error::invalid("units", "a divided hall is one unit");
    if (self) {
        YOYAKU_TRY_ASSIGN(auto halls, halls_of(stx, *self));
        if (!halls.empty()) return Error::invalid("parts", "a part of a hall is not divided");
    }
    for (std::size_t i = 0; i < in.parts.size(); ++i) {
        const std::string f = "parts[" + std::to_string(i) + "]";
        const auto id = in.parts[i];
        if (self && id == *self) return Error::invalid(f, "a hall is not its own part");
        for (std::size_t k = 0; k < i; ++k)
            if (in.parts[k] == id) return Error::invalid(f, "is named twice");
        auto p = load_resource(stx, id);
        if (!p || p->archived) return Error::invalid(f, "no live resource has this id");
        if ((p->kind != Kind::room && p->kind != Kind::facility) || p->units != 1)
            return Error::invalid(f, "must be a room or facility of one unit");
        if (!p->parts.empty()) return Error::invalid(f, "is itself divided");
    }
    std::sort(in.parts.begin(), in.parts.end());
    return {};
}

Result<ResourceInput> check(ScopedTx& stx, ResourceInput in, std::optional<ResourceId> self) {
    auto name = text::check_line(in.name, 1, 200);
    if (!name.value) return Error::invalid("name", name.problem);
    in.name = *name.value;
    if (text::code_points(in.description) > 2000 || text::has_control_chars(in.description, true))
        return Error::invalid("description", "must be at most 2000 characters of text");
    if (in.units < 1 || in.units > 100000) return Error::invalid("units", "must be 1 to 100000");
    if (in.kind != Kind::equipment && in.units != 1)
        return Error::invalid("units", "only equipment has more than one unit");
    if (in.seats && (*in.seats < 1 || *in.seats > 100000))
        return Error::invalid("seats", "must be 1 to 100000");
    if (in.buffer_before_minutes < 0 || in.buffer_before_minutes > 1440)
        return Error::invalid("buffer_before_minutes", "must be 0 to 1440");
    if (in.buffer_after_minutes < 0 || in.buffer_after_minutes > 1440)
        return Error::invalid("buffer_after_minutes", "must be 0 to 1440");
    static constexpr std::array<std::string_view, 7> kDays = {
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (std::size_t i = 0; i < 7; ++i)
        YOYAKU_TRY(check_day(in.hours[i], "hours." + std::string(kDays[i])));
    YOYAKU_TRY(check_parts(stx, in, self));
    if (!in.divisions.empty() && in.kind != Kind::room && in.kind != Kind::facility)
        return Error::invalid("divisions", "only a room or facility is rented by divisions");
    YOYAKU_TRY(check_divisions(in.divisions));
    if (in.account_id) {
        if (in.kind != Kind::staff)
            return Error::invalid("account_id", "only a staff resource names an account");
        YOYAKU_TRY_ASSIGN(
            const auto role, accounts::AccountStore(stx).role_of(AccountId{*in.account_id})
        );
        if (role != "manager" && role != "staff")
            return Error::invalid("account_id", "no staff member has this id");
    }
    return in;
}

}  // namespace

Result<Resource> load_resource(ScopedTx& stx, ResourceId id) {
    return ResourceStore(stx).find(id);
}

Result<std::vector<ResourceId>> halls_of(ScopedTx& stx, ResourceId id) {
    return ResourceStore(stx).list_halls_of(id);
}

Result<std::vector<DateException>> load_exceptions(
    ScopedTx& stx, ResourceId id, year_month_day from, year_month_day to
) {
    return ResourceExceptionStore(stx).list(id, from, to);
}

namespace {

std::string details(const Resource& r) {
    return boost::json::serialize(boost::json::object{
        {"kind", to_string(r.kind)},
        {"units", r.units},
        {"buffer_before_minutes", r.buffer_before.count()},
        {"buffer_after_minutes", r.buffer_after.count()},
        {"closed_on_holidays", r.closed_on_holidays},
        {"hours", boost::json::parse(hours_json(r.hours))},
        {"divisions", boost::json::parse(divisions_json(r.divisions))}});
}

}  // namespace

std::string_view to_string(Kind k) noexcept {
    return kKinds[static_cast<std::size_t>(k)];
}

std::optional<Kind> parse_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (kKinds[i] == s) return static_cast<Kind>(i);
    return std::nullopt;
}

std::optional<int> parse_hhmm(std::string_view t) {
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    int h = 0, m = 0;
    auto [p1, e1] = std::from_chars(t.data(), t.data() + 2, h);
    auto [p2, e2] = std::from_chars(t.data() + 3, t.data() + 5, m);
    if (e1 != std::errc{} || e2 != std::errc{} || p1 != t.data() + 2 || p2 != t.data() + 5)
        return std::nullopt;
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::string format_hhmm(int minutes_of_day) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes_of_day / 60, minutes_of_day % 60);
    return buf;
}

Result<void> check_day(const DayHours& day, const std::string& field) {
    if (day.size() > 8) return Error::invalid(field, "at most 8 intervals a day");
    int last = -1;
    for (const auto& i : day) {
        if (i.opens < 0 || i.closes > 1440 || i.opens >= i.closes)
            return Error::invalid(
                field, "each interval opens before it closes, within 00:00–24:00"
            );
        if (i.opens <= last)
            return Error::invalid(field, "intervals must be in order and not overlap or touch");
        last = i.closes;
    }
    return {};
}

namespace {

constexpr std::array<std::string_view, 3> kDayTypes = {"every_day", "weekday", "holiday"};

bool is_code(std::string_view s) {
    if (s.empty() || s.size() > 32) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool applies(const Division& d, DayType day) {
    return d.days == DayType::every_day || d.days == day;
}

}  // namespace

std::string_view to_string(DayType d) noexcept {
    return kDayTypes[static_cast<std::size_t>(d)];
}

std::optional<DayType> parse_day_type(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kDayTypes.size(); ++i)
        if (kDayTypes[i] == s) return static_cast<DayType>(i);
    return std::nullopt;
}

DayType day_type_of(year_month_day date) {
    const unsigned iso = weekday{local_days{date}}.iso_encoding();
    return iso >= 6 || calendar::japanese_holiday(date) ? DayType::holiday : DayType::weekday;
}

int Division::start_minute() const {
    return parse_hhmm(starts).value_or(0);
}

int Division::end_minute() const {
    return parse_hhmm(ends).value_or(0);
}

Result<void> check_divisions(std::vector<Division>& divisions) {
    if (divisions.size() > 12) return Error::invalid("divisions", "at most 12 divisions");
    for (std::size_t i = 0; i < divisions.size(); ++i) {
        auto& d = divisions[i];
        const std::string f = "divisions[" + std::to_string(i) + "]";
        if (!is_code(d.code))
            return Error::invalid(f + ".code", "must be 1–32 of a-z, 0-9, _ and -");
        auto name = text::check_line(d.name, 1, 40);
        if (!name.value) return Error::invalid(f + ".name", name.problem);
        d.name = *name.value;
        const auto from = parse_hhmm(d.starts);
        const auto to = parse_hhmm(d.ends);
        if (!from || *from >= 1440) return Error::invalid(f + ".starts", "must be HH:MM");
        if (!to || *to <= *from) return Error::invalid(f + ".ends", "must be HH:MM after starts");
        if (d.price_jpy < 0 || d.price_jpy > 100'000'000)
            return Error::invalid(f + ".price_jpy", "must be 0 to 100000000");
    }
    for (const auto day : {DayType::weekday, DayType::holiday})
        for (std::size_t i = 0; i < divisions.size(); ++i)
            for (std::size_t k = 0; k < i; ++k) {
                const auto& a = divisions[i];
                const auto& b = divisions[k];
                if (!applies(a, day) || !applies(b, day)) continue;
                const std::string f = "divisions[" + std::to_string(i) + "]";
                if (a.code == b.code)
                    return Error::invalid(f + ".code", "is used twice on the same days");
                if (a.start_minute() < b.end_minute() && b.start_minute() < a.end_minute())
                    return Error::invalid(f + ".starts", "overlaps " + b.code);
            }
    std::stable_sort(divisions.begin(), divisions.end(), [](const auto& a, const auto& b) {
        return a.start_minute() < b.start_minute();
    });
    return {};
}

std::vector<Division> divisions_on(const std::vector<Division>& divisions, year_month_day date) {
    const auto day = day_type_of(date);
    std::vector<Division> out;
    for (const auto& d : divisions)
        if (applies(d, day)) out.push_back(d);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.start_minute() < b.start_minute();
    });
    return out;
}

std::optional<year_month_day> parse_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto [a, ea] = std::from_chars(t.data(), t.data() + 4, y);
    auto [b, eb] = std::from_chars(t.data() + 5, t.data() + 7, m);
    auto [c, ec] = std::from_chars(t.data() + 8, t.data() + 10, d);
    if (ea != std::errc{} || eb != std::errc{} || ec != std::errc{} || a != t.data() + 4 ||
        b != t.data() + 7 || c != t.data() + 10)
        return std::nullopt;
    const year_month_day ymd{year{y} / month{m} / day{d}};
    if (!ymd.ok() || y < 1970 || y > 9999) return std::nullopt;
    return ymd;
}

std::string format_date(year_month_day d) {
    char buf[32];
    std::snprintf(
        buf,
        sizeof buf,
        "%04d-%02u-%02u",
        static_cast<int>(d.year()),
        static_cast<unsigned>(d.month()),
        static_cast<unsigned>(d.day())
    );
    return buf;
}

std::vector<OpenPeriod> open_periods(
    const Resource& r,
    const std::vector<DateException>& exceptions,
    std::string_view zone,
    year_month_day from,
    year_month_day to
) {
    std::vector<OpenPeriod> out;
    for (auto day = local_days{from}; day <= local_days{to}; day += days{1}) {
        const year_month_day date{day};
        const DayHours* hours = nullptr;
        for (const auto& e : exceptions)
            if (e.date == date) hours = &e.hours;
        static const DayHours kClosed;
        if (!hours && r.closed_on_holidays && calendar::japanese_holiday(date)) hours = &kClosed;
        if (!hours) {
            const unsigned iso = weekday{day}.iso_encoding();  // Monday 1 … Sunday 7
            hours = &r.hours[iso - 1];
        }
        for (const auto& i : *hours) {
            const Instant start = from_local(local_seconds{day + minutes(i.opens)}, zone);
            const Instant end = from_local(local_seconds{day + minutes(i.closes)}, zone);
            if (start < end) out.push_back({date, start, end});
        }
    }
    return out;
}

Result<Resource> ResourceService::create(
    TenantId tenant,
    const ResourceInput& input,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return create_in(stx, input, actor, origin);
    });
}

Result<Resource> ResourceService::create_in(
    ScopedTx& stx,
    const ResourceInput& input,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    YOYAKU_TRY_ASSIGN(auto in, check(stx, input, std::nullopt));
    ResourceStore store(stx);
    YOYAKU_TRY_ASSIGN(auto r, store.insert(in, now));
    YOYAKU_TRY(store.replace_parts(r.id, in.parts));
    r.parts = in.parts;
    YOYAKU_TRY(audit::append(
        stx, actor, origin, {"resource.created", target(r.id), "success", details(r)}, now
    ));
    return r;
}

Result<Resource> ResourceService::update(
    TenantId tenant,
    ResourceId id,
    const ResourceInput& input,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Resource> {
        YOYAKU_TRY(load_resource(stx, id));
        YOYAKU_TRY_ASSIGN(auto in, check(stx, input, id));
        ResourceStore store(stx);
        YOYAKU_TRY_ASSIGN(auto r, store.update(id, in, now));
        YOYAKU_TRY(store.replace_parts(r.id, in.parts));
        r.parts = in.parts;
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"resource.updated", target(r.id), "success", details(r)}, now
        ));
        return r;
    });
}

Result<Resource> ResourceService::archive(
    TenantId tenant, ResourceId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Resource> {
        YOYAKU_TRY(load_resource(stx, id));
        YOYAKU_TRY(ResourceStore(stx).update_archived(id, now));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"resource.archived", target(id)}, now));
        return load_resource(stx, id);
    });
}

Result<Resource> ResourceService::find(TenantId tenant, ResourceId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return load_resource(stx, id);
    });
}

Result<std::vector<Resource>> ResourceService::list(TenantId tenant, bool include_archived) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return ResourceStore(stx).list(include_archived);
    });
}

Result<DateException> ResourceService::set_exception(
    TenantId tenant,
    ResourceId id,
    const DateException& e,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY(check_day(e.hours, "hours"));
    auto note = text::check_line(e.note.empty() ? std::string_view("-") : e.note, 1, 200);
    if (!note.value) return Error::invalid("note", note.problem);
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<DateException> {
        YOYAKU_TRY(load_resource(stx, id));
        YOYAKU_TRY(ResourceExceptionStore(stx).upsert(
            id, DateException{e.date, e.hours, e.note.empty() ? std::string() : *note.value}
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"resource.exception_set",
             target(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"date", format_date(e.date)}, {"hours", boost::json::parse(hours_json(e.hours))}}
             )},
            now
        ));
        return DateException{e.date, e.hours, e.note.empty() ? std::string() : *note.value};
    });
}

Result<void> ResourceService::remove_exception(
    TenantId tenant,
    ResourceId id,
    year_month_day date,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(load_resource(stx, id));
        YOYAKU_TRY_ASSIGN(const bool gone, ResourceExceptionStore(stx).remove(id, date));
        if (!gone) return Error::not_found("no exception on this date");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"resource.exception_removed",
             target(id),
             "success",
             boost::json::serialize(boost::json::object{{"date", format_date(date)}})},
            now
        ));
        return {};
    });
}

Result<std::vector<DateException>> ResourceService::exceptions(
    TenantId tenant, ResourceId id, year_month_day from, year_month_day to
) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<DateException>> {
            YOYAKU_TRY(load_resource(stx, id));
            return load_exceptions(stx, id, from, to);
        }
    );
}

Result<Calendar> ResourceService::calendar(
    TenantId tenant,
    ResourceId id,
    std::optional<year_month_day> from,
    std::optional<year_month_day> to
) {
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Calendar> {
        YOYAKU_TRY_ASSIGN(auto r, load_resource(stx, id));
        YOYAKU_TRY_ASSIGN(const auto profile, tenants::TenantStore(stx).find_profile());
        Calendar c;
        c.time_zone = profile.time_zone;
        c.from = from.value_or(year_month_day{floor<days>(to_local(now, c.time_zone))});
        c.to = to.value_or(year_month_day{local_days{c.from} + days{6}});
        if (local_days{c.to} < local_days{c.from})
            return Error::invalid("to", "must not be before from");
        if ((local_days{c.to} - local_days{c.from}).count() >= kMaxRangeDays)
            return Error::invalid("to", "at most 31 days at once");
        YOYAKU_TRY_ASSIGN(auto ex, load_exceptions(stx, id, c.from, c.to));
        c.exceptions = std::move(ex);
        c.open = open_periods(r, c.exceptions, c.time_zone, c.from, c.to);
        return c;
    });
}

}  // namespace yoyaku::resources

#pragma once
// Resources (SPEC "The booking domain"): rooms, facilities, equipment and staff members that
// offerings book. Each has how many bookings it takes at once (`units`: 1 for a room or a
// person, the stock count for equipment), how many people it holds (`seats`), buffers before
// and after each use, weekly opening hours in the tenant's zone, date exceptions (closed, or
// other hours), and whether Japan's national holidays close it. `open_periods` turns all of
// that into UTC intervals for a date range: the ground availability is computed on.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::resources {

enum class Kind { room, facility, equipment, staff };
std::string_view to_string(Kind k) noexcept;
std::optional<Kind> parse_kind(std::string_view s) noexcept;

/// [opens, closes) in minutes after local midnight; closes ≤ 1440.
struct Interval {
    int opens = 0;
    int closes = 0;
    friend bool operator==(const Interval&, const Interval&) = default;
};
using DayHours = std::vector<Interval>;
/// Monday first (index 0) to Sunday (6).
using WeeklyHours = std::array<DayHours, 7>;

/// Checks one day's intervals: each within 00:00–24:00 and non-empty, sorted, not
/// overlapping or touching, at most 8. Errors: invalid_input on `field`.
Result<void> check_day(const DayHours& day, const std::string& field);
/// "HH:MM" → minutes (00:00–24:00). nullopt when malformed.
std::optional<int> parse_hhmm(std::string_view text);
std::string format_hhmm(int minutes);

/// Which days a time division applies on: every day, weekdays (Monday to Friday, not a national
/// holiday), or weekends and holidays (Saturday, Sunday and national holidays).
enum class DayType { every_day, weekday, holiday };
std::string_view to_string(DayType d) noexcept;
std::optional<DayType> parse_day_type(std::string_view s) noexcept;
/// weekday or holiday: what `date` is.
DayType day_type_of(std::chrono::year_month_day date);

/// A time division (利用区分) a room or facility is rented by, e.g. 午前 09:00–12:00 at
/// 3,000 yen on weekdays. A rental by divisions books one or more consecutive divisions of a
/// date (ADR 0023).
struct Division {
    std::string code;  ///< [a-z0-9_-]{1,32}
    std::string name;  ///< 1–40 characters
    DayType days = DayType::every_day;
    std::string starts;  ///< "HH:MM", local time
    std::string ends;    ///< "HH:MM" (24:00 at most), after starts
    std::int64_t price_jpy = 0;
    /// starts and ends in minutes after local midnight (filled in by check_divisions).
    int start_minute() const;
    int end_minute() const;
};
/// At most 12; on weekdays (every_day and weekday ones) and on holidays (every_day and
/// holiday ones) codes are unique and times do not overlap (they may touch). Sorts by start.
/// Errors: invalid_input on "divisions[i].field".
Result<void> check_divisions(std::vector<Division>& divisions);
/// The divisions that apply on `date`, by start.
std::vector<Division> divisions_on(
    const std::vector<Division>& divisions, std::chrono::year_month_day date
);

struct Resource {
    ResourceId id;
    TenantId tenant{0};
    Kind kind = Kind::room;
    std::string name;
    std::string description;
    int units = 1;
    std::optional<int> seats;
    std::chrono::minutes buffer_before{0};
    std::chrono::minutes buffer_after{0};
    bool closed_on_holidays = false;
    std::optional<AccountId> account_id;  ///< the staff member's account (kind staff)
    bool archived = false;
    WeeklyHours hours;
    /// A divisible hall's parts (rooms or facilities, ascending ids); booking the whole blocks
    /// every part and any part blocks the whole.
    std::vector<ResourceId> parts;
    std::vector<Division> divisions;  ///< rooms and facilities rented by time division
    Instant created_at{};
    Instant updated_at{};
};

struct ResourceInput {
    Kind kind = Kind::room;
    std::string name;
    std::string description;
    int units = 1;
    std::optional<int> seats;
    int buffer_before_minutes = 0;
    int buffer_after_minutes = 0;
    bool closed_on_holidays = false;
    std::optional<AccountId> account_id;
    WeeklyHours hours;
    std::vector<ResourceId> parts;    ///< none, or 2–20 undivided rooms/facilities of one unit
    std::vector<Division> divisions;  ///< rooms and facilities only
};

/// A date with other hours than the week's (empty hours: closed all day).
struct DateException {
    std::chrono::year_month_day date;
    DayHours hours;
    std::string note;
};

/// One open interval of a resource on a local date, as UTC instants.
struct OpenPeriod {
    std::chrono::year_month_day date;
    Instant start{};
    Instant end{};
};

/// What a resource's calendar shows for a range of local dates.
struct Calendar {
    std::string time_zone;
    std::chrono::year_month_day from;
    std::chrono::year_month_day to;
    std::vector<OpenPeriod> open;
    std::vector<DateException> exceptions;
};

/// The longest range open_periods and availability cover at once.
inline constexpr int kMaxRangeDays = 31;

/// The open intervals of `r` on the local dates from..to (inclusive) in `zone`: the date's
/// exception if any, else closed on a national holiday when the resource says so, else the
/// weekday's hours; local times converted across DST (a skipped time maps to the jump).
std::vector<OpenPeriod> open_periods(
    const Resource& r,
    const std::vector<DateException>& exceptions,
    std::string_view zone,
    std::chrono::year_month_day from,
    std::chrono::year_month_day to
);

class ResourceService {
public:
    ResourceService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// Errors: invalid_input naming the field (name 1–200, description ≤ 2000, units
    /// 1–100000, seats 1–100000, buffers 0–1440, hours, account_id not a staff member of the
    /// tenant), not_found.
    Result<Resource> create(
        TenantId tenant,
        const ResourceInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The same inside the caller's transaction (an import of many, all or nothing).
    Result<Resource> create_in(
        storage::ScopedTx& stx,
        const ResourceInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Replaces every field. Errors: as create; not_found.
    Result<Resource> update(
        TenantId tenant,
        ResourceId id,
        const ResourceInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Archived resources take no new bookings and leave lists unless asked for.
    Result<Resource> archive(
        TenantId tenant, ResourceId id, const audit::Actor& actor, const audit::Origin& origin
    );
    Result<Resource> find(TenantId tenant, ResourceId id);
    Result<std::vector<Resource>> list(TenantId tenant, bool include_archived);

    /// Sets (or replaces) the exception of one date. Errors: invalid_input on hours or note
    /// (≤ 200), not_found.
    Result<DateException> set_exception(
        TenantId tenant,
        ResourceId id,
        const DateException& e,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Errors: not_found when the resource or the exception does not exist.
    Result<void> remove_exception(
        TenantId tenant,
        ResourceId id,
        std::chrono::year_month_day date,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The exceptions between two dates (inclusive), in date order.
    Result<std::vector<DateException>> exceptions(
        TenantId tenant,
        ResourceId id,
        std::chrono::year_month_day from,
        std::chrono::year_month_day to
    );
    /// open_periods() of the resource in its tenant's zone, with the exceptions of those dates,
    /// read in one transaction. Without `from`: today in the tenant's zone; without `to`: six
    /// days after `from`. Errors: invalid_input on "to" (before from, or a range over
    /// kMaxRangeDays), not_found.
    Result<Calendar> calendar(
        TenantId tenant,
        ResourceId id,
        std::optional<std::chrono::year_month_day> from,
        std::optional<std::chrono::year_month_day> to
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

/// Inside a transaction of the resource's tenant (for the booking engine): one resource, and
/// its exceptions between two dates (inclusive). Errors: not_found.
Result<Resource> load_resource(storage::ScopedTx& stx, ResourceId id);
/// The halls `id` is a part of.
Result<std::vector<ResourceId>> halls_of(storage::ScopedTx& stx, ResourceId id);
Result<std::vector<DateException>> load_exceptions(
    storage::ScopedTx& stx,
    ResourceId id,
    std::chrono::year_month_day from,
    std::chrono::year_month_day to
);

/// "YYYY-MM-DD" ⇄ a date. nullopt when malformed or not a real date.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
std::string format_date(std::chrono::year_month_day d);

}  // namespace yoyaku::resources

#include "domain/bookings/booking_store.hpp"

#include <boost/json.hpp>
#include <limits>

#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace {

// " AND (…)" keeping only the bookings a staff scope covers: its offerings, or its resources
// as the staff member, rented resource or room ("" when it is not limited). An empty list
// holds 0, which no id is.
std::string scope_clause(std::vector<storage::Value>& params, const access::StaffScope& s) {
    if (!s.limited()) return "";
    std::vector<std::int64_t> offering_ids{0}, resource_ids{0};
    for (const auto o : s.offerings) offering_ids.push_back(o.value);
    for (const auto r : s.resources) resource_ids.push_back(r.value);
    const auto offerings = storage::append_list(params, offering_ids);
    const auto resources = storage::append_list(params, resource_ids);
    return " AND (offering_id IN (" + offerings + ") OR resource_id IN (" + resources +
           ") OR room_id IN (" + resources + "))";
}

using storage::Row;

constexpr std::string_view kColumns =
    "id, reference, offering_id, occurrence_id, status, seats, total_jpy, tickets, customer_sealed, created_at, starts_at, ends_at, resource_id, room_id, hold_expires_at, account_id, checked_in_at, capacity_taken, locale, revision, cancellation_fee_jpy, paid_at, series, payment_state, paid_jpy, refunded_jpy, awaiting_payment, fees, group_id, "
    "COALESCE((SELECT m.join_url FROM booking_meetings m WHERE m.tenant_id = bookings.tenant_id "
    "AND m.booking_id = bookings.id AND m.wanted = 1), (SELECT o.online_url FROM offerings o "
    "WHERE o.tenant_id = bookings.tenant_id AND o.id = bookings.offering_id)) AS meeting_url";

std::optional<Instant> opt_instant(const Row& r, std::string_view column) {
    if (r.is_null(column)) return std::nullopt;
    return from_micros(r.i64(column));
}

Result<Booking> booking_from(const Row& r, TenantId tenant, const crypto::TenantKeys& k) {
    Booking b;
    b.id = r.id<BookingId>("id");
    b.reference = r.text("reference");
    b.offering_id = r.id<OfferingId>("offering_id");
    b.occurrence_id = r.opt_id<OccurrenceId>("occurrence_id");
    b.status = parse_booking_status(r.text("status")).value_or(BookingStatus::confirmed);
    b.seats = r.i32("seats");
    b.total_jpy = r.i64("total_jpy");
    boost::system::error_code ec;
    auto t = boost::json::parse(r.text("tickets"), ec);
    if (!ec && t.is_object())
        for (const auto& [code, n] : t.get_object())
            if (n.is_int64()) b.tickets[std::string(code)] = static_cast<int>(n.get_int64());
    auto opened = k.open(r.blob("customer_sealed").bytes, detail::customer_context(tenant, b.id));
    if (!opened) return Error::internal("a booking's customer does not open");
    auto parsed = boost::json::parse(*opened, ec);
    if (ec || !parsed.is_object()) return Error::internal("a booking's customer is garbled");
    const auto& c = parsed.get_object();
    auto str = [&](const char* key) {
        const auto* v = c.if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    b.customer = {str("name"), str("email"), str("phone")};
    b.note = str("note");
    if (const auto* a = c.if_contains("answers"); a && a->is_object())
        for (const auto& [q, v] : a->get_object())
            if (v.is_string()) b.answers[std::string(q)] = std::string(v.get_string());
    b.created_at = from_micros(r.i64("created_at"));
    b.starts_at = from_micros(r.i64("starts_at"));
    b.ends_at = from_micros(r.i64("ends_at"));
    b.resource_id = r.opt_id<ResourceId>("resource_id");
    b.room_id = r.opt_id<ResourceId>("room_id");
    b.hold_expires_at = opt_instant(r, "hold_expires_at");
    b.account_id = r.opt_id<AccountId>("account_id");
    b.checked_in_at = opt_instant(r, "checked_in_at");
    b.locale = r.text("locale");
    b.revision = r.i32("revision");
    b.cancellation_fee_jpy = r.opt_i64("cancellation_fee_jpy");
    b.paid_at = opt_instant(r, "paid_at");
    b.series = r.opt_text("series");
    b.payment_state = parse_payment_state(r.text("payment_state")).value_or(PaymentState::unpaid);
    b.paid_jpy = r.i64("paid_jpy");
    b.refunded_jpy = r.i64("refunded_jpy");
    b.awaiting_payment = r.i64("awaiting_payment") != 0;
    b.fees = fees_from(r.text("fees"));
    b.group_id = r.opt_id<GroupId>("group_id");
    b.meeting_url = r.opt_text("meeting_url").value_or("");
    if (const auto taken = r.text("capacity_taken");
        taken.find("\"seat_ids\"") != std::string::npos)
        b.seat_ids = detail::taken_from(taken).seat_ids;
    return b;
}

}  // namespace

Result<Booking> BookingStore::one_booking(
    Result<std::vector<storage::Row>> rows, const crypto::TenantKeys& keys
) {
    if (!rows) return fail(std::move(rows).error());
    if (rows->empty()) return Error::not_found("no such booking");
    return booking_from(rows->front(), stx_.tenant_id(), keys);
}

Result<Booking> BookingStore::find_by_id(BookingId id, const crypto::TenantKeys& keys) {
    return one_booking(
        stx_.tx().query(
            "SELECT " + std::string(kColumns) + " FROM bookings WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        ),
        keys
    );
}

Result<Booking> BookingStore::find_by_reference(
    std::string_view reference, const crypto::TenantKeys& keys
) {
    return one_booking(
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM bookings WHERE tenant_id = $1 AND reference = $2",
            stx_.tenant_id(),
            std::string(reference)
        ),
        keys
    );
}

Result<std::string> BookingStore::find_capacity_taken(BookingId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT capacity_taken FROM bookings WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return std::string("{}");
    return rows.front().text("capacity_taken");
}

Result<std::vector<Booking>> BookingStore::list(
    const BookingFilter& f,
    const std::vector<std::string>& email_indexes,
    const crypto::TenantKeys& keys
) {
    auto params = storage::values(
        stx_.tenant_id(),
        f.from ? to_micros(*f.from) : std::numeric_limits<std::int64_t>::min(),
        f.to ? to_micros(*f.to) : std::numeric_limits<std::int64_t>::max(),
        f.status ? std::string(to_string(*f.status)) : std::string(),
        f.offering_id.value_or(OfferingId()).value,
        f.resource_id.value_or(ResourceId()).value,
        f.account_id.value_or(AccountId()).value,
        f.limit
    );
    // Without an address $9 is '' and matches everything; with one, $9… are its index under
    // each key generation.
    const auto list = storage::append_list(params, email_indexes);
    const auto within = scope_clause(params, f.within);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM bookings WHERE tenant_id = $1 AND starts_at >= $2 AND starts_at < $3 AND ($4 = '' OR status = $4) AND ($5 = 0 OR offering_id = $5) AND ($6 = 0 OR resource_id = $6 OR room_id = $6) AND ($7 = 0 OR account_id = $7) AND ($9 = '' OR email_index IN (" +
                list + "))" + within + " ORDER BY starts_at, id LIMIT $8",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<Booking> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        YOYAKU_TRY_ASSIGN(auto b, booking_from(r, stx_.tenant_id(), keys));
        out.push_back(std::move(b));
    }
    return out;
}

template <class IdT>
Result<std::vector<CustomerRow<IdT>>> list_customer_rows(
    storage::ScopedTx& stx,
    const storage::SealedColumn& column,
    AccountId account_id,
    const std::vector<std::string>& indexes
) {
    auto params = storage::values(stx.tenant_id());
    const auto whose = storage::append_customer_clause(params, account_id, indexes);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx.tx().query(
            "SELECT id, reference FROM " + std::string(column.table) + " WHERE tenant_id = $1" +
                whose,
            std::span<const storage::Value>(params)
        )
    );
    std::vector<CustomerRow<IdT>> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back({r.id<IdT>("id"), r.text("reference")});
    return out;
}
template Result<std::vector<CustomerRow<BookingId>>>
list_customer_rows(storage::ScopedTx&, const storage::SealedColumn&, AccountId, const std::vector<std::string>&);
template Result<std::vector<CustomerRow<WaitlistEntryId>>>
list_customer_rows(storage::ScopedTx&, const storage::SealedColumn&, AccountId, const std::vector<std::string>&);
template Result<std::vector<CustomerRow<LotteryEntryId>>>
list_customer_rows(storage::ScopedTx&, const storage::SealedColumn&, AccountId, const std::vector<std::string>&);

Result<std::vector<CustomerRow<BookingId>>> BookingStore::list_of_customer(
    AccountId account_id, const std::vector<std::string>& indexes
) {
    return list_customer_rows<BookingId>(stx_, kCustomer, account_id, indexes);
}

Result<std::int64_t> BookingStore::count_upcoming_of_customer(
    AccountId account_id, const std::vector<std::string>& indexes, Instant now
) {
    auto params = storage::values(stx_.tenant_id(), to_micros(now));
    const auto whose = storage::append_customer_clause(params, account_id, indexes);
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "SELECT count(*) AS upcoming FROM bookings WHERE tenant_id = $1 AND status IN ('held', 'pending', 'confirmed') AND ends_at > $2" +
                whose,
            std::span<const storage::Value>(params)
        )
    );
    return row.i64("upcoming");
}

Result<void> BookingStore::update_anonymised(
    BookingId id, const std::string& sealed, const std::string& index, Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET customer_sealed = $3, email_index = $4, account_id = NULL, updated_at = $5 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed},
        index,
        to_micros(now)
    ));
    return {};
}

Result<std::vector<BookingId>> BookingStore::list_ids_after(BookingId after, int limit) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id FROM bookings WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            stx_.tenant_id(),
            after,
            storage::to_value(limit)
        )
    );
    std::vector<BookingId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<BookingId>("id"));
    return out;
}

Result<std::vector<Instant>> BookingStore::list_customer_starts(
    const std::vector<std::string>& email_indexes,
    std::optional<AccountId> account_id,
    std::optional<BookingId> except,
    OfferingId offering_id,
    std::optional<ResourceId> on_resource
) {
    auto params = storage::values(
        stx_.tenant_id(),
        account_id.value_or(AccountId(-1)),
        except.value_or(BookingId(-1)),
        on_resource.has_value(),
        offering_id,
        on_resource.value_or(ResourceId(-1))
    );
    const auto list = storage::append_list(params, email_indexes);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT starts_at FROM bookings WHERE tenant_id = $1 AND (email_index IN (" + list +
                ") OR account_id = $2) AND status IN ('pending', 'confirmed', 'checked_in') AND id <> $3 AND (($4 = 0 AND offering_id = $5) OR ($4 = 1 AND resource_id = $6))",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<Instant> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_micros(r.i64("starts_at")));
    return out;
}

Result<std::vector<ResourceUse>> BookingStore::list_resource_uses(
    ResourceId resource_id, Instant from, Instant to
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT starts_at, ends_at, seats, status FROM bookings WHERE tenant_id = $1 AND resource_id = $2 AND starts_at < $3 AND ends_at > $4 UNION ALL SELECT starts_at, ends_at, seats, status FROM bookings WHERE tenant_id = $1 AND room_id = $2 AND starts_at < $3 AND ends_at > $4",
            stx_.tenant_id(),
            resource_id,
            to_micros(to),
            to_micros(from)
        )
    );
    std::vector<ResourceUse> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        ResourceUse u;
        u.starts_at = from_micros(r.i64("starts_at"));
        u.ends_at = from_micros(r.i64("ends_at"));
        u.seats = r.i32("seats");
        u.status = parse_booking_status(r.text("status")).value_or(BookingStatus::cancelled);
        out.push_back(u);
    }
    return out;
}

Result<std::vector<AccountId>> BookingStore::list_account_ids(const access::StaffScope& within) {
    auto params = storage::values(stx_.tenant_id());
    const auto clause = scope_clause(params, within);
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT DISTINCT account_id FROM bookings WHERE tenant_id = $1 AND account_id IS NOT NULL" +
                clause + " ORDER BY account_id",
            std::span<const storage::Value>(params)
        )
    );
    std::vector<AccountId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<AccountId>("account_id"));
    return out;
}

Result<BookingId> BookingStore::insert(const BookingRow& b) {
    using storage::to_value;
    const auto values = storage::values(
        stx_.tenant_id(),
        b.reference,
        b.offering_id,
        b.occurrence_id,
        b.status,
        b.seats,
        b.total_jpy,
        b.tickets_json,
        storage::Blob{},
        b.email_index,
        to_micros(b.created_at),
        to_micros(b.starts_at),
        to_micros(b.ends_at),
        b.resource_id,
        b.room_id,
        b.hold_expires_at ? storage::Value(to_micros(*b.hold_expires_at)) : storage::Value(),
        b.account_id,
        b.capacity_taken,
        b.locale.empty() ? storage::Value() : storage::Value(b.locale),
        b.payment_state,
        b.awaiting_payment ? 1 : 0,
        b.fees_json,
        b.group_id
    );
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO bookings(tenant_id, reference, offering_id, occurrence_id, status, seats, total_jpy, tickets, customer_sealed, email_index, created_at, updated_at, starts_at, ends_at, resource_id, room_id, hold_expires_at, account_id, capacity_taken, locale, payment_state, awaiting_payment, fees, group_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17, $18, coalesce(CAST($19 AS text), (SELECT locale FROM tenants WHERE id = $1)), $20, $21, $22, $23) RETURNING id",
            std::span<const storage::Value>(values)
        )
    );
    return row.id<BookingId>("id");
}

Result<void> BookingStore::update_customer_sealed(BookingId id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

Result<void> BookingStore::update_resource(
    BookingId id, std::optional<ResourceId> resource_id, const std::string& capacity_taken
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET resource_id = $3, capacity_taken = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        resource_id,
        capacity_taken
    ));
    return {};
}

Result<bool> BookingStore::update_status(
    BookingId id, BookingStatus from, BookingStatus to, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET status = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2 AND status = $3",
            stx_.tenant_id(),
            id,
            std::string(to_string(from)),
            std::string(to_string(to)),
            to_micros(now)
        )
    );
    return n == 1;
}

Result<bool> BookingStore::update_hold_kept(BookingId id, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET status = 'confirmed', hold_expires_at = NULL, updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'held'",
            stx_.tenant_id(),
            id,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<bool> BookingStore::update_cancelled(BookingId id, std::int64_t fee_jpy, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET status = 'cancelled', updated_at = $3, revision = revision + 1, cancellation_fee_jpy = $4 WHERE tenant_id = $1 AND id = $2 AND status IN ('confirmed', 'pending', 'held')",
            stx_.tenant_id(),
            id,
            to_micros(now),
            fee_jpy
        )
    );
    return n == 1;
}

Result<void> BookingStore::update_moved(BookingId id, const Moved& to, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET occurrence_id = $3, starts_at = $4, ends_at = $5, resource_id = $6, room_id = $7, capacity_taken = $8, total_jpy = $9, updated_at = $10, revision = revision + 1, fees = $11 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        to.occurrence_id,
        to_micros(to.starts_at),
        to_micros(to.ends_at),
        to.resource_id,
        to.room_id,
        to.capacity_taken,
        to.total_jpy,
        to_micros(now),
        to.fees_json
    ));
    return {};
}

Result<bool> BookingStore::update_checked_in(BookingId id, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE bookings SET status = 'checked_in', checked_in_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'confirmed'",
            stx_.tenant_id(),
            id,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<void> BookingStore::update_paid(BookingId id, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET paid_at = $3, updated_at = $3, payment_state = 'paid', paid_jpy = total_jpy WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        to_micros(now)
    ));
    return {};
}

Result<void> BookingStore::update_total(
    BookingId id, std::int64_t total_jpy, const std::string& fees_json
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET total_jpy = $3, fees = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        total_jpy,
        fees_json
    ));
    return {};
}

Result<void> BookingStore::update_series(BookingId id, const std::string& series) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE bookings SET series = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        series
    ));
    return {};
}

Result<std::vector<BookingId>> BookingStore::list_ids_by_series(const std::string& series) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id FROM bookings WHERE tenant_id = $1 AND series = $2 ORDER BY starts_at",
            stx_.tenant_id(),
            series
        )
    );
    std::vector<BookingId> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.id<BookingId>("id"));
    return out;
}

namespace detail {

std::string capacity_of(storage::ScopedTx& stx, BookingId id) {
    auto taken = BookingStore(stx).find_capacity_taken(id);
    return taken ? std::move(taken).value() : std::string("{}");
}

}  // namespace detail

Result<std::vector<CalendarEntry>> BookingStore::list_calendar_entries(
    std::optional<ResourceId> resource, std::optional<AccountId> account, Instant from, Instant to
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT b.reference AS reference, o.name AS offering_name, b.starts_at AS starts_at, b.ends_at AS ends_at, b.revision AS revision, b.updated_at AS updated_at FROM bookings b JOIN offerings o ON o.tenant_id = b.tenant_id AND o.id = b.offering_id WHERE b.tenant_id = $1 AND b.status IN ('confirmed', 'pending', 'checked_in') AND b.starts_at >= $2 AND b.starts_at < $3 AND (($4 <> 0 AND (b.resource_id = $4 OR b.room_id = $4)) OR ($5 <> 0 AND b.account_id = $5)) ORDER BY b.starts_at LIMIT 5000",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to),
            resource.value_or(ResourceId{}),
            account.value_or(AccountId{})
        )
    );
    std::vector<CalendarEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back(
            {r.text("reference"),
             r.text("offering_name"),
             from_micros(r.i64("starts_at")),
             from_micros(r.i64("ends_at")),
             r.i32("revision"),
             from_micros(r.i64("updated_at"))}
        );
    return out;
}

}  // namespace yoyaku::bookings

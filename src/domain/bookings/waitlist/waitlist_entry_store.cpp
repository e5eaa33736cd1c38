#include "domain/bookings/waitlist/waitlist_entry_store.hpp"

#include <array>
#include <boost/json.hpp>

#include "domain/bookings/customer_sealing.hpp"

namespace yoyaku::bookings {
namespace {

using storage::Row;

// An entry with what its offer's booking says (reference; expiry while offered).
constexpr std::string_view kEntryQuery =
    "SELECT w.id, w.reference, w.offering_id, w.occurrence_id, w.status, w.seats, w.tickets, "
    "w.total_jpy, w.customer_sealed, w.account_id, w.locale, w.created_at, w.confirmed_at, "
    "b.reference AS booking_reference, b.hold_expires_at AS offer_expires_at FROM "
    "waitlist_entries w LEFT JOIN bookings b ON b.tenant_id = w.tenant_id AND b.id = "
    "w.booking_id WHERE w.tenant_id = $1 AND ";

constexpr std::array<std::string_view, 5> kStatuses = {
    "waiting", "offered", "booked", "expired", "left"};

std::string status_text(WaitStatus s) {
    return std::string(kStatuses[static_cast<std::size_t>(s)]);
}

Result<WaitlistEntry> entry_from(const Row& r, TenantId tenant, const crypto::TenantKeys& keys) {
    WaitlistEntry e;
    e.id = r.id<WaitlistEntryId>("id");
    e.reference = r.text("reference");
    e.offering_id = r.id<OfferingId>("offering_id");
    e.occurrence_id = r.id<OccurrenceId>("occurrence_id");
    const auto status = r.text("status");
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == status) e.status = static_cast<WaitStatus>(i);
    e.seats = r.i32("seats");
    boost::system::error_code ec;
    const auto t = boost::json::parse(r.text("tickets"), ec);
    if (!ec && t.is_object())
        for (const auto& [code, n] : t.get_object())
            e.tickets[std::string(code)] = static_cast<int>(n.to_number<std::int64_t>());
    e.total_jpy = r.i64("total_jpy");
    YOYAKU_TRY_ASSIGN(
        e.customer,
        detail::open_customer(
            keys, r.blob("customer_sealed").bytes, tenant, WaitlistEntryStore::kCustomer, e.id
        )
    );
    e.account_id = r.opt_id<AccountId>("account_id");
    e.locale = r.text("locale");
    e.created_at = from_micros(r.i64("created_at"));
    e.confirmed = !r.is_null("confirmed_at");
    e.booking_reference = r.opt_text("booking_reference");
    if (e.status == WaitStatus::offered)
        if (auto at = r.opt_i64("offer_expires_at")) e.offer_expires_at = from_micros(*at);
    return e;
}

}  // namespace

Result<WaitlistEntry> WaitlistEntryStore::find_by_reference(
    std::string_view reference, const crypto::TenantKeys& keys
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            std::string(kEntryQuery) + "w.reference = $2", stx_.tenant_id(), std::string(reference)
        )
    );
    if (rows.empty()) return Error::not_found("no such waitlist entry");
    return entry_from(rows.front(), stx_.tenant_id(), keys);
}

Result<std::vector<WaitlistEntry>> WaitlistEntryStore::list_by_offering(
    OfferingId offering_id,
    std::optional<OccurrenceId> occurrence_id,
    const crypto::TenantKeys& keys
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            std::string(kEntryQuery) +
                "w.offering_id = $2 AND ($3 = 0 OR w.occurrence_id = $3) ORDER BY w.occurrence_id, w.id LIMIT 1000",
            stx_.tenant_id(),
            offering_id,
            occurrence_id.value_or(OccurrenceId())
        )
    );
    std::vector<WaitlistEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        YOYAKU_TRY_ASSIGN(auto e, entry_from(r, stx_.tenant_id(), keys));
        out.push_back(std::move(e));
    }
    return out;
}

Result<int> WaitlistEntryStore::count_waiting_before(
    OccurrenceId occurrence_id, WaitlistEntryId id
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().query_one(
            "SELECT count(*) AS ahead FROM waitlist_entries WHERE tenant_id = $1 AND occurrence_id = $2 AND status = 'waiting' AND confirmed_at IS NOT NULL AND id < $3",
            stx_.tenant_id(),
            occurrence_id,
            id
        )
    );
    return static_cast<int>(n.i64("ahead"));
}

Result<std::vector<WaitingEntry>> WaitlistEntryStore::list_line(OccurrenceId occurrence_id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, reference, seats, tickets, total_jpy, customer_sealed, email_index, account_id, locale, seat_category FROM waitlist_entries WHERE tenant_id = $1 AND occurrence_id = $2 AND status = 'waiting' AND confirmed_at IS NOT NULL ORDER BY id LIMIT 200",
            stx_.tenant_id(),
            occurrence_id
        )
    );
    std::vector<WaitingEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        WaitingEntry e;
        e.id = r.id<WaitlistEntryId>("id");
        e.reference = r.text("reference");
        e.seats = r.i32("seats");
        e.tickets_json = r.text("tickets");
        e.total_jpy = r.i64("total_jpy");
        e.customer_sealed = r.blob("customer_sealed").bytes;
        e.email_index = r.text("email_index");
        e.account_id = r.opt_id<AccountId>("account_id");
        e.locale = r.text("locale");
        e.seat_category = r.text("seat_category");
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<CustomerRow<WaitlistEntryId>>> WaitlistEntryStore::list_of_customer(
    AccountId account_id, const std::vector<std::string>& indexes
) {
    return list_customer_rows<WaitlistEntryId>(stx_, kCustomer, account_id, indexes);
}

Result<void> WaitlistEntryStore::update_anonymised(
    WaitlistEntryId id, const std::string& sealed, const std::string& index, Instant now
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE waitlist_entries SET customer_sealed = $3, email_index = $4, account_id = NULL, status = CASE WHEN status IN ('waiting', 'offered') THEN 'left' ELSE status END, updated_at = $5 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed},
        index,
        to_micros(now)
    ));
    return {};
}

Result<WaitlistEntryId> WaitlistEntryStore::insert(const WaitlistEntryRow& e, Instant now) {
    using storage::to_value;
    const auto values = storage::values(
        stx_.tenant_id(),
        e.reference,
        e.offering_id,
        e.occurrence_id,
        e.seats,
        e.tickets_json,
        e.total_jpy,
        storage::Blob{},
        e.email_index,
        e.account_id,
        e.locale.empty() ? storage::Value() : storage::Value(e.locale),
        to_micros(now),
        e.seat_category
    );
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO waitlist_entries(tenant_id, reference, offering_id, occurrence_id, status, seats, tickets, total_jpy, customer_sealed, email_index, account_id, locale, created_at, updated_at, seat_category) VALUES ($1, $2, $3, $4, 'waiting', $5, $6, $7, $8, $9, $10, coalesce(CAST($11 AS text), (SELECT locale FROM tenants WHERE id = $1)), $12, $12, $13) RETURNING id",
            std::span<const storage::Value>(values)
        )
    );
    return row.id<WaitlistEntryId>("id");
}

Result<void> WaitlistEntryStore::update_customer_sealed(
    WaitlistEntryId id, const std::string& sealed
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE waitlist_entries SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

Result<bool> WaitlistEntryStore::update_served(WaitlistEntryId id, WaitStatus to, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "UPDATE waitlist_entries SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'waiting'",
            stx_.tenant_id(),
            id,
            status_text(to),
            to_micros(now)
        )
    );
    return n == 1;
}

Result<void> WaitlistEntryStore::update_waiting_again(WaitlistEntryId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE waitlist_entries SET status = 'waiting' WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id
    ));
    return {};
}

Result<void> WaitlistEntryStore::update_status(WaitlistEntryId id, WaitStatus to, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE waitlist_entries SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        status_text(to),
        to_micros(now)
    ));
    return {};
}

Result<void> WaitlistEntryStore::update_booking(WaitlistEntryId id, BookingId booking_id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE waitlist_entries SET booking_id = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        booking_id
    ));
    return {};
}

Result<void> WaitlistEntryStore::update_offer_ended(BookingId booking_id, bool declined) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE waitlist_entries SET status = $3 WHERE tenant_id = $1 AND booking_id = $2 AND status = 'offered'",
        stx_.tenant_id(),
        booking_id,
        std::string(declined ? "left" : "expired")
    ));
    return {};
}

}  // namespace yoyaku::bookings

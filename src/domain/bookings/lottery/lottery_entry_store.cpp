#include "domain/bookings/lottery/lottery_entry_store.hpp"

#include <boost/json.hpp>

#include "domain/bookings/customer_sealing.hpp"

namespace yoyaku::bookings {
namespace {

using storage::Row;

// An application with its booking's reference once won.
constexpr std::string_view kEntryQuery =
    "SELECT l.id, l.reference, l.offering_id, l.preferences, l.status, l.seats, l.total_jpy, "
    "l.customer_sealed, l.account_id, l.created_at, l.confirmed_at, l.locale, b.reference AS "
    "booking_reference FROM lottery_entries l LEFT JOIN bookings b ON b.tenant_id = "
    "l.tenant_id AND b.id = l.booking_id WHERE l.tenant_id = $1 AND ";

// Preferences are kept as a JSON array of occurrence ids.
std::vector<OccurrenceId> ids_of(const std::string& text) {
    std::vector<OccurrenceId> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.get_array())
            if (x.is_int64()) out.push_back(OccurrenceId(x.get_int64()));
    return out;
}

std::string ids_text(const std::vector<OccurrenceId>& ids) {
    boost::json::array a;
    for (auto id : ids) a.emplace_back(id.value);
    return boost::json::serialize(a);
}

Result<LotteryEntry> entry_from(const Row& r, TenantId tenant, const crypto::TenantKeys& keys) {
    LotteryEntry e;
    e.id = r.id<LotteryEntryId>("id");
    e.reference = r.text("reference");
    e.offering_id = r.id<OfferingId>("offering_id");
    e.preferences = ids_of(r.text("preferences"));
    e.status = r.text("status");
    e.seats = r.i32("seats");
    e.total_jpy = r.i64("total_jpy");
    YOYAKU_TRY_ASSIGN(
        e.customer,
        detail::open_customer(
            keys, r.blob("customer_sealed").bytes, tenant, LotteryEntryStore::kCustomer, e.id
        )
    );
    e.account_id = r.opt_id<AccountId>("account_id");
    e.created_at = from_micros(r.i64("created_at"));
    e.booking_reference = r.opt_text("booking_reference");
    e.confirmed = !r.is_null("confirmed_at");
    e.locale = r.text("locale");
    return e;
}

}  // namespace

Result<LotteryEntry> LotteryEntryStore::find_by_id(
    LotteryEntryId id, const crypto::TenantKeys& keys
) {
    YOYAKU_TRY_ASSIGN(
        auto rows, stx_.tx().query(std::string(kEntryQuery) + "l.id = $2", stx_.tenant_id(), id)
    );
    if (rows.empty()) return Error::not_found("no such application");
    return entry_from(rows.front(), stx_.tenant_id(), keys);
}

Result<LotteryEntry> LotteryEntryStore::find_by_reference(
    std::string_view reference, const crypto::TenantKeys& keys
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            std::string(kEntryQuery) + "l.reference = $2", stx_.tenant_id(), std::string(reference)
        )
    );
    if (rows.empty()) return Error::not_found("no such application");
    return entry_from(rows.front(), stx_.tenant_id(), keys);
}

Result<std::vector<DrawnEntry>> LotteryEntryStore::list_applied(OfferingId offering_id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id, reference, seats, preferences, tickets, total_jpy, customer_sealed, email_index, account_id, locale FROM lottery_entries WHERE tenant_id = $1 AND offering_id = $2 AND status = 'applied' AND confirmed_at IS NOT NULL ORDER BY reference",
            stx_.tenant_id(),
            offering_id
        )
    );
    std::vector<DrawnEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        DrawnEntry e;
        e.id = r.id<LotteryEntryId>("id");
        e.reference = r.text("reference");
        e.seats = r.i32("seats");
        e.preferences = ids_of(r.text("preferences"));
        e.tickets_json = r.text("tickets");
        e.total_jpy = r.i64("total_jpy");
        e.customer_sealed = r.blob("customer_sealed").bytes;
        e.email_index = r.text("email_index");
        e.account_id = r.opt_id<AccountId>("account_id");
        e.locale = r.text("locale");
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<Applicant>> LotteryEntryStore::list_decided(OfferingId offering_id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT reference, seats, preferences FROM lottery_entries WHERE tenant_id = $1 AND offering_id = $2 AND status IN ('won', 'lost') ORDER BY reference",
            stx_.tenant_id(),
            offering_id
        )
    );
    std::vector<Applicant> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back({r.text("reference"), r.i32("seats"), ids_of(r.text("preferences"))});
    return out;
}

Result<std::vector<CustomerRow<LotteryEntryId>>> LotteryEntryStore::list_of_customer(
    AccountId account_id, const std::vector<std::string>& indexes
) {
    return list_customer_rows<LotteryEntryId>(stx_, kCustomer, account_id, indexes);
}

Result<void> LotteryEntryStore::update_anonymised(
    LotteryEntryId id, const std::string& sealed, const std::string& index
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE lottery_entries SET customer_sealed = $3, email_index = $4, account_id = NULL, status = CASE WHEN status = 'applied' THEN 'withdrawn' ELSE status END WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed},
        index
    ));
    return {};
}

Result<LotteryEntryId> LotteryEntryStore::insert(const LotteryEntryRow& e, Instant now) {
    using storage::to_value;
    const auto values = storage::values(
        stx_.tenant_id(),
        e.reference,
        e.offering_id,
        ids_text(e.preferences),
        e.seats,
        e.tickets_json,
        e.total_jpy,
        storage::Blob{},
        e.email_index,
        e.account_id,
        e.locale.empty() ? storage::Value() : storage::Value(e.locale),
        to_micros(now)
    );
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO lottery_entries(tenant_id, reference, offering_id, preferences, status, seats, tickets, total_jpy, customer_sealed, email_index, account_id, locale, created_at) VALUES ($1, $2, $3, $4, 'applied', $5, $6, $7, $8, $9, $10, coalesce(CAST($11 AS text), (SELECT locale FROM tenants WHERE id = $1)), $12) RETURNING id",
            std::span<const storage::Value>(values)
        )
    );
    return row.id<LotteryEntryId>("id");
}

Result<void> LotteryEntryStore::update_customer_sealed(
    LotteryEntryId id, const std::string& sealed
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE lottery_entries SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

Result<void> LotteryEntryStore::update_won(LotteryEntryId id, BookingId booking_id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE lottery_entries SET status = 'won', booking_id = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        booking_id
    ));
    return {};
}

Result<void> LotteryEntryStore::update_lost(LotteryEntryId id) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE lottery_entries SET status = 'lost' WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id
    ));
    return {};
}

Result<std::optional<StoredDraw>> LotteryDrawStore::find(OfferingId offering_id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT seed, free_seats, allocation, drawn_at FROM lottery_draws WHERE tenant_id = $1 AND offering_id = $2",
            stx_.tenant_id(),
            offering_id
        )
    );
    if (rows.empty()) return std::optional<StoredDraw>();
    const auto& r = rows.front();
    return std::optional<StoredDraw>(StoredDraw{
        r.text("seed"), r.text("free_seats"), r.text("allocation"), from_micros(r.i64("drawn_at"))}
    );
}

Result<bool> LotteryDrawStore::insert(
    OfferingId offering_id, const std::string& seed, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        auto n,
        stx_.tx().exec(
            "INSERT INTO lottery_draws(tenant_id, offering_id, seed, free_seats, allocation, drawn_at) VALUES ($1, $2, $3, '{}', '[]', $4) ON CONFLICT (tenant_id, offering_id) DO NOTHING",
            stx_.tenant_id(),
            offering_id,
            seed,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<void> LotteryDrawStore::update_result(
    OfferingId offering_id, const std::string& free_seats_json, const std::string& allocation_json
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE lottery_draws SET free_seats = $3, allocation = $4 WHERE tenant_id = $1 AND offering_id = $2",
        stx_.tenant_id(),
        offering_id,
        free_seats_json,
        allocation_json
    ));
    return {};
}

}  // namespace yoyaku::bookings

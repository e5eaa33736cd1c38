#include "domain/tickets/ticket_store.hpp"

#include <array>

namespace yoyaku::tickets {
namespace {

constexpr std::array<std::string_view, 6> kOutcomes{
    "admitted", "used", "conflict", "revoked", "not_valid_now", "invalid"};

std::optional<Instant> opt_instant(const storage::Row& r, const char* column) {
    const auto v = r.opt_i64(column);
    return v ? std::optional<Instant>(from_micros(*v)) : std::nullopt;
}
std::optional<std::int64_t> opt_micros(const std::optional<Instant>& t) {
    return t ? std::optional<std::int64_t>(to_micros(*t)) : std::nullopt;
}

KeyRow key_of(const storage::Row& r) {
    return {
        r.i64("id"),
        r.i32("key_id"),
        r.blob("public_key").bytes,
        r.blob("seed_sealed").bytes,
        from_micros(r.i64("created_at")),
        opt_instant(r, "retired_at")};
}

constexpr const char* kTicketColumns =
    "SELECT id, booking_id, offering_id, reference, number, occurrence_id, ticket_type, seat, valid_from, valid_until, key_id, token, issued_at, revoked_at, checked_in_at, checked_in_device FROM tickets WHERE tenant_id = $1 ";

TicketRow ticket_of(const storage::Row& r) {
    return {
        r.i64("id"),
        r.id<BookingId>("booking_id"),
        r.id<OfferingId>("offering_id"),
        r.text("reference"),
        r.i32("number"),
        r.opt_id<OccurrenceId>("occurrence_id"),
        r.text("ticket_type"),
        r.text("seat"),
        from_micros(r.i64("valid_from")),
        from_micros(r.i64("valid_until")),
        r.i32("key_id"),
        r.text("token"),
        from_micros(r.i64("issued_at")),
        opt_instant(r, "revoked_at"),
        opt_instant(r, "checked_in_at"),
        r.text("checked_in_device")};
}

std::vector<TicketRow> tickets_of(const std::vector<storage::Row>& rows) {
    std::vector<TicketRow> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(ticket_of(r));
    return out;
}

}  // namespace

std::string_view to_string(ScanOutcome o) noexcept {
    return kOutcomes[static_cast<std::size_t>(o)];
}

Result<std::vector<KeyRow>> TicketKeyStore::all() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, key_id, public_key, seed_sealed, created_at, retired_at FROM ticket_keys WHERE tenant_id = $1 ORDER BY key_id",
            stx_.tenant_id()
        )
    );
    std::vector<KeyRow> out;
    for (const auto& r : rows) out.push_back(key_of(r));
    return out;
}

Result<std::optional<KeyRow>> TicketKeyStore::current() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT id, key_id, public_key, seed_sealed, created_at, retired_at FROM ticket_keys WHERE tenant_id = $1 AND retired_at IS NULL ORDER BY key_id DESC LIMIT 1",
            stx_.tenant_id()
        )
    );
    if (rows.empty()) return std::optional<KeyRow>();
    return std::optional<KeyRow>(key_of(rows.front()));
}

Result<std::optional<std::int64_t>> TicketKeyStore::insert(
    int key_id, const std::string& public_key, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "INSERT INTO ticket_keys(tenant_id, key_id, public_key, seed_sealed, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, key_id) DO NOTHING RETURNING id",
            stx_.tenant_id(),
            key_id,
            storage::Blob{public_key},
            storage::Blob{},
            to_micros(now)
        )
    );
    if (rows.empty()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(rows.front().i64("id"));
}

Result<void> TicketKeyStore::set_seed(std::int64_t id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE ticket_keys SET seed_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

Result<void> TicketKeyStore::retire_before(int key_id, Instant now) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE ticket_keys SET retired_at = $3 WHERE tenant_id = $1 AND key_id < $2 AND retired_at IS NULL",
        stx_.tenant_id(),
        key_id,
        to_micros(now)
    ));
    return {};
}

Result<std::vector<TicketRow>> TicketStore::of_booking(BookingId booking) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            std::string(kTicketColumns) + "AND booking_id = $2 ORDER BY number",
            stx_.tenant_id(),
            booking
        )
    );
    return tickets_of(rows);
}

Result<std::vector<TicketRow>> TicketStore::of_occurrence(OccurrenceId occurrence) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            std::string(kTicketColumns) +
                "AND occurrence_id = $2 AND revoked_at IS NULL ORDER BY reference, number",
            stx_.tenant_id(),
            occurrence
        )
    );
    return tickets_of(rows);
}

Result<std::vector<TicketRow>> TicketStore::revoked(std::optional<OccurrenceId> occurrence) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        occurrence
            ? stx_.tx().query(
                  std::string(kTicketColumns) +
                      "AND occurrence_id = $2 AND revoked_at IS NOT NULL ORDER BY revoked_at, id",
                  stx_.tenant_id(),
                  *occurrence
              )
            : stx_.tx().query(
                  std::string(kTicketColumns) +
                      "AND occurrence_id IS NULL AND revoked_at IS NOT NULL ORDER BY revoked_at, id",
                  stx_.tenant_id()
              )
    );
    return tickets_of(rows);
}

Result<std::vector<TicketRow>> TicketStore::valid_between(Instant from, Instant to) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            std::string(kTicketColumns) +
                "AND valid_from < $3 AND valid_until > $2 ORDER BY reference, number",
            stx_.tenant_id(),
            to_micros(from),
            to_micros(to)
        )
    );
    return tickets_of(rows);
}

Result<std::optional<TicketRow>> TicketStore::find(std::string_view reference, int number) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            std::string(kTicketColumns) + "AND reference = $2 AND number = $3",
            stx_.tenant_id(),
            std::string(reference),
            number
        )
    );
    if (rows.empty()) return std::optional<TicketRow>();
    return std::optional<TicketRow>(ticket_of(rows.front()));
}

Result<void> TicketStore::insert(const TicketRow& t) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO tickets(tenant_id, booking_id, offering_id, reference, number, occurrence_id, ticket_type, seat, valid_from, valid_until, key_id, token, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        stx_.tenant_id(),
        t.booking_id,
        t.offering_id,
        t.reference,
        t.number,
        t.occurrence_id,
        t.type,
        t.seat,
        to_micros(t.valid_from),
        to_micros(t.valid_until),
        t.key_id,
        t.token,
        to_micros(t.issued_at)
    ));
    return {};
}

Result<bool> TicketStore::revoke(std::int64_t id, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE tickets SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
            stx_.tenant_id(),
            id,
            to_micros(now)
        )
    );
    return n > 0;
}

Result<bool> TicketStore::check_in(std::int64_t id, Instant at, std::string_view device) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE tickets SET checked_in_at = $3, checked_in_device = $4 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND (checked_in_at IS NULL OR checked_in_at > $3)",
            stx_.tenant_id(),
            id,
            to_micros(at),
            std::string(device)
        )
    );
    return n > 0;
}

Result<void> TicketStore::record_scan(const ScanRow& s) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO ticket_scans(tenant_id, ticket_id, device, scanned_at, recorded_at, offline, outcome, first_at, first_device) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        stx_.tenant_id(),
        s.ticket_id,
        s.device,
        to_micros(s.scanned_at),
        to_micros(s.recorded_at),
        s.offline ? 1 : 0,
        std::string(to_string(s.outcome)),
        opt_micros(s.first_at),
        s.first_device
    ));
    return {};
}

Result<std::vector<ScanRow>> TicketStore::scans(int limit, bool problems) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            std::string(
                "SELECT s.ticket_id, s.device, s.scanned_at, s.recorded_at, s.offline, s.outcome, s.first_at, s.first_device, coalesce(t.reference, '') AS reference, coalesce(t.number, 0) AS number FROM ticket_scans s LEFT JOIN tickets t ON t.id = s.ticket_id WHERE s.tenant_id = $1 "
            ) + (problems ? "AND s.outcome <> 'admitted' " : "") +
                "ORDER BY s.recorded_at DESC, s.id DESC LIMIT $2",
            stx_.tenant_id(),
            limit
        )
    );
    std::vector<ScanRow> out;
    for (const auto& r : rows) {
        ScanRow s;
        s.ticket_id = r.opt_i64("ticket_id");
        s.device = r.text("device");
        s.scanned_at = from_micros(r.i64("scanned_at"));
        s.recorded_at = from_micros(r.i64("recorded_at"));
        s.offline = r.flag("offline");
        const auto& o = r.text("outcome");
        for (std::size_t i = 0; i < kOutcomes.size(); ++i)
            if (kOutcomes[i] == o) s.outcome = static_cast<ScanOutcome>(i);
        s.first_at = opt_instant(r, "first_at");
        s.first_device = r.text("first_device");
        s.reference = r.text("reference");
        s.number = r.i32("number");
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace yoyaku::tickets

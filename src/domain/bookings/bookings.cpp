#include "domain/bookings/bookings.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/accounts.hpp"
#include "domain/mail/mail.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::Blob;
using storage::Row;
using storage::ScopedTx;
using storage::Tx;

constexpr std::array<std::string_view, 4> kKinds = {"appointment", "rental", "event", "course"};
constexpr std::array<std::string_view, 5> kStatuses = {
    "pending", "confirmed", "cancelled", "checked_in", "no_show"};

constexpr std::string_view kOfferingColumns =
    "id, kind, name, description, published, opens_before_minutes, closes_before_minutes, "
    "cancel_before_minutes, max_per_order, ticket_types, created_at";
constexpr std::string_view kBookingColumns =
    "id, reference, offering_id, occurrence_id, status, seats, total_jpy, tickets, "
    "customer_sealed, created_at";

std::string tickets_json(const std::vector<TicketType>& types) {
    boost::json::array a;
    for (const auto& t : types)
        a.push_back(
            {{"code", t.code},
             {"name", t.name},
             {"price_jpy", t.price_jpy},
             {"max_per_order", t.max_per_order}}
        );
    return boost::json::serialize(a);
}

std::vector<TicketType> tickets_from(const std::string& text) {
    std::vector<TicketType> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& t : v.get_array()) {
        const auto& o = t.as_object();
        out.push_back(
            {std::string(o.at("code").as_string()),
             std::string(o.at("name").as_string()),
             o.at("price_jpy").as_int64(),
             static_cast<int>(o.at("max_per_order").as_int64())}
        );
    }
    return out;
}

Offering offering_from(const Row& r) {
    Offering o;
    o.id = r.i64(0);
    o.kind = parse_offering_kind(r.text(1)).value_or(OfferingKind::event);
    o.name = r.text(2);
    o.description = r.text(3);
    o.published = r.i64(4) != 0;
    if (!r.is_null(5)) o.opens_before = minutes(r.i64(5));
    o.closes_before = minutes(r.i64(6));
    o.cancel_before = minutes(r.i64(7));
    o.max_per_order = static_cast<int>(r.i64(8));
    o.ticket_types = tickets_from(r.text(9));
    o.created_at = from_micros(r.i64(10));
    return o;
}

Occurrence occurrence_from(const Row& r) {
    return {
        r.i64(0),
        r.i64(1),
        from_micros(r.i64(2)),
        from_micros(r.i64(3)),
        static_cast<int>(r.i64(4)),
        static_cast<int>(r.i64(5))};
}

std::string customer_context(TenantId tenant, std::int64_t id) {
    return crypto::field_context(tenant, "bookings", "customer", id);
}

Result<Booking> booking_from(const Row& r, TenantId tenant, const crypto::TenantKeys& k) {
    Booking b;
    b.id = r.i64(0);
    b.reference = r.text(1);
    b.offering_id = r.i64(2);
    b.occurrence_id = r.i64(3);
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == r.text(4)) b.status = static_cast<BookingStatus>(i);
    b.seats = static_cast<int>(r.i64(5));
    b.total_jpy = r.i64(6);
    boost::system::error_code ec;
    auto t = boost::json::parse(r.text(7), ec);
    if (!ec && t.is_object())
        for (const auto& [code, n] : t.get_object())
            b.tickets[std::string(code)] = static_cast<int>(n.to_number<std::int64_t>());
    auto opened = crypto::open(k.seal, r.blob(8).bytes, customer_context(tenant, b.id));
    if (!opened) return Error::internal("a booking's customer does not open");
    auto c = boost::json::parse(*opened).as_object();
    b.customer = {
        std::string(c.at("name").as_string()),
        std::string(c.at("email").as_string()),
        std::string(c.at("phone").as_string())};
    b.created_at = from_micros(r.i64(9));
    return b;
}

// 10 characters of Crockford base32 (no I, L, O, U): 50 random bits.
std::string new_reference() {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const auto bytes = crypto::random_bytes(10);
    std::string out;
    for (unsigned char b : bytes) out.push_back(kAlphabet[b & 31u]);
    return out;
}

bool valid_key(std::string_view k) {
    if (k.size() < 8 || k.size() > 128) return false;
    for (char c : k)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
              c == ':'))
            return false;
    return true;
}

Result<Customer> check_customer(const Customer& c) {
    auto name = text::check_line(c.name, 1, 100);
    if (!name.value) return Error::invalid("customer.name", name.problem);
    auto email = accounts::normalize_email(c.email, "customer.email");
    if (!email) return fail(std::move(email).error());
    std::string phone;
    for (char ch : c.phone) {
        if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '+')
            phone.push_back(ch);
        else if (ch != '-' && ch != ' ' && ch != '(' && ch != ')')
            return Error::invalid("customer.phone", "must be a phone number such as 03-1234-5678");
    }
    if (!c.phone.empty() && (phone.size() < 6 || phone.size() > 16))
        return Error::invalid("customer.phone", "must be a phone number such as 03-1234-5678");
    return Customer{*name.value, *email, phone};
}

}  // namespace

std::string_view to_string(OfferingKind k) noexcept {
    return kKinds[static_cast<std::size_t>(k)];
}

std::optional<OfferingKind> parse_offering_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (kKinds[i] == s) return static_cast<OfferingKind>(i);
    return std::nullopt;
}

std::string_view to_string(BookingStatus s) noexcept {
    return kStatuses[static_cast<std::size_t>(s)];
}

Result<Offering> BookingService::create_offering(
    TenantId tenant, const OfferingInput& in, const audit::Actor& actor, const audit::Origin& origin
) {
    if (in.kind != OfferingKind::event)
        return Error::invalid("kind", "only event offerings can be made so far");
    auto name = text::check_line(in.name, 1, 200);
    if (!name.value) return Error::invalid("name", name.problem);
    if (text::code_points(in.description) > 4000 || text::has_control_chars(in.description, true))
        return Error::invalid("description", "must be at most 4000 characters of text");
    if (in.opens_before_minutes &&
        (*in.opens_before_minutes < 0 || *in.opens_before_minutes > 525600))
        return Error::invalid("opens_before_minutes", "must be 0 to 525600 (a year)");
    if (in.closes_before_minutes < 0 || in.closes_before_minutes > 525600)
        return Error::invalid("closes_before_minutes", "must be 0 to 525600");
    if (in.opens_before_minutes && *in.opens_before_minutes <= in.closes_before_minutes)
        return Error::invalid("opens_before_minutes", "must be more than closes_before_minutes");
    if (in.cancel_before_minutes < 0 || in.cancel_before_minutes > 525600)
        return Error::invalid("cancel_before_minutes", "must be 0 to 525600");
    if (in.max_per_order < 1 || in.max_per_order > 100)
        return Error::invalid("max_per_order", "must be 1 to 100");
    if (in.ticket_types.empty() || in.ticket_types.size() > 20)
        return Error::invalid("ticket_types", "an event needs 1 to 20 ticket types");
    std::vector<TicketType> types;
    for (std::size_t i = 0; i < in.ticket_types.size(); ++i) {
        auto t = in.ticket_types[i];
        const std::string f = "ticket_types[" + std::to_string(i) + "]";
        bool code_ok = !t.code.empty() && t.code.size() <= 32;
        for (char c : t.code)
            code_ok = code_ok &&
                      ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
        if (!code_ok) return Error::invalid(f + ".code", "must be 1–32 of a-z, 0-9, _ and -");
        for (const auto& seen : types)
            if (seen.code == t.code) return Error::invalid(f + ".code", "is used twice");
        auto n = text::check_line(t.name, 1, 100);
        if (!n.value) return Error::invalid(f + ".name", n.problem);
        t.name = *n.value;
        if (t.price_jpy < 0 || t.price_jpy > 10'000'000)
            return Error::invalid(f + ".price_jpy", "must be 0 to 10000000 yen");
        if (t.max_per_order < 1 || t.max_per_order > 100)
            return Error::invalid(f + ".max_per_order", "must be 1 to 100");
        types.push_back(std::move(t));
    }
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Offering> {
        auto row = stx.tx().query_one(
            "INSERT INTO offerings(tenant_id, kind, name, description, published, "
            "opens_before_minutes, closes_before_minutes, cancel_before_minutes, max_per_order, "
            "ticket_types, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            "RETURNING " +
                std::string(kOfferingColumns),
            stx.tenant_id().value,
            std::string(to_string(in.kind)),
            *name.value,
            in.description,
            static_cast<std::int64_t>(in.published),
            in.opens_before_minutes
                ? storage::Value(static_cast<std::int64_t>(*in.opens_before_minutes))
                : storage::Value(),
            static_cast<std::int64_t>(in.closes_before_minutes),
            static_cast<std::int64_t>(in.cancel_before_minutes),
            static_cast<std::int64_t>(in.max_per_order),
            tickets_json(types),
            to_micros(now)
        );
        if (!row) return fail(std::move(row).error());
        auto o = offering_from(*row);
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"offering.created", "offering:" + std::to_string(o.id)}, now
        ));
        return o;
    });
}

Result<Offering> BookingService::find_offering(TenantId tenant, std::int64_t id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Offering> {
        auto row = stx.tx().query_one(
            "SELECT " + std::string(kOfferingColumns) +
                " FROM offerings WHERE tenant_id = $1 AND id = $2",
            stx.tenant_id().value,
            id
        );
        if (!row) return fail(std::move(row).error());
        return offering_from(*row);
    });
}

Result<std::vector<Offering>> BookingService::list_offerings(TenantId tenant, bool published_only) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<Offering>> {
            auto rows = stx.tx().query(
                "SELECT " + std::string(kOfferingColumns) +
                    " FROM offerings WHERE tenant_id = $1 AND (published = 1 OR $2 = 0) ORDER BY "
                    "id",
                stx.tenant_id().value,
                static_cast<std::int64_t>(published_only)
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<Offering> out;
            for (const auto& r : *rows) out.push_back(offering_from(r));
            return out;
        }
    );
}

Result<Occurrence> BookingService::add_occurrence(
    TenantId tenant,
    std::int64_t offering_id,
    Instant starts_at,
    Instant ends_at,
    int capacity,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (ends_at <= starts_at) return Error::invalid("ends_at", "must be after starts_at");
    if (ends_at - starts_at > hours(24 * 31))
        return Error::invalid("ends_at", "an occurrence lasts at most 31 days");
    if (capacity < 1 || capacity > 1'000'000)
        return Error::invalid("capacity", "must be 1 to 1000000");
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Occurrence> {
        auto exists = stx.tx().query(
            "SELECT 1 FROM offerings WHERE tenant_id = $1 AND id = $2",
            stx.tenant_id().value,
            offering_id
        );
        if (!exists) return fail(std::move(exists).error());
        if (exists->empty()) return Error::not_found("no such offering");
        auto row = stx.tx().query_one(
            "INSERT INTO occurrences(tenant_id, offering_id, starts_at, ends_at, capacity, taken) "
            "VALUES ($1, $2, $3, $4, $5, 0) RETURNING id, offering_id, starts_at, ends_at, "
            "capacity, taken",
            stx.tenant_id().value,
            offering_id,
            to_micros(starts_at),
            to_micros(ends_at),
            static_cast<std::int64_t>(capacity)
        );
        if (!row) return fail(std::move(row).error());
        auto o = occurrence_from(*row);
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"occurrence.created",
             "occurrence:" + std::to_string(o.id),
             "success",
             boost::json::serialize(boost::json::object{{"capacity", capacity}})},
            now
        ));
        return o;
    });
}

Result<std::vector<Occurrence>> BookingService::occurrences(
    TenantId tenant, std::int64_t offering_id
) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<Occurrence>> {
            auto rows = stx.tx().query(
                "SELECT id, offering_id, starts_at, ends_at, capacity, taken FROM occurrences "
                "WHERE "
                "tenant_id = $1 AND offering_id = $2 ORDER BY starts_at, id",
                stx.tenant_id().value,
                offering_id
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<Occurrence> out;
            for (const auto& r : *rows) out.push_back(occurrence_from(r));
            return out;
        }
    );
}

Result<Created> BookingService::book(
    TenantId tenant, const NewBooking& in, const audit::Actor& actor, const audit::Origin& origin
) {
    if (!valid_key(in.idempotency_key))
        return Error::invalid("Idempotency-Key", "send 8–128 characters of A-Z, a-z, 0-9, _ - . :");
    auto customer = check_customer(in.customer);
    if (!customer) return fail(std::move(customer).error());
    if (in.tickets.empty()) return Error::invalid("tickets", "choose at least one ticket");
    for (const auto& [code, n] : in.tickets)
        if (n < 0 || n > 100) return Error::invalid("tickets." + code, "must be 0 to 100");
    boost::json::object tickets_obj;
    for (const auto& [code, n] : in.tickets)
        if (n > 0) tickets_obj[code] = n;
    const std::string tickets_text = boost::json::serialize(tickets_obj);
    const std::string request_hash =
        crypto::blake2b_256_hex(boost::json::serialize(boost::json::object{
            {"occurrence", in.occurrence_id},
            {"tickets", tickets_obj},
            {"name", customer->name},
            {"email", customer->email},
            {"phone", customer->phone}}));
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const std::string customer_text = boost::json::serialize(boost::json::object{
        {"name", customer->name}, {"email", customer->email}, {"phone", customer->phone}});
    const std::string email_index = crypto::blind_index(keys->index, customer->email);

    auto attempt = [&]() -> Result<Created> {
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Created> {
            auto& tx = stx.tx();
            const auto t = stx.tenant_id().value;
            // A retry: the first answer.
            auto seen = tx.query(
                "SELECT request_hash, booking_id FROM idempotency_keys WHERE tenant_id = $1 AND "
                "idempotency_key = $2",
                t,
                in.idempotency_key
            );
            if (!seen) return fail(std::move(seen).error());
            if (!seen->empty()) {
                if (seen->front().text(0) != request_hash)
                    return Error::invalid(
                        "Idempotency-Key", "this key was used for another request"
                    );
                auto row = tx.query_one(
                    "SELECT " + std::string(kBookingColumns) +
                        " FROM bookings WHERE tenant_id = $1 AND id = $2",
                    t,
                    seen->front().i64(1)
                );
                if (!row) return fail(std::move(row).error());
                auto b = booking_from(*row, tenant, *keys);
                if (!b) return fail(std::move(b).error());
                return Created{std::move(*b), true};
            }
            auto occ = tx.query(
                "SELECT o.starts_at, f.id, f.published, f.opens_before_minutes, "
                "f.closes_before_minutes, f.max_per_order, f.ticket_types, f.name FROM occurrences "
                "o JOIN offerings f ON f.id = o.offering_id AND f.tenant_id = o.tenant_id WHERE "
                "o.tenant_id = $1 AND o.id = $2",
                t,
                in.occurrence_id
            );
            if (!occ) return fail(std::move(occ).error());
            if (occ->empty() || occ->front().i64(2) == 0)
                return Error::not_found("no such occurrence");
            const auto& o = occ->front();
            const Instant starts = from_micros(o.i64(0));
            if (!o.is_null(3) && now < starts - minutes(o.i64(3)))
                return Error{
                    Errc::unprocessable, "booking has not opened yet", "occurrence_id", {}};
            if (now > starts - minutes(o.i64(4)))
                return Error{Errc::unprocessable, "booking has closed", "occurrence_id", {}};
            const auto types = tickets_from(o.text(6));
            int seats = 0;
            std::int64_t total = 0;
            for (const auto& [code, n] : in.tickets) {
                const auto it = std::find_if(types.begin(), types.end(), [&](const TicketType& x) {
                    return x.code == code;
                });
                if (it == types.end())
                    return Error::invalid("tickets." + code, "is not a ticket type of this event");
                if (n > it->max_per_order)
                    return Error{
                        Errc::unprocessable,
                        "at most " + std::to_string(it->max_per_order) + " per order",
                        "tickets." + code,
                        {}};
                seats += n;
                total += it->price_jpy * n;
            }
            if (seats < 1) return Error::invalid("tickets", "choose at least one ticket");
            if (seats > o.i64(5))
                return Error{
                    Errc::unprocessable,
                    "at most " + std::to_string(o.i64(5)) + " tickets per order",
                    "tickets",
                    {}};
            // Capacity, taken in one guarded statement (ADR 0009).
            auto took = tx.exec(
                "UPDATE occurrences SET taken = taken + $3 WHERE tenant_id = $1 AND id = $2 AND "
                "taken + $3 <= capacity",
                t,
                in.occurrence_id,
                static_cast<std::int64_t>(seats)
            );
            if (!took) return fail(std::move(took).error());
            if (*took != 1)
                return Error{Errc::slot_taken, "not enough seats are left", "tickets", {}};
            auto row = tx.query_one(
                "INSERT INTO bookings(tenant_id, reference, offering_id, occurrence_id, status, "
                "seats, total_jpy, tickets, customer_sealed, email_index, created_at, updated_at) "
                "VALUES ($1, $2, $3, $4, 'confirmed', $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                t,
                new_reference(),
                o.i64(1),
                in.occurrence_id,
                static_cast<std::int64_t>(seats),
                total,
                tickets_text,
                Blob{},
                email_index,
                to_micros(now)
            );
            if (!row) return fail(std::move(row).error());
            const auto id = row->i64(0);
            YOYAKU_TRY(tx.exec(
                "UPDATE bookings SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
                t,
                id,
                Blob{crypto::seal(keys->seal, customer_text, customer_context(tenant, id))}
            ));
            auto key = tx.exec(
                "INSERT INTO idempotency_keys(tenant_id, idempotency_key, request_hash, "
                "booking_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                t,
                in.idempotency_key,
                request_hash,
                id,
                to_micros(now)
            );
            if (!key) {
                if (key.error().code == Errc::conflict)
                    return Error{Errc::conflict, "a duplicate is in flight", "Idempotency-Key", {}};
                return fail(std::move(key).error());
            }
            auto b = tx.query_one(
                "SELECT " + std::string(kBookingColumns) +
                    " FROM bookings WHERE tenant_id = $1 AND id = $2",
                t,
                id
            );
            if (!b) return fail(std::move(b).error());
            auto booking = booking_from(*b, tenant, *keys);
            if (!booking) return fail(std::move(booking).error());
            YOYAKU_TRY(audit::append(
                stx,
                actor,
                origin,
                {"booking.created",
                 "booking:" + booking->reference,
                 "success",
                 boost::json::serialize(boost::json::object{
                     {"occurrence", in.occurrence_id}, {"seats", seats}, {"total_jpy", total}})},
                now
            ));
            auto zone =
                tx.query_one("SELECT time_zone, locale, name FROM tenants WHERE id = $1", t);
            if (!zone) return fail(std::move(zone).error());
            auto m = mail::render(
                "booking_confirmed",
                zone->text(1),
                {{"tenant_name", zone->text(2)},
                 {"name", customer->name},
                 {"offering", o.text(7)},
                 {"starts_at",
                  format_rfc3339(starts, zone->text(0)).substr(0, 16) + " (" + zone->text(0) + ")"},
                 {"seats", std::to_string(seats)},
                 {"total_jpy", std::to_string(total)},
                 {"reference", booking->reference}},
                customer->email
            );
            if (!m) return fail(std::move(m).error());
            YOYAKU_TRY(mail::enqueue(tx, keys_, tenant, "booking.confirmed", *m, now));
            return Created{std::move(*booking), false};
        });
    };
    auto r = attempt();
    // Two requests with one key at once: the loser rolled back; it now finds the winner's
    // answer.
    if (!r && r.error().code == Errc::conflict && r.error().field == "Idempotency-Key")
        r = attempt();
    return r;
}

Result<Booking> BookingService::find_by_reference(TenantId tenant, std::string_view reference) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto row = stx.tx().query_one(
            "SELECT " + std::string(kBookingColumns) +
                " FROM bookings WHERE tenant_id = $1 AND reference = $2",
            stx.tenant_id().value,
            std::string(reference)
        );
        if (!row) {
            if (row.error().code == Errc::not_found) return Error::not_found("no such booking");
            return fail(std::move(row).error());
        }
        return booking_from(*row, tenant, *keys);
    });
}

Result<Booking> BookingService::cancel(
    TenantId tenant,
    std::string_view reference,
    bool by_customer,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto row = tx.query(
            "SELECT b.id, b.status, b.seats, b.occurrence_id, o.starts_at, f.cancel_before_minutes "
            "FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id AND o.tenant_id = "
            "b.tenant_id JOIN offerings f ON f.id = b.offering_id AND f.tenant_id = b.tenant_id "
            "WHERE b.tenant_id = $1 AND b.reference = $2",
            t,
            std::string(reference)
        );
        if (!row) return fail(std::move(row).error());
        if (row->empty()) return Error::not_found("no such booking");
        const auto& r = row->front();
        if (r.text(1) != "confirmed" && r.text(1) != "pending")
            return Error{Errc::unprocessable, "this booking cannot be cancelled now", "status", {}};
        if (by_customer && now > from_micros(r.i64(4)) - minutes(r.i64(5)))
            return Error{Errc::unprocessable, "the cancellation deadline has passed", {}, {}};
        auto changed = tx.exec(
            "UPDATE bookings SET status = 'cancelled', updated_at = $3 WHERE tenant_id = $1 AND "
            "id = $2 AND status IN ('confirmed', 'pending')",
            t,
            r.i64(0),
            to_micros(now)
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1)
            return Error{Errc::unprocessable, "this booking cannot be cancelled now", "status", {}};
        YOYAKU_TRY(tx.exec(
            "UPDATE occurrences SET taken = taken - $3 WHERE tenant_id = $1 AND id = $2",
            t,
            r.i64(3),
            r.i64(2)
        ));
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"booking.cancelled", "booking:" + std::string(reference)}, now
        ));
        auto b = tx.query_one(
            "SELECT " + std::string(kBookingColumns) +
                " FROM bookings WHERE tenant_id = $1 AND id = $2",
            t,
            r.i64(0)
        );
        if (!b) return fail(std::move(b).error());
        return booking_from(*b, tenant, *keys);
    });
}

}  // namespace yoyaku::bookings

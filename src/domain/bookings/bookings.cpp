// The booking engine's write path (ADR 0009): plan what a booking occupies, take it with
// guarded statements in a fixed order, and record booking, idempotency key, audit entry and
// notification in the same transaction.

#include "domain/bookings/bookings.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/accounts.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/internal.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace detail {

using namespace std::chrono;
using storage::Blob;
using storage::Row;
using storage::ScopedTx;
using storage::Tx;

constexpr std::string_view kBookingColumns =
    "id, reference, offering_id, occurrence_id, status, seats, total_jpy, tickets, "
    "customer_sealed, created_at, starts_at, ends_at, resource_id, room_id, hold_expires_at, "
    "account_id, checked_in_at, capacity_taken, locale, revision, cancellation_fee_jpy, "
    "paid_at, series";

std::string taken_json(const Taken& t) {
    boost::json::array occ, usage;
    for (auto id : t.occurrences) occ.emplace_back(id);
    for (const auto& u : t.usage)
        usage.push_back(boost::json::array{u.resource, u.from, u.to, u.quantity});
    return boost::json::serialize(boost::json::object{
        {"occurrences", occ}, {"seats", t.seats}, {"usage", usage}});
}

Taken taken_from(const std::string& text) {
    Taken t;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return t;
    const auto& o = v.get_object();
    if (const auto* occ = o.if_contains("occurrences"))
        for (const auto& x : occ->as_array()) t.occurrences.push_back(x.as_int64());
    if (const auto* s = o.if_contains("seats")) t.seats = static_cast<int>(s->as_int64());
    if (const auto* usage = o.if_contains("usage"))
        for (const auto& x : usage->as_array()) {
            const auto& a = x.as_array();
            t.usage.push_back(
                {a[0].as_int64(),
                 a[1].as_int64(),
                 a[2].as_int64(),
                 static_cast<int>(a[3].as_int64())}
            );
        }
    return t;
}

// Upserts the buckets in ascending order (taking their row locks), then looks whether any is
// over the resource's units while holding them. Over: gives the units back and answers false.
Result<bool> take_use(Tx& tx, std::int64_t t, const Use& u) {
    YOYAKU_TRY(tx.exec(
        "WITH RECURSIVE b(n) AS (SELECT CAST($3 AS bigint) UNION ALL SELECT n + 1 FROM b WHERE "
        "n + 1 < $4) INSERT INTO resource_usage(tenant_id, resource_id, bucket, used) SELECT $1, "
        "$2, n, $5 FROM b WHERE true ORDER BY n ON CONFLICT (tenant_id, resource_id, bucket) DO "
        "UPDATE SET used = resource_usage.used + excluded.used",
        t,
        u.resource,
        u.from,
        u.to,
        static_cast<std::int64_t>(u.quantity)
    ));
    auto over = tx.query(
        "SELECT bucket FROM resource_usage WHERE tenant_id = $1 AND resource_id = $2 AND bucket "
        ">= $3 AND bucket < $4 AND used > $5 LIMIT 1",
        t,
        u.resource,
        u.from,
        u.to,
        static_cast<std::int64_t>(u.units)
    );
    if (!over) return fail(std::move(over).error());
    if (over->empty()) return true;
    YOYAKU_TRY(tx.exec(
        "UPDATE resource_usage SET used = used - $5 WHERE tenant_id = $1 AND resource_id = $2 AND "
        "bucket >= $3 AND bucket < $4",
        t,
        u.resource,
        u.from,
        u.to,
        static_cast<std::int64_t>(u.quantity)
    ));
    return false;
}

Result<void> give_back(Tx& tx, std::int64_t t, const Taken& taken) {
    for (const auto id : taken.occurrences)
        YOYAKU_TRY(tx.exec(
            "UPDATE occurrences SET taken = taken - $3 WHERE tenant_id = $1 AND id = $2",
            t,
            id,
            static_cast<std::int64_t>(taken.seats)
        ));
    for (const auto& u : taken.usage)
        YOYAKU_TRY(tx.exec(
            "UPDATE resource_usage SET used = used - $5 WHERE tenant_id = $1 AND resource_id = $2 "
            "AND bucket >= $3 AND bucket < $4",
            t,
            u.resource,
            u.from,
            u.to,
            static_cast<std::int64_t>(u.quantity)
        ));
    return {};
}

// Seats first (occurrences in id order), then resources in the order planned (non-staff
// before staff, ascending): every transaction locks in the same order.
Result<void> take(Tx& tx, std::int64_t t, const Taken& taken) {
    for (const auto id : taken.occurrences) {
        auto took = tx.exec(
            "UPDATE occurrences SET taken = taken + $3 WHERE tenant_id = $1 AND id = $2 AND "
            "taken + $3 <= capacity",
            t,
            id,
            static_cast<std::int64_t>(taken.seats)
        );
        if (!took) return fail(std::move(took).error());
        if (*took != 1) return Error{Errc::slot_taken, "not enough seats are left", "tickets", {}};
    }
    for (std::size_t i = 0; i < taken.usage.size(); ++i) {
        auto ok = take_use(tx, t, taken.usage[i]);
        if (!ok) return fail(std::move(ok).error());
        if (!*ok) {
            // Give back what this candidate took so far: the caller may try another.
            Taken so_far;
            so_far.usage.assign(taken.usage.begin(), taken.usage.begin() + i);
            YOYAKU_TRY(give_back(tx, t, so_far));
            return Error{Errc::slot_taken, "this time is no longer free", "starts_at", {}};
        }
    }
    return {};
}

Error refused(std::string message, std::string field) {
    return Error{Errc::unprocessable, std::move(message), std::move(field), {}};
}

Use use_of(const detail::ResourceTime& r, Instant start, Instant end, int quantity) {
    return {
        r.id,
        detail::bucket_of(start - r.before),
        detail::bucket_of(end + r.after - microseconds(1)) + 1,
        quantity,
        r.units};
}

std::vector<Use> uses_of(const ResourceTime& r, Instant start, Instant end, int quantity) {
    std::vector<Use> out{use_of(r, start, end, quantity)};
    for (const auto& p : r.parts)
        out.push_back(
            {p.id,
             bucket_of(start - p.before),
             bucket_of(end + p.after - microseconds(1)) + 1,
             quantity,
             1}
        );
    return out;
}

Result<Plan> plan_seats(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    Plan p;
    std::vector<Occurrence> occ;
    if (o.kind == OfferingKind::event) {
        // One row by its key: an event may have thousands of occurrences.
        YOYAKU_TRY_ASSIGN(
            auto one,
            offerings::OccurrenceStore(stx).find_of_offering(o.id, OccurrenceId{sel.occurrence_id})
        );
        occ.push_back(std::move(one));
    } else {
        auto all = offerings::OccurrenceStore(stx).list_by_offering(o.id);
        if (!all) return fail(std::move(all).error());
        if (all->empty()) return refused("this course has no sessions yet", "offering_id");
        occ = std::move(*all);
    }
    p.occurrence_id = occ.front().id.value;
    p.starts = occ.front().starts_at;
    p.ends = occ.back().ends_at;
    if (!detail::window_open(o, p.starts, now))
        return refused("booking is not open for this date", "occurrence_id");
    if (sel.tickets.empty()) return Error::invalid("tickets", "choose at least one ticket");
    int seats = 0;
    for (const auto& [code, n] : sel.tickets) {
        if (n < 0 || n > 100) return Error::invalid("tickets." + code, "must be 0 to 100");
        const auto it =
            std::find_if(o.ticket_types.begin(), o.ticket_types.end(), [&](const auto& x) {
                return x.code == code;
            });
        if (it == o.ticket_types.end())
            return Error::invalid("tickets." + code, "is not a ticket type of this offering");
        if (n > it->max_per_order)
            return refused(
                "at most " + std::to_string(it->max_per_order) + " per order", "tickets." + code
            );
        if (n > 0) p.tickets[code] = n;
        seats += n;
        p.total += it->price_jpy * n;
    }
    if (seats < 1) return Error::invalid("tickets", "choose at least one ticket");
    if (seats > o.max_per_order)
        return refused("at most " + std::to_string(o.max_per_order) + " per order", "tickets");
    p.seats = seats;
    Taken t;
    t.seats = seats;
    for (const auto& x : occ) t.occurrences.push_back(x.id.value);
    std::sort(t.occurrences.begin(), t.occurrences.end());
    p.candidates.push_back({std::nullopt, std::move(t)});
    return p;
}

Result<Plan> plan_time(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    if (!sel.starts_at) return Error::invalid("starts_at", "is required");
    Plan p;
    p.starts = *sel.starts_at;
    const minutes unit{o.duration_minutes};
    const bool rental = o.kind == OfferingKind::rental;
    if (rental) {
        if (sel.blocks < o.min_blocks || sel.blocks > o.max_blocks)
            return Error::invalid(
                "blocks",
                "must be " + std::to_string(o.min_blocks) + " to " + std::to_string(o.max_blocks)
            );
        if (sel.quantity < 1 || sel.quantity > o.max_per_order)
            return Error::invalid("quantity", "must be 1 to " + std::to_string(o.max_per_order));
        p.seats = sel.quantity;
        p.total = o.price_jpy * sel.blocks * sel.quantity;
        p.ends = p.starts + unit * sel.blocks;
    } else {
        p.total = o.price_jpy;
        p.ends = p.starts + unit;
        if (sel.resource_id &&
            std::find(o.resource_ids.begin(), o.resource_ids.end(), *sel.resource_id) ==
                o.resource_ids.end())
            return Error::invalid("resource_id", "is not a staff member of this offering");
    }
    if (!detail::window_open(o, p.starts, now))
        return refused("booking is not open for this time", "starts_at");
    auto zone = detail::tenant_zone(stx);
    if (!zone) return fail(std::move(zone).error());
    const auto day = year_month_day{floor<days>(to_local(p.starts, *zone))};
    const auto before = year_month_day{local_days{day} - days{1}};
    const auto after = year_month_day{local_days{day} + days{1}};
    const minutes step{
        rental || o.slot_step_minutes == 0 ? o.duration_minutes : o.slot_step_minutes};
    std::optional<detail::ResourceTime> room;
    if (o.room_id) {
        auto r = detail::load_resource_time(stx, *o.room_id, *zone, before, after);
        if (!r) return fail(std::move(r).error());
        if (!detail::inside_open(*r, p.starts, p.ends))
            return refused("the room is not open then", "starts_at");
        room = std::move(*r);
        p.room_id = room->id;
    }
    bool offered = false;
    std::vector<Plan::Candidate> busy;
    for (const auto id : o.resource_ids) {
        if (sel.resource_id && *sel.resource_id != id) continue;
        auto r = detail::load_resource_time(stx, id, *zone, before, after);
        if (!r) return fail(std::move(r).error());
        const auto starts = detail::starts_in(*r, unit, step);
        if (std::find(starts.begin(), starts.end(), p.starts) == starts.end() ||
            !detail::inside_open(*r, p.starts, p.ends))
            continue;
        offered = true;
        if (rental && sel.quantity > r->units)
            return Error::invalid("quantity", "must be 1 to " + std::to_string(r->units));
        Taken t;
        if (room) t.usage = uses_of(*room, p.starts, p.ends, 1);
        for (auto& u : uses_of(*r, p.starts, p.ends, p.seats)) t.usage.push_back(u);
        // Those the read shows free go first (in the offering's order); the guard decides.
        const bool looks_free =
            detail::free_units(*r, p.starts - r->before, p.ends + r->after) >= p.seats;
        (looks_free ? p.candidates : busy).push_back({id, std::move(t)});
    }
    if (!offered) return refused("this offering has no slot starting then", "starts_at");
    for (auto& c : busy) p.candidates.push_back(std::move(c));
    return p;
}

Result<Plan> plan_for(ScopedTx& stx, const Offering& o, const Selection& sel, Instant now) {
    if (o.kind == OfferingKind::event || o.kind == OfferingKind::course)
        return plan_seats(stx, o, sel, now);
    return plan_time(stx, o, sel, now);
}

// Takes the first candidate that fits; the Taken actually held, and the resource chosen.
Result<Plan::Candidate> take_plan(Tx& tx, std::int64_t t, const Plan& p) {
    Error last{Errc::slot_taken, "not enough places are left", "starts_at", {}};
    for (const auto& c : p.candidates) {
        auto r = take(tx, t, c.taken);
        if (r) return c;
        if (r.error().code != Errc::slot_taken) return fail(std::move(r).error());
        last = std::move(r).error();
        // Seats refused mid-course leave earlier rows taken: only time candidates continue,
        // and take_use gave its rows back before answering.
        if (!c.taken.occurrences.empty()) return last;
    }
    return last;
}

std::string sealed_text(const Sealed& s) {
    boost::json::object answers;
    for (const auto& [k, v] : s.answers) answers[k] = v;
    return boost::json::serialize(boost::json::object{
        {"name", s.customer.name},
        {"email", s.customer.email},
        {"phone", s.customer.phone},
        {"note", s.note},
        {"answers", std::move(answers)}});
}

std::string customer_context(TenantId tenant, std::int64_t id) {
    return crypto::field_context(tenant, "bookings", "customer", id);
}

Result<void> seal_customer(
    ScopedTx& stx,
    const crypto::TenantKeys& keys,
    std::string_view table,
    std::int64_t id,
    const Customer& c
) {
    const std::string t(table);
    YOYAKU_TRY(stx.tx().exec(
        "UPDATE " + t + " SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx.tenant_id().value,
        id,
        Blob{crypto::seal(
            keys.seal,
            sealed_text(Sealed{c, {}, {}}),
            crypto::field_context(stx.tenant_id(), t, "customer", id)
        )}
    ));
    return {};
}

Result<Customer> open_customer(
    const crypto::TenantKeys& keys,
    const std::string& sealed,
    TenantId tenant,
    std::string_view table,
    std::int64_t id
) {
    auto opened =
        keys.open(sealed, crypto::field_context(tenant, std::string(table), "customer", id));
    if (!opened) return Error::internal("a customer in " + std::string(table) + " does not open");
    boost::system::error_code ec;
    auto c = boost::json::parse(*opened, ec);
    if (ec || !c.is_object())
        return Error::internal("a customer in " + std::string(table) + " is garbled");
    auto str = [&](const char* key) {
        const auto* v = c.get_object().if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    return Customer{str("name"), str("email"), str("phone")};
}

Result<Booking> booking_from(const Row& r, TenantId tenant, const crypto::TenantKeys& k) {
    Booking b;
    b.id = r.i64(0);
    b.reference = r.text(1);
    b.offering_id = r.i64(2);
    if (!r.is_null(3)) b.occurrence_id = r.i64(3);
    b.status = parse_booking_status(r.text(4)).value_or(BookingStatus::confirmed);
    b.seats = static_cast<int>(r.i64(5));
    b.total_jpy = r.i64(6);
    boost::system::error_code ec;
    auto t = boost::json::parse(r.text(7), ec);
    if (!ec && t.is_object())
        for (const auto& [code, n] : t.get_object())
            b.tickets[std::string(code)] = static_cast<int>(n.to_number<std::int64_t>());
    auto opened = k.open(r.blob(8).bytes, customer_context(tenant, b.id));
    if (!opened) return Error::internal("a booking's customer does not open");
    auto c = boost::json::parse(*opened).as_object();
    auto str = [&](const char* key) {
        const auto* v = c.if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    b.customer = {str("name"), str("email"), str("phone")};
    b.note = str("note");
    if (const auto* a = c.if_contains("answers"); a && a->is_object())
        for (const auto& [q, v] : a->get_object())
            if (v.is_string()) b.answers[std::string(q)] = std::string(v.get_string());
    b.created_at = from_micros(r.i64(9));
    b.starts_at = from_micros(r.i64(10));
    b.ends_at = from_micros(r.i64(11));
    if (!r.is_null(12)) b.resource_id = r.i64(12);
    if (!r.is_null(13)) b.room_id = r.i64(13);
    if (!r.is_null(14)) b.hold_expires_at = from_micros(r.i64(14));
    if (!r.is_null(15)) b.account_id = r.i64(15);
    if (!r.is_null(16)) b.checked_in_at = from_micros(r.i64(16));
    b.locale = r.text(18);
    b.revision = static_cast<int>(r.i64(19));
    if (!r.is_null(20)) b.cancellation_fee_jpy = r.i64(20);
    if (!r.is_null(21)) b.paid_at = from_micros(r.i64(21));
    if (!r.is_null(22)) b.series = r.text(22);
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

// The customer's details and the answers to the offering's questions.
Result<Sealed> check_details(const Offering& o, const NewBooking& in) {
    Sealed s;
    auto c = check_customer(in.customer);
    if (!c) return fail(std::move(c).error());
    s.customer = std::move(*c);
    if (text::code_points(in.note) > 1000 || text::has_control_chars(in.note, true))
        return Error::invalid("note", "must be at most 1000 characters of text");
    s.note = in.note;
    for (const auto& [id, value] : in.answers)
        if (std::none_of(o.questions.begin(), o.questions.end(), [&](const Question& q) {
                return q.id == id;
            }))
            return Error::invalid("answers." + id, "is not a question of this offering");
    for (const auto& q : o.questions) {
        const std::string f = "answers." + q.id;
        const auto it = in.answers.find(q.id);
        const bool given = it != in.answers.end() && !it->second.empty() &&
                           !(q.type == QuestionType::checkbox && it->second == "false");
        if (!given) {
            if (q.required) return Error::invalid(f, "is required");
            if (q.type == QuestionType::checkbox) s.answers[q.id] = "false";
            continue;
        }
        const auto& v = it->second;
        switch (q.type) {
            case QuestionType::text:
                if (text::code_points(v) > 1000 || text::has_control_chars(v, true))
                    return Error::invalid(f, "must be at most 1000 characters of text");
                break;
            case QuestionType::choice:
                if (std::find(q.options.begin(), q.options.end(), v) == q.options.end())
                    return Error::invalid(f, "must be one of the question's options");
                break;
            case QuestionType::checkbox:
                if (v != "true") return Error::invalid(f, "must be true or false");
                break;
        }
        s.answers[q.id] = v;
    }
    return s;
}

Result<Booking> load_booking(
    ScopedTx& stx,
    std::string_view where,
    const storage::Value& key,
    TenantId tenant,
    const crypto::TenantKeys& keys
) {
    auto row = stx.tx().query(
        "SELECT " + std::string(kBookingColumns) + " FROM bookings WHERE tenant_id = $1 AND " +
            std::string(where) + " = $2",
        stx.tenant_id().value,
        key
    );
    if (!row) return fail(std::move(row).error());
    if (row->empty()) return Error::not_found("no such booking");
    return booking_from(row->front(), tenant, keys);
}

std::string capacity_of(ScopedTx& stx, std::int64_t id) {
    auto row = stx.tx().query(
        "SELECT capacity_taken FROM bookings WHERE tenant_id = $1 AND id = $2",
        stx.tenant_id().value,
        id
    );
    return row && !row->empty() ? row->front().text(0) : std::string("{}");
}

boost::json::value opt_json(const std::optional<std::int64_t>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// What webhooks receive about a booking (the tenant's own systems: the customer's name and
// address are theirs).
std::string event_data(const Booking& b, const std::string& offering_name) {
    boost::json::object tickets;
    for (const auto& [code, n] : b.tickets) tickets[code] = n;
    return boost::json::serialize(boost::json::object{
        {"reference", b.reference},
        {"status", to_string(b.status)},
        {"offering_id", b.offering_id},
        {"offering_name", offering_name},
        {"occurrence_id", opt_json(b.occurrence_id)},
        {"starts_at", format_rfc3339(b.starts_at, "UTC")},
        {"ends_at", format_rfc3339(b.ends_at, "UTC")},
        {"seats", b.seats},
        {"tickets", std::move(tickets)},
        {"total_jpy", b.total_jpy},
        {"resource_id", opt_json(b.resource_id)},
        {"room_id", opt_json(b.room_id)},
        {"locale", b.locale},
        {"cancellation_fee_jpy", opt_json(b.cancellation_fee_jpy)},
        {"customer",
         {{"name", b.customer.name}, {"email", b.customer.email}, {"phone", b.customer.phone}}}});
}

// The customer's mail about `b` (template `name`), in the booking's language, with an
// iCalendar event when the mail adds, moves or removes a calendar entry.
Result<void> mail_customer(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view name,
    const Booking& b,
    const std::string& offering_name,
    Instant now,
    const std::vector<std::pair<std::string, std::string>>& extra
) {
    if (b.customer.email.empty()) return {};
    auto t = tenants::TenantStore(stx).find_profile();
    if (!t) return fail(std::move(t).error());
    mail::Vars vars{
        {"tenant_name", t->name},
        {"tenant_code", t->code},
        {"name", b.customer.name},
        {"offering", offering_name},
        {"starts_at", mail::format_local(b.starts_at, t->time_zone, b.locale)},
        {"seats", std::to_string(b.seats)},
        {"total_jpy", std::to_string(b.total_jpy)},
        {"reference", b.reference}};
    // Sections in the templates show only what is set.
    if (b.cancellation_fee_jpy && *b.cancellation_fee_jpy > 0)
        vars.emplace_back("fee_jpy", std::to_string(*b.cancellation_fee_jpy));
    if (b.hold_expires_at)
        vars.emplace_back(
            "hold_expires_at", mail::format_local(*b.hold_expires_at, t->time_zone, b.locale)
        );
    vars.insert(vars.end(), extra.begin(), extra.end());
    auto m = mail::render(stx.tx(), stx.tenant_id(), name, b.locale, vars, b.customer.email);
    if (!m) return fail(std::move(m).error());
    const bool cancel = name == "booking_cancelled";
    if (cancel || name == "booking_confirmed" || name == "booking_rescheduled" ||
        name == "booking_reminder") {
        auto e = ical_event(b, t->code, offering_name + " (" + t->name + ")", now);
        e.cancelled = cancel;
        const std::string method = cancel ? "CANCEL" : "REQUEST";
        m->attachments.push_back(
            {cancel ? "cancel.ics" : "booking.ics",
             "text/calendar; charset=UTF-8; method=" + method,
             calendar::ical_calendar(method, {e}, options.organizer_email)}
        );
    }
    std::string kind(name);  // booking_confirmed → booking.confirmed
    std::replace(kind.begin(), kind.end(), '_', '.');
    YOYAKU_TRY(mail::enqueue(stx.tx(), keys, stx.tenant_id(), kind, *m, now, b.reference));
    // A signed-in customer who linked LINE gets the same words there.
    if (b.account_id) {
        auto pushed = line::push(
            stx, keys, *b.account_id, kind, m->subject + "\n\n" + m->text, now, b.reference
        );
        if (!pushed) return fail(std::move(pushed).error());
    }
    return {};
}

// What a change to a booking tells the world, inside its transaction: the webhook event
// `booking.<event>`, the customer's mail (`mail_name`, or none when empty) and, for a
// booking that is now confirmed at a new time, its reminder.
Result<void> announce(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::string_view event,
    std::string_view mail_name,
    const Booking& b,
    const Offering& o,
    Instant now
) {
    YOYAKU_TRY(
        webhooks::emit(stx, keys, "booking." + std::string(event), event_data(b, o.name), now)
    );
    if (!mail_name.empty())
        YOYAKU_TRY(mail_customer(stx, keys, options, mail_name, b, o.name, now));
    const bool placed =
        event == "created" || event == "confirmed" || event == "approved" || event == "rescheduled";
    if (!placed || b.status != BookingStatus::confirmed) return {};
    // A job `topic` about `b`, due `before` its start, unless that moment has passed.
    const auto schedule = [&](const char* topic, const char* kind, int before) -> Result<void> {
        jobs::NewJob job;
        job.topic = topic;
        job.kind = kind;
        job.ref = b.reference;
        job.run_at = b.starts_at - minutes(before);
        job.payload = boost::json::serialize(boost::json::object{
            {"reference", b.reference}, {"starts_at", to_micros(b.starts_at)}});
        if (job.run_at <= now) return {};
        auto queued = jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now);
        if (!queued) return fail(std::move(queued).error());
        return {};
    };
    if (o.reminder_minutes > 0 && !b.customer.email.empty())
        YOYAKU_TRY(schedule("reminder", "booking.reminder", o.reminder_minutes));
    // Pay later: the deadline's check, when something is owed.
    if (o.pay_by_minutes > 0 && b.total_jpy > 0 && !b.paid_at)
        YOYAKU_TRY(schedule("unpaid", "booking.unpaid", o.pay_by_minutes));
    return {};
}

// Reloads booking `id` after a change that mails nobody and sends its webhook event.
Result<Booking> announced(
    ScopedTx& stx,
    crypto::Keyring& keyring,
    std::string_view event,
    std::int64_t id,
    TenantId tenant,
    const crypto::TenantKeys& keys,
    Instant now
) {
    auto b = load_booking(stx, "id", id, tenant, keys);
    if (!b) return fail(std::move(b).error());
    auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
    if (!o) return fail(std::move(o).error());
    YOYAKU_TRY(
        webhooks::emit(stx, keyring, "booking." + std::string(event), event_data(*b, o->name), now)
    );
    return b;
}

// Seats given back in an occurrence go to its waitlist first (events and courses keeping one).
Result<void> release_to_waitlist(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::int64_t offering_id,
    std::optional<std::int64_t> occurrence_id,
    Instant now
) {
    if (!occurrence_id) return {};
    auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id});
    if (!o) return fail(std::move(o).error());
    if (o->waitlist == WaitlistMode::off) return {};
    auto served = serve_waitlist(stx, keys, options, *o, *occurrence_id, now);
    if (!served) return fail(std::move(served).error());
    return {};
}

// Gives back what expired holds of one offering (or all, 0) keep, marking them expired; a
// waitlist offer that ran out passes to the next in line.
Result<int> expire_holds(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const BookingOptions& options,
    std::int64_t offering_id,
    Instant now,
    int limit
) {
    auto& tx = stx.tx();
    const auto t = stx.tenant_id().value;
    auto rows = tx.query(
        "SELECT id, capacity_taken, reference, offering_id, occurrence_id FROM bookings WHERE "
        "tenant_id = $1 "
        "AND status = 'held' AND "
        "hold_expires_at <= $2 AND ($3 = 0 OR offering_id = $3) ORDER BY hold_expires_at LIMIT "
        "$4",
        t,
        to_micros(now),
        offering_id,
        static_cast<std::int64_t>(limit)
    );
    if (!rows) return fail(std::move(rows).error());
    int n = 0;
    for (const auto& r : *rows) {
        auto changed = tx.exec(
            "UPDATE bookings SET status = 'expired', updated_at = $3 WHERE tenant_id = $1 AND id = "
            "$2 AND status = 'held'",
            t,
            r.i64(0),
            to_micros(now)
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1) continue;
        YOYAKU_TRY(give_back(tx, t, taken_from(r.text(1))));
        YOYAKU_TRY(offer_ended(stx, r.i64(0), false));
        YOYAKU_TRY(release_to_waitlist(
            stx,
            keys,
            options,
            r.i64(3),
            r.is_null(4) ? std::nullopt : std::optional<std::int64_t>(r.i64(4)),
            now
        ));
        auto emitted = webhooks::emit(
            stx,
            keys,
            "booking.expired",
            boost::json::serialize(boost::json::object{
                {"reference", r.text(2)}, {"status", "expired"}, {"offering_id", r.i64(3)}}),
            now
        );
        if (!emitted) return fail(std::move(emitted).error());
        ++n;
    }
    return n;
}

bool proves(const Booking& b, const Requester& who, const crypto::TenantKeys& keys) {
    if (who.staff) return true;
    if (who.account_id && b.account_id == who.account_id) return true;
    if (who.email.empty()) return false;
    auto email = accounts::normalize_email(who.email, "email");
    return email && crypto::blind_index(keys.index, *email) ==
                        crypto::blind_index(keys.index, b.customer.email);
}

bool live(BookingStatus s) {
    return s == BookingStatus::confirmed || s == BookingStatus::pending;
}

// The published offering a selection names (an event's occurrence names its offering).
Result<Offering> published_offering(ScopedTx& stx, const Selection& what) {
    std::int64_t offering_id = what.offering_id;
    if (what.occurrence_id != 0) {
        auto occ = stx.tx().query(
            "SELECT offering_id FROM occurrences WHERE tenant_id = $1 AND id = $2",
            stx.tenant_id().value,
            what.occurrence_id
        );
        if (!occ) return fail(std::move(occ).error());
        if (occ->empty()) return Error::not_found("no such occurrence");
        if (offering_id != 0 && offering_id != occ->front().i64(0))
            return Error::invalid("occurrence_id", "is not an occurrence of offering_id");
        offering_id = occ->front().i64(0);
    }
    if (offering_id == 0) return Error::invalid("offering_id", "is required");
    auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{offering_id});
    if (!o || !o->published) return Error::not_found("no such offering");
    return o;
}

// The starts of a repeating rental: the first, then every N weeks at the same local time in the
// tenant's zone (across daylight saving), `count` in all or up to the `until` date.
Result<std::vector<Instant>> repeat_dates(ScopedTx& stx, const Offering& o, const NewBooking& in) {
    const auto& r = *in.repeat;
    if (o.kind != OfferingKind::rental) return Error::invalid("repeat", "only rentals repeat");
    if (in.hold) return Error::invalid("repeat", "a hold does not repeat");
    if (!in.what.starts_at) return Error::invalid("starts_at", "is required");
    if (r.every_weeks < 1 || r.every_weeks > 52)
        return Error::invalid("repeat.every_weeks", "must be 1 to 52");
    if ((r.count != 0) == r.until.has_value())
        return Error::invalid("repeat", "give either count or until");
    if (r.until.has_value() ? false : (r.count < 2 || r.count > 52))
        return Error::invalid("repeat.count", "must be 2 to 52");
    auto zone = tenant_zone(stx);
    if (!zone) return fail(std::move(zone).error());
    const auto local = to_local(*in.what.starts_at, *zone);
    if (r.until) {
        const auto first = year_month_day{floor<days>(local)};
        if (local_days{*r.until} <= local_days{first})
            return Error::invalid("repeat.until", "must be after the first date");
        if (local_days{*r.until} - local_days{first} > days{366})
            return Error::invalid("repeat.until", "at most a year after the first date");
    }
    std::vector<Instant> out;
    for (int k = 0; k < 52; ++k) {
        const auto at = local + weeks(k * r.every_weeks);
        if (r.until ? year_month_day{floor<days>(at)} > *r.until : k >= r.count) break;
        out.push_back(from_local(at, *zone));
    }
    return out;
}

}  // namespace detail

using namespace detail;

Result<Created> BookingService::book(
    TenantId tenant, const NewBooking& in, const audit::Actor& actor, const audit::Origin& origin
) {
    if (!valid_key(in.idempotency_key))
        return Error::invalid("Idempotency-Key", "send 8–128 characters of A-Z, a-z, 0-9, _ - . :");
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());

    auto attempt = [&]() -> Result<Created> {
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Created> {
            auto& tx = stx.tx();
            const auto t = stx.tenant_id().value;
            auto o = published_offering(stx, in.what);
            if (!o) return fail(std::move(o).error());
            const std::int64_t offering_id = o->id.value;
            if (o->kind == OfferingKind::event && in.what.occurrence_id == 0)
                return Error::invalid("occurrence_id", "an event is booked by its occurrence");
            Sealed details;
            if (!in.hold) {
                auto d = check_details(*o, in);
                if (!d) return fail(std::move(d).error());
                details = std::move(*d);
            }
            const std::string request_hash = crypto::blake2b_256_hex(
                sealed_text(details) + "|" + std::to_string(offering_id) + "|" +
                std::to_string(in.what.occurrence_id) + "|" +
                (in.what.starts_at ? std::to_string(to_micros(*in.what.starts_at)) : "-") + "|" +
                std::to_string(in.what.blocks) + "|" + std::to_string(in.what.quantity) + "|" +
                std::to_string(in.what.resource_id.value_or(0)) + "|" + boost::json::serialize([&] {
                    boost::json::object x;
                    for (const auto& [k, n] : in.what.tickets) x[k] = n;
                    return x;
                }()) +
                (in.hold ? "|hold" : "") +
                (in.repeat ? "|repeat:" + std::to_string(in.repeat->every_weeks) + ":" +
                                 std::to_string(in.repeat->count) + ":" +
                                 (in.repeat->until ? resources::format_date(*in.repeat->until)
                                                   : std::string("-")) +
                                 (in.repeat->skip_conflicts ? ":skip" : "")
                           : std::string())
            );
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
                auto b = load_booking(stx, "id", seen->front().i64(1), tenant, *keys);
                if (!b) return fail(std::move(b).error());
                Created replay{std::move(*b), true, {}, {}};
                if (replay.booking.series) {
                    auto rows = tx.query(
                        "SELECT id FROM bookings WHERE tenant_id = $1 AND series = $2 ORDER BY "
                        "starts_at",
                        t,
                        *replay.booking.series
                    );
                    if (!rows) return fail(std::move(rows).error());
                    for (const auto& r : *rows) {
                        auto x = load_booking(stx, "id", r.i64(0), tenant, *keys);
                        if (!x) return fail(std::move(x).error());
                        replay.series.push_back(std::move(*x));
                    }
                }
                return replay;
            }
            auto keep_key = [&](std::int64_t id) -> Result<void> {
                auto key = tx.exec(
                    "INSERT INTO idempotency_keys(tenant_id, idempotency_key, request_hash, "
                    "booking_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                    t,
                    in.idempotency_key,
                    request_hash,
                    id,
                    to_micros(now)
                );
                if (key) return {};
                if (key.error().code == Errc::conflict)
                    return Error{Errc::conflict, "a duplicate is in flight", "Idempotency-Key", {}};
                return fail(std::move(key).error());
            };
            // One booking of `what`: priced for the member's class, within the customer's
            // limits, its places taken, announced and audited.
            auto place = [&](const Selection& what, bool take_first) -> Result<Booking> {
                // A member's class: their own booking window and price factor.
                auto plan = member_plan(stx, *o, in.hold ? std::nullopt : in.account_id, what, now);
                if (!plan) return fail(std::move(plan).error());
                if (!in.hold)
                    YOYAKU_TRY(check_limits(
                        stx,
                        *o,
                        keys->indexes(details.customer.email),
                        in.account_id,
                        plan->starts,
                        plan->candidates.front().resource_id,
                        std::nullopt,
                        now
                    ));
                // Places kept by holds that ran out come back first (ADR 0009).
                auto expired = expire_holds(stx, keys_, options_, offering_id, now, 100);
                if (!expired) return fail(std::move(expired).error());
                // The hot rows (seats, the tenant's audit chain head) are locked last, so that
                // concurrent bookings wait on them only for a statement or two and the COMMIT.
                // A repeating request takes the places before writing each booking, so that a
                // date refused leaves nothing behind (the rest of the request goes on).
                std::optional<Plan::Candidate> taken_first;
                if (take_first) {
                    auto chosen = take_plan(tx, t, *plan);
                    if (!chosen) return fail(std::move(chosen).error());
                    taken_first = std::move(*chosen);
                }
                const auto& first = taken_first ? *taken_first : plan->candidates.front();

                const std::string status = in.hold                ? "held"
                                           : o->requires_approval ? "pending"
                                                                  : "confirmed";
                auto opt = [](const std::optional<std::int64_t>& v) {
                    return v ? storage::Value(*v) : storage::Value();
                };
                const std::vector<storage::Value> values{
                    t,
                    new_reference(),
                    offering_id,
                    opt(plan->occurrence_id),
                    status,
                    static_cast<std::int64_t>(plan->seats),
                    plan->total,
                    tickets_text(plan->tickets),
                    Blob{},
                    crypto::blind_index(keys->index, details.customer.email),
                    to_micros(now),
                    to_micros(plan->starts),
                    to_micros(plan->ends),
                    opt(first.resource_id),
                    opt(plan->room_id),
                    in.hold ? storage::Value(to_micros(now + minutes(o->hold_minutes)))
                            : storage::Value(),
                    opt(in.hold ? std::nullopt : in.account_id),
                    taken_json(first.taken),
                    in.locale.empty() ? storage::Value() : storage::Value(in.locale)};
                auto row = tx.query_one(
                    "INSERT INTO bookings(tenant_id, reference, offering_id, occurrence_id, "
                    "status, "
                    "seats, total_jpy, tickets, customer_sealed, email_index, created_at, "
                    "updated_at, "
                    "starts_at, ends_at, resource_id, room_id, hold_expires_at, account_id, "
                    "capacity_taken, locale) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                    "$11, "
                    "$12, $13, $14, $15, $16, $17, $18, coalesce(CAST($19 AS text), (SELECT locale "
                    "FROM tenants WHERE id = $1))) RETURNING id",
                    std::span<const storage::Value>(values)
                );
                if (!row) return fail(std::move(row).error());
                const auto id = row->i64(0);
                YOYAKU_TRY(tx.exec(
                    "UPDATE bookings SET customer_sealed = $3 WHERE tenant_id = $1 AND id = $2",
                    t,
                    id,
                    Blob{crypto::seal(
                        keys->seal, sealed_text(details), customer_context(tenant, id)
                    )}
                ));
                // A single booking's key is written before its places are taken (the hot rows
                // last); a duplicate in flight waits here.
                if (!take_first) YOYAKU_TRY(keep_key(id));
                auto booking = load_booking(stx, "id", id, tenant, *keys);
                if (!booking) return fail(std::move(booking).error());
                auto chosen =
                    taken_first ? Result<Plan::Candidate>(*taken_first) : take_plan(tx, t, *plan);
                if (!chosen) return fail(std::move(chosen).error());
                if (chosen->resource_id != first.resource_id) {
                    YOYAKU_TRY(tx.exec(
                        "UPDATE bookings SET resource_id = $3, capacity_taken = $4 WHERE tenant_id "
                        "= "
                        "$1 AND id = $2",
                        t,
                        id,
                        opt(chosen->resource_id),
                        taken_json(chosen->taken)
                    ));
                    booking->resource_id = chosen->resource_id;
                }
                if (!in.hold)
                    YOYAKU_TRY(announce(
                        stx,
                        keys_,
                        options_,
                        "created",
                        o->requires_approval ? "booking_received" : "booking_confirmed",
                        *booking,
                        *o,
                        now
                    ));
                YOYAKU_TRY(audit::append(
                    stx,
                    actor,
                    origin,
                    {in.hold ? "booking.held" : "booking.created",
                     "booking:" + booking->reference,
                     "success",
                     boost::json::serialize(boost::json::object{
                         {"offering", offering_id},
                         {"status", status},
                         {"seats", plan->seats},
                         {"total_jpy", plan->total}})},
                    now
                ));
                return std::move(*booking);
            };
            if (!in.repeat) {
                auto b = place(in.what, false);
                if (!b) return fail(std::move(b).error());
                return Created{std::move(*b), false, {}, {}};
            }
            auto dates = repeat_dates(stx, *o, in);
            if (!dates) return fail(std::move(dates).error());
            Created out;
            for (const auto start : *dates) {
                Selection what = in.what;
                what.starts_at = start;
                auto b = place(what, true);
                if (b) {
                    out.series.push_back(std::move(*b));
                    continue;
                }
                const auto& e = b.error();
                const bool refusal = e.code == Errc::slot_taken || e.code == Errc::unprocessable;
                if (!refusal || !in.repeat->skip_conflicts) {
                    if (!refusal) return fail(std::move(b).error());
                    return Error{
                        e.code,
                        format_rfc3339(start, "UTC") + ": " + e.message +
                            " (nothing was booked; send repeat.skip_conflicts to book the rest)",
                        "repeat",
                        {}};
                }
                out.skipped.push_back({start, e.field, e.message});
            }
            if (out.series.empty())
                return Error{Errc::slot_taken, "none of the dates can be booked", "repeat", {}};
            for (const auto& b : out.series)
                YOYAKU_TRY(tx.exec(
                    "UPDATE bookings SET series = $3 WHERE tenant_id = $1 AND id = $2",
                    t,
                    b.id,
                    out.series.front().reference
                ));
            for (auto& b : out.series) b.series = out.series.front().reference;
            YOYAKU_TRY(keep_key(out.series.front().id));
            out.booking = out.series.front();
            return out;
        });
    };
    auto r = attempt();
    // Two requests with one key at once: the loser rolled back; it now finds the winner's
    // answer.
    if (!r && r.error().code == Errc::conflict && r.error().field == "Idempotency-Key")
        r = attempt();
    return r;
}

Result<Booking> BookingService::change(
    TenantId tenant,
    std::string_view reference,
    const std::function<Result<Booking>(ScopedTx&, const Change&)>& fn
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto b = load_booking(stx, "reference", std::string(reference), tenant, *keys);
        if (!b) return fail(std::move(b).error());
        return fn(stx, Change{*b, *keys, now});
    });
}

Result<Booking> BookingService::confirm_hold(
    TenantId tenant,
    std::string_view reference,
    const NewBooking& details,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        auto d = check_details(*o, details);
        if (!d) return fail(std::move(d).error());
        if (b->status != BookingStatus::held) {
            if (live(b->status) && b->customer.email == d->customer.email) return *b;
            return Error{Errc::conflict, "this hold was already used", "reference", {}};
        }
        if (!b->hold_expires_at || *b->hold_expires_at <= now)
            return refused("the hold has expired; please choose again", "reference");
        YOYAKU_TRY(check_limits(
            stx,
            *o,
            keys->indexes(d->customer.email),
            details.account_id,
            b->starts_at,
            b->resource_id,
            b->id,
            now
        ));
        const std::string status = o->requires_approval ? "pending" : "confirmed";
        auto changed = tx.exec(
            "UPDATE bookings SET status = $3, customer_sealed = $4, email_index = $5, account_id = "
            "$6, hold_expires_at = NULL, updated_at = $7 WHERE tenant_id = $1 AND id = $2 AND "
            "status = 'held'",
            t,
            b->id,
            status,
            Blob{crypto::seal(keys->seal, sealed_text(*d), customer_context(tenant, b->id))},
            crypto::blind_index(keys->index, d->customer.email),
            details.account_id ? storage::Value(*details.account_id) : storage::Value(),
            to_micros(now)
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1)
            return Error{Errc::conflict, "this hold was already used", "reference", {}};
        // Held anonymously; confirmed by a member of a class, it takes the class's price.
        auto percent = apply_user_class(stx, details.account_id, *o);
        if (!percent) return fail(std::move(percent).error());
        if (*percent != 100)
            YOYAKU_TRY(tx.exec(
                "UPDATE bookings SET total_jpy = $3 WHERE tenant_id = $1 AND id = $2",
                t,
                b->id,
                user_classes::priced(b->total_jpy, *percent)
            ));
        auto after = load_booking(stx, "id", b->id, tenant, *keys);
        if (!after) return fail(std::move(after).error());
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.created", "booking:" + after->reference, "success", "{\"from\":\"hold\"}"},
            now
        ));
        YOYAKU_TRY(announce(
            stx,
            keys_,
            options_,
            "created",
            o->requires_approval ? "booking_received" : "booking_confirmed",
            *after,
            *o,
            now
        ));
        return after;
    });
}

Result<int> BookingService::release_expired_holds(TenantId tenant) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<int> {
        auto n = expire_holds(stx, keys_, options_, 0, now, 500);
        if (!n) return n;
        if (*n > 0)
            YOYAKU_TRY(audit::append(
                stx,
                {"system", "system"},
                {},
                {"booking.holds_expired",
                 "tenant:" + std::to_string(stx.tenant_id().value),
                 "success",
                 "{\"count\":" + std::to_string(*n) + "}"},
                now
            ));
        return n;
    });
}

Result<int> BookingService::release_all_expired_holds() {
    auto tenants = db_.read_platform([](Tx& tx) {
        return tx.query("SELECT id FROM tenants WHERE status = 'active' ORDER BY id");
    });
    if (!tenants) return fail(std::move(tenants).error());
    int total = 0;
    for (const auto& row : *tenants) {
        auto n = release_expired_holds(TenantId{row.i64(0)});
        if (!n) return n;
        total += *n;
    }
    return total;
}

Result<Booking> BookingService::find_by_reference(TenantId tenant, std::string_view reference) {
    return find_for(tenant, reference, Requester{true, {}, {}});
}

Result<Booking> BookingService::find_for(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Booking> {
        auto b = load_booking(stx, "reference", std::string(reference), tenant, *keys);
        if (!b) return b;
        if (!proves(*b, who, *keys)) return Error::not_found("no such booking");
        return b;
    });
}

Result<std::vector<Booking>> BookingService::list(TenantId tenant, const BookingFilter& f) {
    if (f.limit < 1 || f.limit > 500) return Error::invalid("limit", "must be 1 to 500");
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    std::vector<std::string> email_indexes{""};
    if (!f.email.empty()) {
        auto e = accounts::normalize_email(f.email, "email");
        if (!e) return fail(std::move(e).error());
        email_indexes = keys->indexes(*e);
    }
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<Booking>> {
            auto opt = [](const std::optional<std::int64_t>& v) { return v.value_or(0); };
            std::vector<storage::Value> params{
                stx.tenant_id().value,
                f.from ? to_micros(*f.from) : std::numeric_limits<std::int64_t>::min(),
                f.to ? to_micros(*f.to) : std::numeric_limits<std::int64_t>::max(),
                f.status ? std::string(to_string(*f.status)) : std::string(),
                opt(f.offering_id),
                opt(f.resource_id),
                opt(f.account_id),
                static_cast<std::int64_t>(f.limit)};
            // Without an address $9 is '' and matches everything; with one, $9… are its index
            // under each key generation.
            const auto list = storage::append_list(params, email_indexes);
            auto rows = stx.tx().query(
                "SELECT " + std::string(kBookingColumns) +
                    " FROM bookings WHERE tenant_id = $1 AND starts_at >= $2 AND starts_at < $3 "
                    "AND ($4 = '' OR status = $4) AND ($5 = 0 OR offering_id = $5) AND ($6 = 0 OR "
                    "resource_id = $6 OR room_id = $6) AND ($7 = 0 OR account_id = $7) AND ($9 = "
                    "'' OR email_index IN (" +
                    list + ")) ORDER BY starts_at, id LIMIT $8",
                std::span<const storage::Value>(params)
            );
            if (!rows) return fail(std::move(rows).error());
            std::vector<Booking> out;
            for (const auto& r : *rows) {
                auto b = booking_from(r, tenant, *keys);
                if (!b) return fail(std::move(b).error());
                out.push_back(std::move(*b));
            }
            return out;
        }
    );
}

Result<FeeQuote> BookingService::cancellation_quote(
    TenantId tenant, std::string_view reference, const Requester& who
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<FeeQuote> {
        auto b = load_booking(stx, "reference", std::string(reference), tenant, *keys);
        if (!b) return fail(std::move(b).error());
        if (!proves(*b, who, *keys)) return Error::not_found("no such booking");
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        return quote_fee(*o, *b, now);
    });
}

Result<Booking> BookingService::cancel(
    TenantId tenant,
    std::string_view reference,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin,
    const CancelOptions& options
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (!proves(*b, who, *keys)) return Error::not_found("no such booking");
        // Paid (or changed) before its deadline came: the unpaid job leaves it.
        if (options.unpaid && (b->paid_at || b->status != BookingStatus::confirmed)) return *b;
        if (!live(b->status) && b->status != BookingStatus::held)
            return refused("this booking cannot be cancelled now", "status");
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        if (!who.staff && now > b->starts_at - minutes(o->cancel_before_minutes))
            return refused("the cancellation deadline has passed", "reference");
        // The fee the tiers charge now, the same for every channel; staff may waive it.
        const bool waive = options.waive_fee && who.staff;
        const std::int64_t fee = waive ? 0 : quote_fee(*o, *b, now).fee_jpy;
        if (options.expected_fee_jpy && *options.expected_fee_jpy != fee)
            return Error{
                Errc::conflict,
                "the cancellation fee is now " + std::to_string(fee) + " yen; confirm again",
                "expected_fee_jpy",
                {}};
        auto changed = tx.exec(
            "UPDATE bookings SET status = 'cancelled', updated_at = $3, revision = revision + 1, "
            "cancellation_fee_jpy = $4 WHERE tenant_id = $1 AND id = $2 AND status IN "
            "('confirmed', 'pending', 'held')",
            t,
            b->id,
            to_micros(now),
            fee
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1) return refused("this booking cannot be cancelled now", "status");
        YOYAKU_TRY(give_back(tx, t, taken_from(capacity_of(stx, b->id))));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.cancelled",
             "booking:" + b->reference,
             "success",
             boost::json::serialize(boost::json::object{
                 {"by",
                  options.unpaid ? "unpaid"
                  : who.staff    ? "staff"
                                 : "customer"},
                 {"fee_jpy", fee},
                 {"fee_waived", waive}})},
            now
        ));
        auto after = load_booking(stx, "id", b->id, tenant, *keys);
        if (!after) return fail(std::move(after).error());
        // A held booking may be a waitlist offer: declined, it passes on.
        YOYAKU_TRY(offer_ended(stx, b->id, true));
        // A hold never confirmed (a waitlist offer given up) mails nobody; an unpaid booking's
        // mail says why it went.
        YOYAKU_TRY(announce(
            stx,
            keys_,
            options_,
            "cancelled",
            b->status == BookingStatus::held || options.unpaid ? "" : "booking_cancelled",
            *after,
            *o,
            now
        ));
        if (options.unpaid)
            YOYAKU_TRY(mail_customer(
                stx, keys_, options_, "booking_cancelled", *after, o->name, now, {{"unpaid", "1"}}
            ));
        YOYAKU_TRY(release_to_waitlist(stx, keys_, options_, o->id.value, b->occurrence_id, now));
        return after;
    });
}

Result<Booking> BookingService::reschedule(
    TenantId tenant,
    std::string_view reference,
    const Selection& to,
    const Requester& who,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (!proves(*b, who, *keys)) return Error::not_found("no such booking");
        if (!live(b->status)) return refused("only a live booking can be moved", "status");
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        if (o->kind == OfferingKind::course)
            return refused("a course enrolment cannot be moved", "reference");
        if (!who.staff && now > b->starts_at - minutes(o->cancel_before_minutes))
            return refused("the deadline for changes has passed", "reference");
        // The same booking at another time: same tickets, blocks and quantity.
        Selection sel = to;
        sel.offering_id = o->id.value;
        sel.tickets = b->tickets;
        sel.quantity = b->seats;
        sel.blocks =
            o->duration_minutes > 0
                ? static_cast<int>((b->ends_at - b->starts_at) / minutes(o->duration_minutes))
                : 1;
        if (o->kind == OfferingKind::event && sel.occurrence_id == 0)
            return Error::invalid("occurrence_id", "is required");
        auto plan = member_plan(stx, *o, b->account_id, sel, now);
        if (!plan) return fail(std::move(plan).error());
        YOYAKU_TRY(check_limits(
            stx,
            *o,
            keys->indexes(b->customer.email),
            b->account_id,
            plan->starts,
            plan->candidates.front().resource_id,
            b->id,
            now
        ));
        auto expired = expire_holds(stx, keys_, options_, o->id.value, now, 100);
        if (!expired) return fail(std::move(expired).error());
        const Taken old = taken_from(capacity_of(stx, b->id));
        // One transaction: the old places go back and the new are taken (a move may overlap
        // its own old time); a refusal rolls both back and leaves the booking as it was.
        YOYAKU_TRY(give_back(tx, t, old));
        auto chosen = take_plan(tx, t, *plan);
        if (!chosen) return fail(std::move(chosen).error());
        auto opt = [](const std::optional<std::int64_t>& v) {
            return v ? storage::Value(*v) : storage::Value();
        };
        YOYAKU_TRY(tx.exec(
            "UPDATE bookings SET occurrence_id = $3, starts_at = $4, ends_at = $5, resource_id = "
            "$6, room_id = $7, capacity_taken = $8, total_jpy = $9, updated_at = $10, revision = "
            "revision + 1 WHERE "
            "tenant_id = $1 AND id = $2",
            t,
            b->id,
            opt(plan->occurrence_id),
            to_micros(plan->starts),
            to_micros(plan->ends),
            opt(chosen->resource_id),
            opt(plan->room_id),
            taken_json(chosen->taken),
            plan->total,
            to_micros(now)
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.rescheduled",
             "booking:" + b->reference,
             "success",
             boost::json::serialize(boost::json::object{
                 {"from", format_rfc3339(b->starts_at, "UTC")},
                 {"to", format_rfc3339(plan->starts, "UTC")}})},
            now
        ));
        auto after = load_booking(stx, "id", b->id, tenant, *keys);
        if (!after) return fail(std::move(after).error());
        YOYAKU_TRY(
            announce(stx, keys_, options_, "rescheduled", "booking_rescheduled", *after, *o, now)
        );
        if (b->occurrence_id != after->occurrence_id)
            YOYAKU_TRY(release_to_waitlist(stx, keys_, options_, o->id.value, b->occurrence_id, now)
            );
        return after;
    });
}

Result<Booking> BookingService::decide(
    TenantId tenant,
    std::string_view reference,
    bool approve,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        auto changed = tx.exec(
            "UPDATE bookings SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
            "AND status = 'pending'",
            t,
            b->id,
            std::string(approve ? "confirmed" : "rejected"),
            to_micros(now)
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1) return refused("only a pending booking awaits a decision", "status");
        if (!approve) YOYAKU_TRY(give_back(tx, t, taken_from(capacity_of(stx, b->id))));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {approve ? "booking.approved" : "booking.rejected", "booking:" + b->reference},
            now
        ));
        auto after = load_booking(stx, "id", b->id, tenant, *keys);
        if (!after) return fail(std::move(after).error());
        auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
        if (!o) return fail(std::move(o).error());
        YOYAKU_TRY(announce(
            stx,
            keys_,
            options_,
            approve ? "approved" : "rejected",
            approve ? "booking_confirmed" : "booking_rejected",
            *after,
            *o,
            now
        ));
        return after;
    });
}

Result<Booking> BookingService::check_in(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (b->status == BookingStatus::checked_in)
            return Error{
                Errc::conflict,
                "already checked in at " + format_rfc3339(*b->checked_in_at, "UTC"),
                "reference",
                {}};
        if (b->status != BookingStatus::confirmed)
            return refused("only a confirmed booking can be checked in", "status");
        if (now < b->starts_at - hours(12) || now > b->ends_at + hours(12))
            return refused("check-in opens 12 hours before the start", "reference");
        auto changed = stx.tx().exec(
            "UPDATE bookings SET status = 'checked_in', checked_in_at = $3, updated_at = $3 WHERE "
            "tenant_id = $1 AND id = $2 AND status = 'confirmed'",
            stx.tenant_id().value,
            b->id,
            to_micros(now)
        );
        if (!changed) return fail(std::move(changed).error());
        if (*changed != 1) return Error{Errc::conflict, "already checked in", "reference", {}};
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"booking.checked_in", "booking:" + b->reference}, now
        ));
        return announced(stx, keys_, "checked_in", b->id, tenant, *keys, now);
    });
}

Result<Booking> BookingService::mark_no_show(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        const auto* keys = &c.keys;
        const Instant now = c.now;
        if (b->status != BookingStatus::confirmed)
            return refused("only a confirmed booking can be marked no-show", "status");
        if (now < b->starts_at)
            return refused("a booking is a no-show only after its start", "reference");
        YOYAKU_TRY(stx.tx().exec(
            "UPDATE bookings SET status = 'no_show', updated_at = $3 WHERE tenant_id = $1 AND id = "
            "$2 AND status = 'confirmed'",
            stx.tenant_id().value,
            b->id,
            to_micros(now)
        ));
        YOYAKU_TRY(
            audit::append(stx, actor, origin, {"booking.no_show", "booking:" + b->reference}, now)
        );
        return announced(stx, keys_, "no_show", b->id, tenant, *keys, now);
    });
}

namespace {

std::string erasure_detail(const Erasure& e) {
    return "{\"bookings_anonymised\":" + std::to_string(e.bookings) +
           ",\"waitlist_anonymised\":" + std::to_string(e.waitlist) +
           ",\"lottery_anonymised\":" + std::to_string(e.lottery) +
           ",\"account_deleted\":" + (e.account ? "true" : "false") + "}";
}

// Erases a person from the tenant's bookings, waitlists and lotteries, found by account (0:
// none) and by the address's index under every key generation; then deletes the account.
// Refused while they have an upcoming live booking.
Result<Erasure> erase_person(
    ScopedTx& stx,
    const crypto::TenantKeys& keys,
    std::int64_t account_id,
    const std::vector<std::string>& indexes,
    Instant now
) {
    auto& tx = stx.tx();
    const TenantId tenant = stx.tenant_id();
    std::vector<storage::Value> params{tenant.value, account_id};
    const std::string whose = " WHERE tenant_id = $1 AND (account_id = $2 OR email_index IN (" +
                              storage::append_list(params, indexes) + "))";
    const std::span<const storage::Value> p(params);
    std::vector<storage::Value> timed = params;
    timed.emplace_back(to_micros(now));
    const std::string at = "$" + std::to_string(timed.size());
    auto upcoming = tx.query(
        "SELECT count(*) FROM bookings" + whose +
            " AND status IN ('held', 'pending', 'confirmed') AND ends_at > " + at,
        std::span<const storage::Value>(timed)
    );
    if (!upcoming) return fail(std::move(upcoming).error());
    if (const auto n = upcoming->front().i64(0); n > 0)
        return Error{
            Errc::conflict,
            "cancel the " + std::to_string(n) + " upcoming booking(s) first",
            "bookings",
            {}};
    Erasure done;
    const std::string nobody = sealed_text(Sealed{});
    // Each table's rows lose the customer: sealed "nobody", an index nothing looks up, no
    // account; an entry still open is withdrawn.
    const struct {
        const char* table;
        const char* set;  ///< the rest of the change ($5: the time, when `timed`)
        bool timed;
        int Erasure::*count;
    } tables[] = {
        {"bookings", ", updated_at = $5", true, &Erasure::bookings},
        {"waitlist_entries",
         ", status = CASE WHEN status IN ('waiting', 'offered') THEN 'left' ELSE status END, "
         "updated_at = $5",
         true,
         &Erasure::waitlist},
        {"lottery_entries",
         ", status = CASE WHEN status = 'applied' THEN 'withdrawn' ELSE status END",
         false,
         &Erasure::lottery},
    };
    for (const auto& table : tables) {
        const std::string name = table.table;
        auto rows = tx.query("SELECT id, reference FROM " + name + whose, p);
        if (!rows) return fail(std::move(rows).error());
        for (const auto& row : *rows) {
            const auto id = row.i64(0);
            std::vector<storage::Value> change{
                tenant.value,
                id,
                Blob{crypto::seal(
                    keys.seal, nobody, crypto::field_context(tenant, name, "customer", id)
                )},
                crypto::blind_index(keys.index, "erased:" + row.text(1))};
            if (table.timed) change.emplace_back(to_micros(now));
            YOYAKU_TRY(tx.exec(
                "UPDATE " + name +
                    " SET customer_sealed = $3, email_index = $4, account_id = NULL" + table.set +
                    " WHERE tenant_id = $1 AND id = $2",
                std::span<const storage::Value>(change)
            ));
        }
        done.*table.count = static_cast<int>(rows->size());
    }
    // The account's row goes in the same transaction; its sessions, factors, tokens and
    // calendar feeds follow it (ON DELETE CASCADE).
    if (account_id > 0) {
        auto n = tx.exec(
            "DELETE FROM accounts WHERE tenant_id = $1 AND id = $2", tenant.value, account_id
        );
        if (!n) return fail(std::move(n).error());
        done.account = *n == 1;
    }
    return done;
}

}  // namespace

Result<Erasure> BookingService::erase_customer(
    TenantId tenant, std::int64_t account_id, const audit::Actor& actor, const audit::Origin& origin
) {
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Erasure> {
        auto& tx = stx.tx();
        const auto t = stx.tenant_id().value;
        auto account = tx.query(
            "SELECT role, email_sealed FROM accounts WHERE tenant_id = $1 AND id = $2",
            t,
            account_id
        );
        if (!account) return fail(std::move(account).error());
        if (account->empty()) return Error::not_found("no such account");
        if (account->front().text(0) != "customer")
            return Error{Errc::unprocessable, "only customer accounts erase themselves", {}, {}};
        auto email = keys->open(
            account->front().blob(1).bytes,
            crypto::field_context(tenant, "accounts", "email", account_id)
        );
        if (!email) return Error::internal("a sealed account field does not open");
        auto done = erase_person(stx, *keys, account_id, keys->indexes(*email), now);
        if (!done) return fail(std::move(done).error());
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"account.erased",
             "account:" + std::to_string(account_id),
             "success",
             erasure_detail(*done)},
            now
        ));
        return *done;
    });
}

Result<Erasure> BookingService::erase_customer_by_email(
    TenantId tenant, std::string_view email, const audit::Actor& actor, const audit::Origin& origin
) {
    auto normalized = accounts::normalize_email(email, "email");
    if (!normalized) return fail(std::move(normalized).error());
    auto keys = keys_.tenant_keys(tenant);
    if (!keys) return fail(std::move(keys).error());
    const auto indexes = keys->indexes(*normalized);
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Erasure> {
        auto& tx = stx.tx();
        std::vector<storage::Value> params{stx.tenant_id().value};
        const auto list = storage::append_list(params, indexes);
        auto accounts = tx.query(
            "SELECT id, role FROM accounts WHERE tenant_id = $1 AND email_index IN (" + list + ")",
            std::span<const storage::Value>(params)
        );
        if (!accounts) return fail(std::move(accounts).error());
        std::int64_t account_id = 0;
        for (const auto& a : *accounts) {
            if (a.text(1) != "customer")
                return Error{
                    Errc::conflict,
                    "this address belongs to a staff account: remove it from the team instead",
                    "email",
                    {}};
            account_id = a.i64(0);
        }
        auto done = erase_person(stx, *keys, account_id, indexes, now);
        if (!done) return fail(std::move(done).error());
        if (!done->account && done->bookings + done->waitlist + done->lottery == 0)
            return Error::not_found("nothing is kept under this address");
        // The audit entry names no address: it is the personal data just erased.
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"customer.erased",
             account_id > 0 ? "account:" + std::to_string(account_id) : "customer:guest",
             "success",
             erasure_detail(*done)},
            now
        ));
        return *done;
    });
}

Result<Booking> BookingService::mark_paid(
    TenantId tenant,
    std::string_view reference,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return change(tenant, reference, [&](ScopedTx& stx, const Change& c) -> Result<Booking> {
        const auto* b = &c.booking;
        if (b->paid_at) return *b;
        if (!live(b->status) && b->status != BookingStatus::checked_in)
            return refused("only a live booking is paid", "status");
        YOYAKU_TRY(stx.tx().exec(
            "UPDATE bookings SET paid_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2",
            stx.tenant_id().value,
            b->id,
            to_micros(c.now)
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"booking.paid",
             "booking:" + b->reference,
             "success",
             "{\"total_jpy\":" + std::to_string(b->total_jpy) + "}"},
            c.now
        ));
        return load_booking(stx, "id", b->id, tenant, c.keys);
    });
}

jobs::Handler BookingService::unpaid_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        boost::system::error_code ec;
        auto v = boost::json::parse(job.payload, ec);
        const auto* o = !ec && v.is_object() ? &v.get_object() : nullptr;
        const auto* ref = o ? o->if_contains("reference") : nullptr;
        const auto* at = o ? o->if_contains("starts_at") : nullptr;
        if (!ref || !ref->is_string() || !at || !at->is_int64())
            return Error::invalid("payload", "not a queued payment deadline");
        auto b = find_by_reference(job.tenant, ref->get_string());
        if (!b) return b.error().code == Errc::not_found ? Result<void>{} : fail(b.error());
        // Moved since (the move planned its own deadline): not this job's.
        if (to_micros(b->starts_at) != at->get_int64()) return {};
        CancelOptions unpaid;
        unpaid.waive_fee = true;
        unpaid.unpaid = true;
        auto cancelled = cancel(
            job.tenant,
            b->reference,
            Requester{true, {}, {}},
            {"payment-deadline", "system"},
            {},
            unpaid
        );
        if (!cancelled && cancelled.error().code != Errc::unprocessable)
            return fail(std::move(cancelled).error());
        return {};
    };
}

jobs::Handler BookingService::reminder_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        boost::system::error_code ec;
        auto v = boost::json::parse(job.payload, ec);
        if (ec || !v.is_object()) return Error::invalid("payload", "not a queued reminder");
        const auto* ref = v.get_object().if_contains("reference");
        const auto* at = v.get_object().if_contains("starts_at");
        if (!ref || !ref->is_string() || !at || !at->is_int64())
            return Error::invalid("payload", "not a queued reminder");
        auto keys = keys_.tenant_keys(job.tenant);
        if (!keys) return fail(std::move(keys).error());
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
            auto b =
                load_booking(stx, "reference", std::string(ref->get_string()), job.tenant, *keys);
            if (!b) return b.error().code == Errc::not_found ? Result<void>{} : fail(b.error());
            // Cancelled, or moved (the move planned its own reminder): nothing to say.
            if (b->status != BookingStatus::confirmed || to_micros(b->starts_at) != at->get_int64())
                return {};
            auto o = offerings::OfferingStore(stx).find_by_id(OfferingId{b->offering_id});
            if (!o) return fail(std::move(o).error());
            return mail_customer(stx, keys_, options_, "booking_reminder", *b, o->name, now);
        });
    };
}

}  // namespace yoyaku::bookings

// Tickets as people use them (ticket_service.hpp).

#include "domain/tickets/ticket_service.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/tickets/ticket.hpp"
#include "domain/tickets/ticket_pdf.hpp"
#include "domain/tickets/tickets.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::tickets {

using storage::ScopedTx;

namespace {

constexpr std::size_t kMaxSync = 500;

// Offerings read once per request.
class Offerings {
public:
    explicit Offerings(ScopedTx& stx) : stx_(stx) {}
    Result<const offerings::Offering*> get(OfferingId id) {
        if (auto it = seen_.find(id.value); it != seen_.end()) return &it->second;
        YOYAKU_TRY_ASSIGN(auto o, offerings::OfferingStore(stx_).find_by_id(id));
        return &seen_.emplace(id.value, std::move(o)).first->second;
    }

private:
    ScopedTx& stx_;
    std::map<std::int64_t, offerings::Offering> seen_;
};

Result<TicketView> view_of(Offerings& offerings, const TicketRow& t) {
    YOYAKU_TRY_ASSIGN(const auto* o, offerings.get(t.offering_id));
    TicketView v{t, t.type, o->name, t.valid_from + kOpensBefore, t.valid_until - kClosesAfter};
    for (const auto& type : o->ticket_types)
        if (type.code == t.type) v.type_name = type.name;
    return v;
}

Result<std::vector<TicketView>> views_of(ScopedTx& stx, const std::vector<TicketRow>& rows) {
    Offerings offerings(stx);
    std::vector<TicketView> out;
    out.reserve(rows.size());
    for (const auto& t : rows) {
        YOYAKU_TRY_ASSIGN(auto v, view_of(offerings, t));
        out.push_back(std::move(v));
    }
    return out;
}

Result<void> check_scan(const Scan& in, Instant now) {
    if (auto c = text::check_line(in.device, 1, 64); !c.value)
        return Error::invalid("device", c.problem);
    if (in.scanned_at && (*in.scanned_at > now + std::chrono::minutes(5) ||
                          *in.scanned_at < now - std::chrono::days(7)))
        return Error::invalid("scanned_at", "must be within the last 7 days");
    return {};
}

std::string when(Instant t) {
    return format_rfc3339(t, "UTC");
}

// One scan in the caller's transaction: checked, recorded, audited.
class Scanner {
public:
    Scanner(ScopedTx& stx, crypto::Keyring& keys, std::string tenant_code, Instant now)
        : stx_(stx), keys_(keys), tenant_code_(std::move(tenant_code)), now_(now) {}

    Result<ScanResult> run(const Scan& in, const audit::Actor& actor, const audit::Origin& origin);

private:
    ScanResult refuse(ScanOutcome outcome, std::string message);
    Result<ScanResult> admit(const TicketRow& t, const Scan& in);
    // Checks the token and finds its ticket; nothing (and `refusal` set) when it is refused.
    Result<std::optional<TicketRow>> ticket_of(const Scan& in, std::string& refusal);

    ScopedTx& stx_;
    crypto::Keyring& keys_;
    std::string tenant_code_;
    Instant now_;
    ScanRow row_;
};

Result<std::optional<TicketRow>> Scanner::ticket_of(const Scan& in, std::string& refusal) {
    auto claims = read_ticket(in.token);
    if (!claims) {
        refusal = "this is not a ticket";
        return std::optional<TicketRow>();
    }
    if (claims->tenant != tenant_code_) {
        refusal = "this ticket is not for this venue";
        return std::optional<TicketRow>();
    }
    YOYAKU_TRY_ASSIGN(const auto keys, TicketKeyStore(stx_).all());
    bool signed_here = false;
    for (const auto& k : keys)
        if (k.key_id == claims->key_id) signed_here = ticket_signed_by(in.token, k.public_key);
    YOYAKU_TRY_ASSIGN(auto t, TicketStore(stx_).find(claims->reference, claims->number));
    // Signed by one of ours and issued as it reads (the row keeps the token as issued).
    if (!signed_here || !t || t->token != in.token) {
        refusal = "this ticket's signature does not check";
        return std::optional<TicketRow>();
    }
    return t;
}

Result<ScanResult> Scanner::run(
    const Scan& in, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant at = in.scanned_at.value_or(now_);
    row_ = ScanRow{};
    row_.device = in.device;
    row_.scanned_at = at;
    row_.recorded_at = now_;
    row_.offline = in.scanned_at.has_value();
    std::string refusal;
    YOYAKU_TRY_ASSIGN(const auto t, ticket_of(in, refusal));
    ScanResult r;
    if (!t) {
        r = refuse(ScanOutcome::invalid, refusal);
    } else {
        row_.ticket_id = t->id;
        if (t->revoked_at) {
            r = refuse(
                ScanOutcome::revoked, "this ticket was cancelled at " + when(*t->revoked_at)
            );
        } else if (at < t->valid_from || at > t->valid_until) {
            r = refuse(
                ScanOutcome::not_valid_now,
                "this ticket admits from " + when(t->valid_from) + " to " + when(t->valid_until)
            );
        } else {
            YOYAKU_TRY_ASSIGN(r, admit(*t, in));
        }
    }
    YOYAKU_TRY(TicketStore(stx_).record_scan(row_));
    const bool admitted = r.outcome == ScanOutcome::admitted;
    boost::json::object detail{
        {"device", in.device}, {"outcome", to_string(r.outcome)}, {"offline", row_.offline}};
    if (r.first_at) detail["first_at"] = when(*r.first_at);
    YOYAKU_TRY(audit::append(
        stx_,
        actor,
        origin,
        {admitted ? "ticket.checked_in" : "ticket.refused",
         t ? "ticket:" + t->reference + "-" + std::to_string(t->number) : "ticket:unknown",
         admitted ? "success" : "failure",
         boost::json::serialize(detail)},
        now_
    ));
    return r;
}

ScanResult Scanner::refuse(ScanOutcome outcome, std::string message) {
    row_.outcome = outcome;
    ScanResult r;
    r.outcome = outcome;
    r.message = std::move(message);
    return r;
}

Result<ScanResult> Scanner::admit(const TicketRow& t, const Scan& in) {
    TicketStore store(stx_);
    YOYAKU_TRY_ASSIGN(const bool first, store.check_in(t.id, row_.scanned_at, in.device));
    ScanResult r;
    // Admitted before: online, this second scan is refused at the door; offline, both people
    // were let in, and the staff are told (the earlier scan stays the first).
    if (t.checked_in_at) {
        r.outcome = in.scanned_at ? ScanOutcome::conflict : ScanOutcome::used;
        const bool earlier = first;  // this offline scan came before the one recorded
        r.first_at = earlier ? row_.scanned_at : *t.checked_in_at;
        r.first_device = earlier ? in.device : t.checked_in_device;
        r.message = "this ticket was used at " + when(*r.first_at) + " (" + r.first_device + ")";
    } else if (!first) {
        // Another scan got there in the same moment.
        YOYAKU_TRY_ASSIGN(const auto now, store.find(t.reference, t.number));
        r.outcome = in.scanned_at ? ScanOutcome::conflict : ScanOutcome::used;
        r.first_at = now->checked_in_at;
        r.first_device = now->checked_in_device;
        r.message = "this ticket was used at " + when(*r.first_at) + " (" + r.first_device + ")";
    } else {
        r.outcome = ScanOutcome::admitted;
    }
    row_.outcome = r.outcome;
    row_.first_at = r.first_at;
    row_.first_device = r.first_device;
    YOYAKU_TRY_ASSIGN(const auto crypto_keys, keys_.tenant_keys(stx_.tenant_id()));
    bookings::BookingStore bookings(stx_);
    YOYAKU_TRY_ASSIGN(const auto b, bookings.find_by_id(t.booking_id, crypto_keys));
    r.payment_state = b.payment_state;
    if (r.outcome == ScanOutcome::admitted) {
        YOYAKU_TRY(bookings.update_checked_in(b.id, row_.scanned_at));
        YOYAKU_TRY(webhooks::emit(
            stx_,
            keys_,
            "ticket.checked_in",
            boost::json::serialize(boost::json::object{
                {"reference", t.reference},
                {"number", t.number},
                {"occurrence_id",
                 t.occurrence_id ? boost::json::value(t.occurrence_id->value)
                                 : boost::json::value(nullptr)},
                {"ticket_type", t.type},
                {"seat", t.seat},
                {"device", in.device},
                {"checked_in_at", when(row_.scanned_at)}}),
            now_
        ));
    }
    YOYAKU_TRY_ASSIGN(const auto party, store.of_booking(t.booking_id));
    for (const auto& p : party)
        if (!p.revoked_at && p.occurrence_id == t.occurrence_id) {
            ++r.party;
            r.party_checked_in += p.checked_in_at || p.id == t.id ? 1 : 0;
        }
    Offerings offerings(stx_);
    YOYAKU_TRY_ASSIGN(auto v, view_of(offerings, t));
    r.ticket = std::move(v);
    return r;
}

}  // namespace

Result<std::vector<TicketView>> TicketService::of_booking(
    TenantId tenant, std::string_view reference, bool revoked
) {
    YOYAKU_TRY_ASSIGN(const auto b, bookings_.find_by_reference(tenant, reference));
    // One read: the rows and their views. `none`: the booking has no ticket at all.
    bool none = false;
    const auto read = [&] {
        return db_.read(
            storage::TenantScope(tenant),
            [&](ScopedTx& stx) -> Result<std::vector<TicketView>> {
                YOYAKU_TRY_ASSIGN(auto rows, TicketStore(stx).of_booking(b.id));
                none = rows.empty();
                if (!revoked)
                    std::erase_if(rows, [](const auto& t) { return t.revoked_at.has_value(); });
                return views_of(stx, rows);
            }
        );
    };
    YOYAKU_TRY_ASSIGN(auto views, read());
    const bool admits = (b.status == bookings::BookingStatus::confirmed ||
                         b.status == bookings::BookingStatus::checked_in) &&
                        b.ends_at > clock_.now();
    if (!none || !admits) return views;
    // Booked before tickets were issued: issued now, on first sight.
    YOYAKU_TRY(bookings_.issue_missing_tickets(tenant, b.id));
    return read();
}

Result<TicketDocument> TicketService::pdf(TenantId tenant, std::string_view reference) {
    YOYAKU_TRY_ASSIGN(const auto tickets, of_booking(tenant, reference));
    if (tickets.empty())
        return Error{Errc::unprocessable, "this booking has no tickets", "reference", {}};
    YOYAKU_TRY_ASSIGN(const auto t, db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return tenants::TenantStore(stx).find_profile();
    }));
    YOYAKU_TRY_ASSIGN(auto bytes, draw_tickets({t.name, t.time_zone}, tickets));
    return TicketDocument{"tickets-" + std::string(reference) + ".pdf", std::move(bytes)};
}

Result<ScanResult> TicketService::scan(
    TenantId tenant, const Scan& in, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto all, sync(tenant, {in}, actor, origin));
    return std::move(all.front());
}

Result<std::vector<ScanResult>> TicketService::sync(
    TenantId tenant,
    const std::vector<Scan>& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    if (in.empty() || in.size() > kMaxSync)
        return Error::invalid("scans", "must hold 1 to 500 scans");
    for (std::size_t i = 0; i < in.size(); ++i)
        if (auto ok = check_scan(in[i], now); !ok) {
            auto e = ok.error();
            if (in.size() > 1) e.field = "scans[" + std::to_string(i) + "]." + e.field;
            return e;
        }
    return db_.write(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<ScanResult>> {
            YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
            Scanner scanner(stx, keys_, t.code, now);
            std::vector<ScanResult> out;
            for (const auto& s : in) {
                YOYAKU_TRY_ASSIGN(auto r, scanner.run(s, actor, origin));
                out.push_back(std::move(r));
            }
            return out;
        }
    );
}

Result<std::vector<ScanRow>> TicketService::scans(TenantId tenant, int limit, bool problems) {
    if (limit < 1 || limit > 500) return Error::invalid("limit", "must be 1 to 500");
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return TicketStore(stx).scans(limit, problems);
    });
}

Result<Revocations> TicketService::revocations(
    TenantId tenant, std::optional<OccurrenceId> occurrence
) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Revocations> {
        if (occurrence) YOYAKU_TRY(offerings::OccurrenceStore(stx).find_by_id(*occurrence));
        YOYAKU_TRY_ASSIGN(auto rows, TicketStore(stx).revoked(occurrence));
        // Revocations are never undone: their count is the list's version.
        const int version = static_cast<int>(rows.size());
        return Revocations{occurrence, version, std::move(rows)};
    });
}

Result<std::vector<TicketView>> TicketService::attendance(
    TenantId tenant, OccurrenceId occurrence
) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<TicketView>> {
            YOYAKU_TRY(offerings::OccurrenceStore(stx).find_by_id(occurrence));
            YOYAKU_TRY_ASSIGN(const auto rows, TicketStore(stx).of_occurrence(occurrence));
            return views_of(stx, rows);
        }
    );
}

Result<CheckinPack> TicketService::pack(
    TenantId tenant, std::optional<std::chrono::year_month_day> day
) {
    YOYAKU_TRY_ASSIGN(auto keys, public_keys(tenant));
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<CheckinPack> {
        YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
        const auto local =
            day ? std::chrono::local_days(*day)
                : std::chrono::floor<std::chrono::days>(to_local(clock_.now(), t.time_zone));
        const Instant from = from_local(local - std::chrono::days(1), t.time_zone);
        const Instant to = from_local(local + std::chrono::days(2), t.time_zone);
        YOYAKU_TRY_ASSIGN(auto rows, TicketStore(stx).valid_between(from, to));
        for (auto& r : rows) r.token.clear();
        YOYAKU_TRY_ASSIGN(auto views, views_of(stx, rows));
        return CheckinPack{t.code, clock_.now(), std::move(keys), std::move(views)};
    });
}

Result<std::vector<KeyRow>> TicketService::public_keys(TenantId tenant) {
    YOYAKU_TRY_ASSIGN(const auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<KeyRow>> {
            YOYAKU_TRY(signing_key(stx, k, now));  // the first is made here when none was
            YOYAKU_TRY_ASSIGN(auto all, TicketKeyStore(stx).all());
            for (auto& key : all) key.seed_sealed.clear();
            return all;
        }
    );
}

Result<int> TicketService::rotate_key(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<int> {
        YOYAKU_TRY_ASSIGN(const int key_id, tickets::rotate_key(stx, k, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"tickets.key_rotated",
             "tenant:" + std::to_string(tenant.value),
             "success",
             boost::json::serialize(boost::json::object{{"key_id", key_id}})},
            now
        ));
        return key_id;
    });
}

}  // namespace yoyaku::tickets

#include "domain/imports/imports.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <map>

#include "domain/accounts/account_store.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/resources/resource_store.hpp"
#include "storage/savepoint.hpp"

namespace yoyaku::imports {

using storage::ScopedTx;

namespace {

constexpr std::array<std::string_view, 5> kKinds{
    "customers", "resources", "offerings", "occurrences", "bookings"};

// Rows refused by what they are (a bad value, a name that finds nothing, a place taken), as
// opposed to the storage failing, which ends the import.
bool row_problem(const Error& e) {
    return e.code != Errc::unavailable && e.code != Errc::internal;
}

// Names as a row gives them, to ids: exactly one live thing must bear the name.
template <class Id>
class Names {
public:
    explicit Names(std::string what) : what_(std::move(what)) {}
    void add(const std::string& name, Id id) { ids_[name].push_back(id); }
    /// Errors: invalid_input on `field` (the row's column).
    Result<Id> find(const std::string& name, const std::string& field) const {
        auto it = ids_.find(name);
        if (it == ids_.end()) return Error::invalid(field, "no " + what_ + " is named " + name);
        if (it->second.size() > 1)
            return Error::invalid(field, "more than one " + what_ + " is named " + name);
        return it->second.front();
    }

private:
    std::string what_;
    std::map<std::string, std::vector<Id>> ids_;
};

Result<Names<ResourceId>> resource_names(ScopedTx& stx) {
    YOYAKU_TRY_ASSIGN(const auto all, resources::ResourceStore(stx).list(false));
    Names<ResourceId> out("resource");
    for (const auto& r : all) out.add(r.name, r.id);
    return out;
}

Result<std::map<OfferingId, offerings::Offering>> offerings_by_id(ScopedTx& stx) {
    YOYAKU_TRY_ASSIGN(auto all, offerings::OfferingStore(stx).list(false));
    std::map<OfferingId, offerings::Offering> out;
    for (auto& o : all) out.emplace(o.id, std::move(o));
    return out;
}

Names<OfferingId> offering_names(const std::map<OfferingId, offerings::Offering>& all) {
    Names<OfferingId> out("offering");
    for (const auto& [id, o] : all) out.add(o.name, id);
    return out;
}

// A domain error about a booking's selection, in the words of the row's columns.
Error booking_field(Error e) {
    static const std::map<std::string, std::string, std::less<>> columns{
        {"occurrence_id", "starts_at"},
        {"resource_id", "resource"},
        {"tickets", "tickets"},
        {"blocks", "blocks"},
        {"customer.name", "name"},
        {"customer.email", "email"},
        {"customer.phone", "phone"},
        {"Idempotency-Key", "line"}};
    if (auto it = columns.find(e.field); it != columns.end()) e.field = it->second;
    return e;
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

Result<Report> ImportService::run(
    TenantId tenant,
    Kind kind,
    const File& file,
    const std::vector<int>& lines,
    const Store& store,
    bool apply,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    Report report;
    report.kind = kind;
    report.rows = file.total;
    report.problems = file.problems;
    bool undone = false;  // rolled back on purpose: a dry run, or a problem found
    const auto details = [&] {
        return boost::json::serialize(boost::json::object{
            {"kind", to_string(kind)},
            {"rows", file.total},
            {"problems", report.problems.size()},
            {"sha256", file.sha256}});
    };
    auto r = db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        // PostgreSQL runs this again after a serialization failure: count from the start.
        report.stored = 0;
        report.problems = file.problems;
        undone = false;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            auto done = storage::within_savepoint(stx.tx(), [&] { return store(stx, i); });
            if (done) {
                ++report.stored;
                continue;
            }
            if (!row_problem(done.error())) return fail(std::move(done).error());
            report.problems.push_back({lines[i], done.error().field, done.error().message});
        }
        if (!apply || !report.problems.empty()) {
            undone = true;
            return Error{Errc::conflict, "nothing kept", "", {}};
        }
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"import.applied", "import:" + std::string(to_string(kind)), "success", details()},
            clock_.now()
        ));
        return {};
    });
    if (!r && !undone) return fail(std::move(r).error());
    report.applied = static_cast<bool>(r);
    std::sort(report.problems.begin(), report.problems.end(), [](const auto& a, const auto& b) {
        return a.line < b.line;
    });
    if (apply && !report.applied) {
        YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
            return audit::append(
                stx,
                actor,
                origin,
                {"import.refused", "import:" + std::string(to_string(kind)), "failure", details()},
                clock_.now()
            );
        }));
    }
    return report;
}

namespace {

template <class T>
std::vector<int> line_numbers(const Rows<T>& rows) {
    std::vector<int> out;
    out.reserve(rows.lines.size());
    for (const auto& l : rows.lines) out.push_back(l.line);
    return out;
}

}  // namespace

Result<Report> ImportService::customers(
    TenantId tenant,
    const Rows<CustomerRow>& rows,
    bool apply,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return run(
        tenant,
        Kind::customers,
        rows,
        line_numbers(rows),
        [&](ScopedTx& stx, std::size_t i) -> Result<void> {
            const auto& c = rows.lines[i].row;
            accounts::NewAccount a{access::Role::customer, c.email, c.name, std::nullopt};
            YOYAKU_TRY(accounts_.create(stx.tx(), tenant, a, actor, origin));
            return {};
        },
        apply,
        actor,
        origin
    );
}

Result<Report> ImportService::resources(
    TenantId tenant,
    const Rows<resources::ResourceInput>& rows,
    bool apply,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    return run(
        tenant,
        Kind::resources,
        rows,
        line_numbers(rows),
        [&](ScopedTx& stx, std::size_t i) -> Result<void> {
            YOYAKU_TRY(resources_.create_in(stx, rows.lines[i].row, actor, origin));
            return {};
        },
        apply,
        actor,
        origin
    );
}

Result<Report> ImportService::offerings(
    TenantId tenant,
    const Rows<OfferingRow>& rows,
    bool apply,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    std::optional<Names<ResourceId>> names;
    return run(
        tenant,
        Kind::offerings,
        rows,
        line_numbers(rows),
        [&](ScopedTx& stx, std::size_t i) -> Result<void> {
            if (!names) {
                YOYAKU_TRY_ASSIGN(names, resource_names(stx));
            }
            const auto& o = rows.lines[i].row;
            auto in = o.input;
            for (const auto& name : o.resources) {
                YOYAKU_TRY_ASSIGN(const auto id, names->find(name, "resources"));
                in.resource_ids.push_back(id);
            }
            if (!o.room.empty()) {
                YOYAKU_TRY_ASSIGN(in.room_id, names->find(o.room, "room"));
            }
            YOYAKU_TRY(offerings_.create_in(stx, in, actor, origin));
            return {};
        },
        apply,
        actor,
        origin
    );
}

Result<Report> ImportService::occurrences(
    TenantId tenant,
    const Rows<OccurrenceRow>& rows,
    bool apply,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    std::optional<Names<OfferingId>> names;
    return run(
        tenant,
        Kind::occurrences,
        rows,
        line_numbers(rows),
        [&](ScopedTx& stx, std::size_t i) -> Result<void> {
            if (!names) {
                YOYAKU_TRY_ASSIGN(const auto all, offerings_by_id(stx));
                names = offering_names(all);
            }
            const auto& o = rows.lines[i].row;
            YOYAKU_TRY_ASSIGN(const auto id, names->find(o.offering, "offering"));
            auto added = offerings_.add_occurrence_in(
                stx, id, o.starts_at, o.ends_at, o.capacity, actor, origin
            );
            if (added) return {};
            auto e = std::move(added).error();
            if (e.field == "offering_id") e.field = "offering";
            return fail(std::move(e));
        },
        apply,
        actor,
        origin
    );
}

Result<std::optional<AccountId>> ImportService::customer_account(
    storage::ScopedTx& stx, TenantId tenant, std::string_view email
) {
    // A malformed address is book_in's to refuse, in its words.
    auto normalized = accounts::normalize_email(email);
    if (!normalized) return std::optional<AccountId>();
    YOYAKU_TRY_ASSIGN(const auto indexes, accounts_.email_indexes(tenant, *normalized));
    YOYAKU_TRY_ASSIGN(const auto owners, accounts::AccountStore(stx).list_by_email_index(indexes));
    for (const auto& [id, role] : owners)
        if (role == "customer") return std::optional(id);
    return std::optional<AccountId>();
}

Result<Report> ImportService::bookings(
    TenantId tenant,
    const Rows<BookingRow>& rows,
    bool apply,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    std::optional<std::map<OfferingId, offerings::Offering>> all;
    std::optional<Names<OfferingId>> names;
    std::optional<Names<ResourceId>> resources;
    return run(
        tenant,
        Kind::bookings,
        rows,
        line_numbers(rows),
        [&](ScopedTx& stx, std::size_t i) -> Result<void> {
            if (!all) {
                YOYAKU_TRY_ASSIGN(all, offerings_by_id(stx));
                names = offering_names(*all);
                YOYAKU_TRY_ASSIGN(resources, resource_names(stx));
            }
            const auto& b = rows.lines[i].row;
            YOYAKU_TRY_ASSIGN(const auto id, names->find(b.offering, "offering"));
            const auto& o = all->at(id);
            bookings::NewBooking in;
            in.what.offering_id = id;
            if (o.kind == offerings::OfferingKind::event ||
                o.kind == offerings::OfferingKind::course) {
                YOYAKU_TRY_ASSIGN(
                    const auto dates, offerings::OccurrenceStore(stx).list_by_offering(id)
                );
                auto at = std::find_if(dates.begin(), dates.end(), [&](const auto& d) {
                    return d.starts_at == b.starts_at;
                });
                if (at == dates.end())
                    return Error::invalid("starts_at", "the offering has no date starting then");
                in.what.occurrence_id = at->id;
                if (!b.ticket_type.empty()) {
                    in.what.tickets[b.ticket_type] = b.tickets;
                } else if (!o.ticket_types.empty()) {
                    in.what.tickets[o.ticket_types.front().code] = b.tickets;
                }
                in.what.seats = b.seats;
            } else {
                in.what.starts_at = b.starts_at;
                in.what.blocks = b.blocks;
                in.what.quantity = b.quantity;
                for (const auto& [name, n] : b.equipment) {
                    YOYAKU_TRY_ASSIGN(const auto item, resources->find(name, "equipment"));
                    in.what.equipment.push_back({item, n});
                }
            }
            if (!b.resource.empty()) {
                YOYAKU_TRY_ASSIGN(in.what.resource_id, resources->find(b.resource, "resource"));
            }
            in.customer = b.customer;
            YOYAKU_TRY_ASSIGN(in.account_id, customer_account(stx, tenant, b.customer.email));
            in.note = b.note;
            // The same file imported again finds its bookings made: each row books once.
            in.idempotency_key =
                "import-" + rows.sha256.substr(0, 16) + "-" + std::to_string(rows.lines[i].line);
            in.mail_customer = false;
            auto made = bookings_.book_in(stx, in, actor, origin);
            if (!made) return fail(booking_field(std::move(made).error()));
            return {};
        },
        apply,
        actor,
        origin
    );
}

}  // namespace yoyaku::imports

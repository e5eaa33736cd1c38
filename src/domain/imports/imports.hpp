#pragma once
// Moving in from another system (issue 30): customers, resources, offerings, their dates and
// future bookings, each kind one file of rows. A file is checked whole — every bad row found,
// with its line and field — and stored all or nothing, in one transaction and audited.
//
// The HTTP layer reads the file (CSV in UTF-8 or Shift_JIS) into the rows below, naming what a
// row refers to by name as the old system's export does; here names are found, each row is
// stored by its own service inside the import's transaction (in a savepoint, so that a bad row
// is undone and the next ones are still checked), and the whole is kept only when nothing
// failed and the caller applies it.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/offerings/offering_service.hpp"
#include "domain/resources/resources.hpp"
#include "storage/database.hpp"

namespace yoyaku::imports {

enum class Kind { customers, resources, offerings, occurrences, bookings };
std::string_view to_string(Kind k) noexcept;
std::optional<Kind> parse_kind(std::string_view s) noexcept;

/// One refusal: the row's line in the file (the header is line 1), the column, and why.
struct Problem {
    int line = 0;
    std::string field;
    std::string detail;
};

/// What an import did or, for a dry run (or a file with problems), would have done.
struct Report {
    Kind kind = Kind::customers;
    int rows = 0;          ///< data rows in the file
    int stored = 0;        ///< rows that were (or would be) stored
    bool applied = false;  ///< the rows were kept (never with a problem)
    std::vector<Problem> problems;
};

/// A customer: an account without a password (they set one with "forgot password").
struct CustomerRow {
    std::string email;
    std::string name;
};

/// An offering; the resources it books (appointments, rentals) and its room by name.
struct OfferingRow {
    offerings::OfferingInput input;
    std::vector<std::string> resources;
    std::string room;
};

/// An event's date or a course's session.
struct OccurrenceRow {
    std::string offering;
    Instant starts_at{};
    Instant ends_at{};
    int capacity = 0;
};

/// A future booking, made by staff and confirmed. An event or course is booked by the date
/// that starts at `starts_at`; `tickets` of `ticket_type` (the offering's first when empty).
/// An appointment or rental at `starts_at`, with `resource` by name when it books one, a
/// rental for `blocks` blocks. The customer is not mailed.
struct BookingRow {
    std::string offering;
    Instant starts_at{};
    std::string resource;
    std::string ticket_type;
    int tickets = 1;
    int blocks = 1;
    bookings::Customer customer;
    std::string note;
    std::vector<std::string> seats;  ///< an event with a seat map: the seats, one per ticket
    int quantity = 1;                ///< a rental of a stock of units
    /// A rental's equipment by resource name, with how many.
    std::vector<std::pair<std::string, int>> equipment;
};

/// What a file brings besides its rows: the problems found while reading it (they keep the
/// import from being applied, and their rows out of it), its data rows good and bad, and its
/// SHA-256 for the audit.
struct File {
    std::vector<Problem> problems;
    int total = 0;
    std::string sha256;
};

/// A file read into rows, each with its line.
template <class T>
struct Rows : File {
    struct Line {
        int line = 0;
        T row;
    };
    std::vector<Line> lines;
};

/// Runs imports for a tenant's managers. Every stored row writes its own audit entry; an
/// applied import adds `import.applied` (kind, rows, the file's digest), a refused one
/// `import.refused` (kind, rows, how many problems).
class ImportService {
public:
    ImportService(
        storage::Database& db,
        accounts::AccountService& accounts,
        resources::ResourceService& resources,
        offerings::OfferingService& offerings,
        bookings::BookingService& bookings,
        const Clock& clock
    )
        : db_(db),
          accounts_(accounts),
          resources_(resources),
          offerings_(offerings),
          bookings_(bookings),
          clock_(clock) {}

    /// `apply` false: a dry run (nothing kept, nothing audited). Errors: only a storage
    /// failure; bad rows are the report's problems.
    Result<Report> customers(
        TenantId tenant,
        const Rows<CustomerRow>& rows,
        bool apply,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Report> resources(
        TenantId tenant,
        const Rows<resources::ResourceInput>& rows,
        bool apply,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Report> offerings(
        TenantId tenant,
        const Rows<OfferingRow>& rows,
        bool apply,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<Report> occurrences(
        TenantId tenant,
        const Rows<OccurrenceRow>& rows,
        bool apply,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// A booking whose address is a customer account's (imported before, or signed up) is
    /// that account's: it shows among the customer's own bookings.
    Result<Report> bookings(
        TenantId tenant,
        const Rows<BookingRow>& rows,
        bool apply,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    /// The customer account with this address, if any (staff and managers are not linked).
    Result<std::optional<AccountId>> customer_account(
        storage::ScopedTx& stx, TenantId tenant, std::string_view email
    );
    /// The work of row `i` (of `lines`) inside the import's transaction.
    using Store = std::function<Result<void>(storage::ScopedTx&, std::size_t i)>;
    Result<Report> run(
        TenantId tenant,
        Kind kind,
        const File& file,
        const std::vector<int>& lines,
        const Store& store,
        bool apply,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

    storage::Database& db_;
    accounts::AccountService& accounts_;
    resources::ResourceService& resources_;
    offerings::OfferingService& offerings_;
    bookings::BookingService& bookings_;
    const Clock& clock_;
};

}  // namespace yoyaku::imports

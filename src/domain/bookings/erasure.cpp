// A customer's erasure (their own, or a manager's on their request by address).
#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/lottery_entry_store.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist_entry_store.hpp"
#include "domain/bookings/waitlist_serving.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {

using namespace detail;
using namespace std::chrono;
using storage::Blob;
using storage::ScopedTx;

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
    // The sealed customer columns as their stores declare them (storage/sealed_column.hpp).
    const struct {
        const storage::SealedColumn& column;
        const char* set;  ///< the rest of the change ($5: the time, when `timed`)
        bool timed;
        int Erasure::*count;
    } tables[] = {
        {BookingStore::kCustomer, ", updated_at = $5", true, &Erasure::bookings},
        {WaitlistEntryStore::kCustomer,
         ", status = CASE WHEN status IN ('waiting', 'offered') THEN 'left' ELSE status END, "
         "updated_at = $5",
         true,
         &Erasure::waitlist},
        {LotteryEntryStore::kCustomer,
         ", status = CASE WHEN status = 'applied' THEN 'withdrawn' ELSE status END",
         false,
         &Erasure::lottery},
    };
    for (const auto& table : tables) {
        const std::string name(table.column.table), column(table.column.column);
        auto rows = tx.query("SELECT id, reference FROM " + name + whose, p);
        if (!rows) return fail(std::move(rows).error());
        for (const auto& row : *rows) {
            const auto id = row.i64(0);
            std::vector<storage::Value> change{
                tenant.value,
                id,
                Blob{crypto::seal(
                    keys.seal,
                    nobody,
                    crypto::field_context(tenant, name, std::string(table.column.context), id)
                )},
                crypto::blind_index(keys.index, "erased:" + row.text(1))};
            if (table.timed) change.emplace_back(to_micros(now));
            YOYAKU_TRY(tx.exec(
                "UPDATE " + name + " SET " + column + " = $3, email_index = $4, account_id = NULL" +
                    table.set + " WHERE tenant_id = $1 AND id = $2",
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

}  // namespace yoyaku::bookings

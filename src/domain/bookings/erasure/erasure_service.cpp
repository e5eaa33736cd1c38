#include "domain/bookings/erasure/erasure_service.hpp"

#include <boost/json.hpp>

#include "domain/accounts/account_service.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/lottery/lottery_entry_store.hpp"
#include "domain/bookings/waitlist/waitlist_entry_store.hpp"

namespace yoyaku::bookings {

using namespace detail;
using namespace std::chrono;
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
    AccountId account_id,
    const std::vector<std::string>& indexes,
    Instant now
) {
    BookingStore bookings(stx);
    WaitlistEntryStore waitlist(stx);
    LotteryEntryStore lottery(stx);
    YOYAKU_TRY_ASSIGN(
        const auto upcoming, bookings.count_upcoming_of_customer(account_id, indexes, now)
    );
    if (upcoming > 0)
        return Error{
            Errc::conflict,
            "cancel the " + std::to_string(upcoming) + " upcoming booking(s) first",
            "bookings",
            {}};
    // Each row loses the customer: sealed "nobody" (under the row's own context, as its
    // store declares the column), an index nothing looks up, no account; an entry still open
    // is withdrawn.
    const std::string nobody = sealed_text(Sealed{});
    const auto blank = [&](const storage::SealedColumn& column, const auto& row) {
        return std::pair{
            crypto::seal(
                keys.seal,
                nobody,
                crypto::field_context(
                    stx.tenant_id(), std::string(column.table), std::string(column.context), row.id
                )
            ),
            crypto::blind_index(keys.index, "erased:" + row.reference)};
    };
    Erasure done;
    YOYAKU_TRY_ASSIGN(const auto booked, bookings.list_of_customer(account_id, indexes));
    for (const auto& row : booked) {
        const auto [sealed, index] = blank(BookingStore::kCustomer, row);
        YOYAKU_TRY(bookings.update_anonymised(row.id, sealed, index, now));
    }
    YOYAKU_TRY_ASSIGN(const auto waited, waitlist.list_of_customer(account_id, indexes));
    for (const auto& row : waited) {
        const auto [sealed, index] = blank(WaitlistEntryStore::kCustomer, row);
        YOYAKU_TRY(waitlist.update_anonymised(row.id, sealed, index, now));
    }
    YOYAKU_TRY_ASSIGN(const auto applied, lottery.list_of_customer(account_id, indexes));
    for (const auto& row : applied) {
        const auto [sealed, index] = blank(LotteryEntryStore::kCustomer, row);
        YOYAKU_TRY(lottery.update_anonymised(row.id, sealed, index));
    }
    done.bookings = static_cast<int>(booked.size());
    done.waitlist = static_cast<int>(waited.size());
    done.lottery = static_cast<int>(applied.size());
    // The account's row goes in the same transaction; its sessions, factors, tokens and
    // calendar feeds follow it (ON DELETE CASCADE).
    if (account_id.valid()) {
        YOYAKU_TRY_ASSIGN(done.account, accounts::AccountStore(stx).remove(AccountId{account_id}));
    }
    return done;
}

}  // namespace

Result<Erasure> ErasureService::erase_customer(
    TenantId tenant, AccountId account_id, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Erasure> {
        YOYAKU_TRY_ASSIGN(
            const auto account, accounts::AccountStore(stx).find_sealed_email(AccountId{account_id})
        );
        if (!account) return Error::not_found("no such account");
        if (account->role != "customer")
            return Error{Errc::unprocessable, "only customer accounts erase themselves", {}, {}};
        auto email = keys.open(
            account->email_sealed, crypto::field_context(tenant, "accounts", "email", account_id)
        );
        if (!email) return Error::internal("a sealed account field does not open");
        YOYAKU_TRY_ASSIGN(
            auto done, erase_person(stx, keys, account_id, keys.indexes(*email), now)
        );
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"account.erased", "account:" + to_string(account_id), "success", erasure_detail(done)},
            now
        ));
        return done;
    });
}

Result<Erasure> ErasureService::erase_by_email(
    TenantId tenant, std::string_view email, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto normalized, accounts::normalize_email(email, "email"));
    YOYAKU_TRY_ASSIGN(auto keys, keys_.tenant_keys(tenant));
    const auto indexes = keys.indexes(normalized);
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Erasure> {
        YOYAKU_TRY_ASSIGN(
            const auto holders, accounts::AccountStore(stx).list_by_email_index(indexes)
        );
        AccountId account_id;
        for (const auto& [id, role] : holders) {
            if (role != "customer")
                return Error{
                    Errc::conflict,
                    "this address belongs to a staff account: remove it from the team instead",
                    "email",
                    {}};
            account_id = id;
        }
        YOYAKU_TRY_ASSIGN(auto done, erase_person(stx, keys, account_id, indexes, now));
        if (!done.account && done.bookings + done.waitlist + done.lottery == 0)
            return Error::not_found("nothing is kept under this address");
        // The audit entry names no address: it is the personal data just erased.
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"customer.erased",
             account_id.valid() ? "account:" + to_string(account_id) : "customer:guest",
             "success",
             erasure_detail(done)},
            now
        ));
        return done;
    });
}

}  // namespace yoyaku::bookings

// Issuing and revoking tickets (tickets.hpp).

#include "domain/tickets/tickets.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "crypto/random.hpp"
#include "crypto/signing.hpp"

namespace yoyaku::tickets {
namespace {

std::string seed_context(TenantId tenant, std::int64_t row) {
    return crypto::field_context(
        tenant, TicketKeyStore::kSeed.table, TicketKeyStore::kSeed.context, row
    );
}

Instant whole_seconds(Instant t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

Instant opens(const Admission& a) {
    return whole_seconds(a.starts_at - kOpensBefore);
}
Instant closes(const Admission& a) {
    return whole_seconds(a.ends_at + kClosesAfter);
}

bool same(const TicketRow& t, const Admission& a) {
    return t.occurrence_id == a.occurrence && t.type == a.type && t.seat == a.seat &&
           t.valid_from == opens(a) && t.valid_until == closes(a);
}

// Adds key `key_id` with a fresh seed; nothing when another transaction added it first.
Result<std::optional<SigningKey>> add_key(
    storage::ScopedTx& stx, const crypto::TenantKeys& keys, int key_id, Instant now
) {
    auto seed = crypto::SecretKey::random();
    YOYAKU_TRY_ASSIGN(
        const auto id, TicketKeyStore(stx).insert(key_id, crypto::signing_public_key(seed), now)
    );
    if (!id) return std::optional<SigningKey>();
    YOYAKU_TRY(TicketKeyStore(stx).set_seed(
        *id, crypto::seal(keys.seal, seed.view(), seed_context(stx.tenant_id(), *id))
    ));
    return std::optional<SigningKey>(SigningKey{key_id, std::make_shared<crypto::Signer>(seed)});
}

}  // namespace

Result<SigningKey> signing_key(
    storage::ScopedTx& stx, const crypto::TenantKeys& keys, Instant now
) {
    YOYAKU_TRY_ASSIGN(auto row, TicketKeyStore(stx).current());
    if (!row) {
        YOYAKU_TRY_ASSIGN(auto made, add_key(stx, keys, 1, now));
        if (made) return std::move(*made);
        YOYAKU_TRY_ASSIGN(row, TicketKeyStore(stx).current());
        if (!row) return Error::internal("no ticket key after making one");
    }
    // Opening the seed and deriving its key pair cost as much as a signature each: the key
    // pairs in use are kept, found by the tenant, the key's row and the sealed seed itself.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const crypto::Signer>, std::less<>> signers;
    const auto cached = std::to_string(stx.tenant_id().value) + ":" + std::to_string(row->id) +
                        ":" + row->seed_sealed;
    {
        const std::lock_guard lock(mutex);
        if (const auto it = signers.find(cached); it != signers.end())
            return SigningKey{row->key_id, it->second};
    }
    YOYAKU_TRY_ASSIGN(
        const auto seed, keys.open(row->seed_sealed, seed_context(stx.tenant_id(), row->id))
    );
    YOYAKU_TRY_ASSIGN(const auto key, crypto::SecretKey::from_bytes(seed));
    auto signer = std::make_shared<const crypto::Signer>(key);
    const std::lock_guard lock(mutex);
    if (signers.size() >= 256) signers.clear();  // tenants × keys in use; start again
    signers.emplace(cached, signer);
    return SigningKey{row->key_id, std::move(signer)};
}

Result<int> rotate_key(storage::ScopedTx& stx, const crypto::TenantKeys& keys, Instant now) {
    YOYAKU_TRY_ASSIGN(const auto all, TicketKeyStore(stx).all());
    const int next = all.empty() ? 1 : all.back().key_id + 1;
    YOYAKU_TRY_ASSIGN(const auto made, add_key(stx, keys, next, now));
    if (!made) return Error{Errc::conflict, "the ticket key was just rotated", "key_id", {}};
    YOYAKU_TRY(TicketKeyStore(stx).retire_before(next, now));
    return next;
}

Result<Synced> sync(
    storage::ScopedTx& stx,
    const crypto::TenantKeys& keys,
    const Holder& holder,
    const std::vector<Admission>& want,
    Instant now
) {
    TicketStore store(stx);
    YOYAKU_TRY_ASSIGN(const auto have, store.of_booking(holder.booking));
    Synced out;
    std::vector<bool> kept(want.size(), false);
    int last = 0;
    for (const auto& t : have) {
        last = std::max(last, t.number);
        if (t.revoked_at) continue;
        bool match = false;
        for (std::size_t i = 0; i < want.size() && !match; ++i)
            if (!kept[i] && same(t, want[i])) kept[i] = match = true;
        if (match) continue;
        YOYAKU_TRY_ASSIGN(const bool revoked, store.revoke(t.id, now));
        out.revoked += revoked ? 1 : 0;
    }
    if (std::find(kept.begin(), kept.end(), false) == kept.end()) return out;
    YOYAKU_TRY_ASSIGN(const auto key, signing_key(stx, keys, now));
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (kept[i]) continue;
        const auto& a = want[i];
        TicketRow t;
        t.booking_id = holder.booking;
        t.offering_id = holder.offering;
        t.reference = std::string(holder.reference);
        t.number = ++last;
        t.occurrence_id = a.occurrence;
        t.type = a.type;
        t.seat = a.seat;
        t.valid_from = opens(a);
        t.valid_until = closes(a);
        t.key_id = key.key_id;
        t.issued_at = now;
        t.token = sign_ticket(
            {std::string(holder.tenant_code),
             key.key_id,
             t.reference,
             t.number,
             a.occurrence ? a.occurrence->value : 0,
             t.type,
             t.seat,
             t.valid_from,
             t.valid_until},
            *key.signer
        );
        YOYAKU_TRY(store.insert(t));
        ++out.issued;
    }
    return out;
}

}  // namespace yoyaku::tickets

#include "domain/rekey/rekey.hpp"

#include <boost/json.hpp>
#include <optional>

#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/audit/audit.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/lottery/lottery_entry_store.hpp"
#include "domain/bookings/waitlist/waitlist_entry_store.hpp"
#include "domain/groups/group_store.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/line/line_login_store.hpp"
#include "domain/payments/payment_account_store.hpp"
#include "domain/tenants/tenant_setting_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/tickets/ticket_store.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sealed_rows.hpp"

namespace yoyaku::rekey {
namespace {
using storage::Blob;
using storage::Row;
using storage::Tx;

constexpr TenantId kPlatform{0};
const audit::Actor kSystem{"keys", "system"};

using Field = storage::SealedColumn;
using storage::SealedIndex;

struct Pass {
    std::int64_t needing = 0;     ///< fields (or indexes) not under the current generation
    std::int64_t resealed = 0;    ///< of those, sealed again
    std::int64_t reindexed = 0;   ///< indexes recomputed
    std::int64_t unreadable = 0;  ///< fields no generation opens
    std::int64_t fixed = 0;       ///< rows written back (not changed meanwhile by another)
    Pass& operator+=(const Pass& o) {
        needing += o.needing;
        fixed += o.fixed;
        resealed += o.resealed;
        reindexed += o.reindexed;
        unreadable += o.unreadable;
        return *this;
    }
};

// Runs `fn(tx)` in the tenant's scope (unscoped for the platform, whose rows are tenant 0's).
template <class F>
auto in_scope(storage::Database& db, TenantId tenant, F&& fn) {
    if (tenant == kPlatform) return db.write_platform(std::forward<F>(fn));
    return db.write(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
        return fn(stx.tx());
    });
}

std::string customer_email(const std::string& json) {
    boost::system::error_code ec;
    auto v = boost::json::parse(json, ec);
    if (ec || !v.is_object()) return {};
    const auto* e = v.get_object().if_contains("email");
    return e && e->is_string() ? std::string(e->get_string()) : std::string();
}

// The value the stored index was made from, found by trying what it can be under every
// generation; nullopt when none matches (the index is then left as it is).
std::optional<std::string> index_source(
    const crypto::TenantKeys& keys, const std::string& stored, std::vector<std::string> candidates
) {
    for (const auto& c : candidates)
        for (const auto& i : keys.indexes(c))
            if (i == stored) return c;
    return std::nullopt;
}

// One batch of `f`'s rows after id `after`, each written back under the current generation
// when it is not already; `last` is set to the batch's last id (0: no more rows).
Result<Pass> batch(
    Tx& tx,
    const crypto::TenantKeys& keys,
    TenantId tenant,
    const Field& f,
    std::int64_t after,
    int limit,
    std::int64_t& last
) {
    const std::string table(f.table);
    const bool indexed = f.index != SealedIndex::none;
    YOYAKU_TRY_ASSIGN(auto rows, storage::list_sealed_rows(tx, f, tenant, after, limit));
    last = 0;
    Pass p;
    for (const auto& r : rows) {
        const auto id = r.row;
        last = id;
        const std::string& sealed = r.sealed;
        const std::string context = crypto::field_context(
            tenant, table, f.context.empty() ? r.extra : std::string(f.context), id
        );
        auto current = crypto::open(keys.seal, sealed, context);
        auto plain = current ? std::move(current) : keys.open(sealed, context);
        if (!plain) {
            ++p.unreadable;
            continue;
        }
        const bool reseal = !current;
        std::optional<std::string> index;
        if (indexed) {
            std::vector<std::string> candidates;
            if (f.index == SealedIndex::email)
                candidates.push_back(*plain);
            else
                candidates.push_back(customer_email(*plain));
            if (f.index == SealedIndex::customer) candidates.push_back("erased:" + r.extra);
            auto source = index_source(keys, r.email_index, std::move(candidates));
            if (source) {
                auto fresh = crypto::blind_index(keys.index, *source);
                if (fresh != r.email_index) index = std::move(fresh);
            }
        }
        if (!reseal && !index) continue;
        ++p.needing;
        const std::string fresh = reseal ? crypto::seal(keys.seal, *plain, context) : sealed;
        // Written only if unchanged since read: a concurrent change wins and is taken again
        // by the next pass.
        YOYAKU_TRY_ASSIGN(
            const bool written, storage::update_sealed_row(tx, f, tenant, id, sealed, fresh, index)
        );
        if (written) {
            ++p.fixed;
            p.resealed += reseal;
            p.reindexed += index.has_value();
        }
    }
    return p;
}

// A sealed setting (tenants::kSealedSettings): base64 text in tenant_settings.
Result<Pass> sealed_setting(
    Tx& tx, const crypto::TenantKeys& keys, TenantId tenant, std::string_view key
) {
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    tenants::TenantSettingStore settings(stx);
    YOYAKU_TRY_ASSIGN(const auto setting, settings.find(std::string(key)));
    Pass p;
    if (!setting) return p;
    const std::string& text = setting->value;
    const std::string context = crypto::field_context(tenant, "tenant_settings", key, 0);
    auto sealed = crypto::from_base64(text);
    if (!sealed) {
        ++p.unreadable;
        return p;
    }
    if (crypto::open(keys.seal, *sealed, context)) return p;
    auto plain = keys.open(*sealed, context);
    if (!plain) {
        ++p.unreadable;
        return p;
    }
    ++p.needing;
    YOYAKU_TRY_ASSIGN(
        const bool written,
        settings.update_if(
            std::string(key), text, crypto::to_base64(crypto::seal(keys.seal, *plain, context))
        )
    );
    const int n = written ? 1 : 0;
    p.resealed += n;
    p.fixed += n;
    return p;
}

// One pass over every sealed field of the tenant.
Result<Pass> pass(storage::Database& db, crypto::Keyring& ring, TenantId tenant, int limit) {
    Pass total;
    for (const auto& f : sealed_columns()) {
        if (tenant == kPlatform && f.table != "accounts" && f.table != "outbox") continue;
        std::int64_t after = 0;
        while (true) {
            // The keys are fetched per batch: another node's rotation shows at once.
            YOYAKU_TRY_ASSIGN(auto keys, ring.tenant_keys(tenant));
            std::int64_t last = 0;
            auto p = in_scope(db, tenant, [&](Tx& tx) {
                return batch(tx, keys, tenant, f, after, limit, last);
            });
            if (!p) return fail(std::move(p).error());
            total += *p;
            if (last == 0) break;
            after = last;
        }
    }
    if (tenant != kPlatform) {
        YOYAKU_TRY_ASSIGN(auto keys, ring.tenant_keys(tenant));
        for (const auto key : tenants::kSealedSettings) {
            auto p =
                in_scope(db, tenant, [&](Tx& tx) { return sealed_setting(tx, keys, tenant, key); });
            if (!p) return fail(std::move(p).error());
            total += *p;
        }
    }
    return total;
}

}  // namespace

Result<TenantReport> rotate_tenant(
    storage::Database& db,
    crypto::Keyring& keys,
    TenantId tenant,
    std::string code,
    const Options& options,
    Instant now
) {
    if (options.batch < 1) return Error::invalid("batch", "must be at least 1");
    TenantReport report;
    report.tenant = tenant;
    report.code = std::move(code);
    if (options.new_key) {
        YOYAKU_TRY(keys.add_data_key(tenant));
    }
    // Passes until one finds nothing to do: that last one is the check that nothing was left
    // (rows a node still on the old generation wrote meanwhile are taken by the next pass).
    Pass last;
    for (int i = 0; i < 5; ++i) {
        YOYAKU_TRY_ASSIGN(auto p, pass(db, keys, tenant, options.batch));
        report.resealed += p.resealed;
        report.reindexed += p.reindexed;
        last = p;
        if (p.needing == 0) break;
    }
    report.left = last.needing - last.fixed + last.unreadable;
    YOYAKU_TRY_ASSIGN(auto current, keys.tenant_keys(tenant));
    report.generation = current.generation;
    if (options.drop_old && report.left == 0) {
        YOYAKU_TRY_ASSIGN(auto dropped, keys.drop_older_data_keys(tenant));
        report.dropped = dropped;
    }
    const audit::Event event{
        "keys.data_rotated",
        "keys:data",
        report.left == 0 ? "success" : "failure",
        "{\"generation\":" + std::to_string(report.generation) + ",\"resealed\":" +
            std::to_string(report.resealed) + ",\"reindexed\":" + std::to_string(report.reindexed) +
            ",\"left\":" + std::to_string(report.left) +
            ",\"dropped\":" + std::to_string(report.dropped) + "}"};
    if (tenant == kPlatform) {
        auto e = db.write_platform([&](Tx& tx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto a, audit::append_platform(tx, kSystem, {}, event, now));
            return {};
        });
        if (!e) return fail(std::move(e).error());
    } else {
        auto e = db.write(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
            auto a = audit::append(stx, kSystem, {}, event, now);
            if (!a) return Result<void>(fail(std::move(a).error()));
            return Result<void>();
        });
        if (!e) return fail(std::move(e).error());
    }
    return report;
}

Result<std::vector<TenantReport>> rotate_all(
    storage::Database& db, crypto::Keyring& keys, const Options& options, Instant now
) {
    auto all =
        db.read_platform([](Tx& tx) { return tenants::PlatformTenantStore(tx).list_lifecycles(); });
    if (!all) return fail(std::move(all).error());
    std::vector<TenantReport> out;
    YOYAKU_TRY_ASSIGN(auto platform, rotate_tenant(db, keys, kPlatform, "platform", options, now));
    out.push_back(std::move(platform));
    for (const auto& t : *all) {
        if (t.purged_at || t.key_destroyed_at) continue;  // nothing sealed is left to rotate
        YOYAKU_TRY_ASSIGN(auto r, rotate_tenant(db, keys, t.id, t.code, options, now));
        out.push_back(std::move(r));
    }
    return out;
}

const std::vector<storage::SealedColumn>& sealed_columns() {
    // Every store's declaration; tests/storage/sealed_columns_test.cpp fails when the schema
    // has a sealed column that is not here.
    static const std::vector<storage::SealedColumn> all = [] {
        std::vector<storage::SealedColumn> v(
            std::begin(accounts::AccountStore::kSealed), std::end(accounts::AccountStore::kSealed)
        );
        v.push_back(bookings::BookingStore::kCustomer);
        v.push_back(bookings::WaitlistEntryStore::kCustomer);
        v.push_back(bookings::LotteryEntryStore::kCustomer);
        v.push_back(jobs::kPayloadSealed);
        v.push_back(webhooks::kSecretSealed);
        v.push_back(payments::PaymentAccountStore::kSecretKey);
        v.push_back(payments::PaymentAccountStore::kWebhookSecret);
        v.push_back(tickets::TicketKeyStore::kSeed);
        v.push_back(groups::GroupStore::kDetails);
        v.push_back(groups::GroupStore::kBody);
        v.push_back(line::LineLoginStore::kLineUser);
        return v;
    }();
    return all;
}

}  // namespace yoyaku::rekey

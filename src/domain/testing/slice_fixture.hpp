#pragma once
// For a slice's unit tests: its service over a migrated in-memory SQLite database with one
// tenant, a fake clock and a manager acting. No HTTP, no files; each fixture its own database.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::testing {

class SliceTest : public ::testing::Test {
protected:
    SliceTest() : clock_(from_micros(1'790'000'000'000'000)) {
        auto db = storage::open_database({"sqlite::memory:"});
        if (!db) throw std::runtime_error("in-memory database: " + db.error().detail);
        db_ = std::move(db).value();
        if (auto m = db_->migrate(); !m) throw std::runtime_error("migrate: " + m.error().detail);
        tenant_ = add_tenant("alpha");
    }

    storage::Database& db() { return *db_; }

    /// A tenant as the platform makes it (no settings, no accounts).
    TenantId add_tenant(const std::string& code) {
        auto id = db_->write_platform([&](storage::Tx& tx) -> Result<TenantId> {
            YOYAKU_TRY_ASSIGN(
                auto row,
                tx.query_one(
                    "INSERT INTO tenants(code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
                    code,
                    "Tenant " + code,
                    to_micros(clock_.now())
                )
            );
            return row.id<TenantId>("id");
        });
        if (!id) throw std::runtime_error("tenant: " + id.error().detail);
        return *id;
    }

    /// A customer account row of `tenant` (placeholder sealed fields: no keys involved).
    AccountId add_customer(TenantId tenant, int n) { return add_account(tenant, n, "customer"); }

    /// An account row of `tenant` with `role`; `n` (0–9) tells its address apart.
    AccountId add_account(TenantId tenant, int n, const std::string& role) {
        auto id = db_->write(storage::TenantScope(tenant), [&](storage::ScopedTx& stx) {
            return stx.tx().query_one(
                "INSERT INTO accounts(tenant_id, role, email_index, email_sealed, name_sealed, created_at) VALUES ($1, $5, $2, $3, $3, $4) RETURNING id",
                stx.tenant_id(),
                std::string(63, 'a') + std::to_string(n % 10),
                storage::Blob{"sealed"},
                to_micros(clock_.now()),
                role
            );
        });
        if (!id) throw std::runtime_error("account: " + id.error().detail);
        return id->id<AccountId>("id");
    }

    /// The tenant's audit actions, newest first.
    std::vector<std::string> audit_actions(TenantId tenant) {
        auto entries = db_->read(storage::TenantScope(tenant), [](storage::ScopedTx& stx) {
            return audit::list(stx, {});
        });
        std::vector<std::string> out;
        if (entries)
            for (const auto& e : *entries) out.push_back(e.event.action);
        return out;
    }

    FakeClock clock_;
    std::unique_ptr<storage::Database> db_;
    TenantId tenant_;
    const audit::Actor manager_{"account:1", "manager"};
    const audit::Origin origin_{"192.0.2.1", "test", "req-1"};
};

}  // namespace yoyaku::testing

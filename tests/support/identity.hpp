#pragma once
// A platform's services over a test database: keyring in a temporary directory, a fast argon2id
// (1 MiB, 1 pass: the tests check behaviour, not hashing cost) and a fake clock.

#include <memory>

#include "app/services.hpp"
#include "support/test_database.hpp"

namespace yoyaku::testing {

inline constexpr const char* kPassword = "Kiri-no-Mori-2468";

struct Identity {
    /// Two-step sign-in is off unless `auth` turns it on: only the MFA tests are about it.
    explicit Identity(
        storage::Database& db,
        accounts::DefenceOptions defence = {},
        accounts::AuthOptions auth = {false, false}
    ) {
        auto opened = crypto::Keyring::open(dir.path() / "keys", true);
        if (!opened) throw std::runtime_error("keyring: " + opened.error().message);
        keyring = std::move(*opened);
        services = std::make_unique<app::Services>(
            db, std::move(keyring), crypto::Argon2Params{1, 1 << 20}, 2, defence, clock, auth
        );
    }
    app::Services& operator*() { return *services; }
    app::Services* operator->() { return services.get(); }

    /// A tenant with one manager (password kPassword).
    TenantId tenant(const std::string& code, const std::string& manager_email) {
        auto t = services->tenants.create({code, code + " hall"}, actor, origin);
        if (!t) throw std::runtime_error("tenant: " + t.error().message);
        auto m = services->accounts.create(
            t->id,
            {access::Role::manager, manager_email, "Manager", std::string(kPassword)},
            actor,
            origin
        );
        if (!m) throw std::runtime_error("manager: " + m.error().message);
        return t->id;
    }
    std::int64_t account(TenantId t, access::Role role, const std::string& email) {
        auto a = services->accounts.create(
            t, {role, email, "Someone", std::string(kPassword)}, actor, origin
        );
        if (!a) throw std::runtime_error("account: " + a.error().message);
        return a->account.id;
    }

    TempDir dir;
    FakeClock clock{from_micros(1'800'000'000'000'000)};
    std::unique_ptr<crypto::Keyring> keyring;
    std::unique_ptr<app::Services> services;
    audit::Actor actor{"operator:1", "operator"};
    audit::Origin origin{"192.0.2.1", "test-agent", "req-1"};
};

}  // namespace yoyaku::testing

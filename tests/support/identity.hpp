#pragma once
// A platform's services over a test database: keyring in a temporary directory, a fast argon2id
// (1 MiB, 1 pass: the tests check behaviour, not hashing cost) and a fake clock.

#include <boost/json.hpp>
#include <memory>

#include "app/platform.hpp"
#include "app/services.hpp"
#include "http/api/api.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace yoyaku::testing {

inline constexpr const char* kPassword = "Kiri-no-Mori-2468";
/// Proof-of-work challenges stay real in tests, only cheap to solve.
inline constexpr std::int64_t kChallengeDifficulty = 200;
/// Where Stripe (and LINE) are unless a test starts a stand-in: a closed port (never the real
/// API).
inline constexpr const char* kNoStripe = "http://127.0.0.1:9";

/// The defaults, except that the test's one address books without challenges (the rushes book
/// hundreds from it); the challenge tests ask for the real allowance.
inline accounts::DefenceOptions test_defence() {
    accounts::DefenceOptions d;
    d.booking_burst = 1e9;
    return d;
}

struct Identity {
    /// Two-step sign-in is off unless `auth` turns it on: only the MFA tests are about it.
    explicit Identity(
        storage::Database& db,
        accounts::DefenceOptions defence = test_defence(),
        accounts::AuthOptions auth = {false, false},
        std::string stripe_api_base = kNoStripe,
        std::string line_base = kNoStripe,
        std::string zoom_base = kNoStripe
    ) {
        auto opened = crypto::Keyring::open(dir.path() / "keys", true);
        if (!opened) throw std::runtime_error("keyring: " + opened.error().message);
        keyring = std::move(*opened);
        // The audit chain is keyed as on a platform (app::open_platform_database).
        auto chain_key = keyring->own_key(app::kChainKey);
        if (!chain_key) throw std::runtime_error("keyring: " + chain_key.error().message);
        audit::use_chain_key(*chain_key);
        app::ServiceOptions o;
        o.argon2 = crypto::Argon2Params{1, 1 << 20};
        o.defence = defence;
        o.auth = auth;
        o.challenge.max_number = kChallengeDifficulty;
        // Test receivers listen on loopback (the refusal is tested on CurlPoster itself).
        o.webhooks.allow_private_targets = true;
        o.bookings.organizer_email = "no-reply@hall.example";
        o.bookings.public_url = "https://booking.example.jp";
        o.stripe_api_base = std::move(stripe_api_base);
        o.line_api_base = line_base;
        o.line_data_base = line_base;  // the stand-in serves both hosts' paths
        o.line_login_base = std::move(line_base);
        o.zoom_api_base = zoom_base + "/v2";
        o.zoom_oauth_base = std::move(zoom_base);
        services = std::make_unique<app::Services>(db, std::move(keyring), clock, o);
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
    AccountId account(TenantId t, access::Role role, const std::string& email) {
        auto a = services->accounts.create(
            t, {role, email, "Someone", std::string(kPassword)}, actor, origin
        );
        if (!a) throw std::runtime_error("account: " + a.error().message);
        return a->account.id;
    }

    /// The JSON API's context over these services (no cookie prefix, no public URL).
    http::ApiContext api() {
        auto& s = *services;
        return {
            s.db,
            *s.keyring,
            s.accounts,
            s.auth,
            s.defence,
            s.challenges,
            s.tokens,
            s.support,
            s.resources,
            s.offerings,
            s.availability,
            s.bookings,
            s.waitlist,
            s.lottery,
            s.room_lotteries,
            s.groups,
            s.erasure,
            s.feeds,
            s.user_classes,
            s.webhooks,
            s.line,
            s.line_login,
            s.broadcasts,
            s.zoom,
            s.notices,
            s.tenants,
            s.staff_scopes,
            s.payments,
            s.receipts,
            s.documents,
            s.tickets,
            s.seats,
            s.reconciler,
            s.imports,
            clock,
            {},
            ""};
    }

    /// A server with every API route over these services, behind the whole pipeline.
    std::unique_ptr<TestServer> api_server(
        http::ApiContext& ctx, http::PipelineOptions pipeline = {}
    ) {
        auto& s = *services;
        return std::make_unique<TestServer>(
            http::ServerOptions{},
            [&ctx](http::Router& r, http::Metrics&) { http::add_api_routes(r, ctx); },
            "",
            std::move(pipeline),
            http::PipelineSecurity{
                &s.auth, &s.defence, &s.tokens, &s.support, &s.maintenance, platform_waf()}
        );
    }

    /// Counts outbox rows by kind (the mail a change queued).
    struct Outbox {
        storage::Database& db;
        std::int64_t count(const std::string& kind) const {
            auto n = db.read_platform([&](storage::Tx& tx) {
                return tx.query_one("SELECT count(*) FROM outbox WHERE kind = $1", kind);
            });
            if (!n) throw std::runtime_error("outbox: " + n.error().message);
            return n->i64(0);
        }
    };

    TempDir dir;
    FakeClock clock{from_micros(1'800'000'000'000'000)};
    std::unique_ptr<crypto::Keyring> keyring;
    std::unique_ptr<app::Services> services;
    audit::Actor actor{"operator:1", "operator"};
    audit::Origin origin{"192.0.2.1", "test-agent", "req-1"};
};

/// A solved proof-of-work answer from the server at `port` (GET /api/v1/challenge).
inline std::string solve_challenge(std::uint16_t port) {
    auto r = request(port, "GET", "/api/v1/challenge");
    if (r.status != 200) throw std::runtime_error("challenge: " + r.body);
    const auto o = boost::json::parse(r.body).as_object();
    accounts::Challenge c;
    c.algorithm = o.at("algorithm").as_string().c_str();
    c.challenge = o.at("challenge").as_string().c_str();
    c.max_number = o.at("maxnumber").as_int64();
    c.salt = o.at("salt").as_string().c_str();
    c.signature = o.at("signature").as_string().c_str();
    auto answer = accounts::solve(c);
    if (!answer) throw std::runtime_error("challenge without a solution");
    return *answer;
}

/// `body` (a JSON object) with a solved "altcha" field added.
inline std::string pay(std::uint16_t port, const std::string& body) {
    auto o = boost::json::parse(body).as_object();
    o["altcha"] = solve_challenge(port);
    return boost::json::serialize(o);
}

/// Signs in through the API (challenge paid) and returns the headers a signed-in browser
/// sends: "Cookie: …\r\nX-CSRF-Token: …\r\n". Throws when sign-in does not answer 201.
inline std::string signed_in_headers(
    std::uint16_t port,
    const std::string& tenant_code,
    const std::string& email,
    const std::string& password = kPassword
) {
    boost::json::object body{{"email", email}, {"password", password}};
    if (!tenant_code.empty()) body["tenant"] = tenant_code;
    auto r = request(
        port,
        "POST",
        "/api/v1/session",
        "Content-Type: application/json\r\n",
        pay(port, boost::json::serialize(body))
    );
    if (r.status != 201) throw std::runtime_error("sign-in: " + r.body);
    const auto cookie = r.header("set-cookie").substr(0, r.header("set-cookie").find(';'));
    return "Cookie: " + cookie + "\r\nX-CSRF-Token: " +
           std::string(boost::json::parse(r.body).at("csrf_token").as_string()) + "\r\n";
}

}  // namespace yoyaku::testing

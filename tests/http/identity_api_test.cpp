// The identity API end to end on both backends: cookies, CSRF, roles, tenant state, the audit
// log API, and a generated walk of every object route with another tenant's ids (SPEC S4–S7).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "crypto/hash.hpp"
#include "domain/jobs/jobs.hpp"
#include "http/api/api.hpp"
#include "http/api/health.hpp"
#include "http/json/body.hpp"
#include "support/http_client.hpp"
#include "support/identity.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using access::Role;

namespace {

// A signed-in browser: its cookie and CSRF token.
struct Browser {
    std::string cookie;  ///< "name=value"
    std::string csrf;
    std::string headers(bool with_csrf = true) const {
        std::string h = "Cookie: " + cookie + "\r\n";
        if (with_csrf) h += "X-CSRF-Token: " + csrf + "\r\n";
        return h;
    }
};

const std::string kJson = "Content-Type: application/json\r\n";

// One of each object tenant alpha can have, and the ids the route table's parameters name.
struct AlphaObjects {
    std::map<std::string, std::string> ids;  ///< route parameter → alpha's id
    std::string session_token;               ///< a staff member's session
    AccountId staff;
    std::string token_secret;  ///< an integration token (tenant.bookings.read)
    ResourceId resource_id;
    std::string reference;  ///< a confirmed booking
};

class IdentityApi : public ::testing::TestWithParam<storage::Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(tdb_->db());
        auto& s = **id_;
        ctx_ = std::make_unique<http::ApiContext>(id_->api());
        ctx_->cookies = http::CookiePolicy{true};
        ctx_->public_url = "https://booking.example.jp";
        http::PipelineOptions po;
        po.trusted_proxies = {*net::parse_cidr("127.0.0.1")};  // tests speak for other addresses
        server_ = std::make_unique<TestServer>(
            http::ServerOptions{},
            [&](http::Router& r, http::Metrics& m) {
                http::add_health_routes(r, tdb_->db(), m);
                http::add_api_routes(r, *ctx_);
                router_ = &r;
            },
            "",
            po,
            http::PipelineSecurity{
                &s.auth, &s.defence, &s.tokens, &s.support, nullptr, platform_waf()}
        );
        a_ = id_->tenant("alpha", "boss@alpha.example");
        b_ = id_->tenant("beta", "boss@beta.example");
        auto op = s.accounts.create(
            accounts::kPlatform,
            {Role::operator_, "ops@platform.example", "Ops", std::string(kPassword)},
            id_->actor,
            id_->origin
        );
        ASSERT_TRUE(op);
    }
    std::uint16_t port() { return server_->port(); }
    void make_alpha_objects(AlphaObjects& out);
    std::string paid(const std::string& body) { return pay(port(), body); }

    HttpResult call(
        const std::string& method,
        const std::string& target,
        const std::string& headers = "",
        const std::string& body = ""
    ) {
        return request(port(), method, target, headers, body);
    }

    // Confirms the password again: the rotated session (empty when refused, which fails).
    Browser reauthenticate(const Browser& b) {
        auto re = call(
            "POST",
            "/api/v1/session/reauthenticate",
            b.headers() + kJson,
            R"({"password":")" + std::string(kPassword) + "\"}"
        );
        EXPECT_EQ(re.status, 200) << re.body;
        Browser fresh;
        if (re.status != 200) return fresh;
        fresh.cookie = re.header("set-cookie").substr(0, re.header("set-cookie").find(';'));
        fresh.csrf = boost::json::parse(re.body).at("csrf_token").as_string().c_str();
        return fresh;
    }

    Browser sign_in(
        const std::string& tenant, const std::string& email, const std::string& pw = kPassword
    ) {
        std::string body = R"({"email":")" + email + R"(","password":")" + pw + R"("})";
        if (!tenant.empty()) body = R"({"tenant":")" + tenant + "\"," + body.substr(1);
        auto r = call("POST", "/api/v1/session", kJson, paid(body));
        EXPECT_EQ(r.status, 201) << r.body;
        Browser b;
        const auto set = r.header("set-cookie");
        b.cookie = set.substr(0, set.find(';'));
        if (r.status == 201)
            b.csrf = boost::json::parse(r.body).at("csrf_token").as_string().c_str();
        return b;
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    std::unique_ptr<http::ApiContext> ctx_;
    std::unique_ptr<TestServer> server_;
    http::Router* router_ = nullptr;
    TenantId a_, b_;
};

std::string name_of(const ::testing::TestParamInfo<storage::Backend>& info) {
    return std::string(storage::to_string(info.param));
}

}  // namespace

TEST_P(IdentityApi, SignInSetsAHostOnlySecureHttpOnlyLaxCookie) {
    auto r = call(
        "POST",
        "/api/v1/session",
        kJson,
        paid(
            R"({"tenant":"alpha","email":"boss@alpha.example","password":")" +
            std::string(kPassword) + "\"}"
        )
    );
    ASSERT_EQ(r.status, 201) << r.body;
    const auto c = r.header("set-cookie");
    EXPECT_TRUE(c.starts_with("__Host-yoyaku_session=")) << c;
    EXPECT_NE(c.find("; Path=/"), std::string::npos);
    EXPECT_NE(c.find("; HttpOnly"), std::string::npos);
    EXPECT_NE(c.find("; Secure"), std::string::npos);
    EXPECT_NE(c.find("; SameSite=Lax"), std::string::npos);
    EXPECT_EQ(c.find("Domain"), std::string::npos);
    EXPECT_EQ(r.body.find(c.substr(22, 40)), std::string::npos) << "the token is not in the body";

    auto bad = call("POST", "/api/v1/session", kJson, paid(R"({"tenant":"alpha","password":"x"})"));
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "email");
    auto typo = call(
        "POST",
        "/api/v1/session",
        kJson,
        paid(R"({"tenant":"alpha","emial":"a@b.jp","password":"x"})")
    );
    EXPECT_EQ(boost::json::parse(typo.body).at("field").as_string(), "emial");
    auto wrong = call(
        "POST",
        "/api/v1/session",
        kJson,
        paid(R"({"tenant":"alpha","email":"boss@alpha.example","password":"Wrong-Password-1"})")
    );
    EXPECT_EQ(wrong.status, 401);
    EXPECT_TRUE(wrong.header("set-cookie").empty());
}

TEST_P(IdentityApi, StateChangesNeedTheCsrfTokenAndOurOrigin) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    const std::string staff = R"({"email":"s1@alpha.example","name":"S","role":"staff"})";
    auto no_token = call("POST", "/api/v1/staff", boss.headers(false) + kJson, staff);
    EXPECT_EQ(no_token.status, 403) << no_token.body;
    EXPECT_EQ(boost::json::parse(no_token.body).at("field").as_string(), "X-CSRF-Token");
    auto wrong_token = call(
        "POST",
        "/api/v1/staff",
        "Cookie: " + boss.cookie + "\r\nX-CSRF-Token: " + std::string(64, 'a') + "\r\n" + kJson,
        staff
    );
    EXPECT_EQ(wrong_token.status, 403);
    auto foreign = call(
        "POST", "/api/v1/staff", boss.headers() + kJson + "Origin: https://evil.example\r\n", staff
    );
    EXPECT_EQ(foreign.status, 403);
    auto list = call("GET", "/api/v1/staff", boss.headers(false));
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(boost::json::parse(list.body).at("items").as_array().size(), 1u) << "nothing stored";
    auto ok = call(
        "POST", "/api/v1/staff", boss.headers() + kJson + "Origin: http://127.0.0.1\r\n", staff
    );
    ASSERT_EQ(ok.status, 201) << ok.body;
    EXPECT_TRUE(boost::json::parse(ok.body).as_object().contains("setup_link"));
    EXPECT_TRUE(std::string(boost::json::parse(ok.body).at("setup_link").as_string().c_str())
                    .starts_with("https://booking.example.jp/setup#token="));
}

TEST_P(IdentityApi, RolesAreEnforcedByTheMatrix) {
    EXPECT_EQ(call("GET", "/api/v1/staff").status, 401);
    EXPECT_EQ(call("GET", "/api/v1/session").status, 401);
    id_->account(a_, Role::staff, "desk@alpha.example");
    auto desk = sign_in("alpha", "desk@alpha.example");
    EXPECT_EQ(call("GET", "/api/v1/audit-entries", desk.headers()).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/staff", desk.headers()).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/tenants", desk.headers()).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/session", desk.headers()).status, 200);
    auto boss = sign_in("alpha", "boss@alpha.example");
    EXPECT_EQ(call("GET", "/api/v1/tenants", boss.headers()).status, 403);
    auto ops = sign_in("", "ops@platform.example");
    EXPECT_EQ(call("GET", "/api/v1/tenants", ops.headers()).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers()).status, 403);  // no tenant rights
    // A bogus cookie is no session, and the answer clears it.
    auto bogus = call(
        "GET", "/api/v1/session", "Cookie: __Host-yoyaku_session=1." + std::string(64, 'f') + "\r\n"
    );
    EXPECT_EQ(bogus.status, 401);
    EXPECT_NE(bogus.header("set-cookie").find("Max-Age=0"), std::string::npos);
}

TEST_P(IdentityApi, ManagersReadAndExportTheirAuditLog) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    auto wrong = call(
        "POST",
        "/api/v1/session",
        kJson,
        paid(R"({"tenant":"alpha","email":"boss@alpha.example","password":"Wrong-Password-1"})")
    );
    ASSERT_EQ(wrong.status, 401);
    auto list = call("GET", "/api/v1/audit-entries?action=account.&limit=10", boss.headers());
    ASSERT_EQ(list.status, 200) << list.body;
    auto items = boost::json::parse(list.body).at("items").as_array();
    ASSERT_GE(items.size(), 2u);
    EXPECT_EQ(items[0].at("action").as_string(), "account.login_failed");
    EXPECT_EQ(items[0].at("client_address").as_string(), "127.0.0.1");
    EXPECT_EQ(items[1].at("action").as_string(), "account.logged_in");
    auto bad = call("GET", "/api/v1/audit-entries?limit=0", boss.headers());
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "limit");
    auto csv = call("GET", "/api/v1/audit-entries.csv", boss.headers());
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.header("content-type").starts_with("text/csv"));
    EXPECT_NE(csv.header("content-disposition").find("audit-alpha.csv"), std::string::npos);
    EXPECT_TRUE(csv.body.starts_with("seq,at,actor_id,"));
    EXPECT_NE(csv.body.find("\"account.login_failed\""), std::string::npos);
    EXPECT_NE(csv.body.find("+09:00"), std::string::npos);  // in the tenant's zone
    // Only the tenant's own chain.
    EXPECT_EQ(csv.body.find("boss@beta"), std::string::npos);
}

TEST_P(IdentityApi, SuspendedTenantsAreReadOnlyAndTerminatedOnesExportOnly) {
    auto ops = sign_in("", "ops@platform.example");
    auto boss = sign_in("alpha", "boss@alpha.example");
    const std::string staff = R"({"email":"s2@alpha.example","name":"S","role":"staff"})";
    auto suspend = call(
        "POST",
        "/api/v1/tenants/" + std::to_string(a_.value) + "/status",
        ops.headers() + kJson,
        R"({"status":"suspended","reason":"unpaid invoice"})"
    );
    ASSERT_EQ(suspend.status, 200) << suspend.body;
    EXPECT_EQ(call("GET", "/api/v1/staff", boss.headers()).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/staff", boss.headers() + kJson, staff).status, 403);
    auto terminate = call(
        "POST",
        "/api/v1/tenants/" + std::to_string(a_.value) + "/status",
        ops.headers() + kJson,
        R"({"status":"terminated","reason":"contract ended"})"
    );
    ASSERT_EQ(terminate.status, 200);
    EXPECT_EQ(call("GET", "/api/v1/staff", boss.headers()).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/session", boss.headers()).status, 200);
    // The other tenant is untouched.
    auto other = sign_in("beta", "boss@beta.example");
    EXPECT_EQ(call("POST", "/api/v1/staff", other.headers() + kJson, staff).status, 201);
}

TEST_P(IdentityApi, OperatorsCreateTenantsWhoseManagerSetsAPassword) {
    auto ops = sign_in("", "ops@platform.example");
    auto bad = call(
        "POST",
        "/api/v1/tenants",
        ops.headers() + kJson,
        R"({"code":"gamma","name":"Gamma","manager_email":"not-an-email"})"
    );
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "manager_email");
    EXPECT_EQ(call("GET", "/api/v1/tenants", ops.headers()).body.find("gamma"), std::string::npos)
        << "a refused request stores nothing";
    auto r = call(
        "POST",
        "/api/v1/tenants",
        ops.headers() + kJson,
        R"({"code":"gamma","name":"Gamma Hall","manager_email":"chief@gamma.example"})"
    );
    ASSERT_EQ(r.status, 201) << r.body;
    std::string link = boost::json::parse(r.body).at("setup_link").as_string().c_str();
    const std::string token = link.substr(link.find("token=") + 6);
    auto set = call(
        "POST",
        "/api/v1/password/redeem",
        kJson,
        R"({"token":")" + token + R"(","password":")" + kPassword + "\"}"
    );
    ASSERT_EQ(set.status, 200) << set.body;
    auto chief = sign_in("gamma", "chief@gamma.example");
    auto me = call("GET", "/api/v1/session", chief.headers());
    ASSERT_EQ(me.status, 200);
    EXPECT_EQ(boost::json::parse(me.body).at("account").at("role").as_string(), "manager");
    EXPECT_EQ(boost::json::parse(me.body).at("tenant").at("code").as_string(), "gamma");
}

TEST_P(IdentityApi, SensitiveActionsNeedAFreshPassword) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    const auto staff = id_->account(a_, Role::staff, "s3@alpha.example");
    id_->clock.advance(std::chrono::minutes(11));
    auto stale = call("DELETE", "/api/v1/staff/" + to_string(staff), boss.headers());
    ASSERT_EQ(stale.status, 403);
    EXPECT_EQ(boost::json::parse(stale.body).at("code").as_string(), "reauthentication_required");
    const Browser fresh = reauthenticate(boss);
    ASSERT_FALSE(fresh.cookie.empty());
    EXPECT_EQ(call("GET", "/api/v1/session", boss.headers()).status, 401) << "rotated";
    EXPECT_EQ(call("DELETE", "/api/v1/staff/" + to_string(staff), fresh.headers()).status, 204);
}

// Issue 24, defect 7: changing where a webhook sends the tenant's events, and binding a new
// authenticator, need a fresh password like making a webhook does.
TEST_P(IdentityApi, WebhookEditsAndTotpEnrolmentNeedAFreshPassword) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    auto made = call(
        "POST",
        "/api/v1/webhooks",
        boss.headers() + kJson,
        R"({"url":"https://hooks.example.jp/a"})"
    );
    ASSERT_EQ(made.status, 201) << made.body;
    const auto url =
        "/api/v1/webhooks/" + std::to_string(boost::json::parse(made.body).at("id").as_int64());
    id_->clock.advance(std::chrono::minutes(11));
    const std::string moved = R"({"url":"https://attacker.example.net/collect"})";
    auto stale = call("PUT", url, boss.headers() + kJson, moved);
    ASSERT_EQ(stale.status, 403) << stale.body;
    EXPECT_EQ(boost::json::parse(stale.body).at("code").as_string(), "reauthentication_required");
    EXPECT_EQ(
        boost::json::parse(call("GET", url, boss.headers()).body).at("url").as_string(),
        "https://hooks.example.jp/a"
    ) << "nothing changed";
    auto totp = call("POST", "/api/v1/session/totp", boss.headers() + kJson, "{}");
    ASSERT_EQ(totp.status, 403) << totp.body;
    EXPECT_EQ(boost::json::parse(totp.body).at("code").as_string(), "reauthentication_required");

    const Browser fresh = reauthenticate(boss);
    ASSERT_FALSE(fresh.cookie.empty());
    EXPECT_EQ(call("PUT", url, fresh.headers() + kJson, moved).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/session/totp", fresh.headers() + kJson, "{}").status, 200);
}

// SPEC S3: sign-in costs a proof of work (ALTCHA), each answer works once and not after it
// expires; a forged or missing one is refused before any password is checked.
TEST_P(IdentityApi, SignInNeedsAFreshSolvedChallenge) {
    const std::string body = R"({"tenant":"alpha","email":"boss@alpha.example","password":")" +
                             std::string(kPassword) + "\"}";
    auto field_of = [](const HttpResult& r) {
        return std::string(boost::json::parse(r.body).at("field").as_string());
    };
    auto none = call("POST", "/api/v1/session", kJson, body);
    EXPECT_EQ(none.status, 400);
    EXPECT_EQ(field_of(none), "altcha");

    auto challenge = call("GET", "/api/v1/challenge");
    ASSERT_EQ(challenge.status, 200);
    const auto c = boost::json::parse(challenge.body).as_object();
    EXPECT_EQ(c.at("algorithm").as_string(), "SHA-256");
    EXPECT_EQ(c.at("maxnumber").as_int64(), kChallengeDifficulty);
    EXPECT_NE(std::string(c.at("salt").as_string()).find("?expires="), std::string::npos);

    const auto answer = solve_challenge(port());
    auto with = [&](const std::string& altcha) {
        auto o = boost::json::parse(body).as_object();
        o["altcha"] = altcha;
        return boost::json::serialize(o);
    };
    // A challenge the server never signed (another key), solved correctly.
    accounts::Challenge fake;
    fake.max_number = 10;
    fake.salt = "00ff00ff?expires=" + std::to_string(to_micros(id_->clock.now()) / 1000000 + 60);
    fake.challenge = crypto::sha256_hex(fake.salt + "7");
    fake.signature = crypto::hmac_sha256_hex(std::string(32, 'k'), fake.challenge);
    const auto forged = *accounts::solve(fake);
    auto refused = call("POST", "/api/v1/session", kJson, with(forged));
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(field_of(refused), "altcha");

    EXPECT_EQ(call("POST", "/api/v1/session", kJson, with(answer)).status, 201);
    auto again = call("POST", "/api/v1/session", kJson, with(answer));
    EXPECT_EQ(again.status, 400) << "an answer works once";
    EXPECT_EQ(field_of(again), "altcha");

    // A master key rotated by another process (`yoyaku keys rotate`): the server signs with
    // the new master's key at once and still takes an answer to a challenge signed before.
    const auto before_rotation = solve_challenge(port());
    auto cli = crypto::Keyring::open(id_->dir.path() / "keys", false);
    ASSERT_TRUE(cli);
    ASSERT_TRUE((*cli)->rotate_master());
    const auto fresh = boost::json::parse(call("GET", "/api/v1/challenge").body).as_object();
    EXPECT_EQ(
        fresh.at("signature").as_string(),
        crypto::hmac_sha256_hex(
            (*cli)->platform_key("altcha").view(), std::string(fresh.at("challenge").as_string())
        )
    );
    EXPECT_EQ(call("POST", "/api/v1/session", kJson, with(before_rotation)).status, 201);

    const auto late = solve_challenge(port());
    id_->clock.advance(std::chrono::minutes(11));
    auto expired = call("POST", "/api/v1/session", kJson, with(late));
    EXPECT_EQ(expired.status, 400) << "answers expire";
    EXPECT_EQ(field_of(expired), "altcha");
    // None of the refused attempts reached the password check.
    auto list = (*id_)->accounts.list(a_, std::nullopt);
    ASSERT_TRUE(list);
    for (const auto& a : *list) EXPECT_EQ(a.failed_logins, 0);
}

TEST_P(IdentityApi, RateLimitedSignInsSayWhenToRetry) {
    HttpResult r;
    for (int i = 0; i < 30 && r.status != 429; ++i)
        r = call(
            "POST",
            "/api/v1/session",
            kJson + "X-Forwarded-For: 198.51.100.77\r\n",
            paid(R"({"tenant":"alpha","email":"x@alpha.example","password":"Wrong-Password-1"})")
        );
    ASSERT_EQ(r.status, 429);
    EXPECT_FALSE(r.header("retry-after").empty());
}

TEST_P(IdentityApi, AnAddressFailingAcrossManyAccountsIsBlockedEverywhere) {
    HttpResult r;
    for (int i = 0; i < 10; ++i)
        r = call(
            "POST",
            "/api/v1/session",
            kJson + "X-Forwarded-For: 198.51.100.78\r\n",
            paid(
                R"({"tenant":"alpha","email":"x)" + std::to_string(i) +
                R"(@alpha.example","password":"Wrong-Password-1"})"
            )
        );
    EXPECT_EQ(r.status, 401);
    auto blocked = call("GET", "/api/v1/staff", "X-Forwarded-For: 198.51.100.78\r\n");
    EXPECT_EQ(blocked.status, 403);
    EXPECT_EQ(
        boost::json::parse(blocked.body).at("detail").as_string(),
        "requests from this address are blocked"
    );
    // Another address still signs in.
    auto other = call(
        "POST",
        "/api/v1/session",
        kJson + "X-Forwarded-For: 198.51.100.79\r\n",
        paid(
            R"({"tenant":"alpha","email":"boss@alpha.example","password":")" +
            std::string(kPassword) + "\"}"
        )
    );
    EXPECT_EQ(other.status, 201);
    // The operator sees the automatic block and lifts it.
    auto ops = sign_in("", "ops@platform.example");
    auto rules = call("GET", "/api/v1/address-rules", ops.headers());
    ASSERT_EQ(rules.status, 200);
    auto items = boost::json::parse(rules.body).at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].at("source").as_string(), "automatic");
    EXPECT_EQ(items[0].at("cidr").as_string(), "198.51.100.78");
    auto lift = call(
        "DELETE",
        "/api/v1/address-rules/" + std::to_string(items[0].at("id").as_int64()),
        ops.headers()
    );
    EXPECT_EQ(lift.status, 204);
    EXPECT_EQ(call("GET", "/healthz", "X-Forwarded-For: 198.51.100.78\r\n").status, 200);
}

TEST_P(IdentityApi, MetricsOpenToLoopbackAndOperatorsOnly) {
    EXPECT_EQ(call("GET", "/metrics").status, 200);
    EXPECT_EQ(call("GET", "/metrics", "X-Forwarded-For: 203.0.113.1\r\n").status, 401);
    auto ops = sign_in("", "ops@platform.example");
    EXPECT_EQ(
        call("GET", "/metrics", ops.headers() + "X-Forwarded-For: 203.0.113.1\r\n").status, 200
    );
}

// Every route with an object id in its path, called by tenant beta's manager with tenant
// alpha's ids, must answer 404 (or 403 where the role holds no such right at all): another
// tenant's objects do not exist. A route with a parameter this test does not know fails it,
// so new object routes join the walk.
// SPEC S6: an integration token carries only the scopes it was given, is shown once, stored
// as a hash, records its last use, needs no CSRF token (no cookie) and stops when revoked.
TEST_P(IdentityApi, ApiTokensAreScopedShownOnceAndRevocable) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    auto made = call(
        "POST",
        "/api/v1/api-tokens",
        boss.headers() + kJson,
        R"({"name":"会計システム","scopes":["tenant.audit.read","tenant.bookings.read"]})"
    );
    ASSERT_EQ(made.status, 201) << made.body;
    const auto o = boost::json::parse(made.body).as_object();
    const std::string secret(o.at("token").as_string());
    ASSERT_TRUE(secret.starts_with("yk_" + std::to_string(a_.value) + "."));
    const std::string bearer = "Authorization: Bearer " + secret + "\r\n";

    auto log = call("GET", "/api/v1/audit-entries?limit=5", bearer);
    EXPECT_EQ(log.status, 200) << log.body;
    auto staff = call("GET", "/api/v1/staff", bearer);
    EXPECT_EQ(staff.status, 403) << "outside its scopes";
    EXPECT_EQ(boost::json::parse(staff.body).at("field").as_string(), "scopes");
    EXPECT_EQ(call("GET", "/api/v1/session", bearer).status, 403) << "a token has no session";
    EXPECT_EQ(call("GET", "/api/v1/api-tokens", bearer).status, 403) << "nor makes tokens";
    auto wrong = call(
        "GET",
        "/api/v1/audit-entries",
        "Authorization: Bearer yk_1." + std::string(64, 'a') + "\r\n"
    );
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.header("www-authenticate"), "Bearer");

    // Listed without the secret, with its last use; the database holds only a hash.
    auto list = call("GET", "/api/v1/api-tokens", boss.headers());
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.find(secret.substr(8)), std::string::npos);
    const auto item = boost::json::parse(list.body).at("items").as_array().at(0).as_object();
    EXPECT_EQ(item.at("last_used_address").as_string(), "127.0.0.1");
    EXPECT_FALSE(item.at("last_used_at").is_null());
    auto stored = (*id_)->db.read(storage::TenantScope(a_), [](storage::ScopedTx& stx) {
        return stx.tx().query_one("SELECT token_hash FROM api_tokens");
    });
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->text(0), crypto::blake2b_256_hex(secret.substr(secret.find('.') + 1)));

    // Refused input names the field; nothing is stored.
    auto bad = call(
        "POST",
        "/api/v1/api-tokens",
        boss.headers() + kJson,
        R"({"name":"x","scopes":["tenant.staff.manage"]})"
    );
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(boost::json::parse(bad.body).at("field").as_string(), "scopes");

    const auto id = std::to_string(o.at("id").as_int64());
    EXPECT_EQ(call("DELETE", "/api/v1/api-tokens/" + id, boss.headers()).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/audit-entries", bearer).status, 401) << "revoked";
    auto audit = call("GET", "/api/v1/audit-entries?action=api_token.", boss.headers());
    ASSERT_EQ(audit.status, 200);
    const auto entries = boost::json::parse(audit.body).at("items").as_array();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].at("action").as_string(), "api_token.revoked");
    EXPECT_EQ(entries[1].at("action").as_string(), "api_token.created");
}

// Issue 24, defect 3: a token is worth what its maker is (disabled, demoted or deleted, it
// stops), an integration token works only from the staff networks, and a token made without
// an end lives one year.
TEST_P(IdentityApi, ApiTokensStopWithTheirMakerOutsideTheNetworksAndAfterAYear) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    const auto deputy_id = id_->account(a_, Role::manager, "deputy@alpha.example");
    auto deputy = sign_in("alpha", "deputy@alpha.example");
    auto make = [&](const Browser& who) {
        auto made = call(
            "POST",
            "/api/v1/api-tokens",
            who.headers() + kJson,
            R"({"name":"連携","scopes":["tenant.bookings.read"]})"
        );
        EXPECT_EQ(made.status, 201) << made.body;
        return boost::json::parse(made.body).as_object();
    };
    auto works = [&](const boost::json::object& token, const std::string& from = "") {
        return call(
                   "GET",
                   "/api/v1/bookings",
                   "Authorization: Bearer " + std::string(token.at("token").as_string()) + "\r\n" +
                       (from.empty() ? "" : "X-Forwarded-For: " + from + "\r\n")
               )
                   .status == 200;
    };
    const auto token = make(deputy);
    const auto year = http::json_time(id_->clock.now() + accounts::kDefaultLifetime);
    EXPECT_EQ(token.at("expires_at").as_string(), year) << "one year unless told otherwise";
    EXPECT_TRUE(works(token));

    const std::string deputy_url = "/api/v1/staff/" + to_string(deputy_id);
    auto patch = [&](const std::string& body) {
        auto r = call("PATCH", deputy_url, boss.headers() + kJson, body);
        EXPECT_EQ(r.status, 200) << r.body;
    };
    patch(R"({"status":"disabled"})");
    EXPECT_FALSE(works(token)) << "its maker is disabled";
    patch(R"({"status":"active"})");
    EXPECT_TRUE(works(token));
    patch(R"({"role":"staff"})");
    EXPECT_FALSE(works(token)) << "its maker is no longer a manager";
    patch(R"({"role":"manager"})");
    EXPECT_TRUE(works(token));
    EXPECT_EQ(call("DELETE", deputy_url, boss.headers()).status, 204);
    EXPECT_FALSE(works(token)) << "its maker is gone";

    // Staff networks hold for integration tokens as for managers' sessions.
    const auto own = make(boss);
    auto nets = call(
        "PATCH",
        "/api/v1/settings/security",
        boss.headers() + kJson,
        R"({"access.staff_networks":"127.0.0.0/8, 192.0.2.0/24"})"
    );
    ASSERT_EQ(nets.status, 200) << nets.body;
    EXPECT_TRUE(works(own, "192.0.2.10"));
    EXPECT_FALSE(works(own, "198.51.100.7")) << "outside the staff networks";

    id_->clock.advance(accounts::kDefaultLifetime + std::chrono::minutes(1));
    EXPECT_FALSE(works(own, "192.0.2.10")) << "a year later";
}

// SPEC S6: a kiosk token may check customers in and nothing else.
TEST_P(IdentityApi, KioskTokensHoldCheckInOnly) {
    auto boss = sign_in("alpha", "boss@alpha.example");
    auto refused = call(
        "POST",
        "/api/v1/api-tokens",
        boss.headers() + kJson,
        R"({"name":"入口","kind":"kiosk","scopes":["tenant.checkin","tenant.bookings.read"]})"
    );
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(boost::json::parse(refused.body).at("field").as_string(), "scopes");
    auto made = call(
        "POST",
        "/api/v1/api-tokens",
        boss.headers() + kJson,
        R"({"name":"入口","kind":"kiosk","scopes":["tenant.checkin"]})"
    );
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string bearer = "Authorization: Bearer " +
                               std::string(boost::json::parse(made.body).at("token").as_string()) +
                               "\r\n";
    auto principal = (*id_)->tokens.authenticate(
        std::string(boost::json::parse(made.body).at("token").as_string()), "192.0.2.1"
    );
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->role, Role::kiosk);
    for (const auto& route : router_->routes()) {
        const auto perm = *access::parse_permission(route.permission);
        if (perm == access::Permission::public_ || perm == access::Permission::tenant_checkin)
            continue;
        if (route.pattern.find('{') != std::string::npos) continue;
        auto r =
            call(route.method, route.pattern, bearer + kJson, route.method == "GET" ? "" : "{}");
        EXPECT_EQ(r.status, 403) << route.method << " " << route.pattern;
    }
}

// Operators reach a tenant's data only under support access: with a reason, for a limited
// time, read-only, and written into the tenant's own audit log, which its managers read.
TEST_P(IdentityApi, SupportAccessIsReasonedTimeBoxedReadOnlyAndInTheTenantsLog) {
    auto ops = sign_in("", "ops@platform.example");
    const std::string into_alpha = "Yoyaku-Support-Tenant: " + std::to_string(a_.value) + "\r\n";
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers()).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers() + into_alpha).status, 403) << "no grant";
    const std::string grants = "/api/v1/tenants/" + std::to_string(a_.value) + "/support-access";
    auto short_reason =
        call("POST", grants, ops.headers() + kJson, R"({"reason":"help","minutes":30})");
    EXPECT_EQ(short_reason.status, 400);
    EXPECT_EQ(boost::json::parse(short_reason.body).at("field").as_string(), "reason");
    auto too_long = call(
        "POST",
        grants,
        ops.headers() + kJson,
        R"({"reason":"問い合わせ #4411 の調査","minutes":600})"
    );
    EXPECT_EQ(boost::json::parse(too_long.body).at("field").as_string(), "minutes");
    auto opened = call(
        "POST",
        grants,
        ops.headers() + kJson,
        R"({"reason":"問い合わせ #4411 の調査","minutes":30})"
    );
    ASSERT_EQ(opened.status, 201) << opened.body;

    auto staff = call("GET", "/api/v1/staff", ops.headers() + into_alpha);
    ASSERT_EQ(staff.status, 200) << staff.body;
    EXPECT_NE(staff.body.find("boss@alpha.example"), std::string::npos);
    auto change = call(
        "POST",
        "/api/v1/staff",
        ops.headers() + into_alpha + kJson,
        R"({"email":"x@alpha.example","name":"X","role":"staff"})"
    );
    EXPECT_EQ(change.status, 403) << "support access only looks";
    const std::string into_beta = "Yoyaku-Support-Tenant: " + std::to_string(b_.value) + "\r\n";
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers() + into_beta).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/session", ops.headers() + into_alpha).status, 403);
    auto boss = sign_in("alpha", "boss@alpha.example");
    EXPECT_EQ(call("GET", "/api/v1/staff", boss.headers() + into_alpha).status, 403)
        << "a manager has no support access";

    // Alpha's managers see the grant and its entries in their own log.
    auto list = call("GET", "/api/v1/support-access", boss.headers());
    ASSERT_EQ(list.status, 200);
    const auto items = boost::json::parse(list.body).at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_TRUE(items[0].at("live").as_bool());
    EXPECT_EQ(items[0].at("reason").as_string(), "問い合わせ #4411 の調査");
    auto log = call("GET", "/api/v1/audit-entries?action=support_access.", boss.headers());
    ASSERT_EQ(log.status, 200);
    const auto entries = boost::json::parse(log.body).at("items").as_array();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].at("action").as_string(), "support_access.opened");
    EXPECT_EQ(entries[0].at("actor").at("role").as_string(), "operator");

    // Time-boxed: after 30 minutes the header opens nothing.
    id_->clock.advance(std::chrono::minutes(31));
    ops = sign_in("", "ops@platform.example");
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers() + into_alpha).status, 403);
    // Ended early: the same.
    ASSERT_EQ(
        call("POST", grants, ops.headers() + kJson, R"({"reason":"問い合わせ #4412 の調査"})")
            .status,
        201
    );
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers() + into_alpha).status, 200);
    EXPECT_EQ(call("DELETE", grants, ops.headers()).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/staff", ops.headers() + into_alpha).status, 403);
    EXPECT_EQ(call("DELETE", grants, ops.headers()).status, 404);
    boss = sign_in("alpha", "boss@alpha.example");
    auto after = call("GET", "/api/v1/audit-entries?action=support_access.", boss.headers());
    EXPECT_EQ(boost::json::parse(after.body).at("items").as_array().size(), 3u);
}

void IdentityApi::make_alpha_objects(AlphaObjects& out) {
    auto& s = **id_;
    const auto alpha_staff = id_->account(a_, Role::staff, "walk@alpha.example");
    auto alpha_session = s.auth.login({a_, "walk@alpha.example", kPassword, id_->origin, ""});
    ASSERT_TRUE(alpha_session);
    auto rule = s.defence.add_rule(
        accounts::RuleKind::allow, "192.0.2.0/24", "office", std::nullopt, id_->actor, id_->origin
    );
    ASSERT_TRUE(rule);
    access::Principal alpha_boss;
    alpha_boss.role = Role::manager;
    alpha_boss.tenant = a_;
    alpha_boss.account_id = AccountId(1);
    auto token = s.tokens.create(
        alpha_boss,
        {accounts::TokenKind::integration, "POS", {"tenant.bookings.read"}, std::nullopt},
        id_->origin
    );
    ASSERT_TRUE(token);
    resources::ResourceInput room;
    room.name = "Hall A";
    auto resource = s.resources.create(a_, room, id_->actor, id_->origin);
    ASSERT_TRUE(resource);
    ASSERT_TRUE(s.resources.set_exception(
        a_, resource->id, {std::chrono::year{2026} / 1 / 5, {}, ""}, id_->actor, id_->origin
    ));
    auto hall = s.seats.create_map(
        a_,
        "Hall",
        R"({"sections": [{"name": "1F", "rows": [{"name": "A", "y": 0, "seats": [{"number": 1, "x": 0}]}]}]})",
        id_->actor,
        id_->origin
    );
    ASSERT_TRUE(hall) << hall.error().message;
    offerings::OfferingInput concert;
    concert.name = "Concert";
    concert.seat_map_id = hall->id;  // numbered seats: its occurrence's seats are an object
    concert.published = true;
    concert.ticket_types = {{"adult", "Adult", 1000, 4}};
    auto offering = s.offerings.create(a_, concert, id_->actor, id_->origin);
    ASSERT_TRUE(offering);
    const auto start = id_->clock.now() + std::chrono::hours(24 * 30);
    auto occurrence = s.offerings.add_occurrence(
        a_, offering->id, start, start + std::chrono::hours(2), 10, id_->actor, id_->origin
    );
    ASSERT_TRUE(occurrence);
    bookings::NewBooking walk_booking;
    walk_booking.what.occurrence_id = occurrence->id;
    walk_booking.what.tickets = {{"adult", 1}};
    walk_booking.customer = {"Guest", "guest@alpha.example", ""};
    walk_booking.idempotency_key = "walk-key-0001";
    auto booking = s.bookings.book(a_, walk_booking, id_->actor, id_->origin);
    ASSERT_TRUE(booking) << booking.error().message;
    // Paid at the desk: its receipt is there to be fetched.
    ASSERT_TRUE(s.bookings.mark_paid(a_, booking->booking.reference, id_->actor, id_->origin));
    auto hook = s.webhooks.create(
        a_, {"https://crm.alpha.example/hook", "", {}, true}, id_->actor, id_->origin
    );
    ASSERT_TRUE(hook);
    auto feed = s.feeds.create(a_, ResourceId{resource->id}, std::nullopt, id_->actor, id_->origin);
    ASSERT_TRUE(feed);
    auto user_class = s.user_classes.save(
        a_, {UserClassId{}, "Residents", 80, std::nullopt}, id_->actor, id_->origin
    );
    ASSERT_TRUE(user_class);
    auto job = tdb_->db().read(storage::TenantScope(a_), [](storage::ScopedTx& stx) {
        return jobs::list(stx, {});
    });
    ASSERT_TRUE(job && !job->empty());
    // A registered group with a document, and a room lottery over a hall rented by division.
    const auto member = id_->account(a_, Role::customer, "member@alpha.example");
    groups::NewGroup club;
    club.name = "Alpha Club";
    club.details.representative = "A. Member";
    auto group = s.groups.register_group(a_, member, club, id_->actor, id_->origin);
    ASSERT_TRUE(group);
    auto document = s.groups.add_document(
        a_,
        member,
        group->id,
        "rules.pdf",
        "application/pdf",
        "%PDF-1.4 rules",
        id_->actor,
        id_->origin
    );
    ASSERT_TRUE(document);
    resources::ResourceInput hall_room;
    hall_room.kind = resources::Kind::room;
    hall_room.name = "Hall";
    for (auto& day : hall_room.hours) day = {{9 * 60, 21 * 60}};
    hall_room.divisions = {{"am", "AM", resources::DayType::every_day, "09:00", "12:00", 1000}};
    auto divided = s.resources.create(a_, hall_room, id_->actor, id_->origin);
    ASSERT_TRUE(divided);
    offerings::OfferingInput rent;
    rent.kind = offerings::OfferingKind::rental;
    rent.name = "Hall by division";
    rent.published = true;
    rent.by_division = true;
    rent.duration_minutes = 0;
    rent.min_blocks = 1;
    rent.max_blocks = 1;
    rent.max_per_order = 1;
    rent.resource_ids = {divided->id};
    auto rental = s.offerings.create(a_, rent, id_->actor, id_->origin);
    ASSERT_TRUE(rental) << rental.error().message;
    bookings::RoomLottery lottery;
    lottery.name = "June";
    lottery.month = std::chrono::year{2027} / 6;
    lottery.offering_ids = {rental->id};
    lottery.opens_at = *parse_rfc3339("2027-01-01T00:00:00Z");
    lottery.closes_at = *parse_rfc3339("2027-02-01T00:00:00Z");
    lottery.draw_at = *parse_rfc3339("2027-02-02T00:00:00Z");
    lottery.confirm_by = *parse_rfc3339("2027-02-10T00:00:00Z");
    lottery.first_come_at = *parse_rfc3339("2027-02-12T00:00:00Z");
    auto room_lottery = s.room_lotteries.create(a_, lottery, id_->actor, id_->origin);
    ASSERT_TRUE(room_lottery) << room_lottery.error().message;
    ASSERT_TRUE(s.line.set_channel(a_, "alpha-line-token", std::nullopt, id_->actor, id_->origin));
    line::BroadcastInput news;
    news.text = "Alpha news";
    news.send_at = id_->clock.now() + std::chrono::hours(24);
    auto broadcast = s.broadcasts.create(a_, news, id_->actor, id_->origin);
    ASSERT_TRUE(broadcast) << broadcast.error().message;
    out.ids = {
        {"broadcast_id", to_string(broadcast->id)},
        {"group_id", to_string(group->id)},
        {"document_id", to_string(document->id)},
        {"lottery_id", to_string(room_lottery->id)},
        {"webhook_id", to_string(hook->endpoint.id)},
        {"job_id", to_string(job->front().id)},
        {"feed_id", std::to_string(feed->feed.id.value)},
        {"offering_id", std::to_string(offering->id.value)},
        {"reference", booking->booking.reference},
        {"resource_id", to_string(resource->id)},
        {"date", "2026-01-05"},
        {"token_id", to_string(token->token.id)},
        {"account_id", to_string(alpha_staff)},
        {"session_id", alpha_session->session.id},
        {"tenant_id", std::to_string(a_.value)},
        {"rule_id", to_string(rule->id)},
        {"occurrence_id", std::to_string(occurrence->id.value)},
        {"class_id", std::to_string(user_class->id.value)},
        {"seat_map_id", std::to_string(hall->id)},
        {"notice_id", "1"},             // operators only: a manager gets 403 whatever the id
        {"name", "booking_confirmed"},  // a mail's wording
        {"locale", "ja"},
        {"kind", "customers"},  // an import's kind
    };
    out.session_token = alpha_session->token;
    out.staff = alpha_staff;
    out.token_secret = token->secret;
    out.resource_id = resource->id;
    out.reference = booking->booking.reference;
}

TEST_P(IdentityApi, EveryObjectRouteHidesAnotherTenantsIds) {
    auto& s = **id_;
    AlphaObjects objects;
    make_alpha_objects(objects);
    if (HasFatalFailure()) return;
    auto beta = sign_in("beta", "boss@beta.example");
    auto alpha = sign_in("alpha", "boss@alpha.example");
    int walked = 0;
    for (const auto& route : router_->routes()) {
        if (route.pattern.find('{') == std::string::npos) continue;
        // Public routes name the tenant in the path on purpose (its booking pages).
        if (route.permission == "public") continue;
        // A message's name is no object: every tenant words it under the same name
        // (Notifications.ATenantsOwnWordingIsSentUntilItIsReset shows it stays the tenant's).
        if (route.pattern.starts_with("/api/v1/mail-templates/")) continue;
        // An import's kind is no object either: each tenant imports into itself
        // (ImportService writes only in the scope of the caller's tenant).
        if (route.pattern.starts_with("/api/v1/imports/")) continue;
        // Each {name} becomes alpha's id for that name.
        std::string path;
        for (std::size_t pos = 0; pos < route.pattern.size();) {
            const auto open = route.pattern.find('{', pos);
            path += route.pattern.substr(pos, open - pos);
            if (open == std::string::npos) break;
            const auto close = route.pattern.find('}', open);
            const std::string name = route.pattern.substr(open + 1, close - open - 1);
            auto it = objects.ids.find(name);
            ASSERT_NE(it, objects.ids.end()) << route.pattern << ": unknown parameter " << name;
            path += it->second;
            pos = close + 1;
        }
        const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
        auto r = call(route.method, path, beta.headers() + kJson, body);
        const auto perm = *access::parse_permission(route.permission);
        const int expected = access::allows(Role::manager, perm) ? 404 : 403;
        EXPECT_EQ(r.status, expected) << route.method << " " << path << ": " << r.body;
        ++walked;
        // The ids are real: alpha's manager reaching its own object does not get 404 on reads.
        if (route.method == "GET" && expected == 404) {
            EXPECT_EQ(call("GET", path, alpha.headers()).status, 200) << path;
        }
    }
    EXPECT_GE(walked, 8);
    EXPECT_TRUE(s.auth.authenticate(objects.session_token)) << "alpha's session survived the walk";
    EXPECT_TRUE(s.accounts.find(a_, objects.staff)) << "alpha's staff member survived the walk";
    EXPECT_TRUE(s.tokens.authenticate(objects.token_secret, "192.0.2.9"))
        << "alpha's token survived";
    EXPECT_FALSE(s.resources.find(a_, objects.resource_id)->archived)
        << "alpha's resource survived";
    EXPECT_EQ(
        s.bookings.find_by_reference(a_, objects.reference)->status,
        bookings::BookingStatus::confirmed
    ) << "alpha's booking survived";
    EXPECT_EQ(
        s.resources
            .exceptions(
                a_,
                objects.resource_id,
                std::chrono::year{2026} / 1 / 5,
                std::chrono::year{2026} / 1 / 5
            )
            ->size(),
        1u
    );
}

// Issue 24, defect 1: every route named by a scope an integration token may carry lets a
// token with that scope alone through (never 401/403), and never fails inside (5xx), on both
// databases; bodies are empty objects, so writes answer at worst a validation error.
TEST_P(IdentityApi, EveryRouteATokenScopeNamesLetsSuchATokenThrough) {
    AlphaObjects objects;
    make_alpha_objects(objects);
    if (HasFatalFailure()) return;
    auto boss = sign_in("alpha", "boss@alpha.example");
    std::map<access::Permission, std::string> bearer;
    for (const auto scope : accounts::grantable_scopes(accounts::TokenKind::integration)) {
        auto made = call(
            "POST",
            "/api/v1/api-tokens",
            boss.headers() + kJson,
            R"({"name":"walk","scopes":[")" + std::string(access::to_string(scope)) + "\"]}"
        );
        ASSERT_EQ(made.status, 201) << made.body;
        bearer[scope] = "Authorization: Bearer " +
                        std::string(boost::json::parse(made.body).at("token").as_string()) + "\r\n";
    }
    int walked = 0;
    for (const auto& route : router_->routes()) {
        const auto perm = *access::parse_permission(route.permission);
        const auto token = bearer.find(perm);
        if (token == bearer.end()) continue;
        std::string path;
        for (std::size_t pos = 0; pos < route.pattern.size();) {
            const auto open = route.pattern.find('{', pos);
            path += route.pattern.substr(pos, open - pos);
            if (open == std::string::npos) break;
            const auto close = route.pattern.find('}', open);
            const auto it = objects.ids.find(route.pattern.substr(open + 1, close - open - 1));
            ASSERT_NE(it, objects.ids.end()) << route.pattern;
            path += it->second;
            pos = close + 1;
        }
        const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
        auto r = call(route.method, path, token->second + kJson, body);
        EXPECT_NE(r.status, 401) << route.method << " " << path << ": " << r.body;
        EXPECT_NE(r.status, 403) << route.method << " " << path << ": " << r.body;
        EXPECT_LT(r.status, 500) << route.method << " " << path << ": " << r.body;
        ++walked;
    }
    EXPECT_GE(walked, 20);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    IdentityApi,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    name_of
);

// docs/api/openapi.yaml stays in step with the route table: every route is documented under
// its path and method with the permission it really declares.
TEST(OpenApi, DocumentsEveryRouteWithItsPermission) {
    std::ifstream in(YOYAKU_OPENAPI_FILE);
    ASSERT_TRUE(in) << YOYAKU_OPENAPI_FILE;
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string doc = buf.str();
    TestDatabase tdb(storage::Backend::sqlite);
    Identity id(tdb.db());
    auto ctx = id.api();
    http::Router router;
    http::Metrics metrics;
    http::add_health_routes(router, tdb.db(), metrics);
    http::add_api_routes(router, ctx);
    for (const auto& route : router.routes()) {
        const auto at = doc.find("\n  " + route.pattern + ":\n");
        ASSERT_NE(at, std::string::npos) << route.pattern << " is not in openapi.yaml";
        // The path's block ends at the next line indented by two spaces.
        const auto end = doc.find("\n  /", at + 4);
        const std::string block = doc.substr(at, end == std::string::npos ? end : end - at);
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto m = block.find("\n    " + method + ":\n");
        ASSERT_NE(m, std::string::npos) << route.method << " " << route.pattern << " undocumented";
        const auto perm = block.find("x-permission: ", m);
        ASSERT_NE(perm, std::string::npos) << route.method << " " << route.pattern;
        const auto line_end = block.find('\n', perm);
        EXPECT_EQ(block.substr(perm + 14, line_end - perm - 14), route.permission)
            << route.method << " " << route.pattern;
        // How it is authenticated: nothing for public operations; the session cookie (with
        // the CSRF header on unsafe methods); a bearer token where its permission is a scope
        // tokens may carry.
        std::string next =
            block.substr(line_end + 1, block.find('\n', line_end + 1) - line_end - 1);
        next.erase(0, next.find_first_not_of(' '));
        ASSERT_TRUE(next.starts_with("security: "))
            << route.method << " " << route.pattern << " names no security after x-permission";
        const std::string security = next.substr(10);
        std::string expected;
        if (route.permission == "public") {
            expected = "[]";
        } else {
            expected =
                method == "get" ? "[{sessionCookie: []}" : "[{sessionCookie: [], csrfToken: []}";
            const auto scopes = accounts::grantable_scopes(accounts::TokenKind::integration);
            const auto p = access::parse_permission(route.permission);
            if (p && std::find(scopes.begin(), scopes.end(), *p) != scopes.end())
                expected += ", {bearerToken: []}";
            expected += "]";
        }
        EXPECT_EQ(security, expected) << route.method << " " << route.pattern;
    }
    EXPECT_NE(doc.find("\n  securitySchemes:\n    sessionCookie:"), std::string::npos);
}

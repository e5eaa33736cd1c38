// Accounts, sign-in, sessions and login defence on both backends (SPEC S1–S4).

#include <gtest/gtest.h>

#include "domain/accounts/account_service.hpp"
#include "support/identity.hpp"

using namespace yoyaku;
using namespace yoyaku::storage;
using namespace std::chrono_literals;
using access::Role;
using yoyaku::testing::Identity;
using yoyaku::testing::kPassword;
using yoyaku::testing::TestDatabase;

namespace {

class Accounts : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        YOYAKU_REQUIRE_BACKEND(*tdb_);
        id_ = std::make_unique<Identity>(tdb_->db());
        tenant_ = id_->tenant("hall", "manager@hall.example");
    }
    app::Services& s() { return **id_; }
    Result<accounts::SignedIn> login(
        const std::string& email, const std::string& password, const std::string& from = "192.0.2.1"
    ) {
        return s().auth.login({tenant_, email, password, {from, "agent", "r"}, ""});
    }
    template <class F>
    auto platform(F&& f) {
        return tdb_->db().read_platform(std::forward<F>(f));
    }
    std::vector<std::string> actions() {
        auto all =
            tdb_->db().read(TenantScope(tenant_), [](ScopedTx& tx) { return audit::list(tx, {}); });
        std::vector<std::string> out;
        for (const auto& e : *all) out.push_back(e.event.action);
        return out;
    }
    bool logged(const std::string& action) {
        auto a = actions();
        return std::find(a.begin(), a.end(), action) != a.end();
    }

    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Identity> id_;
    TenantId tenant_;
};

std::string name_of(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(to_string(info.param));
}

}  // namespace

TEST_P(Accounts, PasswordsAreArgon2idAndFollowThePolicy) {
    auto eleven = s().accounts.create(
        tenant_,
        {Role::staff, "a@hall.example", "A", std::string("Abcdefghij1")},
        id_->actor,
        id_->origin
    );
    ASSERT_FALSE(eleven);
    EXPECT_EQ(eleven.error().field, "password");
    auto common = s().accounts.create(
        tenant_,
        {Role::staff, "a@hall.example", "A", std::string("password1234")},
        id_->actor,
        id_->origin
    );
    ASSERT_FALSE(common);
    EXPECT_EQ(common.error().field, "password");
    EXPECT_NE(common.error().message.find("common"), std::string::npos) << common.error().message;
    auto twelve = s().accounts.create(
        tenant_,
        {Role::staff, "a@hall.example", "A", std::string("Abcdefghij1x")},
        id_->actor,
        id_->origin
    );
    ASSERT_TRUE(twelve) << twelve.error().message;
    auto stored = tdb_->db().read(TenantScope(tenant_), [&](ScopedTx& tx) {
        return tx.tx().query_one(
            "SELECT password_hash FROM accounts WHERE id = $1", twelve->account.id
        );
    });
    ASSERT_TRUE(stored);
    EXPECT_TRUE(stored->text(0).starts_with("$argon2id$")) << stored->text(0);
}

TEST_P(Accounts, EmailsAreSealedFoundByIndexAndUniquePerTenant) {
    const AccountId id = id_->account(tenant_, Role::staff, "Hanako@Hall.Example");
    auto a = s().accounts.find(tenant_, id);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->email, "hanako@hall.example");
    auto raw = tdb_->db().read(TenantScope(tenant_), [&](ScopedTx& tx) {
        return tx.tx().query_one(
            "SELECT email_sealed, email_index FROM accounts WHERE id = $1", id
        );
    });
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->blob(0).bytes.find("hanako"), std::string::npos);
    EXPECT_EQ(raw->text(1).find("hanako"), std::string::npos);
    auto again = s().accounts.create(
        tenant_,
        {Role::customer, " HANAKO@hall.example ", "H", std::nullopt},
        id_->actor,
        id_->origin
    );
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::conflict);
    EXPECT_EQ(again.error().field, "email");
    // The same person may be a customer of another tenant.
    const TenantId other = id_->tenant("other", "boss@other.example");
    EXPECT_NO_THROW(id_->account(other, Role::customer, "hanako@hall.example"));
    EXPECT_FALSE(
        s().accounts.create(tenant_, {Role::staff, "no-at-sign", "X", {}}, id_->actor, id_->origin)
    );
}

TEST_P(Accounts, WrongUnknownAndLockedAnswerAlikeAndLockoutExpires) {
    auto unknown = login("nobody@hall.example", kPassword);
    auto wrong = login("manager@hall.example", "Wrong-Password-99");
    ASSERT_FALSE(unknown);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(unknown.error().code, Errc::unauthenticated);
    EXPECT_EQ(unknown.error().message, wrong.error().message);
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(login("manager@hall.example", "Wrong-Password-99"));
    EXPECT_TRUE(logged("account.locked"));
    auto locked = login("manager@hall.example", kPassword);
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().message, wrong.error().message);
    auto list = s().accounts.list(tenant_, Role::manager);
    ASSERT_TRUE(list);
    ASSERT_TRUE(list->front().locked_until);  // visible to managers
    id_->clock.advance(16min);
    auto ok = login("manager@hall.example", kPassword);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->principal.role, Role::manager);
    EXPECT_TRUE(logged("account.logged_in"));
    EXPECT_TRUE(logged("account.login_failed"));
}

TEST_P(Accounts, ManagerCanLiftALockout) {
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(login("manager@hall.example", "Wrong-Password-99"));
    EXPECT_FALSE(login("manager@hall.example", kPassword));
    auto list = s().accounts.list(tenant_, Role::manager);
    ASSERT_TRUE(s().accounts.unlock(tenant_, list->front().id, id_->actor, id_->origin));
    EXPECT_TRUE(login("manager@hall.example", kPassword));
}

TEST_P(Accounts, CredentialStuffingBlocksTheAddressButNotOthers) {
    const std::string attacker = "203.0.113.5";
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(
            login("victim" + std::to_string(i) + "@hall.example", "Guess-Password-1", attacker)
        );
    auto blocked = login("manager@hall.example", kPassword, attacker);
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.error().code, Errc::forbidden);
    EXPECT_TRUE(s().defence.blocked(attacker));
    EXPECT_TRUE(login("manager@hall.example", kPassword, "198.51.100.7"));
    auto platform_log = platform([](Tx& tx) { return audit::verify_platform(tx); });
    ASSERT_TRUE(platform_log);
    EXPECT_FALSE(platform_log->problem);
    // The block is temporary.
    id_->clock.advance(61min);
    EXPECT_FALSE(s().defence.blocked(attacker));
}

// Issue 24, defect 8: an IPv6 client walking through its /64 is one client to the throttles
// and the automatic block; its neighbour /64 is someone else.
TEST_P(Accounts, AnIpv6ClientIsCountedByItsSlashSixtyFour) {
    auto from = [](int i) { return "2001:db8:77:1:" + std::to_string(1000 + i) + "::1"; };
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(
            login("victim" + std::to_string(i) + "@hall.example", "Guess-Password-1", from(i))
        );
    EXPECT_TRUE(s().defence.blocked("2001:db8:77:1:ffff::9")) << "the whole /64 is blocked";
    EXPECT_FALSE(s().defence.blocked("2001:db8:77:2::9")) << "the next /64 is not";
    EXPECT_TRUE(login("manager@hall.example", kPassword, "2001:db8:77:2::9"));

    // Each attempt from a new address of one /64, against a new account: the address bucket
    // (20 at once) still runs dry.
    int refused = 0;
    for (int i = 0; i < 25; ++i) {
        const std::string address = "2001:db8:88:1::" + std::to_string(i + 1);
        if (!s().defence.admit(address, "account-" + std::to_string(i))) ++refused;
    }
    EXPECT_EQ(refused, 5) << "new addresses in one /64 do not buy new attempts";
    EXPECT_TRUE(s().defence.admit("2001:db8:88:2::1", "account-99")) << "another /64 may";
}

TEST_P(Accounts, AllowListExemptsFromAutomaticBlocksNotFromOperatorBlocks) {
    ASSERT_TRUE(s().defence.add_rule(
        accounts::RuleKind::allow,
        "203.0.113.0/24",
        "city hall proxy",
        std::nullopt,
        id_->actor,
        id_->origin
    ));
    for (int i = 0; i < 12; ++i)
        EXPECT_FALSE(
            login("v" + std::to_string(i) + "@hall.example", "Guess-Password-1", "203.0.113.9")
        );
    EXPECT_FALSE(s().defence.blocked("203.0.113.9"));
    EXPECT_TRUE(login("manager@hall.example", kPassword, "203.0.113.9"));
    auto block = s().defence.add_rule(
        accounts::RuleKind::block,
        "203.0.113.9",
        "abuse report",
        std::nullopt,
        id_->actor,
        id_->origin
    );
    ASSERT_TRUE(block);
    EXPECT_TRUE(s().defence.blocked("203.0.113.9"));
    EXPECT_FALSE(s().defence.blocked("203.0.113.10"));
    ASSERT_TRUE(s().defence.remove_rule(block->id, id_->actor, id_->origin));
    EXPECT_FALSE(s().defence.blocked("203.0.113.9"));
    auto bad = s().defence.add_rule(
        accounts::RuleKind::block, "203.0.113.9/24", "x", std::nullopt, id_->actor, id_->origin
    );
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "cidr");
}

TEST_P(Accounts, AddressesAreThrottled) {
    Result<accounts::SignedIn> last = Error::internal("not run");
    int refused = 0;
    for (int i = 0; i < 25; ++i) {
        last = login("manager@hall.example", kPassword, "198.51.100.20");
        if (!last && last.error().code == Errc::rate_limited) ++refused;
    }
    EXPECT_GT(refused, 0);
    ASSERT_FALSE(last);
    EXPECT_EQ(last.error().code, Errc::rate_limited);
    EXPECT_FALSE(last.error().detail.empty());  // seconds to wait
    id_->clock.advance(1min);
    EXPECT_TRUE(login("manager@hall.example", kPassword, "198.51.100.20"));
}

// A venue may keep its staff to its own networks: sign-in from elsewhere is refused, a session
// carried elsewhere counts as signed out (and works again back inside); customers are free.
TEST_P(Accounts, StaffSignInOnlyFromTheVenuesNetworks) {
    id_->account(tenant_, access::Role::customer, "guest@hall.example");
    auto inside = login("manager@hall.example", kPassword, "192.0.2.1");
    ASSERT_TRUE(inside);
    auto store = [&](const std::string& text, const std::string& caller) {
        return tdb_->db().write(TenantScope(tenant_), [&](ScopedTx& tx) -> Result<void> {
            auto nets = accounts::parse_networks(text);
            if (!nets) return fail(std::move(nets).error());
            return accounts::store_staff_networks(
                tx.tx(), tenant_, *nets, caller, id_->clock.now()
            );
        });
    };
    auto bad = store("192.0.2.0/24, 10.0.0.300/8", "192.0.2.1");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "access.staff_networks");
    auto locked_out = store("203.0.113.0/24", "192.0.2.1");
    ASSERT_FALSE(locked_out) << "the caller's own address must stay inside";
    EXPECT_EQ(locked_out.error().field, "access.staff_networks");
    ASSERT_TRUE(store("192.0.2.0/24 2001:db8::/32", "192.0.2.1"));

    auto outside = login("manager@hall.example", kPassword, "198.51.100.7");
    ASSERT_FALSE(outside);
    EXPECT_EQ(outside.error().code, Errc::forbidden);
    EXPECT_EQ(outside.error().field, "network");
    EXPECT_TRUE(logged("account.login_refused")) << "the refusal is recorded";
    EXPECT_TRUE(login("manager@hall.example", kPassword, "2001:db8::5"));
    EXPECT_TRUE(login("guest@hall.example", kPassword, "198.51.100.7")) << "customers are free";

    EXPECT_TRUE(s().auth.authenticate(inside->token, "192.0.2.1"));
    auto carried = s().auth.authenticate(inside->token, "198.51.100.7");
    ASSERT_FALSE(carried);
    EXPECT_EQ(carried.error().code, Errc::unauthenticated);
    EXPECT_FALSE(s().auth.authenticate(inside->token)) << "an unknown address is elsewhere";
    EXPECT_TRUE(s().auth.authenticate(inside->token, "192.0.2.77")) << "back inside";

    ASSERT_TRUE(store("", "198.51.100.7"));
    EXPECT_TRUE(login("manager@hall.example", kPassword, "198.51.100.7"));
}

// Issue 24, defect 5: re-authentication passes the client's address, so it works for staff
// inside the venue's networks (it was refused as "elsewhere" once networks were set).
TEST_P(Accounts, ReauthenticationWorksInsideTheStaffNetworks) {
    auto in = login("manager@hall.example", kPassword, "192.0.2.1");
    ASSERT_TRUE(in);
    ASSERT_TRUE(tdb_->db().write(TenantScope(tenant_), [&](ScopedTx& tx) -> Result<void> {
        return accounts::store_staff_networks(
            tx.tx(),
            tenant_,
            *accounts::parse_networks("192.0.2.0/24"),
            "192.0.2.1",
            id_->clock.now()
        );
    }));
    auto again = s().auth.reauthenticate(in->token, kPassword, {"192.0.2.1", "agent", "r"});
    ASSERT_TRUE(again) << again.error().message;
    auto outside = s().auth.reauthenticate(again->token, kPassword, {"198.51.100.7", "agent", "r"});
    ASSERT_FALSE(outside);
    EXPECT_EQ(outside.error().code, Errc::unauthenticated);
}

// Issue 24, defect 2: a signed-in session guessing its owner's password meets the sign-in
// defences: each wrong re-check counts towards the lockout (re-authentication and the password
// change alike), and a locked account passes no re-check until the lock ends.
TEST_P(Accounts, WrongPasswordRechecksCountTowardsTheLockout) {
    auto in = login("manager@hall.example", kPassword);
    ASSERT_TRUE(in);
    const audit::Origin from{"192.0.2.1", "agent", "r"};
    for (int i = 0; i < 4; ++i) {
        auto wrong =
            s().auth.reauthenticate(in->token, "not-the-password-" + std::to_string(i), from);
        ASSERT_FALSE(wrong);
        EXPECT_EQ(wrong.error().field, "password");
    }
    auto fifth = s().auth.change_password(in->principal, "still-not-it", "Another-Secret-77", from);
    ASSERT_FALSE(fifth);
    EXPECT_EQ(fifth.error().field, "current_password");
    EXPECT_TRUE(logged("account.locked"));
    auto locked = s().auth.reauthenticate(in->token, kPassword, from);
    ASSERT_FALSE(locked) << "the right password does not pass while locked";
    EXPECT_EQ(locked.error().code, Errc::rate_limited);
    EXPECT_FALSE(locked.error().detail.empty()) << "seconds to wait";
    EXPECT_FALSE(login("manager@hall.example", kPassword)) << "and the sign-in is locked too";
    id_->clock.advance(16min);
    EXPECT_TRUE(s().auth.reauthenticate(in->token, kPassword, from));
}

// Issue 24, defect 2: re-checks are throttled per account like sign-ins (here with a lockout
// threshold high enough not to end the run first).
TEST_P(Accounts, PasswordRechecksAreThrottled) {
    ASSERT_TRUE(tdb_->db().write(TenantScope(tenant_), [&](ScopedTx& tx) {
        return accounts::store_policy_setting(
            tx.tx(), tenant_, "lockout.threshold", 50, id_->clock.now()
        );
    }));
    auto in = login("manager@hall.example", kPassword);
    ASSERT_TRUE(in);
    int refused = 0;
    Error last;
    for (int i = 0; i < 12; ++i) {
        auto r = s().auth.reauthenticate(in->token, "wrong-password-here", {"192.0.2.1", "a", "r"});
        ASSERT_FALSE(r);
        if (r.error().code == Errc::rate_limited) {
            ++refused;
            last = r.error();
        }
    }
    EXPECT_GT(refused, 0);
    EXPECT_FALSE(last.detail.empty()) << "seconds to wait";
}

TEST_P(Accounts, SessionsEndWhenIdleAndAtTheAbsoluteLimit) {
    auto in = login("manager@hall.example", kPassword);
    ASSERT_TRUE(in);
    EXPECT_TRUE(s().auth.authenticate(in->token));
    id_->clock.advance(29min);
    EXPECT_TRUE(s().auth.authenticate(in->token));  // renews the idle expiry
    id_->clock.advance(29min);
    EXPECT_TRUE(s().auth.authenticate(in->token));
    id_->clock.advance(31min);
    auto idle = s().auth.authenticate(in->token);
    ASSERT_FALSE(idle);
    EXPECT_EQ(idle.error().code, Errc::unauthenticated);

    auto again = login("manager@hall.example", kPassword);
    ASSERT_TRUE(again);
    for (int i = 0; i < 40; ++i) {
        id_->clock.advance(20min);
        if (!s().auth.authenticate(again->token)) {
            EXPECT_GE(i * 20 + 20, 12 * 60);  // not before the absolute limit (12 h)
            return;
        }
    }
    ADD_FAILURE() << "the session outlived its absolute limit";
}

TEST_P(Accounts, TenantSettingsChangeTheTimeouts) {
    ASSERT_TRUE(tdb_->db().write(TenantScope(tenant_), [&](ScopedTx& tx) {
        return accounts::store_policy_setting(
            tx.tx(), tenant_, "session.manager.idle_minutes", 5, id_->clock.now()
        );
    }));
    auto in = login("manager@hall.example", kPassword);
    ASSERT_TRUE(in);
    id_->clock.advance(6min);
    EXPECT_FALSE(s().auth.authenticate(in->token));
    auto bad = tdb_->db().write(TenantScope(tenant_), [&](ScopedTx& tx) {
        return accounts::store_policy_setting(
            tx.tx(), tenant_, "lockout.threshold", 1, id_->clock.now()
        );
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "lockout.threshold");
}

TEST_P(Accounts, SignInRotatesAndReauthenticationRotatesAgain) {
    auto first = login("manager@hall.example", kPassword);
    ASSERT_TRUE(first);
    auto second = s().auth.login(
        {tenant_, "manager@hall.example", kPassword, {"192.0.2.1", "a", "r"}, first->token}
    );
    ASSERT_TRUE(second);
    EXPECT_FALSE(s().auth.authenticate(first->token));  // the old session ended
    auto wrong = s().auth.reauthenticate(second->token, "Not-My-Password-1", id_->origin);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "password");
    id_->clock.advance(11min);
    auto who = s().auth.authenticate(second->token);
    ASSERT_TRUE(who);
    EXPECT_FALSE(s().auth.recently_authenticated(*who));
    auto raised = s().auth.reauthenticate(second->token, kPassword, id_->origin);
    ASSERT_TRUE(raised) << raised.error().message;
    EXPECT_NE(raised->token, second->token);
    EXPECT_FALSE(s().auth.authenticate(second->token));
    auto now = s().auth.authenticate(raised->token);
    ASSERT_TRUE(now);
    EXPECT_TRUE(s().auth.recently_authenticated(*now));
}

TEST_P(Accounts, ListRevokeAndLogOutEverywhere) {
    auto a = login("manager@hall.example", kPassword);
    auto b = login("manager@hall.example", kPassword, "198.51.100.3");
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    auto list = s().auth.sessions(a->principal, a->token);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    int current = 0;
    for (const auto& x : *list) current += x.current;
    EXPECT_EQ(current, 1);
    ASSERT_TRUE(s().auth.revoke(a->principal, b->session.id, id_->origin));
    EXPECT_FALSE(s().auth.authenticate(b->token));
    EXPECT_EQ(
        s().auth.revoke(a->principal, b->session.id, id_->origin).error().code, Errc::not_found
    );
    auto c = login("manager@hall.example", kPassword);
    auto n = s().auth.revoke_all(a->principal, id_->origin);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 2);
    EXPECT_FALSE(s().auth.authenticate(a->token));
    EXPECT_FALSE(s().auth.authenticate(c->token));
    EXPECT_TRUE(logged("session.revoked_all"));
}

TEST_P(Accounts, SetupLinksWorkOnceAndPasswordChangesEndOtherSessions) {
    auto created = s().accounts.create(
        tenant_, {Role::staff, "new@hall.example", "New", std::nullopt}, id_->actor, id_->origin
    );
    ASSERT_TRUE(created);
    ASSERT_TRUE(created->setup_token);
    EXPECT_FALSE(created->account.has_password);
    EXPECT_FALSE(login("new@hall.example", ""));
    auto weak = s().accounts.redeem_password_token(*created->setup_token, "short", id_->origin);
    ASSERT_FALSE(weak);
    EXPECT_EQ(weak.error().field, "password");
    ASSERT_TRUE(s().accounts.redeem_password_token(*created->setup_token, kPassword, id_->origin));
    auto twice = s().accounts.redeem_password_token(*created->setup_token, kPassword, id_->origin);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().field, "token");
    auto a = login("new@hall.example", kPassword);
    auto b = login("new@hall.example", kPassword);
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    auto wrong =
        s().auth.change_password(a->principal, "nope-nope-nope", "Another-Secret-77", id_->origin);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "current_password");
    ASSERT_TRUE(s().auth.change_password(a->principal, kPassword, "Another-Secret-77", id_->origin)
    );
    EXPECT_TRUE(s().auth.authenticate(a->token));
    EXPECT_FALSE(s().auth.authenticate(b->token));
    EXPECT_TRUE(login("new@hall.example", "Another-Secret-77"));
    // Expired links do not work.
    auto late = s().accounts.create(
        tenant_, {Role::staff, "late@hall.example", "Late", std::nullopt}, id_->actor, id_->origin
    );
    id_->clock.advance(73h);
    EXPECT_FALSE(s().accounts.redeem_password_token(*late->setup_token, kPassword, id_->origin));
}

TEST_P(Accounts, RoleChangesAndDisablingEndSessionsAndALastManagerStays) {
    const AccountId staff = id_->account(tenant_, Role::staff, "staff@hall.example");
    auto in = login("staff@hall.example", kPassword);
    ASSERT_TRUE(in);
    ASSERT_TRUE(s().accounts.change_role(tenant_, staff, Role::manager, id_->actor, id_->origin));
    EXPECT_FALSE(s().auth.authenticate(in->token));
    auto again = login("staff@hall.example", kPassword);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->principal.role, Role::manager);
    ASSERT_TRUE(s().accounts.change_status(
        tenant_, staff, accounts::Status::disabled, id_->actor, id_->origin
    ));
    EXPECT_FALSE(s().auth.authenticate(again->token));
    EXPECT_FALSE(login("staff@hall.example", kPassword));
    auto managers = s().accounts.list(tenant_, Role::manager);
    const AccountId last = managers->front().id;
    auto refused = s().accounts.remove(tenant_, last, id_->actor, id_->origin);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::unprocessable);
    EXPECT_TRUE(logged("account.role_changed"));
    EXPECT_TRUE(logged("account.disabled"));
}

TEST_P(Accounts, LoginRehashesWhenParametersChange) {
    auto before = tdb_->db().read(TenantScope(tenant_), [&](ScopedTx& tx) {
        return tx.tx().query_one("SELECT password_hash FROM accounts WHERE role = 'manager'");
    });
    ASSERT_TRUE(before);
    crypto::PasswordHasher stronger(crypto::Argon2Params{2, 2 << 20}, 1);
    accounts::AuthService auth(tdb_->db(), s().accounts, stronger, s().defence, id_->clock);
    ASSERT_TRUE(auth.login({tenant_, "manager@hall.example", kPassword, id_->origin, ""}));
    auto after = tdb_->db().read(TenantScope(tenant_), [&](ScopedTx& tx) {
        return tx.tx().query_one("SELECT password_hash FROM accounts WHERE role = 'manager'");
    });
    EXPECT_NE(before->text(0), after->text(0));
    EXPECT_NE(after->text(0).find("m=2048,t=2"), std::string::npos) << after->text(0);
    EXPECT_FALSE(stronger.needs_rehash(after->text(0)));
}

TEST_P(Accounts, OperatorsLiveOnThePlatformScope) {
    auto op = s().accounts.create(
        accounts::kPlatform,
        {Role::operator_, "ops@platform.example", "Ops", std::string(kPassword)},
        id_->actor,
        id_->origin
    );
    ASSERT_TRUE(op) << op.error().message;
    auto wrong_role = s().accounts.create(
        accounts::kPlatform,
        {Role::manager, "m@platform.example", "M", std::string(kPassword)},
        id_->actor,
        id_->origin
    );
    ASSERT_FALSE(wrong_role);
    EXPECT_EQ(wrong_role.error().field, "role");
    auto in =
        s().auth.login({accounts::kPlatform, "ops@platform.example", kPassword, id_->origin, ""});
    ASSERT_TRUE(in);
    EXPECT_EQ(in->principal.role, Role::operator_);
    // An operator confirms the password again like anyone: a wrong one is counted, a right one
    // rotates the session (the re-check reads the platform's own account).
    auto wrong = s().auth.reauthenticate(in->token, "not-the-password", id_->origin);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "password");
    auto again = s().auth.reauthenticate(in->token, kPassword, id_->origin);
    ASSERT_TRUE(again) << again.error().message << " " << again.error().detail;
    EXPECT_EQ(again->principal.role, Role::operator_);
    // The tenant's manager is not an operator.
    EXPECT_FALSE(
        s().auth.login({accounts::kPlatform, "manager@hall.example", kPassword, id_->origin, ""})
    );
}

INSTANTIATE_TEST_SUITE_P(
    Backends, Accounts, ::testing::Values(Backend::sqlite, Backend::postgres), name_of
);

// LINE Login through the LINE stand-in (tests/support/line_standin.py): a customer signs up,
// signs in and links with LINE; forged ID tokens and foreign or replayed states are refused and
// recorded; typed links from before are dropped with a request to link again. Both databases.

#include "domain/line/line.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/http_post.hpp"
#include "domain/jobs/jobs.hpp"
#include "support/booking_fixture.hpp"
#include "support/line_standin.hpp"
#include "support/standin_controls.hpp"

namespace yoyaku::testing {
namespace {

using namespace std::chrono_literals;

const std::string kHanako = "U" + std::string(32, 'a');
const std::string kTaro = "U" + std::string(32, 'b');

// The value of cookie `name` among a response's Set-Cookie lines ("" when absent or cleared).
std::string cookie_in(const HttpResult& r, const std::string& name) {
    const auto all = r.header("set-cookie");
    std::string found;
    std::size_t at = 0;
    while (at <= all.size()) {
        const auto end = std::min(all.find('\n', at), all.size());
        const auto line = all.substr(at, end - at);
        if (line.rfind(name + "=", 0) == 0)
            found = line.substr(name.size() + 1, line.find(';') - name.size() - 1);
        at = end + 1;
    }
    return found;
}

class Line : public BookingFixture {
protected:
    std::string line_base() const override { return line_.url(); }
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ctx_->public_url = "https://booking.example.jp";  // LINE opens absolute links only
        line_.set_clock(id_->clock.now());
        auto set = call(
            "PUT",
            "/api/v1/settings/line/login",
            boss_,
            std::string(R"({"channel_id":")") + LineStandIn::kChannelId +
                R"(","channel_secret":")" + LineStandIn::kChannelSecret + R"("})"
        );
        ASSERT_EQ(set.status, 200) << set.body;
    }

    struct Started {
        std::string authorize_url;
        std::string state;  ///< the state cookie
    };
    Started start(
        const std::string& path, const std::string& who = "", const std::string& body = "{}"
    ) {
        auto r = call("POST", path, who, body);
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status != 200) return {};
        return {
            std::string(parse(r).at("authorize_url").as_string()),
            cookie_in(r, "__Host-yoyaku_line")};
    }
    // LINE sends the browser back with the state cookie (and the session cookie `who`, if any).
    HttpResult come_back(
        const std::string& callback, const std::string& state, const std::string& who = ""
    ) {
        return request(
            server_->port(), "GET", callback, who + "Cookie: __Host-yoyaku_line=" + state + "\r\n"
        );
    }
    // Signs in with LINE as `user`: the callback's answer.
    HttpResult with_line(const std::string& user, const std::string& body = "{}") {
        line_.control("login_as?user=" + user + "&name=LINE%20user");
        const auto s = start("/api/v1/public/salon/line/login", "", body);
        const auto back = line_.sign_in(s.authorize_url);
        EXPECT_FALSE(back.empty()) << s.authorize_url;
        return come_back(back, s.state);
    }
    // A signed-in browser's headers from a callback that opened a session.
    std::string session_of(const HttpResult& r) {
        const auto token = cookie_in(r, "__Host-yoyaku_session");
        if (token.empty()) return "";
        const std::string cookie = "Cookie: __Host-yoyaku_session=" + token + "\r\n";
        auto who = request(server_->port(), "GET", "/api/v1/session", cookie);
        EXPECT_EQ(who.status, 200) << who.body;
        return cookie + "X-CSRF-Token: " + std::string(parse(who).at("csrf_token").as_string()) +
               "\r\n";
    }
    std::int64_t refusals(const std::string& reason) {
        return scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'line.login_refused' AND details LIKE '%\"" +
            reason + "\"%'"
        );
    }

    void exec(const std::string& sql) {
        auto r = tdb_->db().write(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
            return stx.tx().exec(sql);
        });
        ASSERT_TRUE(r) << sql;
    }

    // The Messaging API channel set (token and secret), the stand-in's webhook pointed here,
    // and a worker for pushes, replies and button presses (run_jobs()).
    void connect_messaging() {
        auto set = call(
            "PUT",
            "/api/v1/settings/line",
            boss_,
            std::string(R"({"channel_access_token":")") + LineStandIn::kAccessToken +
                R"(","channel_secret":")" + LineStandIn::kMessagingSecret + R"("})"
        );
        ASSERT_EQ(set.status, 200) << set.body;
        line_.send_events_to(
            "http://127.0.0.1:" + std::to_string(server_->port()) +
            "/api/v1/public/salon/line/webhook"
        );
        worker_ = std::make_unique<jobs::Worker>(tdb_->db(), *(*id_)->keyring, id_->clock);
        worker_->handle(
            "line",
            line::push_handler(tdb_->db(), *(*id_)->keyring, transport_, line_.url(), id_->clock)
        );
        worker_->handle("line_postback", (*id_)->waitlist.line_postback_handler());
        worker_->handle("line_broadcast", (*id_)->broadcasts.send_handler());
    }
    jobs::WorkerRun run_jobs() {
        auto r = worker_->run_once();
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : jobs::WorkerRun{};
    }
    // Links `account` to LINE user `user` (as LINE Login proves it).
    void link(AccountId account, const std::string& user) {
        auto keys = (*id_)->keyring->tenant_keys(salon_);
        ASSERT_TRUE(keys);
        auto linked = tdb_->db().write(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
            return line::link_in(
                stx, *keys, account, user, id_->actor, id_->origin, id_->clock.now()
            );
        });
        ASSERT_TRUE(linked) << linked.error().message;
    }
    // A concert a month ahead (`extra`: more of the offering's fields); its occurrence.
    std::int64_t concert(const std::string& extra = "") {
        const auto event = offering(
            R"({"kind":"event","name":"Concert","published":true,)" + extra +
            R"("ticket_types":[{"code":"adult","name":"Adult","price_jpy":1000}]})"
        );
        const auto start = id_->clock.now() + 24h * 30;
        return make(
            "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":10})"
        );
    }
    // One seat of `occurrence` booked by the signed-in `who`; its reference.
    std::string book_seat(
        std::int64_t occurrence, const std::string& who, const std::string& email
    ) {
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occurrence) + R"(,"tickets":{"adult":1},)" +
                customer(email) + "}",
            who
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(parse(r).at("reference").as_string()) : "";
    }
    // A postback `data` from LINE user `user` (a button or the rich menu), acted on and
    // answered: the reply's first message.
    boost::json::object press(const std::string& user, const std::string& data) {
        auto sent =
            line_.control("send?type=postback&user=" + user + "&data=" + query_encoded(data));
        EXPECT_EQ(sent.at("delivered").as_int64(), 200) << sent;
        return answered(user);
    }
    boost::json::object answered(const std::string& user) {
        run_jobs();  // the postback
        run_jobs();  // its reply
        auto replied = line_.control("replied").at("replied").as_array();
        EXPECT_FALSE(replied.empty());
        if (replied.empty()) return boost::json::object{};
        EXPECT_EQ(replied.back().at("to").as_string(), user);
        return replied.back().at("messages").at(0).as_object();
    }

    LineStandIn line_;
    app::CurlTransport transport_{app::PostOptions{true, 5s, {}}};
    std::unique_ptr<jobs::Worker> worker_;
};

TEST_P(Line, ACustomerSignsUpSignsInAndLinksWithLine) {
    // The channel as managers see it: never the secret; bad values named.
    auto shown = call("GET", "/api/v1/settings/line/login", boss_);
    EXPECT_EQ(parse(shown).at("channel_id"), LineStandIn::kChannelId);
    EXPECT_EQ(shown.body.find(LineStandIn::kChannelSecret), std::string::npos);
    auto bad = call(
        "PUT", "/api/v1/settings/line/login", boss_, R"({"channel_id":"12a","channel_secret":"x"})"
    );
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(field(bad), "channel_id");
    bad = call(
        "PUT", "/api/v1/settings/line/login", boss_, R"({"channel_id":"123","channel_secret":"x"})"
    );
    EXPECT_EQ(field(bad), "channel_secret");
    // The authorization request carries PKCE, state and nonce, and comes back to our callback.
    const auto s = start("/api/v1/public/salon/line/login", "", R"({"return_to":"/book/1"})");
    EXPECT_EQ(s.state.size(), 64u);
    for (const char* part :
         {"response_type=code",
          "client_id=1650000000",
          "scope=openid%20profile",
          "code_challenge_method=S256",
          "&nonce=",
          "&code_challenge=",
          "redirect_uri=https%3A%2F%2Fbooking.example.jp%2Fapi%2Fv1%2Fpublic%2Fsalon%2Fline%2Fcallback"})
        EXPECT_NE(s.authorize_url.find(part), std::string::npos)
            << part << " in " << s.authorize_url;
    EXPECT_NE(s.authorize_url.find("state=" + s.state), std::string::npos);
    EXPECT_EQ(
        call("POST", "/api/v1/public/salon/line/login", "", R"({"return_to":"//evil.example"})")
            .status,
        400
    );

    // A LINE user this venue does not know is asked for an address.
    line_.control("login_as?user=" + kHanako + "&name=Hanako");
    const auto back = come_back(line_.sign_in(s.authorize_url), s.state);
    ASSERT_EQ(back.status, 303) << back.body;
    const auto to = back.header("location");
    ASSERT_EQ(to.rfind("/t/salon/line-sign-up#token=", 0), 0u) << to;
    EXPECT_TRUE(cookie_in(back, "__Host-yoyaku_session").empty());
    const auto token = to.substr(to.find('=') + 1);
    // The token exchange sent the verifier, the secret and the same redirect URI.
    const auto requests = line_.control("requests").at("requests").as_array();
    const auto& exchange = requests.back().at("form").as_object();
    EXPECT_EQ(exchange.at("grant_type"), "authorization_code");
    EXPECT_EQ(exchange.at("code_verifier").as_string().size(), 64u);
    EXPECT_EQ(exchange.at("client_secret"), LineStandIn::kChannelSecret);

    bad = call(
        "POST",
        "/api/v1/public/salon/line/sign-up",
        "",
        R"({"token":")" + token + R"(","email":"nope","name":"花子"})"
    );
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(field(bad), "email");
    bad = call(
        "POST",
        "/api/v1/public/salon/line/sign-up",
        "",
        R"({"token":")" + std::string(64, '0') + R"(","email":"hanako@example.jp","name":"花子"})"
    );
    EXPECT_EQ(field(bad), "token");
    auto made = call(
        "POST",
        "/api/v1/public/salon/line/sign-up",
        "",
        R"({"token":")" + token + R"(","email":"hanako@example.jp","name":"山田 花子"})"
    );
    ASSERT_EQ(made.status, 202) << made.body;
    EXPECT_EQ(
        call(
            "POST",
            "/api/v1/public/salon/line/sign-up",
            "",
            R"({"token":")" + token + R"(","email":"hanako2@example.jp","name":"花子"})"
        )
            .status,
        400
    ) << "a sign-up token is used once";
    EXPECT_EQ(Identity::Outbox{tdb_->db()}.count("account.verify_email"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM accounts WHERE line_user_index IS NOT NULL"), 1);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM accounts WHERE line_user_sealed IS NOT NULL AND password_hash IS NULL"
        ),
        1
    );

    // Until the address is confirmed LINE does not sign in; afterwards it does, to return_to.
    auto early = with_line(kHanako);
    EXPECT_EQ(early.header("location"), "/t/salon/me?line=unverified");
    exec("UPDATE accounts SET email_verified_at = 1 WHERE line_user_index IS NOT NULL");
    auto in = with_line(kHanako, R"({"return_to":"/book/1"})");
    ASSERT_EQ(in.header("location"), "/t/salon/book/1") << in.header("location");
    const auto me = session_of(in);
    ASSERT_FALSE(me.empty());
    auto mine = call("GET", "/api/v1/me/line", me);
    EXPECT_EQ(parse(mine).at("user_id").as_string(), kHanako);
    EXPECT_EQ(parse(mine).at("relink"), false);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'account.logged_in'"), 2)
        << "the manager and hanako";

    // A customer who signed up by mail links LINE from their page; another's LINE is refused.
    id_->account(salon_, access::Role::customer, "taro@example.jp");
    const auto taro = signed_in_headers(server_->port(), "salon", "taro@example.jp");
    line_.control("login_as?user=" + kHanako);
    auto l = start("/api/v1/me/line/link", taro, R"({"return_to":"/me"})");
    EXPECT_NE(l.authorize_url.find("bot_prompt=aggressive"), std::string::npos);
    auto taken = come_back(line_.sign_in(l.authorize_url), l.state, taro);
    EXPECT_EQ(taken.header("location"), "/t/salon/me?line=taken");
    line_.control("login_as?user=" + kTaro);
    l = start("/api/v1/me/line/link", taro, R"({"return_to":"/me"})");
    auto linked = come_back(line_.sign_in(l.authorize_url), l.state, taro);
    EXPECT_EQ(linked.header("location"), "/t/salon/me?line=linked");
    EXPECT_EQ(parse(call("GET", "/api/v1/me/line", taro)).at("user_id").as_string(), kTaro);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'line.linked'"), 2);
    // Signing in with that LINE now opens taro's account.
    auto as_taro = with_line(kTaro);
    const auto taro_again = session_of(as_taro);
    ASSERT_FALSE(taro_again.empty());
    auto who = call("GET", "/api/v1/session", taro_again);
    EXPECT_EQ(parse(who).at("account").at("email"), "taro@example.jp");
    // Unlinked: LINE signs nobody in and asks for an address again.
    ASSERT_EQ(call("DELETE", "/api/v1/me/line", taro).status, 204);
    EXPECT_EQ(with_line(kTaro).header("location").rfind("/t/salon/line-sign-up#token=", 0), 0u);
    // Staff cannot start a link (it is a customer's own).
    EXPECT_EQ(call("POST", "/api/v1/me/line/link", boss_, "{}").status, 403);
}

TEST_P(Line, ForgedTokensAndForeignStatesAreRefusedAndRecorded) {
    id_->account(salon_, access::Role::customer, "hanako@example.jp");
    const auto me = signed_in_headers(server_->port(), "salon", "hanako@example.jp");
    line_.control("login_as?user=" + kHanako);
    auto l = start("/api/v1/me/line/link", me);
    ASSERT_EQ(
        come_back(line_.sign_in(l.authorize_url), l.state, me).header("location"),
        "/t/salon/me?line=linked"
    );

    // Each forgery of the ID token: nobody signed in, the reason in the audit log.
    for (const char* forged : {"signature", "audience", "nonce", "expired", "algorithm"}) {
        line_.control(std::string("forge?what=") + forged);
        auto r = with_line(kHanako);
        EXPECT_EQ(r.header("location"), "/t/salon/me?line=failed") << forged;
        EXPECT_TRUE(cookie_in(r, "__Host-yoyaku_session").empty()) << forged;
        EXPECT_EQ(refusals(forged), 1) << forged;
    }
    // A callback without the browser's state cookie (started elsewhere), or with another's.
    line_.control("login_as?user=" + kHanako);
    auto s = start("/api/v1/public/salon/line/login");
    const auto back = line_.sign_in(s.authorize_url);
    EXPECT_EQ(come_back(back, std::string(64, 'f')).header("location"), "/t/salon/me?line=failed");
    EXPECT_EQ(request(server_->port(), "GET", back).header("location"), "/t/salon/me?line=failed");
    EXPECT_EQ(refusals("state"), 2);
    // The right one works once; the same callback again is refused (the state is spent).
    auto ok = come_back(back, s.state);
    EXPECT_FALSE(cookie_in(ok, "__Host-yoyaku_session").empty()) << ok.header("location");
    EXPECT_EQ(come_back(back, s.state).header("location"), "/t/salon/me?line=failed");
    EXPECT_EQ(refusals("state"), 3);
    // A start older than ten minutes has expired.
    s = start("/api/v1/public/salon/line/login");
    const auto late = line_.sign_in(s.authorize_url);
    id_->clock.advance(11min);
    EXPECT_EQ(come_back(late, s.state).header("location"), "/t/salon/me?line=failed");
    // The customer cancelling at LINE comes back with LINE's error.
    EXPECT_EQ(
        request(
            server_->port(), "GET", "/api/v1/public/salon/line/callback?error=access_denied&state=x"
        )
            .header("location"),
        "/t/salon/me?line=cancelled"
    );
    // Without a Login channel nothing starts.
    ASSERT_EQ(call("DELETE", "/api/v1/settings/line/login", boss_).status, 204);
    EXPECT_EQ(call("POST", "/api/v1/public/salon/line/login", "", "{}").status, 422);
}

TEST_P(Line, TheBookingSiteAsALiffAppSignsInWithTheLiffIdToken) {
    const auto liff = [this](const std::string& token, const std::string& to) {
        return call(
            "POST",
            "/api/v1/public/salon/line/liff",
            "",
            R"({"id_token":")" + token + R"(","return_to":")" + to + R"("})"
        );
    };
    const auto token_of = [this](const std::string& user) {
        return std::string(line_.control("liff_id_token?user=" + user).at("id_token").as_string());
    };
    // Not a LIFF app until the manager gives the channel's LIFF id (its own, well formed).
    EXPECT_EQ(liff(token_of(kHanako), "/me").status, 422);
    const std::string channel = std::string(R"({"channel_id":")") + LineStandIn::kChannelId +
                                R"(","channel_secret":")" + LineStandIn::kChannelSecret +
                                R"(","liff_id":")";
    for (const char* wrong : {"1650000000-abc", "1659999999-AbCd1234", "1650000000-AbCd12$4"}) {
        auto bad = call("PUT", "/api/v1/settings/line/login", boss_, channel + wrong + R"("})");
        EXPECT_EQ(bad.status, 400) << wrong;
        EXPECT_EQ(field(bad), "liff_id") << wrong;
    }
    const std::string liff_id = std::string(LineStandIn::kChannelId) + "-AbCd1234";
    ASSERT_EQ(
        call("PUT", "/api/v1/settings/line/login", boss_, channel + liff_id + R"("})").status, 200
    );
    EXPECT_EQ(
        parse(call("GET", "/api/v1/settings/line/login", boss_)).at("liff_id"),
        boost::json::value(liff_id)
    );
    EXPECT_EQ(
        parse(call("GET", "/api/v1/public/salon/offerings", "")).at("tenant").at("line_liff_id"),
        boost::json::value(liff_id)
    );
    // Only the LIFF pages may reach LINE's API host from the browser.
    const auto csp = [this](const std::string& path) {
        return request(server_->port(), "GET", path).header("content-security-policy");
    };
    EXPECT_NE(
        csp("/t/salon/liff").find("connect-src 'self' https://api.line.me;"), std::string::npos
    );
    EXPECT_NE(csp("/t/salon/liff/me").find("https://api.line.me"), std::string::npos);
    EXPECT_EQ(csp("/t/salon/me").find("https://api.line.me"), std::string::npos);
    EXPECT_EQ(csp("/t/salon/liffy").find("https://api.line.me"), std::string::npos);

    // A LINE user the venue does not know finishes signing up with an address.
    auto r = liff(token_of(kTaro), "/o/1");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(
        std::string(parse(r).at("to").as_string()).rfind("/t/salon/line-sign-up#token=", 0), 0u
    ) << r.body;
    EXPECT_TRUE(cookie_in(r, "__Host-yoyaku_session").empty());
    // A linked customer is signed in and goes where the LIFF link pointed.
    const auto hanako = id_->account(salon_, access::Role::customer, "hanako@example.jp");
    link(hanako, kHanako);
    r = liff(token_of(kHanako), "/me");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parse(r).at("to"), "/t/salon/me");
    const auto who = session_of(r);
    ASSERT_FALSE(who.empty());
    EXPECT_EQ(
        parse(call("GET", "/api/v1/session", who)).at("account").at("id").as_int64(), hanako.value
    );
    EXPECT_EQ(liff(token_of(kHanako), "//evil.example").status, 400);

    // Tokens LINE does not vouch for, or not for this channel: refused, nobody signed in, the
    // refusal recorded; LINE's answer decides, so an unreachable LINE is 503, not a sign-in.
    for (const char* forged : {"signature", "audience", "expired"}) {
        line_.control(std::string("forge?what=") + forged);
        auto f = liff(token_of(kHanako), "/me");
        EXPECT_EQ(f.status, 401) << forged << f.body;
        EXPECT_EQ(field(f), "id_token") << forged;
        EXPECT_TRUE(cookie_in(f, "__Host-yoyaku_session").empty()) << forged;
    }
    EXPECT_EQ(liff("not.a.token", "/me").status, 401);
    EXPECT_EQ(refusals("id_token"), 4);
}

TEST_P(Line, ChannelSecretsNeedARecentPasswordAndTypedLinksAreDroppedWithANotice) {
    // The manager's sign-in is eleven minutes old: the password is asked for again.
    now_is(format_rfc3339(id_->clock.now(), "UTC"));
    id_->clock.advance(11min);
    auto late = call(
        "PUT",
        "/api/v1/settings/line/login",
        boss_,
        std::string(R"({"channel_id":"1650000000","channel_secret":")") +
            LineStandIn::kChannelSecret + "\"}"
    );
    EXPECT_EQ(late.status, 403) << late.body;
    EXPECT_NE(late.body.find("reauthentication"), std::string::npos) << late.body;
    late = call("PUT", "/api/v1/settings/line", boss_, R"({"channel_access_token":"abc"})");
    EXPECT_NE(late.body.find("reauthentication"), std::string::npos) << late.body;

    // An account linked by typing before LINE Login (as migration 0037 found it): the link
    // is gone and its owner is asked to link again; linking clears the request.
    const auto a = id_->account(salon_, access::Role::customer, "old@example.jp");
    exec("UPDATE accounts SET line_relink = 1 WHERE id = " + std::to_string(a.value));
    const auto old = signed_in_headers(server_->port(), "salon", "old@example.jp");
    auto mine = parse(call("GET", "/api/v1/me/line", old));
    EXPECT_EQ(mine.at("linked"), false);
    EXPECT_EQ(mine.at("relink"), true);
    line_.control("login_as?user=" + kTaro);
    auto l = start("/api/v1/me/line/link", old);
    come_back(line_.sign_in(l.authorize_url), l.state, old);
    mine = parse(call("GET", "/api/v1/me/line", old));
    EXPECT_EQ(mine.at("linked"), true);
    EXPECT_EQ(mine.at("relink"), false);
}

TEST_P(Line, TheWebhookIsSignedHandledOnceAndFriendsLinkTheirAccounts) {
    ASSERT_EQ(
        call(
            "PUT",
            "/api/v1/settings/line",
            boss_,
            std::string(R"({"channel_access_token":")") + LineStandIn::kAccessToken +
                R"(","channel_secret":")" + LineStandIn::kMessagingSecret + R"("})"
        )
            .status,
        200
    );
    EXPECT_EQ(parse(call("GET", "/api/v1/settings/line", boss_)).at("webhook"), true);
    const std::string hook = "/api/v1/public/salon/line/webhook";
    line_.send_events_to("http://127.0.0.1:" + std::to_string(server_->port()) + hook);
    app::CurlTransport transport(app::PostOptions{true, 5s, {}});
    jobs::Worker pushes(tdb_->db(), *(*id_)->keyring, id_->clock);
    pushes.handle(
        "line", line::push_handler(tdb_->db(), *(*id_)->keyring, transport, line_.url(), id_->clock)
    );
    const auto run = [&] {
        auto r = pushes.run_once();
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->done : -1;
    };

    // Forged deliveries are refused before the body is read, and recorded.
    auto forged =
        line_.control("send?type=follow&user=" + kTaro + "&secret=" + std::string(32, '0'));
    EXPECT_EQ(forged.at("delivered").as_int64(), 401) << forged;
    EXPECT_EQ(call("POST", hook, "", R"({"destination":"x","events":[]})").status, 401);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'line.webhook_refused'"), 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM line_events"), 0);

    // A friend nobody here knows is offered a link, once however often LINE redelivers.
    auto follow = line_.control("send?type=follow&user=" + kTaro);
    ASSERT_EQ(follow.at("delivered").as_int64(), 200) << follow;
    EXPECT_EQ(boost::json::parse(follow.at("answer").as_string()).at("handled"), 1);
    auto again = line_.control("resend");
    EXPECT_EQ(boost::json::parse(again.at("answer").as_string()).at("repeated"), 1) << again;
    EXPECT_EQ(run(), 1);
    auto pushed = line_.control("pushed").at("pushed").as_array();
    ASSERT_EQ(pushed.size(), 1u);
    EXPECT_EQ(pushed[0].at("to").as_string(), kTaro);
    const std::string uri(
        pushed[0].at("messages").at(0).at("template").at("actions").at(0).at("uri").as_string()
    );
    // The booking site's link page (after the platform's public address).
    const std::string page = "/t/salon/line-link?linkToken=";
    const auto at = uri.find(page);
    ASSERT_NE(at, std::string::npos) << uri;

    // The customer signs in on that page and links through LINE's dialog: LINE's accountLink
    // event names the nonce, and the account is linked.
    id_->account(salon_, access::Role::customer, "taro@example.jp");
    const auto taro = signed_in_headers(server_->port(), "salon", "taro@example.jp");
    EXPECT_EQ(
        field(call("POST", "/api/v1/me/line/account-link", taro, R"({"link_token":"a b"})")),
        "link_token"
    );
    auto dialog = call(
        "POST",
        "/api/v1/me/line/account-link",
        taro,
        R"({"link_token":")" + uri.substr(at + page.size()) + "\"}"
    );
    ASSERT_EQ(dialog.status, 200) << dialog.body;
    const std::string url(parse(dialog).at("url").as_string());
    ASSERT_EQ(url.rfind(line_.url() + "/dialog/bot/accountLink?linkToken=", 0), 0u) << url;
    auto linked = request(line_.port(), "GET", url.substr(line_.url().size()));
    EXPECT_NE(linked.body.find("200"), std::string::npos) << linked.body;
    EXPECT_EQ(parse(call("GET", "/api/v1/me/line", taro)).at("user_id").as_string(), kTaro);

    // Their bookings reach LINE; unfollowed, only mail (no push queued); followed again, LINE.
    const auto event = offering(
        R"({"kind":"event","name":"Concert","published":true,
            "ticket_types":[{"code":"adult","name":"Adult","price_jpy":1000}]})"
    );
    const auto start = id_->clock.now() + 24h * 30;
    const auto occurrence = make(
        "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":10})"
    );
    const auto book_as_taro = [&] {
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occurrence) + R"(,"tickets":{"adult":1},)" +
                customer("taro@example.jp") + "}",
            taro
        );
        EXPECT_EQ(r.status, 201) << r.body;
    };
    const auto line_jobs = [&] {
        return scalar("SELECT count(*) FROM outbox WHERE topic = 'line'");
    };
    const auto before = line_jobs();
    book_as_taro();
    EXPECT_EQ(line_jobs(), before + 1);
    line_.control("send?type=unfollow&user=" + kTaro);
    EXPECT_EQ(scalar("SELECT count(*) FROM accounts WHERE line_blocked = 1"), 1);
    book_as_taro();
    EXPECT_EQ(line_jobs(), before + 1) << "no push to whoever unfollowed";
    line_.control("send?type=follow&user=" + kTaro);
    EXPECT_EQ(scalar("SELECT count(*) FROM accounts WHERE line_blocked = 1"), 0);
    book_as_taro();
    EXPECT_EQ(line_jobs(), before + 2);
    EXPECT_EQ(run(), 2) << "two confirmations; a known friend who follows again gets no link offer";

    // The customer's choice: LINE only (no mail while LINE takes it; mail when it cannot),
    // mail only (no push).
    const auto mails = [&] { return scalar("SELECT count(*) FROM outbox WHERE topic = 'mail'"); };
    auto bad = call("PUT", "/api/v1/me/line", taro, R"({"channel":"fax"})");
    EXPECT_EQ(field(bad), "channel");
    auto chosen = call("PUT", "/api/v1/me/line", taro, R"({"channel":"line"})");
    ASSERT_EQ(chosen.status, 200) << chosen.body;
    EXPECT_EQ(parse(chosen).at("channel"), "line");
    auto mailed = mails();
    auto pushed_jobs = line_jobs();
    book_as_taro();
    EXPECT_EQ(mails(), mailed) << "LINE only: no mail";
    EXPECT_EQ(line_jobs(), pushed_jobs + 1);
    line_.control("send?type=unfollow&user=" + kTaro);
    book_as_taro();
    EXPECT_EQ(mails(), mailed + 1) << "LINE cannot take it: mail";
    EXPECT_EQ(line_jobs(), pushed_jobs + 1);
    line_.control("send?type=follow&user=" + kTaro);
    ASSERT_EQ(call("PUT", "/api/v1/me/line", taro, R"({"channel":"mail"})").status, 200);
    book_as_taro();
    EXPECT_EQ(mails(), mailed + 2);
    EXPECT_EQ(line_jobs(), pushed_jobs + 1) << "mail only: no push";
    // A message is taken (whatever it says) and handled once.
    auto said = line_.control(
        "send?type=message&user=" + kTaro + "&text=%27%3B%20DROP%20TABLE%20x%3B%3Cscript%3E"
    );
    EXPECT_EQ(said.at("delivered").as_int64(), 200) << said;
    EXPECT_EQ(scalar("SELECT count(*) FROM line_events WHERE type = 'message'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM line_events"), 7);
}

TEST_P(Line, BookingCardsAnswerTheirButtonsAndMailGoesWhenLineWillNotTakeThem) {
    connect_messaging();
    // Taro and Hanako linked LINE; Taro books a paid seat.
    const auto taro_id = id_->account(salon_, access::Role::customer, "taro@example.jp");
    link(taro_id, kTaro);
    link(id_->account(salon_, access::Role::customer, "hanako@example.jp"), kHanako);
    const auto taro = signed_in_headers(server_->port(), "salon", "taro@example.jp");
    const auto occurrence = concert(R"("online_url":"https://meet.example.jp/j/77",)");
    const auto book_as_taro = [&] { return book_seat(occurrence, taro, "taro@example.jp"); };
    const auto ref = book_as_taro();
    EXPECT_EQ(run_jobs().done, 1);

    // The confirmation is a card (the stand-in checks it as LINE would): what, when, the
    // reference, a button to see it and one to cancel it.
    auto pushed = line_.control("pushed").at("pushed").as_array();
    ASSERT_EQ(pushed.size(), 1u);
    const auto card = pushed[0].at("messages").at(0).as_object();
    EXPECT_EQ(card.at("type"), "flex");
    const auto shown = boost::json::serialize(card);
    EXPECT_NE(shown.find("ご予約を承りました"), std::string::npos) << shown;
    EXPECT_NE(shown.find(ref), std::string::npos);
    EXPECT_NE(shown.find("1000円"), std::string::npos);
    const auto& buttons = card.at("contents").at("footer").at("contents").as_array();
    ASSERT_EQ(buttons.size(), 4u) << shown;
    // Held online: joined from the card.
    EXPECT_EQ(buttons[0].at("action").at("uri").as_string(), "https://meet.example.jp/j/77");
    EXPECT_EQ(buttons[1].at("action").at("data").as_string(), "action=view&ref=" + ref);
    // Moved on its page, opened by the signed link its mail carries.
    EXPECT_EQ(
        buttons[2].at("action").at("uri").as_string().rfind(
            "https://booking.example.jp/t/salon/manage?ref=" + ref + "#key=", 0
        ),
        0u
    ) << shown;
    EXPECT_EQ(buttons[3].at("action").at("data").as_string(), "action=cancel&ref=" + ref);

    // A button press comes back through the webhook and is answered by a reply.
    const auto viewed = boost::json::serialize(press(kTaro, "action=view&ref=" + ref));
    EXPECT_NE(viewed.find("ご予約の内容（確定）"), std::string::npos) << viewed;
    auto asked = press(kTaro, "action=cancel&ref=" + ref);
    ASSERT_EQ(asked.at("type"), "template") << asked;
    EXPECT_EQ(asked.at("template").at("type"), "confirm");
    EXPECT_EQ(
        asked.at("template").at("actions").at(0).at("data").as_string(),
        "action=cancel_yes&ref=" + ref + "&fee=0"
    );
    const auto cancelled = [&] {
        return scalar(
            "SELECT count(*) FROM bookings WHERE reference = '" + ref + "' AND status = 'cancelled'"
        );
    };
    // Another customer's LINE cannot cancel it, whatever data it sends.
    auto foreign = press(kHanako, "action=cancel_yes&ref=" + ref + "&fee=0");
    EXPECT_EQ(foreign.at("text").as_string(), "この予約は見つかりません。");
    EXPECT_EQ(cancelled(), 0);
    // A fee other than the one stated asks again; then the stated one cancels it.
    auto changed = press(kTaro, "action=cancel_yes&ref=" + ref + "&fee=500");
    EXPECT_NE(
        std::string(changed.at("text").as_string()).find("キャンセル料が変わりました"),
        std::string::npos
    );
    EXPECT_EQ(cancelled(), 0);
    auto done = press(kTaro, "action=cancel_yes&ref=" + ref + "&fee=0");
    EXPECT_EQ(done.at("text").as_string(), "ご予約（" + ref + "）をキャンセルしました。");
    EXPECT_EQ(cancelled(), 1);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'booking.cancelled' AND actor_id = "
            "'account:" +
            to_string(taro_id) + "'"
        ),
        1
    );
    // Its cancellation card (pushed with the reply) has no cancel button; pressing an old one
    // again is refused kindly.
    pushed = line_.control("pushed").at("pushed").as_array();
    const auto gone = boost::json::serialize(pushed.back().at("messages").at(0));
    EXPECT_EQ(gone.find("action=cancel&"), std::string::npos) << gone;
    EXPECT_NE(gone.find("action=view&ref=" + ref), std::string::npos) << gone;
    EXPECT_EQ(gone.find("meet.example.jp"), std::string::npos) << "no link to a cancelled meeting";
    auto again = press(kTaro, "action=cancel_yes&ref=" + ref + "&fee=0");
    EXPECT_NE(
        std::string(again.at("text").as_string()).find("キャンセルできません"), std::string::npos
    );

    // LINE only: no mail while LINE takes it; when LINE refuses the push for good, or has not
    // taken it after kMailAfterAttempts tries, the mail goes instead.
    ASSERT_EQ(call("PUT", "/api/v1/me/line", taro, R"({"channel":"line"})").status, 200);
    const auto mails = [&](const std::string& r) {
        return scalar("SELECT count(*) FROM outbox WHERE topic = 'mail' AND ref = '" + r + "'");
    };
    const auto refused = book_as_taro();
    EXPECT_EQ(mails(refused), 0);
    line_.control("refuse?status=400");
    EXPECT_EQ(run_jobs().failed, 1);
    EXPECT_EQ(mails(refused), 1) << "refused for good: mailed instead";
    line_.control("refuse?status=500&count=" + std::to_string(line::kMailAfterAttempts));
    const auto down = book_as_taro();
    for (int attempt = 1; attempt < line::kMailAfterAttempts; ++attempt) {
        EXPECT_EQ(run_jobs().retried, 1) << attempt;
        EXPECT_EQ(mails(down), 0) << attempt;
        id_->clock.advance(1h);
    }
    EXPECT_EQ(run_jobs().failed, 1);
    EXPECT_EQ(mails(down), 1) << "still not taken: mailed instead";
}

// Issue 28, item 3: a waitlist offer reaches a linked customer as a card whose button accepts
// it there; another customer's LINE pressing the same data accepts nothing.
TEST_P(Line, AWaitlistOfferIsAcceptedFromItsLineCard) {
    connect_messaging();
    const auto taro_id = id_->account(salon_, access::Role::customer, "taro@example.jp");
    link(taro_id, kTaro);
    link(id_->account(salon_, access::Role::customer, "hanako@example.jp"), kHanako);
    const auto taro = signed_in_headers(server_->port(), "salon", "taro@example.jp");
    const auto event = offering(
        R"({"kind":"event","name":"Recital","published":true,"waitlist":"offer",
            "waitlist_offer_minutes":60,
            "ticket_types":[{"code":"adult","name":"Adult","price_jpy":1000}]})"
    );
    const auto start = id_->clock.now() + 24h * 30;
    const auto occurrence = make(
        "/api/v1/offerings/" + std::to_string(event) + "/occurrences",
        R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
            format_rfc3339(start + 2h, "UTC") + R"(","capacity":1})"
    );
    const auto seat =
        R"({"occurrence_id":)" + std::to_string(occurrence) + R"(,"tickets":{"adult":1},)";
    auto guest = book(seat + customer("guest@example.jp") + "}");
    ASSERT_EQ(guest.status, 201) << guest.body;
    auto joined = call(
        "POST",
        "/api/v1/public/salon/waitlist",
        taro,
        seat + R"("customer":{"name":"Taro","email":"taro@example.jp"}})"
    );
    ASSERT_EQ(joined.status, 201) << joined.body;
    const auto entry = str(joined, "reference");
    run_jobs();

    // The seat frees: Taro's offer comes as a card with a button that books it.
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + str(guest, "reference"), boss_).status, 200);
    run_jobs();
    const auto pushed = line_.control("pushed").at("pushed").as_array();
    ASSERT_FALSE(pushed.empty());
    EXPECT_EQ(pushed.back().at("to").as_string(), kTaro);
    const auto& buttons =
        pushed.back().at("messages").at(0).at("contents").at("footer").at("contents").as_array();
    ASSERT_FALSE(buttons.empty()) << pushed.back();
    EXPECT_EQ(buttons[0].at("action").at("label").as_string(), "予約を確定する");
    const std::string data(buttons[0].at("action").at("data").as_string());
    EXPECT_EQ(data, "action=accept_offer&ref=" + entry);

    const auto confirmed = [&] {
        return scalar(
            "SELECT count(*) FROM bookings WHERE occurrence_id = " + std::to_string(occurrence) +
            " AND status = 'confirmed'"
        );
    };
    auto theirs = boost::json::serialize(press(kHanako, data));
    EXPECT_NE(theirs.find("見つかりません"), std::string::npos) << theirs;
    EXPECT_EQ(confirmed(), 0);
    auto accepted = boost::json::serialize(press(kTaro, data));
    EXPECT_NE(accepted.find("ご予約が確定しました"), std::string::npos) << accepted;
    EXPECT_EQ(confirmed(), 1);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'booking.created' AND actor_id = "
            "'account:" +
            to_string(taro_id) + "'"
        ),
        1
    );
}

TEST_P(Line, ARichMenuIsSetUpFromTheAdminAndItsMyBookingsAnswersWithTheCustomersCards) {
    const std::string menu = "/api/v1/settings/line/rich-menu";
    auto early = call("PUT", menu, boss_);
    EXPECT_EQ(early.status, 422) << "no channel token yet: " << early.body;
    connect_messaging();
    const auto menus = [&] { return line_.control("rich_menus"); };

    // Made at LINE: the areas (book, my page, my bookings), its picture, the default menu.
    auto set = call("PUT", menu, boss_);
    ASSERT_EQ(set.status, 200) << set.body;
    const std::string first(parse(set).at("id").as_string());
    auto at_line = menus();
    EXPECT_EQ(at_line.at("default").as_string(), first) << at_line;
    const auto& made = at_line.at("rich_menus").at(first).as_object();
    EXPECT_EQ(made.at("image").at("width").as_int64(), 2500) << "a PNG of the menu's size";
    EXPECT_EQ(made.at("image").at("height").as_int64(), 843);
    const auto& areas = made.at("menu").at("areas").as_array();
    ASSERT_EQ(areas.size(), 3u);
    EXPECT_EQ(areas[0].at("action").at("uri").as_string(), "https://booking.example.jp/t/salon");
    EXPECT_EQ(areas[1].at("action").at("uri").as_string(), "https://booking.example.jp/t/salon/me");
    EXPECT_EQ(areas[2].at("action").at("data").as_string(), "action=upcoming");
    EXPECT_EQ(parse(call("GET", menu, boss_)).at("id").as_string(), first);
    // Set up again: the menu made before is deleted at LINE.
    auto again = call("PUT", menu, boss_);
    ASSERT_EQ(again.status, 200) << again.body;
    const std::string second(parse(again).at("id").as_string());
    at_line = menus();
    EXPECT_EQ(at_line.at("rich_menus").as_object().size(), 1u) << at_line;
    EXPECT_EQ(at_line.at("default").as_string(), second);
    // With a LIFF app, the menu opens the booking site inside LINE.
    ASSERT_EQ(
        call(
            "PUT",
            "/api/v1/settings/line/login",
            boss_,
            std::string(R"({"channel_id":")") + LineStandIn::kChannelId +
                R"(","channel_secret":")" + LineStandIn::kChannelSecret +
                R"(","liff_id":"1650000000-AbCd1234"})"
        )
            .status,
        200
    );
    auto liffy = call("PUT", menu, boss_);
    ASSERT_EQ(liffy.status, 200) << liffy.body;
    const auto liff_menus = menus();
    const auto& inside =
        liff_menus.at("rich_menus").at(std::string(parse(liffy).at("id").as_string())).at("menu");
    EXPECT_EQ(
        inside.at("areas").at(0).at("action").at("uri").as_string(),
        "https://liff.line.me/1650000000-AbCd1234"
    );
    EXPECT_EQ(
        inside.at("areas").at(1).at("action").at("uri").as_string(),
        "https://liff.line.me/1650000000-AbCd1234/me"
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'line.rich_menu_set'"), 3);

    // "My bookings" answers a linked customer with their coming bookings as cards.
    link(id_->account(salon_, access::Role::customer, "taro@example.jp"), kTaro);
    link(id_->account(salon_, access::Role::customer, "hanako@example.jp"), kHanako);
    const auto taro = signed_in_headers(server_->port(), "salon", "taro@example.jp");
    const auto occurrence = concert();
    const auto one = book_seat(occurrence, taro, "taro@example.jp");
    const auto two = book_seat(occurrence, taro, "taro@example.jp");
    run_jobs();  // their confirmations
    const auto mine = press(kTaro, "action=upcoming");
    ASSERT_EQ(mine.at("contents").at("type"), "carousel") << mine;
    EXPECT_EQ(mine.at("contents").at("contents").as_array().size(), 2u);
    const auto shown = boost::json::serialize(mine);
    EXPECT_NE(shown.find("action=cancel&ref=" + one), std::string::npos) << shown;
    EXPECT_NE(shown.find("action=cancel&ref=" + two), std::string::npos) << shown;
    EXPECT_EQ(
        press(kHanako, "action=upcoming").at("text").as_string(), "これからのご予約はありません。"
    );
    // A friend with no linked account is answered with the offer to link one.
    const std::string stranger = "U" + std::string(32, 'e');
    line_.control("send?type=postback&user=" + stranger + "&data=action%3Dupcoming");
    run_jobs();
    const auto replied = line_.control("replied").at("replied").as_array();
    ASSERT_FALSE(replied.empty());
    EXPECT_EQ(replied.back().at("to").as_string(), stranger);
    const auto offer = boost::json::serialize(replied.back().at("messages").at(0));
    EXPECT_NE(
        offer.find("https://booking.example.jp/t/salon/line-link?linkToken="), std::string::npos
    ) << offer;

    // Removed: deleted at LINE, friends see no menu.
    EXPECT_EQ(call("DELETE", menu, boss_).status, 204);
    at_line = menus();
    EXPECT_TRUE(at_line.at("rich_menus").as_object().empty()) << at_line;
    EXPECT_TRUE(at_line.at("default").is_null());
    EXPECT_EQ(parse(call("GET", menu, boss_)).at("configured"), false);
    EXPECT_EQ(call("DELETE", menu, boss_).status, 204) << "idempotent";
}

TEST_P(Line, ASegmentMessageReachesExactlyTheMatchingCustomersAndNoneWhoOptedOut) {
    const std::string base = "/api/v1/line/broadcasts";
    const auto msg = [](const std::string& extra) {
        return R"({"text":"秋の特別公演のご案内です。\nぜひお越しください。")" + extra + "}";
    };
    EXPECT_EQ(call("POST", base, boss_, msg("")).status, 422) << "no LINE channel yet";
    connect_messaging();
    const std::string kJiro = "U" + std::string(32, 'c'), kShiro = "U" + std::string(32, 'd');
    const auto customer_of = [&](const std::string& email, const std::string& user) {
        const auto a = id_->account(salon_, access::Role::customer, email);
        if (!user.empty()) link(a, user);
        return a;
    };
    // Taro, Hanako and Shiro booked the concert; Jiro booked nothing; Saburo has no LINE.
    const auto taro = customer_of("taro@example.jp", kTaro);
    customer_of("hanako@example.jp", kHanako);
    customer_of("jiro@example.jp", kJiro);
    customer_of("shiro@example.jp", kShiro);
    customer_of("saburo@example.jp", "");
    const auto occurrence = concert();
    const auto concert_id = scalar("SELECT max(id) FROM offerings");
    for (const auto* who : {"taro", "hanako", "shiro", "saburo"}) {
        const std::string email = std::string(who) + "@example.jp";
        book_seat(occurrence, signed_in_headers(server_->port(), "salon", email), email);
    }
    run_jobs();  // their confirmations
    // Hanako opts out of the venue's messages; Shiro unfollows the official account.
    const auto hanako = signed_in_headers(server_->port(), "salon", "hanako@example.jp");
    auto opted = call("PUT", "/api/v1/me/line", hanako, R"({"announcements":false})");
    ASSERT_EQ(opted.status, 200) << opted.body;
    EXPECT_EQ(parse(opted).at("announcements"), false);
    EXPECT_EQ(parse(opted).at("channel"), "both") << "booking messages unchanged";
    line_.control("send?type=unfollow&user=" + kShiro);

    // Staff tag Taro; tags are checked, repeats dropped, listed with the customer.
    const auto tags = "/api/v1/customers/" + std::to_string(taro.value) + "/tags";
    auto tagged = call("PUT", tags, boss_, R"({"tags":["VIP"," 常連 ","VIP"]})");
    ASSERT_EQ(tagged.status, 200) << tagged.body;
    EXPECT_EQ(boost::json::serialize(parse(tagged).at("tags")), R"(["VIP","常連"])");
    auto bad_tag = call("PUT", tags, boss_, R"({"tags":["ok",""]})");
    EXPECT_EQ(bad_tag.status, 400);
    EXPECT_EQ(field(bad_tag), "tags[1]");
    const auto listed = boost::json::serialize(parse(call("GET", "/api/v1/customers", boss_)));
    EXPECT_NE(listed.find(R"("tags":["VIP","常連"])"), std::string::npos) << listed;

    // The preview counts who would get it: the concert's bookers who follow and did not opt
    // out (Taro); everyone linked who may (Taro, Jiro); the VIPs (Taro); nobody cancelled.
    const auto count = [&](const std::string& segment) {
        auto r = call("POST", base + "/preview", boss_, msg(R"(,"segment":)" + segment));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? parse(r).at("recipients").as_int64() : -1;
    };
    const std::string of_concert = R"({"offering":)" + std::to_string(concert_id) + "}";
    EXPECT_EQ(count(of_concert), 1);
    EXPECT_EQ(count("{}"), 2);
    EXPECT_EQ(count(R"({"tag":"VIP"})"), 1);
    EXPECT_EQ(count(R"({"min_bookings":1})"), 1);
    EXPECT_EQ(count(R"({"statuses":["cancelled"]})"), 0);
    EXPECT_EQ(count(R"({"tag":"VIP","statuses":["confirmed"]})"), 1);

    // Bad input is named and stores nothing.
    const auto refused = [&](const std::string& body) {
        auto r = call("POST", base, boss_, body);
        EXPECT_EQ(r.status, 400) << body << " " << r.body;
        return field(r);
    };
    EXPECT_EQ(refused(R"({"text":" "})"), "text");
    EXPECT_EQ(refused(msg(R"(,"image_url":"http://cdn.example.jp/a.png")")), "image_url");
    EXPECT_EQ(refused(msg(R"(,"segment":{"statuses":["gone"]})")), "segment.statuses[0]");
    EXPECT_EQ(refused(msg(R"(,"segment":{"offering":99999})")), "segment.offering");
    EXPECT_EQ(refused(msg(R"(,"segment":{"colour":"red"})")), "segment.colour");
    EXPECT_EQ(refused(msg(R"(,"send_at":"2020-01-01T00:00:00Z")")), "send_at");
    EXPECT_EQ(scalar("SELECT count(*) FROM broadcasts"), 0);

    // Scheduled an hour ahead, as a card with the picture and a button to book the concert.
    const auto in_an_hour = format_rfc3339(id_->clock.now() + 1h, "UTC");
    auto made = call(
        "POST",
        base,
        boss_,
        msg(R"(,"image_url":"https://cdn.example.jp/autumn.png","offering_button":)" +
            std::to_string(concert_id) + R"(,"segment":)" + of_concert + R"(,"send_at":")" +
            in_an_hour + "\"")
    );
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(parse(made).at("status"), "scheduled");
    const auto one = base + "/" + std::to_string(parse(made).at("id").as_int64());
    const auto multicasts = [&] { return line_.control("multicast").at("multicast").as_array(); };
    // Time passes; the manager, idle that long, signs in again.
    const auto wait = [&](std::chrono::minutes d) {
        id_->clock.advance(d);
        boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    };
    run_jobs();
    EXPECT_TRUE(multicasts().empty()) << "not before its time";
    wait(61min);
    run_jobs();  // picks the recipients, queues the batch
    run_jobs();  // sends it
    auto sent = multicasts();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(boost::json::serialize(sent[0].at("to")), "[\"" + kTaro + "\"]");
    const auto& card = sent[0].at("messages").at(0);
    EXPECT_EQ(card.at("type"), "flex");
    EXPECT_EQ(card.at("contents").at("hero").at("url"), "https://cdn.example.jp/autumn.png");
    EXPECT_EQ(
        card.at("contents").at("footer").at("contents").at(0).at("action").at("uri").as_string(),
        "https://booking.example.jp/t/salon/o/" + std::to_string(concert_id)
    );
    auto counted = parse(call("GET", one, boss_));
    EXPECT_EQ(counted.at("status"), "sent") << counted;
    EXPECT_EQ(counted.at("recipients").as_int64(), 1);
    EXPECT_EQ(counted.at("delivered").as_int64(), 1);
    EXPECT_EQ(counted.at("failed").as_int64(), 0);
    EXPECT_EQ(call("DELETE", one, boss_).status, 409) << "sent: too late to cancel";

    // Cancelled while scheduled: never sent.
    auto later = call(
        "POST",
        base,
        boss_,
        msg(R"(,"send_at":")" + format_rfc3339(id_->clock.now() + 1h, "UTC") + "\"")
    );
    ASSERT_EQ(later.status, 201);
    const auto cancel =
        call("DELETE", base + "/" + std::to_string(parse(later).at("id").as_int64()), boss_);
    EXPECT_EQ(parse(cancel).at("status"), "cancelled");
    wait(61min);
    run_jobs();
    run_jobs();
    EXPECT_EQ(multicasts().size(), 1u);

    // Sent now to everyone who may get it: LINE limits the rate once (429), the queue waits
    // and sends again; a second message LINE refuses counts as failed.
    line_.control("refuse?status=429");
    auto now = call("POST", base, boss_, msg(""));
    ASSERT_EQ(now.status, 201) << now.body;
    const auto now_one = base + "/" + std::to_string(parse(now).at("id").as_int64());
    run_jobs();
    EXPECT_EQ(run_jobs().retried, 1);
    EXPECT_EQ(parse(call("GET", now_one, boss_)).at("status"), "sending");
    wait(1min);
    run_jobs();
    counted = parse(call("GET", now_one, boss_));
    EXPECT_EQ(counted.at("status"), "sent") << counted;
    EXPECT_EQ(counted.at("delivered").as_int64(), 2);
    ASSERT_EQ(multicasts().size(), 2u);
    EXPECT_EQ(multicasts()[1].at("to").as_array().size(), 2u);
    EXPECT_EQ(multicasts()[1].at("messages").at(0).at("type"), "text");
    line_.control("refuse?status=400");
    auto refused_one = call("POST", base, boss_, msg(""));
    run_jobs();
    run_jobs();
    counted = parse(
        call("GET", base + "/" + std::to_string(parse(refused_one).at("id").as_int64()), boss_)
    );
    EXPECT_EQ(counted.at("failed").as_int64(), 2) << counted;
    EXPECT_EQ(counted.at("status"), "sent");
    EXPECT_EQ(parse(call("GET", base, boss_)).at("items").as_array().size(), 4u);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'line.broadcast_created'"), 4);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'account.tags_changed'"), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Line,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

}  // namespace
}  // namespace yoyaku::testing

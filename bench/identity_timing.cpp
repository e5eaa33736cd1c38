// Does an answer's timing tell whether an account exists (SPEC S3)? Interleaves sign-ins
// against an existing account (wrong password) and an unknown address, and password-reset
// requests for both, with the production argon2id cost, on SQLite in a temporary directory;
// prints the median and 90th percentile of each and the ratio unknown / known. A ratio near
// 1.00 is the goal; the raw numbers vary with the machine.
//
//   build/bench/bench/identity_timing [ROUNDS]

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "storage/database.hpp"

using namespace yoyaku;
using Clock_ = std::chrono::steady_clock;

namespace {

struct Figures {
    double p50, p90;
};

Figures figures(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[v.size() * 9 / 10]};
}

template <class F>
double micros(F&& f) {
    const auto t0 = Clock_::now();
    f();
    return std::chrono::duration<double, std::micro>(Clock_::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(5, std::atoi(argv[1])) : 40;
    const auto dir =
        std::filesystem::temp_directory_path() / ("yoyaku-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto db = storage::open_database({"sqlite:" + (dir / "bench.db").string()});
    if (!db || !(*db)->migrate()) {
        std::fprintf(stderr, "database failed\n");
        return 1;
    }
    auto keys = crypto::Keyring::open(dir / "keys", true);
    if (!keys) return 1;
    SystemClock clock;
    app::ServiceOptions o;  // production argon2id: 64 MiB, 2 passes
    o.defence.address_burst = o.defence.account_burst = 1e9;  // measure, not throttle
    o.defence.stuffing_accounts = 1'000'000;
    o.auth = {false, false};
    app::Services s(**db, std::move(*keys), clock, o);
    const audit::Actor actor{"operator:1", "operator"};
    const audit::Origin origin{"192.0.2.1", "bench", "bench"};
    auto t = s.tenants.create({"bench", "Bench hall"}, actor, origin);
    if (!t) return 1;
    const std::string password = "Kiri-no-Mori-2468";
    auto m = s.accounts.create(
        t->id, {access::Role::manager, "known@bench.example", "Known", password}, actor, origin
    );
    if (!m) return 1;

    std::vector<double> login_known, login_unknown, reset_known, reset_unknown;
    for (int i = 0; i < rounds; ++i) {
        login_known.push_back(micros([&] {
            (void)s.auth.login({t->id, "known@bench.example", "Wrong-Password-1", origin, ""});
        }));
        login_unknown.push_back(micros([&] {
            (void)s.auth.login({t->id, "nobody@bench.example", "Wrong-Password-1", origin, ""});
        }));
        (void)s.accounts.unlock(t->id, m->account.id, actor, origin);  // untimed: no lockout
        reset_known.push_back(micros([&] {
            (void)s.accounts.request_password_reset(t->id, "known@bench.example", origin);
        }));
        reset_unknown.push_back(micros([&] {
            (void)s.accounts.request_password_reset(t->id, "nobody@bench.example", origin);
        }));
    }
    auto row = [](const char* what, std::vector<double> known, std::vector<double> unknown) {
        const auto k = figures(std::move(known));
        const auto u = figures(std::move(unknown));
        std::printf(
            "%-16s known p50 %9.0f µs p90 %9.0f | unknown p50 %9.0f µs p90 %9.0f | ratio %.2f\n",
            what,
            k.p50,
            k.p90,
            u.p50,
            u.p90,
            u.p50 / k.p50
        );
    };
    std::printf("%d interleaved rounds, SQLite, argon2id 64 MiB × 2\n", rounds);
    row("sign-in", login_known, login_unknown);
    row("password reset", reset_known, reset_unknown);
    std::filesystem::remove_all(dir);
    return 0;
}

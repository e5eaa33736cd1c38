// Seeds the paid-rush benchmark (bench/pay_rush.sh) through the services' own write path: a
// tenant "pay" with Stripe keys (the stand-in's) and one event paid when booking, one
// occurrence of CAPACITY seats at ¥3,000. Prints the occurrence id.
//
//   pay_seed DATABASE_URL KEYS_DIR CAPACITY SECRET_KEY WEBHOOK_SECRET

#include <cstdio>
#include <string>

#include "app/services.hpp"
#include "storage/database.hpp"

using namespace yoyaku;
using namespace std::chrono;

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(
            stderr, "usage: pay_seed DATABASE_URL KEYS_DIR CAPACITY SECRET_KEY WEBHOOK_SECRET\n"
        );
        return 2;
    }
    auto db = storage::open_database({argv[1]});
    if (!db || !(*db)->migrate()) {
        std::fprintf(stderr, "database: %s\n", db ? "migration failed" : db.error().detail.c_str());
        return 1;
    }
    auto keys = crypto::Keyring::open(argv[2], true);
    if (!keys) return 1;
    SystemClock clock;
    app::ServiceOptions o;
    app::Services s(**db, std::move(*keys), clock, o);
    const audit::Actor actor{"operator:1", "operator"};
    const audit::Origin origin{"127.0.0.1", "bench", "bench"};
    auto t = s.tenants.create({"pay", "Pay Rush Hall"}, actor, origin);
    if (!t) return 1;
    if (auto k = s.payments.set_account(t->id, {argv[4], argv[5]}, actor, origin); !k) {
        std::fprintf(stderr, "keys: %s\n", k.error().message.c_str());
        return 1;
    }
    offerings::OfferingInput ev;
    ev.name = "paid rush";
    ev.published = true;
    ev.payment = offerings::Payment::online_now;
    ev.max_per_order = 1;
    ev.ticket_types = {{"adult", "Adult", 3000, 1}};
    auto e = s.offerings.create(t->id, ev, actor, origin);
    if (!e) return 1;
    const auto start = floor<days>(clock.now()) + days{30};
    auto occ = s.offerings.add_occurrence(
        t->id, e->id, start, start + hours(2), std::atoi(argv[3]), actor, origin
    );
    if (!occ) return 1;
    std::printf("%lld\n", static_cast<long long>(occ->id.value));
    return 0;
}

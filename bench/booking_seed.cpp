// Seeds the booking benchmarks' data set (performance plan §4) through the booking engine's own
// write path, into the database and keys a `yoyaku serve` will then open:
//   tenants bench1…benchN, each with 100 staff members open around the clock and one
//   appointment offering (60 minutes) per staff member; a third of the hourly slots over the
//   28 days from tomorrow already booked (every slot whose index in the 28 × 24 is a multiple
//   of 3); in bench1 also an event "rush" with 10 occurrences × 1000 seats (B4, B7) and an
//   event "spread" with 10,000 occurrences × 1,000,000 seats (B3, B6), nine "rush" events with
//   10 occurrences × 1000 seats (B4, B7) and "race" with 50 occurrences × 1 seat (B5).
// Prints one line of JSON: the first offering id, the first spread occurrence, the first
// occurrence of each rush event, the race occurrences and day 0 (Unix seconds); ids of one
// event are consecutive.
//
//   booking_seed DATABASE_URL KEYS_DIR [TENANTS=10]

#include <cstdio>
#include <string>
#include <vector>

#include "app/platform.hpp"
#include "app/services.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

using namespace yoyaku;
using namespace std::chrono;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: booking_seed DATABASE_URL KEYS_DIR [TENANTS]\n");
        return 2;
    }
    const int tenants = argc > 3 ? std::max(1, std::atoi(argv[3])) : 10;
    auto db = storage::open_database({argv[1]});
    if (!db || !(*db)->migrate()) {
        std::fprintf(stderr, "database: %s\n", db ? "migration failed" : db.error().detail.c_str());
        return 1;
    }
    auto keys = crypto::Keyring::open(argv[2], true);
    if (!keys) return 1;
    // The audit chain key `serve` will find beside the master key (made here on first use):
    // the seeded entries verify, and serve does not refuse a keys folder that lacks it.
    auto chain = app::audit_chain_key(**keys, argv[2], true);
    if (!chain) {
        std::fprintf(stderr, "keys: %s\n", chain.error().message.c_str());
        return 1;
    }
    audit::use_chain_key(*chain);
    SystemClock clock;
    app::ServiceOptions o;
    app::Services s(**db, std::move(*keys), clock, o);
    const audit::Actor actor{"operator:1", "operator"};
    const audit::Origin origin{"127.0.0.1", "bench", "bench"};
    const auto tomorrow = floor<days>(clock.now()) + days{1};  // 00:00 UTC
    resources::WeeklyHours always;
    for (auto& d : always) d = {{0, 1440}};
    std::vector<std::int64_t> first_offerings, spread, rush, race, unassigned;
    std::int64_t seated = 0;
    for (int n = 1; n <= tenants; ++n) {
        auto t = s.tenants.create(
            {"bench" + std::to_string(n), "Bench " + std::to_string(n)}, actor, origin
        );
        if (!t) {
            std::fprintf(stderr, "tenant: %s\n", t.error().message.c_str());
            return 1;
        }
        int booked = 0;
        for (int r = 0; r < 100; ++r) {
            resources::ResourceInput ri;
            ri.kind = resources::Kind::staff;
            ri.name = "Staff " + std::to_string(r + 1);
            ri.hours = always;
            auto res = s.resources.create(t->id, ri, actor, origin);
            if (!res) return 1;
            offerings::OfferingInput oi;
            oi.kind = offerings::OfferingKind::appointment;
            oi.name = "Session " + std::to_string(r + 1);
            oi.published = true;
            oi.duration_minutes = 60;
            oi.price_jpy = 5000;
            oi.resource_ids = {res->id};
            auto off = s.offerings.create(t->id, oi, actor, origin);
            if (!off) {
                std::fprintf(stderr, "offering: %s\n", off.error().message.c_str());
                return 1;
            }
            if (r == 0) first_offerings.push_back(off->id.value);
            for (int slot = 0; slot < 28 * 24; slot += 3) {
                bookings::NewBooking nb;
                nb.what.offering_id = off->id;
                nb.what.starts_at = tomorrow + hours(slot);
                nb.customer = {"Seed Guest", "seed" + std::to_string(slot) + "@bench.example", ""};
                nb.idempotency_key =
                    "seed-" + std::to_string(off->id.value) + "-" + std::to_string(slot);
                auto b = s.bookings.book(t->id, nb, actor, origin);
                if (!b) {
                    std::fprintf(stderr, "booking: %s\n", b.error().message.c_str());
                    return 1;
                }
                ++booked;
            }
        }
        std::fprintf(stderr, "bench%d: 100 resources, %d bookings\n", n, booked);
        if (n != 1) continue;
        // Events in bench1: "spread" (B3, B6: 10,000 occurrences × 1,000,000 seats, never sold
        // out), nine "rush" events of 10 × 1000 seats (B4 three times at 64 and at 512
        // connections, B7 three times) and "race" (B5: 50 occurrences × 1 seat).
        auto event =
            [&](const std::string& name, int count, int capacity, std::vector<std::int64_t>& ids
            ) -> bool {
            offerings::OfferingInput ev;
            ev.name = name;
            ev.published = true;
            ev.ticket_types = {{"adult", "Adult", 3000, 10}};
            auto e = s.offerings.create(t->id, ev, actor, origin);
            if (!e) return false;
            for (int i = 0; i < count; ++i) {
                const auto start = tomorrow + days{30} + minutes(5 * i);
                auto occ = s.offerings.add_occurrence(
                    t->id, e->id, start, start + hours(1), capacity, actor, origin
                );
                if (!occ) return false;
                ids.push_back(occ->id.value);
            }
            return true;
        };
        if (!event("spread", 10000, 1000000, spread)) return 1;
        for (int k = 0; k < 9; ++k) {
            std::vector<std::int64_t> ids;
            if (!event("rush " + std::to_string(k + 1), 10, 1000, ids)) return 1;
            rush.push_back(ids.front());
        }
        if (!event("race", 50, 1, race)) return 1;
        // B8's comparison: the same 2,000 places as a count, no seat map.
        if (!event("unassigned", 1, 2000, unassigned)) return 1;
        // "seated" (B8): one evening in a hall of 2,000 numbered seats, 40 rows of 50 with an
        // aisle after the 25th seat.
        std::string rows;
        for (int r = 0; r < 40; ++r) {
            if (r) rows += ',';
            rows += R"({"name":"R)";
            rows += std::to_string(r + 1);
            rows += R"(","y":)";
            rows += std::to_string(r);
            rows += R"(,"seats":[)";
            for (int seat = 1; seat <= 50; ++seat) {
                if (seat > 1) rows += ',';
                rows += R"({"number":)";
                rows += std::to_string(seat);
                rows += R"(,"x":)";
                rows += std::to_string(seat <= 25 ? seat - 1 : seat);
                rows += '}';
            }
            rows += "]}";
        }
        auto hall = s.seats.create_map(
            t->id, "Hall", R"({"sections":[{"name":"Floor","rows":[)" + rows + "]}]}", actor, origin
        );
        if (!hall) {
            std::fprintf(stderr, "seat map: %s\n", hall.error().message.c_str());
            return 1;
        }
        offerings::OfferingInput sv;
        sv.name = "seated";
        sv.published = true;
        sv.seat_map_id = hall->id;
        sv.ticket_types = {{"adult", "Adult", 3000, 10}};
        auto se = s.offerings.create(t->id, sv, actor, origin);
        if (!se) return 1;
        const auto at = tomorrow + days{31};
        auto occ =
            s.offerings.add_occurrence(t->id, se->id, at, at + hours(2), 2000, actor, origin);
        if (!occ) return 1;
        seated = occ->id.value;
    }
    auto list = [](const std::vector<std::int64_t>& v) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            out += std::to_string(v[i]);
        }
        return out + "]";
    };
    std::printf(
        "{\"first_offering\":%lld,\"spread\":%lld,\"rush\":%s,\"race\":%s,\"seated\":%lld,"
        "\"unassigned\":%lld,\"day0\":%lld}\n",
        static_cast<long long>(first_offerings.front()),
        static_cast<long long>(spread.front()),
        list(rush).c_str(),
        list(race).c_str(),
        static_cast<long long>(seated),
        static_cast<long long>(unassigned.front()),
        static_cast<long long>(duration_cast<seconds>(tomorrow.time_since_epoch()).count())
    );
    return 0;
}

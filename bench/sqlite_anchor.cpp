// The raw SQLite anchors of the booking benchmarks (performance plan §1a), measured on this
// machine in the same run as Yoyaku's figures: the same schema and statements as the plan's
// scratch program, with prepared statements and no server in between.
//   sqlite_anchor DIR book SECONDS    one writer, WAL, synchronous=FULL, 10,000 slots:
//                                     "txn_per_s"
//   sqlite_anchor DIR rush            one writer, 10 slots × 1000 seats: "sellout_s"
//   sqlite_anchor DIR avail SECONDS   2 threads, 100 resources × 28 days × 24 slots, a third
//                                     booked, the one-week query: "queries_per_s"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

sqlite3* open_db(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) std::exit(1);
    sqlite3_exec(
        db,
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000",
        nullptr,
        nullptr,
        nullptr
    );
    return db;
}

void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
        std::exit(1);
    }
}

void schema(sqlite3* db, int nslots, int capacity, int per_resource, bool third_booked) {
    exec(
        db,
        "CREATE TABLE slots(id INTEGER PRIMARY KEY, tenant_id INT NOT NULL, resource_id INT NOT "
        "NULL, start_ts INT NOT NULL, capacity INT NOT NULL, booked INT NOT NULL DEFAULT 0);"
        "CREATE INDEX slots_res ON slots(tenant_id, resource_id, start_ts);"
        "CREATE TABLE bookings(id INTEGER PRIMARY KEY, tenant_id INT NOT NULL, slot_id INT NOT "
        "NULL REFERENCES slots(id), customer TEXT NOT NULL, created_at INT NOT NULL);"
        "CREATE INDEX bookings_slot ON bookings(slot_id);"
    );
    exec(db, "BEGIN");
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(
        db,
        "INSERT INTO slots(tenant_id, resource_id, start_ts, capacity, booked) VALUES (1, ?1, ?2, "
        "?3, ?4)",
        -1,
        &ins,
        nullptr
    );
    for (int i = 0; i < nslots; ++i) {
        sqlite3_bind_int(ins, 1, i / per_resource);
        sqlite3_bind_int64(ins, 2, static_cast<sqlite3_int64>(i % per_resource) * 3600);
        sqlite3_bind_int(ins, 3, capacity);
        sqlite3_bind_int(ins, 4, third_booked && i % 3 == 0 ? capacity : 0);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec(db, "COMMIT");
}

// One booking transaction of the plan's `book` form; true when a seat was taken.
bool book(sqlite3* db, sqlite3_stmt* take, sqlite3_stmt* add, int slot) {
    exec(db, "BEGIN IMMEDIATE");
    sqlite3_bind_int(take, 1, slot);
    sqlite3_step(take);
    sqlite3_reset(take);
    const bool ok = sqlite3_changes(db) == 1;
    if (ok) {
        sqlite3_bind_int(add, 1, slot);
        sqlite3_bind_int64(
            add, 2, static_cast<sqlite3_int64>(Steady::now().time_since_epoch().count())
        );
        sqlite3_step(add);
        sqlite3_reset(add);
    }
    exec(db, "COMMIT");
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: sqlite_anchor DIR book|rush|avail [SECONDS]\n");
        return 2;
    }
    const std::string dir = argv[1], mode = argv[2];
    const double secs = argc > 3 ? std::atof(argv[3]) : 5;
    const std::string path = dir + "/anchor-" + mode + ".db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    sqlite3* db = open_db(path);
    std::mt19937 rng(42);
    if (mode == "book" || mode == "rush") {
        const bool rush = mode == "rush";
        schema(db, rush ? 10 : 10000, rush ? 1000 : 1000000, 1, false);
        sqlite3_stmt *take = nullptr, *add = nullptr;
        sqlite3_prepare_v2(
            db,
            "UPDATE slots SET booked = booked + 1 WHERE id = ?1 AND booked < capacity",
            -1,
            &take,
            nullptr
        );
        sqlite3_prepare_v2(
            db,
            "INSERT INTO bookings(tenant_id, slot_id, customer, created_at) VALUES (1, ?1, 'c', "
            "?2)",
            -1,
            &add,
            nullptr
        );
        const auto t0 = Steady::now();
        long done = 0, sold = 0;
        if (rush) {
            while (sold < 10000) sold += book(db, take, add, 1 + static_cast<int>(rng() % 10));
            std::printf(
                "sellout_s %.3f\n", std::chrono::duration<double>(Steady::now() - t0).count()
            );
        } else {
            while (std::chrono::duration<double>(Steady::now() - t0).count() < secs) {
                book(db, take, add, 1 + static_cast<int>(rng() % 10000));
                ++done;
            }
            std::printf(
                "txn_per_s %.0f\n", done / std::chrono::duration<double>(Steady::now() - t0).count()
            );
        }
        sqlite3_finalize(take);
        sqlite3_finalize(add);
    } else {
        schema(db, 100 * 28 * 24, 1, 28 * 24, true);
        std::atomic<long> queries{0};
        const auto t0 = Steady::now();
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&, t] {
                sqlite3* c = open_db(path);
                sqlite3_stmt* q = nullptr;
                sqlite3_prepare_v2(
                    c,
                    "SELECT id, start_ts, capacity - booked FROM slots WHERE tenant_id = 1 AND "
                    "resource_id = ?1 AND start_ts >= ?2 AND start_ts < ?3 AND booked < capacity "
                    "ORDER BY start_ts",
                    -1,
                    &q,
                    nullptr
                );
                std::mt19937 r(7 + t);
                while (std::chrono::duration<double>(Steady::now() - t0).count() < secs) {
                    const auto week = static_cast<sqlite3_int64>(r() % 4) * 7 * 24 * 3600;
                    sqlite3_bind_int(q, 1, static_cast<int>(r() % 100));
                    sqlite3_bind_int64(q, 2, week);
                    sqlite3_bind_int64(q, 3, week + 7 * 24 * 3600);
                    while (sqlite3_step(q) == SQLITE_ROW) {
                    }
                    sqlite3_reset(q);
                    ++queries;
                }
                sqlite3_finalize(q);
                sqlite3_close(c);
            });
        for (auto& t : threads) t.join();
        std::printf(
            "queries_per_s %.0f\n",
            queries / std::chrono::duration<double>(Steady::now() - t0).count()
        );
    }
    sqlite3_close(db);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    return 0;
}

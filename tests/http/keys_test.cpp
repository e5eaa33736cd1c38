// Data key rotation (SPEC S11) on a running platform, SQLite and PostgreSQL: `yoyaku keys
// rotate` in another process gives the tenant a new data key and re-encrypts every sealed field
// under it while the server keeps answering; nothing sealed stays under the old key, blind
// indexes follow, sign-in and address look-ups work before, during and after; bookings made
// during the rotation are taken too; dropping the old key leaves the live data readable and
// makes what it sealed (older backups) unreadable.

#include <gtest/gtest.h>

#include <thread>

#include "crypto/sealing.hpp"
#include "domain/rekey/rekey.hpp"
#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

class DataKeys : public BookingFixture {
protected:
    std::int64_t event_occurrence() {
        const auto o = offering(
            R"({"kind":"event","name":"Key Night","published":true,
                "ticket_types":[{"code":"adult","name":"Adult","price_jpy":1000}]})"
        );
        const auto start = id_->clock.now() + 24h * 10;
        return make(
            "/api/v1/offerings/" + std::to_string(o) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(start, "UTC") + R"(","ends_at":")" +
                format_rfc3339(start + 2h, "UTC") + R"(","capacity":50})"
        );
    }
    HttpResult book_as(std::int64_t occ, const std::string& email) {
        return book(
            R"({"occurrence_id":)" + std::to_string(occ) + R"(,"tickets":{"adult":1},)" +
            customer(email) + "}"
        );
    }
    // The rows of `table` as (id, sealed, email_index).
    std::vector<storage::Row> rows(const std::string& sql) {
        auto r = tdb_->db().read(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
            return stx.tx().query(sql, salon_.value);
        });
        EXPECT_TRUE(r) << sql;
        return r ? *r : std::vector<storage::Row>{};
    }
    std::filesystem::path keys_dir() { return id_->dir.path() / "keys"; }
    int bookings_found(const std::string& email) {
        auto r = call("GET", "/api/v1/bookings?email=" + email, boss_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? static_cast<int>(parse(r).at("items").as_array().size()) : -1;
    }
};

}  // namespace

TEST_P(DataKeys, ARotationReencryptsEveryFieldWhileTheServerKeepsServing) {
    const auto occ = event_occurrence();
    ASSERT_EQ(book_as(occ, "zq9x.canary@example.jp").status, 201);
    ASSERT_EQ(book_as(occ, "taro@example.jp").status, 201);
    auto before = crypto::Keyring::open(keys_dir(), false);
    ASSERT_TRUE(before);
    const auto old_keys = (*before)->tenant_keys(salon_);
    ASSERT_TRUE(old_keys);
    const auto old_rows = rows(
        "SELECT id, customer_sealed, email_index FROM bookings WHERE tenant_id = $1 ORDER BY id"
    );
    ASSERT_EQ(old_rows.size(), 2u);

    // Step one alone (a new generation, nothing re-encrypted yet): the server, which cached
    // the old key, seals new data under the new one and still finds the old rows by address.
    auto cli = crypto::Keyring::open(keys_dir(), false);  // `yoyaku keys rotate`
    ASSERT_TRUE(cli);
    ASSERT_EQ((*cli)->add_data_key(salon_).value(), 2u);
    ASSERT_EQ(book_as(occ, "hanako@example.jp").status, 201);
    EXPECT_EQ(bookings_found("zq9x.canary@example.jp"), 1) << "an old index is still found";
    EXPECT_NO_THROW(signed_in_headers(server_->port(), "salon", "boss@salon.example"))
        << "sign-in by an address indexed under the old key";
    const auto mixed = rows(
        "SELECT id, customer_sealed FROM bookings WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1"
    );
    const auto new_keys = (*cli)->tenant_keys(salon_);
    ASSERT_TRUE(new_keys);
    EXPECT_TRUE(crypto::open(
        new_keys->seal,
        mixed.front().blob(1).bytes,
        crypto::field_context(salon_, "bookings", "customer", mixed.front().i64(0))
    )) << "the server already seals under the new generation";
    // A second account for an address indexed under the old key is refused.
    auto dup = id_->services->accounts.create(
        salon_,
        {access::Role::staff, "boss@salon.example", "Twin", std::string(kPassword)},
        id_->actor,
        id_->origin
    );
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);

    // The re-encryption runs while customers keep booking.
    Result<rekey::TenantReport> report = Error::internal("not run");
    std::thread rotation([&] {
        rekey::Options o;
        o.new_key = false;
        o.batch = 1;  // many small transactions, interleaved with the server's
        report = rekey::rotate_tenant(tdb_->db(), **cli, salon_, "salon", o, id_->clock.now());
    });
    int booked = 0;
    for (int i = 0; i < 6; ++i)
        booked += book_as(occ, "during" + std::to_string(i) + "@example.jp").status == 201;
    rotation.join();
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(booked, 6);
    EXPECT_EQ(report->generation, 2u);
    EXPECT_EQ(report->left, 0);
    EXPECT_GE(report->resealed, 2 + 2) << "two bookings and the manager's email and name";
    EXPECT_GE(report->reindexed, 2 + 1);
    // A last pass picks up anything a request in flight wrote under the old key meanwhile.
    rekey::Options finish;
    finish.new_key = false;
    auto again = rekey::rotate_tenant(tdb_->db(), **cli, salon_, "salon", finish, id_->clock.now());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->left, 0);

    // Nothing sealed is left that opens under the old key; every index is the new key's.
    const struct {
        const char* sql;
        const char* table;
        const char* column;
    } sealed[] = {
        {"SELECT id, customer_sealed, email_index FROM bookings WHERE tenant_id = $1",
         "bookings",
         "customer"},
        {"SELECT id, email_sealed, email_index FROM accounts WHERE tenant_id = $1",
         "accounts",
         "email"},
        {"SELECT id, name_sealed, '' FROM accounts WHERE tenant_id = $1", "accounts", "name"},
        {"SELECT id, payload_sealed, '' FROM outbox WHERE tenant_id = $1", "outbox", "payload"},
    };
    int checked = 0;
    for (const auto& s : sealed) {
        for (const auto& r : rows(s.sql)) {
            const auto ctx = crypto::field_context(salon_, s.table, s.column, r.i64(0));
            EXPECT_FALSE(crypto::open(old_keys->seal, r.blob(1).bytes, ctx)) << s.table;
            auto now_open = crypto::open(new_keys->seal, r.blob(1).bytes, ctx);
            ASSERT_TRUE(now_open) << s.table << " " << r.i64(0);
            if (std::string_view(s.column) == "email") {
                EXPECT_EQ(r.text(2), crypto::blind_index(new_keys->index, *now_open));
            }
            if (std::string_view(s.table) == "bookings") {
                const auto email =
                    std::string(boost::json::parse(*now_open).at("email").as_string());
                EXPECT_EQ(r.text(2), crypto::blind_index(new_keys->index, email)) << email;
            }
            ++checked;
        }
    }
    EXPECT_GE(checked, 9 + 2 + 2);

    // The server serves all of it: names open, addresses are found, the manager signs in.
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    EXPECT_EQ(bookings_found("zq9x.canary@example.jp"), 1);
    EXPECT_EQ(bookings_found("during3@example.jp"), 1);
    auto all = call("GET", "/api/v1/bookings?limit=100", boss_);
    ASSERT_EQ(all.status, 200) << all.body;
    ASSERT_EQ(parse(all).at("items").as_array().size(), 9u);
    EXPECT_NE(all.body.find("山田 花子"), std::string::npos);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM audit_log WHERE chain = " + std::to_string(salon_.value) +
            " AND action = 'keys.data_rotated'"
        ),
        2
    );

    // Dropping the old key: live data still opens; what it sealed (an older backup's rows)
    // no longer does.
    rekey::Options drop;
    drop.new_key = false;
    drop.drop_old = true;
    auto dropped = rekey::rotate_tenant(tdb_->db(), **cli, salon_, "salon", drop, id_->clock.now());
    ASSERT_TRUE(dropped);
    EXPECT_EQ(dropped->dropped, 1);
    const auto only = (*cli)->tenant_keys(salon_);
    ASSERT_TRUE(only);
    EXPECT_TRUE(only->older.empty());
    const auto& first = old_rows.front();
    EXPECT_FALSE(only->open(
        first.blob(1).bytes, crypto::field_context(salon_, "bookings", "customer", first.i64(0))
    ));
    EXPECT_EQ(bookings_found("taro@example.jp"), 1);
}

TEST_P(DataKeys, RotateAllCoversThePlatformAndEveryLiveTenant) {
    const auto occ = event_occurrence();
    ASSERT_EQ(book_as(occ, "zq9x.canary@example.jp").status, 201);
    const auto other = id_->tenant("clinic", "boss@clinic.example");
    auto cli = crypto::Keyring::open(keys_dir(), false);
    ASSERT_TRUE(cli);
    auto all = rekey::rotate_all(tdb_->db(), **cli, {}, id_->clock.now());
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 3u) << "the platform, salon and clinic";
    EXPECT_EQ(all->front().code, "platform");
    for (const auto& r : *all) {
        EXPECT_EQ(r.generation, 2u) << r.code;
        EXPECT_EQ(r.left, 0) << r.code;
        EXPECT_EQ(r.dropped, 0) << r.code << ": older generations kept by default";
    }
    EXPECT_EQ((*cli)->tenant_keys(other)->generation, 2u);
    EXPECT_NO_THROW(signed_in_headers(server_->port(), "clinic", "boss@clinic.example"));
    EXPECT_EQ(bookings_found("zq9x.canary@example.jp"), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    DataKeys,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

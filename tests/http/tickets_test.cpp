// Signed tickets on both backends (issue 26): one per seat, signed with the tenant's published
// Ed25519 key and naming no person; mailed as inline QR images (read back with zbarimg from
// what a real SMTP server received) and printed as a PDF (pdftotext, QR codes read back);
// checked in once per ticket at a kiosk, online and from an offline device's kept scans (the
// first scan wins, a second admission is reported); forged, altered, revoked, other-tenant and
// out-of-window tickets refused and recorded; a move re-issues; a course's sessions each have
// their own; a rotated key keeps checking what it signed.

#include <gtest/gtest.h>

#include <algorithm>

#include "app/smtp.hpp"
#include "documents/pdf_text.hpp"
#include "domain/jobs/jobs.hpp"
#include "domain/mail/mail.hpp"
#include "domain/tickets/ticket.hpp"
#include "support/booking_fixture.hpp"
#include "support/smtp_sink.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;
using namespace std::chrono_literals;

namespace {

class Tickets : public BookingFixture {
protected:
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        event_ = offering(
            R"({"kind":"event","name":"春の演奏会","published":true,
                "ticket_types":[{"code":"adult","name":"一般","price_jpy":3000},
                                {"code":"child","name":"小人","price_jpy":1000}]})"
        );
        occurrence_ = session(event_, "2027-02-06T09:00:00.000+00:00", 10);
        auto token = call(
            "POST",
            "/api/v1/api-tokens",
            boss_,
            R"({"kind":"kiosk","name":"東口","scopes":["tenant.checkin"]})"
        );
        ASSERT_EQ(token.status, 201) << token.body;
        kiosk_ = "Authorization: Bearer " + str(token, "token") + "\r\n";
    }
    std::int64_t session(std::int64_t offering, const std::string& start, int capacity) {
        const auto s = *parse_rfc3339(start);
        return make(
            "/api/v1/offerings/" + std::to_string(offering) + "/occurrences",
            R"({"starts_at":")" + format_rfc3339(s, "UTC") + R"(","ends_at":")" +
                format_rfc3339(s + 2h, "UTC") + R"(","capacity":)" + std::to_string(capacity) + "}"
        );
    }
    std::string book_event(const std::string& tickets, const std::string& email) {
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occurrence_) + R"(,"tickets":)" + tickets +
            "," + customer(email) + "}"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    }
    // The booking's tickets as staff see them (revoked ones too).
    boost::json::array tickets(const std::string& ref) {
        auto r = call("GET", "/api/v1/bookings/" + ref + "/tickets", boss_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? parse(r).at("tickets").as_array() : boost::json::array{};
    }
    std::vector<std::string> live_tokens(const std::string& ref) {
        std::vector<std::string> out;
        for (const auto& t : tickets(ref))
            if (t.at("revoked_at").is_null()) out.emplace_back(t.at("token").as_string());
        return out;
    }
    HttpResult scan(const std::string& token, const std::string& device = "東口") {
        return call(
            "POST",
            "/api/v1/checkin/scans",
            kiosk_,
            boost::json::serialize(boost::json::object{{"token", token}, {"device", device}})
        );
    }
    std::string public_key(int key_id) {
        auto r = call("GET", "/api/v1/public/salon/ticket-keys", "");
        EXPECT_EQ(r.status, 200) << r.body;
        const auto body = parse(r);
        for (const auto& k : body.at("keys").as_array())
            if (k.at("key_id").as_int64() == key_id)
                return tickets::from_base64url(k.at("public_key").as_string()).value_or("");
        return {};
    }
    std::int64_t event_ = 0, occurrence_ = 0;
    std::string kiosk_;
};

// zbarimg reads the codes of one page in its own order.
std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// What a scan's answer says.
std::string outcome(const HttpResult& r) {
    return std::string(parse(r).at("outcome").as_string());
}

}  // namespace

TEST_P(Tickets, EverySeatGetsASignedTicketThatAdmitsOnce) {
    const auto ref = book_event(R"({"adult":2,"child":1})", "hanako@example.jp");
    const auto all = tickets(ref);
    ASSERT_EQ(all.size(), 3u);
    const auto key = public_key(1);
    ASSERT_EQ(key.size(), 32u) << "the public key is published";
    std::set<std::string> types;
    for (const auto& t : all) {
        const std::string token(t.at("token").as_string());
        EXPECT_TRUE(tickets::ticket_signed_by(token, key));
        auto c = tickets::read_ticket(token);
        ASSERT_TRUE(c);
        EXPECT_EQ(c->tenant, "salon");
        EXPECT_EQ(c->reference, ref);
        EXPECT_EQ(c->occurrence, occurrence_);
        types.insert(c->type);
        // No person in it: neither name nor address nor phone.
        const auto body = tickets::from_base64url(token.substr(4, token.rfind('.') - 4));
        ASSERT_TRUE(body);
        for (const char* personal : {"山田", "hanako", "090"})
            EXPECT_EQ(body->find(personal), std::string::npos) << personal;
    }
    EXPECT_EQ(types, (std::set<std::string>{"adult", "child"}));
    const std::string first(all.at(0).at("token").as_string());

    // Far before the start the ticket does not admit yet.
    auto early = scan(first);
    EXPECT_EQ(early.status, 422) << early.body;
    EXPECT_EQ(outcome(early), "not_valid_now");

    now_is("2027-02-06T08:30:00.000+00:00");
    auto in = scan(first);
    ASSERT_EQ(in.status, 200) << in.body;
    const auto j = parse(in);
    EXPECT_EQ(j.at("outcome"), "admitted");
    EXPECT_EQ(j.at("party"), 3);
    EXPECT_EQ(j.at("party_checked_in"), 1);
    EXPECT_EQ(j.at("ticket").at("offering_name"), "春の演奏会");
    EXPECT_FALSE(j.at("ticket").as_object().contains("token"));
    auto again = scan(first, "西口");
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(outcome(again), "used");
    EXPECT_EQ(parse(again).at("first_device"), "東口") << "where it was first used";
    EXPECT_EQ(parse(again).at("first_at"), "2027-02-06T08:30:00.000+00:00");
    auto booking = call("GET", "/api/v1/bookings/" + ref, boss_);
    EXPECT_EQ(parse(booking).at("status"), "checked_in");
    // The others still admit, once each.
    EXPECT_EQ(scan(std::string(all.at(1).at("token").as_string())).status, 200);
    auto roster =
        call("GET", "/api/v1/occurrences/" + std::to_string(occurrence_) + "/attendance", boss_);
    ASSERT_EQ(roster.status, 200) << roster.body;
    int in_count = 0;
    const auto listed = parse(roster);
    for (const auto& t : listed.at("tickets").as_array())
        in_count += t.at("checked_in_at").is_null() ? 0 : 1;
    EXPECT_EQ(in_count, 2);
    EXPECT_EQ(parse(roster).at("tickets").as_array().size(), 3u);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'ticket.checked_in'"), 2);
    EXPECT_EQ(call("POST", "/api/v1/checkin/scans", boss_, "{}").status, 400);

    // A party checked in by its reference has used its tickets.
    const auto party = book_event(R"({"adult":1})", "b@example.jp");
    ASSERT_EQ(call("POST", "/api/v1/bookings/" + party + "/check-in", kiosk_).status, 200);
    auto used = scan(live_tokens(party).at(0));
    EXPECT_EQ(used.status, 409) << used.body;
    EXPECT_EQ(parse(used).at("first_device"), "booking check-in");

    // The day's pack for an offline device: keys, and the day's tickets with their state.
    auto pack = call("GET", "/api/v1/checkin/pack?date=2027-02-06", kiosk_);
    ASSERT_EQ(pack.status, 200) << pack.body;
    const auto p = parse(pack);
    EXPECT_EQ(p.at("tenant_code"), "salon");
    EXPECT_EQ(p.at("keys").as_array().size(), 1u);
    EXPECT_EQ(p.at("tickets").as_array().size(), 4u);
    EXPECT_FALSE(p.at("tickets").at(0).as_object().contains("token")) << "no tokens to copy";
    EXPECT_EQ(
        parse(call("GET", "/api/v1/checkin/pack?date=2027-03-06", kiosk_))
            .at("tickets")
            .as_array()
            .size(),
        0u
    );
    EXPECT_EQ(call("GET", "/api/v1/checkin/pack?date=soon", kiosk_).status, 400);
}

TEST_P(Tickets, ThePrintedTicketsCarryTheSameCodesAndOnlyTheCustomerGetsThem) {
    const auto ref = book_event(R"({"adult":2})", "hanako@example.jp");
    const auto tokens = live_tokens(ref);
    ASSERT_EQ(tokens.size(), 2u);
    auto pdf = call("GET", "/api/v1/bookings/" + ref + "/tickets/pdf", boss_);
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    const auto text = documents::pdf_text(pdf.body);
    for (const std::string& want : std::vector<std::string>{
             "春の演奏会", "入場券", "一般", ref + "-1", ref + "-2", "2027年2月6日"})
        EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
    EXPECT_EQ(text.find("山田"), std::string::npos) << "no name on a ticket";
    EXPECT_EQ(sorted(documents::pdf_qr_codes(pdf.body)), sorted(tokens));

    const std::string path = "/api/v1/public/salon/bookings/" + ref + "/tickets";
    auto mine = request(server_->port(), "POST", path, kJson, R"({"email":"hanako@example.jp"})");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(parse(mine).at("tickets").as_array().size(), 2u);
    EXPECT_EQ(
        request(server_->port(), "POST", path, kJson, R"({"email":"other@example.jp"})").status, 404
    );
    auto printed =
        request(server_->port(), "POST", path + "/pdf", kJson, R"({"email":"hanako@example.jp"})");
    ASSERT_EQ(printed.status, 200);
    EXPECT_EQ(sorted(documents::pdf_qr_codes(printed.body)), sorted(tokens));
}

TEST_P(Tickets, ABookingFromBeforeTicketsGetsThemOnFirstSight) {
    const auto ref = book_event(R"({"adult":2})", "hanako@example.jp");
    // As a booking made before tickets existed (migration 0030): none.
    auto cleared = tdb_->db().write(storage::TenantScope(salon_), [&](storage::ScopedTx& stx) {
        return stx.tx().exec(
            "DELETE FROM tickets WHERE tenant_id = $1 AND booking_id = (SELECT id FROM bookings "
            "WHERE tenant_id = $1 AND reference = $2)",
            salon_,
            ref
        );
    });
    ASSERT_TRUE(cleared);
    ASSERT_EQ(scalar("SELECT count(*) FROM tickets"), 0);
    // The customer's page (or the staff's, the PDF) issues them, once.
    const std::string path = "/api/v1/public/salon/bookings/" + ref + "/tickets";
    auto mine = request(server_->port(), "POST", path, kJson, R"({"email":"hanako@example.jp"})");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(parse(mine).at("tickets").as_array().size(), 2u);
    EXPECT_EQ(live_tokens(ref).size(), 2u);
    EXPECT_EQ(scalar("SELECT count(*) FROM tickets"), 2) << "issued once";
    const auto claims = tickets::read_ticket(live_tokens(ref).front());
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->reference, ref);
    EXPECT_EQ(claims->occurrence, occurrence_);
}

TEST_P(Tickets, ForgedAlteredRevokedAndForeignTicketsAreRefusedAndRecorded) {
    now_is("2027-02-06T08:30:00.000+00:00");
    const auto ref = book_event(R"({"adult":1})", "hanako@example.jp");
    const auto token = live_tokens(ref).at(0);
    auto claims = *tickets::read_ticket(token);

    // The same claims under a key that is not the tenant's.
    auto forged = scan(tickets::sign_ticket(claims, crypto::SecretKey::random()));
    EXPECT_EQ(forged.status, 400) << forged.body;
    EXPECT_EQ(field(forged), "token");
    EXPECT_EQ(outcome(forged), "invalid");
    // Another seat written into a genuine ticket.
    claims.seat = "A-1";
    const auto altered_body = tickets::sign_ticket(claims, crypto::SecretKey::random());
    auto altered =
        scan(altered_body.substr(0, altered_body.rfind('.')) + token.substr(token.rfind('.')));
    EXPECT_EQ(altered.status, 400);
    EXPECT_EQ(scan("not a ticket").status, 400);

    // A ticket of another tenant, genuine there.
    const auto hall = id_->tenant("hall", "boss@hall.example");
    (void)hall;
    const auto hall_boss = signed_in_headers(server_->port(), "hall", "boss@hall.example");
    auto other = call(
        "POST",
        "/api/v1/offerings",
        hall_boss,
        R"({"kind":"event","name":"x","published":true,"ticket_types":[{"code":"a","name":"A","price_jpy":0}]})"
    );
    ASSERT_EQ(other.status, 201) << other.body;
    auto occ = call(
        "POST",
        "/api/v1/offerings/" + std::to_string(parse(other).at("id").as_int64()) + "/occurrences",
        hall_boss,
        R"({"starts_at":"2027-02-06T09:00:00.000+00:00","ends_at":"2027-02-06T10:00:00.000+00:00","capacity":5})"
    );
    ASSERT_EQ(occ.status, 201);
    auto theirs = request(
        server_->port(),
        "POST",
        "/api/v1/public/hall/bookings",
        kJson + "Idempotency-Key: hall-booking-1\r\n",
        R"({"occurrence_id":)" + std::to_string(parse(occ).at("id").as_int64()) +
            R"(,"tickets":{"a":1},)" + customer() + "}"
    );
    ASSERT_EQ(theirs.status, 201) << theirs.body;
    auto hall_tickets =
        call("GET", "/api/v1/bookings/" + str(theirs, "reference") + "/tickets", hall_boss);
    const std::string foreign(parse(hall_tickets).at("tickets").at(0).at("token").as_string());
    auto refused = scan(foreign);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(outcome(refused), "invalid");

    // Cancelled: revoked, on the occurrence's revocation list.
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    auto revoked = scan(token);
    EXPECT_EQ(revoked.status, 422) << revoked.body;
    EXPECT_EQ(outcome(revoked), "revoked");
    auto list =
        call("GET", "/api/v1/occurrences/" + std::to_string(occurrence_) + "/revocations", kiosk_);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(parse(list).at("version"), 1);
    EXPECT_EQ(parse(list).at("tickets").at(0).at("reference").as_string(), ref);

    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'ticket.refused'"), 5);
    auto problems = call("GET", "/api/v1/checkin/scans?problems=true", kiosk_);
    ASSERT_EQ(problems.status, 200) << problems.body;
    EXPECT_EQ(parse(problems).at("scans").as_array().size(), 5u);
    EXPECT_EQ(scalar("SELECT count(*) FROM ticket_scans WHERE outcome = 'admitted'"), 0);
}

TEST_P(Tickets, AMoveReissuesAndMailsTheNewCodes) {
    if (!smtp_sink_available()) {
        if (in_ci()) FAIL() << "python3-aiosmtpd is required";
        GTEST_SKIP() << "python3-aiosmtpd is not installed";
    }
    SmtpSink sink;
    app::SmtpOptions o;
    o.url = sink.url();
    o.from = "no-reply@salon.example";
    o.ca_file = sink.ca_file();
    app::SmtpSender sender(o);
    jobs::Worker relay(tdb_->db(), *id_->services->keyring, id_->clock);
    relay.handle("mail", mail::sending_handler(sender));

    const auto ref = book_event(R"({"adult":2})", "hanako@example.jp");
    const auto before = live_tokens(ref);
    ASSERT_TRUE(relay.run_once());
    auto mails = sink.wait_for(1, 10s);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_NE(mail_text(mails[0]).find("QRコード 2 枚"), std::string::npos) << mail_text(mails[0]);
    std::vector<std::string> codes;
    for (const auto& [cid, png] : mail_inline_images(mails[0])) {
        EXPECT_TRUE(cid.starts_with("ticket-")) << cid;
        for (auto& c : documents::png_qr_codes(png)) codes.push_back(c);
    }
    EXPECT_EQ(codes, before) << "the mail's images are the tickets";

    const auto later = session(event_, "2027-02-13T09:00:00.000+00:00", 10);
    auto moved = call(
        "POST",
        "/api/v1/bookings/" + ref + "/reschedule",
        boss_,
        R"({"occurrence_id":)" + std::to_string(later) + "}"
    );
    ASSERT_EQ(moved.status, 200) << moved.body;
    const auto after = live_tokens(ref);
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(tickets::read_ticket(after[0])->number, 3) << "new numbers";
    EXPECT_EQ(tickets::read_ticket(after[0])->occurrence, later);
    EXPECT_EQ(tickets(ref).size(), 4u);
    ASSERT_TRUE(relay.run_once());
    mails = sink.wait_for(2, 10s);
    ASSERT_EQ(mails.size(), 2u);
    codes.clear();
    for (const auto& [cid, png] : mail_inline_images(mails[1]))
        for (auto& c : documents::png_qr_codes(png)) codes.push_back(c);
    EXPECT_EQ(codes, after);
    now_is("2027-02-06T08:30:00.000+00:00");
    EXPECT_EQ(outcome(scan(before[0])), "revoked");
}

TEST_P(Tickets, OfflineScansSyncFirstWinsAndSecondAdmissionsAreReported) {
    const auto ref = book_event(R"({"adult":1})", "hanako@example.jp");
    const auto token = live_tokens(ref).at(0);
    now_is("2027-02-06T09:30:00.000+00:00");
    const auto scans = [&](const std::string& device, const std::string& at) {
        return boost::json::object{{"token", token}, {"device", device}, {"scanned_at", at}};
    };
    // West's kept scan reaches the server first, East's earlier one after it.
    auto west = call(
        "POST",
        "/api/v1/checkin/sync",
        kiosk_,
        boost::json::serialize(boost::json::object{
            {"scans", boost::json::array{scans("西口", "2027-02-06T08:55:00.000+00:00")}}})
    );
    ASSERT_EQ(west.status, 200) << west.body;
    EXPECT_EQ(parse(west).at("results").at(0).at("outcome"), "admitted");
    auto east = call(
        "POST",
        "/api/v1/checkin/sync",
        kiosk_,
        boost::json::serialize(boost::json::object{
            {"scans",
             boost::json::array{
                 scans("東口", "2027-02-06T08:50:00.000+00:00"),
                 scans("東口", "2027-02-06T09:10:00.000+00:00")}}})
    );
    ASSERT_EQ(east.status, 200) << east.body;
    const auto east_body = parse(east);
    const auto& results = east_body.at("results").as_array();
    EXPECT_EQ(results.at(0).at("outcome"), "conflict");
    EXPECT_EQ(results.at(0).at("first_device"), "東口") << "the earliest scan is the first";
    EXPECT_EQ(results.at(1).at("outcome"), "conflict");
    EXPECT_EQ(results.at(1).at("first_at"), "2027-02-06T08:50:00.000+00:00");
    const auto t = tickets(ref).at(0);
    EXPECT_EQ(t.at("checked_in_at"), "2027-02-06T08:50:00.000+00:00");
    EXPECT_EQ(t.at("checked_in_device"), "東口");
    auto problems = call("GET", "/api/v1/checkin/scans?problems=true", kiosk_);
    EXPECT_EQ(parse(problems).at("scans").as_array().size(), 2u);
    // A kept scan must say when it was made, and not from the future.
    auto undated = call(
        "POST", "/api/v1/checkin/sync", kiosk_, R"({"scans":[{"token":"x","device":"東口"}]})"
    );
    EXPECT_EQ(undated.status, 400);
    EXPECT_EQ(field(undated), "scans[0].scanned_at");
    auto future = call(
        "POST",
        "/api/v1/checkin/sync",
        kiosk_,
        boost::json::serialize(boost::json::object{
            {"scans", boost::json::array{scans("東口", "2027-02-07T09:10:00.000+00:00")}}})
    );
    EXPECT_EQ(future.status, 400);
}

TEST_P(Tickets, ACoursesSessionsEachHaveTheirTicketsAndARotatedKeyStillChecks) {
    const auto course = offering(
        R"({"kind":"course","name":"書道入門","published":true,
            "applications_close_at":"2027-02-01T00:00:00.000+00:00",
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":9000}]})"
    );
    const auto one = session(course, "2027-02-06T01:00:00.000+00:00", 5);
    const auto two = session(course, "2027-02-13T01:00:00.000+00:00", 5);
    auto a = book(
        R"({"offering_id":)" + std::to_string(course) + R"(,"tickets":{"adult":1},)" + customer() +
        "}"
    );
    ASSERT_EQ(a.status, 201) << a.body;
    const auto ref = str(a, "reference");
    const auto tokens = live_tokens(ref);
    ASSERT_EQ(tokens.size(), 2u) << "one per session";
    EXPECT_EQ(tickets::read_ticket(tokens[0])->occurrence, one);
    EXPECT_EQ(tickets::read_ticket(tokens[1])->occurrence, two);

    auto rotated = call("POST", "/api/v1/settings/ticket-keys/rotate", boss_);
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_EQ(parse(rotated).at("key_id"), 2);
    auto keys = parse(call("GET", "/api/v1/public/salon/ticket-keys", ""));
    ASSERT_EQ(keys.at("keys").as_array().size(), 2u);
    EXPECT_FALSE(keys.at("keys").at(0).at("retired_at").is_null());
    EXPECT_TRUE(keys.at("keys").at(1).at("retired_at").is_null());
    const auto fresh = book_event(R"({"adult":1})", "b@example.jp");
    EXPECT_EQ(tickets::read_ticket(live_tokens(fresh).at(0))->key_id, 2);

    // Session one's ticket admits on its day (signed by the retired key); session two's not yet.
    now_is("2027-02-06T00:45:00.000+00:00");
    EXPECT_EQ(scan(tokens[0]).status, 200);
    EXPECT_EQ(outcome(scan(tokens[1])), "not_valid_now");
    auto first = call("GET", "/api/v1/occurrences/" + std::to_string(one) + "/attendance", boss_);
    auto second = call("GET", "/api/v1/occurrences/" + std::to_string(two) + "/attendance", boss_);
    EXPECT_FALSE(parse(first).at("tickets").at(0).at("checked_in_at").is_null());
    EXPECT_TRUE(parse(second).at("tickets").at(0).at("checked_in_at").is_null());
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'tickets.key_rotated'"), 1);
}

TEST_P(Tickets, SeatsOfBookingsNotCheckedInAreReleasedAfterTheStart) {
    const auto show = offering(
        R"({"kind":"event","name":"当日券あり公演","published":true,"no_show_release_minutes":30,
            "ticket_types":[{"code":"adult","name":"一般","price_jpy":0}]})"
    );
    auto bad = call(
        "POST",
        "/api/v1/offerings",
        boss_,
        R"({"kind":"rental","name":"x","no_show_release_minutes":30})"
    );
    EXPECT_EQ(bad.status, 400);
    const auto occ = session(show, "2027-02-06T09:00:00.000+00:00", 2);
    const auto order = [&](const std::string& email) {
        auto r = book(
            R"({"occurrence_id":)" + std::to_string(occ) + R"(,"tickets":{"adult":1},)" +
            customer(email) + "}"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    };
    const auto absent = order("absent@example.jp");
    const auto present = order("present@example.jp");
    EXPECT_EQ(
        book(
            R"({"occurrence_id":)" + std::to_string(occ) + R"(,"tickets":{"adult":1},)" +
            customer("late@example.jp") + "}"
        )
            .status,
        409
    ) << "sold out";
    now_is("2027-02-06T08:50:00.000+00:00");
    ASSERT_EQ(scan(live_tokens(present).at(0)).status, 200);

    jobs::Worker w(tdb_->db(), *id_->services->keyring, id_->clock);
    w.handle("no_show", id_->services->bookings.no_show_handler());
    now_is("2027-02-06T09:20:00.000+00:00");
    ASSERT_TRUE(w.run_once());
    EXPECT_EQ(parse(call("GET", "/api/v1/bookings/" + absent, boss_)).at("status"), "confirmed")
        << "not yet: 30 minutes after the start";
    now_is("2027-02-06T09:31:00.000+00:00");
    auto run = w.run_once();
    ASSERT_TRUE(run);
    EXPECT_EQ(parse(call("GET", "/api/v1/bookings/" + absent, boss_)).at("status"), "no_show");
    EXPECT_EQ(parse(call("GET", "/api/v1/bookings/" + present, boss_)).at("status"), "checked_in");
    EXPECT_TRUE(live_tokens(absent).empty()) << "its tickets are revoked";
    EXPECT_EQ(
        scalar("SELECT count(*) FROM outbox WHERE topic = 'mail' AND kind = 'booking.no.show'"), 1
    ) << "the customer is told";
    EXPECT_EQ(scalar("SELECT taken FROM occurrences WHERE id = " + std::to_string(occ)), 1)
        << "its seat is free again";
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Tickets,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

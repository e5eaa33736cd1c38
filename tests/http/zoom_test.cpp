// Online meetings through the Zoom stand-in (tests/support/zoom_standin.py): a manager connects
// the venue's Zoom account (credentials Zoom refuses are not stored); each confirmed booking of
// an offering with Zoom meetings gets its own meeting, whose link reaches the customer and the
// booking, moved and deleted with the booking; Zoom's outages are retried, a revoked token
// replaced. Both databases.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "domain/jobs/jobs.hpp"
#include "support/booking_fixture.hpp"
#include "support/zoom_standin.hpp"

namespace yoyaku::testing {
namespace {

using namespace std::chrono_literals;

class Zoom : public BookingFixture {
protected:
    std::string zoom_base() const override { return zoom_.url(); }
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        worker_ = std::make_unique<jobs::Worker>(tdb_->db(), *(*id_)->keyring, id_->clock);
        worker_->handle("zoom", (*id_)->bookings.meeting_handler((*id_)->zoom_client));
        // The mails are read as queued (their sending is the mail tests').
        worker_->handle("mail", [this](const jobs::Job& job) -> Result<void> {
            mails_.emplace_back(job.kind, job.payload);
            return {};
        });
    }
    std::string credentials(const std::string& secret = ZoomStandIn::kClientSecret) const {
        return std::string(R"({"account_id":")") + ZoomStandIn::kAccountId + R"(","client_id":")" +
               ZoomStandIn::kClientId + R"(","client_secret":")" + secret + R"("})";
    }
    jobs::WorkerRun run_jobs() {
        auto r = worker_->run_once();
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : jobs::WorkerRun{};
    }
    boost::json::array meetings(const char* which = "meetings") const {
        return zoom_.control("meetings").at(which).as_array();
    }
    // An online consultation: an hour with one staff member, a Zoom meeting each.
    std::int64_t consultation(const std::string& name = "オンライン相談") {
        const auto staff = resource("staff", "");
        return offering(
            R"({"kind":"appointment","name":")" + name +
            R"(","published":true,"duration_minutes":60,"zoom_meetings":true,"resource_ids":[)" +
            std::to_string(staff) + "]}"
        );
    }
    std::string book_at(std::int64_t offering, const std::string& at) {
        auto r = book(
            R"({"offering_id":)" + std::to_string(offering) + R"(,"starts_at":")" + at + "\"," +
            customer() + "}"
        );
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? str(r, "reference") : "";
    }
    // Staff move booking `ref` to `at`.
    HttpResult move(const std::string& ref, const std::string& at) {
        return call(
            "POST",
            "/api/v1/bookings/" + ref + "/reschedule",
            boss_,
            R"({"starts_at":")" + at + "\"}"
        );
    }
    boost::json::object booking(const std::string& ref) {
        auto r = call("GET", "/api/v1/bookings/" + ref, boss_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? parse(r).as_object() : boost::json::object{};
    }

    ZoomStandIn zoom_;
    std::unique_ptr<jobs::Worker> worker_;
    std::vector<std::pair<std::string, std::string>> mails_;  ///< kind, payload
};

TEST_P(Zoom, AnOnlineAppointmentGetsItsOwnMeetingMovedAndDeletedWithTheBooking) {
    // Not before the venue's Zoom account is connected.
    const auto staff = resource("staff", "");
    auto early = call(
        "POST",
        "/api/v1/offerings",
        boss_,
        R"({"kind":"appointment","name":"相談","duration_minutes":60,"zoom_meetings":true,
            "resource_ids":[)" +
            std::to_string(staff) + "]}"
    );
    ASSERT_EQ(early.status, 400) << early.body;
    EXPECT_EQ(field(early), "zoom_meetings");

    // Credentials Zoom refuses are not stored.
    auto wrong = call("PUT", "/api/v1/settings/zoom", boss_, credentials("not-the-secret"));
    ASSERT_EQ(wrong.status, 400) << wrong.body;
    EXPECT_EQ(field(wrong), "client_secret");
    auto bad_id = call(
        "PUT",
        "/api/v1/settings/zoom",
        boss_,
        R"({"account_id":"a b","client_id":"c","client_secret":"s"})"
    );
    ASSERT_EQ(bad_id.status, 400) << bad_id.body;
    EXPECT_EQ(field(bad_id), "account_id");
    EXPECT_EQ(parse(call("GET", "/api/v1/settings/zoom", boss_)).at("configured"), false);

    auto set = call("PUT", "/api/v1/settings/zoom", boss_, credentials());
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(parse(set).at("configured"), true);
    EXPECT_EQ(parse(set).at("client_id").as_string(), ZoomStandIn::kClientId);
    EXPECT_EQ(set.body.find(ZoomStandIn::kClientSecret), std::string::npos) << "never shown";
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'zoom.connected'"), 1);
    EXPECT_EQ(
        scalar(
            std::string("SELECT count(*) FROM tenant_settings WHERE value LIKE '%") +
            ZoomStandIn::kClientSecret + "%'"
        ),
        0
    ) << "sealed";

    const auto offering = consultation();
    // Monday 18 January 10:00 in Tokyo.
    const auto ref = book_at(offering, "2027-01-18T01:00:00.000+00:00");
    ASSERT_FALSE(ref.empty());
    EXPECT_FALSE(booking(ref).contains("meeting_url")) << "not made yet";
    const auto first = run_jobs();
    EXPECT_GE(first.done, 1);
    EXPECT_EQ(first.failed, 0);
    auto held = meetings();
    ASSERT_EQ(held.size(), 1u);
    const auto& m = held[0].as_object();
    EXPECT_EQ(m.at("topic").as_string(), "オンライン相談");
    EXPECT_EQ(m.at("start_time").as_string(), "2027-01-18T01:00:00Z");
    EXPECT_EQ(m.at("duration").as_int64(), 60);
    EXPECT_EQ(m.at("type").as_int64(), 2);
    EXPECT_EQ(m.at("settings").at("waiting_room"), true);
    const std::string join_url(m.at("join_url").as_string());
    const auto meeting_id = m.at("id").as_int64();
    EXPECT_EQ(booking(ref).at("meeting_url").as_string(), join_url);

    // The link goes to the customer (with the calendar event that now carries it).
    run_jobs();
    const auto mailed = std::find_if(mails_.begin(), mails_.end(), [](const auto& mail) {
        return mail.first == "booking.meeting";
    });
    ASSERT_NE(mailed, mails_.end());
    EXPECT_NE(mailed->second.find(join_url), std::string::npos) << mailed->second;
    EXPECT_NE(mailed->second.find("\"booking.ics\""), std::string::npos) << "the calendar event";
    EXPECT_EQ(run_jobs().done, 0) << "nothing left to do";

    // Moved: the same meeting, at the new time.
    auto moved = move(ref, "2027-01-18T02:00:00.000+00:00");
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_GE(run_jobs().done, 1);
    held = meetings();
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].at("id").as_int64(), meeting_id);
    EXPECT_EQ(held[0].at("start_time").as_string(), "2027-01-18T02:00:00Z");
    EXPECT_EQ(booking(ref).at("meeting_url").as_string(), join_url);

    // Cancelled: the meeting is deleted at Zoom and the link leaves the booking.
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    EXPECT_GE(run_jobs().done, 1);
    EXPECT_TRUE(meetings().empty());
    ASSERT_EQ(meetings("deleted").size(), 1u);
    EXPECT_EQ(meetings("deleted")[0].at("id").as_int64(), meeting_id);
    EXPECT_FALSE(booking(ref).contains("meeting_url"));
    EXPECT_EQ(run_jobs().done, 0);
}

TEST_P(Zoom, AnOutageIsRetriedAndARevokedTokenReplaced) {
    ASSERT_EQ(call("PUT", "/api/v1/settings/zoom", boss_, credentials()).status, 200);
    // The longest name an offering may have (200 characters, 600 bytes): the meeting's topic
    // whole, never cut inside a character.
    std::string longest = "オンライン相談";
    while (longest.size() < 600) longest += "会";
    const auto offering = consultation(longest);
    const auto ref = book_at(offering, "2027-01-18T01:00:00.000+00:00");
    ASSERT_FALSE(ref.empty());

    // Zoom is down: the job waits and tries again; no meeting, no link meanwhile.
    zoom_.control("fail?status=503");
    EXPECT_EQ(run_jobs().retried, 1);
    EXPECT_TRUE(meetings().empty());
    EXPECT_FALSE(booking(ref).contains("meeting_url"));
    id_->clock.advance(5min);
    EXPECT_GE(run_jobs().done, 1);
    ASSERT_EQ(meetings().size(), 1u);
    EXPECT_EQ(meetings()[0].at("topic").as_string(), longest);
    EXPECT_EQ(zoom_.control("token_requests").at("count").as_int64(), 2) << "check + first";

    // Zoom no longer takes the token it issued: a new one is asked for once, the move goes.
    zoom_.control("revoke");
    boss_ = signed_in_headers(server_->port(), "salon", "boss@salon.example");
    auto moved = move(ref, "2027-01-18T02:00:00.000+00:00");
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_GE(run_jobs().done, 1);
    EXPECT_EQ(meetings()[0].at("start_time").as_string(), "2027-01-18T02:00:00Z");
    EXPECT_EQ(zoom_.control("token_requests").at("count").as_int64(), 3);

    // Disconnected: a cancellation forgets the meeting here (Zoom's to end) without failing.
    ASSERT_EQ(call("DELETE", "/api/v1/settings/zoom", boss_).status, 204);
    ASSERT_EQ(call("DELETE", "/api/v1/bookings/" + ref, boss_).status, 200);
    const auto last = run_jobs();
    EXPECT_EQ(last.failed, 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM booking_meetings WHERE meeting_id IS NULL"), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Zoom,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

}  // namespace
}  // namespace yoyaku::testing

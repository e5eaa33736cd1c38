// Registered groups (利用団体, issue 27) through the API on both backends: a customer registers
// an organisation with documents (sealed, type-checked, size-limited), staff approve it with a
// user class for a year, bookings made as the group take its class, renewal, expiry.

#include "crypto/random.hpp"
#include "support/booking_fixture.hpp"

using namespace yoyaku;
using namespace yoyaku::testing;

namespace {

const std::string kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

class Groups : public BookingFixture {
protected:
    void SetUp() override {
        BookingFixture::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        taro_id_ = id_->account(salon_, access::Role::customer, "taro@example.jp");
        id_->account(salon_, access::Role::customer, "jiro@example.jp");
        taro_ = signed_in_headers(server_->port(), "salon", "taro@example.jp");
        jiro_ = signed_in_headers(server_->port(), "salon", "jiro@example.jp");
    }
    static std::string registration(const std::string& name = "緑町合唱団") {
        return R"({"name":")" + name +
               R"(","details":{"representative":"山田 太郎","phone":"03-1234-5678",
                  "members":["山田 太郎","佐藤 花子"]},"member_count":12})";
    }
    HttpResult upload(
        const std::string& who,
        std::int64_t group,
        const std::string& type,
        const std::string& bytes,
        const std::string& name = "kiyaku.pdf"
    ) {
        return call(
            "POST",
            "/api/v1/me/groups/" + std::to_string(group) + "/documents",
            who,
            R"({"filename":")" + name + R"(","content_type":")" + type + R"(","data":")" +
                crypto::to_base64(bytes) + R"("})"
        );
    }
    std::int64_t klass(const std::string& name, int percent) {
        return make(
            "/api/v1/user-classes",
            R"({"name":")" + name + R"(","price_percent":)" + std::to_string(percent) + "}"
        );
    }
    AccountId taro_id_;
    std::string taro_, jiro_;
};

}  // namespace

TEST_P(Groups, ACustomerRegistersAGroupStaffApproveItAndItBooksAtItsClass) {
    auto hook = call(
        "POST",
        "/api/v1/webhooks",
        boss_,
        R"({"url":"https://hooks.example.jp/groups","events":["group.registered","group.approved"]})"
    );
    ASSERT_EQ(hook.status, 201) << hook.body;
    auto made = call("POST", "/api/v1/me/groups", taro_, registration());
    ASSERT_EQ(made.status, 201) << made.body;
    const auto g = parse(made);
    const auto group = g.at("id").as_int64();
    EXPECT_EQ(g.at("status").as_string(), "pending");
    EXPECT_EQ(g.at("details").at("members").as_array().size(), 2u);
    // The people are sealed at rest; the name (printed on permits) is not.
    EXPECT_EQ(scalar("SELECT count(*) FROM customer_groups WHERE name = '緑町合唱団'"), 1);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM customer_groups WHERE CAST(details_sealed AS TEXT) LIKE '%山田%'"
        ),
        0
    );

    // Documents: a PDF accepted and sealed; a type that lies, an executable, too big: refused.
    auto doc = upload(taro_, group, "application/pdf", kPdf);
    ASSERT_EQ(doc.status, 201) << doc.body;
    EXPECT_EQ(parse(doc).at("size").as_int64(), static_cast<std::int64_t>(kPdf.size()));
    EXPECT_EQ(field(upload(taro_, group, "image/png", kPdf)), "data");
    EXPECT_EQ(field(upload(taro_, group, "application/x-msdownload", "MZ\x90")), "content_type");
    auto big = upload(taro_, group, "application/pdf", "%PDF-" + std::string(716800, 'x'));
    EXPECT_EQ(big.status, 400) << big.body;
    EXPECT_EQ(field(upload(taro_, group, "application/pdf", kPdf, "scans/kiyaku.pdf")), "filename");
    EXPECT_EQ(upload(taro_, group, "application/pdf", kPdf, "../../etc/passwd").status, 403)
        << "an attack: the WAF refuses it";
    EXPECT_EQ(upload(jiro_, group, "application/pdf", kPdf).status, 404) << "another's group";
    EXPECT_EQ(scalar("SELECT count(*) FROM group_documents"), 1);
    EXPECT_EQ(
        scalar("SELECT count(*) FROM group_documents WHERE CAST(body_sealed AS TEXT) LIKE '%PDF%'"),
        0
    );
    const auto doc_id = std::to_string(parse(doc).at("id").as_int64());
    auto back =
        call("GET", "/api/v1/groups/" + std::to_string(group) + "/documents/" + doc_id, boss_);
    ASSERT_EQ(back.status, 200);
    EXPECT_EQ(back.body, kPdf);
    EXPECT_EQ(
        call("GET", "/api/v1/me/groups/" + std::to_string(group) + "/documents/" + doc_id, jiro_)
            .status,
        404
    );

    // A booking as a group waiting for approval is refused, naming group_id.
    const auto room = resource("room", "", kEveryDay);
    const auto rent = offering(
        R"({"kind":"rental","name":"会議室","published":true,"duration_minutes":60,
            "price_jpy":2000,"min_blocks":1,"max_blocks":3,"resource_ids":[)" +
        std::to_string(room) + "]}"
    );
    const auto at = [&](const std::string& t, const std::string& extra) {
        return R"({"offering_id":)" + std::to_string(rent) + R"(,"starts_at":")" + t +
               R"(","blocks":1,)" + extra + customer("taro@example.jp") + "}";
    };
    const auto as_group = R"("group_id":)" + std::to_string(group) + ",";
    auto early = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        taro_ + kJson + "Idempotency-Key: group-early\r\n",
        at("2027-01-18T00:00:00.000+00:00", as_group)
    );
    EXPECT_EQ(early.status, 400) << early.body;
    EXPECT_EQ(field(early), "group_id");

    // Staff approve it in the residents' class (half price) for a year.
    const auto residents = klass("市内団体", 50);
    EXPECT_EQ(
        field(call(
            "POST",
            "/api/v1/groups/" + std::to_string(group) + "/decision",
            boss_,
            R"({"approve":true,"user_class_id":999999})"
        )),
        "user_class_id"
    );
    auto approved = call(
        "POST",
        "/api/v1/groups/" + std::to_string(group) + "/decision",
        boss_,
        R"({"approve":true,"user_class_id":)" + std::to_string(residents) +
            R"(,"note":"規約確認済"})"
    );
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(parse(approved).at("status").as_string(), "approved");
    EXPECT_EQ(parse(approved).at("expires_at").as_string(), "2028-01-15T08:00:00.000+00:00");
    EXPECT_EQ(
        call(
            "POST",
            "/api/v1/groups/" + std::to_string(group) + "/decision",
            boss_,
            R"({"approve":false})"
        )
            .status,
        422
    ) << "decided already";

    auto booked = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        taro_ + kJson + "Idempotency-Key: group-booked\r\n",
        at("2027-01-18T00:00:00.000+00:00", as_group)
    );
    ASSERT_EQ(booked.status, 201) << booked.body;
    EXPECT_EQ(parse(booked).at("total_jpy").as_int64(), 1000) << "the group's class";
    EXPECT_EQ(parse(booked).at("group_id").as_int64(), group);
    auto self = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        taro_ + kJson + "Idempotency-Key: self-booked\r\n",
        at("2027-01-18T01:00:00.000+00:00", "")
    );
    ASSERT_EQ(self.status, 201) << self.body;
    EXPECT_EQ(parse(self).at("total_jpy").as_int64(), 2000) << "as himself: no class";
    auto stranger = request(
        server_->port(),
        "POST",
        "/api/v1/public/salon/bookings",
        jiro_ + kJson + "Idempotency-Key: jiro-as-group\r\n",
        R"({"offering_id":)" + std::to_string(rent) +
            R"(,"starts_at":"2027-01-18T02:00:00.000+00:00","blocks":1,)" + as_group +
            customer("jiro@example.jp") + "}"
    );
    EXPECT_EQ(field(stranger), "group_id") << "not his group";

    // A year on the registration has expired; a renewal waits for staff, who add a year.
    now_is("2028-01-16T00:00:00.000+00:00");
    taro_ = signed_in_headers(server_->port(), "salon", "taro@example.jp");
    auto mine = parse(call("GET", "/api/v1/me/groups", taro_));
    EXPECT_EQ(mine.at("groups").at(0).at("status").as_string(), "expired");
    auto renewed = call(
        "POST",
        "/api/v1/me/groups/" + std::to_string(group) + "/renewal",
        taro_,
        R"({"registration":)" + registration("緑町混声合唱団") + "}"
    );
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    EXPECT_EQ(parse(renewed).at("status").as_string(), "pending");
    EXPECT_EQ(parse(renewed).at("name").as_string(), "緑町混声合唱団");
    EXPECT_EQ(
        call("POST", "/api/v1/me/groups/" + std::to_string(group) + "/renewal", taro_, "{}").status,
        422
    );
    auto pending = parse(call("GET", "/api/v1/groups?status=pending", boss_));
    ASSERT_EQ(pending.at("groups").as_array().size(), 1u);
    auto again = call(
        "POST",
        "/api/v1/groups/" + std::to_string(group) + "/decision",
        boss_,
        R"({"approve":true,"user_class_id":)" + std::to_string(residents) + "}"
    );
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(parse(again).at("expires_at").as_string(), "2029-01-15T00:00:00.000+00:00");
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM audit_log WHERE action IN ('group.registered', 'group.document_added', 'group.approved', 'group.renewal_requested')"
        ),
        5
    );
    // The office's systems heard of the registration and both approvals (and nothing else).
    EXPECT_EQ(
        scalar("SELECT count(*) FROM outbox WHERE topic = 'webhook' AND kind = 'group.registered'"),
        1
    );
    EXPECT_EQ(
        scalar("SELECT count(*) FROM outbox WHERE topic = 'webhook' AND kind = 'group.approved'"), 2
    );
    EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE topic = 'webhook'"), 3);
}

TEST_P(Groups, BadRegistrationsNameTheFieldAndStoreNothing) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {R"({"name":"","details":{"representative":"A"},"member_count":1})", "name"},
        {R"({"name":"X","details":{"representative":""},"member_count":1})",
         "details.representative"},
        {R"({"name":"X","details":{"representative":"A","members":["a","b"]},"member_count":1})",
         "member_count"},
        {R"({"name":"X","details":{"representative":"A"},"member_count":0})", "member_count"},
        {R"({"name":"X","details":{"representative":"A","fax":"1"},"member_count":1})",
         "details.fax"},
        {R"({"name":"X","member_count":1})", "details"},
    };
    for (const auto& [body, f] : bad) {
        auto r = call("POST", "/api/v1/me/groups", taro_, body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(field(r), f) << body;
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM customer_groups"), 0);
    EXPECT_EQ(call("POST", "/api/v1/me/groups", boss_, registration()).status, 403)
        << "customers only";
    EXPECT_EQ(call("GET", "/api/v1/groups", taro_).status, 403) << "staff only";
}

INSTANTIATE_TEST_SUITE_P(
    Backends,
    Groups,
    ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
    backend_name
);

// Posting queued LINE messages (the "line" job handler): pushes, replies, link offers and a
// segment message's multicast batches, with a LINE-only customer's mail as the fallback.

#include <boost/json.hpp>

#include "crypto/hash.hpp"
#include "domain/line/broadcast.hpp"
#include "domain/line/line.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;

constexpr std::string_view kTokenKey = "line.channel_token";

// A UUID-shaped retry key, the same for every attempt of one job.
std::string retry_key(const jobs::Job& job) {
    auto h = crypto::blake2b_256_hex(
        "yoyaku/line-retry/v1\n" + std::to_string(job.tenant.value) + ":" + to_string(job.id)
    );
    h[12] = '4';                                                  // version 4
    h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];  // RFC 4122 variant
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

struct Answer {
    int status = 0;
    std::string body;
};

Result<Answer> call_line(
    outbound::Transport& transport,
    const std::string& url,
    const std::string& token,
    const std::string& body,
    const std::string& retry_key
) {
    outbound::HttpCall call;
    call.method = "POST";
    call.url = url;
    call.body = body;
    call.headers = {
        {"Content-Type", "application/json"},
        {"Authorization", "Bearer " + token},
        {"User-Agent", "Yoyaku-LINE/1"}};
    if (!retry_key.empty()) call.headers.emplace_back("X-Line-Retry-Key", retry_key);
    YOYAKU_TRY_ASSIGN(auto reply, transport.send(call));
    if ((reply.status >= 200 && reply.status < 300) || reply.status == 409)
        return Answer{reply.status, std::move(reply.body)};
    if (reply.status == 429 || reply.status >= 500)
        return Error::unavailable("LINE answered HTTP " + std::to_string(reply.status));
    return Error::invalid("line", "LINE refused the request: HTTP " + std::to_string(reply.status));
}

// A friend LINE does not know here yet: a button to the booking site's link page, with a link
// token LINE issued for that user (valid 10 minutes, so it is asked for when the job runs).
Result<boost::json::object> link_offer(
    outbound::Transport& transport,
    const std::string& base,
    const std::string& token,
    std::string_view to,
    std::string_view page
) {
    YOYAKU_TRY_ASSIGN(
        const auto issued,
        call_line(transport, base + "/v2/bot/user/" + std::string(to) + "/linkToken", token, "", "")
    );
    boost::system::error_code ec;
    const auto v = boost::json::parse(issued.body, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* link = o ? o->if_contains("linkToken") : nullptr;
    if (!link || !link->is_string()) return Error::unavailable("LINE gave no link token");
    const std::string uri = std::string(page) + "?linkToken=" + std::string(link->get_string());
    return boost::json::object{
        {"type", "template"},
        {"altText", "会員アカウントとLINEを連携できます / Link your account: " + uri},
        {"template",
         {{"type", "buttons"},
          {"text", "ご予約のお知らせをLINEで受け取るには、会員アカウントと連携してください。"},
          {"actions",
           boost::json::array{{{"type", "uri"}, {"label", "連携する"}, {"uri", uri}}}}}}};
}

// A LINE-only customer's message that LINE will not take: its mail goes instead, and the push
// is recorded as failed with `why`.
Result<void> mail_instead(
    storage::Database& db,
    crypto::Keyring& keys,
    const jobs::Job& job,
    const boost::json::object* mail,
    const Error& why,
    Instant now
) {
    if (!mail) return fail(why);
    const auto* kind = mail->if_contains("kind");
    const auto* ref = mail->if_contains("ref");
    const auto* payload = mail->if_contains("payload");
    if (!kind || !kind->is_string() || !ref || !ref->is_string() || !payload ||
        !payload->is_string())
        return fail(why);
    YOYAKU_TRY(db.write(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
        jobs::NewJob m;
        m.topic = "mail";
        m.kind = std::string(kind->get_string());
        m.ref = std::string(ref->get_string());
        m.payload = std::string(payload->get_string());
        m.run_at = now;
        YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, job.tenant, m, now));
        return {};
    }));
    return Error::invalid("line", why.message + "; mailed instead");
}

// One batch of a segment message (broadcast.hpp): LINE's multicast, counted when LINE takes
// or refuses it; waited out while LINE is busy or limiting the rate (429).
Result<void> send_multicast(
    storage::Database& db,
    crypto::Keyring& keys,
    outbound::Transport& transport,
    const std::string& base,
    const jobs::Job& job,
    const boost::json::object& o,
    Instant now
) {
    const auto& to = o.at("multicast").get_array();
    const auto* messages = o.if_contains("messages");
    const auto* broadcast = o.if_contains("broadcast");
    if (to.empty() || to.size() > kMulticastSize || !messages || !messages->is_array() ||
        !broadcast || !broadcast->is_int64())
        return Error::invalid("payload", "not a queued LINE multicast");
    const BroadcastId id{broadcast->get_int64()};
    const int n = static_cast<int>(to.size());
    std::optional<std::string> token;
    YOYAKU_TRY(db.read(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto t, open_setting(stx, keys, kTokenKey));
        token = std::move(t);
        return {};
    }));
    if (!token) {
        YOYAKU_TRY(count_batch(db, job.tenant, id, 0, n, now));
        return Error::invalid("channel", "the tenant removed its LINE channel");
    }
    auto sent = call_line(
        transport,
        base + "/v2/bot/message/multicast",
        *token,
        boost::json::serialize(boost::json::object{{"to", to}, {"messages", *messages}}),
        retry_key(job)
    );
    if (sent) return count_batch(db, job.tenant, id, n, 0, now);
    if (sent.error().code == Errc::unavailable && job.attempt < kBroadcastAttempts)
        return fail(sent.error());
    YOYAKU_TRY(count_batch(db, job.tenant, id, 0, n, now));
    return Error::invalid("line", sent.error().message);
}

}  // namespace

jobs::Handler push_handler(
    storage::Database& db,
    crypto::Keyring& keys,
    outbound::Transport& transport,
    std::string api_base_url,
    const Clock& clock
) {
    while (!api_base_url.empty() && api_base_url.back() == '/') api_base_url.pop_back();
    return [&db, &keys, &transport, &clock, base = std::move(api_base_url)](const jobs::Job& job
           ) -> Result<void> {
        boost::system::error_code ec;
        auto v = boost::json::parse(job.payload, ec);
        const auto* o = ec ? nullptr : v.if_object();
        const auto field = [&](std::string_view key) { return o ? o->if_contains(key) : nullptr; };
        if (const auto* multicast = field("multicast"); multicast && multicast->is_array())
            return send_multicast(db, keys, transport, base, job, *o, clock.now());
        const auto* to = field("to");
        const auto* text = field("text");
        const auto* page = field("link_page");
        const auto* queued = field("message");
        const auto* reply_token = field("reply_token");
        const auto* mail = field("mail");
        if (!to || !to->is_string() ||
            !((text && text->is_string()) || (page && page->is_string()) ||
              (queued && queued->is_object())))
            return Error::invalid("payload", "not a queued LINE message");
        const auto* fallback = mail && mail->is_object() ? &mail->get_object() : nullptr;
        std::optional<std::string> token;
        YOYAKU_TRY(db.read(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(auto t, open_setting(stx, keys, kTokenKey));
            token = std::move(t);
            return {};
        }));
        if (!token)
            return mail_instead(
                db,
                keys,
                job,
                fallback,
                Error::invalid("channel", "the tenant removed its LINE channel"),
                clock.now()
            );
        boost::json::object message;
        if (page) {
            YOYAKU_TRY_ASSIGN(
                message, link_offer(transport, base, *token, to->get_string(), page->get_string())
            );
        } else if (queued && queued->is_object()) {
            message = queued->get_object();
        } else {
            message = {{"type", "text"}, {"text", text->get_string()}};
        }
        if (reply_token && reply_token->is_string()) {
            // Free, but only for about a minute: a reply LINE no longer takes is pushed.
            auto replied = call_line(
                transport,
                base + "/v2/bot/message/reply",
                *token,
                boost::json::serialize(boost::json::object{
                    {"replyToken", reply_token->get_string()},
                    {"messages", boost::json::array{message}}}),
                ""
            );
            if (replied || replied.error().code == Errc::unavailable)
                return replied ? Result<void>{} : fail(replied.error());
        }
        const auto body = boost::json::serialize(boost::json::object{
            {"to", to->get_string()}, {"messages", boost::json::array{std::move(message)}}});
        auto sent =
            call_line(transport, base + "/v2/bot/message/push", *token, body, retry_key(job));
        if (sent) return {};
        if (sent.error().code == Errc::unavailable && job.attempt < kMailAfterAttempts)
            return fail(sent.error());
        return mail_instead(db, keys, job, fallback, sent.error(), clock.now());
    };
}

}  // namespace yoyaku::line

#include "domain/line/broadcast.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/sealing.hpp"
#include "domain/line/broadcast_store.hpp"
#include "domain/line/line.hpp"
#include "domain/tenants/tenant_setting_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;

constexpr std::size_t kPreviewNames = 20;

// The message as given, checked (the segment's conditions name their fields "segment.*").
Result<BroadcastInput> check(ScopedTx& stx, BroadcastInput in, Instant now) {
    const bool utf8 = text::is_valid_utf8(in.text);
    auto nfc = utf8 ? text::to_nfc(in.text) : std::nullopt;
    if (!nfc || text::has_control_chars(*nfc, true))
        return Error::invalid("text", "must be text without control characters");
    in.text = std::move(*nfc);
    const auto chars = text::code_points(in.text);
    if (in.text.find_first_not_of(" \n\t") == std::string::npos || chars > kMaxText)
        return Error::invalid("text", "must be 1 to " + std::to_string(kMaxText) + " characters");
    if (!in.image_url.empty())
        if (auto problem = text::https_url_problem(in.image_url, 2000); !problem.empty())
            return Error::invalid("image_url", "the picture: " + problem);
    if (in.offering_button) {
        YOYAKU_TRY_ASSIGN(
            const bool found, BroadcastStore(stx).offering_exists(*in.offering_button)
        );
        if (!found) return Error::invalid("offering_button", "no offering has this id");
    }
    auto& s = in.segment;
    if (s.offering) {
        YOYAKU_TRY_ASSIGN(const bool found, BroadcastStore(stx).offering_exists(*s.offering));
        if (!found) return Error::invalid("segment.offering", "no offering has this id");
    }
    if (s.from && s.to && *s.to <= *s.from)
        return Error::invalid("segment.to", "must be after segment.from");
    for (std::size_t i = 0; i < s.statuses.size(); ++i)
        if (std::find(kSegmentStatuses.begin(), kSegmentStatuses.end(), s.statuses[i]) ==
            kSegmentStatuses.end())
            return Error::invalid(
                "segment.statuses[" + std::to_string(i) + "]",
                "must be pending, confirmed, cancelled, checked_in or no_show"
            );
    if (s.user_class) {
        YOYAKU_TRY_ASSIGN(const bool found, BroadcastStore(stx).user_class_exists(*s.user_class));
        if (!found) return Error::invalid("segment.user_class", "no user class has this id");
    }
    if (!s.tag.empty()) {
        auto tag = text::check_line(s.tag, 1, 40);
        if (!tag.value) return Error::invalid("segment.tag", tag.problem);
        s.tag = *tag.value;
    }
    if (s.min_bookings < 0 || s.min_bookings > 1000)
        return Error::invalid("segment.min_bookings", "must be 0 to 1000");
    if (in.send_at) {
        if (*in.send_at < now - std::chrono::minutes(1))
            return Error::invalid("send_at", "is in the past");
        if (*in.send_at > now + std::chrono::days(366))
            return Error::invalid("send_at", "must be within a year");
    }
    return in;
}

// The LINE messages: the text, after its picture; with a booking button, one card holding
// picture, text and button.
Result<boost::json::array> messages(
    ScopedTx& stx, const BroadcastInput& in, std::string_view site
) {
    boost::json::array out;
    if (in.offering_button) {
        YOYAKU_TRY_ASSIGN(const auto profile, tenants::TenantStore(stx).find_profile());
        const bool ja = profile.locale != "en";
        boost::json::object bubble{
            {"type", "bubble"},
            {"body",
             {{"type", "box"},
              {"layout", "vertical"},
              {"contents",
               boost::json::array{
                   {{"type", "text"}, {"text", profile.name}, {"size", "xs"}, {"color", "#888888"}},
                   {{"type", "text"},
                    {"text", cut(in.text, 2000)},
                    {"wrap", true},
                    {"margin", "md"}}}}}},
            {"footer",
             {{"type", "box"},
              {"layout", "vertical"},
              {"contents",
               boost::json::array{
                   {{"type", "button"},
                    {"style", "primary"},
                    {"action",
                     {{"type", "uri"},
                      {"label", ja ? "予約する" : "Book"},
                      {"uri",
                       std::string(site) + "/t/" + profile.code + "/o/" +
                           std::to_string(in.offering_button->value)}}}}}}}}};
        if (!in.image_url.empty())
            bubble["hero"] = {
                {"type", "image"},
                {"url", in.image_url},
                {"size", "full"},
                {"aspectMode", "cover"},
                {"aspectRatio", "20:13"}};
        out.push_back(
            {{"type", "flex"}, {"altText", cut(in.text, kMaxAltText)}, {"contents", bubble}}
        );
        return out;
    }
    if (!in.image_url.empty())
        out.push_back(
            {{"type", "image"},
             {"originalContentUrl", in.image_url},
             {"previewImageUrl", in.image_url}}
        );
    out.push_back({{"type", "text"}, {"text", in.text}});
    return out;
}

std::string user_context(TenantId tenant, AccountId account, std::string_view field) {
    return crypto::field_context(tenant, "accounts", field, account);
}

}  // namespace

BroadcastService::BroadcastService(
    storage::Database& db, crypto::Keyring& keys, const Clock& clock, std::string public_url
)
    : db_(db), keys_(keys), clock_(clock), public_url_(std::move(public_url)) {}

Result<BroadcastPreview> BroadcastService::preview(TenantId tenant, const BroadcastInput& given) {
    const Instant now = clock_.now();
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<BroadcastPreview> {
        YOYAKU_TRY_ASSIGN(const auto in, check(stx, given, now));
        YOYAKU_TRY_ASSIGN(const auto who, BroadcastStore(stx).recipients(in.segment));
        YOYAKU_TRY_ASSIGN(const auto k, keys_.tenant_keys(tenant));
        BroadcastPreview p;
        p.recipients = static_cast<int>(who.size());
        for (std::size_t i = 0; i < who.size() && i < kPreviewNames; ++i) {
            auto name = k.open(who[i].name_sealed, user_context(tenant, who[i].id, "name"));
            if (!name) return Error::internal("a customer's name does not open");
            p.names.push_back(std::move(*name));
        }
        YOYAKU_TRY_ASSIGN(const auto m, messages(stx, in, public_url_));
        p.message = boost::json::serialize(m);
        return p;
    });
}

Result<Broadcast> BroadcastService::create(
    TenantId tenant,
    const BroadcastInput& given,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Broadcast> {
        YOYAKU_TRY_ASSIGN(
            const auto channel, tenants::TenantSettingStore(stx).find("line.channel_token")
        );
        if (!channel)
            return Error{
                Errc::unprocessable, "set the LINE channel access token first", "line", {}};
        YOYAKU_TRY_ASSIGN(const auto in, check(stx, given, now));
        const Instant send_at = std::max(in.send_at.value_or(now), now);
        BroadcastStore store(stx);
        YOYAKU_TRY_ASSIGN(const BroadcastId id, store.insert(in, send_at, now));
        jobs::NewJob job;
        job.topic = "line_broadcast";
        job.kind = "line.broadcast";
        job.payload = boost::json::serialize(boost::json::object{{"broadcast", id.value}});
        job.run_at = send_at;
        job.ref = "broadcast:" + to_string(id);
        YOYAKU_TRY(jobs::enqueue(stx.tx(), keys_, tenant, job, now));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"line.broadcast_created",
             "broadcast:" + to_string(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"send_at", to_micros(send_at)}, {"filter", segment_json(in.segment)}})},
            now
        ));
        return store.find(id);
    });
}

Result<std::vector<Broadcast>> BroadcastService::list(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) {
        return BroadcastStore(stx).list(200);
    });
}

Result<Broadcast> BroadcastService::find(TenantId tenant, BroadcastId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return BroadcastStore(stx).find(id);
    });
}

Result<Broadcast> BroadcastService::cancel(
    TenantId tenant, BroadcastId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Broadcast> {
        BroadcastStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto before, store.find(id));
        if (before.status != BroadcastStatus::scheduled)
            return Error{Errc::conflict, "the message is being sent or was sent", "status", {}};
        YOYAKU_TRY(store.cancel(id));
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"line.broadcast_cancelled", "broadcast:" + to_string(id)}, now
        ));
        return store.find(id);
    });
}

jobs::Handler BroadcastService::send_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        boost::system::error_code ec;
        const auto v = boost::json::parse(job.payload, ec);
        const auto* o = ec ? nullptr : v.if_object();
        const auto* id = o ? o->if_contains("broadcast") : nullptr;
        if (!id || !id->is_int64()) return Error::invalid("payload", "not a queued broadcast");
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(const auto b, BroadcastStore(stx).find(BroadcastId{id->get_int64()}));
            if (b.status != BroadcastStatus::scheduled) return {};  // cancelled, or sent
            // Picked now: whoever opted out or unfollowed meanwhile is left out.
            YOYAKU_TRY_ASSIGN(const auto who, BroadcastStore(stx).recipients(b.input.segment));
            YOYAKU_TRY_ASSIGN(const auto m, messages(stx, b.input, public_url_));
            YOYAKU_TRY_ASSIGN(const auto k, keys_.tenant_keys(job.tenant));
            for (std::size_t first = 0; first < who.size(); first += kMulticastSize) {
                boost::json::array to;
                for (std::size_t i = first; i < who.size() && i < first + kMulticastSize; ++i) {
                    auto user = k.open(
                        who[i].line_user_sealed, user_context(job.tenant, who[i].id, "line_user")
                    );
                    if (!user) return Error::internal("a LINE user id does not open");
                    to.emplace_back(std::move(*user));
                }
                jobs::NewJob batch;
                batch.topic = "line";
                batch.kind = "line.broadcast";
                batch.payload = boost::json::serialize(boost::json::object{
                    {"multicast", std::move(to)}, {"messages", m}, {"broadcast", b.id.value}});
                batch.run_at = now;
                batch.ref = "broadcast:" + to_string(b.id);
                YOYAKU_TRY(jobs::enqueue(stx.tx(), keys_, job.tenant, batch, now));
            }
            YOYAKU_TRY(BroadcastStore(stx).start_sending(b.id, static_cast<int>(who.size()), now));
            return {};
        });
    };
}

Result<void> count_batch(
    storage::Database& db, TenantId tenant, BroadcastId id, int delivered, int failed, Instant now
) {
    return db.write(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return BroadcastStore(stx).add_counts(id, delivered, failed, now);
    });
}

}  // namespace yoyaku::line

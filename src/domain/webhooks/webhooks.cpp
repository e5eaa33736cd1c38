#include "domain/webhooks/webhooks.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/webhooks/endpoint_store.hpp"

namespace yoyaku::webhooks {
namespace {

using storage::ScopedTx;

constexpr std::array<std::string_view, 20> kEventTypes = {
    "booking.created",  "booking.offered",         "booking.confirmed",   "booking.approved",
    "booking.rejected", "booking.cancelled",       "booking.rescheduled", "booking.checked_in",
    "booking.no_show",  "booking.expired",         "booking.lapsed",      "booking.paid",
    "booking.refunded", "ticket.checked_in",       "group.registered",    "group.approved",
    "group.rejected",   "group.renewal_requested", "room_lottery.drawn",  "webhook.test",
};

constexpr std::string_view kSecretPrefix = "whsec_";

std::string secret_context(TenantId tenant, WebhookEndpointId id) {
    return crypto::field_context(tenant, "webhook_endpoints", "secret", id);
}

std::string target(WebhookEndpointId id) {
    return "webhook:" + to_string(id);
}

boost::json::array events_array(const std::vector<std::string>& events) {
    boost::json::array a;
    for (const auto& e : events) a.emplace_back(e);
    return a;
}

Result<void> check_input(const EndpointInput& in, const WebhookOptions& options) {
    YOYAKU_TRY(check_url(in.url, options));
    if (in.description.size() > 200) return Error::invalid("description", "at most 200 characters");
    if (in.events.size() > 30) return Error::invalid("events", "at most 30 event types");
    for (const auto& e : in.events)
        if (std::find(kEventTypes.begin(), kEventTypes.end(), e) == kEventTypes.end())
            return Error::invalid("events", "unknown event type: " + e.substr(0, 64));
    return {};
}

bool takes(const std::vector<std::string>& filter, std::string_view type) {
    return filter.empty() || std::find(filter.begin(), filter.end(), type) != filter.end();
}

// Queues one delivery of (type, data) to endpoint `id`.
Result<void> queue_delivery(
    ScopedTx& stx,
    crypto::Keyring& keys,
    WebhookEndpointId id,
    std::string_view type,
    std::string_view data,
    Instant now
) {
    // The body is fixed now, so every retry sends the same bytes under the same message id
    // (receivers de-duplicate on webhook-id).
    std::string body = "{\"type\":";
    body += boost::json::serialize(boost::json::value(type));
    body += ",\"timestamp\":\"" + format_rfc3339(now, "UTC") + "\",\"data\":";
    body += data;
    body += "}";
    jobs::NewJob job;
    job.topic = "webhook";
    job.kind = std::string(type);
    job.ref = target(id);
    job.run_at = now;
    job.payload = boost::json::serialize(boost::json::object{
        {"endpoint_id", id.value}, {"msg_id", "msg_" + crypto::random_hex(16)}, {"body", body}});
    YOYAKU_TRY(jobs::enqueue(stx.tx(), keys, stx.tenant_id(), job, now));
    return {};
}

}  // namespace

std::span<const std::string_view> event_types() noexcept {
    return kEventTypes;
}

Result<void> check_url(std::string_view url, const WebhookOptions& options) {
    if (url.size() > 2000) return Error::invalid("url", "at most 2000 characters");
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) return Error::invalid("url", "must be an absolute https:// URL");
    const auto scheme = u->scheme();
    if (scheme != "https" && !(scheme == "http" && options.allow_private_targets))
        return Error::invalid("url", "must be an absolute https:// URL");
    if (u->has_userinfo()) return Error::invalid("url", "must not carry a user name or password");
    if (u->encoded_host().empty()) return Error::invalid("url", "must name a host");
    if (u->has_fragment()) return Error::invalid("url", "must not have a #fragment");
    return {};
}

WebhookService::WebhookService(
    storage::Database& db, crypto::Keyring& keys, const Clock& clock, WebhookOptions options
)
    : db_(db), keys_(keys), clock_(clock), options_(options) {}

Result<Created> WebhookService::create(
    TenantId tenant, const EndpointInput& in, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY(check_input(in, options_));
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    const std::string key = crypto::random_bytes(32);
    Created out;
    out.secret = std::string(kSecretPrefix) + crypto::to_base64(key);
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        EndpointStore endpoints(stx);
        YOYAKU_TRY_ASSIGN(out.endpoint, endpoints.insert(in, now));
        YOYAKU_TRY(endpoints.update_secret_sealed(
            out.endpoint.id, crypto::seal(k.seal, key, secret_context(tenant, out.endpoint.id))
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"webhook.created",
             target(out.endpoint.id),
             "success",
             boost::json::serialize(boost::json::object{{"events", events_array(in.events)}})},
            now
        ));
        return {};
    }));
    return out;
}

Result<Endpoint> WebhookService::update(
    TenantId tenant,
    WebhookEndpointId id,
    const EndpointInput& in,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY(check_input(in, options_));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Endpoint> {
        YOYAKU_TRY_ASSIGN(const bool changed, EndpointStore(stx).update(id, in, now));
        if (!changed) return Error::not_found("no such webhook");
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"webhook.updated",
             target(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"events", events_array(in.events)}, {"active", in.active}})},
            now
        ));
        return EndpointStore(stx).find(id);
    });
}

Result<void> WebhookService::remove(
    TenantId tenant, WebhookEndpointId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const bool gone, EndpointStore(stx).remove(id));
        if (!gone) return Error::not_found("no such webhook");
        YOYAKU_TRY(audit::append(stx, actor, origin, {"webhook.deleted", target(id)}, now));
        return {};
    });
}

Result<std::vector<Endpoint>> WebhookService::list(TenantId tenant) {
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<Endpoint>> { return EndpointStore(stx).list(); }
    );
}

Result<Endpoint> WebhookService::find(TenantId tenant, WebhookEndpointId id) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return EndpointStore(stx).find(id);
    });
}

Result<void> WebhookService::ping(TenantId tenant, WebhookEndpointId id) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto e, EndpointStore(stx).find(id));
        return queue_delivery(stx, keys_, id, "webhook.test", "{}", now);
    });
}

Result<int> emit(
    ScopedTx& stx, crypto::Keyring& keys, std::string_view type, std::string_view data, Instant now
) {
    YOYAKU_TRY_ASSIGN(const auto active, EndpointStore(stx).list_active());
    int queued = 0;
    for (const auto& e : active) {
        if (!takes(e.events, type)) continue;
        YOYAKU_TRY(queue_delivery(stx, keys, e.id, type, data, now));
        ++queued;
    }
    return queued;
}

std::string signature(
    std::string_view key, std::string_view msg_id, std::int64_t timestamp, std::string_view body
) {
    std::string content(msg_id);
    content += '.';
    content += std::to_string(timestamp);
    content += '.';
    content += body;
    return "v1," + crypto::to_base64(crypto::hmac_sha256(key, content));
}

jobs::Handler delivery_handler(
    storage::Database& db, crypto::Keyring& keys, Poster& poster, const Clock& clock
) {
    return [&db, &keys, &poster, &clock](const jobs::Job& job) -> Result<void> {
        boost::system::error_code ec;
        auto v = boost::json::parse(job.payload, ec);
        if (ec || !v.is_object()) return Error::invalid("payload", "not a queued webhook");
        const auto& o = v.get_object();
        const auto* id = o.if_contains("endpoint_id");
        const auto* msg = o.if_contains("msg_id");
        const auto* body = o.if_contains("body");
        if (!id || !id->is_int64() || !msg || !msg->is_string() || !body || !body->is_string())
            return Error::invalid("payload", "not a queued webhook");
        std::string url;
        std::string key;
        YOYAKU_TRY(db.read(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
            YOYAKU_TRY_ASSIGN(
                const auto to, EndpointStore(stx).find_target(WebhookEndpointId(id->get_int64()))
            );
            if (!to) return Error::invalid("endpoint", "the webhook was removed");
            YOYAKU_TRY_ASSIGN(auto k, keys.tenant_keys(job.tenant));
            auto opened = k.open(
                to->secret_sealed, secret_context(job.tenant, WebhookEndpointId(id->get_int64()))
            );
            if (!opened) return Error::invalid("secret", "the signing secret no longer opens");
            url = to->url;
            key = std::move(*opened);
            return {};
        }));
        const std::int64_t timestamp = to_micros(clock.now()) / 1'000'000;
        Outgoing out;
        out.url = url;
        out.body = std::string(body->get_string());
        out.headers = {
            {"Content-Type", "application/json"},
            {"User-Agent", "Yoyaku-Webhooks/1"},
            {"webhook-id", std::string(msg->get_string())},
            {"webhook-timestamp", std::to_string(timestamp)},
            {"webhook-signature", signature(key, msg->get_string(), timestamp, out.body)}};
        YOYAKU_TRY_ASSIGN(auto status, poster.post(out));
        if (status >= 200 && status < 300) return {};
        return Error::unavailable("HTTP " + std::to_string(status));
    };
}

}  // namespace yoyaku::webhooks

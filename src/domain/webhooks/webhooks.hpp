#pragma once
// Outbound webhooks (SPEC "Notifications"): a tenant's endpoints with event filters, each
// event queued as one job per endpoint in the transaction of the change (topic "webhook"),
// delivered after commit, signed in the Standard Webhooks style (webhook-id,
// webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256>"), retried with back-off; the
// job rows are the delivery log. Targets that resolve to loopback or private addresses are
// refused at delivery (SSRF) unless the operator allowed them.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::webhooks {

/// An endpoint's signing secret, sealed (kept by EndpointStore).
inline constexpr storage::SealedColumn kSecretSealed{
    "webhook_endpoints", "secret_sealed", "secret"};

/// The event types an endpoint may subscribe to.
std::span<const std::string_view> event_types() noexcept;

struct Endpoint {
    WebhookEndpointId id;
    std::string url;
    std::string description;
    std::vector<std::string> events;  ///< empty: every event
    bool active = true;
    Instant created_at;
    Instant updated_at;
};

struct EndpointInput {
    std::string url;
    std::string description;
    std::vector<std::string> events;
    bool active = true;
};

struct Created {
    Endpoint endpoint;
    std::string secret;  ///< "whsec_<base64>", shown once
};

struct WebhookOptions {
    /// Operators only: deliver to loopback and private addresses and accept http:// URLs
    /// (a lab or an internal receiver). Off by default.
    bool allow_private_targets = false;
};

/// Errors: invalid_input on "url" (not https — http only with allow_private_targets —, user
/// info, a fragment, no host, longer than 2000).
Result<void> check_url(std::string_view url, const WebhookOptions& options);

class WebhookService {
public:
    WebhookService(
        storage::Database& db, crypto::Keyring& keys, const Clock& clock, WebhookOptions options
    );
    /// Errors: invalid_input naming url, description (≤ 200) or events (unknown type, ≤ 30).
    Result<Created> create(
        TenantId tenant,
        const EndpointInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Replaces url, description, events and active. Errors: as create; not_found.
    Result<Endpoint> update(
        TenantId tenant,
        WebhookEndpointId id,
        const EndpointInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Deletes it; deliveries still queued for it end as failed. Errors: not_found.
    Result<void> remove(
        TenantId tenant,
        WebhookEndpointId id,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    Result<std::vector<Endpoint>> list(TenantId tenant);
    Result<Endpoint> find(TenantId tenant, WebhookEndpointId id);
    /// Queues a "webhook.test" event to this endpoint only. Errors: not_found.
    Result<void> ping(TenantId tenant, WebhookEndpointId id);

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    WebhookOptions options_;
};

/// Queues event `type` with `data` (the text of a JSON object, no personal data beyond what
/// the tenant's own systems may hold) for every active endpoint of the transaction's tenant
/// that takes it. Returns how many deliveries were queued.
Result<int> emit(
    storage::ScopedTx& stx,
    crypto::Keyring& keys,
    std::string_view type,
    std::string_view data,
    Instant now
);

/// The Standard Webhooks signature header value: "v1," + base64(HMAC-SHA256(key,
/// msg_id + "." + timestamp + "." + body)), `key` being the secret's decoded bytes.
std::string signature(
    std::string_view key, std::string_view msg_id, std::int64_t timestamp, std::string_view body
);

/// One HTTP POST to a user-given URL.
struct Outgoing {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

/// Where webhooks go out: libcurl in app/. Returns the HTTP status. Errors: unavailable
/// (connection, TLS, timeout); forbidden when the target resolves to an address that is not
/// public and private targets are not allowed.
class Poster {
public:
    virtual ~Poster() = default;
    virtual Result<int> post(const Outgoing& request) = 0;
};

/// The job handler for topic "webhook": signs and posts one delivery. 2xx is done; any other
/// status or a connection failure is retried; a refused target or a removed endpoint fails.
jobs::Handler delivery_handler(
    storage::Database& db, crypto::Keyring& keys, Poster& poster, const Clock& clock
);

}  // namespace yoyaku::webhooks

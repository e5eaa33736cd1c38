#pragma once
// The `webhook_endpoints` table: a tenant's webhook endpoints with their event filter and
// their sealed signing secret.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/database.hpp"

namespace yoyaku::webhooks {

/// Where a delivery goes and the secret it is signed with (still sealed).
struct Target {
    std::string url;
    std::string secret_sealed;
};

class EndpointStore {
public:
    explicit EndpointStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// Errors: not_found.
    Result<Endpoint> find(WebhookEndpointId id);
    /// The tenant's endpoints by id.
    Result<std::vector<Endpoint>> list();
    /// The active endpoints by id (for a new event).
    Result<std::vector<Endpoint>> list_active();
    /// nullopt when the endpoint was removed.
    Result<std::optional<Target>> find_target(WebhookEndpointId id);
    /// A new endpoint (secret still empty).
    Result<Endpoint> insert(const EndpointInput& in, Instant now);
    Result<void> update_secret_sealed(WebhookEndpointId id, const std::string& sealed);
    /// False when there is no such endpoint.
    Result<bool> update(WebhookEndpointId id, const EndpointInput& in, Instant now);
    /// False when there is no such endpoint.
    Result<bool> remove(WebhookEndpointId id);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::webhooks

#include "domain/webhooks/endpoint_store.hpp"

#include <boost/json.hpp>

namespace yoyaku::webhooks {
namespace {

constexpr std::string_view kColumns =
    "id, url, description, events, active, created_at, updated_at";

// The stored event filter: a JSON array of type names.
std::vector<std::string> events_from(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& t : v.get_array())
            if (t.is_string()) out.emplace_back(t.get_string());
    return out;
}

std::string events_json(const std::vector<std::string>& events) {
    boost::json::array a;
    for (const auto& e : events) a.emplace_back(e);
    return boost::json::serialize(a);
}

Endpoint endpoint_from(const storage::Row& r) {
    Endpoint e;
    e.id = r.id<WebhookEndpointId>("id");
    e.url = r.text("url");
    e.description = r.text("description");
    e.events = events_from(r.text("events"));
    e.active = r.i64("active") != 0;
    e.created_at = from_micros(r.i64("created_at"));
    e.updated_at = from_micros(r.i64("updated_at"));
    return e;
}

Result<std::vector<Endpoint>> endpoints_from(Result<std::vector<storage::Row>> rows) {
    YOYAKU_TRY_ASSIGN(const auto found, std::move(rows));
    std::vector<Endpoint> out;
    out.reserve(found.size());
    for (const auto& r : found) out.push_back(endpoint_from(r));
    return out;
}

}  // namespace

Result<Endpoint> EndpointStore::find(WebhookEndpointId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT " + std::string(kColumns) +
                " FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return Error::not_found("no such webhook");
    return endpoint_from(rows.front());
}

Result<std::vector<Endpoint>> EndpointStore::list() {
    return endpoints_from(stx_.tx().query(
        "SELECT " + std::string(kColumns) +
            " FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY id",
        stx_.tenant_id()
    ));
}

Result<std::vector<Endpoint>> EndpointStore::list_active() {
    return endpoints_from(stx_.tx().query(
        "SELECT " + std::string(kColumns) +
            " FROM webhook_endpoints WHERE tenant_id = $1 AND active = 1 ORDER BY id",
        stx_.tenant_id()
    ));
}

Result<std::optional<Target>> EndpointStore::find_target(WebhookEndpointId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT url, secret_sealed FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    if (rows.empty()) return std::optional<Target>();
    return std::optional<Target>(Target{
        rows.front().text("url"), rows.front().blob("secret_sealed").bytes});
}

Result<Endpoint> EndpointStore::insert(const EndpointInput& in, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO webhook_endpoints(tenant_id, url, description, events, secret_sealed, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING " +
                std::string(kColumns),
            stx_.tenant_id(),
            in.url,
            in.description,
            events_json(in.events),
            storage::Blob{},
            std::int64_t{in.active ? 1 : 0},
            to_micros(now)
        )
    );
    return endpoint_from(row);
}

Result<void> EndpointStore::update_secret_sealed(WebhookEndpointId id, const std::string& sealed) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE webhook_endpoints SET secret_sealed = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        storage::Blob{sealed}
    ));
    return {};
}

Result<bool> EndpointStore::update(WebhookEndpointId id, const EndpointInput& in, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE webhook_endpoints SET url = $3, description = $4, events = $5, active = $6, updated_at = $7 WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id,
            in.url,
            in.description,
            events_json(in.events),
            std::int64_t{in.active ? 1 : 0},
            to_micros(now)
        )
    );
    return n > 0;
}

Result<bool> EndpointStore::remove(WebhookEndpointId id) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2", stx_.tenant_id(), id
        )
    );
    return n > 0;
}

}  // namespace yoyaku::webhooks

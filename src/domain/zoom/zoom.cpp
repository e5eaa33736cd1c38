#include "domain/zoom/zoom.hpp"

#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "domain/tenants/sealed_settings.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::zoom {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

constexpr std::string_view kCredentialsKey = "zoom.credentials";
// A kept token is used until this long before Zoom said it expires.
constexpr minutes kTokenMargin{1};

// Zoom's start_time: UTC, "yyyy-MM-ddTHH:mm:ssZ".
std::string zoom_time(Instant t) {
    return format_rfc3339(t, "UTC").substr(0, 19) + "Z";
}

std::string meeting_body(const MeetingPlan& p, bool with_settings) {
    const auto length = duration_cast<minutes>(p.ends_at - p.starts_at).count();
    boost::json::object o{
        {"topic", p.topic},  // an offering's name: at most Zoom's 200 characters
        {"start_time", zoom_time(p.starts_at)},
        {"duration", std::max<std::int64_t>(length, 1)},
        {"timezone", "UTC"}};
    if (with_settings) {
        // A scheduled meeting (type 2); participants wait until the host lets them in.
        o["type"] = 2;
        o["settings"] = {{"join_before_host", false}, {"waiting_room", true}};
    }
    return boost::json::serialize(o);
}

Error refused(int status, const std::string& body) {
    // Zoom's errors: {"code": 124, "message": "..."} or OAuth's {"reason", "error"}.
    std::string said;
    boost::system::error_code ec;
    const auto v = boost::json::parse(body, ec);
    if (!ec && v.is_object())
        for (const char* key : {"reason", "message", "error"})
            if (const auto* m = v.get_object().if_contains(key); m && m->is_string()) {
                said = std::string(m->get_string()).substr(0, 200);
                break;
            }
    return Error::invalid(
        "zoom",
        "Zoom refused the request: HTTP " + std::to_string(status) +
            (said.empty() ? "" : " (" + said + ")")
    );
}

bool token_chars(std::string_view s) {
    return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
           ) == std::string_view::npos;
}

Result<void> check_shape(const Credentials& c) {
    if (c.account_id.empty() || c.account_id.size() > 64 || !token_chars(c.account_id))
        return Error::invalid("account_id", "the Zoom account id: 1–64 letters, digits, - or _");
    if (c.client_id.empty() || c.client_id.size() > 64 || !token_chars(c.client_id))
        return Error::invalid("client_id", "the client id: 1–64 letters, digits, - or _");
    if (c.client_secret.empty() || c.client_secret.size() > 128)
        return Error::invalid("client_secret", "the client secret: 1–128 characters");
    for (char ch : c.client_secret)
        if (ch < 0x21 || ch > 0x7E)
            return Error::invalid("client_secret", "must be printable ASCII without spaces");
    return {};
}

}  // namespace

Result<std::pair<std::string, seconds>> Client::fetch_token(const Credentials& c) {
    outbound::HttpCall call;
    call.method = "POST";
    call.url = oauth_base_ + "/oauth/token";
    call.body = "grant_type=account_credentials&account_id=" + c.account_id;
    call.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Authorization", "Basic " + crypto::to_base64(c.client_id + ":" + c.client_secret)},
        {"User-Agent", "Yoyaku-Zoom/1"}};
    YOYAKU_TRY_ASSIGN(auto reply, transport_.send(call));
    if (reply.status == 429 || reply.status >= 500)
        return Error::unavailable("Zoom answered HTTP " + std::to_string(reply.status));
    if (reply.status != 200) {
        auto e = refused(reply.status, reply.body);
        e.field = "client_secret";
        return e;
    }
    boost::system::error_code ec;
    const auto v = boost::json::parse(reply.body, ec);
    const auto* o = !ec && v.is_object() ? &v.get_object() : nullptr;
    const auto* token = o ? o->if_contains("access_token") : nullptr;
    const auto* expires = o ? o->if_contains("expires_in") : nullptr;
    if (!token || !token->is_string() || token->get_string().empty())
        return Error::unavailable("Zoom's token answer holds no access_token");
    const auto life = expires && expires->is_int64() ? seconds(expires->get_int64()) : seconds(0);
    return std::pair{std::string(token->get_string()), life};
}

Result<std::string> Client::token(TenantId tenant, const Credentials& c, Instant now) {
    {
        std::lock_guard lock(mutex_);
        const auto at = tokens_.find(tenant.value);
        if (at != tokens_.end() && at->second.client_id == c.client_id &&
            now + kTokenMargin < at->second.expires_at)
            return at->second.value;
    }
    YOYAKU_TRY_ASSIGN(auto fresh, fetch_token(c));
    std::lock_guard lock(mutex_);
    tokens_[tenant.value] = {c.client_id, fresh.first, now + fresh.second};
    return fresh.first;
}

Result<outbound::HttpReply> Client::call(
    TenantId tenant,
    const Credentials& c,
    std::string method,
    const std::string& path,
    std::string body,
    Instant now
) {
    for (int tries = 0;; ++tries) {
        YOYAKU_TRY_ASSIGN(const auto bearer, token(tenant, c, now));
        outbound::HttpCall call;
        call.method = method;
        call.url = api_base_ + path;
        call.body = body;
        call.headers = {{"Authorization", "Bearer " + bearer}, {"User-Agent", "Yoyaku-Zoom/1"}};
        if (!body.empty()) call.headers.emplace_back("Content-Type", "application/json");
        YOYAKU_TRY_ASSIGN(auto reply, transport_.send(call));
        // A token Zoom no longer takes (revoked, or the app's scopes changed): one new one.
        if (reply.status == 401 && tries == 0) {
            std::lock_guard lock(mutex_);
            tokens_.erase(tenant.value);
            continue;
        }
        if (reply.status == 429 || reply.status >= 500)
            return Error::unavailable("Zoom answered HTTP " + std::to_string(reply.status));
        return reply;
    }
}

Result<Meeting> Client::create(
    TenantId tenant, const Credentials& c, const MeetingPlan& plan, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto reply,
        call(tenant, c, "POST", "/users/me/meetings", meeting_body(plan, true), now)
    );
    if (reply.status != 201 && reply.status != 200) return refused(reply.status, reply.body);
    boost::system::error_code ec;
    const auto v = boost::json::parse(reply.body, ec);
    const auto* o = !ec && v.is_object() ? &v.get_object() : nullptr;
    const auto* id = o ? o->if_contains("id") : nullptr;
    const auto* url = o ? o->if_contains("join_url") : nullptr;
    if (!id || !(id->is_int64() || id->is_uint64()) || !url || !url->is_string() ||
        url->get_string().rfind("https://", 0) != 0)
        return Error::unavailable("Zoom's meeting answer holds no id or https join_url");
    return Meeting{
        id->is_int64() ? std::to_string(id->get_int64()) : std::to_string(id->get_uint64()),
        std::string(url->get_string())};
}

Result<void> Client::update(
    TenantId tenant, const Credentials& c, std::string_view id, const MeetingPlan& plan, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto reply,
        call(tenant, c, "PATCH", "/meetings/" + std::string(id), meeting_body(plan, false), now)
    );
    if (reply.status == 204 || reply.status == 200) return {};
    if (reply.status == 404) return Error::not_found("zoom meeting");
    return refused(reply.status, reply.body);
}

Result<void> Client::remove(
    TenantId tenant, const Credentials& c, std::string_view id, Instant now
) {
    YOYAKU_TRY_ASSIGN(
        const auto reply, call(tenant, c, "DELETE", "/meetings/" + std::string(id), "", now)
    );
    if (reply.status == 204 || reply.status == 200 || reply.status == 404) return {};
    return refused(reply.status, reply.body);
}

Result<void> Client::check(const Credentials& c) {
    YOYAKU_TRY(check_shape(c));
    YOYAKU_TRY(fetch_token(c));
    return {};
}

Result<std::optional<Credentials>> credentials(ScopedTx& stx, crypto::Keyring& keys) {
    YOYAKU_TRY_ASSIGN(const auto opened, tenants::open_setting(stx, keys, kCredentialsKey));
    if (!opened) return std::optional<Credentials>();
    boost::system::error_code ec;
    const auto v = boost::json::parse(*opened, ec);
    if (ec || !v.is_object()) return Error::internal("the Zoom credentials are garbled");
    const auto& o = v.get_object();
    auto str = [&](const char* key) {
        const auto* s = o.if_contains(key);
        return s && s->is_string() ? std::string(s->get_string()) : std::string();
    };
    return std::optional<Credentials>(Credentials{
        str("account_id"), str("client_id"), str("client_secret")});
}

Result<Connection> ZoomService::connection(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Connection> {
        Connection out;
        YOYAKU_TRY_ASSIGN(const auto c, credentials(stx, keys_));
        if (!c) return out;
        YOYAKU_TRY_ASSIGN(
            const auto s, tenants::TenantSettingStore(stx).find(std::string(kCredentialsKey))
        );
        out.configured = true;
        out.account_id = c->account_id;
        out.client_id = c->client_id;
        if (s) out.updated_at = s->updated_at;
        return out;
    });
}

Result<Connection> ZoomService::connect(
    TenantId tenant, const Credentials& c, const audit::Actor& actor, const audit::Origin& origin
) {
    // Zoom is asked first (outside any transaction): credentials it refuses are not stored.
    YOYAKU_TRY(client_.check(c));
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        const auto value = boost::json::serialize(boost::json::object{
            {"account_id", c.account_id},
            {"client_id", c.client_id},
            {"client_secret", c.client_secret}});
        YOYAKU_TRY(tenants::seal_setting(stx, k, kCredentialsKey, value, now));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"zoom.connected", "zoom:account"}, now));
        return {};
    }));
    return connection(tenant);
}

Result<void> ZoomService::disconnect(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).remove(std::string(kCredentialsKey)));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"zoom.disconnected", "zoom:account"}, now));
        return {};
    });
}

}  // namespace yoyaku::zoom

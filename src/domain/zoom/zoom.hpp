#pragma once
// Zoom meetings for online bookings (issue 28): a tenant connects its Zoom account through a
// Server-to-Server OAuth app (account id, client id, client secret — sealed under the tenant's
// key, set by a manager after confirming the password), and each live booking of an offering
// with `zoom_meetings` gets its own meeting, created, moved and deleted through Zoom's API
// (developers.zoom.us: POST /oauth/token grant_type=account_credentials; POST
// /v2/users/me/meetings; PATCH and DELETE /v2/meetings/{id}). The hosts are configuration
// (zoom.api_base_url, zoom.oauth_base_url): tests point them at the stand-in in tests/support.
// What a booking's meeting should be, and the job that makes Zoom follow, live in the booking
// domain (bookings/online_meetings.cpp); this is the account and the API.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/outbound.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::zoom {

/// A tenant's Server-to-Server OAuth app, opened for one call (never logged, never shown).
struct Credentials {
    std::string account_id;
    std::string client_id;
    std::string client_secret;
};

/// What a manager sees of the connection (never the secret).
struct Connection {
    bool configured = false;
    std::string account_id;
    std::string client_id;
    std::optional<Instant> updated_at;
};

/// The meeting to hold: its topic (the offering's name), start and length.
struct MeetingPlan {
    std::string topic;
    Instant starts_at{};
    Instant ends_at{};
};

/// A meeting Zoom made: its id and the link participants join with.
struct Meeting {
    std::string id;
    std::string join_url;
};

/// Zoom's API for one platform: tokens are asked for with a tenant's credentials and kept
/// (per tenant, in memory) until a minute before they expire. Thread-safe.
class Client {
public:
    /// `api_base`: "https://api.zoom.us/v2"; `oauth_base`: "https://zoom.us" (or a stand-in).
    Client(outbound::Transport& transport, std::string api_base, std::string oauth_base)
        : transport_(transport),
          api_base_(std::move(api_base)),
          oauth_base_(std::move(oauth_base)) {}

    /// Errors: invalid_input on "client_secret" when Zoom refuses the credentials;
    /// unavailable when Zoom cannot be reached or answers 429/5xx.
    Result<Meeting> create(
        TenantId tenant, const Credentials& c, const MeetingPlan& plan, Instant now
    );
    /// Moves meeting `id` to the plan's time. Errors: not_found when Zoom has no such meeting;
    /// as create().
    Result<void> update(
        TenantId tenant,
        const Credentials& c,
        std::string_view id,
        const MeetingPlan& plan,
        Instant now
    );
    /// Deletes meeting `id`; one Zoom no longer has counts as deleted. Errors: as create().
    Result<void> remove(TenantId tenant, const Credentials& c, std::string_view id, Instant now);
    /// Asks Zoom for a token with `c` (a manager's check of new credentials). Errors: as create().
    Result<void> check(const Credentials& c);

private:
    Result<std::string> token(TenantId tenant, const Credentials& c, Instant now);
    Result<outbound::HttpReply> call(
        TenantId tenant,
        const Credentials& c,
        std::string method,
        const std::string& path,
        std::string body,
        Instant now
    );
    Result<std::pair<std::string, std::chrono::seconds>> fetch_token(const Credentials& c);

    struct Token {
        std::string client_id;
        std::string value;
        Instant expires_at{};
    };
    outbound::Transport& transport_;
    std::string api_base_;
    std::string oauth_base_;
    std::mutex mutex_;
    std::map<std::int64_t, Token> tokens_;  ///< by tenant
};

/// The scoped tenant's credentials, opened; nullopt when Zoom is not connected.
Result<std::optional<Credentials>> credentials(storage::ScopedTx& stx, crypto::Keyring& keys);

/// A tenant's Zoom connection.
class ZoomService {
public:
    ZoomService(storage::Database& db, crypto::Keyring& keys, const Clock& clock, Client& client)
        : db_(db), keys_(keys), clock_(clock), client_(client) {}

    Result<Connection> connection(TenantId tenant);
    /// Checks the credentials with Zoom (a token is asked for) and stores them sealed; audited
    /// (zoom.connected). Errors: invalid_input on "account_id", "client_id" (1–64 letters,
    /// digits, '-' or '_') or "client_secret" (1–128 printable ASCII; or refused by Zoom);
    /// unavailable when Zoom cannot be reached.
    Result<Connection> connect(
        TenantId tenant,
        const Credentials& c,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Forgets the credentials: no more meetings are made (links made stay until their bookings
    /// end). Idempotent, audited (zoom.disconnected).
    Result<void> disconnect(
        TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    Client& client_;
};

}  // namespace yoyaku::zoom

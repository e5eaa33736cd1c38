#pragma once
// Segment messages (L Message's broadcasts, issue 28): a manager writes one LINE message —
// text, an optional picture, an optional button to book an offering — to the customers a
// segment picks, previews who gets it, and sends it at once or at a set time. Sending is a job
// (topic "line_broadcast") that picks the recipients when it runs (so an opt-out made
// meanwhile counts) and queues one LINE multicast job per kMulticastSize of them (topic
// "line"), each posted with a retry key; LINE's rate limits (429) are waited out by the job
// queue's backoff. Each batch LINE takes or refuses adds to the message's delivery counts.
// Only linked friends who follow the official account and did not opt out are recipients.

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/jobs/jobs.hpp"
#include "storage/database.hpp"

namespace yoyaku::line {

/// The most recipients one LINE multicast request names (LINE's limit).
inline constexpr std::size_t kMulticastSize = 500;
/// A batch LINE still has not taken at this attempt counts as failed.
inline constexpr int kBroadcastAttempts = 6;

/// Which customers a segment message goes to: every condition set must hold. The booking
/// conditions (offering, from/to, statuses) hold together for one booking of the customer.
struct Segment {
    std::optional<OfferingId> offering;     ///< booked this offering
    std::optional<Instant> from;            ///< a booking starting at or after
    std::optional<Instant> to;              ///< a booking starting before
    std::vector<std::string> statuses;      ///< that booking's status (any of); empty: any
    std::optional<UserClassId> user_class;  ///< in this user class
    std::string tag;                        ///< tagged so by staff
    int min_bookings = 0;                   ///< made at least this many bookings, not cancelled
};

struct BroadcastInput {
    std::string text;       ///< 1..5000 characters
    std::string image_url;  ///< https, shown above the text; empty: none
    /// A button "予約する" opening this offering's booking page (the message becomes a card).
    std::optional<OfferingId> offering_button;
    Segment segment;
    std::optional<Instant> send_at;  ///< none: now
};

enum class BroadcastStatus { scheduled, sending, sent, cancelled };
std::string_view to_string(BroadcastStatus s) noexcept;

struct Broadcast {
    BroadcastId id;
    BroadcastInput input;
    BroadcastStatus status = BroadcastStatus::scheduled;
    int recipients = 0;  ///< picked when it was sent
    int delivered = 0;   ///< taken by LINE
    int failed = 0;      ///< refused by LINE, or not taken after kBroadcastAttempts
    Instant created_at;
    std::optional<Instant> sent_at;  ///< every batch answered
};

struct BroadcastPreview {
    int recipients = 0;
    std::vector<std::string> names;  ///< the first few recipients' names
    std::string message;             ///< the LINE message objects (JSON array) to be sent
};

class BroadcastService {
public:
    /// `public_url`: where the booking site is reached (an offering button's link).
    BroadcastService(
        storage::Database& db, crypto::Keyring& keys, const Clock& clock, std::string public_url
    );

    /// Who would get `in` now, and the message. Errors: invalid_input naming the field
    /// (text, image_url, offering_button, segment.*, send_at).
    Result<BroadcastPreview> preview(TenantId tenant, const BroadcastInput& in);
    /// Stores it and queues its sending at `send_at`. Audited (line.broadcast_created).
    /// Errors: as preview; unprocessable when the tenant has no LINE channel.
    Result<Broadcast> create(
        TenantId tenant,
        const BroadcastInput& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// Newest first (at most 200).
    Result<std::vector<Broadcast>> list(TenantId tenant);
    Result<Broadcast> find(TenantId tenant, BroadcastId id);
    /// A scheduled message is not sent. Audited. Errors: not_found; conflict once sending.
    Result<Broadcast> cancel(
        TenantId tenant, BroadcastId id, const audit::Actor& actor, const audit::Origin& origin
    );

    /// The job handler for topic "line_broadcast" (see the file comment).
    jobs::Handler send_handler();

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
    std::string public_url_;
};

/// Adds a batch's outcome to its broadcast's counts (the "line" job handler calls it when LINE
/// took or refused a multicast batch); the broadcast is sent once every recipient is counted.
Result<void> count_batch(
    storage::Database& db, TenantId tenant, BroadcastId id, int delivered, int failed, Instant now
);

}  // namespace yoyaku::line

#pragma once
// Mail (SPEC "Notifications", first part): messages rendered from the templates in templates/
// (kainjow mustache, ja and en), queued in the outbox inside the transaction of the change that
// causes them, and sent after commit by the relay through a MailSender (SMTP in app/). A
// rolled-back change sends nothing; a committed one is sent even if the process dies first.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "storage/database.hpp"

namespace yoyaku::mail {

struct Mail {
    std::string to;  ///< one normalised address
    std::string subject;
    std::string text;  ///< UTF-8 plain text
};

using Vars = std::vector<std::pair<std::string, std::string>>;

/// Renders template `name` in `locale` ("ja" or "en"; anything else: ja). The template's first
/// line is "Subject: …". Errors: internal for an unknown template.
Result<Mail> render(
    std::string_view name, std::string_view locale, const Vars& vars, std::string to
);

/// The templates shipped with the binary, as "<name>.<locale>".
std::vector<std::string> template_names();

/// Queues `mail` in the caller's transaction, sealed under `tenant`'s key. `kind` names it
/// for operators ("account.password_reset").
Result<void> enqueue(
    storage::Tx& tx,
    crypto::Keyring& keys,
    TenantId tenant,
    std::string_view kind,
    const Mail& mail,
    Instant now
);

/// Where mail goes out: SMTP in production (app/smtp.hpp).
class MailSender {
public:
    virtual ~MailSender() = default;
    /// Errors: unavailable (try again later) or invalid_input (the relay refused this message
    /// for good); the message is never part of the error text.
    virtual Result<void> send(const Mail& mail) = 0;
};

struct RelayOptions {
    int batch = 20;                        ///< messages per run
    int max_attempts = 8;                  ///< then the message is marked failed
    std::chrono::seconds first_retry{30};  ///< doubled after each failure
    std::chrono::minutes lease{5};         ///< a message being sent is not picked by another node
};

struct RelayRun {
    int sent = 0;
    int retried = 0;
    int failed = 0;
};

/// Sends due outbox messages. Several nodes may run it: each message is leased before sending.
class MailRelay {
public:
    MailRelay(
        storage::Database& db,
        crypto::Keyring& keys,
        MailSender& sender,
        const Clock& clock,
        RelayOptions options = {}
    );
    /// One pass over due messages. Errors: unavailable when the database is.
    Result<RelayRun> run_once();

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    MailSender& sender_;
    const Clock& clock_;
    RelayOptions options_;
};

/// Outbox figures for /metrics and tests.
struct OutboxCounts {
    std::int64_t queued = 0;
    std::int64_t sent = 0;
    std::int64_t failed = 0;
};
Result<OutboxCounts> outbox_counts(storage::Database& db);

}  // namespace yoyaku::mail

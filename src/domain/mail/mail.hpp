#pragma once
// Mail (SPEC "Notifications", first part): messages rendered from the templates in templates/
// (kainjow mustache, ja and en), queued in the outbox inside the transaction of the change that
// causes them (a job of topic "mail", domain/jobs), and sent after commit through a MailSender
// (SMTP in app/). A rolled-back change sends nothing; a committed one is sent even if the
// process dies first.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/jobs/jobs.hpp"
#include "storage/database.hpp"

namespace yoyaku::mail {

/// A file sent with a mail (an iCalendar event, say), or an image its HTML shows inline
/// (`content_id` set: `<img src="cid:…">`).
struct Attachment {
    std::string filename;      ///< ASCII, no quotes
    std::string content_type;  ///< "text/calendar; charset=UTF-8; method=REQUEST"
    std::string data;
    std::string content_id = {};  ///< "ticket-1@yoyaku": ASCII, no quotes or angle brackets
    /// Set instead of `data`: the attachment is the QR code of this text as a PNG, drawn when
    /// the mail is sent (after commit) rather than inside the change that queues it.
    std::string qr_of = {};
};

struct Mail {
    std::string to;  ///< one normalised address
    std::string subject;
    std::string text;  ///< UTF-8 plain text
    std::string html;  ///< the same text as HTML (escaped, paragraphs and links), or empty
    std::vector<Attachment> attachments;
};

using Vars = std::vector<std::pair<std::string, std::string>>;

/// Renders template `name` in `locale` ("ja" or "en"; anything else: ja). The template's first
/// line is "Subject: …". Errors: internal for an unknown template.
Result<Mail> render(
    std::string_view name, std::string_view locale, const Vars& vars, std::string to
);

/// The same in the wording `tenant` chose for it (table mail_templates, read in `tx`), or the
/// built-in one when it has none.
Result<Mail> render(
    storage::Tx& tx,
    TenantId tenant,
    std::string_view name,
    std::string_view locale,
    const Vars& vars,
    std::string to
);

/// The built-in text of template `name` in `locale` (empty when there is none).
std::string_view built_in(std::string_view name, std::string_view locale);

/// Checks a tenant's wording: a non-empty "Subject: …" first line, then the text, as a valid
/// mustache template of at most 40 000 bytes. Errors: invalid_input on "body".
Result<void> check_template(std::string_view text);

/// `t` as wall-clock time in `zone`, written the way the web app writes it: `pattern` ("date",
/// "time" or "datetime") for `locale` (ja, else en) from templates/datetime.json, which
/// web/src/lib/datetime.ts reads too. E.g. "2026年12月5日(土) 18:00", "Sat 5 Dec 2026, 18:00".
/// Throws std::runtime_error for an unknown zone, like to_local.
std::string format_local(
    Instant t, std::string_view zone, std::string_view locale, std::string_view pattern = "datetime"
);

/// The templates shipped with the binary, as "<name>.<locale>".
std::vector<std::string> template_names();

/// `mail` as the job of topic "mail" that enqueue() queues (a LINE push carries one as its
/// fallback).
jobs::NewJob queued(
    std::string_view kind, const Mail& mail, Instant now, std::string_view ref = {}
);

/// Queues `mail` as a job of topic "mail" in the caller's transaction, sealed under `tenant`'s
/// key. `kind` names it for operators ("account.password_reset"); `ref` ties it to what it is
/// about (a booking reference) in the delivery log.
Result<void> enqueue(
    storage::Tx& tx,
    crypto::Keyring& keys,
    TenantId tenant,
    std::string_view kind,
    const Mail& mail,
    Instant now,
    std::string_view ref = {}
);

/// Where mail goes out: SMTP in production (app/smtp.hpp).
class MailSender {
public:
    virtual ~MailSender() = default;
    /// Errors: unavailable (try again later) or invalid_input (the relay refused this message
    /// for good); the message is never part of the error text.
    virtual Result<void> send(const Mail& mail) = 0;
};

/// The job handler for topic "mail": opens the queued message and gives it to `sender`.
jobs::Handler sending_handler(MailSender& sender);

/// `text` with & < > " ' escaped for HTML.
std::string html_escape(std::string_view text);

/// The plain text as HTML: escaped, blank lines make paragraphs, http(s) links clickable.
std::string text_to_html(std::string_view text);
/// `value` as a mail shows it without making it a link: a zero-width space after "://" and
/// after each '.' or '@' that a letter or digit follows, so neither text_to_html nor a mail
/// program's own link detection turns a customer's name into a link (issue 24, defect 9).
/// The customer's name (`name`) passes through it in every template.
std::string unlinkable(std::string_view value);

}  // namespace yoyaku::mail

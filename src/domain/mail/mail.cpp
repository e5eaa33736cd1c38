#include "domain/mail/mail.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <kainjow/mustache.hpp>

#include "crypto/sealing.hpp"

namespace yoyaku::mail {

extern const std::pair<std::string_view, std::string_view> kTemplates[];
extern const std::size_t kTemplateCount;

namespace {

using storage::Blob;
using storage::Tx;

std::string_view find_template(std::string_view key) {
    for (std::size_t i = 0; i < kTemplateCount; ++i)
        if (kTemplates[i].first == key) return kTemplates[i].second;
    return {};
}

std::string payload_context(TenantId tenant, std::int64_t id) {
    return crypto::field_context(tenant, "outbox", "payload", id);
}

}  // namespace

Result<Mail> render(
    std::string_view name, std::string_view locale, const Vars& vars, std::string to
) {
    const std::string_view lang = locale == "en" ? "en" : "ja";
    const std::string key = std::string(name) + "." + std::string(lang);
    const auto text = find_template(key);
    if (text.empty()) return Error::internal("no mail template " + key);
    kainjow::mustache::data data;
    for (const auto& [k, v] : vars) data.set(k, v);
    kainjow::mustache::mustache tmpl{std::string(text)};
    // Plain-text mail: no HTML escaping.
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    const std::string out = tmpl.render(data);
    if (!tmpl.is_valid())
        return Error::internal("mail template " + key + ": " + tmpl.error_message());
    const auto nl = out.find('\n');
    const std::string_view first = std::string_view(out).substr(0, nl);
    if (!first.starts_with("Subject: ") || nl == std::string::npos)
        return Error::internal("mail template " + key + " lacks its Subject line");
    Mail m;
    m.to = std::move(to);
    m.subject = std::string(first.substr(9));
    // Nothing a variable holds may start a new header line.
    std::replace(m.subject.begin(), m.subject.end(), '\r', ' ');
    std::replace(m.subject.begin(), m.subject.end(), '\n', ' ');
    m.text = out.substr(nl + 1);
    return m;
}

std::vector<std::string> template_names() {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kTemplateCount; ++i) names.emplace_back(kTemplates[i].first);
    return names;
}

Result<void> enqueue(
    Tx& tx,
    crypto::Keyring& keys,
    TenantId tenant,
    std::string_view kind,
    const Mail& mail,
    Instant now
) {
    auto k = keys.tenant_keys(tenant);
    if (!k) return fail(std::move(k).error());
    auto row = tx.query_one(
        "INSERT INTO outbox(tenant_id, kind, payload_sealed, created_at, next_attempt_at) VALUES "
        "($1, $2, $3, $4, $4) RETURNING id",
        tenant.value,
        std::string(kind),
        Blob{},
        to_micros(now)
    );
    if (!row) return fail(std::move(row).error());
    const std::int64_t id = row->i64(0);
    const std::string payload = boost::json::serialize(boost::json::object{
        {"to", mail.to}, {"subject", mail.subject}, {"text", mail.text}});
    YOYAKU_TRY(tx.exec(
        "UPDATE outbox SET payload_sealed = $2 WHERE id = $1",
        id,
        Blob{crypto::seal(k->seal, payload, payload_context(tenant, id))}
    ));
    return {};
}

MailRelay::MailRelay(
    storage::Database& db,
    crypto::Keyring& keys,
    MailSender& sender,
    const Clock& clock,
    RelayOptions options
)
    : db_(db), keys_(keys), sender_(sender), clock_(clock), options_(options) {}

Result<RelayRun> MailRelay::run_once() {
    struct Due {
        std::int64_t id;
        TenantId tenant;
        int attempts;
        std::string sealed;
    };
    const Instant now = clock_.now();
    std::vector<Due> due;
    // Lease each message by moving its next attempt past the lease, guarded by the value read:
    // of two nodes that read the same row, one UPDATE changes it.
    YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
        auto rows = tx.query(
            "SELECT id, tenant_id, attempts, payload_sealed, next_attempt_at FROM outbox WHERE "
            "sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY "
            "next_attempt_at, id LIMIT $2",
            to_micros(now),
            static_cast<std::int64_t>(options_.batch)
        );
        if (!rows) return fail(std::move(rows).error());
        for (const auto& r : *rows) {
            auto n = tx.exec(
                "UPDATE outbox SET next_attempt_at = $3, attempts = attempts + 1 WHERE id = $1 "
                "AND next_attempt_at = $2",
                r.i64(0),
                r.i64(4),
                to_micros(now + options_.lease)
            );
            if (!n) return fail(std::move(n).error());
            if (*n == 1)
                due.push_back(
                    {r.i64(0), TenantId{r.i64(1)}, static_cast<int>(r.i64(2)) + 1, r.blob(3).bytes}
                );
        }
        return {};
    }));

    RelayRun run;
    for (const auto& d : due) {
        Result<void> sent = Error::internal("not sent");
        auto k = keys_.tenant_keys(d.tenant);
        std::optional<Mail> mail;
        if (k) {
            auto opened = crypto::open(k->seal, d.sealed, payload_context(d.tenant, d.id));
            if (opened) {
                boost::system::error_code ec;
                auto v = boost::json::parse(*opened, ec);
                if (!ec && v.is_object()) {
                    const auto& o = v.get_object();
                    mail = Mail{
                        std::string(o.at("to").as_string()),
                        std::string(o.at("subject").as_string()),
                        std::string(o.at("text").as_string())};
                }
            }
        }
        // A message whose tenant key is gone (crypto-shredded) can never be sent.
        if (!mail)
            sent = Error::invalid("payload", "the message no longer opens");
        else
            sent = sender_.send(*mail);
        const Instant at = clock_.now();
        YOYAKU_TRY(db_.write_platform([&](Tx& tx) -> Result<void> {
            if (sent) {
                ++run.sent;
                YOYAKU_TRY(tx.exec(
                    "UPDATE outbox SET sent_at = $2, last_error = NULL WHERE id = $1",
                    d.id,
                    to_micros(at)
                ));
                return {};
            }
            const auto& e = sent.error();
            const std::string error =
                (e.detail.empty() ? e.message : e.message + ": " + e.detail).substr(0, 200);
            if (sent.error().code != Errc::unavailable || d.attempts >= options_.max_attempts) {
                ++run.failed;
                YOYAKU_TRY(tx.exec(
                    "UPDATE outbox SET failed_at = $2, last_error = $3 WHERE id = $1",
                    d.id,
                    to_micros(at),
                    error
                ));
                return {};
            }
            ++run.retried;
            const auto wait = options_.first_retry * (1 << std::min(d.attempts - 1, 16));
            YOYAKU_TRY(tx.exec(
                "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
                d.id,
                to_micros(at + wait),
                error
            ));
            return {};
        }));
    }
    return run;
}

Result<OutboxCounts> outbox_counts(storage::Database& db) {
    OutboxCounts c;
    YOYAKU_TRY(db.read_platform([&](Tx& tx) -> Result<void> {
        auto row = tx.query_one(
            "SELECT coalesce(sum(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 "
            "END), 0), coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM outbox"
        );
        if (!row) return fail(std::move(row).error());
        c = {row->i64(0), row->i64(1), row->i64(2)};
        return {};
    }));
    return c;
}

}  // namespace yoyaku::mail

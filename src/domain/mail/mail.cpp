#include "domain/mail/mail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstddef>
#include <kainjow/mustache.hpp>

#include "crypto/random.hpp"
#include "documents/qr.hpp"
#include "domain/mail/mail_template_store.hpp"

namespace yoyaku::mail {

extern const std::pair<std::string_view, std::string_view> kTemplates[];
extern const std::string_view kDatetimeFormats;
extern const std::size_t kTemplateCount;

namespace {

using storage::Tx;

std::string_view find_template(std::string_view key) {
    for (std::size_t i = 0; i < kTemplateCount; ++i)
        if (kTemplates[i].first == key) return kTemplates[i].second;
    return {};
}

}  // namespace

namespace {

// The variables that carry what a customer typed (a name like "https://evil.example/login"),
// which must not become a link; staff's and the platform's words pass as they are.
bool is_customers(std::string_view key) {
    return key == "name";
}

bool is_alnum_ascii(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Renders a template's text (`key` names it in errors).
Result<Mail> render_text(
    std::string_view text, const std::string& key, const Vars& vars, std::string to
) {
    kainjow::mustache::data data;
    for (const auto& [k, v] : vars) data.set(k, is_customers(k) ? unlinkable(v) : v);
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
    m.html = text_to_html(m.text);
    return m;
}

std::string_view lang_of(std::string_view locale) {
    return locale == "en" ? "en" : "ja";
}

}  // namespace

std::string unlinkable(std::string_view value) {
    static constexpr std::string_view kZeroWidthSpace = "\u200b";
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.substr(i).starts_with("://")) {
            out += ":";
            out += kZeroWidthSpace;
            out += "//";
            i += 2;
            continue;
        }
        out += value[i];
        const bool next_alnum = i + 1 < value.size() && is_alnum_ascii(value[i + 1]);
        if ((value[i] == '.' || value[i] == '@') && next_alnum) out += kZeroWidthSpace;
    }
    return out;
}

std::string_view built_in(std::string_view name, std::string_view locale) {
    return find_template(std::string(name) + "." + std::string(lang_of(locale)));
}

Result<Mail> render(
    std::string_view name, std::string_view locale, const Vars& vars, std::string to
) {
    const std::string key = std::string(name) + "." + std::string(lang_of(locale));
    const auto text = find_template(key);
    if (text.empty()) return Error::internal("no mail template " + key);
    return render_text(text, key, vars, std::move(to));
}

Result<Mail> render(
    Tx& tx,
    TenantId tenant,
    std::string_view name,
    std::string_view locale,
    const Vars& vars,
    std::string to
) {
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY_ASSIGN(
        const auto own, MailTemplateStore(stx).find(std::string(name), std::string(lang_of(locale)))
    );
    if (own) {
        const std::string key = std::string(name) + "." + std::string(lang_of(locale));
        auto m = render_text(*own, key, vars, to);
        // Checked when saved; should it still fail, the built-in wording goes instead.
        if (m) return m;
    }
    return render(name, locale, vars, std::move(to));
}

Result<void> check_template(std::string_view text) {
    if (text.size() > 40000) return Error::invalid("body", "must be at most 40000 bytes");
    if (!text.starts_with("Subject: ") || text.find('\n') == std::string_view::npos)
        return Error::invalid("body", "must start with a line \"Subject: …\" followed by the text");
    if (text.substr(0, text.find('\n')).size() <= 9)
        return Error::invalid("body", "the Subject line is empty");
    kainjow::mustache::mustache tmpl{std::string(text)};
    if (!tmpl.is_valid())
        return Error::invalid("body", "is not a valid template: " + tmpl.error_message());
    return {};
}

std::string format_local(
    Instant t, std::string_view zone, std::string_view locale, std::string_view pattern
) {
    using namespace std::chrono;
    static const boost::json::object formats = boost::json::parse(kDatetimeFormats).as_object();
    const auto& table = formats.at(locale == "en" ? "en" : "ja").as_object();
    const auto local = to_local(t, zone);
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    const unsigned wd = weekday{day}.iso_encoding() - 1;  // Monday 0 … Sunday 6
    const unsigned month = static_cast<unsigned>(ymd.month());
    const std::pair<std::string_view, std::string> values[] = {
        {"year", std::to_string(static_cast<int>(ymd.year()))},
        {"month", std::to_string(month)},
        {"month_name", std::string(table.at("months").as_array().at(month - 1).as_string())},
        {"day", std::to_string(static_cast<unsigned>(ymd.day()))},
        {"weekday", std::string(table.at("weekdays").as_array().at(wd).as_string())},
        {"hour", std::to_string(hms.hours().count())},
        {"minute", fmt::format("{:02}", hms.minutes().count())},
    };
    const std::string_view p = table.at(pattern).as_string();
    std::string out;
    for (std::size_t i = 0; i < p.size();) {
        const auto close = p[i] == '{' ? p.find('}', i) : std::string_view::npos;
        if (close != std::string_view::npos) {
            const auto key = p.substr(i + 1, close - i - 1);
            const auto* v = std::find_if(std::begin(values), std::end(values), [&](auto& kv) {
                return kv.first == key;
            });
            if (v != std::end(values)) {
                out += v->second;
                i = close + 1;
                continue;
            }
        }
        out += p[i++];
    }
    return out;
}

std::vector<std::string> template_names() {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kTemplateCount; ++i) names.emplace_back(kTemplates[i].first);
    return names;
}

namespace {

void escape_to(std::string& out, char c) {
    switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
    }
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) escape_to(out, c);
    return out;
}

std::string text_to_html(std::string_view text) {
    std::string out =
        "<!DOCTYPE html>\n<html><body><div style=\"font-family:sans-serif;"
        "line-height:1.6\">\n<p>";
    auto escape = [&](char c) { escape_to(out, c); };
    std::size_t i = 0;
    while (i < text.size()) {
        const auto rest = text.substr(i);
        if (rest.starts_with("https://") || rest.starts_with("http://")) {
            std::size_t n = 0;
            while (n < rest.size() && rest[n] > ' ' && rest[n] != '<' && rest[n] != '>' &&
                   rest[n] != '"' && rest[n] != '\'')
                ++n;
            const auto link = rest.substr(0, n);
            out += "<a href=\"";
            for (char c : link) escape(c);
            out += "\">";
            for (char c : link) escape(c);
            out += "</a>";
            i += n;
            continue;
        }
        if (rest.starts_with("\n\n")) {
            out += "</p>\n<p>";
            i += 2;
            while (i < text.size() && text[i] == '\n') ++i;
            continue;
        }
        if (text[i] == '\n')
            out += "<br>\n";
        else if (text[i] != '\r')
            escape(text[i]);
        ++i;
    }
    out += "</p>\n</div></body></html>\n";
    return out;
}

jobs::NewJob queued(std::string_view kind, const Mail& mail, Instant now, std::string_view ref) {
    boost::json::array files;
    for (const auto& a : mail.attachments) {
        boost::json::object f{
            {"filename", a.filename}, {"type", a.content_type}, {"content_id", a.content_id}};
        if (a.qr_of.empty())
            f["data64"] = crypto::to_base64(a.data);  // images are bytes, JSON strings UTF-8
        else
            f["qr"] = a.qr_of;
        files.push_back(std::move(f));
    }
    jobs::NewJob job;
    job.topic = "mail";
    job.kind = std::string(kind);
    job.ref = std::string(ref);
    job.run_at = now;
    job.payload = boost::json::serialize(boost::json::object{
        {"to", mail.to},
        {"subject", mail.subject},
        {"text", mail.text},
        {"html", mail.html},
        {"attachments", std::move(files)}});
    return job;
}

Result<void> enqueue(
    Tx& tx,
    crypto::Keyring& keys,
    TenantId tenant,
    std::string_view kind,
    const Mail& mail,
    Instant now,
    std::string_view ref
) {
    YOYAKU_TRY(jobs::enqueue(tx, keys, tenant, queued(kind, mail, now, ref), now));
    return {};
}

namespace {

// A queued attachment's bytes: a QR code drawn now, base64 data, or (queued before attachments
// were base64) "data" as it was.
Result<std::string> attachment_data(const boost::json::object& a) {
    const auto text = [&](std::string_view key) {
        const auto* f = a.if_contains(key);
        return f && f->is_string() ? std::string(f->get_string()) : std::string();
    };
    if (a.contains("qr")) return documents::qr_png(text("qr"), 5);
    if (!a.contains("data64")) return text("data");
    auto data = crypto::from_base64(text("data64"));
    if (!data) return Error::invalid("payload", "an attachment is not base64");
    return std::move(*data);
}

}  // namespace

jobs::Handler sending_handler(MailSender& sender) {
    return [&sender](const jobs::Job& job) -> Result<void> {
        boost::system::error_code ec;
        auto v = boost::json::parse(job.payload, ec);
        if (ec || !v.is_object()) return Error::invalid("payload", "not a queued mail");
        const auto& o = v.get_object();
        auto str = [&](const boost::json::object& from, std::string_view key) {
            const auto* f = from.if_contains(key);
            return f && f->is_string() ? std::string(f->get_string()) : std::string();
        };
        Mail m{str(o, "to"), str(o, "subject"), str(o, "text"), str(o, "html"), {}};
        if (const auto* files = o.if_contains("attachments"); files && files->is_array())
            for (const auto& f : files->get_array())
                if (f.is_object()) {
                    const auto& a = f.get_object();
                    YOYAKU_TRY_ASSIGN(auto data, attachment_data(a));
                    m.attachments.push_back(
                        {str(a, "filename"), str(a, "type"), std::move(data), str(a, "content_id")}
                    );
                }
        if (m.to.empty()) return Error::invalid("payload", "a queued mail without a recipient");
        return sender.send(m);
    };
}

}  // namespace yoyaku::mail

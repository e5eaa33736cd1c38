#include "app/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "core/time.hpp"
#include "crypto/random.hpp"

namespace yoyaku::app {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
    void operator()(curl_mime* m) const { curl_mime_free(m); }
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

bool ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
    });
}

std::string domain_of(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

std::string encode_header_word(std::string_view text) {
    if (ascii(text)) return std::string(text);
    return "=?UTF-8?B?" + crypto::to_base64(text) + "?=";
}

SmtpSender::SmtpSender(SmtpOptions options) : options_(std::move(options)) {
    static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    (void)ok;
}

Result<void> SmtpSender::send(const mail::Mail& m) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Error::unavailable("libcurl could not start");
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (options_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!options_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    const std::string from = "<" + options_.from + ">";
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    std::unique_ptr<curl_slist, CurlDeleter> rcpt(curl_slist_append(nullptr, m.to.c_str()));
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());

    // Headers: addresses were validated on the way in (no CR, LF or specials); the subject is
    // one line, encoded when not ASCII.
    std::unique_ptr<curl_slist, CurlDeleter> headers;
    auto add = [&](const std::string& h) {
        headers.reset(curl_slist_append(headers.release(), h.c_str()));
    };
    add("From: " + encode_header_word(options_.from_name) + " <" + options_.from + ">");
    add("To: <" + m.to + ">");
    add("Subject: " + encode_header_word(m.subject));
    add("Date: " + format_rfc5322(SystemClock{}.now()));
    add("Message-ID: <" + crypto::random_hex(16) + "@" + domain_of(options_.from) + ">");
    add("Auto-Submitted: auto-generated");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

    // multipart/mixed { multipart/related { multipart/alternative { text, html }, inline
    // images… }, attachments… } (related only with inline images); without HTML or
    // attachments, the text alone. Every part is base64, so no line a template or a customer
    // wrote can end the part or the message early.
    std::unique_ptr<curl_mime, CurlDeleter> mime(curl_mime_init(c));
    auto add_text = [](curl_mime* to, const std::string& body, const char* type) {
        curl_mimepart* part = curl_mime_addpart(to);
        curl_mime_data(part, body.data(), body.size());
        curl_mime_type(part, type);
        curl_mime_encoder(part, "base64");
    };
    const auto is_inline = [&](const mail::Attachment& a) {
        return !a.content_id.empty() && !m.html.empty();
    };
    if (m.html.empty()) {
        add_text(mime.get(), m.text, "text/plain; charset=UTF-8");
    } else {
        curl_mime* alt = curl_mime_init(c);
        add_text(alt, m.text, "text/plain; charset=UTF-8");
        add_text(alt, m.html, "text/html; charset=UTF-8");
        // Images the HTML shows (cid:) go with it in multipart/related.
        curl_mime* body = alt;
        if (std::any_of(m.attachments.begin(), m.attachments.end(), is_inline)) {
            body = curl_mime_init(c);
            curl_mimepart* part = curl_mime_addpart(body);
            curl_mime_subparts(part, alt);
            curl_mime_type(part, "multipart/alternative");
            for (const auto& a : m.attachments) {
                if (!is_inline(a)) continue;
                curl_mimepart* image = curl_mime_addpart(body);
                curl_mime_data(image, a.data.data(), a.data.size());
                curl_mime_type(image, a.content_type.c_str());
                curl_mime_encoder(image, "base64");
                curl_slist* h =
                    curl_slist_append(nullptr, ("Content-ID: <" + a.content_id + ">").c_str());
                h = curl_slist_append(
                    h, ("Content-Disposition: inline; filename=\"" + a.filename + "\"").c_str()
                );
                curl_mime_headers(image, h, 1);  // the part owns the list
            }
        }
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_subparts(part, body);  // the part owns it from here
        curl_mime_type(part, body == alt ? "multipart/alternative" : "multipart/related");
    }
    for (const auto& a : m.attachments) {
        if (is_inline(a)) continue;
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_data(part, a.data.data(), a.data.size());
        curl_mime_type(part, a.content_type.c_str());
        curl_mime_filename(part, a.filename.c_str());
        curl_mime_encoder(part, "base64");
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());

    const CURLcode rc = curl_easy_perform(c);
    long smtp = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp);
    if (rc == CURLE_OK) return {};
    std::string why = std::string("curl ") + std::to_string(static_cast<int>(rc)) + " (" +
                      curl_easy_strerror(rc) + "), SMTP " + std::to_string(smtp);
    if (smtp >= 500 && smtp < 600) return Error::invalid("mail", why);
    return Error::unavailable(why);
}

}  // namespace yoyaku::app

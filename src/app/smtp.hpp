#pragma once
// The SMTP side of mail: libcurl, STARTTLS required on smtp:// unless turned off on purpose
// (a loopback MTA), smtps:// for implicit TLS, certificates always verified. One connection
// per message; the relay sends a few at a time.

#include <chrono>
#include <string>

#include "domain/mail/mail.hpp"

namespace yoyaku::app {

struct SmtpOptions {
    std::string url;  ///< smtp://host:587 or smtps://host:465
    std::string from;
    std::string from_name;
    std::string username;
    std::string password;
    bool starttls = true;
    std::string ca_file;
    std::chrono::seconds timeout{30};
};

class SmtpSender final : public mail::MailSender {
public:
    explicit SmtpSender(SmtpOptions options);
    /// Errors: unavailable for connection, TLS and temporary (4xx) failures; invalid_input
    /// when the relay refuses the message for good (5xx). The text names the curl and SMTP
    /// codes, never an address.
    Result<void> send(const mail::Mail& mail) override;

private:
    SmtpOptions options_;
};

/// "=?UTF-8?B?…?=" when `text` is not plain ASCII (RFC 2047), else `text`.
std::string encode_header_word(std::string_view text);

}  // namespace yoyaku::app

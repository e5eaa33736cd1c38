#pragma once
// A real SMTP server for tests: python3-aiosmtpd on 127.0.0.1, STARTTLS required (a fresh
// self-signed certificate for 127.0.0.1), storing each message in a Maildir. The same package
// the project's scripts install; under CI=true its absence fails the test.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "support/test_database.hpp"

namespace yoyaku::testing {

class SmtpSink {
public:
    /// Starts the server and waits until it accepts connections. Throws when it cannot.
    explicit SmtpSink(bool starttls = true);
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    /// The certificate to trust (CURLOPT_CAINFO).
    std::string ca_file() const { return (dir_.path() / "cert.pem").string(); }
    /// Raw messages received so far, oldest first.
    std::vector<std::string> messages() const;
    /// Polls until `n` messages are there or `timeout` passes; returns them.
    std::vector<std::string> wait_for(std::size_t n, std::chrono::seconds timeout) const;
    /// Stops the server (later sends fail to connect).
    void stop();

private:
    TempDir dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

/// A local webhook receiver (tests/support/webhook_receiver.py): verifies each delivery's
/// Standard Webhooks signature with the published algorithm and records it.
class WebhookReceiver {
public:
    /// Answers 500 to the first `fail_first` requests, then 204. Throws when it cannot start.
    explicit WebhookReceiver(int fail_first = 0);
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    std::string url() const { return base_url() + "/hook"; }
    /// Its root, where a LINE API base URL may point.
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// The endpoint's secret ("whsec_…"), once the test has it.
    void set_secret(const std::string& secret) const;
    /// One JSON line per request received: {"id", "timestamp", "valid", "body", "path",
    /// "authorization", "retry_key"}.
    std::vector<std::string> deliveries() const;
    void stop();

private:
    TempDir dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

/// True when the python3-aiosmtpd package is installed.
bool smtp_sink_available();

/// The value of header `name` (first occurrence) in a raw message.
std::string mail_header(const std::string& raw, std::string_view name);
/// The text of a message whose body part is base64 (what the SMTP sender writes), decoded.
std::string mail_text(const std::string& raw);
/// The images a message shows inline: Content-ID (without angle brackets) → decoded bytes.
std::vector<std::pair<std::string, std::string>> mail_inline_images(const std::string& raw);
/// Decodes one RFC 2047 "=?UTF-8?B?…?=" word (or returns the text unchanged).
std::string decode_header_word(const std::string& word);

}  // namespace yoyaku::testing

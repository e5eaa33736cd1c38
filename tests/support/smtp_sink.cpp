#include "support/smtp_sink.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "crypto/random.hpp"
#include "support/child_process.hpp"

namespace yoyaku::testing {
namespace fs = std::filesystem;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

}  // namespace

bool smtp_sink_available() {
    return std::system("/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1") == 0;
}

SmtpSink::SmtpSink(bool starttls) {
    const auto cert = dir_.path() / "cert.pem";
    const auto key = dir_.path() / "key.pem";
    if (starttls) {
        const std::string cmd =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
            "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
            key.string() + " -out " + cert.string() + " >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed");
    }
    const auto maildir = dir_.path() / "maildir";
    port_ = free_port();
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    std::vector<std::string> args = {
        kPython, "-m", "aiosmtpd", "-n", "-l", listen, "-c", "aiosmtpd.handlers.Mailbox"};
    if (starttls) {
        args.insert(args.end(), {"--tlscert", cert.string(), "--tlskey", key.string()});
    }
    args.push_back(maildir.string());
    pid_ = spawn_listening(std::move(args), port_, "aiosmtpd (is python3-aiosmtpd installed?)");
}

SmtpSink::~SmtpSink() {
    stop();
}

void SmtpSink::stop() {
    stop_child(pid_);
}

WebhookReceiver::WebhookReceiver(int fail_first) {
    port_ = free_port();
    pid_ = spawn_listening(
        {kPython,
         YOYAKU_TEST_SUPPORT_DIR "/webhook_receiver.py",
         std::to_string(port_),
         (dir_.path() / "secret").string(),
         (dir_.path() / "out.jsonl").string(),
         std::to_string(fail_first)},
        port_,
        "webhook_receiver.py"
    );
}

WebhookReceiver::~WebhookReceiver() {
    stop();
}

void WebhookReceiver::set_secret(const std::string& secret) const {
    std::ofstream(dir_.path() / "secret") << secret;
}

std::vector<std::string> WebhookReceiver::deliveries() const {
    std::vector<std::string> out;
    std::ifstream in(dir_.path() / "out.jsonl");
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

void WebhookReceiver::stop() {
    stop_child(pid_);
}

std::vector<std::string> SmtpSink::messages() const {
    std::vector<std::pair<fs::file_time_type, std::string>> found;
    const auto dir = dir_.path() / "maildir" / "new";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        found.emplace_back(e.last_write_time(), buf.str());
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

std::vector<std::string> SmtpSink::wait_for(std::size_t n, std::chrono::seconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto m = messages();
    while (m.size() < n && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        m = messages();
    }
    return m;
}

std::string mail_header(const std::string& raw, std::string_view name) {
    std::istringstream in(raw);
    std::string line;
    const std::string prefix = std::string(name) + ": ";
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) break;
        if (line.size() >= prefix.size() &&
            std::equal(prefix.begin(), prefix.end(), line.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            }))
            return line.substr(prefix.size());
    }
    return {};
}

std::string mail_text(const std::string& raw) {
    // The body part: after its "Content-Transfer-Encoding: base64" header block, up to the
    // closing boundary.
    const auto cte = raw.find("Content-Transfer-Encoding: base64");
    if (cte == std::string::npos) return {};
    auto start = raw.find("\n\n", cte);
    auto crlf = raw.find("\r\n\r\n", cte);
    if (crlf != std::string::npos && (start == std::string::npos || crlf < start))
        start = crlf + 4;
    else if (start != std::string::npos)
        start += 2;
    else
        return {};
    const auto end = raw.find("\n--", start);
    auto decoded =
        crypto::from_base64(raw.substr(start, end == std::string::npos ? end : end - start));
    return decoded ? *decoded : std::string{};
}

std::vector<std::pair<std::string, std::string>> mail_inline_images(const std::string& raw) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t at = 0; (at = raw.find("Content-ID: <", at)) != std::string::npos;) {
        const auto id_end = raw.find('>', at);
        const auto id = raw.substr(at + 13, id_end - at - 13);
        auto start = raw.find("\r\n\r\n", at);
        const auto lf = raw.find("\n\n", at);
        if (lf != std::string::npos && (start == std::string::npos || lf < start))
            start = lf + 2;
        else if (start != std::string::npos)
            start += 4;
        else
            break;
        const auto end = raw.find("\n--", start);
        auto decoded =
            crypto::from_base64(raw.substr(start, end == std::string::npos ? end : end - start));
        out.emplace_back(id, decoded ? *decoded : std::string{});
        at = start;
    }
    return out;
}

std::string decode_header_word(const std::string& word) {
    if (!word.starts_with("=?UTF-8?B?") || !word.ends_with("?=")) return word;
    auto d = crypto::from_base64(word.substr(10, word.size() - 12));
    return d ? *d : word;
}

}  // namespace yoyaku::testing

#include "crypto/totp.hpp"

#include <liboath/oath.h>
#include <qrencode.h>

#include <memory>
#include <mutex>

#include "crypto/random.hpp"

namespace yoyaku::crypto {
namespace {

constexpr unsigned kStep = 30;
constexpr unsigned kDigits = 6;

void init_oath() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (oath_init() != OATH_OK) throw std::runtime_error("liboath failed to initialise");
    });
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

time_t seconds(Instant t) {
    return static_cast<time_t>(
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()
    );
}

}  // namespace

std::string new_totp_secret() {
    return random_bytes(20);
}

std::string base32(std::string_view raw) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : raw) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> from_base32(std::string_view text) {
    std::uint32_t buffer = 0;
    int bits = 0;
    std::string out;
    for (char c : text) {
        if (c == '=') break;
        int v = -1;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        if (c >= 'a' && c <= 'z') v = c - 'a';
        if (c >= '2' && c <= '7') v = c - '2' + 26;
        if (v < 0) return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string otpauth_uri(
    std::string_view issuer, std::string_view account, std::string_view secret
) {
    const std::string i = percent_encode(issuer);
    return "otpauth://totp/" + i + ":" + percent_encode(account) + "?secret=" + base32(secret) +
           "&issuer=" + i + "&algorithm=SHA1&digits=6&period=30";
}

std::string totp_code(std::string_view secret, Instant at) {
    init_oath();
    char out[kDigits + 1] = {};
    const int rc =
        oath_totp_generate(secret.data(), secret.size(), seconds(at), kStep, 0, kDigits, out);
    if (rc != OATH_OK) throw std::runtime_error("oath_totp_generate failed");
    return out;
}

std::optional<std::uint64_t> match_totp(
    std::string_view secret, std::string_view code, Instant now
) {
    if (code.size() != kDigits) return std::nullopt;
    for (char c : code)
        if (c < '0' || c > '9') return std::nullopt;
    init_oath();
    const std::string otp(code);
    int pos = 0;
    std::uint64_t counter = 0;
    const int rc = oath_totp_validate3(
        secret.data(), secret.size(), seconds(now), kStep, 0, 1, &pos, &counter, otp.c_str()
    );
    if (rc < 0) return std::nullopt;  // OATH_INVALID_OTP and friends are negative
    return counter;
}

Result<std::string> qr_svg(std::string_view text) {
    const std::string s(text);
    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), QRcode_free
    );
    if (!qr) return Error::invalid("qr", "does not fit in a QR code");
    const int n = qr->width;
    const int margin = 4;
    const int size = n + 2 * margin;
    std::string path;
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (qr->data[y * n + x] & 1)
                path += "M" + std::to_string(x + margin) + " " + std::to_string(y + margin) +
                        "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
           std::to_string(size) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
           "fill=\"#fff\"/><path fill=\"#000\" d=\"" +
           path + "\"/></svg>";
}

}  // namespace yoyaku::crypto

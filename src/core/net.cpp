#include "core/net.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <vector>

namespace yoyaku::net {
namespace {
constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}

bool Address::is_v4() const noexcept {
    return std::memcmp(bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0;
}

std::optional<Address> parse_address(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;
    const std::string s(text);
    Address a;
    in_addr v4{};
    if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        std::memcpy(a.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size());
        std::memcpy(a.bytes.data() + 12, &v4, 4);
        return a;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::memcpy(a.bytes.data(), &v6, 16);
        return a;
    }
    return std::nullopt;
}

std::string to_string(const Address& a) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (a.is_v4()) {
        ::inet_ntop(AF_INET, a.bytes.data() + 12, buf, sizeof buf);
    } else {
        ::inet_ntop(AF_INET6, a.bytes.data(), buf, sizeof buf);
    }
    return buf;
}

bool Cidr::contains(const Address& a) const noexcept {
    int bits = prefix;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((a.bytes[i] & mask) != base.bytes[i]) return false;
    }
    return true;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
    const auto slash = text.find('/');
    auto addr = parse_address(text.substr(0, slash));
    if (!addr) return std::nullopt;
    const int width = addr->is_v4() ? 32 : 128;
    int prefix = width;
    if (slash != std::string_view::npos) {
        auto digits = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
            prefix < 0 || prefix > width)
            return std::nullopt;
    }
    Cidr c{*addr, prefix + (128 - width)};
    // Host bits must be zero.
    int bits = c.prefix;
    for (std::size_t i = 0; i < 16; ++i, bits -= 8) {
        const std::uint8_t keep = bits >= 8  ? 0xff
                                  : bits > 0 ? static_cast<std::uint8_t>(0xff << (8 - bits))
                                             : 0;
        if ((c.base.bytes[i] & ~keep & 0xff) != 0) return std::nullopt;
    }
    return c;
}

std::string to_string(const Cidr& c) {
    const int width_off = c.base.is_v4() && c.prefix >= 96 ? 96 : 0;
    const int shown = c.prefix - width_off;
    if (shown == 128 - width_off) return to_string(c.base);
    return to_string(c.base) + "/" + std::to_string(shown);
}

Cidr client_network(const Address& a) {
    if (a.is_v4()) return {a, 128};
    Cidr c{a, 64};
    for (std::size_t i = 8; i < 16; ++i) c.base.bytes[i] = 0;
    return c;
}

std::string client_key(std::string_view address) {
    const auto a = parse_address(address);
    if (!a) return std::string(address);
    return to_string(client_network(*a));
}

bool is_public(const Address& a) noexcept {
    static const auto ranges = [] {
        std::vector<Cidr> out;
        for (const char* r :
             {"0.0.0.0/8",      "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8",
              "169.254.0.0/16", "172.16.0.0/12",  "192.0.0.0/24",  "192.0.2.0/24",
              "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
              "203.0.113.0/24", "224.0.0.0/3",    "::/128",        "::1/128",
              "64:ff9b::/96",   "64:ff9b:1::/48", "100::/64",      "2001::/23",
              "2001:db8::/32",  "2002::/16",      "fc00::/7",      "fe80::/10",
              "fec0::/10",      "ff00::/8",       "::/96"})
            out.push_back(*parse_cidr(r));
        return out;
    }();
    if (a.is_v4()) {
        // Mapped IPv4: test against the IPv4 ranges only (their mapped forms).
        for (const auto& c : ranges)
            if (c.base.is_v4() && c.contains(a)) return false;
        return true;
    }
    for (const auto& c : ranges)
        if (!c.base.is_v4() && c.contains(a)) return false;
    return true;
}

}  // namespace yoyaku::net

#pragma once
// IP addresses and CIDR ranges for block and allow lists (SPEC S3). IPv4 addresses are held as
// IPv4-mapped IPv6, so "192.0.2.1" and "::ffff:192.0.2.1" are the same address.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yoyaku::net {

struct Address {
    std::array<std::uint8_t, 16> bytes{};
    bool is_v4() const noexcept;
    friend bool operator==(const Address&, const Address&) = default;
};

/// Parses a textual IPv4 or IPv6 address (no zone id, no brackets). nullopt when malformed.
std::optional<Address> parse_address(std::string_view text);
/// The canonical text: dotted quad for IPv4 (also when mapped), RFC 5952 for IPv6.
std::string to_string(const Address& a);

struct Cidr {
    Address base;      ///< with the host bits cleared
    int prefix = 128;  ///< over the 128-bit (mapped) form
    bool contains(const Address& a) const noexcept;
    friend bool operator==(const Cidr&, const Cidr&) = default;
};

/// "192.0.2.0/24", "2001:db8::/32" or a single address (a /32 or /128). Host bits set below
/// the prefix are refused, so "192.0.2.1/24" is an error rather than a silent widening.
std::optional<Cidr> parse_cidr(std::string_view text);
/// Canonical text ("192.0.2.0/24"; a single address without a prefix).
std::string to_string(const Cidr& c);

/// The range a client is counted by in throttles and automatic blocks: an IPv4 address alone,
/// an IPv6 address's /64 (one subscriber's allocation: a client walking through its /64 stays
/// one client).
Cidr client_network(const Address& a);
/// client_network() as text for an address given as text; the text itself when it is not an
/// address (it is then not the socket's, and counts only as itself).
std::string client_key(std::string_view address);

/// False for addresses that reach the machine itself or a private network rather than the
/// public internet: loopback, unspecified, private (RFC 1918, fc00::/7), shared (100.64/10),
/// link-local, multicast, reserved, documentation and benchmarking ranges, and IPv6 forms that
/// embed an IPv4 address (NAT64, 6to4) — what outbound requests to user-given URLs must refuse.
bool is_public(const Address& a) noexcept;

}  // namespace yoyaku::net

#include "core/net.hpp"

#include <gtest/gtest.h>

using namespace yoyaku::net;

TEST(Net, ParsesAndPrintsAddresses) {
    EXPECT_EQ(to_string(*parse_address("192.0.2.7")), "192.0.2.7");
    EXPECT_EQ(to_string(*parse_address("::ffff:192.0.2.7")), "192.0.2.7");
    EXPECT_EQ(*parse_address("::ffff:192.0.2.7"), *parse_address("192.0.2.7"));
    EXPECT_EQ(to_string(*parse_address("2001:DB8:0:0::1")), "2001:db8::1");
    EXPECT_FALSE(parse_address(""));
    EXPECT_FALSE(parse_address("192.0.2"));
    EXPECT_FALSE(parse_address("192.0.2.256"));
    EXPECT_FALSE(parse_address("fe80::1%eth0"));
    EXPECT_FALSE(parse_address("example.org"));
}

TEST(Net, CidrContainsItsRangeOnly) {
    auto c = parse_cidr("192.0.2.0/24");
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->contains(*parse_address("192.0.2.0")));
    EXPECT_TRUE(c->contains(*parse_address("192.0.2.255")));
    EXPECT_TRUE(c->contains(*parse_address("::ffff:192.0.2.9")));
    EXPECT_FALSE(c->contains(*parse_address("192.0.3.1")));
    EXPECT_FALSE(c->contains(*parse_address("2001:db8::1")));
    EXPECT_EQ(to_string(*c), "192.0.2.0/24");

    auto v6 = parse_cidr("2001:db8::/32");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->contains(*parse_address("2001:db8:ffff::1")));
    EXPECT_FALSE(v6->contains(*parse_address("2001:db9::1")));
    EXPECT_EQ(to_string(*v6), "2001:db8::/32");

    auto one = parse_cidr("198.51.100.4");
    ASSERT_TRUE(one);
    EXPECT_TRUE(one->contains(*parse_address("198.51.100.4")));
    EXPECT_FALSE(one->contains(*parse_address("198.51.100.5")));
    EXPECT_EQ(to_string(*one), "198.51.100.4");

    auto all = parse_cidr("0.0.0.0/0");
    ASSERT_TRUE(all);
    EXPECT_TRUE(all->contains(*parse_address("203.0.113.1")));
    EXPECT_FALSE(all->contains(*parse_address("::1")));
}

TEST(Net, CidrRefusesHostBitsAndBadPrefixes) {
    EXPECT_FALSE(parse_cidr("192.0.2.1/24"));
    EXPECT_FALSE(parse_cidr("192.0.2.0/33"));
    EXPECT_FALSE(parse_cidr("192.0.2.0/"));
    EXPECT_FALSE(parse_cidr("192.0.2.0/2x"));
    EXPECT_FALSE(parse_cidr("2001:db8::1/32"));
    EXPECT_FALSE(parse_cidr("2001:db8::/129"));
}

TEST(Net, OnlyPublicInternetAddressesArePublic) {
    for (const char* a : {"93.184.215.14", "8.8.8.8", "2606:4700::1111", "1.1.1.1"})
        EXPECT_TRUE(is_public(*parse_address(a))) << a;
    for (const char* a : {"127.0.0.1",  "127.8.9.10",       "0.0.0.0",         "10.1.2.3",
                          "172.16.0.1", "172.31.255.255",   "192.168.1.1",     "169.254.169.254",
                          "100.64.0.1", "224.0.0.1",        "255.255.255.255", "::1",
                          "::",         "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1",
                          "fd00::1",    "64:ff9b::a00:1",   "2002:a00:1::1",   "ff02::1"})
        EXPECT_FALSE(is_public(*parse_address(a))) << a;
    EXPECT_TRUE(is_public(*parse_address("172.32.0.1")));
    EXPECT_TRUE(is_public(*parse_address("::ffff:8.8.8.8")));
}

// Issue 24, defect 8: an IPv6 client is counted by its /64, an IPv4 one by its address.
TEST(Net, ClientsAreCountedByTheirIpv6SlashSixtyFour) {
    EXPECT_EQ(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    EXPECT_EQ(client_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
    EXPECT_NE(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
    EXPECT_EQ(client_key("192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(client_key("::ffff:192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(client_key("not an address"), "not an address");
    const auto net = client_network(*parse_address("2001:db8:1:2:aaaa::1"));
    EXPECT_TRUE(net.contains(*parse_address("2001:db8:1:2::99")));
    EXPECT_FALSE(net.contains(*parse_address("2001:db8:1:3::99")));
}

#include "crypto/sealing.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "crypto/keyring.hpp"

using namespace yoyaku;
using namespace yoyaku::crypto;

namespace {
const TenantId kA{1}, kB{2};

struct TempKeys {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() /
        ("yoyaku-keys-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    ~TempKeys() { std::filesystem::remove_all(dir); }
};
}  // namespace

TEST(Sealing, RoundTripsAndHidesThePlaintext) {
    auto key = SecretKey::random();
    const std::string name = "カナリア太郎 canary@example.test";
    auto ctx = field_context(kA, "customers", "name", 7);
    auto sealed = seal(key, name, ctx);
    EXPECT_EQ(sealed.find("canary"), std::string::npos);
    EXPECT_NE(seal(key, name, ctx), sealed);  // random nonces
    EXPECT_EQ(*open(key, sealed, ctx), name);
}

TEST(Sealing, RefusesAnotherRowColumnTenantOrKey) {
    auto key = SecretKey::random();
    auto sealed = seal(key, "secret", field_context(kA, "customers", "email", 7));
    EXPECT_FALSE(open(key, sealed, field_context(kA, "customers", "email", 8)));
    EXPECT_FALSE(open(key, sealed, field_context(kA, "customers", "phone", 7)));
    EXPECT_FALSE(open(key, sealed, field_context(kB, "customers", "email", 7)));
    EXPECT_FALSE(open(SecretKey::random(), sealed, field_context(kA, "customers", "email", 7)));
}

TEST(Sealing, RefusesAnyFlippedByteOrTruncation) {
    auto key = SecretKey::random();
    auto ctx = field_context(kA, "t", "c", 1);
    auto sealed = seal(key, "0123456789", ctx);
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        auto bad = sealed;
        bad[i] = static_cast<char>(bad[i] ^ 0x01);
        EXPECT_FALSE(open(key, bad, ctx)) << "byte " << i;
    }
    EXPECT_FALSE(open(key, sealed.substr(0, sealed.size() - 1), ctx));
    EXPECT_FALSE(open(key, "", ctx));
}

TEST(BlindIndex, IsStablePerKeyAndDiffersAcrossKeys) {
    auto k1 = SecretKey::random(), k2 = SecretKey::random();
    EXPECT_EQ(blind_index(k1, "hanako@example.test"), blind_index(k1, "hanako@example.test"));
    EXPECT_NE(blind_index(k1, "hanako@example.test"), blind_index(k1, "taro@example.test"));
    EXPECT_NE(blind_index(k1, "hanako@example.test"), blind_index(k2, "hanako@example.test"));
    EXPECT_EQ(blind_index(k1, "x").size(), 64u);
}

TEST(Keyring, CreatesAPrivateMasterKeyAndReopensIt) {
    TempKeys t;
    auto ring = Keyring::open(t.dir, true);
    ASSERT_TRUE(ring) << ring.error().message;
    struct stat st {};
    ASSERT_EQ(::stat((t.dir / "master.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(t.dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    auto keys = (*ring)->tenant_keys(kA);
    ASSERT_TRUE(keys);
    auto sealed = seal(keys->seal, "data", "ctx");

    auto again = Keyring::open(t.dir, false);
    ASSERT_TRUE(again);
    auto same = (*again)->tenant_keys(kA);
    ASSERT_TRUE(same);
    EXPECT_EQ(*open(same->seal, sealed, "ctx"), "data");
    EXPECT_NE(blind_index(same->index, "x"), blind_index((*again)->tenant_keys(kB)->index, "x"));
}

TEST(Keyring, RefusesAMasterKeyOthersCanRead) {
    TempKeys t;
    ASSERT_TRUE(Keyring::open(t.dir, true));
    ::chmod((t.dir / "master.key").c_str(), 0644);
    auto r = Keyring::open(t.dir, false);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "keys");
    EXPECT_NE(r.error().message.find("chmod 600"), std::string::npos);
}

TEST(Keyring, MissingMasterKeyIsAnErrorUnlessCreating) {
    TempKeys t;
    auto r = Keyring::open(t.dir, false);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "keys");
}

TEST(Keyring, TenantKeysDoNotOpenUnderAnotherMasterKey) {
    TempKeys t;
    {
        auto ring = Keyring::open(t.dir, true);
        ASSERT_TRUE((*ring)->tenant_keys(kA));
    }
    std::ofstream(t.dir / "master.key", std::ios::binary | std::ios::trunc) << std::string(32, 'x');
    auto ring = Keyring::open(t.dir, false);
    ASSERT_TRUE(ring);
    auto keys = (*ring)->tenant_keys(kA);
    ASSERT_FALSE(keys);
    EXPECT_EQ(keys.error().code, Errc::unprocessable);
}

TEST(Keyring, DestroyingATenantKeyMakesItsDataUnreadableForGood) {
    TempKeys t;
    auto ring = Keyring::open(t.dir, true);
    ASSERT_TRUE(ring);
    auto keys = (*ring)->tenant_keys(kA);
    ASSERT_TRUE(keys);
    auto sealed = seal(keys->seal, "カナリア太郎", field_context(kA, "customers", "name", 1));
    ASSERT_TRUE((*ring)->tenant_keys(kB));
    ASSERT_TRUE((*ring)->destroy(kA));
    EXPECT_FALSE((*ring)->has(kA));
    EXPECT_TRUE((*ring)->has(kB));
    auto after = (*ring)->tenant_keys(kA);  // never silently re-created
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, Errc::not_found);
    auto reopened = Keyring::open(t.dir, false);
    ASSERT_FALSE((*reopened)->tenant_keys(kA));
    EXPECT_TRUE((*reopened)->tenant_keys(kB));
    EXPECT_TRUE((*ring)->destroy(kA));  // idempotent
    (void)sealed;
}

TEST(Keyring, ANewDataKeyGenerationSealsNewDataAndStillOpensTheOld) {
    TempKeys t;
    auto ring = Keyring::open(t.dir, true);
    ASSERT_TRUE(ring);
    auto first = (*ring)->tenant_keys(kA);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->generation, 1u);
    EXPECT_TRUE(first->older.empty());
    const auto ctx = field_context(kA, "customers", "name", 1);
    const auto old_sealed = seal(first->seal, "カナリア太郎", ctx);

    auto g = (*ring)->add_data_key(kA);
    ASSERT_TRUE(g);
    EXPECT_EQ(*g, 2u);
    auto second = (*ring)->tenant_keys(kA);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->generation, 2u);
    ASSERT_EQ(second->older.size(), 1u);
    EXPECT_NE(second->seal.view(), first->seal.view());
    EXPECT_FALSE(open(second->seal, old_sealed, ctx)) << "not under the new generation";
    EXPECT_EQ(*second->open(old_sealed, ctx), "カナリア太郎") << "an older generation opens it";
    // Look-ups: the index under each generation, the current one first.
    const auto idx = second->indexes("hanako@example.test");
    ASSERT_EQ(idx.size(), 2u);
    EXPECT_EQ(idx[0], blind_index(second->index, "hanako@example.test"));
    EXPECT_EQ(idx[1], blind_index(first->index, "hanako@example.test"));
    // Another tenant is not touched.
    ASSERT_TRUE((*ring)->tenant_keys(kB));
    EXPECT_EQ((*ring)->tenant_keys(kB)->generation, 1u);

    // Dropping the older generations: what they sealed no longer opens.
    auto dropped = (*ring)->drop_older_data_keys(kA);
    ASSERT_TRUE(dropped);
    EXPECT_EQ(*dropped, 1);
    auto third = (*ring)->tenant_keys(kA);
    EXPECT_TRUE(third->older.empty());
    EXPECT_EQ(third->generation, 2u);
    EXPECT_FALSE(third->open(old_sealed, ctx));
    EXPECT_EQ((*ring)->drop_older_data_keys(kA).value(), 0);
}

TEST(Keyring, AnotherProcessesRotationIsSeenOnTheNextUseWithoutARestart) {
    TempKeys t;
    auto node = Keyring::open(t.dir, true);  // a running server
    ASSERT_TRUE(node);
    auto before = (*node)->tenant_keys(kA);
    ASSERT_TRUE(before);
    const auto altcha = (*node)->platform_key("altcha");
    auto cli = Keyring::open(t.dir, false);  // `yoyaku keys rotate` in another process
    ASSERT_TRUE(cli);
    ASSERT_TRUE((*cli)->rotate_master());
    // Platform keys follow the new master at once, the old one's next.
    const auto platform = (*node)->platform_keys("altcha");
    ASSERT_EQ(platform.size(), 2u);
    EXPECT_NE(platform[0].view(), altcha.view());
    EXPECT_EQ(platform[0].view(), (*cli)->platform_key("altcha").view());
    EXPECT_EQ(platform[1].view(), altcha.view());
    ASSERT_TRUE((*cli)->add_data_key(kA));
    auto after = (*node)->tenant_keys(kA);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(after->generation, 2u);
    EXPECT_EQ((*cli)->tenant_keys(kA)->seal.view(), after->seal.view());
    ASSERT_EQ(after->older.size(), 1u);
    EXPECT_EQ(after->older.front().seal.view(), before->seal.view());
    // A key file written before generations existed (32 raw bytes) still opens as generation 1.
    const auto legacy_key = SecretKey::random();
    const auto master = [&] {
        std::ifstream in(t.dir / "master.key", std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    std::ofstream(t.dir / "tenants" / "9.key", std::ios::binary | std::ios::trunc)
        << seal(*SecretKey::from_bytes(master), legacy_key.view(), "yoyaku-keyring/tenant:9");
    std::filesystem::permissions(
        t.dir / "tenants" / "9.key",
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::perm_options::replace
    );
    auto legacy = (*node)->tenant_keys(TenantId{9});
    ASSERT_TRUE(legacy) << legacy.error().message;
    EXPECT_EQ(legacy->generation, 1u);
    EXPECT_EQ(legacy->seal.view(), derive(legacy_key, 1, "seal").view());
}

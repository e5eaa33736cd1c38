// Built-in TLS: 1.2/1.3 only, AEAD suites only, HSTS, and certificate reload.

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cstdlib>

#include "support/test_database.hpp"
#include "support/test_server.hpp"

using namespace yoyaku;
using namespace yoyaku::http;
using namespace yoyaku::testing;
namespace asio = boost::asio;

namespace {

void make_cert(const std::filesystem::path& dir, const std::string& cn) {
    auto cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=" +
        cn + " -keyout " + (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() +
        " >/dev/null 2>&1 && chmod 600 " + (dir / "key.pem").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
}

struct Handshake {
    bool ok = false;
    std::string cipher;
    std::string version;
    std::string subject_cn;
    std::string response;
};

Handshake connect_tls(
    std::uint16_t port, int min_version, int max_version, const char* ciphers = nullptr
) {
    asio::io_context ioc;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), min_version);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), max_version);
    SSL_CTX_set_security_level(ctx.native_handle(), 0);  // let the client offer old things
    if (ciphers) SSL_CTX_set_cipher_list(ctx.native_handle(), ciphers);
    ctx.set_verify_mode(asio::ssl::verify_none);
    asio::ssl::stream<asio::ip::tcp::socket> s(ioc, ctx);
    Handshake h;
    boost::system::error_code ec;
    s.lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return h;
    s.handshake(asio::ssl::stream_base::client, ec);
    if (ec) return h;
    h.ok = true;
    h.cipher = SSL_get_cipher_name(s.native_handle());
    h.version = SSL_get_version(s.native_handle());
    X509* peer = SSL_get1_peer_certificate(s.native_handle());
    char buf[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf, sizeof buf);
    h.subject_cn = buf;
    X509_free(peer);
    std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    asio::write(s, asio::buffer(req), ec);
    std::array<char, 4096> b;
    for (;;) {
        auto n = s.read_some(asio::buffer(b), ec);
        if (ec) break;
        h.response.append(b.data(), n);
    }
    return h;
}

void routes(Router& r, Metrics&) {
    r.add(
        {"GET", "/healthz", "public", [](Request&) { return Response::json(200, "{}"); }, Exec::io}
    );
}

class TlsServer : public ::testing::Test {
protected:
    void SetUp() override {
        make_cert(dir_.path(), "first.test");
        ServerOptions o;
        o.tls_cert_file = (dir_.path() / "cert.pem").string();
        o.tls_key_file = (dir_.path() / "key.pem").string();
        server_ = std::make_unique<TestServer>(o, routes);
    }
    TempDir dir_;
    std::unique_ptr<TestServer> server_;
};

}  // namespace

TEST_F(TlsServer, Tls13AndTls12AeadWorkAndSendHsts) {
    auto h13 = connect_tls(server_->port(), TLS1_3_VERSION, TLS1_3_VERSION);
    ASSERT_TRUE(h13.ok);
    EXPECT_EQ(h13.version, "TLSv1.3");
    EXPECT_NE(h13.response.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_NE(h13.response.find("Strict-Transport-Security: max-age=31536000"), std::string::npos);
    auto h12 = connect_tls(server_->port(), TLS1_2_VERSION, TLS1_2_VERSION);
    ASSERT_TRUE(h12.ok);
    EXPECT_EQ(h12.version, "TLSv1.2");
    EXPECT_TRUE(
        h12.cipher.find("GCM") != std::string::npos ||
        h12.cipher.find("CHACHA20") != std::string::npos
    ) << h12.cipher;
}

TEST_F(TlsServer, RefusesOldProtocolsAndNonAeadSuites) {
    EXPECT_FALSE(connect_tls(server_->port(), TLS1_VERSION, TLS1_1_VERSION).ok);
    EXPECT_FALSE(
        connect_tls(
            server_->port(), TLS1_2_VERSION, TLS1_2_VERSION, "ECDHE-ECDSA-AES128-SHA:AES128-SHA"
        )
            .ok
    );
}

TEST_F(TlsServer, ReloadServesTheNewCertificateToNewConnections) {
    EXPECT_EQ(
        connect_tls(server_->port(), TLS1_2_VERSION, TLS1_3_VERSION).subject_cn, "first.test"
    );
    make_cert(dir_.path(), "second.test");
    ASSERT_TRUE(server_->server().reload_tls());
    EXPECT_EQ(
        connect_tls(server_->port(), TLS1_2_VERSION, TLS1_3_VERSION).subject_cn, "second.test"
    );
}

TEST(TlsConfig, AMissingCertificateFileIsNamed) {
    TempDir dir;
    ServerOptions o;
    o.tls_cert_file = (dir.path() / "missing.pem").string();
    o.tls_key_file = (dir.path() / "missing-key.pem").string();
    Metrics m;
    struct NullApp : HttpApp {
        bool prepare(Request&) override { return false; }
        Response handle(Request&) override { return {}; }
        Response reject(Request&, const Error&) override { return {}; }
        void completed(const Request&, int, std::size_t, std::chrono::nanoseconds) override {}
    } app;
    Server s(o, app, m);
    auto r = s.start();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "server.tls_cert_file");
}

#include "support/http_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace yoyaku::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

HttpResult raw_request(
    std::uint16_t port, const std::string& raw, std::chrono::milliseconds timeout
) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    HttpResult out;
    beast::error_code ec;
    stream.expires_after(timeout);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return out;
    // Write may fail midway when the server refuses early (e.g. 413); still try to read.
    asio::write(stream.socket(), asio::buffer(raw), ec);
    beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(raw.starts_with("HEAD "));
    stream.expires_after(timeout);
    // Blocking read with the stream's timeout.
    bool done = false;
    bhttp::async_read(stream, buf, parser, [&](beast::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    ioc.run();
    if (!done || ec) return out;
    auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& f : res) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // Several Set-Cookie lines are kept, one per line; other names keep the last.
        auto& kept = out.headers[name];
        kept = name == "set-cookie" && !kept.empty() ? kept + "\n" + std::string(f.value())
                                                     : std::string(f.value());
    }
    out.body = res.body();
    return out;
}

HttpResult request(
    std::uint16_t port,
    const std::string& method,
    const std::string& target,
    const std::string& headers,
    const std::string& body
) {
    std::string raw =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    return raw_request(port, raw);
}

std::chrono::milliseconds time_until_closed(
    std::uint16_t port, const std::string& partial, std::chrono::milliseconds limit
) {
    asio::io_context ioc;
    tcp::socket sock(ioc);
    beast::error_code ec;
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return std::chrono::milliseconds(0);
    auto start = std::chrono::steady_clock::now();
    if (!partial.empty()) asio::write(sock, asio::buffer(partial), ec);
    asio::steady_timer timer(ioc, limit);
    bool closed = false;
    std::array<char, 4096> b;
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code e,
                                                                      std::size_t) {
        if (e) {
            closed = true;
            timer.cancel();
            return;
        }
        sock.async_read_some(asio::buffer(b), on_read);
    };
    sock.async_read_some(asio::buffer(b), on_read);
    timer.async_wait([&](beast::error_code e) {
        if (!e) sock.close();
    });
    ioc.run();
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start
    );
    return closed && took < limit ? took : limit;
}

}  // namespace yoyaku::testing

#include "app/http_post.hpp"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <boost/url/parse.hpp>
#include <memory>

#include "core/net.hpp"

namespace yoyaku::app {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct AddrinfoDeleter {
    void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
    return size * n;
}

constexpr std::size_t kMaxReply = 1 << 20;

std::size_t keep(char* data, std::size_t size, std::size_t n, void* into) {
    auto* body = static_cast<std::string*>(into);
    if (body->size() + size * n > kMaxReply) return 0;  // curl stops: too large
    body->append(data, size * n);
    return size * n;
}

// What every outbound call sets: the address, http(s) only, no redirects, certificates
// verified (TLS 1.2 at least), the time limit, no proxy; a POST's body when there is one.
void set_common(CURL* c, const PostOptions& o, const std::string& url, const std::string* body) {
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    if (body) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
}

// Sends with `headers` (and no "Expect: 100-continue"): the answer's status. Errors:
// unavailable, named after `what`.
Result<int> perform(
    CURL* c, const std::vector<std::pair<std::string, std::string>>& headers, const char* what
) {
    std::unique_ptr<curl_slist, CurlDeleter> list;
    for (const auto& [name, value] : headers) {
        const std::string h = name + ": " + value;
        list.reset(curl_slist_append(list.release(), h.c_str()));
    }
    list.reset(curl_slist_append(list.release(), "Expect:"));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        return Error::unavailable(
            std::string(what) + "curl " + std::to_string(static_cast<int>(rc)) + " (" +
            curl_easy_strerror(rc) + ")"
        );
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return static_cast<int>(status);
}

void init_curl() {
    static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    (void)ok;
}

}  // namespace

CurlPoster::CurlPoster(PostOptions options) : options_(std::move(options)) {
    init_curl();
}

Result<int> CurlPoster::post(const webhooks::Outgoing& request) {
    auto url = boost::urls::parse_absolute_uri(request.url);
    if (!url) return Error::invalid("url", "not an absolute URL");
    std::string host(url->host());  // decoded; IPv6 literals without brackets come as host_ipv6
    if (url->host_type() == boost::urls::host_type::ipv6)
        host = url->host_ipv6_address().to_string();
    const bool https = url->scheme() == "https";
    const std::string port =
        url->has_port() ? std::string(url->port()) : std::string(https ? "443" : "80");

    // Resolve once and keep the first address that passes.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found)
        return Error::unavailable("webhook target: the host does not resolve");
    std::unique_ptr<addrinfo, AddrinfoDeleter> list(found);
    std::string pinned;
    for (auto* a = found; a; a = a->ai_next) {
        char text[NI_MAXHOST] = {};
        if (::getnameinfo(
                a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST
            ) != 0)
            continue;
        auto parsed = net::parse_address(text);
        if (!parsed) continue;
        if (!options_.allow_private_targets && !net::is_public(*parsed)) continue;
        pinned = text;
        break;
    }
    if (pinned.empty())
        return Error{
            Errc::forbidden,
            "the target is not a public address",
            "url",
            "webhook target resolves to a loopback or private address"};

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Error::unavailable("libcurl could not start");
    CURL* c = curl.get();
    // CURLOPT_RESOLVE wants IPv6 addresses in brackets.
    const std::string resolve =
        host + ":" + port + ":" +
        (pinned.find(':') != std::string::npos ? "[" + pinned + "]" : pinned);
    std::unique_ptr<curl_slist, CurlDeleter> resolves(curl_slist_append(nullptr, resolve.c_str()));
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolves.get());
    set_common(c, options_, request.url, &request.body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    return perform(c, request.headers, "");
}

CurlTransport::CurlTransport(PostOptions options) : options_(std::move(options)) {
    init_curl();
}

Result<outbound::HttpReply> CurlTransport::send(const outbound::HttpCall& call) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Error::unavailable("libcurl could not start");
    CURL* c = curl.get();
    std::string body;
    const bool with_body = call.method == "POST" || call.method == "PATCH";
    set_common(c, options_, call.url, with_body ? &call.body : nullptr);
    if (call.method == "DELETE" || call.method == "PATCH")
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    YOYAKU_TRY_ASSIGN(const int status, perform(c, call.headers, "outside service: "));
    return outbound::HttpReply{status, std::move(body)};
}

}  // namespace yoyaku::app

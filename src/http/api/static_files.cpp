#include "http/api/static_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "http/json/problem.hpp"
#include "http/router/router.hpp"

namespace yoyaku::http {
namespace fs = std::filesystem;

namespace {
constexpr std::uintmax_t kMaxFile = 32u << 20;

std::string_view content_type(const fs::path& p) {
    static const std::pair<std::string_view, std::string_view> table[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".map", "application/json"},
    };
    auto ext = p.extension().string();
    for (auto& [e, t] : table)
        if (ext == e) return t;
    return "application/octet-stream";
}

/// A page of the single-page app: under one of its sections and not a file name.
bool app_page(const std::vector<std::string>& segs) {
    static constexpr std::string_view sections[] = {
        "t", "me", "admin", "operator", "kiosk", "setup", "status"};
    if (segs.empty() ||
        std::find(std::begin(sections), std::end(sections), segs.front()) == std::end(sections))
        return false;
    return segs.back().find('.') == std::string::npos;
}
}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(fs::weakly_canonical(std::move(root))) {}

Response StaticFiles::serve(const Request& req) const {
    auto missing = [&] { return problem(Error::not_found("no such resource"), req); };
    auto segs = split_path(req.path);
    if (!segs) return missing();
    fs::path rel;
    for (const auto& s : *segs) {
        if (s.empty() || s.front() == '.') return missing();
        rel /= s;
    }
    if (segs->empty()) rel = "index.html";
    std::error_code ec;
    fs::path full = fs::canonical(root_ / rel, ec);
    if (ec && app_page(*segs)) full = fs::canonical(root_ / "index.html", ec);
    if (ec) return missing();
    // The resolved file must still lie under the root (a symlink may not lead out).
    auto [r, f] = std::mismatch(root_.begin(), root_.end(), full.begin(), full.end());
    if (r != root_.end() || !fs::is_regular_file(full, ec)) return missing();
    auto size = fs::file_size(full, ec);
    if (ec || size > kMaxFile) return missing();
    auto mtime = fs::last_write_time(full, ec).time_since_epoch().count();
    std::string etag = fmt::format("\"{:x}-{:x}\"", size, static_cast<std::uint64_t>(mtime));

    Response resp;
    resp.headers.set("Content-Type", std::string(content_type(full)));
    resp.headers.set("ETag", etag);
    resp.headers.set(
        "Cache-Control",
        req.path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache"
    );
    if (req.headers.get("If-None-Match") == etag) {
        resp.status = 304;
        return resp;
    }
    std::ifstream in(full, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    resp.body = std::move(buf).str();
    return resp;
}

}  // namespace yoyaku::http

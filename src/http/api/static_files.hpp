#pragma once
// Serves the built web app from one directory: no traversal (decoded ".." and separators are
// refused, symlinks may not leave the root), no listings, no dot-files; fingerprinted files
// under /assets/ are cached for a year, everything else revalidates by ETag. The web app's own
// pages (/t/{tenant}/…, /me, /admin, /operator, /kiosk) have no file of their own: they get the
// app's index.html, whose script routes on the path.

#include <filesystem>

#include "http/router/message.hpp"

namespace yoyaku::http {

class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root);
    /// GET/HEAD of a file under the root; a problem+json 404 for anything else.
    Response serve(const Request& req) const;
    const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::filesystem::path root_;  // canonical
};

}  // namespace yoyaku::http

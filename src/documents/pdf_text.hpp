#pragma once
// Tests only: the text poppler's pdftotext (poppler-utils) reads out of a document, laid out
// as on the page; empty when the tool is missing (the test then fails on what it expects).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace yoyaku::documents {

inline std::string pdf_text(const std::string& pdf) {
    char path[] = "/tmp/yoyaku-pdf-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return {};
    std::ofstream(path, std::ios::binary) << pdf;
    std::string out;
    if (FILE* p =
            popen(("pdftotext -layout -enc UTF-8 " + std::string(path) + " - 2>&1").c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        pclose(p);
    }
    close(fd);
    unlink(path);
    return out;
}

}  // namespace yoyaku::documents

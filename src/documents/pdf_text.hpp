#pragma once
// Tests only: the text poppler's pdftotext (poppler-utils) reads out of a document, laid out
// as on the page, and the QR codes zbar's zbarimg (zbar-tools) reads out of an image or of a
// document's pages (rendered by pdftoppm); empty when a tool is missing (the test then fails
// on what it expects).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace yoyaku::documents {

// What `command` (given the path of a temporary file holding `bytes`) prints.
inline std::string run_on_file(const std::string& bytes, const std::string& command) {
    char path[] = "/tmp/yoyaku-doc-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return {};
    std::ofstream(path, std::ios::binary) << bytes;
    std::string out;
    std::string cmd = command;
    for (std::size_t at; (at = cmd.find("{}")) != std::string::npos;) cmd.replace(at, 2, path);
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        pclose(p);
    }
    close(fd);
    unlink(path);
    return out;
}

inline std::string pdf_text(const std::string& pdf) {
    return run_on_file(pdf, "pdftotext -layout -enc UTF-8 {} - 2>&1");
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
        if (nl > at) out.push_back(text.substr(at, nl - at));
    if (at < text.size()) out.push_back(text.substr(at));
    return out;
}

/// The QR codes in a PNG image, one per line as zbarimg reads them.
inline std::vector<std::string> png_qr_codes(const std::string& png) {
    return lines_of(run_on_file(png, "zbarimg --raw -q -Sdisable -Sqrcode.enable {} 2>/dev/null"));
}

/// The QR codes on every page of a PDF (pages rendered at 150 dpi), in page order.
inline std::vector<std::string> pdf_qr_codes(const std::string& pdf) {
    return lines_of(run_on_file(
        pdf,
        "d=$(mktemp -d) && pdftoppm -r 150 -png {} \"$d/p\" && for f in \"$d\"/p*.png; do "
        "zbarimg --raw -q -Sdisable -Sqrcode.enable \"$f\"; done 2>/dev/null; rm -rf \"$d\""
    ));
}

}  // namespace yoyaku::documents

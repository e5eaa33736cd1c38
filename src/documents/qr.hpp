#pragma once
// QR codes (libqrencode) for what a person shows at a door: the modules of a code, drawn into
// a PDF (Pdf::qr) or as a PNG image for a mail (cairo's image surface). Error correction M.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::documents {

/// A QR code's modules, `size` × `size`, row by row; true is dark.
struct QrCode {
    int size = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

/// The code for `text` (8-bit mode). Errors: invalid_input (field "qr") when it does not fit.
Result<QrCode> qr_code(std::string_view text);

/// The code as a PNG, `module_px` pixels per module with the standard 4-module quiet zone.
/// Errors: as qr_code; internal (cairo's status).
Result<std::string> qr_png(std::string_view text, int module_px = 6);

}  // namespace yoyaku::documents

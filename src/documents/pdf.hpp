#pragma once
// PDF documents (receipts, tickets; permits next) drawn in-process with cairo and
// pango in a Japanese font from Debian (IPAex Gothic, fonts-ipaexfont-gothic). Pages are A4
// portrait; coordinates are points (1/72 inch) from the top left corner. Text is laid out by
// pango (line breaking, kerning, fallback fonts), so any UTF-8 text is drawn, never markup:
// the text a caller passes is not interpreted. Nothing here sees the network or the disk.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "documents/qr.hpp"

namespace yoyaku::documents {

inline constexpr double kA4Width = 595.28;
inline constexpr double kA4Height = 841.89;

enum class Align { left, center, right };

struct TextStyle {
    double size = 10;  ///< points
    bool bold = false;
    Align align = Align::left;
};

/// A PNG picture `width` × `height` pixels of panels side by side, one per label (centred,
/// white on green): a LINE rich menu's image. Errors: internal (cairo).
Result<std::string> menu_png(int width, int height, const std::vector<std::string>& labels);

/// A PNG image's width and height in pixels; nullopt when cairo cannot read it.
std::optional<std::pair<int, int>> png_size(std::string_view png);

class Pdf {
public:
    /// A document of one empty page; `title` goes to the document's metadata.
    explicit Pdf(std::string_view title);
    ~Pdf();
    Pdf(const Pdf&) = delete;
    Pdf& operator=(const Pdf&) = delete;

    /// Draws `text` in a box `width` wide at (x, y), wrapped at the width; returns its height.
    double text(double x, double y, double width, std::string_view text, const TextStyle& s = {});
    /// A straight line `width` points thick.
    void line(double x1, double y1, double x2, double y2, double width = 0.5);
    /// A rectangle's outline.
    void box(double x, double y, double w, double h, double width = 0.5);
    /// A QR code `size` points square (its quiet zone included) with its top left at (x, y).
    void qr(double x, double y, double size, const QrCode& code);
    /// A PNG image (a seal) scaled into a w × h box at (x, y), its proportions kept; false
    /// when it is not a PNG image cairo reads (nothing drawn).
    bool image(double x, double y, double w, double h, std::string_view png);
    /// Ends the page; drawing goes on on a new one.
    void next_page();
    /// The finished document's bytes. Errors: internal (cairo's status). Call once.
    Result<std::string> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace yoyaku::documents

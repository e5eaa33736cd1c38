// PDF documents with cairo and pango (pdf.hpp).

#include "documents/pdf.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>

// fontconfig keeps the fonts it found for the life of the process (pango's font map holds
// them); under AddressSanitizer, LeakSanitizer would report that cache at exit.
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}
#endif

namespace yoyaku::documents {
namespace {

// The font family every document is set in: a Japanese gothic face from Debian's
// fonts-ipaexfont-gothic, with fontconfig's fallback for what it lacks.
constexpr const char* kFamily = "IPAexGothic";

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

struct PngReader {
    std::string_view bytes;
    std::size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<PngReader*>(closure);
    if (r->bytes.size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
    std::copy_n(r->bytes.data() + r->at, length, data);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
}

// The image, or null when `png` is not one cairo reads.
cairo_surface_t* load_png(std::string_view png) {
    static constexpr std::string_view kSignature = "\x89PNG\r\n\x1a\n";
    if (png.substr(0, kSignature.size()) != kSignature) return nullptr;
    PngReader reader{png};
    cairo_surface_t* image = cairo_image_surface_create_from_png_stream(read_png, &reader);
    if (cairo_surface_status(image) == CAIRO_STATUS_SUCCESS) return image;
    cairo_surface_destroy(image);
    return nullptr;
}

PangoAlignment pango_alignment(Align a) {
    switch (a) {
        case Align::center:
            return PANGO_ALIGN_CENTER;
        case Align::right:
            return PANGO_ALIGN_RIGHT;
        case Align::left:
            break;
    }
    return PANGO_ALIGN_LEFT;
}

}  // namespace

struct Pdf::Impl {
    std::string bytes;
    cairo_surface_t* surface = nullptr;
    cairo_t* cr = nullptr;
    bool finished = false;

    ~Impl() {
        if (cr) cairo_destroy(cr);
        if (surface) cairo_surface_destroy(surface);
    }
};

Pdf::Pdf(std::string_view title) : impl_(std::make_unique<Impl>()) {
    impl_->surface =
        cairo_pdf_surface_create_for_stream(append, &impl_->bytes, kA4Width, kA4Height);
    const std::string t(title);
    cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_TITLE, t.c_str());
    cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_CREATOR, "Yoyaku");
    impl_->cr = cairo_create(impl_->surface);
    cairo_set_source_rgb(impl_->cr, 0, 0, 0);
}

Pdf::~Pdf() = default;

double Pdf::text(double x, double y, double width, std::string_view text, const TextStyle& s) {
    cairo_t* cr = impl_->cr;
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFamily);
    pango_font_description_set_absolute_size(font, s.size * PANGO_SCALE);
    pango_font_description_set_weight(font, s.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, pango_alignment(s.align));
    // Plain text, never markup: a customer's name is drawn as it is.
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout, &w, &h);
    pango_font_description_free(font);
    g_object_unref(layout);
    return static_cast<double>(h) / PANGO_SCALE;
}

void Pdf::line(double x1, double y1, double x2, double y2, double width) {
    cairo_set_line_width(impl_->cr, width);
    cairo_move_to(impl_->cr, x1, y1);
    cairo_line_to(impl_->cr, x2, y2);
    cairo_stroke(impl_->cr);
}

void Pdf::box(double x, double y, double w, double h, double width) {
    cairo_set_line_width(impl_->cr, width);
    cairo_rectangle(impl_->cr, x, y, w, h);
    cairo_stroke(impl_->cr);
}

void Pdf::qr(double x, double y, double size, const QrCode& code) {
    const double m = size / (code.size + 8);  // 4 modules of quiet zone on each side
    cairo_t* cr = impl_->cr;
    for (int row = 0; row < code.size; ++row)
        for (int col = 0; col < code.size; ++col)
            if (code.at(col, row)) cairo_rectangle(cr, x + (col + 4) * m, y + (row + 4) * m, m, m);
    cairo_fill(cr);
}

std::optional<std::pair<int, int>> png_size(std::string_view png) {
    cairo_surface_t* image = load_png(png);
    if (!image) return std::nullopt;
    const std::pair<int, int> size{
        cairo_image_surface_get_width(image), cairo_image_surface_get_height(image)};
    cairo_surface_destroy(image);
    return size;
}

bool Pdf::image(double x, double y, double w, double h, std::string_view png) {
    cairo_surface_t* image = load_png(png);
    if (!image) return false;
    const double iw = cairo_image_surface_get_width(image);
    const double ih = cairo_image_surface_get_height(image);
    const double scale = std::min(w / iw, h / ih);
    cairo_t* cr = impl_->cr;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(image);
    return true;
}

void Pdf::next_page() {
    cairo_show_page(impl_->cr);
}

Result<std::string> Pdf::finish() {
    if (impl_->finished) return Error::internal("the document was finished before");
    impl_->finished = true;
    cairo_destroy(impl_->cr);
    impl_->cr = nullptr;
    cairo_surface_finish(impl_->surface);
    const auto status = cairo_surface_status(impl_->surface);
    cairo_surface_destroy(impl_->surface);
    impl_->surface = nullptr;
    if (status != CAIRO_STATUS_SUCCESS)
        return Error::internal(std::string("cairo: ") + cairo_status_to_string(status));
    return std::move(impl_->bytes);
}

}  // namespace yoyaku::documents

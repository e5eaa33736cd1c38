// A LINE rich menu's picture: panels side by side, each a coloured box with its label centred,
// drawn with cairo and pango in the documents' Japanese font and written as PNG.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

#include "documents/pdf.hpp"

namespace yoyaku::documents {
namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> menu_png(int width, int height, const std::vector<std::string>& labels) {
    if (labels.empty() || width < 1 || height < 1) return Error::internal("an empty menu");
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy
    );
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(
        cairo_create(surface.get()), cairo_destroy
    );
    const double panel = static_cast<double>(width) / static_cast<double>(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const double x = panel * static_cast<double>(i);
        // Alternating greens (LINE's, darkened for contrast with white text), white dividers.
        if (i % 2 == 0)
            cairo_set_source_rgb(cr.get(), 0x04 / 255.0, 0x7a / 255.0, 0x3a / 255.0);
        else
            cairo_set_source_rgb(cr.get(), 0x03 / 255.0, 0x5e / 255.0, 0x2d / 255.0);
        cairo_rectangle(cr.get(), x, 0, panel, height);
        cairo_fill(cr.get());
        PangoLayout* layout = pango_cairo_create_layout(cr.get());
        PangoFontDescription* font = pango_font_description_from_string("IPAexGothic Bold");
        pango_font_description_set_absolute_size(font, height / 7.0 * PANGO_SCALE);
        pango_layout_set_font_description(layout, font);
        pango_layout_set_width(layout, static_cast<int>(panel * 0.9 * PANGO_SCALE));
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(layout, labels[i].data(), static_cast<int>(labels[i].size()));
        int w = 0, h = 0;
        pango_layout_get_pixel_size(layout, &w, &h);
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_move_to(cr.get(), x + panel * 0.05, (height - h) / 2.0);
        pango_cairo_show_layout(cr.get(), layout);
        pango_font_description_free(font);
        g_object_unref(layout);
    }
    std::string out;
    cairo_surface_flush(surface.get());
    if (cairo_surface_write_to_png_stream(surface.get(), append, &out) != CAIRO_STATUS_SUCCESS)
        return Error::internal("cairo could not write the menu's PNG");
    return out;
}

}  // namespace yoyaku::documents

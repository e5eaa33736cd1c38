// QR codes with libqrencode; PNG with cairo (qr.hpp).

#include "documents/qr.hpp"

#include <cairo.h>
#include <qrencode.h>

#include <memory>

namespace yoyaku::documents {
namespace {

constexpr int kQuiet = 4;  // modules of white around the code (ISO/IEC 18004)

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<QrCode> qr_code(std::string_view text) {
    const std::string s(text);
    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), QRcode_free
    );
    if (!qr) return Error::invalid("qr", "does not fit in a QR code");
    QrCode out;
    out.size = qr->width;
    out.dark.resize(static_cast<std::size_t>(out.size * out.size));
    for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (qr->data[i] & 1) != 0;
    return out;
}

Result<std::string> qr_png(std::string_view text, int module_px) {
    YOYAKU_TRY_ASSIGN(const auto code, qr_code(text));
    const int px = (code.size + 2 * kQuiet) * module_px;
    std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, px, px), cairo_surface_destroy
    );
    std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr(cairo_create(surface.get()), cairo_destroy);
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    for (int y = 0; y < code.size; ++y)
        for (int x = 0; x < code.size; ++x)
            if (code.at(x, y))
                cairo_rectangle(
                    cr.get(),
                    (x + kQuiet) * module_px,
                    (y + kQuiet) * module_px,
                    module_px,
                    module_px
                );
    cairo_fill(cr.get());
    cairo_surface_flush(surface.get());
    std::string png;
    if (cairo_surface_write_to_png_stream(surface.get(), append, &png) != CAIRO_STATUS_SUCCESS)
        return Error::internal("the QR code's image could not be written");
    return png;
}

}  // namespace yoyaku::documents

// The JSON body reader: any bytes as a request body give a named error or an object whose
// fields the typed readers take apart, never a crash.
#include <cstddef>
#include <cstdint>

#include "http/json/body.hpp"

using namespace yoyaku;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    http::Request req;
    req.headers.add("Content-Type", "application/json; charset=utf-8");
    req.body.assign(reinterpret_cast<const char*>(data), size);
    static constexpr std::string_view kFields[] = {"name", "email", "count", "starts_at", "tags"};
    auto o = http::json_object(req, kFields);
    if (!o) {
        if (o.error().field.empty()) __builtin_trap();  // every refusal names its field
        return 0;
    }
    (void)http::required_string(*o, "name", 100);
    (void)http::optional_string(*o, "email", 320);
    (void)http::optional_integer(*o, "count");
    (void)http::optional_instant(*o, "starts_at");
    return 0;
}

// The TOML configuration: any file is read into a configuration that passes its checks, or
// refused with the key (or "config") at fault, never a crash.
#include "app/config.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

using namespace yoyaku;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto file = std::filesystem::temp_directory_path() /
                             ("yoyaku-fuzz-config-" + std::to_string(::getpid()) + ".toml");
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    app::Overrides o;
    o.config_file = file.string();
    auto c = app::load_config(o, {});
    if (!c && c.error().field.empty()) __builtin_trap();  // a refusal names what to fix
    if (c) (void)app::insecure_reasons(*c);
    return 0;
}

// The backup file reader: any bytes as a backup file are refused with an error (they were not
// sealed under the key, or are not a backup at all), never a crash or an endless read.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/backup.hpp"

using namespace yoyaku;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto file = std::filesystem::temp_directory_path() /
                             ("yoyaku-fuzz-backup-" + std::to_string(::getpid()) + ".ykb");
    static const app::backup::BackupKeys key(*crypto::SecretKey::from_bytes(std::string(32, 'k')));
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto m = app::backup::inspect(key, file);
    (void)m;
    return 0;
}

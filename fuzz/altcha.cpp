// The ALTCHA payload: any bytes in the "altcha" field are refused with the one sentence on
// that field (nothing is forged by accident), never a crash. A real SQLite database sits
// behind it, as in production, for the spending of a challenge.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "domain/accounts/proof_of_work.hpp"
#include "storage/database.hpp"

using namespace yoyaku;

namespace {
struct World {
    World() {
        dir = std::filesystem::temp_directory_path() /
              ("yoyaku-fuzz-altcha-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        auto opened = storage::open_database({"sqlite:" + (dir / "fuzz.db").string()});
        if (!opened) __builtin_trap();
        db = std::move(*opened);
        if (!db->migrate()) __builtin_trap();
        key = crypto::SecretKey::random();
        pow = std::make_unique<accounts::ProofOfWork>(
            *db, [this] { return std::vector<crypto::SecretKey>{key}; }, clock
        );
    }
    ~World() { std::filesystem::remove_all(dir); }
    std::filesystem::path dir;
    std::unique_ptr<storage::Database> db;
    crypto::SecretKey key = crypto::SecretKey::random();
    SystemClock clock;
    std::unique_ptr<accounts::ProofOfWork> pow;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World w;
    auto r = w.pow->redeem(std::string_view(reinterpret_cast<const char*>(data), size));
    if (r) __builtin_trap();  // no key, no answer: nothing the fuzzer writes may pass
    if (r.error().code == Errc::invalid_input && r.error().field != "altcha") __builtin_trap();
    return 0;
}

#include "domain/audit/checkpoints.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "crypto/random.hpp"
#include "crypto/signing.hpp"
#include "domain/audit/audit.hpp"

namespace yoyaku::audit {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kPrefix = "audit-checkpoint-";

// What the signature covers: a fixed header, the time, one line per head.
std::string signed_text(std::int64_t at, const std::vector<Head>& heads) {
    std::string out = "yoyaku-audit-checkpoint/1\n" + std::to_string(at) + "\n";
    for (const auto& h : heads)
        out += to_string(h.chain) + " " + std::to_string(h.seq) + " " + h.hash + "\n";
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int v = 0;
        for (char c : hex.substr(i, 2)) {
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else
                return std::nullopt;
        }
        out.push_back(static_cast<char>(v));
    }
    return out;
}

struct Parsed {
    std::int64_t at = 0;
    std::vector<Head> heads;
    std::string signature;
};

std::optional<Parsed> parse(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.get_object();
    const auto* at = o.if_contains("at");
    const auto* heads = o.if_contains("heads");
    const auto* sig = o.if_contains("signature");
    if (!at || !at->is_int64() || !heads || !heads->is_array() || !sig || !sig->is_string())
        return std::nullopt;
    Parsed p;
    p.at = at->get_int64();
    for (const auto& h : heads->get_array()) {
        if (!h.is_array() || h.get_array().size() != 3) return std::nullopt;
        const auto& a = h.get_array();
        if (!a[0].is_int64() || !a[1].is_int64() || !a[2].is_string()) return std::nullopt;
        p.heads.push_back(
            {TenantId(a[0].get_int64()), a[1].get_int64(), std::string(a[2].get_string())}
        );
    }
    auto raw = from_hex(sig->get_string());
    if (!raw) return std::nullopt;
    p.signature = std::move(*raw);
    return p;
}

Result<void> write_private(const fs::path& file, const std::string& text) {
    const fs::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return Error::unavailable("cannot write " + tmp.string());
        ::chmod(tmp.c_str(), 0600);
        out << text;
        if (!out.flush()) return Error::unavailable("cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) return Error::unavailable("cannot write " + file.string() + ": " + ec.message());
    return {};
}

}  // namespace

Result<std::vector<fs::path>> write_checkpoint(
    storage::Database& db,
    const crypto::SecretKey& signing_seed,
    const std::vector<fs::path>& dirs,
    Instant now
) {
    YOYAKU_TRY_ASSIGN(auto all, heads(db));
    const std::int64_t at = to_micros(now);
    boost::json::array list;
    for (const auto& h : all) list.push_back(boost::json::array{h.chain.value, h.seq, h.hash});
    const boost::json::object doc{
        {"version", 1},
        {"at", at},
        {"heads", std::move(list)},
        {"public_key", crypto::to_hex(crypto::signing_public_key(signing_seed))},
        {"signature", crypto::to_hex(crypto::sign(signing_seed, signed_text(at, all)))}};
    const std::string text = boost::json::serialize(doc) + "\n";
    const std::string name = std::string(kPrefix) + format_rfc3339(now, "UTC") + ".json";
    std::vector<fs::path> written;
    for (const auto& dir : dirs) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) return Error::unavailable("cannot create " + dir.string() + ": " + ec.message());
        ::chmod(dir.c_str(), 0700);
        YOYAKU_TRY(write_private(dir / name, text));
        written.push_back(dir / name);
    }
    return written;
}

Result<CheckpointReport> check_checkpoints(
    storage::Database& db, std::string_view public_key, const fs::path& dir
) {
    CheckpointReport report;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().starts_with(kPrefix) && e.path().extension() == ".json")
            files.push_back(e.path());
    if (ec)
        return Error::invalid("checkpoints", "cannot read " + dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        ++report.files;
        const std::string name = file.filename().string();
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto p = parse(text.str());
        if (!p) {
            report.problems.push_back(name + ": not a checkpoint file");
            continue;
        }
        if (!crypto::signature_valid(public_key, signed_text(p->at, p->heads), p->signature)) {
            report.problems.push_back(name + ": the signature is not this platform's key's");
            continue;
        }
        for (const auto& h : p->heads) {
            if (h.seq == 0) continue;  // an empty chain
            ++report.heads;
            YOYAKU_TRY_ASSIGN(const auto now, entry_at(db, h.chain, h.seq));
            const std::string chain =
                !h.chain.valid() ? "platform" : "tenant " + to_string(h.chain);
            if (now.state == AtSeq::State::pruned) continue;
            if (now.state == AtSeq::State::missing)
                report.problems.push_back(
                    name + ": " + chain + " has no entry " + std::to_string(h.seq) +
                    " any more (entries removed)"
                );
            else if (now.hash != h.hash)
                report.problems.push_back(
                    name + ": " + chain + " entry " + std::to_string(h.seq) +
                    " is not the one signed (history rewritten)"
                );
        }
    }
    return report;
}

}  // namespace yoyaku::audit

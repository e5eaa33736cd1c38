#include "app/retention.hpp"

#include <filesystem>

namespace yoyaku::app {
namespace fs = std::filesystem;

Result<std::int64_t> prune_access_logs(const fs::path& dir, Instant now, int days, bool dry_run) {
    // The cut-off day as text: file names compare in date order.
    const auto cutoff = format_rfc3339(now - std::chrono::hours(24) * days, "UTC").substr(0, 10);
    std::int64_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        // access_2026-12-02.jsonl
        if (!name.starts_with("access_") || !name.ends_with(".jsonl") || name.size() != 23)
            continue;
        if (name.substr(7, 10) >= cutoff) continue;
        ++n;
        if (dry_run) continue;
        fs::remove(e.path(), ec);
        if (ec)
            return Error::unavailable("cannot delete " + e.path().string() + ": " + ec.message());
    }
    return n;
}

Result<retention::Report> run_retention(
    const Config& c, storage::Database& db, crypto::Keyring& keys, Instant now, bool dry_run
) {
    retention::Policy policy;
    auto report = retention::run(db, keys, now, policy, dry_run);
    if (!report) return report;
    const auto days = static_cast<int>(policy.access_logs / std::chrono::hours(24));
    YOYAKU_TRY_ASSIGN(
        auto logs, prune_access_logs(fs::path(c.data_dir) / "logs", now, days, dry_run)
    );
    if (logs > 0) report->steps.push_back({"access_logs", "", logs});
    return report;
}

}  // namespace yoyaku::app

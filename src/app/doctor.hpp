#pragma once
// `yoyaku doctor`: what an administrator checks before trusting an installation, in one run —
// configuration, file permissions, keys, the database (reachable, schema, role rights, clock),
// TLS certificate expiry, the clock's synchronisation, and the monitor's own readings (backup
// age, free disk, queue lag, mail failures). Reads only: it creates and changes nothing.

#include <string>
#include <vector>

#include "app/config.hpp"
#include "core/time.hpp"
#include "domain/monitor/monitor.hpp"

namespace yoyaku::app {

enum class Verdict { ok, warn, fail };

struct Finding {
    std::string check;  ///< configuration, permissions, keys, database, schema, tls, clock, …
    Verdict verdict = Verdict::ok;
    std::string detail;  ///< what was seen
    std::string fix;     ///< what to do (empty when ok)
};

/// Every check, in order. Never fails as a whole: a check that cannot run is a finding.
std::vector<Finding> doctor(const Config& config, Instant now);

/// For monitoring (the Nagios convention): 0 all ok, 1 warnings only, 2 any failure.
int exit_code(const std::vector<Finding>& findings);

/// The monitor's limits from the configuration ([monitor]).
monitor::Thresholds thresholds_of(const Config& config);

}  // namespace yoyaku::app

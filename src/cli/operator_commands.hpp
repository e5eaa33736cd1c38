#pragma once
// Operator commands of the CLI: tenants and the audit log.

#include <CLI/CLI.hpp>

#include "app/config.hpp"

namespace yoyaku::cli {

struct TenantArgs {
    std::string code, name, time_zone = "Asia/Tokyo", locale = "ja", reason;
};

int tenant_create(const app::Config& c, const TenantArgs& a);
int tenant_list(const app::Config& c);
int tenant_status(const app::Config& c, const TenantArgs& a, std::string_view to);
/// Verifies every audit chain (platform and each tenant's, or one tenant's); exit 1 and the
/// first bad entry of each broken chain when any fails.
int audit_verify(const app::Config& c, const std::string& tenant_code);

}  // namespace yoyaku::cli

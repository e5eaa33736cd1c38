#pragma once
// Operator commands of the CLI: tenants, operators, the audit log and challenge answers.

#include <CLI/CLI.hpp>

#include "app/config.hpp"

namespace yoyaku::cli {

struct TenantArgs {
    std::string code, name, time_zone = "Asia/Tokyo", locale = "ja", reason;
    std::string manager_email, manager_name = "管理者";
    bool password_stdin = false;  ///< the first manager's password from stdin, no set-up link
};

struct OperatorArgs {
    std::string email, name = "運用者";
    bool password_stdin = false;
};

/// Creates a tenant with its first manager; prints the set-up link (or, with a password
/// from stdin, none).
int tenant_create(const app::Config& c, const TenantArgs& a);
/// Creates an operator account (the first one bootstraps the platform).
int operator_create(const app::Config& c, const OperatorArgs& a);
int tenant_list(const app::Config& c);
int tenant_status(const app::Config& c, const TenantArgs& a, std::string_view to);
/// Verifies every audit chain (platform and each tenant's, or one tenant's); exit 1 and the
/// first bad entry of each broken chain when any fails.
/// Solves the challenge JSON on `in` and prints the base64 answer (for scripts and curl).
/// Exit 1 for malformed input or no solution.
int challenge_solve(std::istream& in, std::ostream& out);

/// `checkpoints`: a directory of signed checkpoints to compare the chains with (empty: none).
int audit_verify(
    const app::Config& c, const std::string& tenant_code, const std::string& checkpoints
);

}  // namespace yoyaku::cli

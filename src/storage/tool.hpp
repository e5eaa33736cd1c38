#pragma once
// Running a database's command-line tool (pg_dump, pg_restore, pgbackrest): no shell, the
// arguments as given, standard input from /dev/null, standard error kept for the message of a
// failure.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::storage {

/// Runs `args[0]` (found on PATH) with `args` and the environment `env`; returns what it wrote
/// to standard output when `keep_output` (else discards it). Errors: unavailable, naming the
/// tool, with the end of its standard error (or its exit status) and `missing` when it is not
/// installed.
Result<std::string> run_tool(
    const std::vector<std::string>& args,
    const std::vector<std::string>& env,
    bool keep_output,
    const std::string& missing
);

/// This process's environment.
std::vector<std::string> own_environment();

}  // namespace yoyaku::storage

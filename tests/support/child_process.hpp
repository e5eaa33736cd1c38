#pragma once
// Helper programs the tests start (python3 servers in tests/support): a free loopback port,
// starting one until it listens, stopping it.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace yoyaku::testing {

/// A loopback port nothing listens on (now).
std::uint16_t free_port();
/// Starts `args` (a python3 program, args[0] the interpreter) with output to /dev/null and
/// waits until it listens on `port`. Returns its pid. Throws when it exits or never listens.
pid_t spawn_listening(std::vector<std::string> args, std::uint16_t port, const char* what);
/// Stops it (SIGTERM) and reaps it; `pid` becomes -1.
void stop_child(pid_t& pid);

}  // namespace yoyaku::testing

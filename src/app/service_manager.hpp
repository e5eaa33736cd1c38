#pragma once
// The service manager's side of a server's life (systemd's notify protocol, Type=notify):
// READY=1 once listening, RELOADING=1 / READY=1 around a SIGHUP reload, STOPPING=1 on drain,
// WATCHDOG=1 at half the unit's WatchdogSec. Without NOTIFY_SOCKET (not under systemd)
// nothing is sent.

#include "http/server/server.hpp"

namespace yoyaku::app {

/// Fills `so.on_state` and `so.heartbeat_every` when a service manager listens.
void attach_service_manager(http::ServerOptions& so);

}  // namespace yoyaku::app

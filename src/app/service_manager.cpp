#include "app/service_manager.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace yoyaku::app {
namespace {

void notify(http::ServerState state) {
    const char* text = "";
    switch (state) {
        case http::ServerState::ready:
            text = "READY=1\nSTATUS=serving";
            break;
        case http::ServerState::reloading:
            text = "RELOADING=1\nSTATUS=reloading TLS files";
            break;
        case http::ServerState::stopping:
            text = "STOPPING=1\nSTATUS=draining";
            break;
        case http::ServerState::heartbeat:
            text = "WATCHDOG=1";
            break;
    }
    // unset_environment = 0: a reload or the watchdog needs NOTIFY_SOCKET again later.
    if (sd_notify(0, text) < 0) spdlog::warn("service manager: notify failed");
}

}  // namespace

void attach_service_manager(http::ServerOptions& so) {
    if (sd_notify(0, "STATUS=starting") <= 0) return;  // 0: no NOTIFY_SOCKET, not under systemd
    so.on_state = notify;
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        so.heartbeat_every = std::chrono::microseconds(usec / 2);
        spdlog::info("service manager: watchdog every {} ms", usec / 2000);
    }
}

}  // namespace yoyaku::app

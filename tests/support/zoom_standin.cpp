#include "support/zoom_standin.hpp"

#include "support/child_process.hpp"
#include "support/standin_controls.hpp"

namespace yoyaku::testing {

ZoomStandIn::ZoomStandIn() {
    port_ = free_port();
    pid_ = spawn_listening(
        {"/usr/bin/python3",
         YOYAKU_TEST_SUPPORT_DIR "/zoom_standin.py",
         std::to_string(port_),
         kAccountId,
         kClientId,
         kClientSecret},
        port_,
        "zoom_standin.py"
    );
}

ZoomStandIn::~ZoomStandIn() {
    stop_child(pid_);
}

boost::json::object ZoomStandIn::control(const std::string& what) const {
    return standin_control(port_, what);
}

}  // namespace yoyaku::testing

#include "storage/tool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace yoyaku::storage {
namespace {

Error down(std::string message) {
    return Error{Errc::unavailable, std::move(message), {}, {}};
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// Reads both pipes until the tool closes them (a tool may fill either first).
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
    constexpr std::size_t kErrCap = 64 * 1024;
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    std::string* into[2] = {&out, &err};
    char buf[8192];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                continue;
            }
            if (i == 0 || into[i]->size() < kErrCap)
                into[i]->append(buf, static_cast<std::size_t>(n));
        }
    }
}

}  // namespace

std::vector<std::string> own_environment() {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    return env;
}

Result<std::string> run_tool(
    const std::vector<std::string>& args,
    const std::vector<std::string>& env,
    bool keep_output,
    const std::string& missing
) {
    int out_pipe[2] = {-1, -1};
    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0 || (keep_output && ::pipe2(out_pipe, O_CLOEXEC) != 0))
        return down(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (keep_output)
        posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0].c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    ::close(err_pipe[1]);
    if (keep_output) ::close(out_pipe[1]);
    if (rc != 0) {
        ::close(err_pipe[0]);
        if (keep_output) ::close(out_pipe[0]);
        return down(
            "cannot run " + args[0] + ": " + std::strerror(rc) +
            (rc == ENOENT && !missing.empty() ? " (" + missing + ")" : "")
        );
    }
    std::string output, errors;
    drain(keep_output ? out_pipe[0] : -1, err_pipe[0], output, errors);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return output;
    errors = trimmed(errors);
    if (errors.empty()) errors = trimmed(output);
    if (errors.size() > 2000) errors = "…" + errors.substr(errors.size() - 2000);
    return down(
        args[0] + " failed: " + (errors.empty() ? "exit status " + std::to_string(status) : errors)
    );
}

}  // namespace yoyaku::storage

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "pct/internal/command.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pct::internal {

namespace {

constexpr std::size_t max_kept = std::size_t{1} << 20;

struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

std::string last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    auto nl = text.rfind('\n');
    return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

} // namespace

std::string command_text(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv)
        out += (out.empty() ? "" : " ") + a;
    return out;
}

Result<CommandOutput> run_command(const std::vector<std::string>& argv, const std::string& errmsg,
                                  const std::function<void(std::string_view)>& on_stdout) {
    if (argv.empty())
        return fail(Errc::internal, "run_command: empty command");
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0)
        return fail(Errc::io, fmt::format("pipe failed: {}", std::strerror(errno)),
                    {.sys_errno = errno});
    Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return fail(Errc::io, fmt::format("pipe failed: {}", std::strerror(errno)),
                    {.sys_errno = errno});
    Fd err_r(err_pipe[0]), err_w(err_pipe[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    // Host tools (mkfs.ext4) live in /usr/sbin, which a caller's PATH may lack.
    for (const char* dir : {"/usr/sbin/", "/sbin/"}) {
        if (rc != ENOENT || argv[0].find('/') != std::string::npos)
            break;
        std::string full = dir + argv[0];
        rc = ::posix_spawn(&pid, full.c_str(), &actions, nullptr, args.data(), environ);
    }
    posix_spawn_file_actions_destroy(&actions);
    out_w.reset();
    err_w.reset();
    if (rc != 0)
        return fail(Errc::io,
                    fmt::format("command '{}' failed: {}", command_text(argv), std::strerror(rc)),
                    {.sys_errno = rc});

    CommandOutput result;
    std::array<pollfd, 2> fds{pollfd{out_r.fd, POLLIN, 0}, pollfd{err_r.fd, POLLIN, 0}};
    std::array<std::string*, 2> sinks{&result.out, &result.err};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0) {
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (fds[k].fd < 0 || fds[k].revents == 0)
                continue;
            ssize_t n = ::read(fds[k].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                fds[k].fd = -1;
                --open_fds;
                continue;
            }
            if (k == 0 && on_stdout)
                on_stdout(std::string_view(buf, std::size_t(n)));
            if (sinks[k]->size() < max_kept)
                sinks[k]->append(buf, std::size_t(n));
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return result;
    std::string reason = WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                             : fmt::format("exit code {}", WEXITSTATUS(status));
    std::string message;
    if (!errmsg.empty()) {
        std::string last = last_line(result.err);
        message = fmt::format("{}: {}", errmsg, last.empty() ? reason : last);
    } else {
        message = fmt::format("command '{}' failed: {}", command_text(argv), reason);
    }
    return fail(Errc::io, std::move(message), {.context = command_text(argv)});
}

} // namespace pct::internal

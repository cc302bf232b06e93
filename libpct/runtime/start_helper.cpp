// SPDX-License-Identifier: AGPL-3.0-or-later
#include "start_helper.hpp"

#include "impl.hpp"
#include "prestart.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <dlfcn.h>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

// Set for this file by libpct/CMakeLists.txt.
#ifndef PCT_BUILD_ROOT
#error "PCT_BUILD_ROOT, PCT_START_HELPER_BUILT/_INSTALLED and PCT_INSTALL_* must be defined"
#endif

namespace pct::runtime::detail {

namespace {

// Where the code of this function was loaded from: libpct.so, pypct's module or an executable
// that linked the static libraries.
std::string loaded_from() {
    Dl_info info{};
    char resolved[PATH_MAX];
    if (::dladdr(reinterpret_cast<void*>(&loaded_from), &info) != 0 && info.dli_fname &&
        info.dli_fname[0] == '/' && ::realpath(info.dli_fname, resolved))
        return resolved;
    // The main executable is reported by the name it was started with, which may be relative.
    ssize_t n = ::readlink("/proc/self/exe", resolved, sizeof resolved - 1);
    return n > 0 ? std::string(resolved, static_cast<std::size_t>(n)) : std::string();
}

// Collects what the helper writes to stderr (bounded: one error line and pct-prestart's warnings)
// until it exits or `timeout` passes (then it is killed). Returns its wait status, nullopt on
// timeout.
std::optional<int> wait_helper(pid_t pid, int err_fd, std::string& err,
                               std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    std::optional<int> result;
    for (;;) {
        char buf[512];
        ssize_t n;
        while ((n = ::read(err_fd, buf, sizeof buf)) > 0)
            if (err.size() < 65536)
                err.append(buf, static_cast<std::size_t>(n));
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            result = status;
            break;
        }
        if (r < 0 && errno != EINTR)
            break;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        // Without pidfd (kernels before 5.3) the pipe alone wakes us: poll in short steps.
        pollfd fds[2] = {{err_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
        ::poll(fds, pidfd >= 0 ? 2 : 1,
               pidfd >= 0 ? static_cast<int>(left.count()) : std::min(10, int(left.count())));
    }
    if (pidfd >= 0)
        ::close(pidfd);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
        err.pop_back();
    return result;
}

} // namespace

std::string installed_helper_for(std::string_view loaded_file) {
    std::string_view libexec = PCT_INSTALL_LIBEXECDIR;
    std::string_view dir = loaded_file.substr(0, loaded_file.rfind('/') + 1);
    if (dir.empty() || libexec.starts_with('/'))
        return PCT_START_HELPER_INSTALLED;
    dir.remove_suffix(1);
    for (std::string_view installed : {
             std::string_view(PCT_INSTALL_LIBDIR),
             std::string_view(PCT_INSTALL_BINDIR),
#ifdef PCT_INSTALL_PYTHONDIR
             std::string_view(PCT_INSTALL_PYTHONDIR),
#endif
         }) {
        if (installed.empty() || installed.starts_with('/') || dir.size() <= installed.size() ||
            !dir.ends_with(installed) || dir[dir.size() - installed.size() - 1] != '/')
            continue;
        std::string_view prefix = dir.substr(0, dir.size() - installed.size() - 1);
        return fmt::format("{}/{}/pct/pct-lxc-start", prefix, libexec);
    }
    return PCT_START_HELPER_INSTALLED;
}

std::string start_helper_path() {
    if (const char* env = std::getenv("PCT_LXC_START_HELPER"); env && *env)
        return env;
    static const std::string found = [] {
        std::string self = loaded_from();
        if (self.starts_with(PCT_BUILD_ROOT "/"))
            return std::string(PCT_START_HELPER_BUILT);
        return installed_helper_for(self);
    }();
    return found;
}

Result<void> start_through_helper(const std::string& name, const std::string& lxcpath,
                                  std::chrono::milliseconds timeout) {
    return start_through_helper(name, lxcpath, timeout, PrestartRequest{});
}

Result<void> start_through_helper(const std::string& name, const std::string& lxcpath,
                                  std::chrono::milliseconds timeout,
                                  const PrestartRequest& prestart) {
    std::string helper = start_helper_path();
    if (::access(helper.c_str(), X_OK) != 0) {
        return fail(Errc::not_found,
                    fmt::format("libpct's start helper '{}' is missing or not executable "
                                "(install libpct completely, or name it in "
                                "PCT_LXC_START_HELPER)",
                                helper),
                    {.sys_errno = errno});
    }
    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return std::unexpected(storage::io_error("pipe for the start helper of", name, errno));

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    // Descriptors this process did not mark close-on-exec (other threads' lock files, say) do
    // not belong in the container's monitor.
    ::posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    std::string arg0 = "pct-lxc-start";
    std::vector<std::string> args;
    std::string program = helper;
    if (!prestart.host_root.empty()) {
        program = prestart_helper_for(helper);
        args = {
            "pct-prestart", prestart.host_root, std::to_string(prestart.vmid.value), helper, name,
            lxcpath};
    } else {
        args = {arg0, name, lxcpath};
    }
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(err_pipe[1]);
    if (rc != 0) {
        ::close(err_pipe[0]);
        return std::unexpected(storage::io_error("running the start helper", helper, rc));
    }
    std::string err;
    auto status = wait_helper(pid, err_pipe[0], err, timeout);
    ::close(err_pipe[0]);
    if (!prestart.host_root.empty()) {
        auto decoded = decode_prestart_output(err);
        if (prestart.warnings)
            for (auto& w : decoded.warnings)
                prestart.warnings->push_back(std::move(w));
        if (decoded.error)
            return std::unexpected(std::move(*decoded.error));
        err = std::move(decoded.other);
    }
    if (!status)
        return fail(Errc::lxc, "liblxc's start did not return in time");
    if (WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
        return {};
    if (err.empty() && !(WIFEXITED(*status) && WEXITSTATUS(*status) == 1))
        err = WIFSIGNALED(*status)
                  ? fmt::format("the start helper was killed by signal {}", WTERMSIG(*status))
                  : fmt::format("the start helper exited with status {}", WEXITSTATUS(*status));
    return fail(Errc::lxc, std::move(err));
}

} // namespace pct::runtime::detail

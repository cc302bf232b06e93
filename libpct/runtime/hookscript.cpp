// SPDX-License-Identifier: AGPL-3.0-or-later
#include "hookscript.hpp"

#include "unique_fd.hpp"

#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pct::runtime::detail {

Result<std::string> hookscript_path(const storage::Host& host, std::string_view volid) {
    auto at = [&](Errc code, std::string message) {
        return fail(code, std::move(message), {.key = "hookscript"});
    };
    auto not_snippet = [&] {
        return at(Errc::invalid_argument,
                  fmt::format("'{}' is not in the snippets directory", volid));
    };
    if (volid.starts_with('/'))
        return not_snippet();
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(with_key(std::move(storages).error(), "hookscript"));
    auto ref = storages->parse_volume(volid);
    if (!ref)
        return std::unexpected(with_key(std::move(ref).error(), "hookscript"));
    if (ref->vtype != "snippets")
        return not_snippet();
    // PVE::Storage::path: the storage is activated, the snippet itself is checked below.
    auto backend = storages->backend(ref->storage);
    if (!backend)
        return std::unexpected(with_key(std::move(backend).error(), "hookscript"));
    auto resolved = (*backend)->path(*ref);
    if (!resolved)
        return std::unexpected(with_key(std::move(resolved).error(), "hookscript"));
    std::string path = std::move(*resolved);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return at(Errc::not_found, fmt::format("script '{}' does not exist", volid));
    if (::access(path.c_str(), X_OK) != 0)
        return at(Errc::invalid_argument, fmt::format("script '{}' is not executable", volid));
    return path;
}

Result<void> run_hookscript(const storage::Host& host, Vmid vmid, const Section& main,
                            std::string_view phase) {
    auto volid = main.get("hookscript");
    if (!volid || volid->empty())
        return {};
    auto failed = [&](std::string reason) {
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
            reason.pop_back();
        return fail(Errc::bad_state,
                    fmt::format("hookscript error for {} on {}: {}", vmid.value, phase, reason),
                    {.context = host.config_path(vmid), .key = "hookscript"});
    };
    auto script = hookscript_path(host, *volid);
    if (!script)
        return failed(script.error().message);

    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return failed(fmt::format("pipe: {}", std::strerror(errno)));
    UniqueFd err_r(err_pipe[0]);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    ::posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    std::string id = std::to_string(vmid.value);
    std::string phase_arg(phase);
    char* argv[] = {script->data(), id.data(), phase_arg.data(), nullptr};
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, script->c_str(), &actions, nullptr, argv, environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(err_pipe[1]);
    if (rc != 0)
        return failed(fmt::format("cannot run '{}': {}", *script, std::strerror(rc)));
    std::string err;
    char buf[512];
    ssize_t n;
    while ((n = ::read(err_r.get(), buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && err.size() < 4096)
            err.append(buf, static_cast<std::size_t>(n));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {};
    std::string reason = WIFSIGNALED(status)
                             ? fmt::format("command '{} {} {}' failed: got signal {}", *script, id,
                                           phase, WTERMSIG(status))
                             : fmt::format("command '{} {} {}' failed: exit code {}", *script, id,
                                           phase, WEXITSTATUS(status));
    while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
        err.pop_back();
    if (!err.empty())
        reason += " (" + err + ")";
    return failed(std::move(reason));
}

} // namespace pct::runtime::detail

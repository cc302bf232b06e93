// SPDX-License-Identifier: AGPL-3.0-or-later
// The archive step of a backup: Proxmox's tar and compressor argument lists, and the pipeline
// between them (vzdump-format.md §2.1).
#include "backup_tar.hpp"

#include "unique_fd.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace pct::runtime::detail {

namespace {

constexpr std::size_t max_output = 64 * 1024;

struct SpawnActions {
    posix_spawn_file_actions_t a{};
    SpawnActions() { posix_spawn_file_actions_init(&a); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    ~SpawnActions() { posix_spawn_file_actions_destroy(&a); }
};

Result<pid_t> spawn(const std::vector<std::string>& args, int in, int out, int err, int cwd = -1) {
    std::vector<char*> argv;
    std::vector<std::string> copy = args;
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    SpawnActions actions;
    posix_spawn_file_actions_adddup2(&actions.a, in, 0);
    posix_spawn_file_actions_adddup2(&actions.a, out, 1);
    posix_spawn_file_actions_adddup2(&actions.a, err, 2);
    if (cwd >= 0)
        posix_spawn_file_actions_addfchdir_np(&actions.a, cwd);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, argv[0], &actions.a, nullptr, argv.data(), environ);
    if (rc != 0)
        return fail(Errc::io, fmt::format("unable to run {}: {}", args[0], std::strerror(rc)),
                    {.sys_errno = rc});
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Writes all of `data` to `fd` (a socket: MSG_NOSIGNAL; a file: write).
bool write_all(int fd, bool socket, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = socket ? ::send(fd, data, size, MSG_NOSIGNAL) : ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        if (end > start)
            out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace

std::vector<std::string> standard_excludes() {
    return {"/tmp/?*", "/var/tmp/?*", "/var/run/?*.pid"};
}

std::vector<std::string> backup_tar_command(const BackupTarPlan& plan) {
    std::vector<std::string> args = userns_command(plan.map);
    for (const char* a :
         {"tar", "cpf", "-", "--totals", "--one-file-system", "-p", "--sparse", "--numeric-owner",
          "--acls", "--xattrs", "--xattrs-include=user.*", "--xattrs-include=security.capability",
          "--warning=no-file-ignored", "--warning=no-xattr-write", "--one-file-system",
          "--warning=no-file-ignored"})
        args.emplace_back(a);
    args.push_back("--directory=" + plan.tmpdir);
    args.emplace_back("./etc/vzdump/pct.conf");
    args.emplace_back("./etc/vzdump/pct.fw");
    args.push_back("--directory=" + plan.snapdir);
    args.emplace_back("--no-anchored");
    // host-root-owned lost+found cannot be read inside the user namespace (commit e87a47f)
    if (!plan.map.empty())
        args.emplace_back("--exclude=lost+found");
    for (const auto& p : plan.excludes)
        if (!p.starts_with('/'))
            args.push_back("--exclude=" + p);
    args.emplace_back("--anchored");
    for (const auto& p : plan.excludes)
        if (p.starts_with('/'))
            args.push_back("--exclude=." + p);
    for (const auto& s : plan.sources)
        args.push_back(s);
    return args;
}

std::vector<std::string> compressor_command(storage::BackupCompression compression,
                                            unsigned zstd_threads) {
    using storage::BackupCompression;
    switch (compression) {
    case BackupCompression::none:
        return {};
    case BackupCompression::lzo:
        return {"lzop"};
    case BackupCompression::gzip:
        return {"gzip", "--rsyncable"};
    case BackupCompression::zstd: {
        unsigned threads = zstd_threads;
        if (threads == 0) {
            auto cores = std::thread::hardware_concurrency();
            threads = cores > 1 ? cores / 2 : 1;
        }
        return {"zstd", fmt::format("--threads={}", threads)};
    }
    }
    return {};
}

Result<ArchiveWritten> write_archive(const std::vector<std::string>& tar,
                                     const std::vector<std::string>& compressor, int tar_cwd,
                                     int out_fd, std::uint64_t bwlimit_kib,
                                     const ProgressFn& progress) {
    int tar_pipe[2], err_pipe[2], comp_err_pipe[2];
    if (::pipe2(tar_pipe, O_CLOEXEC) != 0)
        return std::unexpected(storage::io_error("pipe for tar", tar[0], errno));
    UniqueFd tar_read(tar_pipe[0]), tar_write(tar_pipe[1]);
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return std::unexpected(storage::io_error("pipe for tar", tar[0], errno));
    UniqueFd err_read(err_pipe[0]), err_write(err_pipe[1]);
    // The compressor's own error pipe: it keeps it open until its input ends, which must not
    // keep the loop below waiting for tar's.
    if (::pipe2(comp_err_pipe, O_CLOEXEC) != 0)
        return std::unexpected(storage::io_error("pipe for tar", tar[0], errno));
    UniqueFd comp_err_read(comp_err_pipe[0]), comp_err_write(comp_err_pipe[1]);
    UniqueFd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));

    // The compressor reads a socket, so a write after it died is EPIPE, not SIGPIPE.
    UniqueFd feed, comp_in;
    pid_t comp = -1;
    if (!compressor.empty()) {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            return std::unexpected(storage::io_error("socketpair for", compressor[0], errno));
        feed = UniqueFd(pair[0]);
        comp_in = UniqueFd(pair[1]);
        auto pid = spawn(compressor, comp_in.get(), out_fd, comp_err_write.get());
        if (!pid)
            return std::unexpected(std::move(pid).error());
        comp = *pid;
        comp_in.reset();
    }
    comp_err_write.reset();
    auto tar_pid = spawn(tar, null_in.get(), tar_write.get(), err_write.get(), tar_cwd);
    tar_write.reset();
    err_write.reset();
    if (!tar_pid) {
        feed.reset();
        if (comp > 0)
            (void)wait_exit(comp);
        return std::unexpected(std::move(tar_pid).error());
    }

    ArchiveWritten result;
    std::string errors, comp_errors;
    auto collect = [](int fd, std::string& into) {
        char ebuf[4096];
        ssize_t got = ::read(fd, ebuf, sizeof ebuf);
        if (got > 0 && into.size() < max_output)
            into.append(ebuf, static_cast<std::size_t>(got));
        return got > 0 || (got < 0 && (errno == EINTR || errno == EAGAIN));
    };
    ProgressMeter meter(progress, "backup");
    const int sink = compressor.empty() ? out_fd : feed.get();
    const bool sink_is_socket = !compressor.empty();
    bool sink_failed = false;
    int sink_errno = 0;
    auto started = std::chrono::steady_clock::now();
    bool tar_done = false, err_done = false, comp_err_done = compressor.empty();
    std::vector<char> buf(256 * 1024);
    while (!tar_done || !err_done) {
        pollfd fds[3] = {{tar_done ? -1 : tar_read.get(), POLLIN, 0},
                         {err_done ? -1 : err_read.get(), POLLIN, 0},
                         {comp_err_done ? -1 : comp_err_read.get(), POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (!err_done && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            err_done = !collect(err_read.get(), errors);
        if (!comp_err_done && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
            comp_err_done = !collect(comp_err_read.get(), comp_errors);
        if (!tar_done && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t got = ::read(tar_read.get(), buf.data(), buf.size());
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0) {
                tar_done = true;
                continue;
            }
            auto n = static_cast<std::size_t>(got);
            if (!sink_failed && !write_all(sink, sink_is_socket, buf.data(), n)) {
                sink_failed = true;
                sink_errno = errno;
                tar_read.reset(); // tar gets EPIPE and stops
                tar_done = true;
                continue;
            }
            result.tar_bytes += n;
            meter.add(n);
            if (bwlimit_kib > 0) {
                // sleep until the bytes so far fit the limit
                double due = static_cast<double>(result.tar_bytes) /
                             (static_cast<double>(bwlimit_kib) * 1024.0);
                auto ahead = std::chrono::duration<double>(due) -
                             (std::chrono::steady_clock::now() - started);
                if (ahead.count() > 0)
                    std::this_thread::sleep_for(ahead);
            }
        }
    }
    tar_read.reset();
    feed.reset(); // EOF for the compressor
    int tar_code = wait_exit(*tar_pid);
    // the compressor's last words, until it closes its error output by exiting
    while (!comp_err_done)
        comp_err_done = !collect(comp_err_read.get(), comp_errors);
    int comp_code = comp > 0 ? wait_exit(comp) : 0;
    errors += comp_errors;
    result.output = split_lines(errors);
    if (tar_code != 0 || comp_code != 0 || sink_failed) {
        std::string why;
        if (sink_failed && compressor.empty())
            why = fmt::format("write error: {}", std::strerror(sink_errno));
        else if (comp_code != 0 || sink_failed)
            why =
                fmt::format("{} exit code {}", compressor.empty() ? "" : compressor[0], comp_code);
        else
            why = fmt::format("tar exit code {}", tar_code);
        std::string text = errors;
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        return fail(Errc::io,
                    text.empty() ? fmt::format("command failed ({})", why)
                                 : fmt::format("command failed ({}): {}", why, text),
                    {.sys_errno = sink_errno});
    }
    meter.finish();
    return result;
}

Result<void> in_private_mounts(const std::function<Result<void>()>& fn) {
    Result<void> result;
    std::thread worker([&] {
        // unshare(CLONE_NEWNS) also gives this thread its own fs state (cwd, root); the
        // caller's other threads keep theirs and the caller's namespace.
        if (::unshare(CLONE_NEWNS) != 0) {
            result = fail(Errc::io, fmt::format("unshare: {}", std::strerror(errno)),
                          {.sys_errno = errno});
            return;
        }
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
            result = fail(Errc::io, fmt::format("make / rslave: {}", std::strerror(errno)),
                          {.sys_errno = errno});
            return;
        }
        result = fn();
    });
    worker.join();
    return result;
}

} // namespace pct::runtime::detail

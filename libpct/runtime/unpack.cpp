// SPDX-License-Identifier: AGPL-3.0-or-later
#include "unpack.hpp"
#include "impl.hpp"
#include "unique_fd.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace pct::runtime::detail {

namespace {

// tar's error output kept for the message; a template with thousands of bad members must not
// grow the caller's memory without bound.
constexpr std::size_t max_error_text = 64 * 1024;

struct SpawnActions {
    posix_spawn_file_actions_t a{};
    SpawnActions() { posix_spawn_file_actions_init(&a); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    ~SpawnActions() { posix_spawn_file_actions_destroy(&a); }
};

// Feeds `archive` into `feed` and collects `errors` until tar has closed its stderr and has
// taken all input (or stopped reading).
Result<void> pump(int archive, int feed, int errors_fd, std::string& errors,
                  const std::string& path, ProgressMeter& meter, std::uint64_t bwlimit_kib) {
    auto start = std::chrono::steady_clock::now();
    char buf[65536];
    std::size_t have = 0, off = 0;
    bool input_done = false, errors_done = false;
    while (!errors_done || !input_done) {
        pollfd fds[2] = {{errors_fd, POLLIN, 0}, {feed, POLLOUT, 0}};
        nfds_t n = input_done ? 1 : 2;
        if (errors_done) {
            fds[0].fd = -1;
        }
        if (::poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return std::unexpected(storage::io_error("poll while unpacking", path, errno));
        }
        if (!errors_done && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            char ebuf[4096];
            ssize_t got = ::read(errors_fd, ebuf, sizeof ebuf);
            if (got > 0 && errors.size() < max_error_text)
                errors.append(ebuf, static_cast<std::size_t>(got));
            else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
                errors_done = true;
        }
        if (input_done || !(fds[1].revents & (POLLOUT | POLLERR | POLLHUP)))
            continue;
        if (off == have) {
            ssize_t got = ::read(archive, buf, sizeof buf);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return std::unexpected(storage::io_error("read", path, errno));
            if (got == 0) {
                ::shutdown(feed, SHUT_WR);
                input_done = true;
                continue;
            }
            have = static_cast<std::size_t>(got);
            off = 0;
            meter.add(have);
            if (bwlimit_kib > 0) { // sleep until the bytes so far are due at the limit
                auto due = start + std::chrono::microseconds(meter.bytes() * 1000000 /
                                                             (bwlimit_kib * 1024));
                std::this_thread::sleep_until(due);
            }
        }
        ssize_t sent = ::send(feed, buf + off, have - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent >= 0)
            off += static_cast<std::size_t>(sent);
        else if (errno != EAGAIN && errno != EINTR)
            input_done = true; // tar stopped reading (EPIPE): its exit status tells why
    }
    return {};
}

} // namespace

Result<std::string> compressor_flag(const std::string& file) {
    auto ends = [&](std::string_view s) { return std::string_view(file).ends_with(s); };
    // libpct's addition: the short names .tgz, .tzst, .txz, .tbz2 (Proxmox takes .tar* only).
    if (ends(".tgz"))
        return std::string("-z");
    if (ends(".tzst"))
        return std::string("--zstd");
    if (ends(".txz"))
        return std::string("-J");
    if (ends(".tbz2"))
        return std::string("-j");
    // Proxmox's rule (tar_compression_option): `\.tar(\.[^.]+)?$`, then the suffix by name.
    std::string_view name = file;
    auto slash = name.rfind('/');
    if (slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    auto tar = name.rfind(".tar");
    std::string_view ext =
        tar == std::string_view::npos ? std::string_view() : name.substr(tar + 4);
    if (tar == std::string_view::npos ||
        (!ext.empty() &&
         (ext[0] != '.' || ext.size() < 2 || ext.find('.', 1) != std::string_view::npos)))
        return fail(Errc::invalid_argument,
                    fmt::format("file does not look like a template archive: {}", file),
                    {.context = file});
    static const std::pair<std::string_view, const char*> options[] = {
        {"", ""},      {".gz", "-z"},      {".bz2", "-j"},
        {".xz", "-J"}, {".lzo", "--lzop"}, {".zst", "--zstd"}};
    for (const auto& [suffix, option] : options)
        if (ext == suffix)
            return std::string(option);
    return fail(Errc::invalid_argument, fmt::format("unrecognized compression format: {}", ext),
                {.context = file});
}

std::vector<std::string> unpack_command(const std::string& compressor, const IdMap& map) {
    std::vector<std::string> args = userns_command(map);
    for (const char* a : {"tar", "xpf", "-"})
        args.emplace_back(a);
    if (!compressor.empty())
        args.push_back(compressor);
    // Proxmox's flags in its order, without --totals (its report would read as an error) and
    // with `-C .`: the working directory is the rootfs.
    for (const char* a :
         {"--one-file-system", "-p", "--sparse", "--numeric-owner", "--acls", "--xattrs",
          "--xattrs-include=user.*", "--xattrs-include=security.capability",
          "--warning=no-file-ignored", "--warning=no-xattr-write", "-C", ".", "--skip-old-files",
          "--anchored", "--exclude", "./dev/*"})
        args.emplace_back(a);
    return args;
}

Result<void> unpack(const std::string& archive, const std::string& rootdir, const IdMap& map,
                    int lock_fd, bool ignore_errors, const ProgressFn& progress) {
    auto flag = compressor_flag(archive);
    if (!flag)
        return std::unexpected(std::move(flag).error());
    UniqueFd in(::open(archive.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0)
        return std::unexpected(storage::io_error("open", archive, errno));
    struct stat st {};
    std::uint64_t total = ::fstat(in.get(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    return unpack_stream({in.get(), archive, *flag, total}, rootdir, map, lock_fd, ignore_errors,
                         progress, "extract");
}

Result<void> unpack_stream(const UnpackInput& input, const std::string& rootdir, const IdMap& map,
                           int lock_fd, bool ignore_errors, const ProgressFn& progress,
                           std::string_view phase, std::uint64_t bwlimit_kib) {
    const std::string& archive = input.name;
    UniqueFd dir(::open(rootdir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0)
        return std::unexpected(storage::io_error("open", rootdir, errno));
    int feed_pair[2], err_pipe[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, feed_pair) != 0)
        return std::unexpected(storage::io_error("socketpair for unpacking", archive, errno));
    UniqueFd feed(feed_pair[0]), tar_in(feed_pair[1]);
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return std::unexpected(storage::io_error("pipe for unpacking", archive, errno));
    UniqueFd err_read(err_pipe[0]), err_write(err_pipe[1]);
    // A copy above the standard descriptors, so dup2 to 3 always makes a new, inheritable one.
    UniqueFd lock_copy(lock_fd >= 0 ? ::fcntl(lock_fd, F_DUPFD_CLOEXEC, 10) : -1);

    auto args = unpack_command(input.compressor, map);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    SpawnActions actions;
    posix_spawn_file_actions_adddup2(&actions.a, tar_in.get(), 0);
    posix_spawn_file_actions_addopen(&actions.a, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions.a, err_write.get(), 2);
    if (lock_copy.get() >= 0)
        posix_spawn_file_actions_adddup2(&actions.a, lock_copy.get(), 3);
    posix_spawn_file_actions_addfchdir_np(&actions.a, dir.get());
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, argv[0], &actions.a, nullptr, argv.data(), environ);
    tar_in.reset();
    err_write.reset();
    lock_copy.reset();
    if (rc != 0)
        return std::unexpected(storage::io_error(fmt::format("run {} for", args[0]), archive, rc));

    ProgressMeter meter(progress, std::string(phase), input.size);
    std::string errors;
    auto pumped = pump(input.fd, feed.get(), err_read.get(), errors, archive, meter, bwlimit_kib);
    feed.reset();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!pumped)
        return pumped;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 0 || (code == 2 && ignore_errors)) {
        meter.finish();
        return {};
    }
    while (!errors.empty() && errors.back() == '\n')
        errors.pop_back();
    return fail(Errc::io,
                fmt::format("unable to unpack '{}' (tar exit code {}): {}", archive, code, errors),
                {.context = archive});
}

} // namespace pct::runtime::detail

// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/storage/atomic_file.hpp>

#include "pct/internal/open_regular.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::storage {

namespace {

// Retries on EINTR and short writes.
bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string parent_dir(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

// `.NAME.tmp.<pid>.XXXXXX`: the writer's pid in the name lets the next writer tell a temp
// file of a killed save from one still being written.
std::string temp_prefix(std::string_view base) { return fmt::format(".{}.tmp.", base); }

bool writer_gone(std::string_view pid_text) {
    pid_t pid = 0;
    if (pid_text.empty() || pid_text.size() > 9)
        return false;
    for (char c : pid_text) {
        if (c < '0' || c > '9')
            return false;
        pid = pid * 10 + (c - '0');
    }
    return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH;
}

} // namespace

void sweep_temp_files(const std::string& path) {
    std::string dir = parent_dir(path);
    std::string prefix = temp_prefix(path.substr(path.find_last_of('/') + 1));
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        return;
    auto now = std::chrono::system_clock::now();
    while (const struct dirent* entry = ::readdir(d)) {
        std::string_view name = entry->d_name;
        if (!name.starts_with(prefix))
            continue;
        std::string_view rest = name.substr(prefix.size()); // <pid>.XXXXXX
        std::size_t dot = rest.find('.');
        if (dot == std::string_view::npos || rest.size() - dot - 1 != 6)
            continue;
        struct stat st {};
        if (::fstatat(::dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        auto mtime = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
        if (writer_gone(rest.substr(0, dot)) || now - mtime > stale_temp_age)
            ::unlinkat(::dirfd(d), entry->d_name, 0);
    }
    ::closedir(d);
}

Error io_error(std::string_view what, const std::string& path, int err) {
    return error(Errc::io, fmt::format("{} '{}' failed: {}", what, path, std::strerror(err)),
                 {.context = path, .sys_errno = err});
}

namespace {

// What fstat() says a file is, for the refusal of anything but a regular file.
std::string_view file_kind(mode_t mode) {
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

Error too_large(const std::string& path, std::uint64_t size) {
    return error(Errc::invalid_argument,
                 fmt::format("file '{}' is too large ({} bytes; the limit is {} MiB)", path, size,
                             max_file_size >> 20),
                 {.context = path});
}

} // namespace

Result<std::string> read_file(const std::string& path, mode_t* mode) {
    // O_PATH first: what the name is gets decided before anything is opened (open_regular.hpp).
    int path_fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
    if (path_fd < 0) {
        int err = errno;
        if (err == ENOENT) {
            return fail(Errc::not_found, fmt::format("file '{}' does not exist", path),
                        {.context = path, .sys_errno = err});
        }
        return std::unexpected(io_error("open", path, err));
    }
    struct stat st {};
    int fd = detail::reopen_if_regular(path_fd, st);
    int open_errno = errno;
    ::close(path_fd);
    if (fd < 0) {
        if (st.st_mode == 0)
            return std::unexpected(io_error("stat", path, open_errno));
        if (!S_ISREG(st.st_mode))
            return fail(
                Errc::invalid_argument,
                fmt::format("file '{}' is not a regular file ({})", path, file_kind(st.st_mode)),
                {.context = path});
        return std::unexpected(io_error("open", path, open_errno));
    }
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_file_size) {
        ::close(fd);
        return std::unexpected(too_large(path, size));
    }
    if (mode)
        *mode = st.st_mode & 07777;
    std::string out;
    // One allocation of the right size; a file that grows while it is read is read on, but
    // never past the cap.
    out.resize(static_cast<std::size_t>(size) + 1);
    std::size_t used = 0;
    for (;;) {
        if (used == out.size()) {
            if (out.size() > max_file_size) {
                ::close(fd);
                return std::unexpected(too_large(path, out.size()));
            }
            out.resize(std::min(out.size() * 2, max_file_size + 1));
        }
        ssize_t n = ::read(fd, out.data() + used, out.size() - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            ::close(fd);
            return std::unexpected(io_error("read", path, err));
        }
        if (n == 0)
            break;
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.resize(used);
    return out;
}

Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode,
                               Durability durability) {
    std::string dir = parent_dir(path);
    std::string base = path.substr(path.find_last_of('/') + 1);
    sweep_temp_files(path);
    // The leading dot keeps it out of `*.conf` listings; the pid lets a later writer sweep it.
    std::string tmp = fmt::format("{}/{}{}.XXXXXX", dir, temp_prefix(base), ::getpid());
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(io_error("create temporary file for", path, errno));
    auto fail_with = [&](std::string_view what, int err) -> Result<void> {
        ::close(fd);
        ::unlink(tmp.c_str());
        return std::unexpected(io_error(what, path, err));
    };
    if (::fchmod(fd, mode) != 0)
        return fail_with("chmod", errno);
    if (!write_all(fd, content))
        return fail_with("write", errno);
    bool sync = durability == Durability::crash_safe;
    if (sync && ::fsync(fd) != 0)
        return fail_with("fsync", errno);
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return std::unexpected(io_error("close", path, err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return std::unexpected(io_error("rename", path, err));
    }
    if (!sync)
        return {};
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return std::unexpected(io_error("open directory of", path, errno));
    int rc = ::fsync(dfd);
    int err = errno;
    ::close(dfd);
    if (rc != 0)
        return std::unexpected(io_error("fsync directory of", path, err));
    return {};
}

Result<void> make_dirs(const std::string& path, mode_t mode) {
    if (path.empty())
        return {};
    std::string cur;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        auto next = path.find('/', pos);
        if (next == std::string::npos)
            next = path.size();
        cur = path.substr(0, next);
        pos = next + 1;
        if (cur.empty() || cur == "/")
            continue;
        if (::mkdir(cur.c_str(), mode) != 0) {
            int err = errno;
            if (err != EEXIST)
                return std::unexpected(io_error("mkdir", cur, err));
            struct stat st {};
            if (::stat(cur.c_str(), &st) != 0)
                return std::unexpected(io_error("stat", cur, errno));
            if (!S_ISDIR(st.st_mode))
                return std::unexpected(io_error("mkdir", cur, ENOTDIR));
        }
    }
    return {};
}

} // namespace pct::storage

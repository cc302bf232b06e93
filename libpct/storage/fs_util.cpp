// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fs_util.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::storage::detail {

namespace {

struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

// /proc/mounts escapes blanks, tabs, line breaks and backslashes as \ooo.
std::string unescape_mount(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() &&
            std::all_of(s.begin() + long(i) + 1, s.begin() + long(i) + 4,
                        [](char c) { return c >= '0' && c <= '7'; })) {
            out.push_back(char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

Result<void> fill(int fd, std::uint64_t from, std::uint64_t to, std::string_view preallocation,
                  const std::string& path) {
    if (to <= from)
        return {};
    if (preallocation == "falloc") {
        int rc = ::posix_fallocate(fd, off_t(from), off_t(to - from));
        if (rc != 0)
            return fail(Errc::io,
                        fmt::format("fallocate '{}' failed - {}", path, std::strerror(rc)),
                        {.context = path, .sys_errno = rc});
        return {};
    }
    if (preallocation == "full") {
        static const std::array<char, 1 << 16> zeros{};
        for (std::uint64_t pos = from; pos < to;) {
            auto n = std::min<std::uint64_t>(zeros.size(), to - pos);
            ssize_t w = ::pwrite(fd, zeros.data(), n, off_t(pos));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return fail(Errc::io,
                            fmt::format("write '{}' failed - {}", path, std::strerror(errno)),
                            {.context = path, .sys_errno = errno});
            }
            pos += std::uint64_t(w);
        }
        return {};
    }
    if (::ftruncate(fd, off_t(to)) != 0)
        return fail(
            Errc::io,
            fmt::format("failed to set file size for '{}' - {}", path, std::strerror(errno)),
            {.context = path, .sys_errno = errno});
    return {};
}

} // namespace

std::string under_root(const std::string& base, std::string_view storage_path,
                       std::string_view value) {
    std::string root = base;
    if (!storage_path.empty() && base.ends_with(storage_path))
        root = base.substr(0, base.size() - storage_path.size());
    if (value.starts_with('/'))
        return root + std::string(value);
    return root + "/" + std::string(value);
}

bool is_mount_point(const std::string& path) {
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved))
        return false;
    std::ifstream mounts("/proc/self/mounts");
    std::string line;
    while (std::getline(mounts, line)) {
        auto a = line.find(' ');
        if (a == std::string::npos)
            continue;
        auto b = line.find(' ', a + 1);
        if (unescape_mount(std::string_view(line).substr(a + 1, b - a - 1)) == resolved)
            return true;
    }
    return false;
}

Result<void> create_raw_file(const std::string& path, std::uint64_t size,
                             std::string_view preallocation) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640));
    if (fd.fd < 0)
        return fail(Errc::io,
                    fmt::format("failed to create raw file '{}' - {}", path, std::strerror(errno)),
                    {.context = path, .sys_errno = errno});
    if (auto ok = fill(fd.fd, 0, size, preallocation, path); !ok)
        return ok;
    if (preallocation == "falloc" || preallocation == "full")
        if (::ftruncate(fd.fd, off_t(size)) != 0)
            return fail(
                Errc::io,
                fmt::format("failed to set file size for '{}' - {}", path, std::strerror(errno)),
                {.context = path, .sys_errno = errno});
    return {};
}

Result<void> grow_raw_file(const std::string& path, std::uint64_t size,
                           std::string_view preallocation) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.fd < 0)
        return std::unexpected(io_error("open", path, errno));
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0)
        return std::unexpected(io_error("stat", path, errno));
    const auto current = std::uint64_t(st.st_size);
    if (size < current)
        return fail(Errc::invalid_argument, "unable to shrink disk size", {.context = path});
    if (size == current)
        return fail(Errc::invalid_argument, "disk is already at specified size", {.context = path});
    if (auto ok = fill(fd.fd, current, size, preallocation, path); !ok)
        return ok;
    if (::ftruncate(fd.fd, off_t(size)) != 0)
        return std::unexpected(io_error("truncate", path, errno));
    return {};
}

void set_immutable(const std::string& path, bool on) noexcept {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (fd.fd < 0)
        return;
    int flags = 0;
    if (::ioctl(fd.fd, FS_IOC_GETFLAGS, &flags) != 0)
        return;
    int wanted = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    if (wanted != flags)
        (void)::ioctl(fd.fd, FS_IOC_SETFLAGS, &wanted);
}

void set_nocow(int fd) noexcept {
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
        return;
    flags |= FS_NOCOW_FL;
    (void)::ioctl(fd, FS_IOC_SETFLAGS, &flags);
}

Result<VolumeSize> file_size_info(const std::string& path, std::string_view volid) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return fail(Errc::not_found, fmt::format("volume '{}' does not exist", volid),
                    {.context = path});
    if (S_ISDIR(st.st_mode))
        return VolumeSize{0, VolumeFormat::subvol, 0};
    VolumeSize size{std::uint64_t(st.st_size), VolumeFormat::raw,
                    std::uint64_t(st.st_blocks) * 512};
    if (path.ends_with(".vmdk"))
        size.format = VolumeFormat::vmdk;
    if (path.ends_with(".qcow2")) {
        // qcow2 header: magic "QFI\xfb", then the virtual size as a big-endian u64 at 24.
        size.format = VolumeFormat::qcow2;
        std::ifstream in(path, std::ios::binary);
        std::array<unsigned char, 32> h{};
        if (in.read(reinterpret_cast<char*>(h.data()), h.size()) && h[0] == 'Q' && h[1] == 'F' &&
            h[2] == 'I' && h[3] == 0xfb) {
            std::uint64_t v = 0;
            for (int i = 24; i < 32; ++i)
                v = (v << 8) | h[std::size_t(i)];
            size.size = v;
        }
    }
    return size;
}

std::vector<std::string> list_dir(const std::string& path) {
    std::vector<std::string> out;
    DIR* d = ::opendir(path.c_str());
    if (!d)
        return out;
    while (auto* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..")
            out.emplace_back(n);
    }
    ::closedir(d);
    std::ranges::sort(out);
    return out;
}

} // namespace pct::storage::detail

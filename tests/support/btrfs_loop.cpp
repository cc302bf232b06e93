// SPDX-License-Identifier: AGPL-3.0-or-later
#include "btrfs_loop.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pct::test {

namespace {

// Runs a command quietly; true on exit 0.
bool quiet(const std::string& command) {
    int rc = std::system((command + " >/dev/null 2>&1").c_str());
    return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

BtrfsLoop::BtrfsLoop(std::string mount_point, unsigned size_mib)
    : m_dir("pct-btrfs"), m_mount_point(std::move(mount_point)) {
    if (::geteuid() != 0) {
        m_why = "SKIP: a btrfs loop file system needs root";
        return;
    }
    const std::string image = m_dir.sub("fs.img");
    int fd = ::open(image.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || ::ftruncate(fd, off_t(size_mib) << 20) != 0) {
        if (fd >= 0)
            ::close(fd);
        m_why = "SKIP: cannot create the btrfs image file";
        return;
    }
    ::close(fd);
    if (!quiet("mkfs.btrfs -q " + shell_quote(image))) {
        m_why = "SKIP: mkfs.btrfs failed (btrfs-progs missing?)";
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(m_mount_point, ec);
    // `mount -o loop` sets up an autoclear loop device: unmounting frees it.
    if (!quiet("mount -o loop " + shell_quote(image) + " " + shell_quote(m_mount_point))) {
        m_why = "SKIP: cannot loop-mount the btrfs image (no loop devices?)";
        return;
    }
    m_mounted = true;
}

BtrfsLoop::~BtrfsLoop() {
    if (!m_mounted)
        return;
    if (::umount2(m_mount_point.c_str(), 0) != 0)
        ::umount2(m_mount_point.c_str(), MNT_DETACH);
}

} // namespace pct::test

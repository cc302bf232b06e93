// SPDX-License-Identifier: AGPL-3.0-or-later
#include "file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::capi {
namespace {

std::unexpected<Error> os_error(int err, const std::string& path, std::string what) {
    Error e;
    e.code = err == ENOENT ? Errc::not_found : Errc::io;
    e.message = std::move(what) + ": " + std::strerror(err);
    e.context = path;
    e.sys_errno = err;
    return std::unexpected(std::move(e));
}

} // namespace

Result<std::string> read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return os_error(errno, path, "cannot open '" + path + "'");
    std::string data;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            ::close(fd);
            return os_error(err, path, "cannot read '" + path + "'");
        }
        if (n == 0)
            break;
        data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return data;
}

Result<void> write_file_atomic(const std::string& path, std::string_view data) {
    std::string tmp = path + ".tmp.XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0)
        return os_error(errno, path, "cannot create a temporary file for '" + path + "'");
    auto fail = [&](const char* what) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return os_error(err, path, what + (" '" + path + "'"));
    };
    // Keep the permissions of the file being replaced (mkstemp creates 0600).
    struct stat st {};
    mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    if (::fchmod(fd, mode) != 0)
        return fail("cannot set the mode of the temporary file for");
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail("cannot write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        return fail("cannot sync");
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return os_error(err, path, "cannot close '" + path + "'");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return os_error(err, path, "cannot rename onto '" + path + "'");
    }
    return {};
}

} // namespace pct::capi

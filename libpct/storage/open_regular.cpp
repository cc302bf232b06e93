// SPDX-License-Identifier: AGPL-3.0-or-later
#include "pct/internal/open_regular.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>

namespace pct::storage::detail {

int reopen_if_regular(int path_fd, struct stat& st) {
    st = {};
    if (::fstat(path_fd, &st) != 0)
        return -1;
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        return -1;
    }
    // The O_PATH descriptor holds the inode: this opens the very file fstat() saw.
    std::string self = "/proc/self/fd/" + std::to_string(path_fd);
    return ::open(self.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

} // namespace pct::storage::detail

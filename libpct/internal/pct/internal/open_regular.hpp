// SPDX-License-Identifier: AGPL-3.0-or-later
// Opening a file for reading only when it is a regular file, decided before it is opened:
// opening a device node has effects of its own (a watchdog's arms it, a terminal's can become
// the controlling terminal, a FIFO's waits for a writer), and a container's root or a template
// can plant one under any name host root reads (etc/hosts, etc/hostname). Shared by the
// storage and runtime modules (libpct-internal, not installed).
#pragma once

#include <sys/stat.h>

namespace pct::storage::detail {

/// Reopens the file that the O_PATH descriptor `path_fd` names (through /proc/self/fd, the
/// same inode) with O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, only if fstat() says it is a
/// regular file; `st` receives that fstat(). Returns the new descriptor, or -1: with errno
/// from fstat() or open(), or with errno EINVAL and `st` filled when it is not regular.
[[nodiscard]] int reopen_if_regular(int path_fd, struct stat& st);

} // namespace pct::storage::detail

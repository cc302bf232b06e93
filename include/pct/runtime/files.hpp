// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `pct push` / `pct pull`: one file copied into or out of a running container.
///
/// Every container path is resolved inside the container's own root (`/proc/PID/root` of its
/// init, proven by a pidfd taken before to be that process's), with `openat2`
/// `RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS`: `..` and absolute symlinks stop at the
/// container's `/`, so no path the container controls reaches a host file, and its mount
/// points (`mpN`) are seen as the container sees them. `push` never writes through a symlink
/// or into anything but a regular file at the destination (the last component is not
/// followed). The data is streamed (`copy_file_range`, else pread/pwrite), any size: only the
/// source's data extents are copied (holes stay holes), up to the size it had when the copy
/// began (a file the container keeps growing cannot make a pull endless).
#pragma once

#include <pct/error.hpp>
#include <pct/runtime/container.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace pct::runtime {

/// Owner and mode of the file a copy makes (Proxmox's `--user`, `--group`, `--perms`).
struct FileCopyOptions {
    /// A user name or a numeric id. `push`: looked up in the container's `/etc/passwd` and
    /// mapped to the host id through the container's id map (unprivileged CTs); default the
    /// container's root. `pull`: a host user; default the caller.
    std::optional<std::string> user;
    std::optional<std::string> group; ///< as `user`, in `/etc/group`
    /// Permission bits (07777); default 0644 for a new file, an existing file keeps its mode.
    std::optional<std::uint32_t> perms;
};

/// Copies the host file `source` to `destination` (an absolute path inside the container),
/// created or truncated. Errors: `Errc::bad_state` "can only push files to a running CT",
/// `Errc::not_found` (source, destination directory, unknown user/group "unknown user 'X'"),
/// `Errc::invalid_argument` (relative destination, perms above 07777, a source or destination
/// that is not a regular file, a symlink at the destination), `Errc::io` (read/write/chown).
[[nodiscard]] Result<void> push(const Container& ct, const std::string& source,
                                const std::string& destination,
                                const FileCopyOptions& options = {});

/// Copies `source` (an absolute path inside the container, symlinks followed inside its root
/// only) to the host file `destination` (created or truncated; never through a symlink).
/// Errors: `Errc::bad_state` "can only pull files from a running CT", others as `push`.
[[nodiscard]] Result<void> pull(const Container& ct, const std::string& source,
                                const std::string& destination,
                                const FileCopyOptions& options = {});

/// Proxmox's `--perms` text: octal, a leading 0 optional ("644", "0755"), or hexadecimal
/// after `0x` ("0x1ed").
/// `Errc::invalid_argument` for anything else or above 07777.
[[nodiscard]] Result<std::uint32_t> parse_perms(std::string_view text);

} // namespace pct::runtime

// SPDX-License-Identifier: AGPL-3.0-or-later
// Template extraction for `create`, as Proxmox's restore_tar_archive does it: tar reads the
// archive on stdin, in the container's id map (`lxc-usernsexec`) for an unprivileged CT, so a
// member owned by uid 0 becomes the CT's root (100000 by default) on the host and a setuid-root
// file in a template is never setuid root on the host.
#pragma once

#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/runtime/progress.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// tar's decompression option for an archive name: "" (.tar), "-z" (.tar.gz, .tgz), "-J"
/// (.tar.xz, .txz), "-j" (.tar.bz2, .tbz2), "--lzop" (.tar.lzo), "--zstd" (.tar.zst, .tzst).
/// `Errc::invalid_argument` with Proxmox's texts otherwise: "file does not look like a template
/// archive: PATH" (no `.tar[.EXT]` ending), "unrecognized compression format: .EXT".
[[nodiscard]] Result<std::string> compressor_flag(const std::string& archive);

/// The command line: `map`'s `lxc-usernsexec ... --` prefix, then tar with Proxmox's flags
/// (numeric owners, ACLs, xattrs, `--skip-old-files`, `./dev/*` excluded) reading stdin into
/// its working directory.
[[nodiscard]] std::vector<std::string> unpack_command(const std::string& compressor,
                                                      const IdMap& map);

/// Extracts `archive` into the directory `rootdir`, which must already belong to `map`'s root.
/// tar runs with `rootdir` as its working directory (so the mapped root needs no access to the
/// folders above it) and gets the archive through a socket fed by this process: if this
/// process dies, tar reads EOF and stops instead of filling the volume on its own. It also
/// gets a copy of `lock_fd` (the container's config lock, or -1), so the lock stays held
/// until tar has stopped writing. Exit status 2 (some members failed) is success with
/// `ignore_errors`. `Errc::io` with tar's error output otherwise. `progress` (may be empty)
/// hears phase "extract": archive bytes fed to tar of the archive file's size.
[[nodiscard]] Result<void> unpack(const std::string& archive, const std::string& rootdir,
                                  const IdMap& map, int lock_fd, bool ignore_errors,
                                  const ProgressFn& progress = {});

/// Where `unpack_stream` reads an archive: an open descriptor (a file or a pipe, read from
/// its current offset; not closed), the name messages use (a path or "STDIN"), tar's
/// decompression option ("" for none: a stream without a name is never decompressed, as
/// Proxmox's restore from a pipe) and its size for progress (0: unknown).
struct UnpackInput {
    int fd = -1;
    std::string name;
    std::string compressor;
    std::uint64_t size = 0;
};

/// `unpack` from an open descriptor, with the same safety (socket feed, lock copy, working
/// directory). `phase` names the progress reports; `bwlimit_kib` (0: none) caps the rate at
/// which the archive is fed to tar, in KiB/s (Proxmox's cstream -t).
[[nodiscard]] Result<void> unpack_stream(const UnpackInput& input, const std::string& rootdir,
                                         const IdMap& map, int lock_fd, bool ignore_errors,
                                         const ProgressFn& progress, std::string_view phase,
                                         std::uint64_t bwlimit_kib = 0);

} // namespace pct::runtime::detail

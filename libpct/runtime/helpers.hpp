// SPDX-License-Identifier: AGPL-3.0-or-later
// Pure helpers of the runtime (no liblxc): LXC config text edits, liblxc
// log reading. Kept apart from impl.hpp so unit tests can use them without liblxc headers.
#pragma once

#include "id_map.hpp"

#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime::detail {

/// What identifies one version of a file: a replaced (renamed over) file has another inode, an
/// edited one another size, mtime or ctime.
struct FileStamp {
    std::uint64_t dev = 0, ino = 0, size = 0;
    std::int64_t mtime_ns = 0, ctime_ns = 0;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

/// The stamp of `path` (following symlinks), nullopt when it cannot be stat()ed.
[[nodiscard]] std::optional<FileStamp> file_stamp(const std::string& path);

/// True when `name` (relative to `dirfd`, or a path with `AT_FDCWD`) is already exactly what an
/// atomic replace would leave: a regular file, not a symlink, with one link, owned by the
/// effective uid (or by `owner`'s uid and gid when given), with permission bits `mode` and
/// content `content`. Start uses it to skip rewriting derived files: a rename over an existing
/// file makes ext4 flush the new data (auto_da_alloc), 2-4 ms per file on the build VM.
[[nodiscard]] bool holds_exactly(int dirfd, const std::string& name, std::string_view content,
                                 unsigned mode, std::optional<Owner> owner = std::nullopt);

/// `storage::write_file_atomic` without fsync, skipped when `holds_exactly` the content.
[[nodiscard]] Result<void> write_derived_file(const std::string& path, std::string_view content,
                                              unsigned mode);

/// `<lxcpath>/<CTID>/lxc.log`
[[nodiscard]] std::string log_path(const storage::Host& host, Vmid vmid);
/// The messages of the ERROR lines of the last start's part of liblxc's log (deduplicated,
/// "; "-joined, at most 6).
[[nodiscard]] std::string log_errors(const std::string& path);

/// liblxc's log keeps the starts one after the other, each after a marker line libpct
/// appends before it, instead of being emptied at every start: truncating a file frees its
/// blocks, which on a filesystem mounted with `discard` is a synchronous discard request
/// (milliseconds on the build VM, on the start path). A log above this size is emptied.
inline constexpr std::size_t max_log_size = 1 << 20;

/// Appends a start marker to the log at `path` (created 0600 when missing; emptied first when
/// above `max_log_size`).
void begin_log_section(const std::string& path, Vmid vmid);

/// What follows the last start marker of a log text (all of it when there is none).
[[nodiscard]] std::string_view last_log_section(std::string_view text);

/// Replaces every `key = ...` line of an LXC config text by one `key = value` line (appended
/// when absent).
[[nodiscard]] std::string set_lxc_key(std::string_view text, std::string_view key,
                                      std::string_view value);

/// The `value` of the last `key = value` line of an LXC config text, "" when absent.
[[nodiscard]] std::string get_lxc_key(std::string_view text, std::string_view key);

} // namespace pct::runtime::detail

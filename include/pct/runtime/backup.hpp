// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `pct backup` / vzdump of one container (vzdump-format.md §1-§3): a tar archive in Proxmox's
/// own format, interchangeable with PVE's file backups both ways.
///
/// The archive is made by GNU tar with Proxmox's argument list (§2.1), under `lxc-usernsexec`
/// with the container's id map for an unprivileged CT (so ids are container-relative), piped
/// through this process (progress, bandwidth limit) into the compressor (`gzip --rsyncable`,
/// `lzop`, `zstd --threads=N`) and written to `<dumpdir>/<basename>.dat`, renamed to
/// `vzdump-lxc-<CTID>-<YYYY_MM_DD-HH_MM_SS>.tar[.gz|.lzo|.zst]` when it is complete. Members:
/// `./etc/vzdump/pct.conf` (the canonical config without `lock`, `parent`, snapshots and
/// pending changes), `./etc/vzdump/pct.fw` (the firewall file or empty), then `./` and every
/// mount point with `backup=1` as `./<mp>` (§2.2).
///
/// Modes (§3): `stop` (a running CT is shut down and started again afterwards), `suspend`
/// (rsync of the running CT into the temp dir, freeze, second rsync, thaw; tar of the copy),
/// `snapshot` (a storage snapshot `vzdump` of the backed-up volumes, mounted read-only and
/// deleted afterwards; "mode failure - some volumes do not support snapshots" falls back to
/// suspend). A stopped CT is always backed up in stop mode. Volumes are mounted read-only in a
/// private mount namespace of a thread of this process: no mount is ever seen by the host or
/// the container, and a killed run leaves none.
///
/// The config carries `lock: backup` for the whole run. A failure leaves no `.dat`, no
/// `vzdump` snapshot, no mount and no lock, but the task log `<basename>.log` beside where
/// the archive would have been (as vzdump does). A run killed half-way leaves its lock, its
/// `.dat` and possibly its snapshot: `pct unlock` removes the lock, and the next backup of the
/// CT removes a leftover `vzdump` snapshot as Proxmox does.
///
/// Threading: one call per container at a time (the `backup` lock refuses a second).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/runtime/progress.hpp>
#include <pct/storage/backups.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime {

/// vzdump's `--mode`.
enum class BackupMode { stop, suspend, snapshot };

/// "stop", "suspend", "snapshot".
[[nodiscard]] std::string_view to_string(BackupMode mode) noexcept;
/// The mode named `text`; `Errc::invalid_argument` (key `mode`) otherwise.
[[nodiscard]] Result<BackupMode> parse_backup_mode(std::string_view text);

/// vzdump's options for one container.
struct BackupOptions {
    std::optional<std::string> storage; ///< target storage; "local" when no `dumpdir`
    std::optional<std::string> dumpdir; ///< a directory instead of a storage
    BackupMode mode = BackupMode::snapshot;
    storage::BackupCompression compress = storage::BackupCompression::none;
    unsigned zstd_threads = 1;                 ///< `--zstd N`; 0: half the cores
    std::vector<std::string> exclude_paths;    ///< `--exclude-path`, in order (§2.7)
    bool stdexcludes = true;                   ///< `/tmp/?*`, `/var/tmp/?*`, `/var/run/?*.pid`
    std::optional<std::string> notes_template; ///< storage targets only (§6.2)
    bool protect = false;                      ///< `--protected 1`: storage targets only
    bool remove = true;                ///< prune by the storage's `prune-backups` after success
    std::optional<std::string> tmpdir; ///< `--tmpdir`: holds `vzdumptmp<pid>_<vmid>/`
    std::uint64_t bwlimit_kib = 0;     ///< KiB/s of archive data leaving tar; 0: unlimited
    ProgressFn progress;               ///< phase "backup": tar bytes written so far
    std::function<void(std::string_view)> log; ///< each log line as it is written
};

/// What a finished backup produced.
struct BackupReport {
    std::string archive;                ///< full path of the finished archive
    std::string volid;                  ///< "STORE:backup/FILE" on a storage, else ""
    std::string log_path;               ///< the `.log` beside it
    BackupMode mode = BackupMode::stop; ///< the mode actually used
    std::uint64_t archive_size = 0;
    std::vector<std::string> pruned; ///< archives removed by pruning
    std::vector<std::string> warnings;
};

/// Backs up container `vmid` of `host` (see the file comment). Errors: `Errc::not_found` (no
/// such CT, storage), `Errc::bad_state` "CT is locked (LOCK)" or a template in suspend mode,
/// `Errc::invalid_argument` (bad options: `storage` together with `dumpdir`, a storage
/// without `backup` content), `Errc::io` for a failing tar/compressor/rsync (tar's message)
/// or file operation, `Errc::unsupported` when a mode cannot be used.
[[nodiscard]] Result<BackupReport> backup(const storage::Host& host, Vmid vmid,
                                          const BackupOptions& options);

/// The text of `./etc/vzdump/pct.conf` for `config` (§2.4): libpct's canonical rendering
/// without `lock`, `parent`, snapshot sections and pending changes.
[[nodiscard]] Result<std::string> backup_config_text(const ContainerConfig& config);

} // namespace pct::runtime

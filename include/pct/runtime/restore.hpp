// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Restoring a container from a vzdump file backup (`pct restore`, `pct create --restore 1`),
/// as Proxmox's create_vm with restore=1 (vzdump-format spec §4).
///
/// Steps: the archive's `./etc/vzdump/pct.conf` is read first (`read_backup_config`: the
/// first member of exactly that name, 1 MiB at most; an archive without it, or with names not
/// starting `./`, is refused before anything is made; skipped for a stream, which then needs
/// `rootfs`). The target is privileged unless `unprivileged` is given or the archive's config
/// says `unprivileged: 1` (restore does not default to unprivileged, unlike create); the
/// archive's raw `lxc.*` entries (its `lxc.idmap`) are in the config before extraction, so
/// the files land in the map the source had. Volumes: **simple** mode (no `rootfs` option)
/// recreates every volume of the archive's rootfs/mpN on `storage` with its recorded `size=` (bytes
/// as GiB; a volume without it: "unable to detect disk size - please specify mpN (size)"),
/// `backup=0` volumes come back empty, bind and device mount points are added back only
/// after extraction; **advanced** mode (`rootfs` given, optionally `mpN`) uses only those.
/// Then, as `create`: the volumes allocated and mounted, the archive unpacked into them with
/// Proxmox's restore tar command inside the **target's** id map (`--skip-old-files`, first
/// occurrence wins; `./dev/*` never extracted), the config merged (`merge_restored_config`
/// with the extracted `/etc/vzdump/pct.conf`, which is then removed), a non-empty regular
/// `/etc/vzdump/pct.fw` moved to `R/etc/pve/firewall/<CTID>.fw` (an empty one stays, as in
/// Proxmox), the distribution's template fixups, the defaults (`hostname` `CT<CTID>`,
/// `memory` 512, `swap` 512), the delayed bind mounts, the template conversion of a template's
/// backup, the config written; `start` then starts it.
///
/// libpct has no users or permissions: a restore acts as Proxmox's `root@pam` (raw `lxc.*`
/// entries kept, bind mounts restored, `features` kept).
///
/// Transactional: any failure (a truncated or corrupt archive, tar's refusals: `../` members,
/// ids outside the target map, device nodes in an unprivileged target; a failed step) unmounts
/// and frees everything the restore made, removes its folders, firewall file and config, and
/// reads "unable to restore CT N - ERR". `ignore_unpack_errors` treats tar's exit status 2
/// as success (which also hides a truncated archive, as in Proxmox). `force` replaces a
/// stopped, unprotected container: its volumes are freed only once the new ones exist, and a
/// failure before that leaves it as it was.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/progress.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace pct::runtime {

struct RestoreOptions {
    /// `STORAGE:backup/FILE` (in the storage's `dump/` folder), an absolute file path, or "-"
    /// to read the archive from `input_fd` (uncompressed only, `rootfs` required).
    std::string archive;
    /// The stream for `archive` "-" (read to its end, not closed).
    int input_fd = -1;
    /// Where volumes are allocated (`--storage`).
    std::string storage = "local";
    /// Config keys that override the archive's (`--rootfs`, `--mpN`, `--unprivileged`,
    /// `--hostname`, ...), as `CreateOptions::options`; a bare size means `<storage>:SIZE`.
    std::map<std::string, std::string> options;
    /// A new random MAC for every `netN` of the archive (replacing a `netN` given in
    /// `options`, as Proxmox's --unique does).
    bool unique = false;
    /// tar's exit status 2 (some members not extracted) counts as success.
    bool ignore_unpack_errors = false;
    /// Replace an existing stopped container of this CTID.
    bool force = false;
    /// Start the restored container.
    bool start = false;
    /// Cap on the rate the archive is read at, KiB/s (0: none).
    std::uint64_t bwlimit_kib = 0;
    /// Hears the extraction: phase "restore", archive bytes read of its size (0 for a stream).
    ProgressFn progress;
    /// Each log line as the restore goes (vzdump-style text without time stamps).
    std::function<void(std::string_view)> log;
};

/// How `merge_restored_config` merges (sanitize_and_merge_config's inputs).
struct MergeOptions {
    /// Proxmox's root@pam: raw `lxc.*` entries copied, `features` kept on an unprivileged to
    /// privileged restore. libpct's restore always merges as root.
    bool root = true;
    /// `--unique`: every archived `netN` gets a new MAC and replaces the given one.
    bool unique = false;
    /// Makes a new MAC for `unique` (empty: a random `BC:24:11:XX:XX:XX`).
    std::function<std::string()> new_mac;
};

/// The text of the first `./etc/vzdump/pct.conf` member of the archive file `archive` (any
/// compression GNU tar detects). `Errc::invalid_argument` "archive contains no configuration
/// file" when there is none (a name without `./` does not count), `Errc::unsupported` for an
/// OpenVZ archive (`./etc/vzdump/vps.conf`), `Errc::invalid_argument` for a config above
/// 1 MiB, `Errc::io` when tar cannot read the archive ("unable to read archive 'PATH': tar's
/// last complaint").
[[nodiscard]] Result<std::string> read_backup_config(const std::string& archive);

/// Proxmox's sanitize_and_merge_config (spec §4.6): every key of `archived`'s main section
/// is copied into `given` unless `given` has it already, except `digest`, `rootfs`, `mpN`,
/// `unusedN`, `snapshots`, `parent`, `unprivileged`, `template` (never copied), raw `lxc.*`
/// entries (only for root, and only when `given` has none), `features` (not for non-root when
/// `archived` is unprivileged and `given` privileged). The description is a key like any
/// other. The `[pve:pending]` section is copied when `given` has none (Proxmox copies the
/// `pending` key). With `unique` each archived `netN` gets a new MAC and replaces `given`'s.
/// Errors: `Errc::parse` naming the archived `netN` key that does not parse (with `unique`).
[[nodiscard]] Result<ContainerConfig> merge_restored_config(const ContainerConfig& archived,
                                                            ContainerConfig given,
                                                            const MergeOptions& options);

/// Restores the backup into container `vmid` and returns it (stopped unless `start`). Errors
/// before anything is made: `Errc::invalid_argument` (option values, a stream without rootfs,
/// an archive name without `.tar[.EXT]`, no config in the archive, a volume without size),
/// `Errc::already_exists` ("CT N already exists" without force), `Errc::bad_state` (force
/// over a running or protected CT), `Errc::not_found` (archive, storage). Afterwards
/// "unable to restore CT N - ..." with the failed step's code (`Errc::io` for tar).
[[nodiscard]] Result<Container> restore(const storage::Host& host, Vmid vmid,
                                        const RestoreOptions& options);

} // namespace pct::runtime

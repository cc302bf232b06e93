// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Proxmox's storage definitions (`/etc/pve/storage.cfg`), as far as libpct uses them: every
/// entry is read (type, name, options), and `dir` storages can hold container volumes and
/// templates. Other types (lvmthin, zfspool, nfs, ...) are listed but not usable here.
///
/// File format (Proxmox's SectionConfig): `TYPE: NAME` at column 0 opens an entry; indented
/// `KEY VALUE` lines (or a bare `KEY`, meaning 1) belong to it; `#` lines and blank lines are
/// ignored. Like Proxmox, a `dir` storage `local` at `/var/lib/vz` always exists: it is added
/// when the file does not define `local` as a `dir` storage at that path.
///
/// Threading: plain values and pure functions.
#pragma once

#include <pct/error.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pct::storage {

/// One storage definition.
struct StorageEntry {
    std::string type;                           ///< `dir`, `lvmthin`, `zfspool`, ...
    std::string name;                           ///< storage id, e.g. `local`
    std::map<std::string, std::string> options; ///< `path`, `content`, `disable`, ... verbatim
    int line = 0;                               ///< line of the `TYPE: NAME` header, 0 if implied

    /// The `path` option ("" when absent).
    [[nodiscard]] std::string path() const;
    /// True when `disable` is set to a true value.
    [[nodiscard]] bool disabled() const;
    friend bool operator==(const StorageEntry&, const StorageEntry&) = default;
};

/// Parses storage.cfg text. `Errc::parse` (with `context` = `file`, line and key) for a
/// property line outside an entry, a malformed header, or a duplicate storage id. The implied
/// `local` entry is appended as described above. Entries keep file order.
[[nodiscard]] Result<std::vector<StorageEntry>> parse_storage_cfg(std::string_view text,
                                                                  const std::string& file = {});

/// A parsed volume id `STORAGE:VOLNAME`, or nullopt-like empty `storage` for a plain path.
struct VolumeId {
    std::string storage; ///< empty when the volume is a host path
    std::string name;    ///< `100/subvol-100-disk-0.subvol`, `vztmpl/x.tar.zst`, or the path
    friend bool operator==(const VolumeId&, const VolumeId&) = default;
};

/// Splits a volume string as Proxmox's `parse_volume_id` does: `STORAGE:NAME` when it matches
/// `^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$`, else (absolute path) a host path.
/// `Errc::invalid_argument` for text that is neither.
[[nodiscard]] Result<VolumeId> parse_volume_id(std::string_view volume);

/// Checks the volume name of a container disk on a `dir` storage as Proxmox's `parse_volname`
/// does (pve-storage: Plugin.pm parse_volname, parse_name_dir): `VMID/NAME`, or a linked clone
/// `BASEVMID/BASENAME/VMID/NAME`, where NAME is `vm-|base-|subvol-<VMID>-*.EXT` or any
/// `*.EXT` with EXT one of raw, qcow2, vmdk, subvol. `Errc::invalid_argument` with Proxmox's
/// text: "unable to parse directory volume name 'X'", "unable to parse volume filename 'X'",
/// "'X' is a snapshot filename, not a volume!", and for the other content types Proxmox's
/// dir storage knows (`iso/`, `vztmpl/`, `backup/`, `snippets/`, `import/`) "volume name 'X'
/// is not a container volume (content type 'T')".
[[nodiscard]] Result<void> check_dir_image_name(std::string_view volname);

/// True for Proxmox's allocation form `STORAGE:SIZE_GiB` (`^([^:\s]+):(\d+(\.\d+)?)$`,
/// pve-container's `$NEW_DISK_RE`), e.g. `local:8` or `local:0.5`; false for `local:-1`,
/// `local:1e3`, `local:1.`.
[[nodiscard]] bool is_allocation_form(std::string_view volume) noexcept;

} // namespace pct::storage

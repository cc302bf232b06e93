// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Proxmox's storage definitions (`/etc/pve/storage.cfg`): reader with Proxmox's warnings,
/// the decoded options of `dir` and `btrfs` storages, the built-in `local`, and the writer.
///
/// File format (Proxmox's SectionConfig, spec storage.md §1.1): `TYPE: ID` at column 0 opens
/// a section outside a section; indented `KEY VALUE` lines (or a bare `KEY`) belong to it
/// until the first EMPTY line (a line of blanks does not end it); `#` lines are skipped
/// anywhere. Problems never fail the parse: like Proxmox, a bad value drops its line and a
/// bad section is skipped, each with Proxmox's warning text in `StorageConfig::warnings`.
///
/// Types: `dir` and `btrfs` are checked against their option schema (spec §1.6, §1.7) and
/// decoded (§1.2). Every other type (lvmthin, zfspool, rbd, nfs, cifs, a third party's) is
/// kept as read: its property lines are written back verbatim, and using it is refused
/// unless a backend for it was registered (`register_backend`, backend.hpp).
///
/// After parsing (§1.3): the built-in `local` (`dir`, `/var/lib/vz`, all content types,
/// `prune-backups keep-all=1`) replaces a `local` that is missing, not `dir` or at another
/// path (and is then written last); `dir`/`btrfs` without `content` get `images,rootdir`;
/// types `iscsi nfs cifs rbd cephfs iscsidirect zfs drbd pbs` are always shared.
///
/// Threading: plain values and pure functions.
#pragma once

#include <pct/error.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pct::storage {

/// One storage definition.
struct StorageEntry {
    std::string type; ///< `dir`, `btrfs`, `lvmthin`, ... (lower case)
    std::string name; ///< storage id, e.g. `local`
    /// Options as text. For `dir`/`btrfs`: only schema-valid ones, decoded and normalised
    /// (`content` as a sorted `,` list, `path` canonical, booleans `0`/`1`). For other types:
    /// every key as read (first occurrence).
    std::map<std::string, std::string> options;
    int line = 0; ///< line of the `TYPE: ID` header, 0 for the built-in `local`
    /// For types without a schema in this build: the section's property lines as read
    /// (without the line break), written back unchanged by `render_storage_config`.
    std::vector<std::string> verbatim;
    bool checked = false; ///< true when `options` went through the dir/btrfs schema

    /// The `path` option ("" when absent).
    [[nodiscard]] std::string path() const;
    /// An option's value, nullopt when not set.
    [[nodiscard]] std::optional<std::string> option(std::string_view key) const;
    /// A boolean option (`1`/`0`, bare key = 1); `fallback` when not set.
    [[nodiscard]] bool flag(std::string_view key, bool fallback = false) const;
    /// True when `disable` is set to a true value.
    [[nodiscard]] bool disabled() const;
    /// `shared` (forced for network types).
    [[nodiscard]] bool shared() const;
    /// The content types (`images`, `rootdir`, `vztmpl`, ...); empty for `none`.
    [[nodiscard]] std::set<std::string> content() const;
    [[nodiscard]] bool has_content(std::string_view vtype) const;
    /// The `nodes` restriction (empty = every node).
    [[nodiscard]] std::set<std::string> nodes() const;
    friend bool operator==(const StorageEntry&, const StorageEntry&) = default;
};

/// A parsed storage.cfg: entries in file order (a synthesized `local` last) and the warnings
/// Proxmox would print for the same text.
struct StorageConfig {
    std::vector<StorageEntry> entries;
    std::vector<std::string> warnings;

    /// The entry of `id`, nullptr when there is none.
    [[nodiscard]] const StorageEntry* find(std::string_view id) const noexcept;
    friend bool operator==(const StorageConfig&, const StorageConfig&) = default;
};

/// Parses storage.cfg text as Proxmox does (see the file comment). `file` only names the file
/// in warnings ("file storage.cfg line N ..."; its last path component is used, default
/// `storage.cfg`). Never fails.
[[nodiscard]] StorageConfig parse_storage_config(std::string_view text,
                                                 std::string_view file = "storage.cfg");

/// Writes `config` as Proxmox's writer does (§1.4): sections in order, `TYPE: ID`, `\tdisable`
/// when disabled, `\tpath` first, the other options sorted, an empty line after each section;
/// verbatim lines for types without a schema. `Errc::invalid_argument` "property 'KEY'
/// contains a line feed" (key set) for a value with `\n`/`\r`.
[[nodiscard]] Result<std::string> render_storage_config(const StorageConfig& config);

/// `parse_storage_config(text, file).entries` (kept for existing callers). Never fails.
[[nodiscard]] Result<std::vector<StorageEntry>> parse_storage_cfg(std::string_view text,
                                                                  const std::string& file = {});

/// Proxmox's storage id rule (`parse_storage_id`): nullopt when valid, else the error text
/// "storage ID 'X' cannot be shorter than 2 characters" / "storage ID 'X' contains illegal
/// characters".
[[nodiscard]] std::optional<std::string> storage_id_problem(std::string_view id);

/// A parsed volume id `STORAGE:VOLNAME`, or nullopt-like empty `storage` for a plain path.
struct VolumeId {
    std::string storage; ///< empty when the volume is a host path
    std::string name;    ///< `100/subvol-100-disk-0.subvol`, `vztmpl/x.tar.zst`, or the path
    friend bool operator==(const VolumeId&, const VolumeId&) = default;
};

/// Splits a volume string as Proxmox's `parse_volume_id` does: `STORAGE:NAME` when it matches
/// `^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$`, else (absolute path) a host path.
/// `Errc::invalid_argument` "unable to parse volume ID 'X'" for text that is neither.
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

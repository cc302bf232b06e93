// SPDX-License-Identifier: AGPL-3.0-or-later
// What the volume operations share: the container's config loaded under its lock with the
// caller's digest checked, the mount point entries of a key, and the container's state.
#pragma once

#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/model/properties.hpp>
#include <pct/runtime/locks.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/host.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime::detail {

/// A container's config read under its lock: edits go to `doc`, committed with `commit()`.
struct LockedConfig {
    storage::ConfigLock lock;
    storage::ConfigDocument doc;
    [[nodiscard]] Result<void> commit() { return doc.commit(lock); }
};

/// Takes the config lock of `vmid`, loads its config and, with `digest`, refuses
/// (`Errc::digest_mismatch`) when the file no longer has it (Proxmox's `assert_if_modified`).
[[nodiscard]] Result<LockedConfig> lock_config(const storage::Host& host, Vmid vmid,
                                               const std::optional<std::string>& digest = {});

/// The parsed `rootfs`/`mpN` entry `key` of the main section. `Errc::invalid_argument`
/// "value 'KEY' does not have a value in the enumeration 'rootfs, mp0, ...'" for another key,
/// `Errc::not_found` "cannot run command on non-existing mount point KEY"-like `missing` text
/// when the key is not set.
[[nodiscard]] Result<MountPoint> mount_entry(const ContainerConfig& config, std::string_view key,
                                             std::string_view missing_message);

/// Writes `mp` back into `key` (rootfs or mpN) of the main section.
[[nodiscard]] Result<void> set_mount_entry(storage::ConfigDocument& doc, std::string_view key,
                                           const MountPoint& mp);

/// Sets or removes (`value` nullopt) the main section's `lock`.
[[nodiscard]] Result<void> set_config_lock(storage::ConfigDocument& doc,
                                           std::optional<std::string_view> value);

/// Proxmox's `remove_lock`, for the way out of a long operation that set `lock: KIND`: takes the
/// config lock and removes the main section's `lock` only while it is still `kind` (a lock
/// someone else set since, or none, is left alone).
[[nodiscard]] Result<void> remove_config_lock(const storage::Host& host, Vmid vmid,
                                              std::string_view kind);

/// Proxmox's `add_unused_volume`: `volid` as the lowest free `unusedN` of the main section
/// (the key it already has when listed). `Errc::invalid_argument` "Too many unused volumes -
/// please delete them first.".
[[nodiscard]] Result<std::string> add_unused(storage::ConfigDocument& doc, std::string_view volid);

/// The `unusedN` key `add_unused` gives `volid` in `section`: the one already listing it, else
/// the lowest free one (same error).
[[nodiscard]] Result<std::string> unused_key_for(const Section& section, std::string_view volid);

/// `add_unused` on a section of a config model (a snapshot section, or a main section that is
/// rendered whole afterwards, as the pending engine does).
[[nodiscard]] Result<std::string> add_unused(Section& section, std::string_view volid);

/// Host pid of the container's init, 0 when it is not running.
[[nodiscard]] int running_pid(const storage::Host& host, Vmid vmid);

/// The host ids of the container's root (0:0 privileged, 100000:100000 by default).
[[nodiscard]] Result<Owner> root_owner(const ContainerConfig& config);

} // namespace pct::runtime::detail

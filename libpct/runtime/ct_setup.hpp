// SPDX-License-Identifier: AGPL-3.0-or-later
// The in-container files Proxmox's OS setup writes before a start (a documented subset of
// PVE::LXC::Setup): /etc/hostname, the PVE block of /etc/hosts and /etc/resolv.conf, and the
// managed interfaces of /etc/network/interfaces for Debian-like systems (`manual` where liblxc
// sets the addresses from the generated config, dhcp/auto where the container must). Every
// path is resolved inside the rootfs (openat2 RESOLVE_IN_ROOT), so a symlink in the container
// cannot redirect a write to the host; each file is written to a new temporary file (O_EXCL,
// O_NOFOLLOW) renamed over the old name, so a symlink or hard link planted there is replaced,
// never written through. In a CT with an id map every file and directory written belongs to the
// container's root (100000:100000 by default), as Proxmox's setup chowns them.
// `/etc/.pve-ignore.<file>` skips a file, as in Proxmox.
#pragma once

#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/settings.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pct::runtime::detail {

/// Writes the files for `settings` into the rootfs directory `rootfs`, owned by `owner` (the
/// host ids of the container's root; nullopt: left to the writer, for privileged CTs). Unknown or
/// `unmanaged` ostypes get nothing; ostypes whose network files libpct does not write add a
/// warning.
[[nodiscard]] Result<void> setup_ct_files(const std::string& rootfs,
                                          const ContainerSettings& settings, Vmid vmid,
                                          std::optional<Owner> owner,
                                          std::vector<std::string>& warnings);

/// Reads `rel` (e.g. "etc/os-release") with every symlink resolved inside `rootfs`; nullopt
/// when it is missing or not a regular file.
[[nodiscard]] std::optional<std::string> read_file_in_root(const std::string& rootfs,
                                                           const std::string& rel);

/// The new /etc/network/interfaces text: `old` without the stanzas (`auto`, `allow-*`,
/// `iface` + indented lines) of interfaces in `settings.net`, plus libpct's stanzas for them.
[[nodiscard]] std::string render_interfaces(const std::string& old,
                                            const ContainerSettings& settings);

} // namespace pct::runtime::detail

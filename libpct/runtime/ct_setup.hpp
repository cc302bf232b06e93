// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's in-container OS setup (PVE::LXC::Setup; spec storage.md §5.4-5.9), the entry
// points: at every start (`setup_ct_files`, Proxmox's pre_start_hook) and once after `create`
// has extracted the template (`post_create_setup`, post_create_hook plus the SSH host keys).
// The distribution is detected as Proxmox does (setup/detect.hpp); Debian, Devuan, Ubuntu,
// Alpine and `unmanaged` (nothing is touched) are set up, other distributions are refused with
// "distribution 'X' is not supported by libpct". Every file is written inside the rootfs and
// never through a symlink (setup/ct_root.hpp), atomically, and owned by the container's mapped
// root in an unprivileged CT. `.pve-ignore.<file>` keeps a file as it is.
#pragma once

#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/settings.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pct::runtime::detail {

/// Writes, at every start, what Proxmox's pre_start_hook writes into the rootfs directory
/// `rootfs`: an empty /fastboot, the init/getty setup (container-getty units for `tty`,
/// inittab), the network files, /etc/hostname, the PVE section of /etc/hosts, resolv.conf
/// (replaced by the PVE section), the timezone. `owner`: the host ids of the CT's root (nullopt
/// for a privileged CT: files stay the writer's). Warnings (detection, missing timezone, ...)
/// are appended to `warnings`. Errors: `Errc::unsupported` for distributions libpct does not
/// set up, the Perl setup's own texts (version, address parsing), `Errc::io` naming the file.
[[nodiscard]] Result<void> setup_ct_files(const std::string& rootfs,
                                          const ContainerSettings& settings,
                                          std::optional<Owner> owner,
                                          std::vector<std::string>& warnings);

/// What `post_create_setup` does besides the files of `setup_ct_files`.
struct PostCreateOptions {
    /// The root password: plain text (hashed with SHA-512 crypt, random salt) or an existing
    /// crypt hash (`$1$`, `$2[axy]$`, `$5$`, `$6$`), taken as it is. nullopt: root gets `*`.
    std::optional<std::string> password;
    /// Public keys put in the PVE section of root's `~/.ssh/authorized_keys` (root's home is
    /// the one /etc/passwd names).
    std::optional<std::string> ssh_public_keys;
    /// Host ids of the CT's root (see setup_ct_files).
    std::optional<Owner> owner;
    /// Proxmox's test mode, for its setup suite: nameserver `8.8.8.8 8.8.8.9` and search
    /// domain `proxmox.com` when the config has none, the host's resolv.conf and time zone
    /// unread, crontab minutes from srand(0), a fixed password salt, no command run (no SSH
    /// host keys), nothing chowned (`owner` ignored).
    bool test_mode = false;
};

/// Proxmox's post_create_hook on the freshly extracted rootfs `rootfs`, for `create`:
/// /etc/machine-id (and a systemd CT's /var/lib/dbus/machine-id) removed so that each CT gets
/// its own at first boot, Debian's snakeoil key regenerated at first boot, the distribution's
/// template fixups, root's crontab minutes randomized, the root password set in /etc/shadow
/// (or /etc/passwd), the SSH keys, then everything `setup_ct_files` writes, and new SSH host
/// keys when the CT has /etc/ssh. Returns the detected ostype (what Proxmox stores as
/// `ostype`: `debian`, `devuan`, `ubuntu`, `alpine` or `unmanaged`). Idempotent: running it
/// twice gives the same files (but new host keys and crontab minutes outside test mode).
[[nodiscard]] Result<std::string> post_create_setup(const std::string& rootfs,
                                                    const ContainerSettings& settings,
                                                    const PostCreateOptions& options,
                                                    std::vector<std::string>& warnings);

/// Proxmox's post_clone_hook on the mounted rootfs `rootfs` of a new clone: its machine-id
/// cleared (a systemd CT's /etc/machine-id emptied unless `uninitialized`, otherwise removed;
/// a systemd CT's /var/lib/dbus/machine-id removed), so the clone does not share the source's.
/// Nothing is touched for `unmanaged`. Errors as `setup_ct_files`.
[[nodiscard]] Result<void> post_clone_setup(const std::string& rootfs,
                                            const ContainerSettings& settings,
                                            std::optional<Owner> owner,
                                            std::vector<std::string>& warnings);

/// What Proxmox runs on a restored rootfs `rootfs` (create_vm with restore=1): the
/// distribution's template fixups only (Ubuntu's netplan file, Alpine's runlevels, ...); the
/// files of each start are written at start. Errors as `setup_ct_files`.
[[nodiscard]] Result<void> restore_setup(const std::string& rootfs,
                                         const ContainerSettings& settings,
                                         std::optional<Owner> owner,
                                         std::vector<std::string>& warnings);

/// The setup type Proxmox detects for `rootfs` given the configured `ostype` (may be empty):
/// see setup/detect.hpp. For `create`, which stores it as the CT's `ostype`.
[[nodiscard]] Result<std::string> detect_ostype(const std::string& rootfs,
                                                const std::string& configured,
                                                std::vector<std::string>& warnings);

/// Reads `rel` (e.g. "etc/os-release") with every symlink resolved inside `rootfs`; nullopt
/// when it is missing, not a regular file or above 1 MiB.
[[nodiscard]] std::optional<std::string> read_file_in_root(const std::string& rootfs,
                                                           const std::string& rel);

} // namespace pct::runtime::detail

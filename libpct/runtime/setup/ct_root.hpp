// SPDX-License-Identifier: AGPL-3.0-or-later
// The container's root as Proxmox's setup sees it from inside its chroot (the ct_* helpers of
// PVE::LXC::Setup::Base), without a chroot: every path is a container path ("/etc/hosts")
// resolved inside the rootfs (openat2 RESOLVE_IN_ROOT), so a symlink in the container can never
// lead a read or a write to the host. The last component is never followed for a change: a
// file is written to a new temporary file (O_EXCL, O_NOFOLLOW) renamed over the name, so a
// symlink or hard link planted there is replaced, never written through. With an owner (an
// unprivileged CT) everything created belongs to the container's root, as Proxmox chowns it.
// `/D/.pve-ignore.N` (a regular file) keeps `/D/N` untouched, as in Proxmox.
#pragma once

#include "id_map.hpp"
#include "unique_fd.hpp"

#include <pct/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace pct::runtime::detail::setup {

class CtRoot {
  public:
    /// Opens `rootfs` (a host directory). `owner`: whom created files belong to (nullopt:
    /// the writer, for privileged CTs and Proxmox's test mode).
    [[nodiscard]] static Result<CtRoot> open(const std::string& rootfs, std::optional<Owner> owner);

    [[nodiscard]] const std::string& rootfs() const noexcept { return m_rootfs; }
    /// The host path of a container path, for messages.
    [[nodiscard]] std::string shown(std::string_view path) const;

    /// Perl's -f, -d, -x (any execute bit; root's view) following symlinks inside the root.
    [[nodiscard]] bool is_file(std::string_view path) const;
    [[nodiscard]] bool is_dir(std::string_view path) const;
    [[nodiscard]] bool is_executable(std::string_view path) const;
    /// -e: exists, whatever it is (following symlinks inside the root).
    [[nodiscard]] bool exists(std::string_view path) const;
    /// -l: the last component is a symlink.
    [[nodiscard]] bool is_symlink(std::string_view path) const;
    /// The target of the symlink `path`, nullopt when it is none.
    [[nodiscard]] std::optional<std::string> readlink(std::string_view path) const;
    /// True when both paths resolve (inside the root) to the same inode.
    [[nodiscard]] bool same_file(std::string_view a, std::string_view b) const;

    /// The text of a regular file (nullopt when missing or not regular: a device node or FIFO
    /// planted there is never opened). An error above 1 MiB: the host reads no more of the
    /// container's data than that.
    [[nodiscard]] Result<std::optional<std::string>> read(std::string_view path) const;

    /// `/D/.pve-ignore.N` exists as a regular file for `path` = `/D/N`.
    [[nodiscard]] bool ignored(std::string_view path) const;

    /// ct_file_set_contents: replaces `path` atomically (skipped when ignored; nothing
    /// rewritten when it already holds exactly that).
    /// `owner` overrides the CT's root (passwd and shadow keep the owner they had).
    [[nodiscard]] Result<void> write(std::string_view path, std::string_view data,
                                     mode_t mode = 0644,
                                     std::optional<Owner> owner = std::nullopt) const;
    /// The permission bits and the owner of a file (following symlinks inside the root).
    [[nodiscard]] std::optional<mode_t> mode_of(std::string_view path) const;
    [[nodiscard]] std::optional<Owner> owner_of(std::string_view path) const;
    /// The names in a directory (sorted; empty when it is missing).
    [[nodiscard]] std::vector<std::string> list_dir(std::string_view path) const;
    /// ct_mkdir: true when created.
    bool mkdir(std::string_view path, mode_t mode) const;
    /// ct_make_path: every missing directory of `path` (0755).
    [[nodiscard]] Result<void> make_path(std::string_view path) const;
    /// ct_unlink (skipped when ignored; errors ignored, as Perl's unlink).
    void unlink(std::string_view path) const;
    /// ct_rename (skipped when `to` is ignored): false when it failed.
    bool rename(std::string_view from, std::string_view to) const;
    /// ct_symlink (skipped when ignored): false when it failed (e.g. `path` exists).
    bool symlink(std::string_view target, std::string_view path) const;

  private:
    CtRoot(std::string rootfs, UniqueFd fd, std::optional<Owner> owner)
        : m_rootfs(std::move(rootfs)), m_fd(std::move(fd)), m_owner(owner) {}
    /// An O_PATH descriptor of `rel` resolved inside the root (-1 with errno).
    int open_path(const std::string& rel, bool follow_last) const;
    /// The resolved parent directory of `path` and the last component's name.
    struct Parent {
        UniqueFd dir;
        std::string name;
        int error = 0; ///< errno when `dir` could not be opened
    };
    [[nodiscard]] Parent parent_of(std::string_view path) const;
    [[nodiscard]] std::optional<struct stat> stat_follow(std::string_view path) const;

    std::string m_rootfs;
    UniqueFd m_fd;
    std::optional<Owner> m_owner;
};

/// A container path without its leading and doubled slashes ("/etc//hosts" -> "etc/hosts").
[[nodiscard]] std::string relative(std::string_view path);

} // namespace pct::runtime::detail::setup

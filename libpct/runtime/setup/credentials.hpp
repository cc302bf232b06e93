// SPDX-License-Identifier: AGPL-3.0-or-later
// The root password and SSH host keys of a new container (PVE::LXC::Setup::Base
// set_user_password, PVE::LXC::Setup rewrite_ssh_host_keys; spec storage.md §5.6).
#pragma once

#include "ct_root.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pct::runtime::detail::setup {

/// Whether `text` already is a crypt hash Proxmox takes as it is
/// (`$1$`, `$2[axy]$`, `$5$`, `$6$` + salt of 1-16 + hash).
[[nodiscard]] bool is_crypt_hash(std::string_view text);

/// What goes into the shadow file for `password`: nullopt stays nullopt (Proxmox writes `*`),
/// a crypt hash is kept, anything else is hashed with SHA-512 crypt (`$6$`) through libxcrypt,
/// with a random 16-character salt (`fixed_salt`: `$6$SALTSALT$`, for tests).
[[nodiscard]] Result<std::optional<std::string>>
password_hash(const std::optional<std::string>& password, bool fixed_salt = false);

/// New rsa, ecdsa and ed25519 host keys in /etc/ssh of the container (only when it has
/// /etc/ssh), made by the host's `ssh-keygen -t TYPE -N '' -E sha256 -C root@HOSTNAME` in a
/// private temporary directory: `ssh_host_TYPE_key` (0600) and `.pub` (0644).
[[nodiscard]] Result<void> rewrite_ssh_host_keys(const CtRoot& root, const std::string& hostname);

} // namespace pct::runtime::detail::setup

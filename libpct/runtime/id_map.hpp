// SPDX-License-Identifier: AGPL-3.0-or-later
// The container's user namespace id map as the host sees it (Proxmox's parse_id_maps): what
// template extraction runs under and whom the files libpct writes into the rootfs belong to.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/properties.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pct::runtime::detail {

/// Host ids of the container's root: 0:0 for a privileged CT, 100000:100000 for the default
/// unprivileged map.
struct Owner {
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    friend bool operator==(const Owner&, const Owner&) = default;
};

struct IdMap {
    std::vector<IdMapEntry> entries; ///< empty for a privileged CT
    Owner root;                      ///< host ids of container uid/gid 0
    [[nodiscard]] bool empty() const noexcept { return entries.empty(); }
    /// Whom files written for the container must be chowned to: nullopt for a privileged CT
    /// (they stay the writer's, as in Proxmox, which chowns only with an id map).
    [[nodiscard]] std::optional<Owner> chown_to() const {
        return empty() ? std::nullopt : std::optional<Owner>(root);
    }
};

/// The id map of a main section whose `unprivileged` is `unprivileged`: the raw `lxc.idmap`
/// lines (`u|g CT HOST COUNT`), else Proxmox's default `u 0 100000 65536` + `g 0 100000 65536`
/// for an unprivileged CT, else none. A raw `lxc.idmap` makes the CT unprivileged, as for the
/// LXC generator (liblxc runs it in that map whatever `unprivileged` says). Errors
/// (`Errc::invalid_argument`, key `lxc.idmap`): "failed to parse idmap: VALUE" (Proxmox's
/// text), and a map that leaves container uid or gid 0 unmapped.
[[nodiscard]] Result<IdMap> container_id_map(const Section& main, bool unprivileged);

/// The `lxc-usernsexec -m TYPE:CT:HOST:COUNT ... --` prefix that runs a command inside `map`;
/// empty for an empty map.
[[nodiscard]] std::vector<std::string> userns_command(const IdMap& map);

} // namespace pct::runtime::detail

// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the pending engine's rules (config-format §8) over a config model, shared by
// `update_config` / `plan_config_change` (pending.cpp) and `Container::start` (which applies
// every pending change first, as Proxmox's vm_start).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/runtime/pending.hpp>
#include <pct/storage/host.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// The pending `delete` list as Proxmox's `parse_pending_delete` reads it: key -> forced.
using PendingDeletes = std::map<std::string, bool, std::less<>>;

[[nodiscard]] PendingDeletes pending_deletes_of(const Section& pending);

/// Writes `deletes` back as `print_pending_delete` does (sorted, `!` for forced, joined by
/// `,`), removing the `delete` key when the list is empty.
void store_pending_deletes(Section& pending, const PendingDeletes& deletes);

/// The value of `key` in `section`, `description` included ("" description = absent).
[[nodiscard]] std::optional<std::string> section_value(const Section& section,
                                                       std::string_view key);

/// The value `pct set --KEY VALUE` stores: the editor's checked value, then Proxmox's API
/// normalization (`tags` unique and sorted, `nameserver`/`searchdomain` single blanks,
/// `cpuunits` clamped on cgroup v2). `Errc::invalid_argument` with key and sub-key.
[[nodiscard]] Result<std::string> normalized_set_value(std::string_view key,
                                                       std::string_view value);

/// Proxmox's `cleanup_pending`: pending values equivalent to the main value and deletions of
/// keys the main section does not have are dropped. Returns the keys whose pending value was
/// dropped.
std::vector<std::string> cleanup_pending(ContainerConfig& config);

/// Proxmox's `vmconfig_apply_pending` with no selection, as `vm_start` runs it: every pending
/// deletion and value moved into the main section under `host`'s config lock (held by the
/// caller), `unusedN` volumes the CT owns freed, replaced volumes kept as `unusedN`, `netN`
/// re-printed with a `hwaddr`. Returns Proxmox's per-key apply errors as warnings ("unable to
/// apply pending change K : MSG"); a key that failed stays pending. False when nothing was
/// pending.
[[nodiscard]] Result<bool> apply_all_pending(const storage::Host& host, Vmid vmid,
                                             ContainerConfig& config,
                                             std::vector<std::string>& warnings);

} // namespace pct::runtime::detail

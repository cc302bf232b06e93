// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct cpusets`' table (pve-container's pct.pm `cpusets`), apart from where the CPUs come from.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace pct::cli {

/// The CPUs of a kernel CPU list (`0-3,8,10-11`, as cpuset.cpus and Cpus_allowed_list write
/// it); nullopt when the text is not one.
[[nodiscard]] std::optional<std::set<unsigned>> parse_cpu_list(std::string_view text);

/// Proxmox's table: per CTID (in Perl's string order) a line `CTID: ` with each CPU id from 0
/// to the highest assigned one in its column (blank when not assigned), between two dashed
/// lines; "no running containers" when `cpus` is empty.
[[nodiscard]] std::string format_cpusets(const std::map<std::string, std::set<unsigned>>& cpus);

} // namespace pct::cli

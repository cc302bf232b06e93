// SPDX-License-Identifier: AGPL-3.0-or-later
// A generator of realistic container configs for the benchmarks (deterministic for a seed).
#pragma once

#include <cstdint>
#include <string>

namespace pct::bench {

/// One config file as Proxmox would have it on a busy host: description, 1-4 NICs, rootfs and
/// some mount points, features, raw lxc keys, sometimes pending changes and a snapshot chain.
std::string realistic_config(std::uint32_t seed);

} // namespace pct::bench

// SPDX-License-Identifier: AGPL-3.0-or-later
// liblxc's start() runs in `pct-lxc-start`, a separate executable (libpct/runtime/helper/ says
// why); this finds and runs it.
#pragma once

#include <pct/error.hpp>

#include <chrono>
#include <string>

namespace pct::runtime::detail {

/// The helper this process runs: `$PCT_LXC_START_HELPER` when set; else the one in the build
/// tree when the code calling this was itself loaded from that build tree (tests, examples
/// and pypct run from a build); else the installed `<libexecdir>/pct/pct-lxc-start`.
[[nodiscard]] std::string start_helper_path();

/// Starts container `name` of `lxcpath` through the helper (posix_spawn, so no fork of this
/// process's address space), waiting at most `timeout` for it to return. `Errc::lxc` when
/// liblxc's start fails (message: what the helper printed, often nothing: liblxc's reason is
/// in the container's log), `Errc::not_found` when the helper is missing.
[[nodiscard]] Result<void> start_through_helper(const std::string& name,
                                                const std::string& lxcpath,
                                                std::chrono::milliseconds timeout);

} // namespace pct::runtime::detail

// SPDX-License-Identifier: AGPL-3.0-or-later
// liblxc's start() runs in `pct-lxc-start`, a separate executable (libpct/runtime/helper/ says
// why); this finds and runs it.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// The helper this process runs: `$PCT_LXC_START_HELPER` when set; else the one in the build
/// tree when the code calling this was itself loaded from that build tree (tests, examples
/// and pypct run from a build); else the installed one, `installed_helper_for(that file)`.
[[nodiscard]] std::string start_helper_path();

/// The installed helper for runtime code loaded from `loaded_file`: when the file's folder is
/// `<P>/<libdir>` (libpct.so), `<P>/<bindir>` (pct) or `<P>/<python dir>/pypct` (pypct) of the
/// configured GNUInstallDirs, `<P>/<libexecdir>/pct/pct-lxc-start`, so an install moved to
/// another prefix finds its own helper; else the configured `<libexecdir>/pct/pct-lxc-start`.
[[nodiscard]] std::string installed_helper_for(std::string_view loaded_file);

/// Starts container `name` of `lxcpath` through the helper (posix_spawn, so no fork of this
/// process's address space), waiting at most `timeout` for it to return. `Errc::lxc` when
/// liblxc's start fails (message: what the helper printed, often nothing: liblxc's reason is
/// in the container's log), `Errc::not_found` when the helper is missing.
[[nodiscard]] Result<void> start_through_helper(const std::string& name, const std::string& lxcpath,
                                                std::chrono::milliseconds timeout);

/// What pct-prestart needs to mount a container's volumes before the start (prestart.hpp).
struct PrestartRequest {
    std::string host_root;
    Vmid vmid;
    std::vector<std::string>* warnings = nullptr; ///< receives the mount and setup warnings
};

/// start_through_helper with the volumes of `prestart` mounted first, in the private mount
/// namespace pct-prestart creates and the container inherits. Its errors keep their Errc,
/// key and context (Proxmox's mount messages, §8).
[[nodiscard]] Result<void> start_through_helper(const std::string& name, const std::string& lxcpath,
                                                std::chrono::milliseconds timeout,
                                                const PrestartRequest& prestart);

} // namespace pct::runtime::detail

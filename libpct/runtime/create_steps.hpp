// SPDX-License-Identifier: AGPL-3.0-or-later
// The steps of `create` (Proxmox's create_vm order, storage spec §3.6) and the seam through
// which the tests make a create fail, or stop to be killed, at each of them. The public
// `runtime::create` passes no hook; only white-box tests call `detail::create_with_hook`, so
// no environment variable or global state can change what a production create does.
#pragma once

#include <pct/error.hpp>
#include <pct/runtime/create.hpp>

#include <functional>
#include <string_view>

namespace pct::runtime::detail {

enum class CreateStep {
    allocate, ///< before each volume of rootfs/mpN is allocated (and formatted)
    mount,    ///< before the volumes are mounted for extraction
    extract,  ///< before the template is unpacked
    setup,    ///< before the distro's post-create setup (password, ssh keys, host keys)
    config,   ///< before the finished config is written
};

[[nodiscard]] std::string_view step_name(CreateStep step) noexcept;

/// Called as each step begins; an error makes the create fail there as the step itself would.
using CreateStepHook = std::function<Result<void>(CreateStep)>;

/// `runtime::create` with `hook` called at each step (an empty hook: none).
[[nodiscard]] Result<Container> create_with_hook(const storage::Host& host, Vmid vmid,
                                                 const CreateOptions& options,
                                                 const CreateStepHook& hook);

} // namespace pct::runtime::detail

// SPDX-License-Identifier: AGPL-3.0-or-later
// The seam through which white-box tests make a restore fail at each of its steps (create's
// `CreateStep`s: allocate, mount, extract, setup = the merge, firewall and fixups, config).
// The public `runtime::restore` passes no hook.
#pragma once

#include "create_steps.hpp"

#include <pct/runtime/restore.hpp>

namespace pct::runtime::detail {

/// `runtime::restore` with `hook` called as each step begins (an empty hook: none).
[[nodiscard]] Result<Container> restore_with_hook(const storage::Host& host, Vmid vmid,
                                                  const RestoreOptions& options,
                                                  const CreateStepHook& hook);

} // namespace pct::runtime::detail

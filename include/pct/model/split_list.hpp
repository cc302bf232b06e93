// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `PVE::Tools::split_list` for the lists Proxmox stores as plain text (the pending `delete`
/// list, `features: mount=`): one rule shared by the editor, the C ABI and the LXC generator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pct {

/// `PVE::Tools::split_list`: every `,` `;` and ASCII white space (space, TAB, LF, VT, FF, CR)
/// separates; empty elements are dropped, the others are kept verbatim and in order
/// (`"a,,b; c"` -> `a`, `b`, `c`; a pending delete's `!` stays on its entry). Never fails.
/// Unlike the schema's `-list` formats (`pct::parse`), a NUL is an ordinary character here.
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

} // namespace pct

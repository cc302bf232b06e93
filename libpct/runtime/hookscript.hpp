// SPDX-License-Identifier: AGPL-3.0-or-later
// `hookscript` (Proxmox's PVE::GuestHelpers check_hookscript / exec_hookscript): the script,
// a `STORAGE:snippets/NAME` volume, runs as `<script> <vmid> <phase>` for the phases
// pre-start (a failure aborts the start before anything is mounted or started), post-start,
// pre-stop and post-stop (failures there are warnings in Proxmox).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <string>
#include <string_view>

namespace pct::runtime::detail {

/// check_hookscript: the host path of `volid`. Errors (Errc::invalid_argument /
/// Errc::not_found, key `hookscript`): `'V' is not in the snippets directory`,
/// `script 'V' does not exist`, `script 'V' is not executable`.
[[nodiscard]] Result<std::string> hookscript_path(const storage::Host& host,
                                                  std::string_view volid);

/// Runs the config's hookscript (if any) for `phase` with stdin and stdout on /dev/null;
/// what it writes to stderr ends its error message. The error text is Proxmox's
/// `hookscript error for <vmid> on <phase>: <reason>` (reason: check_hookscript's, or
/// `command '<script> <vmid> <phase>' failed: exit code N`), Errc::bad_state, key `hookscript`.
[[nodiscard]] Result<void> run_hookscript(const storage::Host& host, Vmid vmid, const Section& main,
                                          std::string_view phase);

} // namespace pct::runtime::detail

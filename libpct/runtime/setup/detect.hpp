// SPDX-License-Identifier: AGPL-3.0-or-later
// Which distribution a rootfs holds, as Proxmox decides it (PVE::LXC::Setup new,
// $autodetect_type, $parse_os_release; spec storage.md §5.4).
#pragma once

#include "ct_root.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail::setup {

/// os-release(5) as Proxmox reads it: `VAR=value` lines; single quotes literal, double quotes
/// with \" \' \` \n \t \$ \\ unescaped, an unquoted value cut at its first character outside
/// [A-Za-z0-9].
[[nodiscard]] std::map<std::string, std::string> parse_os_release(std::string_view text);

/// The setup type of the rootfs (`debian`, `ubuntu`, `centos`, ... or `unmanaged`) for a CT
/// whose config says `configured` (its `ostype`, may be empty): `unmanaged` when configured so;
/// else os-release's ID (or alias), else Proxmox's marker-file fallbacks. Warnings (unknown ID,
/// no os-release, a type other than the configured one) are appended to `warnings`.
/// `Errc::unsupported` "unable to detect OS distribution" when os-release exists but nothing
/// matched. One difference from Proxmox (which refuses it that way): os-release `ID=busybox`
/// (libpct's busybox test template) is the type `busybox`, whatever the configured ostype (no
/// mismatch warning), set up like Alpine (busybox init and ifupdown).
[[nodiscard]] Result<std::string> detect_type(const CtRoot& root, std::string_view configured,
                                              std::vector<std::string>& warnings);

} // namespace pct::runtime::detail::setup

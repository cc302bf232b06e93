// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-prestart: the process in which a container's volumes are mounted before liblxc starts
// it (spec storage.md §4.5; Proxmox's lxc-pve-prestart-hook).
//
//   pct-prestart HOST_ROOT CTID START_HELPER NAME LXCPATH
//
// It unshares its mount namespace (a slave of the host's: host mounts still propagate in,
// nothing propagates out), mounts rootfs and mp0..mp255 in key order on
// `<HOST_ROOT>/var/lib/lxc/<CTID>/rootfs` (per-mount idmap and keepattrs applied), runs the
// per-start distro setup on the MOUNTED rootfs, then execs START_HELPER NAME LXCPATH
// (pct-lxc-start) in that namespace. liblxc's monitor and the container inherit it, so the
// mounts exist only there: nothing stays mounted on the host, and when the last process of
// the container dies (also by SIGKILL) the namespace goes and with it the mounts and the
// auto-clearing loop devices.
//
// Why a process before liblxc's start() and not an `lxc.hook.pre-start`: a hook runs inside
// liblxc's monitor, its errors reach the caller only as liblxc's "Failed to run pre-start
// hooks", and it would have to re-derive everything from the config in a script
// environment; here the mount errors keep Proxmox's exact messages, key and file (the wire
// format below), the setup's warnings reach the StartReport, and the namespace liblxc
// inherits is the one the volumes were mounted in. It is a process of its own (not the C
// pct-lxc-start) because it needs libpct's runtime, and not the caller's because unshare
// and fork are unsafe in a multi-threaded library user.
//
// Wire format on stderr, one line each, tab-separated: `warning<TAB>TEXT` and, on failure,
// `error<TAB>ERRC<TAB>KEY<TAB>CONTEXT<TAB>MESSAGE` (exit status 4).
#pragma once

#include <pct/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// The main of pct-prestart (libpct/runtime/helper/pct_prestart.cpp).
int prestart_main(int argc, char** argv);

/// Decodes what pct-prestart (and the pct-lxc-start it became) wrote to stderr: warnings are
/// appended to `warnings`; the error line, if any, becomes the returned Error. Other lines
/// (liblxc's or the start helper's own) are returned as `other`.
struct PrestartOutput {
    std::vector<std::string> warnings;
    std::optional<Error> error;
    std::string other;
};
[[nodiscard]] PrestartOutput decode_prestart_output(std::string_view text);

/// The pct-prestart beside the given pct-lxc-start (same folder; `$PCT_PRESTART_HELPER` when
/// set).
[[nodiscard]] std::string prestart_helper_for(const std::string& start_helper);

} // namespace pct::runtime::detail

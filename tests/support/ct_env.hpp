// SPDX-License-Identifier: AGPL-3.0-or-later
// Test helpers for suites that run real containers: the skip decision, unique CTIDs, the
// busybox template (built at run time, never committed), shell commands and leftover checks.
#pragma once

#include "shell.hpp"

#include <pct/model/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pct::test {

/// Why real containers cannot run here (not root, no liblxc/cgroups, no busybox/tar/zstd), or
/// nullopt when they can. Suites print it once as their skip line.
[[nodiscard]] std::optional<std::string> container_skip_reason();

/// True (after printing "SKIP <suite>: <reason>" once per process) when containers cannot run.
[[nodiscard]] bool skip_containers(const char* suite);

/// A CTID unique to this process: 900000000 + (pid % 90000) * 100 + slot (slot < 100).
[[nodiscard]] Vmid unique_vmid(unsigned slot);

/// The busybox test template (.tar.zst), built once into <build>/test-templates by
/// scripts/mk-busybox-template (serialised across test processes by a lock file).
/// Throws std::runtime_error when it cannot be built.
[[nodiscard]] const std::string& busybox_template();

/// What a container left behind on the host: cgroup directories of its CTID (lxc.monitor/<id>,
/// lxc/<id>, lxc.monitor.<id>*, lxc.payload.<id>*), `[lxc monitor]` processes for it and host
/// veths veth<id>i*. Empty when clean.
[[nodiscard]] std::vector<std::string> leftovers(Vmid vmid);

/// The calling process's /proc/self/cgroup text.
[[nodiscard]] std::string own_cgroups();

} // namespace pct::test

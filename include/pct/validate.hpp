// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// API-level validation: what Proxmox checks when a value is *set* (enums, ranges, patterns,
/// named formats, property strings, CTID >= 100, the raw `lxc.*` allow-list). The file
/// parser is more lenient (§5); this is what `pct set` and `pct file check` enforce.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <string_view>
#include <vector>

namespace pct::validate {

/// Every problem of one value (`Errc::invalid_argument`, key and sub-key set), empty if valid.
[[nodiscard]] std::vector<Error> value(std::string_view key, std::string_view value);

/// Every problem of a whole config: all sections, all keys, raw lxc keys, the entries of the
/// pending `delete` list. Unlike value(), `parent` and `snaptime` are accepted (files carry
/// them). `Error::context` is the section: "" (main), "pve:pending" or the snapshot name.
/// These are API-level checks: a file Proxmox reads and starts may still have problems here
/// (e.g. `ostype: redhat` is outside the enum).
[[nodiscard]] std::vector<Error> config(const ContainerConfig& config);

/// A CTID is valid from 100 to 999999999.
[[nodiscard]] Result<Vmid> vmid(std::uint64_t id);

} // namespace pct::validate

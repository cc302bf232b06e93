// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Printing typed values as Proxmox's `print_property_string` does: default key bare first,
/// then required keys sorted, then optional keys sorted; sizes through `format_size`.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/properties.hpp>
#include <pct/model/settings.hpp>

#include <cstdint>
#include <string>

namespace pct::render {

/// Each fails (`Errc::invalid_argument`, key/sub-key set) where Proxmox's printer dies:
/// a value that breaks the schema, or contains a comma.
[[nodiscard]] Result<std::string> net(const NetInterface& value);
[[nodiscard]] Result<std::string> rootfs(const MountPoint& value);
[[nodiscard]] Result<std::string> mount_point(const MountPoint& value);
[[nodiscard]] Result<std::string> unused(const UnusedVolume& value);
[[nodiscard]] Result<std::string> device(const Device& value);
[[nodiscard]] Result<std::string> features(const Features& value);
[[nodiscard]] Result<std::string> startup(const StartupOrder& value);

/// `format_size`: the largest of K/M/G/T that divides `bytes` exactly, else plain bytes.
[[nodiscard]] std::string size(std::uint64_t bytes);

/// Writes every field of `settings` into a fresh section (stored-value form).
[[nodiscard]] Result<Section> settings(const ContainerSettings& settings);

} // namespace pct::render

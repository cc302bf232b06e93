// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Property strings (`k=v,k2=v2`) and sizes, parsed with Proxmox's rules
/// (`parse_property_string`, `parse_size`), into the typed values of `model/properties.hpp`.
/// Errors are `Errc::parse` with `key`/`subkey` set and Proxmox's message text.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/properties.hpp>
#include <pct/model/settings.hpp>

#include <cstdint>
#include <string_view>

namespace pct::parse {

[[nodiscard]] Result<NetInterface> net(std::string_view text);
[[nodiscard]] Result<MountPoint> rootfs(std::string_view text);
[[nodiscard]] Result<MountPoint> mount_point(std::string_view text);
[[nodiscard]] Result<UnusedVolume> unused(std::string_view text);
[[nodiscard]] Result<Device> device(std::string_view text);
[[nodiscard]] Result<Features> features(std::string_view text);
[[nodiscard]] Result<StartupOrder> startup(std::string_view text);

/// `parse_size`: `^(\d+(\.\d+)?)([KMGT](iB)?)?$` -> bytes (truncated to an integer).
[[nodiscard]] Result<std::uint64_t> size(std::string_view text);

/// Every key of `section` in its real type. Fails (`Errc::invalid_argument`, with key and
/// sub-key) on the first value that does not fit its type; unknown keys are ignored.
[[nodiscard]] Result<ContainerSettings> settings(const Section& section);

/// Proxmox's `check_type` as the file parser uses it: the normalized stored value
/// (`yes` -> `1`, `007` -> `7`, others verbatim) or the message after "unable to parse value
/// of 'KEY' - ". `Error::subkey` names a failing property-string sub-key.
/// The message is Proxmox's `$@` without its final newline, so appending "\n" restores the
/// exact warning; a property-string format error keeps the inner newline of a sub-key format
/// failure ("format error\ngw: invalid format - value does not look like a valid IPv4
/// address\n"). With several failing sub-keys they are listed sorted by name.
[[nodiscard]] Result<std::string> check_type(std::string_view key, std::string_view value);

} // namespace pct::parse

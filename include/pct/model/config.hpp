// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// A Proxmox container config file as a value: the main section, `[pve:pending]` and the
/// `[snapshot]` sections, each holding its options *as Proxmox stores them* (strings, with
/// booleans and integers normalized, everything else verbatim). Keeping the stored form is what
/// makes byte-exact canonical writing possible; typed views (`ContainerSettings`,
/// `NetInterface`, `MountPoint`, ...) are derived from it and written back into it.
///
/// Threading: plain values, freely copyable; no shared state.
#pragma once

#include <pct/model/option_map.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct {

/// A container id (Proxmox "vmid"), >= 100 for real containers.
struct Vmid {
    std::uint32_t value = 0;
    friend auto operator<=>(const Vmid&, const Vmid&) = default;
};

/// One raw `lxc.*` line, kept in file order (`lxc.environment.runtime` is never one: it is `env`).
struct LxcEntry {
    std::string key;
    std::string value;
    friend bool operator==(const LxcEntry&, const LxcEntry&) = default;
};

/// One section of a config file.
///
/// `options` holds every `key: value` line (including unknown keys, `snapstate`, `parent`,
/// `snaptime`, and in pending `delete`), sorted by plain byte order, which is also Proxmox's
/// write order. `env` lives in `options` as one NUL-joined string, as in Proxmox.
/// `OptionMap` has `std::map`'s interface (see option_map.hpp for the differences).
struct Section {
    OptionMap options;
    std::string description; ///< decoded comment text ("line1\nline2\n")
    std::vector<LxcEntry> lxc;

    /// The stored value of `key`, or nullopt.
    [[nodiscard]] std::optional<std::string_view> get(std::string_view key) const;
    /// True when the section would print nothing (Proxmox: the hash has no key).
    [[nodiscard]] bool empty() const noexcept;

    friend bool operator==(const Section&, const Section&) = default;
};

/// A whole container config file.
struct ContainerConfig {
    Section main;
    Section pending;                                       ///< `[pve:pending]`
    std::map<std::string, Section, std::less<>> snapshots; ///< `[name]`, sorted by name

    friend bool operator==(const ContainerConfig&, const ContainerConfig&) = default;
};

/// Stable codes for the problems the file parser reports (C: `PCT_DIAG_*`, same numbers).
enum class DiagCode : int {
    invalid_line = 1,           ///< "unable to parse config: LINE" (line dropped)
    unknown_key = 2,            ///< "unable to parse value of 'K' - unknown setting 'K'" (kept)
    invalid_value = 3,          ///< "unable to parse value of 'K' - MSG" (kept verbatim)
    delete_outside_pending = 4, ///< "property 'delete' is only allowed in [pve:pending]" (dropped)
    lxc_key_rejected = 5,       ///< "lxc.rootfs.path: ..." specific refusal (dropped)
    lxc_key_deprecated = 6,     ///< deprecated raw lxc key (kept; a warning even in strict mode)
};

/// One problem found while reading a file, with Proxmox's exact warning text.
struct Diagnostic {
    DiagCode code = DiagCode::invalid_line;
    std::string message; ///< e.g. "vm 205 - unable to parse value of 'vmstate' - unknown ..."
    int line = 0;        ///< 1-based
    int column = 0;      ///< 1-based column of the value (or 1 for whole-line problems)
    std::string key;
    std::string subkey;  ///< the failing property-string sub-key, when one is known
    std::string section; ///< "" = main, "pve:pending", or the snapshot name
    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

} // namespace pct

// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `ContainerSettings`: one config section with every schema key in its real type.
/// Built by `pct::parse::settings(const Section&)` and written back by
/// `pct::render::settings(const ContainerSettings&)`; for every value
/// `parse::settings(render::settings(x)) == x`.
#pragma once

#include <pct/model/properties.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pct {

enum class Arch { amd64, i386, arm64, armhf, riscv32, riscv64 };
enum class ConsoleMode { shell, console, tty };
enum class Lock {
    backup,
    create,
    destroyed,
    disk,
    fstrim,
    migrate,
    mounted,
    rollback,
    snapshot,
    snapshot_delete
};
enum class OsType {
    debian,
    devuan,
    ubuntu,
    centos,
    fedora,
    opensuse,
    archlinux,
    alpine,
    gentoo,
    nixos,
    unmanaged
};

/// All 830 keys of Proxmox's `$confdesc`, typed. Absent keys are nullopt / missing from maps.
struct ContainerSettings {
    std::optional<Arch> arch;
    std::optional<ConsoleMode> cmode;
    std::optional<bool> console;
    std::optional<std::uint32_t> cores;
    std::optional<Number> cpulimit;
    std::optional<std::uint32_t> cpuunits;
    std::optional<bool> debug;
    std::optional<std::string> description;
    std::optional<std::string> entrypoint;
    std::vector<std::string> env; ///< `NAME=value` entries (NUL-joined in the file)
    std::optional<Features> features;
    std::optional<std::string> hookscript;
    std::optional<std::string> hostname;
    std::optional<Lock> lock;
    std::optional<std::uint64_t> memory; ///< MiB
    std::optional<std::string> nameserver;
    std::optional<bool> onboot;
    /// Kept as text: Proxmox files use values outside the enum (`redhat`, `openeuler`);
    /// `os_type()` maps it to the enum when it is one of them.
    std::optional<std::string> ostype;
    std::optional<std::string> parent;
    std::optional<bool> protection;
    std::optional<MountPoint> rootfs;
    std::optional<std::string> searchdomain;
    std::optional<std::uint64_t> snaptime;
    std::optional<StartupOrder> startup;
    std::optional<std::uint64_t> swap; ///< MiB
    std::optional<std::string> tags;
    std::optional<bool> template_; ///< `template`
    std::optional<std::string> timezone;
    std::optional<std::uint32_t> tty;
    std::optional<bool> unprivileged;
    std::map<unsigned, NetInterface> net;    ///< index 0..31
    std::map<unsigned, MountPoint> mp;       ///< index 0..255
    std::map<unsigned, UnusedVolume> unused; ///< index 0..255
    std::map<unsigned, Device> dev;          ///< index 0..255

    [[nodiscard]] std::optional<OsType> os_type() const;
    friend bool operator==(const ContainerSettings&, const ContainerSettings&) = default;
};

/// The text of an enum value as it appears in a config (`Lock::snapshot_delete` ->
/// "snapshot-delete").
[[nodiscard]] const char* to_string(Arch v) noexcept;
[[nodiscard]] const char* to_string(ConsoleMode v) noexcept;
[[nodiscard]] const char* to_string(Lock v) noexcept;
[[nodiscard]] const char* to_string(OsType v) noexcept;

} // namespace pct

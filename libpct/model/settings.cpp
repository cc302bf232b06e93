// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/settings.hpp>

namespace pct {

const char* to_string(Arch v) noexcept {
    switch (v) {
    case Arch::amd64:
        return "amd64";
    case Arch::i386:
        return "i386";
    case Arch::arm64:
        return "arm64";
    case Arch::armhf:
        return "armhf";
    case Arch::riscv32:
        return "riscv32";
    case Arch::riscv64:
        return "riscv64";
    }
    return "";
}

const char* to_string(ConsoleMode v) noexcept {
    switch (v) {
    case ConsoleMode::shell:
        return "shell";
    case ConsoleMode::console:
        return "console";
    case ConsoleMode::tty:
        return "tty";
    }
    return "";
}

const char* to_string(Lock v) noexcept {
    switch (v) {
    case Lock::backup:
        return "backup";
    case Lock::create:
        return "create";
    case Lock::destroyed:
        return "destroyed";
    case Lock::disk:
        return "disk";
    case Lock::fstrim:
        return "fstrim";
    case Lock::migrate:
        return "migrate";
    case Lock::mounted:
        return "mounted";
    case Lock::rollback:
        return "rollback";
    case Lock::snapshot:
        return "snapshot";
    case Lock::snapshot_delete:
        return "snapshot-delete";
    }
    return "";
}

const char* to_string(OsType v) noexcept {
    switch (v) {
    case OsType::debian:
        return "debian";
    case OsType::devuan:
        return "devuan";
    case OsType::ubuntu:
        return "ubuntu";
    case OsType::centos:
        return "centos";
    case OsType::fedora:
        return "fedora";
    case OsType::opensuse:
        return "opensuse";
    case OsType::archlinux:
        return "archlinux";
    case OsType::alpine:
        return "alpine";
    case OsType::gentoo:
        return "gentoo";
    case OsType::nixos:
        return "nixos";
    case OsType::unmanaged:
        return "unmanaged";
    }
    return "";
}

std::optional<OsType> ContainerSettings::os_type() const {
    if (!ostype)
        return std::nullopt;
    for (int i = 0; i <= static_cast<int>(OsType::unmanaged); ++i) {
        auto candidate = static_cast<OsType>(i);
        if (*ostype == to_string(candidate))
            return candidate;
    }
    return std::nullopt;
}

} // namespace pct

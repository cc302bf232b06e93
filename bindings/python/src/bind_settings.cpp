// SPDX-License-Identifier: AGPL-3.0-or-later
// ContainerSettings: one section with every schema key in its real type, and its enums.
#include "value.hpp"

#include <pct/model/settings.hpp>

namespace pypct {

void bind_settings(py::module_& m) {
    using namespace pct;

    py::enum_<Arch> arch(m, "Arch");
    for (Arch v : {Arch::amd64, Arch::i386, Arch::arm64, Arch::armhf, Arch::riscv32, Arch::riscv64})
        arch.value(to_string(v), v);
    def_enum_repr(arch);

    py::enum_<ConsoleMode> cmode(m, "ConsoleMode");
    for (ConsoleMode v : {ConsoleMode::shell, ConsoleMode::console, ConsoleMode::tty})
        cmode.value(to_string(v), v);
    def_enum_repr(cmode);

    // Spelled out: "snapshot-delete" is not an identifier.
    py::enum_<Lock> lock(m, "Lock");
    lock.value("backup", Lock::backup)
        .value("create", Lock::create)
        .value("destroyed", Lock::destroyed)
        .value("disk", Lock::disk)
        .value("fstrim", Lock::fstrim)
        .value("migrate", Lock::migrate)
        .value("mounted", Lock::mounted)
        .value("rollback", Lock::rollback)
        .value("snapshot", Lock::snapshot)
        .value("snapshot_delete", Lock::snapshot_delete);
    def_enum_repr(lock);

    py::enum_<OsType> ostype(m, "OsType");
    for (OsType v : {OsType::debian, OsType::devuan, OsType::ubuntu, OsType::centos, OsType::fedora,
                     OsType::opensuse, OsType::archlinux, OsType::alpine, OsType::gentoo,
                     OsType::nixos, OsType::unmanaged})
        ostype.value(to_string(v), v);
    def_enum_repr(ostype);

    py::class_<ContainerSettings> s(m, "ContainerSettings");
    s.def_readwrite("arch", &ContainerSettings::arch)
        .def_readwrite("cmode", &ContainerSettings::cmode)
        .def_readwrite("console", &ContainerSettings::console)
        .def_readwrite("cores", &ContainerSettings::cores)
        .def_readwrite("cpulimit", &ContainerSettings::cpulimit)
        .def_readwrite("cpuunits", &ContainerSettings::cpuunits)
        .def_readwrite("debug", &ContainerSettings::debug)
        .def_readwrite("description", &ContainerSettings::description)
        .def_readwrite("entrypoint", &ContainerSettings::entrypoint)
        .def_readwrite("env", &ContainerSettings::env)
        .def_readwrite("features", &ContainerSettings::features)
        .def_readwrite("hookscript", &ContainerSettings::hookscript)
        .def_readwrite("hostname", &ContainerSettings::hostname)
        .def_readwrite("lock", &ContainerSettings::lock)
        .def_readwrite("memory", &ContainerSettings::memory)
        .def_readwrite("nameserver", &ContainerSettings::nameserver)
        .def_readwrite("onboot", &ContainerSettings::onboot)
        .def_readwrite("ostype", &ContainerSettings::ostype)
        .def_readwrite("parent", &ContainerSettings::parent)
        .def_readwrite("protection", &ContainerSettings::protection)
        .def_readwrite("rootfs", &ContainerSettings::rootfs)
        .def_readwrite("searchdomain", &ContainerSettings::searchdomain)
        .def_readwrite("snaptime", &ContainerSettings::snaptime)
        .def_readwrite("startup", &ContainerSettings::startup)
        .def_readwrite("swap", &ContainerSettings::swap)
        .def_readwrite("tags", &ContainerSettings::tags)
        .def_readwrite("template", &ContainerSettings::template_)
        .def_readwrite("timezone", &ContainerSettings::timezone)
        .def_readwrite("tty", &ContainerSettings::tty)
        .def_readwrite("unprivileged", &ContainerSettings::unprivileged)
        .def_readwrite("net", &ContainerSettings::net)
        .def_readwrite("mp", &ContainerSettings::mp)
        .def_readwrite("unused", &ContainerSettings::unused)
        .def_readwrite("dev", &ContainerSettings::dev)
        .def("os_type", &ContainerSettings::os_type);
    def_value(s,
              {"arch",     "cmode",       "console",    "cores",        "cpulimit", "cpuunits",
               "debug",    "description", "entrypoint", "env",          "features", "hookscript",
               "hostname", "lock",        "memory",     "nameserver",   "onboot",   "ostype",
               "parent",   "protection",  "rootfs",     "searchdomain", "snaptime", "startup",
               "swap",     "tags",        "template",   "timezone",     "tty",      "unprivileged",
               "net",      "mp",          "unused",     "dev"});
}

} // namespace pypct

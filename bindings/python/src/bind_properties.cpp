// SPDX-License-Identifier: AGPL-3.0-or-later
// The property-string values: NetInterface, MountPoint (+IdMapEntry), UnusedVolume, Device,
// Features, StartupOrder; parse()/render() and sizes.
#include "value.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

namespace pypct {

void bind_properties(py::module_& m) {
    using namespace pct;

    py::class_<NetInterface> net(m, "NetInterface");
    net.def_readwrite("name", &NetInterface::name)
        .def_readwrite("bridge", &NetInterface::bridge)
        .def_readwrite("firewall", &NetInterface::firewall)
        .def_readwrite("gw", &NetInterface::gw)
        .def_readwrite("gw6", &NetInterface::gw6)
        .def_readwrite("host_managed", &NetInterface::host_managed)
        .def_readwrite("hwaddr", &NetInterface::hwaddr)
        .def_readwrite("ip", &NetInterface::ip)
        .def_readwrite("ip6", &NetInterface::ip6)
        .def_readwrite("link_down", &NetInterface::link_down)
        .def_readwrite("mtu", &NetInterface::mtu)
        .def_readwrite("rate", &NetInterface::rate)
        .def_readwrite("tag", &NetInterface::tag)
        .def_readwrite("trunks", &NetInterface::trunks)
        .def_readwrite("type", &NetInterface::type)
        .def_static(
            "parse", [](std::string_view s) { return parse::net(s); }, py::arg("text"))
        .def("render", [](const NetInterface& v) { return render::net(v); })
        .def("__str__", [](const NetInterface& v) { return unwrap(render::net(v)); });
    def_value(net, {"name", "bridge", "firewall", "gw", "gw6", "host_managed", "hwaddr", "ip",
                    "ip6", "link_down", "mtu", "rate", "tag", "trunks", "type"});

    py::enum_<VolumeKind> kind(m, "VolumeKind");
    kind.value("volume", VolumeKind::volume)
        .value("bind", VolumeKind::bind)
        .value("device", VolumeKind::device);
    def_enum_repr(kind);

    // C++ keeps the kind as a char; Python sees a one-letter str and only 'u'/'g' are accepted.
    py::class_<IdMapEntry> idmap(m, "IdMapEntry");
    idmap
        .def_property(
            "kind", [](const IdMapEntry& e) { return std::string(1, e.kind); },
            [](IdMapEntry& e, const std::string& k) {
                if (k != "u" && k != "g")
                    throw py::value_error("IdMapEntry.kind must be 'u' or 'g'");
                e.kind = k[0];
            })
        .def_readwrite("ct", &IdMapEntry::ct)
        .def_readwrite("host", &IdMapEntry::host)
        .def_readwrite("count", &IdMapEntry::count);
    def_value(idmap, {"kind", "ct", "host", "count"});

    py::class_<MountPoint> mp(m, "MountPoint");
    mp.def_readwrite("volume", &MountPoint::volume)
        .def_readwrite("mp", &MountPoint::mp)
        .def_readwrite("size", &MountPoint::size)
        .def_readwrite("acl", &MountPoint::acl)
        .def_readwrite("backup", &MountPoint::backup)
        .def_readwrite("keepattrs", &MountPoint::keepattrs)
        .def_readwrite("mountoptions", &MountPoint::mountoptions)
        .def_readwrite("idmap_passthrough", &MountPoint::idmap_passthrough)
        .def_readwrite("idmap", &MountPoint::idmap)
        .def_readwrite("quota", &MountPoint::quota)
        .def_readwrite("replicate", &MountPoint::replicate)
        .def_readwrite("ro", &MountPoint::ro)
        .def_readwrite("shared", &MountPoint::shared)
        .def_property_readonly("kind", &MountPoint::kind)
        .def_static(
            "parse", [](std::string_view s) { return parse::mount_point(s); }, py::arg("text"))
        .def_static(
            "parse_rootfs", [](std::string_view s) { return parse::rootfs(s); }, py::arg("text"))
        .def("render", [](const MountPoint& v) { return render::mount_point(v); })
        .def("render_rootfs", [](const MountPoint& v) { return render::rootfs(v); })
        // str() cannot know which key the value came from: without `mp` it prints as rootfs.
        .def("__str__", [](const MountPoint& v) {
            return unwrap(v.mp ? render::mount_point(v) : render::rootfs(v));
        });
    def_value(mp, {"volume", "mp", "size", "acl", "backup", "keepattrs", "mountoptions",
                   "idmap_passthrough", "idmap", "quota", "replicate", "ro", "shared"});

    py::class_<UnusedVolume> unused(m, "UnusedVolume");
    unused.def_readwrite("volume", &UnusedVolume::volume)
        .def_static(
            "parse", [](std::string_view s) { return parse::unused(s); }, py::arg("text"))
        .def("render", [](const UnusedVolume& v) { return render::unused(v); })
        .def("__str__", [](const UnusedVolume& v) { return unwrap(render::unused(v)); });
    def_value(unused, {"volume"});

    py::class_<Device> dev(m, "Device");
    dev.def_readwrite("path", &Device::path)
        .def_readwrite("mode", &Device::mode)
        .def_readwrite("uid", &Device::uid)
        .def_readwrite("gid", &Device::gid)
        .def_readwrite("deny_write", &Device::deny_write)
        .def_static(
            "parse", [](std::string_view s) { return parse::device(s); }, py::arg("text"))
        .def("render", [](const Device& v) { return render::device(v); })
        .def("__str__", [](const Device& v) { return unwrap(render::device(v)); });
    def_value(dev, {"path", "mode", "uid", "gid", "deny_write"});

    py::class_<Features> features(m, "Features");
    features.def_readwrite("force_rw_sys", &Features::force_rw_sys)
        .def_readwrite("fuse", &Features::fuse)
        .def_readwrite("keyctl", &Features::keyctl)
        .def_readwrite("mknod", &Features::mknod)
        .def_readwrite("mount", &Features::mount)
        .def_readwrite("nesting", &Features::nesting)
        .def_static(
            "parse", [](std::string_view s) { return parse::features(s); }, py::arg("text"))
        .def("render", [](const Features& v) { return render::features(v); })
        .def("__str__", [](const Features& v) { return unwrap(render::features(v)); });
    def_value(features, {"force_rw_sys", "fuse", "keyctl", "mknod", "mount", "nesting"});

    py::class_<StartupOrder> startup(m, "StartupOrder");
    startup.def_readwrite("order", &StartupOrder::order)
        .def_readwrite("up", &StartupOrder::up)
        .def_readwrite("down", &StartupOrder::down)
        .def_static(
            "parse", [](std::string_view s) { return parse::startup(s); }, py::arg("text"))
        .def("render", [](const StartupOrder& v) { return render::startup(v); })
        .def("__str__", [](const StartupOrder& v) { return unwrap(render::startup(v)); });
    def_value(startup, {"order", "up", "down"});

    m.def(
        "parse_size", [](std::string_view s) { return parse::size(s); }, py::arg("text"));
    m.def(
        "format_size", [](std::uint64_t bytes) { return render::size(bytes); }, py::arg("bytes"));
}

} // namespace pypct

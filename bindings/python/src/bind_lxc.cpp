// SPDX-License-Identifier: AGPL-3.0-or-later
// LXC config generation: Profile, CgroupMode, HostFacts, the generated text and files.
#include "value.hpp"

#include <pct/lxcconf.hpp>

#include <tuple>

namespace pypct {

void bind_lxc(py::module_& m) {
    using namespace pct;
    using namespace pct::lxcconf;

    py::enum_<Profile> profile(m, "Profile");
    profile.value("proxmox", Profile::proxmox).value("native", Profile::native);
    def_enum_repr(profile);

    py::enum_<CgroupMode> cgroup(m, "CgroupMode");
    cgroup.value("v1", CgroupMode::v1)
        .value("v2", CgroupMode::v2)
        .value("hybrid", CgroupMode::hybrid);
    def_enum_repr(cgroup);

    py::class_<HostFacts> host(m, "HostFacts");
    host.def_readwrite("lxc_version", &HostFacts::lxc_version)
        .def_readwrite("cgroup", &HostFacts::cgroup)
        .def_readwrite("bridge_mtu", &HostFacts::bridge_mtu)
        .def_readwrite("all_bridges_exist", &HostFacts::all_bridges_exist)
        .def_readwrite("mac_prefix", &HostFacts::mac_prefix)
        .def_readwrite("mac_counter", &HostFacts::mac_counter)
        .def_readwrite("apparmor", &HostFacts::apparmor)
        .def_readwrite("lxc_config_dir", &HostFacts::lxc_config_dir)
        .def_readwrite("lxcpath", &HostFacts::lxcpath)
        .def_readwrite("cpuset", &HostFacts::cpuset)
        .def_readwrite("syscalld_socket", &HostFacts::syscalld_socket)
        .def_readwrite("lxc_config_files", &HostFacts::lxc_config_files)
        .def_static("proxmox_reference", &HostFacts::proxmox_reference)
        .def_static(
            "detect", [](const std::string& lxcpath) { return detect_host(lxcpath); },
            py::arg("lxcpath") = "/var/lib/lxc");
    def_value(host,
              {"lxc_version", "cgroup", "bridge_mtu", "all_bridges_exist", "mac_prefix",
               "mac_counter", "apparmor", "lxc_config_dir", "lxcpath", "cpuset", "syscalld_socket",
               "lxc_config_files"},
              [](const HostFacts& a, const HostFacts& b) {
                  auto tie = [](const HostFacts& h) {
                      return std::tie(h.lxc_version, h.cgroup, h.bridge_mtu, h.all_bridges_exist,
                                      h.mac_prefix, h.mac_counter, h.apparmor, h.lxc_config_dir,
                                      h.lxcpath, h.cpuset, h.syscalld_socket, h.lxc_config_files);
                  };
                  return tie(a) == tie(b);
              });

    py::class_<ExtraFile> extra(m, "ExtraFile");
    extra.def_readwrite("path", &ExtraFile::path).def_readwrite("content", &ExtraFile::content);
    def_value(extra, {"path", "content"});

    py::class_<Generated> generated(m, "LxcConfig");
    generated.def_readwrite("config", &Generated::config)
        .def_readwrite("files", &Generated::files)
        .def_readwrite("warnings", &Generated::warnings)
        .def("__str__", [](const Generated& g) { return g.config; });
    generated.def("__eq__", [](const Generated& a, const py::object& b) -> py::object {
        if (!py::isinstance<Generated>(b))
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        const auto& o = b.cast<const Generated&>();
        return py::bool_(a.config == o.config && a.files == o.files && a.warnings == o.warnings);
    });
    // Generated has no operator== of its own; the protocol's __eq__ above replaces it.
    generated.def(py::init([](std::string config, std::vector<ExtraFile> files,
                              std::vector<std::string> warnings) {
                      return Generated{std::move(config), std::move(files), std::move(warnings)};
                  }),
                  py::kw_only(), py::arg("config") = "",
                  py::arg("files") = std::vector<ExtraFile>{},
                  py::arg("warnings") = std::vector<std::string>{});
    generated.def("__repr__", [](const py::object& self) {
        return "LxcConfig(config=" + py::repr(self.attr("config")).cast<std::string>() +
               ", files=" + py::repr(self.attr("files")).cast<std::string>() +
               ", warnings=" + py::repr(self.attr("warnings")).cast<std::string>() + ")";
    });
    generated.attr("__hash__") = py::none();
    generated.def("__copy__", [](const Generated& g) { return Generated(g); });
    generated.def(
        "__deepcopy__", [](const Generated& g, const py::object&) { return Generated(g); },
        py::arg("memo"));

    auto generate_lxc = [](const ContainerConfig& c, std::optional<HostFacts> host, Profile profile,
                           std::uint32_t vmid) -> Result<Generated> {
        HostFacts facts;
        if (host) {
            facts = std::move(*host);
        } else {
            auto detected = detect_host("/var/lib/lxc");
            if (!detected)
                return std::unexpected(std::move(detected).error());
            facts = std::move(*detected);
        }
        GenerateOptions options;
        options.profile = profile;
        options.vmid = vmid;
        return generate(c, facts, options);
    };
    // A method of ContainerConfig, added here so that the config bindings need no lxcconf.
    auto config = py::reinterpret_borrow<py::class_<ContainerConfig>>(m.attr("ContainerConfig"));
    config.def("generate_lxc", generate_lxc, py::arg("host") = py::none(),
               py::arg("profile") = Profile::native, py::arg("vmid") = 100);
}

} // namespace pypct

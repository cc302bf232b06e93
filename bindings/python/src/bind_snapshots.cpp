// SPDX-License-Identifier: AGPL-3.0-or-later
// Snapshots: snapshot_create, snapshot_delete, snapshot_rollback (they block: the GIL is
// released), list_snapshots, format_snapshot_tree, snapshot_blockers, check_snapshot_name.
#include "value.hpp"

#include <pct/runtime/snapshots.hpp>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::runtime;

Vmid checked(std::uint64_t id) { return unwrap(storage::Host::check_vmid(id)); }

storage::Host host_or_default(const std::optional<storage::Host>& host) {
    return host ? *host : storage::Host("/");
}

} // namespace

void bind_snapshots(py::module_& m) {
    py::class_<SnapshotReport>(m, "SnapshotReport")
        .def(py::init<>())
        .def_readonly("warnings", &SnapshotReport::warnings);
    py::class_<SnapshotInfo>(m, "SnapshotInfo")
        .def(py::init<>())
        .def_readwrite("name", &SnapshotInfo::name)
        .def_readwrite("parent", &SnapshotInfo::parent)
        .def_readwrite("snaptime", &SnapshotInfo::snaptime)
        .def_readwrite("description", &SnapshotInfo::description)
        .def_readwrite("snapstate", &SnapshotInfo::snapstate)
        .def_readwrite("current", &SnapshotInfo::current)
        .def("__eq__", [](const SnapshotInfo& a, const SnapshotInfo& b) { return a == b; })
        .def("__repr__", [](const SnapshotInfo& s) {
            return "SnapshotInfo(name='" + s.name + "', parent='" + s.parent + "')";
        });
    py::class_<SnapshotBlocker>(m, "SnapshotBlocker")
        .def(py::init<>())
        .def_readwrite("key", &SnapshotBlocker::key)
        .def_readwrite("volume", &SnapshotBlocker::volume)
        .def_readwrite("reason", &SnapshotBlocker::reason)
        .def("__eq__", [](const SnapshotBlocker& a, const SnapshotBlocker& b) { return a == b; })
        .def("__repr__", [](const SnapshotBlocker& b) {
            return "SnapshotBlocker(key='" + b.key + "', reason='" + b.reason + "')";
        });

    m.def(
        "snapshot_create",
        [](std::uint64_t vmid, const std::string& name, const std::string& description,
           std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(snapshot_create(where, id, name, {.description = description}));
        },
        py::arg("vmid"), py::arg("name"), py::arg("description") = "",
        py::arg("host") = py::none());
    m.def(
        "snapshot_delete",
        [](std::uint64_t vmid, const std::string& name, bool force,
           std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(snapshot_delete(where, id, name, {.force = force}));
        },
        py::arg("vmid"), py::arg("name"), py::arg("force") = false, py::arg("host") = py::none());
    m.def(
        "snapshot_rollback",
        [](std::uint64_t vmid, const std::string& name, bool start,
           std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(snapshot_rollback(where, id, name, {.start = start}));
        },
        py::arg("vmid"), py::arg("name"), py::arg("start") = false, py::arg("host") = py::none());
    m.def(
        "list_snapshots",
        [](std::uint64_t vmid, std::optional<storage::Host> h) {
            return unwrap(list_snapshots(host_or_default(h), checked(vmid)));
        },
        py::arg("vmid"), py::arg("host") = py::none());
    m.def(
        "format_snapshot_tree",
        [](const std::vector<SnapshotInfo>& list) { return format_snapshot_tree(list); },
        py::arg("snapshots"));
    m.def(
        "snapshot_blockers",
        [](std::uint64_t vmid, std::optional<storage::Host> h) {
            return unwrap(snapshot_blockers(host_or_default(h), checked(vmid)));
        },
        py::arg("vmid"), py::arg("host") = py::none());
    m.def(
        "check_snapshot_name", [](const std::string& name) { unwrap(check_snapshot_name(name)); },
        py::arg("name"));
}

} // namespace pypct

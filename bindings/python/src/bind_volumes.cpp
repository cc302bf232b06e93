// SPDX-License-Identifier: AGPL-3.0-or-later
// Volume operations: resize_volume, move_volume, rescan, df, fsck, fstrim (module functions
// over a Host and a CTID; they block, so the GIL is released while they run).
#include "progress.hpp"
#include "value.hpp"

#include <pct/runtime/volumes.hpp>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::runtime;

Vmid checked(std::uint64_t id) { return unwrap(storage::Host::check_vmid(id)); }

storage::Host host_or_default(const std::optional<storage::Host>& host) {
    return host ? *host : storage::Host("/");
}

} // namespace

void bind_volumes(py::module_& m) {
    py::class_<DfRow>(m, "DfRow")
        .def(py::init<>())
        .def_readwrite("key", &DfRow::key)
        .def_readwrite("volume", &DfRow::volume)
        .def_readwrite("total", &DfRow::total)
        .def_readwrite("used", &DfRow::used)
        .def_readwrite("avail", &DfRow::avail)
        .def_readwrite("path", &DfRow::path)
        .def("__eq__", [](const DfRow& a, const DfRow& b) { return a == b; })
        .def("__repr__", [](const DfRow& r) {
            return "DfRow(key='" + r.key + "', volume='" + r.volume + "')";
        });
    py::class_<ResizeReport>(m, "ResizeReport")
        .def(py::init<>())
        .def_readonly("new_size", &ResizeReport::new_size)
        .def_readonly("warnings", &ResizeReport::warnings);
    py::class_<MoveVolumeReport>(m, "MoveVolumeReport")
        .def(py::init<>())
        .def_readonly("new_volume", &MoveVolumeReport::new_volume)
        .def_readonly("unused_key", &MoveVolumeReport::unused_key)
        .def_readonly("warnings", &MoveVolumeReport::warnings);

    m.def(
        "resize_volume",
        [](std::uint64_t vmid, const std::string& disk, const std::string& size,
           std::optional<std::string> digest, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(resize(where, id, disk, size, {.digest = std::move(digest)}));
        },
        py::arg("vmid"), py::arg("disk"), py::arg("size"), py::arg("digest") = py::none(),
        py::arg("host") = py::none());
    m.def(
        "move_volume",
        [](std::uint64_t vmid, const std::string& volume, std::optional<std::string> storage,
           std::optional<std::uint64_t> target_vmid, std::optional<std::string> target_volume,
           bool delete_source, std::optional<std::string> digest,
           std::optional<std::string> target_digest, std::uint64_t bwlimit,
           const py::object& progress, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            MoveVolumeOptions o;
            o.storage = std::move(storage);
            if (target_vmid)
                o.target_vmid = checked(*target_vmid);
            o.target_volume = std::move(target_volume);
            o.delete_source = delete_source;
            o.digest = std::move(digest);
            o.target_digest = std::move(target_digest);
            o.bwlimit_kib = bwlimit;
            o.progress = progress_fn(progress);
            py::gil_scoped_release unlocked;
            return unwrap(move_volume(where, id, volume, o));
        },
        py::arg("vmid"), py::arg("volume"), py::arg("storage") = py::none(), py::kw_only(),
        py::arg("target_vmid") = py::none(), py::arg("target_volume") = py::none(),
        py::arg("delete") = false, py::arg("digest") = py::none(),
        py::arg("target_digest") = py::none(), py::arg("bwlimit") = 0,
        py::arg("progress") = py::none(), py::arg("host") = py::none());
    m.def(
        "rescan",
        [](std::optional<std::uint64_t> vmid, bool dryrun, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            RescanOptions o;
            if (vmid)
                o.vmid = checked(*vmid);
            o.dryrun = dryrun;
            py::gil_scoped_release unlocked;
            return unwrap(rescan(where, o));
        },
        py::arg("vmid") = py::none(), py::arg("dryrun") = false, py::arg("host") = py::none());
    m.def(
        "df",
        [](std::uint64_t vmid, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(df(where, id));
        },
        py::arg("vmid"), py::arg("host") = py::none());
    m.def(
        "format_df", [](const std::vector<DfRow>& rows) { return format_df(rows); },
        py::arg("rows"));
    m.def(
        "fsck",
        [](std::uint64_t vmid, const std::string& device, bool force,
           std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(fsck(where, id, {.device = device, .force = force}));
        },
        py::arg("vmid"), py::arg("device") = "rootfs", py::arg("force") = false,
        py::arg("host") = py::none());
    m.def(
        "fstrim",
        [](std::uint64_t vmid, bool ignore_mountpoints, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            return unwrap(fstrim(where, id, {.ignore_mountpoints = ignore_mountpoints}));
        },
        py::arg("vmid"), py::arg("ignore_mountpoints") = false, py::arg("host") = py::none());
}

} // namespace pypct

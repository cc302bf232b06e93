// SPDX-License-Identifier: AGPL-3.0-or-later
// Templates and clones: make_template, clone (module functions over a Host and CTIDs; they
// block, so the GIL is released while they run).
#include "progress.hpp"
#include "value.hpp"

#include <pct/runtime/clone.hpp>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::runtime;

Vmid checked(std::uint64_t id) { return unwrap(storage::Host::check_vmid(id)); }

storage::Host host_or_default(const std::optional<storage::Host>& host) {
    return host ? *host : storage::Host("/");
}

} // namespace

void bind_clone(py::module_& m) {
    py::class_<CloneReport>(m, "CloneReport")
        .def(py::init<>())
        .def_readonly("full", &CloneReport::full)
        .def_readonly("volumes", &CloneReport::volumes)
        .def_readonly("messages", &CloneReport::messages);

    m.def(
        "make_template",
        [](std::uint64_t vmid, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            py::gil_scoped_release unlocked;
            unwrap(make_template(where, id));
        },
        py::arg("vmid"), py::arg("host") = py::none());
    m.def(
        "clone",
        [](std::uint64_t vmid, std::uint64_t newid, std::optional<bool> full,
           std::optional<std::string> storage, std::optional<std::string> hostname,
           std::optional<std::string> description, std::optional<std::string> snapname,
           std::uint64_t bwlimit, const py::object& progress, std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            Vmid id = checked(vmid);
            Vmid new_id = checked(newid);
            CloneOptions o;
            o.full = full;
            o.storage = std::move(storage);
            o.hostname = std::move(hostname);
            o.description = std::move(description);
            o.snapname = std::move(snapname);
            o.bwlimit_kib = bwlimit;
            o.progress = progress_fn(progress);
            py::gil_scoped_release unlocked;
            return unwrap(clone(where, id, new_id, o));
        },
        py::arg("vmid"), py::arg("newid"), py::kw_only(), py::arg("full") = py::none(),
        py::arg("storage") = py::none(), py::arg("hostname") = py::none(),
        py::arg("description") = py::none(), py::arg("snapname") = py::none(),
        py::arg("bwlimit") = 0, py::arg("progress") = py::none(), py::arg("host") = py::none());
}

} // namespace pypct

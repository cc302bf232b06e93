// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage: the storages of a host (storage.cfg read once per Storages object) and their
// volumes, as pct::storage::Storages.
#include "value.hpp"

#include <pct/storage/storages.hpp>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::storage;

std::optional<std::string_view> opt_view(const std::optional<std::string>& s) {
    if (!s)
        return std::nullopt;
    return std::string_view(*s);
}

Feature feature_of(const std::string& name) {
    auto f = feature_from_name(name);
    if (!f)
        throw Raised{error(Errc::invalid_argument,
                           "unknown storage feature '" + name +
                               "' (snapshot, clone, template, copy, sparseinit, rename, "
                               "replicate)")};
    return *f;
}

} // namespace

void bind_storage(py::module_& m) {
    py::class_<VolumeInfo>(m, "VolumeInfo", "One image of a storage (``pvesm list``).")
        .def(py::init([](std::string volid, const std::string& format, std::uint64_t size,
                         std::uint64_t used, std::optional<std::uint32_t> owner) {
                 auto f = format_from_name(format);
                 if (!f)
                     throw Raised{
                         error(Errc::invalid_argument, "unknown volume format '" + format + "'")};
                 VolumeInfo v{std::move(volid), *f, size, used, std::nullopt};
                 if (owner)
                     v.owner = Vmid{*owner};
                 return v;
             }),
             py::kw_only(), py::arg("volid"), py::arg("format") = "raw", py::arg("size") = 0,
             py::arg("used") = 0, py::arg("owner") = py::none())
        .def("__eq__",
             [](const VolumeInfo& a, const py::object& b) -> py::object {
                 if (!py::isinstance<VolumeInfo>(b))
                     return py::reinterpret_borrow<py::object>(Py_NotImplemented);
                 return py::bool_(a == b.cast<const VolumeInfo&>());
             })
        .def_readonly("volid", &VolumeInfo::volid)
        .def_property_readonly(
            "format", [](const VolumeInfo& v) { return std::string(format_name(v.format)); })
        .def_readonly("size", &VolumeInfo::size)
        .def_readonly("used", &VolumeInfo::used)
        .def_property_readonly("owner",
                               [](const VolumeInfo& v) -> std::optional<std::uint32_t> {
                                   if (!v.owner)
                                       return std::nullopt;
                                   return v.owner->value;
                               })
        .def("__repr__", [](const VolumeInfo& v) {
            return "VolumeInfo(volid=" + py::repr(py::str(v.volid)).cast<std::string>() +
                   ", format='" + std::string(format_name(v.format)) +
                   "', size=" + std::to_string(v.size) + ")";
        });

    py::class_<Storages>(m, "Storages",
                         "The storages of a host: storage.cfg read once, each storage activated "
                         "once, for one operation.")
        .def(py::init([](const Host& host) { return unwrap(Storages::load(host)); }),
             py::arg("host"))
        .def_property_readonly("ids",
                               [](const Storages& s) {
                                   std::vector<std::string> ids;
                                   for (const auto& e : s.config().entries)
                                       ids.push_back(e.name);
                                   return ids;
                               })
        .def_property_readonly("warnings", [](const Storages& s) { return s.config().warnings; })
        .def(
            "type",
            [](const Storages& s, const std::string& id) { return unwrap(s.entry(id))->type; },
            py::arg("storage"))
        .def(
            "volumes",
            [](Storages& s, const std::string& id, std::optional<std::uint32_t> vmid) {
                std::optional<Vmid> owner;
                if (vmid)
                    owner = Vmid{*vmid};
                return unwrap(s.list(id, owner));
            },
            py::arg("storage"), py::arg("vmid") = py::none())
        .def(
            "alloc_ct_disk",
            [](Storages& s, const std::string& id, std::uint32_t vmid, std::uint64_t size_kib,
               std::uint32_t root_uid, std::uint32_t root_gid) {
                return unwrap(alloc_ct_disk(s, Vmid{vmid}, id, size_kib, root_uid, root_gid));
            },
            py::arg("storage"), py::arg("vmid"), py::arg("size_kib"), py::arg("root_uid") = 0,
            py::arg("root_gid") = 0)
        .def(
            "free", [](Storages& s, const std::string& volid) { unwrap(s.free(volid)); },
            py::arg("volid"))
        .def(
            "path",
            [](Storages& s, const std::string& volid, const std::optional<std::string>& snap) {
                return unwrap(s.path(volid, opt_view(snap)));
            },
            py::arg("volid"), py::arg("snap") = py::none())
        .def(
            "size",
            [](Storages& s, const std::string& volid) { return unwrap(s.size(volid)).size; },
            py::arg("volid"))
        .def(
            "has_feature",
            [](const Storages& s, const std::string& feature, const std::string& volid,
               const std::optional<std::string>& snap) {
                return s.has_feature(feature_of(feature), volid, opt_view(snap));
            },
            py::arg("feature"), py::arg("volid"), py::arg("snap") = py::none());
}

} // namespace pypct

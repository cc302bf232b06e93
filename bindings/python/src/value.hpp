// SPDX-License-Identifier: AGPL-3.0-or-later
// The protocol every value type shares: keyword construction, eval-able __repr__ (fields that
// differ from the default), __eq__, __copy__/__deepcopy__, unhashable (they are mutable).
#pragma once

#include "casters.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace pypct {

namespace py = pybind11;

template <class T, class Eq = std::equal_to<T>>
void def_value(py::class_<T>& cls, std::vector<std::string> fields, Eq eq = {}) {
    std::string type = py::str(cls.attr("__name__"));
    cls.def(py::init([fields, type](const py::kwargs& kwargs) {
        py::object obj = py::cast(T{});
        for (const auto& [key, value] : kwargs) {
            std::string name = py::str(key);
            if (std::find(fields.begin(), fields.end(), name) == fields.end())
                throw py::type_error(type + "() got an unexpected keyword argument '" + name + "'");
            py::setattr(obj, key, value);
        }
        return obj.cast<T>();
    }));
    cls.def("__repr__", [fields, type](const py::object& self) {
        py::object defaults = py::cast(T{});
        std::string out = type + "(";
        bool first = true;
        for (const auto& f : fields) {
            py::object value = self.attr(f.c_str());
            if (value.equal(defaults.attr(f.c_str())))
                continue;
            out += (first ? "" : ", ") + f + "=" + py::repr(value).cast<std::string>();
            first = false;
        }
        return out + ")";
    });
    cls.def("__eq__", [eq](const T& self, const py::object& other) -> py::object {
        if (!py::isinstance<T>(other))
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(eq(self, other.cast<const T&>()));
    });
    cls.attr("__hash__") = py::none();
    cls.def("__copy__", [](const T& self) { return T(self); });
    cls.def(
        "__deepcopy__", [](const T& self, const py::object&) { return T(self); }, py::arg("memo"));
}

/// Makes `repr(Enum.x)` the eval-able "Enum.x".
template <class E> void def_enum_repr(py::enum_<E>& e) {
    std::string type = py::str(e.attr("__name__"));
    e.attr("__repr__") = py::cpp_function(
        [type](const py::object& self) {
            return type + "." + py::str(self.attr("name")).cast<std::string>();
        },
        py::is_method(e));
}

void bind_errors(py::module_& m);
void bind_properties(py::module_& m);
void bind_settings(py::module_& m);
void bind_config(py::module_& m);
void bind_lxc(py::module_& m);
void bind_runtime(py::module_& m);
void bind_storage(py::module_& m);
void bind_backups(py::module_& m);
void bind_backup(py::module_& m);
void bind_volumes(py::module_& m);
void bind_locks(py::module_& m);
void bind_clone(py::module_& m);
void bind_snapshots(py::module_& m);
void bind_pending(py::module_& m);
void bind_progress(py::module_& m);
/// Installs the stub's docstrings (generated from pypct/_pypct.pyi); call after every bind_*.
void apply_docstrings(py::module_& m);
void bind_cluster(py::module_& m);

} // namespace pypct

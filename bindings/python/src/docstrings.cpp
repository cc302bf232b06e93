// SPDX-License-Identifier: AGPL-3.0-or-later
// The stub's docstrings (bindings/python/pypct/_pypct.pyi, the one place they are written)
// installed on the module's classes, functions, methods and properties, for help(pypct.X).
// The table is generated at build time by gen_docstrings.py.
#include "value.hpp"

#include <Python.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

namespace pypct {

namespace {

struct DocEntry {
    const char* owner; ///< the class, or "" for a module-level class or function
    const char* name;
    const char* doc;
};

constexpr DocEntry docstrings[] = {
#include "pypct_docstrings.inc"
};

bool is_property(const py::handle& h) {
    return py::isinstance(h, py::module_::import("builtins").attr("property"));
}

// A builtin function (pybind11's cpp_function) gets `doc` after the signature lines pybind11
// wrote, as pybind11 itself installs a docstring given to def(): its `ml_doc` is a malloc'ed
// string that pybind11 frees when the function goes away.
void document_function(py::handle fn, const char* doc) {
    py::object inner;
    if (PyInstanceMethod_Check(fn.ptr())) {
        fn = PyInstanceMethod_GET_FUNCTION(fn.ptr());
    } else if (py::hasattr(fn, "__func__")) { // staticmethod
        inner = fn.attr("__func__");
        fn = inner;
    }
    if (!PyCFunction_Check(fn.ptr()))
        return;
    auto* func = reinterpret_cast<PyCFunctionObject*>(fn.ptr());
    std::string text = func->m_ml->ml_doc ? func->m_ml->ml_doc : "";
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    text += "\n\n";
    text += doc;
    text += '\n';
    char* copy = strdup(text.c_str());
    if (!copy)
        throw std::bad_alloc();
    std::free(const_cast<char*>(func->m_ml->ml_doc));
    func->m_ml->ml_doc = copy;
}

// A class's `__doc__`. A py::enum_ computes it (a static property: `tp_doc`, then its members),
// so there `tp_doc` is replaced, allocated as Python allocates it for a heap type.
void document_class(PyTypeObject* type, const char* doc) {
    py::dict members = py::reinterpret_borrow<py::dict>(type->tp_dict);
    if (members.contains("__doc__") && is_property(members["__doc__"])) {
        std::size_t size = std::strlen(doc) + 1;
        auto* copy = static_cast<char*>(PyObject_Malloc(size));
        if (!copy)
            throw std::bad_alloc();
        std::memcpy(copy, doc, size);
        PyObject_Free(const_cast<char*>(type->tp_doc));
        type->tp_doc = copy;
        return;
    }
    py::handle(reinterpret_cast<PyObject*>(type)).attr("__doc__") = doc;
}

void document(const py::handle& owner, const char* name, const char* doc) {
    py::object target;
    if (PyType_Check(owner.ptr())) {
        // The class's own dict: getattr would bind a method or find an inherited member
        // (documented where it is defined).
        py::dict members =
            py::reinterpret_borrow<py::dict>(reinterpret_cast<PyTypeObject*>(owner.ptr())->tp_dict);
        if (!members.contains(name))
            return;
        target = members[name];
    } else if (py::hasattr(owner, name)) {
        target = owner.attr(name);
    } else {
        return; // a stub-only name (pypct_stubtest keeps the two in step)
    }
    if (PyType_Check(target.ptr()))
        document_class(reinterpret_cast<PyTypeObject*>(target.ptr()), doc);
    else if (is_property(target))
        target.attr("__doc__") = doc;
    else
        document_function(target, doc);
}

} // namespace

void apply_docstrings(py::module_& m) {
    for (const DocEntry& e : docstrings) {
        if (*e.owner == '\0')
            document(m, e.name, e.doc);
        else if (py::hasattr(m, e.owner))
            document(m.attr(e.owner), e.name, e.doc);
    }
}

} // namespace pypct

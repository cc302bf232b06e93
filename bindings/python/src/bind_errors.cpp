// SPDX-License-Identifier: AGPL-3.0-or-later
// Errc, the exception classes (one per code, each mixing in the builtin that fits) and the
// translator that raises them for pypct::Raised; `Problem` is a pct::Error as a value.
#include "value.hpp"

#include <map>

namespace pypct {

namespace {

struct ExceptionClass {
    pct::Errc code;
    const char* name;
    PyObject* builtin; ///< second base, or nullptr
    const char* doc;
};

// Filled once at import and read under the GIL; the references are deliberately never
// dropped, so nothing runs at interpreter shutdown.
std::map<pct::Errc, PyObject*>& classes() {
    static auto* table = new std::map<pct::Errc, PyObject*>();
    return *table;
}

py::object make_class(py::module_& m, const char* name, py::tuple bases, const char* doc) {
    std::string qualified = std::string("pypct._pypct.") + name;
    py::dict dict;
    dict["__doc__"] = doc;
    PyObject* cls = PyErr_NewException(qualified.c_str(), bases.ptr(), dict.ptr());
    if (!cls)
        throw py::error_already_set();
    py::object obj = py::reinterpret_steal<py::object>(cls);
    m.attr(name) = obj;
    return obj;
}

void raise(const pct::Error& e) {
    auto it = classes().find(e.code);
    py::handle cls = it != classes().end() ? it->second : classes().at(pct::Errc::internal);
    py::object exc;
    if (e.code == pct::Errc::io && e.sys_errno != 0) {
        // OSError semantics: errno, strerror, filename.
        exc = e.context.empty() ? cls(e.sys_errno, e.message)
                                : cls(e.sys_errno, e.message, e.context);
    } else {
        exc = cls(e.message);
    }
    exc.attr("code") = py::cast(e.code);
    exc.attr("context") = e.context;
    exc.attr("line") = e.line;
    exc.attr("column") = e.column;
    exc.attr("key") = e.key;
    exc.attr("subkey") = e.subkey;
    exc.attr("sys_errno") = e.sys_errno;
    PyErr_SetObject(cls.ptr(), exc.ptr());
}

} // namespace

void bind_errors(py::module_& m) {
    py::enum_<pct::Errc> errc(m, "Errc");
    errc.value("invalid_argument", pct::Errc::invalid_argument)
        .value("parse", pct::Errc::parse)
        .value("not_found", pct::Errc::not_found)
        .value("already_exists", pct::Errc::already_exists)
        .value("io", pct::Errc::io)
        .value("lxc", pct::Errc::lxc)
        .value("bad_state", pct::Errc::bad_state)
        .value("unsupported", pct::Errc::unsupported)
        .value("internal", pct::Errc::internal)
        .value("digest_mismatch", pct::Errc::digest_mismatch)
        .value("no_quorum", pct::Errc::no_quorum);
    def_enum_repr(errc);

    py::object error = make_class(m, "Error", py::make_tuple(py::handle(PyExc_Exception)),
                                  "Base class of every libpct error.");
    // Defaults, so that an Error raised from Python code has the attributes too.
    error.attr("code") = py::cast(pct::Errc::internal);
    error.attr("context") = "";
    error.attr("line") = 0;
    error.attr("column") = 0;
    error.attr("key") = "";
    error.attr("subkey") = "";
    error.attr("sys_errno") = 0;

    const ExceptionClass table[] = {
        {pct::Errc::parse, "ParseError", PyExc_ValueError, "Text that cannot be parsed."},
        {pct::Errc::invalid_argument, "InvalidArgumentError", PyExc_ValueError,
         "A value breaks the schema, or an argument is out of range."},
        {pct::Errc::not_found, "NotFoundError", PyExc_LookupError,
         "A container, file, key or snapshot does not exist."},
        {pct::Errc::already_exists, "AlreadyExistsError", nullptr, "A name is already taken."},
        {pct::Errc::io, "StorageError", PyExc_OSError, "The operating system refused."},
        {pct::Errc::lxc, "LxcError", PyExc_RuntimeError, "liblxc failed."},
        {pct::Errc::bad_state, "StateError", PyExc_RuntimeError,
         "The container is in the wrong state."},
        {pct::Errc::unsupported, "UnsupportedError", nullptr,
         "Valid, but this host or build cannot do it."},
        {pct::Errc::internal, "InternalError", nullptr, "A bug in libpct."},
        {pct::Errc::digest_mismatch, "DigestMismatchError", PyExc_RuntimeError,
         "The config file changed since it was read: load it again and redo the edit."},
        {pct::Errc::no_quorum, "NoQuorumError", PyExc_RuntimeError,
         "The cluster store has no quorum: nothing was written."},
    };
    for (const auto& c : table) {
        py::tuple bases =
            c.builtin ? py::make_tuple(error, py::handle(c.builtin)) : py::make_tuple(error);
        py::object cls = make_class(m, c.name, bases, c.doc);
        cls.attr("code") = py::cast(c.code);
        classes()[c.code] = cls.release().ptr();
    }

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const Raised& r) {
            raise(r.error);
        }
    });

    py::class_<pct::Error> problem(m, "Problem");
    problem.def_readwrite("code", &pct::Error::code)
        .def_readwrite("message", &pct::Error::message)
        .def_readwrite("context", &pct::Error::context)
        .def_readwrite("line", &pct::Error::line)
        .def_readwrite("column", &pct::Error::column)
        .def_readwrite("key", &pct::Error::key)
        .def_readwrite("subkey", &pct::Error::subkey)
        .def_readwrite("sys_errno", &pct::Error::sys_errno)
        .def("__str__", [](const pct::Error& e) { return pct::to_string(e); });
    def_value(problem,
              {"code", "message", "context", "line", "column", "key", "subkey", "sys_errno"});
}

} // namespace pypct

// SPDX-License-Identifier: AGPL-3.0-or-later
// pypct.Progress: one report of long work, passed to a caller's `progress=` callable.
#include "progress.hpp"

#include <pybind11/stl.h>

namespace pypct {

void bind_progress(py::module_& m) {
    using pct::runtime::Progress;
    py::class_<Progress>(m, "Progress",
                         "One progress report of long work (extraction, copies, backup, "
                         "restore), passed to a ``progress=`` callable.")
        .def(py::init<>())
        .def_readonly("phase", &Progress::phase, "What is being done: 'extract', 'backup', ...")
        .def_readonly("bytes", &Progress::bytes, "Bytes done so far.")
        .def_readonly("total", &Progress::total, "The expected end of ``bytes``; 0 if unknown.")
        .def_readonly("rate", &Progress::rate, "Bytes per second since the phase began.")
        .def_readonly("eta_seconds", &Progress::eta_seconds,
                      "Seconds left at ``rate``; None when unknown.")
        .def_readonly("done", &Progress::done, "True on the last report of the phase.")
        .def("__repr__", [](const Progress& p) {
            return "Progress(phase=" + std::string(py::repr(py::str(p.phase))) +
                   ", bytes=" + std::to_string(p.bytes) + ", total=" + std::to_string(p.total) +
                   ", done=" + (p.done ? "True" : "False") + ")";
        });
}

} // namespace pypct

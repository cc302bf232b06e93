// SPDX-License-Identifier: AGPL-3.0-or-later
// A Python callable as the library's progress function: called with a `pypct.Progress` while
// the work runs with the GIL released. An exception the callable raises cannot stop the work
// half-way in C++; it is reported as unraisable (as Python does for callbacks run by other
// threads) and the work goes on.
#pragma once

#include <pybind11/pybind11.h>

#include <pct/runtime/progress.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace pypct {

namespace py = pybind11;

/// `callable` (None: no reports) wrapped for `pct::runtime::ProgressFn`.
inline pct::runtime::ProgressFn progress_fn(const py::object& callable) {
    if (callable.is_none())
        return {};
    // The wrapper may outlive the GIL-holding caller's frame only inside the call; keep a
    // reference of our own and drop it with the GIL held.
    auto held = std::shared_ptr<py::object>(new py::object(callable), [](py::object* o) {
        py::gil_scoped_acquire gil;
        delete o;
    });
    return [held](const pct::runtime::Progress& p) {
        py::gil_scoped_acquire gil;
        try {
            (*held)(p);
        } catch (py::error_already_set& e) {
            e.discard_as_unraisable("pypct progress callback");
        }
    };
}

/// `callable` (None: nothing) hearing each log line while the work runs without the GIL.
inline std::function<void(std::string_view)> log_fn(const py::object& callable) {
    if (callable.is_none())
        return {};
    auto held = std::shared_ptr<py::object>(new py::object(callable), [](py::object* o) {
        py::gil_scoped_acquire gil;
        delete o;
    });
    return [held](std::string_view line) {
        py::gil_scoped_acquire gil;
        try {
            (*held)(std::string(line));
        } catch (py::error_already_set& e) {
            e.discard_as_unraisable("pypct log callback");
        }
    };
}

} // namespace pypct

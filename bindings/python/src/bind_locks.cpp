// SPDX-License-Identifier: AGPL-3.0-or-later
// Locks: `unlock` (pct unlock) and the lock table (`lock_allows`, `lock_rules`) of
// pct::runtime (locks.hpp).
#include "value.hpp"

#include <pct/runtime/locks.hpp>

namespace pypct {

void bind_locks(py::module_& m) {
    using namespace pct;
    m.def(
        "unlock",
        [](std::uint64_t vmid, std::optional<storage::Host> h) {
            storage::Host where = h ? *h : storage::Host("/");
            Vmid id = unwrap(storage::Host::check_vmid(vmid));
            py::gil_scoped_release unlocked;
            return unwrap(runtime::unlock(where, id));
        },
        py::arg("vmid"), py::arg("host") = py::none(),
        "``pct unlock``: removes the config's lock, whatever it is; returns the lock removed.");
    m.def(
        "lock_allows",
        [](const std::string& operation, const std::string& lock) {
            return unwrap([&]() -> Result<bool> {
                auto op = runtime::locked_op(operation);
                if (!op)
                    return fail(Errc::invalid_argument, "unknown operation '" + operation + "'",
                                {.key = "operation"});
                return runtime::lock_allows(*op, lock);
            }());
        },
        py::arg("operation"), py::arg("lock"),
        "Whether the ``pct`` command ``operation`` may run on a CT with ``lock: LOCK``.");
    m.def(
        "lock_rules",
        [] {
            py::list out;
            for (const auto& rule : runtime::lock_rules())
                out.append(py::make_tuple(std::string(rule.name), rule.checked,
                                          std::string(rule.passes), std::string(rule.source)));
            return out;
        },
        "The lock table: ``(operation, checked, passes, source)`` per operation.");
}

} // namespace pypct

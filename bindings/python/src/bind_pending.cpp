// SPDX-License-Identifier: AGPL-3.0-or-later
// Pending changes: update_config (`pct set`), plan_config_change (`--dry-run`),
// equivalent_values, pending_entries / format_pending (`pct pending`).
#include "value.hpp"

#include <pct/runtime/pending.hpp>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::runtime;

using SetMap = std::vector<std::pair<std::string, std::string>>;

ConfigChange make_change(const std::optional<py::dict>& set,
                         const std::optional<std::vector<std::string>>& deletes,
                         const std::optional<std::vector<std::string>>& reverts,
                         std::optional<std::string> digest) {
    ConfigChange c;
    if (set)
        for (const auto& [k, v] : *set)
            c.set.emplace_back(py::cast<std::string>(k), py::cast<std::string>(v));
    c.deletes = deletes.value_or(std::vector<std::string>{});
    c.reverts = reverts.value_or(std::vector<std::string>{});
    c.digest = std::move(digest);
    return c;
}

template <class Fn> void def_change(py::module_& m, const char* name, Fn fn) {
    m.def(
        name,
        [fn](std::uint64_t vmid, std::optional<py::dict> set,
             std::optional<std::vector<std::string>> deletes,
             std::optional<std::vector<std::string>> reverts, std::optional<std::string> digest,
             std::optional<storage::Host> h) {
            storage::Host where = h ? *h : storage::Host("/");
            Vmid id = unwrap(storage::Host::check_vmid(vmid));
            ConfigChange change = make_change(set, deletes, reverts, std::move(digest));
            py::gil_scoped_release unlocked;
            return unwrap(fn(where, id, change));
        },
        py::arg("vmid"), py::arg("set") = py::none(), py::kw_only(), py::arg("delete") = py::none(),
        py::arg("revert") = py::none(), py::arg("digest") = py::none(),
        py::arg("host") = py::none());
}

} // namespace

void bind_pending(py::module_& m) {
    py::class_<KeyChange>(m, "KeyChange")
        .def(py::init<>())
        .def_readonly("key", &KeyChange::key)
        .def_readonly("action", &KeyChange::action)
        .def_property_readonly(
            "effect", [](const KeyChange& k) { return std::string(effect_name(k.effect)); })
        .def_readonly("reason", &KeyChange::reason)
        .def_readonly("current", &KeyChange::current)
        .def_readonly("next", &KeyChange::next)
        .def("__eq__", [](const KeyChange& a, const KeyChange& b) { return a == b; })
        .def("__repr__", [](const KeyChange& k) {
            return "<pypct.KeyChange " + k.action + " " + k.key + ": " +
                   std::string(effect_name(k.effect)) + ">";
        });
    py::class_<ChangeReport>(m, "ChangeReport")
        .def(py::init<>())
        .def_readonly("keys", &ChangeReport::keys)
        .def_readonly("warnings", &ChangeReport::warnings)
        .def_readonly("errors", &ChangeReport::errors)
        .def("__eq__", [](const ChangeReport& a, const ChangeReport& b) { return a == b; });
    py::class_<PendingEntry>(m, "PendingEntry")
        .def(py::init<>())
        .def_readonly("key", &PendingEntry::key)
        .def_readonly("value", &PendingEntry::value)
        .def_readonly("pending", &PendingEntry::pending)
        .def_readonly("delete", &PendingEntry::delete_mark)
        .def("__eq__", [](const PendingEntry& a, const PendingEntry& b) { return a == b; })
        .def("__repr__",
             [](const PendingEntry& e) { return "<pypct.PendingEntry " + e.key + ">"; });

    def_change(m, "update_config", update_config);
    def_change(m, "plan_config_change", plan_config_change);
    m.def(
        "equivalent_values",
        [](const std::string& key, const std::string& a, const std::string& b) {
            return equivalent_values(key, a, b);
        },
        py::arg("key"), py::arg("a"), py::arg("b"));
    m.def(
        "pending_entries",
        [](std::uint64_t vmid, std::optional<storage::Host> h) {
            storage::Host where = h ? *h : storage::Host("/");
            Vmid id = unwrap(storage::Host::check_vmid(vmid));
            return pending_entries(unwrap(where.read_config(id)).config);
        },
        py::arg("vmid"), py::arg("host") = py::none());
    m.def("format_pending", &format_pending, py::arg("entries"));
}

} // namespace pypct

// SPDX-License-Identifier: AGPL-3.0-or-later
// The cluster store on etcd: pct::cluster::ClusterStore and its locks (cluster_store.hpp).
#include "value.hpp"

#include <pct/cluster/cluster_store.hpp>

namespace pypct {

void bind_cluster(py::module_& m) {
    using namespace pct;
    using cluster::ClusterLock;
    using cluster::ClusterStore;

    py::class_<ClusterLock, std::unique_ptr<ClusterLock>>(
        m, "ClusterLock",
        "A held operation lock of one CT on an etcd lease, renewed in the background; a "
        "context manager that releases it on exit.")
        .def_property_readonly("ctid", &ClusterLock::ctid)
        .def_property_readonly("fence", &ClusterLock::fence,
                               "The fencing token: the lock key's create revision.")
        .def_property_readonly("held", &ClusterLock::held,
                               "False once the lease was lost (or not renewed within its TTL).")
        .def(
            "release",
            [](ClusterLock& lock) {
                py::gil_scoped_release unlocked;
                unwrap(lock.release());
            },
            "Deletes the lock (revokes its lease).")
        .def(
            "__enter__", [](ClusterLock& lock) -> ClusterLock& { return lock; },
            py::return_value_policy::reference)
        .def("__exit__", [](ClusterLock& lock, py::args) {
            py::gil_scoped_release unlocked;
            unwrap(lock.release());
        });

    py::class_<ClusterStore, std::unique_ptr<ClusterStore>>(
        m, "ClusterStore",
        "CTIDs, configs, locks and node liveness shared by several hosts through etcd. Every "
        "call fails fast without quorum (NoQuorumError) and writes all or nothing.")
        .def(py::init([](const std::string& endpoints, const std::string& node,
                         const std::string& prefix) {
                 py::gil_scoped_release unlocked;
                 return unwrap(ClusterStore::open(endpoints, prefix, node));
             }),
             py::arg("endpoints"), py::arg("node"), py::arg("prefix") = "",
             "Connects to ``endpoints`` (\"host:port,...\") and registers ``node`` as alive.")
        .def_property_readonly("node", &ClusterStore::node)
        .def_property_readonly("prefix", &ClusterStore::prefix)
        .def(
            "allocate_ctid",
            [](ClusterStore& s, const std::string& config) {
                py::gil_scoped_release unlocked;
                return unwrap(s.allocate_ctid(config));
            },
            py::arg("initial_config"),
            "Takes the lowest free CTID >= 100 with its first config; returns it.")
        .def(
            "claim_ctid",
            [](ClusterStore& s, std::uint32_t ctid, const std::string& config) {
                py::gil_scoped_release unlocked;
                unwrap(s.claim_ctid(ctid, config));
            },
            py::arg("ctid"), py::arg("initial_config"),
            "Takes ``ctid``; AlreadyExistsError \"CT N already exists (on node X)\".")
        .def(
            "read_config",
            [](ClusterStore& s, std::uint32_t ctid) {
                cluster::StoredConfig c;
                {
                    py::gil_scoped_release unlocked;
                    c = unwrap(s.read_config(ctid));
                }
                return py::make_tuple(c.bytes, c.digest.str(), c.revision);
            },
            py::arg("ctid"), "``(text, digest, revision)`` of the CT's config.")
        .def(
            "write_config",
            [](ClusterStore& s, std::uint32_t ctid, const std::string& text, std::int64_t revision,
               const std::string& digest, const ClusterLock* lock) {
                py::gil_scoped_release unlocked;
                cluster::WriteCheck check{.revision = revision, .digest = Digest::from_hex(digest)};
                return unwrap(s.write_config(ctid, text, check, lock));
            },
            py::arg("ctid"), py::arg("text"), py::arg("revision") = 0, py::arg("digest") = "",
            py::arg("lock") = nullptr,
            "Replaces the config if it still has ``revision`` (or ``digest``): else "
            "DigestMismatchError; StateError when locked by another or the lock was lost. "
            "Returns the new revision.")
        .def(
            "remove",
            [](ClusterStore& s, std::uint32_t ctid, const ClusterLock* lock) {
                py::gil_scoped_release unlocked;
                unwrap(s.remove(ctid, lock));
            },
            py::arg("ctid"), py::arg("lock") = nullptr, "Frees the CTID and deletes its config.")
        .def(
            "list",
            [](ClusterStore& s) {
                std::vector<cluster::ClusterCt> all;
                {
                    py::gil_scoped_release unlocked;
                    all = unwrap(s.list());
                }
                py::list out;
                for (const auto& ct : all)
                    out.append(py::make_tuple(ct.ctid, ct.node));
                return out;
            },
            "``[(ctid, node), ...]`` in ascending order.")
        .def(
            "nodes",
            [](ClusterStore& s) {
                py::gil_scoped_release unlocked;
                return unwrap(s.nodes());
            },
            "The nodes alive now, sorted.")
        .def(
            "acquire",
            [](ClusterStore& s, std::uint32_t ctid, const std::string& operation, int ttl) {
                py::gil_scoped_release unlocked;
                return unwrap(s.acquire(ctid, operation, std::chrono::seconds(ttl)));
            },
            py::arg("ctid"), py::arg("operation"), py::arg("ttl") = 10,
            "Takes the CT's operation lock; StateError \"CT N is locked (OP on node X)\".");
}

} // namespace pypct

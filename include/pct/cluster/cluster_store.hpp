// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `pct::cluster::ClusterStore`: CTIDs, configs, locks and node liveness shared by several
/// hosts through an etcd v3 cluster (its JSON gateway), so that CTIDs are unique cluster-wide
/// and configs replicated, as Proxmox's /etc/pve is (../shared/spec/etcd-cluster.md §6).
///
/// Key layout under `prefix` P (default `/pct/v1/default/`):
///   P/ctid/<%09d>    {"node","token","created"}: the CTID is taken, by that node
///   P/config/<%09d>  the exact bytes of `<CTID>.conf` (digest = SHA-1 of them)
///   P/lock/<%09d>    {"node","pid","op","since"} on a lease: an operation lock
///   P/node/<name>    {"node","pid","started"} on a lease: the node is alive
///
/// Every call fails fast without quorum (`Errc::no_quorum`, within about a second) and
/// writes all or nothing: a CTID and its first config are one transaction, a write whose
/// answer was lost is read back before anything is retried.
///
/// Threading: a ClusterStore may be used from several threads (calls are serialized); a
/// background thread keeps the node's and the locks' leases alive.
#pragma once

#include <pct/error.hpp>
#include <pct/model/digest.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pct::cluster {

/// Tuning; the defaults are the spec's.
struct ClusterOptions {
    /// One etcd request, connect to answer. A request a follower forwarded to a leader that
    /// died hangs until then (etcd itself gives up after 7 s); 2 s keeps a writer's pause
    /// over a leader election under 3 s, and is still 1000 times a txn's 1.5 ms.
    std::chrono::milliseconds request_timeout{2000};
    std::chrono::milliseconds no_quorum_after{600}; ///< "no leader" this long = no quorum
    std::chrono::seconds node_ttl{10};              ///< a dead node's key goes after this
};

/// A config as the store holds it.
struct StoredConfig {
    std::string bytes;         ///< the exact text of `<CTID>.conf`
    Digest digest;             ///< SHA-1 of `bytes` (Proxmox's digest)
    std::int64_t revision = 0; ///< etcd mod_revision: what a compare-and-swap compares
    friend bool operator==(const StoredConfig&, const StoredConfig&) = default;
};

/// What a config write must still find: the revision it read, or (when `revision` is 0) the
/// digest a user gave (`pct set --digest`).
struct WriteCheck {
    std::int64_t revision = 0;
    Digest digest = {};
};

/// A CTID of the cluster and the node that owns it.
struct ClusterCt {
    std::uint32_t ctid = 0;
    std::string node;
    friend bool operator==(const ClusterCt&, const ClusterCt&) = default;
};

class ClusterLock;

class ClusterStore {
  public:
    /// Connects to `endpoints` ("host:port,host:port,...") and registers `node` (letters,
    /// digits, `.`, `-`, `_`) as alive on a lease of `node_ttl`. `prefix` "" = the default.
    [[nodiscard]] static Result<std::unique_ptr<ClusterStore>>
    open(std::string_view endpoints, std::string_view prefix, std::string_view node,
         const ClusterOptions& options = {});

    ClusterStore(const ClusterStore&) = delete;
    ClusterStore& operator=(const ClusterStore&) = delete;
    /// Revokes the node's lease (its key goes at once) and stops the keepalive thread.
    ~ClusterStore();

    [[nodiscard]] const std::string& node() const;
    [[nodiscard]] const std::string& prefix() const;

    /// Takes the lowest free CTID >= 100 (Proxmox's `nextid`) for this node and stores
    /// `initial_config` as its config, in one transaction.
    [[nodiscard]] Result<std::uint32_t> allocate_ctid(std::string_view initial_config);
    /// Takes `ctid` (100..999999999) with its first config; "CT N already exists (on node X)"
    /// (`Errc::already_exists`) when it is taken.
    [[nodiscard]] Result<void> claim_ctid(std::uint32_t ctid, std::string_view initial_config);

    /// The config of `ctid`; `Errc::not_found` when the CT does not exist.
    [[nodiscard]] Result<StoredConfig> read_config(std::uint32_t ctid);
    /// Replaces the config of `ctid` if it still is what `check` names (compare-and-swap),
    /// else Proxmox's "detected modified configuration - file changed by other user? Try
    /// again." (`Errc::digest_mismatch`). With `guard`, also only while that lock is held
    /// (fencing: `Errc::bad_state` once its lease is lost). Returns the new revision.
    [[nodiscard]] Result<std::int64_t> write_config(std::uint32_t ctid, std::string_view bytes,
                                                    const WriteCheck& check,
                                                    const ClusterLock* guard = nullptr);
    /// Frees `ctid` and deletes its config in one transaction (with `guard`: only while held).
    [[nodiscard]] Result<void> remove(std::uint32_t ctid, const ClusterLock* guard = nullptr);
    /// Every CTID with its node, in ascending order.
    [[nodiscard]] Result<std::vector<ClusterCt>> list();
    /// The names of the nodes whose lease lives, sorted.
    [[nodiscard]] Result<std::vector<std::string>> nodes();

    /// Takes the operation lock of `ctid` (`op`: create, migrate, backup, ...) on a lease of
    /// `ttl`, renewed in the background every ttl/3 until the lock is released or destroyed.
    /// A holder that dies loses it after `ttl`. `Errc::bad_state` "CT N is locked (OP on node
    /// X)" when another holder has it.
    [[nodiscard]] Result<std::unique_ptr<ClusterLock>>
    acquire(std::uint32_t ctid, std::string_view op,
            std::chrono::seconds ttl = std::chrono::seconds(10));

    struct Impl;

  private:
    explicit ClusterStore(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

/// A held operation lock. Its `fence` (the lock key's create revision) guards writes: a write
/// with this lock as guard commits only while that very key exists.
class ClusterLock {
  public:
    ClusterLock(const ClusterLock&) = delete;
    ClusterLock& operator=(const ClusterLock&) = delete;
    /// Releases (see `release`), ignoring errors.
    ~ClusterLock();

    [[nodiscard]] std::uint32_t ctid() const { return m_ctid; }
    [[nodiscard]] std::int64_t fence() const { return m_fence; }
    /// False once the lease was found expired (or could not be renewed within its TTL).
    [[nodiscard]] bool held() const;
    /// Deletes the lock key (if still ours) and revokes the lease.
    [[nodiscard]] Result<void> release();

    struct State;

  private:
    friend class ClusterStore;
    ClusterLock(std::shared_ptr<ClusterStore::Impl> store, std::shared_ptr<State> state,
                std::uint32_t ctid, std::int64_t fence);
    std::shared_ptr<ClusterStore::Impl> m_store;
    std::shared_ptr<State> m_state;
    std::uint32_t m_ctid = 0;
    std::int64_t m_fence = 0;
};

} // namespace pct::cluster

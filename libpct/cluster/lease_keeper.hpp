// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the background thread that keeps a ClusterStore's leases (its node's, its locks')
// alive, one keepalive per lease every ttl/3, and marks a lease lost when etcd says it is
// gone or when it could not be renewed within its TTL (then it may have expired: fencing
// must assume it did).
#pragma once

#include "etcd_client.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pct::cluster {

struct LeaseState {
    using Clock = std::chrono::steady_clock;
    LeaseState(std::int64_t lease_id, std::chrono::seconds lease_ttl)
        : id(lease_id), ttl(lease_ttl), m_renewed(Clock::now().time_since_epoch().count()) {}
    const std::int64_t id;
    const std::chrono::seconds ttl;
    std::atomic<bool> lost{false};

    /// The last confirmed renewal (the grant, at first).
    [[nodiscard]] Clock::time_point renewed() const {
        return Clock::time_point(Clock::duration(m_renewed.load()));
    }
    void set_renewed(Clock::time_point at) { m_renewed = at.time_since_epoch().count(); }
    /// Not lost, and renewed within its TTL (past that, etcd may have let it expire).
    [[nodiscard]] bool alive() const { return !lost && Clock::now() - renewed() < ttl; }

  private:
    std::atomic<Clock::rep> m_renewed;
};

class LeaseKeeper {
  public:
    LeaseKeeper(std::vector<std::string> endpoints, EtcdClientOptions options);
    LeaseKeeper(const LeaseKeeper&) = delete;
    LeaseKeeper& operator=(const LeaseKeeper&) = delete;
    ~LeaseKeeper();

    void add(std::shared_ptr<LeaseState> lease);
    void remove(std::int64_t lease_id);

  private:
    void run();
    void renew(LeaseState& lease);

    EtcdClient m_client; // the keeper thread's own
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<std::shared_ptr<LeaseState>> m_leases;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace pct::cluster

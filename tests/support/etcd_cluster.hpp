// SPDX-License-Identifier: AGPL-3.0-or-later
// Test fixture: a throw-away 3-member etcd cluster on 127.0.0.1 for one test, started with
// scripts/cluster on free ports and killed (SIGKILL) by the destructor, also when the test
// fails; if the test process itself is killed, a watchdog process it forked stops the cluster.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace pct::test {

class EtcdCluster {
  public:
    /// Why a cluster cannot run here ("SKIP: ..."), or nothing when it can.
    [[nodiscard]] static std::optional<std::string> unavailable();

    /// Starts the cluster; throws std::runtime_error when it does not become ready.
    EtcdCluster();
    EtcdCluster(const EtcdCluster&) = delete;
    EtcdCluster& operator=(const EtcdCluster&) = delete;
    ~EtcdCluster();

    /// "127.0.0.1:P0,127.0.0.1:P1,127.0.0.1:P2".
    [[nodiscard]] const std::string& endpoints() const { return m_endpoints; }
    /// The client endpoint of member `i` (0..2).
    [[nodiscard]] std::string endpoint(int i) const;
    [[nodiscard]] pid_t member_pid(int i) const;
    /// The member that is leader now (asked through the gateway), or -1.
    [[nodiscard]] int leader() const;
    /// SIGKILL of member `i`, returning once it is gone (or a zombie).
    void kill_member(int i);
    /// Starts member `i` again (after kill_member) with its data.
    void restart_member(int i);

  private:
    void stop();
    std::string m_dir;
    int m_base_port = 0;
    std::string m_endpoints;
    pid_t m_watchdog = -1;
    int m_watchdog_pipe = -1;
};

} // namespace pct::test

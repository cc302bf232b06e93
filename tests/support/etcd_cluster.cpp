// SPDX-License-Identifier: AGPL-3.0-or-later
#include "etcd_cluster.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace pct::test {

namespace {

const std::string script = std::string(PCT_SOURCE_DIR) + "/scripts/cluster";

bool in_path(const char* tool) {
    std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

bool port_free(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

// A base port whose six ports (client and peer of three members) are free now.
int free_base_port() {
    std::mt19937 random(static_cast<unsigned>(getpid()) ^ std::random_device()());
    for (int tries = 0; tries < 200; ++tries) {
        int base = 30000 + static_cast<int>(random() % 3000) * 10;
        bool ok = true;
        for (int i = 0; i < 3 && ok; ++i)
            ok = port_free(base + 10 * i) && port_free(base + 10 * i + 1);
        if (ok)
            return base;
    }
    throw std::runtime_error("no free ports for an etcd cluster");
}

std::string run(const std::string& cmd, int* status = nullptr) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        throw std::runtime_error("popen failed: " + cmd);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int rc = pclose(p);
    if (status)
        *status = rc;
    return out;
}

} // namespace

std::optional<std::string> EtcdCluster::unavailable() {
    if (!in_path("etcd"))
        return "SKIP: etcd is not installed (apt-get install etcd-server)";
    if (!in_path("curl"))
        return "SKIP: curl is not installed";
    return std::nullopt;
}

EtcdCluster::EtcdCluster() {
    char dir[] = "/tmp/pct-etcd.XXXXXX";
    if (!mkdtemp(dir))
        throw std::runtime_error("mkdtemp failed");
    m_dir = dir;
    // The watchdog: blocks on a pipe only this process writes; when this process dies (even
    // by SIGKILL) the read returns and the watchdog stops the cluster.
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[1]);
        char c;
        while (read(fds[0], &c, 1) < 0 && errno == EINTR) {
        }
        execl("/bin/bash", "bash", script.c_str(), "stop", m_dir.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[0]);
    m_watchdog = pid;
    m_watchdog_pipe = fds[1];

    for (int attempt = 0; attempt < 3; ++attempt) {
        m_base_port = free_base_port();
        int status = 0;
        std::string out = run("PCT_ETCD_LOGLEVEL=error bash " + script + " start " + m_dir + " " +
                                  std::to_string(m_base_port) + " 2>/dev/null",
                              &status);
        auto at = out.find("PCT_ETCD_ENDPOINTS=");
        if (status == 0 && at != std::string::npos) {
            m_endpoints = out.substr(at + 19);
            while (!m_endpoints.empty() && m_endpoints.back() == '\n')
                m_endpoints.pop_back();
            return;
        }
        mkdir(m_dir.c_str(), 0700); // the failed start removed it
    }
    stop();
    throw std::runtime_error("the etcd cluster did not start");
}

EtcdCluster::~EtcdCluster() { stop(); }

void EtcdCluster::stop() {
    if (m_dir.empty())
        return;
    (void)run("bash " + script + " stop " + m_dir + " 2>&1");
    if (m_watchdog_pipe >= 0)
        close(m_watchdog_pipe);
    if (m_watchdog > 0)
        waitpid(m_watchdog, nullptr, 0);
    m_dir.clear();
}

std::string EtcdCluster::endpoint(int i) const {
    return "127.0.0.1:" + std::to_string(m_base_port + 10 * i);
}

pid_t EtcdCluster::member_pid(int i) const {
    std::ifstream in(m_dir + "/n" + std::to_string(i) + ".pid");
    pid_t pid = -1;
    in >> pid;
    return pid;
}

int EtcdCluster::leader() const {
    // maintenance/status answers member_id and leader as strings (jq would round them).
    for (int i = 0; i < 3; ++i) {
        std::string out = run("curl -fsS -m 1 -X POST http://" + endpoint(i) +
                              "/v3/maintenance/status -d '{}' 2>/dev/null");
        auto field = [&](const std::string& name) {
            auto at = out.find("\"" + name + "\":\"");
            if (at == std::string::npos)
                return std::string();
            at += name.size() + 4;
            return out.substr(at, out.find('"', at) - at);
        };
        std::string member = field("member_id"), leader = field("leader");
        if (!member.empty() && member == leader)
            return i;
    }
    return -1;
}

void EtcdCluster::kill_member(int i) {
    pid_t pid = member_pid(i);
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    std::string status = "/proc/" + std::to_string(pid) + "/status";
    for (;;) {
        std::ifstream in(status);
        if (!in)
            return;
        std::string line;
        bool zombie = false;
        while (std::getline(in, line))
            if (line.starts_with("State:"))
                zombie = line.find('Z') != std::string::npos;
        if (zombie)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void EtcdCluster::restart_member(int i) {
    (void)run("PCT_ETCD_LOGLEVEL=error bash " + script + " restart " + m_dir + " " +
              std::to_string(m_base_port) + " " + std::to_string(i));
}

} // namespace pct::test

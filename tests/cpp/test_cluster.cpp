// SPDX-License-Identifier: AGPL-3.0-or-later
// The cluster store on a real 3-member etcd (issue 13's acceptance 1 and 2): CTIDs and
// configs, 8 processes on 3 nodes allocating 300 CTIDs while the leader is killed, fast
// failure without quorum, locks that die with their holder and fence it.
#include "etcd_cluster.hpp"
#include "temp_dir.hpp"

#include <pct/cluster/cluster_store.hpp>
#include <pct/parse/config.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace pct::cluster;
using pct::Errc;
using pct::test::EtcdCluster;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

#define SKIP_WITHOUT_ETCD()                                                                        \
    if (auto why = EtcdCluster::unavailable()) {                                                   \
        std::cout << *why << "\n";                                                                 \
        return;                                                                                    \
    }

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::unique_ptr<ClusterStore> open_store(const EtcdCluster& c, const char* prefix,
                                         const char* node) {
    auto store = ClusterStore::open(c.endpoints(), prefix, node);
    REQUIRE_MESSAGE(store.has_value(), pct::to_string(store.error()));
    return std::move(*store);
}

/// A pct-cluster-worker process, SIGKILLed and reaped when the test ends (also on failure).
class Worker {
  public:
    explicit Worker(std::vector<std::string> args) {
        int in[2], out[2];
        REQUIRE(pipe2(in, O_CLOEXEC) == 0);
        REQUIRE(pipe2(out, O_CLOEXEC) == 0);
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            std::vector<char*> argv;
            static std::string exe = PCT_CLUSTER_WORKER;
            argv.push_back(exe.data());
            for (auto& a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(exe.c_str(), argv.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        m_stdin = in[1];
        m_stdout = fdopen(out[0], "r");
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;
    ~Worker() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
        close(m_stdin);
        if (m_stdout)
            fclose(m_stdout);
    }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    /// One line of its stdout ("" at its end).
    std::string line() {
        char buf[512];
        if (!fgets(buf, sizeof buf, m_stdout))
            return {};
        std::string s(buf);
        if (!s.empty() && s.back() == '\n')
            s.pop_back();
        return s;
    }
    void send_line() { REQUIRE(write(m_stdin, "\n", 1) == 1); }
    /// Its exit status, waiting at most `limit`; -1 if still running then.
    int wait(std::chrono::milliseconds limit) {
        auto until = Clock::now() + limit;
        while (Clock::now() < until) {
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
            }
            std::this_thread::sleep_for(20ms);
        }
        return -1;
    }

  private:
    pid_t m_pid = -1;
    int m_stdin = -1;
    FILE* m_stdout = nullptr;
};

std::vector<std::string> lines_of(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    for (std::string l; std::getline(in, l);)
        if (!l.empty())
            out.push_back(l);
    return out;
}

} // namespace

TEST_CASE("cluster: CTIDs configs digests and nodes on one cluster") {
    SKIP_WITHOUT_ETCD();
    EtcdCluster c;
    auto n1 = open_store(c, "/t/", "n1");
    auto n2 = open_store(c, "/t/", "n2");

    CHECK(n1->allocate_ctid("a: 1\n") == 100u);
    CHECK(n1->allocate_ctid("a: 2\n") == 101u);
    REQUIRE(n1->claim_ctid(105, "a: 5\n").has_value());
    auto taken = n2->claim_ctid(101, "b\n");
    REQUIRE_FALSE(taken.has_value());
    CHECK(taken.error().code == Errc::already_exists);
    CHECK(taken.error().message == "CT 101 already exists (on node n1)");
    CHECK(n2->allocate_ctid("c\n") == 102u);
    CHECK(n2->claim_ctid(99, "x\n").error().code == Errc::invalid_argument);

    // The config: exact bytes, Proxmox's digest, compare-and-swap on the revision.
    auto read = n1->read_config(100);
    REQUIRE(read.has_value());
    CHECK(read->bytes == "a: 1\n");
    CHECK(read->digest == pct::parse::sha1_hex("a: 1\n"));
    auto rev = n2->write_config(100, "a: 1\nb: 2\n", {.revision = read->revision});
    REQUIRE(rev.has_value());
    CHECK(*rev > read->revision);
    auto stale = n1->write_config(100, "lost\n", {.revision = read->revision});
    REQUIRE_FALSE(stale.has_value());
    CHECK(stale.error().code == Errc::digest_mismatch);
    CHECK(stale.error().message ==
          "detected modified configuration - file changed by other user? Try again.");
    CHECK(n1->read_config(100)->bytes == "a: 1\nb: 2\n");
    // `pct set --digest`: the digest the user read, not a revision.
    CHECK(n1->write_config(100, "x\n", {.digest = read->digest}).error().code ==
          Errc::digest_mismatch);
    auto by_digest = pct::Digest::from_hex(pct::parse::sha1_hex("a: 1\nb: 2\n"));
    REQUIRE(n1->write_config(100, "c: 3\n", {.digest = by_digest}).has_value());
    CHECK(n1->read_config(100)->bytes == "c: 3\n");
    CHECK(n1->write_config(100, "x\n", {}).error().code == Errc::invalid_argument);
    CHECK(n1->read_config(999).error().code == Errc::not_found);
    CHECK(n1->write_config(999, "x\n", {.revision = 5}).error().code == Errc::not_found);

    // The list with each CT's node; remove frees the id for the next allocation.
    auto all = n2->list();
    REQUIRE(all.has_value());
    CHECK(*all == std::vector<ClusterCt>{{100, "n1"}, {101, "n1"}, {102, "n2"}, {105, "n1"}});
    REQUIRE(n1->remove(101).has_value());
    CHECK(n1->remove(101).error().code == Errc::not_found);
    CHECK(n1->read_config(101).error().code == Errc::not_found);
    CHECK(n2->allocate_ctid("again\n") == 101u);
    CHECK(n1->read_config(101)->bytes == "again\n");
    CHECK(n1->allocate_ctid("d\n") == 103u);

    // Holes below a store's hint are found (a count, then a binary search on counts).
    auto n3 = open_store(c, "/holes/", "n3");
    for (std::uint32_t id = 100; id < 160; ++id)
        REQUIRE(n3->claim_ctid(id, "x\n").has_value());
    CHECK(n3->allocate_ctid("y\n") == 160u);
    REQUIRE(n3->remove(137).has_value());
    REQUIRE(n3->remove(120).has_value());
    REQUIRE(n3->remove(100).has_value());
    CHECK(n3->allocate_ctid("y\n") == 100u);
    CHECK(n3->allocate_ctid("y\n") == 120u);
    CHECK(n3->allocate_ctid("y\n") == 137u);
    CHECK(n3->allocate_ctid("y\n") == 161u);
    // A new store starts from the count of the taken ids.
    auto n4 = open_store(c, "/holes/", "n4");
    CHECK(n4->allocate_ctid("z\n") == 162u);
    n3.reset();
    n4.reset();

    // Node liveness: the node key lives with its store.
    CHECK(n1->nodes() == std::vector<std::string>{"n1", "n2"});
    n2.reset();
    CHECK(n1->nodes() == std::vector<std::string>{"n1"});

    // Bad arguments are refused before anything is sent.
    CHECK(ClusterStore::open(c.endpoints(), "/t/", "a/b").error().code == Errc::invalid_argument);
    CHECK(ClusterStore::open("", "/t/", "n3").error().code == Errc::invalid_argument);
    CHECK(ClusterStore::open(c.endpoints(), "t", "n3").error().code == Errc::invalid_argument);
    CHECK(n1->acquire(100, "bad\nop").error().code == Errc::invalid_argument);
}

TEST_CASE("cluster: 8 processes on 3 nodes allocate 300 CTIDs while the leader is killed") {
    SKIP_WITHOUT_ETCD();
    EtcdCluster c;
    pct::test::TempDir dir("pct-cluster-alloc");
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::string> files;
    for (int w = 0; w < 8; ++w) {
        files.push_back(dir.sub("w" + std::to_string(w)));
        int count = 37 + (w < 4 ? 1 : 0); // 4 x 38 + 4 x 37 = 300
        workers.push_back(std::make_unique<Worker>(
            std::vector<std::string>{"alloc", c.endpoints(), "/a/", "host" + std::to_string(w % 3),
                                     std::to_string(count), files.back()}));
    }
    auto acked = [&] {
        std::size_t n = 0;
        for (auto& f : files)
            n += lines_of(f).size();
        return n;
    };
    // Kill the leader once a third is done.
    auto t0 = Clock::now();
    while (acked() < 100 && Clock::now() - t0 < 30s)
        std::this_thread::sleep_for(10ms);
    int leader = c.leader();
    REQUIRE(leader >= 0);
    c.kill_member(leader);
    std::size_t at_kill = acked();
    MESSAGE("killed leader n" << leader << " after " << at_kill << " acknowledged allocations");
    CHECK(at_kill < 300);
    for (auto& w : workers)
        CHECK(w->wait(45s) == 0);

    // 0 duplicates, the lowest free ids (racers that lost take one of the next 8 free ids, so
    // the last ones may leave a hole, which the next allocation fills), no writer stalled 3 s.
    std::vector<std::uint32_t> ids;
    double worst = 0;
    for (auto& f : files) {
        double previous_end = 0;
        for (auto& l : lines_of(f)) {
            std::istringstream in(l);
            std::uint32_t id = 0;
            double start = 0, took = 0;
            in >> id >> start >> took;
            ids.push_back(id);
            worst = std::max(worst, start + took - previous_end);
            previous_end = start + took;
        }
    }
    std::ranges::sort(ids);
    CHECK(ids.size() == 300);
    CHECK(std::ranges::adjacent_find(ids) == ids.end());
    CHECK(ids.front() >= 100u);
    CHECK(ids.back() < 100u + 300u + 8u * 8u);
    MESSAGE("longest wait between two acknowledged allocations of one writer: " << worst << " ms");
    CHECK(worst < 3000);

    // 0 lost, 0 leaked: the surviving members hold exactly the acknowledged ids, each with
    // its config.
    auto store = open_store(c, "/a/", "checker");
    auto all = store->list();
    REQUIRE(all.has_value());
    std::vector<std::uint32_t> stored;
    for (auto& ct : *all) {
        stored.push_back(ct.ctid);
        CHECK(ct.node.starts_with("host"));
        auto config = store->read_config(ct.ctid);
        REQUIRE(config.has_value());
        CHECK(config->bytes.starts_with("arch: amd64\nhostname: " + ct.node + "-"));
    }
    CHECK(stored == ids);
    // The next allocation takes the lowest id nobody has.
    std::uint32_t lowest = 100;
    for (std::uint32_t id : ids)
        if (id == lowest)
            ++lowest;
    CHECK(store->allocate_ctid("arch: amd64\n") == lowest);
}

TEST_CASE("cluster: without quorum every write fails within 1 s and writes nothing") {
    SKIP_WITHOUT_ETCD();
    EtcdCluster c;
    auto store = open_store(c, "/q/", "n1");
    REQUIRE(store->claim_ctid(100, "memory: 512\n").has_value());
    auto before = store->read_config(100);
    REQUIRE(before.has_value());

    c.kill_member(0);
    c.kill_member(1);
    // The survivor notices the lost leader after an election timeout (1 s).
    std::this_thread::sleep_for(2500ms);

    auto no_quorum_fast = [&](const char* what, auto&& op) {
        auto t0 = Clock::now();
        auto result = op();
        double took = ms_since(t0);
        INFO(what << " took " << took << " ms");
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().code == Errc::no_quorum);
        CHECK(result.error().message.starts_with("no quorum"));
        CHECK(took < 1000);
    };
    no_quorum_fast("allocate", [&] { return store->allocate_ctid("x\n"); });
    no_quorum_fast("claim", [&] { return store->claim_ctid(200, "x\n"); });
    no_quorum_fast("write", [&] {
        return store->write_config(100, "memory: 1024\n", {.revision = before->revision});
    });
    no_quorum_fast("remove", [&] { return store->remove(100); });
    no_quorum_fast("acquire", [&] { return store->acquire(100, "backup"); });
    no_quorum_fast("open", [&] { return ClusterStore::open(c.endpoints(), "/q/", "n2"); });

    // Quorum back: nothing of the refused writes is there.
    c.restart_member(0);
    auto t0 = Clock::now();
    auto after = store->read_config(100);
    while (!after && Clock::now() - t0 < 15s) {
        std::this_thread::sleep_for(100ms);
        after = store->read_config(100);
    }
    REQUIRE(after.has_value());
    CHECK(*after == *before);
    CHECK(store->list() == std::vector<ClusterCt>{{100, "n1"}});
    CHECK(store->acquire(100, "backup").has_value());
}

TEST_CASE("cluster: a killed lock holder's lease expires and nobody writes meanwhile") {
    SKIP_WITHOUT_ETCD();
    EtcdCluster c;
    auto n2 = open_store(c, "/l/", "n2");
    REQUIRE(n2->claim_ctid(100, "memory: 512\n").has_value());
    Worker holder({"lock", c.endpoints(), "/l/", "n1", "100", "2"});
    std::string locked = holder.line();
    REQUIRE(locked.starts_with("locked "));

    auto busy = n2->acquire(100, "migrate");
    REQUIRE_FALSE(busy.has_value());
    CHECK(busy.error().code == Errc::bad_state);
    CHECK(busy.error().message == "CT 100 is locked (create on node n1)");
    auto rev = n2->read_config(100)->revision;
    auto write = n2->write_config(100, "memory: 1024\n", {.revision = rev});
    REQUIRE_FALSE(write.has_value());
    CHECK(write.error().message == "CT 100 is locked (create on node n1)");
    CHECK(n2->remove(100).error().code == Errc::bad_state);

    // The host dies: its lease (TTL 2 s) outlives it for a while, and so does the lock.
    kill(holder.pid(), SIGKILL);
    auto killed = Clock::now();
    CHECK(n2->write_config(100, "memory: 1024\n", {.revision = rev}).error().code ==
          Errc::bad_state);
    auto taken = n2->acquire(100, "migrate", 3s);
    while (!taken && taken.error().code == Errc::bad_state && Clock::now() - killed < 10s) {
        std::this_thread::sleep_for(50ms);
        taken = n2->acquire(100, "migrate", 3s);
    }
    double after = ms_since(killed);
    MESSAGE("lock of the killed holder gone after " << after << " ms (TTL 2 s)");
    REQUIRE(taken.has_value());
    CHECK(after > 1000); // renewed every ttl/3: at least 2/3 of the TTL remained
    CHECK(after < 4000); // TTL + the gateway's lease check
    auto lock = std::move(*taken);
    CHECK(lock->held());
    CHECK(n2->read_config(100)->revision == rev); // nothing written meanwhile
    // With the lock as guard the write passes; without it, not even its holder's node writes.
    CHECK(n2->write_config(100, "memory: 2048\n", {.revision = rev}).error().code ==
          Errc::bad_state);
    REQUIRE(n2->write_config(100, "memory: 2048\n", {.revision = rev}, lock.get()).has_value());
    REQUIRE(lock->release().has_value());
    CHECK_FALSE(lock->held());
    CHECK(n2->acquire(100, "backup").has_value());
}

TEST_CASE("cluster: a paused holder whose lease expired cannot write with its lock") {
    SKIP_WITHOUT_ETCD();
    EtcdCluster c;
    auto n2 = open_store(c, "/f/", "n2");
    REQUIRE(n2->claim_ctid(100, "memory: 512\n").has_value());
    Worker holder({"lock", c.endpoints(), "/f/", "n1", "100", "2"});
    REQUIRE(holder.line().starts_with("locked "));
    // A stopped process renews nothing (a VM paused, a host swapping): its lease expires.
    kill(holder.pid(), SIGSTOP);
    auto t0 = Clock::now();
    auto taken = n2->acquire(100, "migrate");
    while (!taken && Clock::now() - t0 < 10s) {
        std::this_thread::sleep_for(50ms);
        taken = n2->acquire(100, "migrate");
    }
    REQUIRE(taken.has_value());
    kill(holder.pid(), SIGCONT);
    holder.send_line();
    CHECK(holder.line() == "write bad_state");
    CHECK(n2->read_config(100)->bytes == "memory: 512\n");
}

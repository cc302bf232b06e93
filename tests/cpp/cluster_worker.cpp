// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-cluster-worker: one "host" process of the cluster tests (test_cluster.cpp).
//   alloc ENDPOINTS PREFIX NODE COUNT OUT   allocates COUNT CTIDs; after each one appends
//                                           "CTID START_MS DURATION_MS" to OUT (the ack)
//   lock ENDPOINTS PREFIX NODE CTID TTL     takes CTID's lock, prints "locked FENCE", waits for
//                                           a line on stdin, then tries a guarded config
//                                           write and prints "write ok" or "write <errc>"
#include <pct/cluster/cluster_store.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>

using namespace pct::cluster;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

int alloc(const char* endpoints, const char* prefix, const char* node, int count, const char* out) {
    auto store = ClusterStore::open(endpoints, prefix, node);
    if (!store) {
        std::cerr << "open: " << pct::to_string(store.error()) << "\n";
        return 1;
    }
    FILE* acks = std::fopen(out, "a");
    if (!acks)
        return 1;
    const auto t0 = Clock::now();
    for (int i = 0; i < count;) {
        const auto start = Clock::now();
        std::string config = "arch: amd64\nhostname: " + std::string(node) + "-" +
                             std::to_string(getpid()) + "-" + std::to_string(i) + "\n";
        auto id = (*store)->allocate_ctid(config);
        if (!id) {
            // Nothing was taken (the store resolves unknown outcomes): try again.
            std::cerr << node << ": " << pct::to_string(id.error()) << "\n";
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        std::fprintf(acks, "%u %.1f %.1f\n", *id,
                     std::chrono::duration<double, std::milli>(start - t0).count(),
                     ms_since(start));
        std::fflush(acks);
        ++i;
    }
    std::fclose(acks);
    return 0;
}

int lock(const char* endpoints, const char* prefix, const char* node, std::uint32_t ctid, int ttl) {
    auto store = ClusterStore::open(endpoints, prefix, node);
    if (!store) {
        std::cerr << "open: " << pct::to_string(store.error()) << "\n";
        return 1;
    }
    auto held = (*store)->acquire(ctid, "create", std::chrono::seconds(ttl));
    if (!held) {
        std::cout << "lock " << pct::errc_name(held.error().code) << std::endl;
        return 1;
    }
    std::cout << "locked " << (*held)->fence() << std::endl;
    std::string line;
    std::getline(std::cin, line);
    auto current = (*store)->read_config(ctid);
    if (!current) {
        std::cout << "read " << pct::errc_name(current.error().code) << std::endl;
        return 1;
    }
    auto wrote = (*store)->write_config(ctid, current->bytes + "memory: 1024\n",
                                        {.revision = current->revision}, held->get());
    std::cout << "write " << (wrote ? "ok" : pct::errc_name(wrote.error().code)) << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "alloc" && argc == 7)
        return alloc(argv[2], argv[3], argv[4], std::atoi(argv[5]), argv[6]);
    if (mode == "lock" && argc == 7)
        return lock(argv[2], argv[3], argv[4], static_cast<std::uint32_t>(std::atoi(argv[5])),
                    std::atoi(argv[6]));
    std::cerr << "usage: pct-cluster-worker alloc|lock ...\n";
    return 2;
}

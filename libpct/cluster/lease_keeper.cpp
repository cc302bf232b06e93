// SPDX-License-Identifier: AGPL-3.0-or-later
#include "lease_keeper.hpp"

#include <algorithm>

namespace pct::cluster {

LeaseKeeper::LeaseKeeper(std::vector<std::string> endpoints, EtcdClientOptions options)
    : m_client(std::move(endpoints), options), m_thread([this] { run(); }) {}

LeaseKeeper::~LeaseKeeper() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void LeaseKeeper::add(std::shared_ptr<LeaseState> lease) {
    {
        std::lock_guard lock(m_mutex);
        m_leases.push_back(std::move(lease));
    }
    m_wake.notify_all();
}

void LeaseKeeper::remove(std::int64_t lease_id) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_leases, [&](const auto& l) { return l->id == lease_id; });
}

void LeaseKeeper::renew(LeaseState& lease) {
    Json request;
    request["ID"] = std::to_string(lease.id);
    // One POST renews once (spec §2c); the reply is {"result":{..., "TTL":"n"}}, without TTL
    // when the lease is gone.
    auto reply = m_client.call("/v3/lease/keepalive", request, true);
    const auto now = LeaseState::Clock::now();
    if (reply) {
        const Json& result = (*reply)["result"];
        if (json_int(result, "TTL") > 0)
            lease.set_renewed(now);
        else
            lease.lost = true;
    }
    if (now - lease.renewed() >= lease.ttl)
        lease.lost = true;
}

void LeaseKeeper::run() {
    using namespace std::chrono_literals;
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        // Renew every lease whose third of a TTL since the last renewal has passed.
        auto next = LeaseState::Clock::now() + 1s;
        std::vector<std::shared_ptr<LeaseState>> due;
        for (const auto& l : m_leases) {
            if (l->lost)
                continue;
            auto at = l->renewed() + l->ttl / 3;
            if (at <= LeaseState::Clock::now())
                due.push_back(l);
            else
                next = std::min(next, at);
        }
        if (!due.empty()) {
            lock.unlock();
            for (const auto& l : due)
                renew(*l);
            lock.lock();
            // A failed renewal is tried again soon, not a third of a TTL later.
            bool failed = std::ranges::any_of(due, [](const auto& l) {
                return !l->lost && LeaseState::Clock::now() - l->renewed() > l->ttl / 3;
            });
            if (failed)
                m_wake.wait_for(lock, 100ms, [&] { return m_stop; });
            continue;
        }
        m_wake.wait_until(lock, next, [&] { return m_stop; });
    }
}

} // namespace pct::cluster

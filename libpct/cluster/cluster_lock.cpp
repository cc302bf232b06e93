// SPDX-License-Identifier: AGPL-3.0-or-later
// Operation locks on leases (spec §2c, §6): the lock key lives on its own lease, renewed by
// the store's keeper; its create revision is the fence of guarded writes.
#include "cluster_store_impl.hpp"

#include <ctime>
#include <unistd.h>

namespace pct::cluster {

Result<std::unique_ptr<ClusterLock>> ClusterStore::acquire(std::uint32_t ctid, std::string_view op,
                                                           std::chrono::seconds ttl) {
    if (auto ok = check_ctid(ctid); !ok)
        return std::unexpected(std::move(ok).error());
    if (ttl.count() < 2)
        return fail(Errc::invalid_argument, "a lock's TTL must be at least 2 s");
    if (op.empty() || op.find_first_of("\n\r\"\\") != std::string_view::npos)
        return fail(Errc::invalid_argument, "invalid lock operation '" + std::string(op) + "'");
    Impl& s = *m_impl;
    Json grant;
    grant["TTL"] = std::to_string(ttl.count());
    auto granted = s.call("/v3/lease/grant", grant);
    if (!granted)
        return std::unexpected(std::move(granted).error().error);
    const std::int64_t lease = json_int(*granted, "ID");
    auto revoke = [&] {
        Json r;
        r["ID"] = std::to_string(lease);
        (void)s.call("/v3/lease/revoke", r, true);
    };

    const std::string key = s.lock_key(ctid);
    Json value;
    value["node"] = s.node;
    value["pid"] = static_cast<int>(getpid());
    value["op"] = std::string(op);
    value["since"] = static_cast<std::int64_t>(std::time(nullptr));
    Json request =
        txn(Json::array({compare_create(key, 0)}), Json::array({put_op(key, value.dump(), lease)}),
            Json::array({range_op(key)}));
    int unknown = 0;
    for (;;) {
        auto reply = s.call("/v3/kv/txn", request);
        if (!reply) {
            if (!reply.error().unknown_outcome || ++unknown > max_unknown_outcomes) {
                revoke(); // whatever was written goes with the lease
                return std::unexpected(std::move(reply).error().error);
            }
            continue;
        }
        std::int64_t fence = 0;
        if (reply->value("succeeded", false)) {
            fence = json_int((*reply)["header"], "revision");
        } else if (const Json* held = range_kv(*reply, 0);
                   held && json_int(*held, "lease") == lease) {
            fence = json_int(*held, "create_revision"); // our earlier attempt committed
        } else {
            revoke();
            std::string holder = held ? kv_value(*held) : std::string();
            return fail(Errc::bad_state,
                        "CT " + std::to_string(ctid) + " is locked (" + json_field(holder, "op") +
                            " on node " + json_field(holder, "node") + ")",
                        {.context = key, .key = "lock"});
        }
        auto state = std::make_shared<ClusterLock::State>();
        state->lease = std::make_shared<LeaseState>(lease, ttl);
        s.keeper.add(state->lease);
        return std::unique_ptr<ClusterLock>(new ClusterLock(m_impl, std::move(state), ctid, fence));
    }
}

ClusterLock::ClusterLock(std::shared_ptr<ClusterStore::Impl> store, std::shared_ptr<State> state,
                         std::uint32_t ctid, std::int64_t fence)
    : m_store(std::move(store)), m_state(std::move(state)), m_ctid(ctid), m_fence(fence) {}

ClusterLock::~ClusterLock() { (void)release(); }

bool ClusterLock::held() const { return m_state && m_state->lease->alive(); }

Result<void> ClusterLock::release() {
    if (!m_state)
        return {};
    auto state = std::move(m_state);
    m_store->keeper.remove(state->lease->id);
    // Revoking the lease deletes the key attached to it, and only that one: a key another
    // holder created after our lease expired stays.
    Json revoke;
    revoke["ID"] = std::to_string(state->lease->id);
    auto reply = m_store->call("/v3/lease/revoke", revoke, true);
    if (!reply && reply.error().error.code != Errc::not_found)
        return std::unexpected(std::move(reply).error().error);
    return {};
}

} // namespace pct::cluster

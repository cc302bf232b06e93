// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "cluster": pct::cluster::ClusterStore (the cluster store on etcd).
#include "guard.hpp"
#include "handles.hpp"

#include <pct/cluster/cluster_store.hpp>

#include <memory>

struct pct_cluster {
    std::unique_ptr<pct::cluster::ClusterStore> store;
};

struct pct_cluster_lock {
    std::unique_ptr<pct::cluster::ClusterLock> lock;
};

struct pct_cluster_cts {
    std::vector<pct::cluster::ClusterCt> items;
};

using namespace pct::capi;

namespace {

const pct::cluster::ClusterLock* guard_of(const pct_cluster_lock* lock) {
    return lock ? lock->lock.get() : nullptr;
}

} // namespace

extern "C" {

int pct_cluster_open(pct_cluster** out, const char* endpoints, const char* prefix,
                     const char* node) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"endpoints", endpoints}, {"node", node}}); rc != PCT_OK)
            return rc;
        auto store = pct::cluster::ClusterStore::open(endpoints, prefix ? prefix : "", node);
        if (!store)
            return set_error(store.error());
        *out = new pct_cluster{std::move(*store)};
        return PCT_OK;
    });
}

void pct_cluster_free(pct_cluster* cluster) noexcept {
    guard([&] {
        delete cluster;
        return PCT_OK;
    });
}

int pct_cluster_allocate_ctid(uint32_t* ctid_out, pct_cluster* cluster,
                              const char* initial_config) noexcept {
    return guard([&] {
        if (int rc = require_out(ctid_out, "ctid_out",
                                 {{"cluster", cluster}, {"initial_config", initial_config}});
            rc != PCT_OK)
            return rc;
        return deliver(ctid_out, cluster->store->allocate_ctid(initial_config));
    });
}

int pct_cluster_claim_ctid(pct_cluster* cluster, uint32_t ctid,
                           const char* initial_config) noexcept {
    return guard([&] {
        if (int rc = require({{"cluster", cluster}, {"initial_config", initial_config}});
            rc != PCT_OK)
            return rc;
        return status(cluster->store->claim_ctid(ctid, initial_config));
    });
}

int pct_cluster_read_config(char** bytes_out, char** digest_out, int64_t* revision_out,
                            pct_cluster* cluster, uint32_t ctid) noexcept {
    return guard([&] {
        if (digest_out)
            *digest_out = nullptr;
        if (revision_out)
            *revision_out = 0;
        if (int rc = require_out(bytes_out, "bytes_out", {{"cluster", cluster}}); rc != PCT_OK)
            return rc;
        auto read = cluster->store->read_config(ctid);
        if (!read)
            return set_error(read.error());
        std::unique_ptr<char, void (*)(char*)> bytes(dup_string(read->bytes), pct_string_free);
        if (digest_out)
            *digest_out = dup_string(read->digest.str());
        if (revision_out)
            *revision_out = read->revision;
        *bytes_out = bytes.release();
        return PCT_OK;
    });
}

int pct_cluster_write_config(int64_t* revision_out, pct_cluster* cluster, uint32_t ctid,
                             const char* bytes, int64_t revision, const char* digest,
                             const pct_cluster_lock* guard_lock) noexcept {
    return guard([&] {
        if (revision_out)
            *revision_out = 0;
        if (int rc = require({{"cluster", cluster}, {"bytes", bytes}}); rc != PCT_OK)
            return rc;
        pct::cluster::WriteCheck check{.revision = revision,
                                       .digest = pct::Digest::from_hex(digest ? digest : "")};
        if (digest && revision == 0 && check.digest.empty())
            return set_error(pct::error(pct::Errc::invalid_argument,
                                        "invalid digest '" + std::string(digest) + "'",
                                        {.key = "digest"}));
        auto wrote = cluster->store->write_config(ctid, bytes, check, guard_of(guard_lock));
        if (!wrote)
            return set_error(wrote.error());
        if (revision_out)
            *revision_out = *wrote;
        return PCT_OK;
    });
}

int pct_cluster_remove(pct_cluster* cluster, uint32_t ctid,
                       const pct_cluster_lock* guard_lock) noexcept {
    return guard([&] {
        if (int rc = require({{"cluster", cluster}}); rc != PCT_OK)
            return rc;
        return status(cluster->store->remove(ctid, guard_of(guard_lock)));
    });
}

int pct_cluster_list(pct_cluster_cts** out, pct_cluster* cluster) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"cluster", cluster}}); rc != PCT_OK)
            return rc;
        auto all = cluster->store->list();
        if (!all)
            return set_error(all.error());
        *out = new pct_cluster_cts{std::move(*all)};
        return PCT_OK;
    });
}

size_t pct_cluster_cts_count(const pct_cluster_cts* cts) noexcept {
    return cts ? cts->items.size() : 0;
}

uint32_t pct_cluster_cts_ctid(const pct_cluster_cts* cts, size_t index) noexcept {
    if (!cts || index >= cts->items.size())
        return invalid_access<uint32_t>(0, "index out of range");
    return cts->items[index].ctid;
}

const char* pct_cluster_cts_node(const pct_cluster_cts* cts, size_t index) noexcept {
    if (!cts || index >= cts->items.size())
        return invalid_access<const char*>(nullptr, "index out of range");
    return cts->items[index].node.c_str();
}

void pct_cluster_cts_free(pct_cluster_cts* cts) noexcept { delete cts; }

int pct_cluster_nodes(pct_string_list** out, pct_cluster* cluster) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"cluster", cluster}}); rc != PCT_OK)
            return rc;
        auto names = cluster->store->nodes();
        if (!names)
            return set_error(names.error());
        *out = new pct_string_list{std::move(*names)};
        return PCT_OK;
    });
}

int pct_cluster_acquire(pct_cluster_lock** out, pct_cluster* cluster, uint32_t ctid,
                        const char* operation, uint32_t ttl_seconds) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"cluster", cluster}, {"operation", operation}});
            rc != PCT_OK)
            return rc;
        auto ttl = std::chrono::seconds(ttl_seconds ? ttl_seconds : 10);
        auto held = cluster->store->acquire(ctid, operation, ttl);
        if (!held)
            return set_error(held.error());
        *out = new pct_cluster_lock{std::move(*held)};
        return PCT_OK;
    });
}

int pct_cluster_lock_held(const pct_cluster_lock* lock) noexcept {
    return lock && lock->lock->held() ? 1 : 0;
}

int64_t pct_cluster_lock_fence(const pct_cluster_lock* lock) noexcept {
    return lock ? lock->lock->fence() : 0;
}

void pct_cluster_lock_free(pct_cluster_lock* lock) noexcept {
    guard([&] {
        delete lock;
        return PCT_OK;
    });
}

} // extern "C"

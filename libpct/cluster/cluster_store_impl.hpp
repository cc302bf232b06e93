// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: ClusterStore's state, its key layout and the txn builders shared by its files.
#pragma once

#include "etcd_client.hpp"
#include "lease_keeper.hpp"

#include <pct/cluster/cluster_store.hpp>

#include <atomic>
#include <mutex>

namespace pct::cluster {

struct ClusterStore::Impl {
    Impl(std::vector<std::string> endpoints, std::string prefix, std::string node,
         const ClusterOptions& options);

    const std::string prefix; ///< ends with '/'
    const std::string node;
    const ClusterOptions options;

    /// One request on the shared client (calls from several threads are serialized).
    CallResult call(std::string_view path, const Json& request, bool idempotent = false);

    [[nodiscard]] std::string ctid_key(std::uint32_t ctid) const { return key("ctid/", ctid); }
    [[nodiscard]] std::string config_key(std::uint32_t ctid) const { return key("config/", ctid); }
    [[nodiscard]] std::string lock_key(std::uint32_t ctid) const { return key("lock/", ctid); }
    [[nodiscard]] std::string node_key(std::string_view name) const {
        return prefix + "node/" + std::string(name);
    }
    /// A value unique to one attempt of this process (the read-back token).
    [[nodiscard]] std::string new_token();

    std::mutex mutex; // guards client
    EtcdClient client;
    LeaseKeeper keeper;
    std::shared_ptr<LeaseState> node_lease;
    /// Where this store's next lowest-free search starts (the id after its last allocation;
    /// 0: not known yet). Only a hint: a count proves no gap lies below it.
    std::atomic<std::uint32_t> ctid_hint{0};

  private:
    [[nodiscard]] std::string key(const char* kind, std::uint32_t ctid) const;
    std::uint64_t m_token_seed = 0;
    std::uint64_t m_token_count = 0;
};

struct ClusterLock::State {
    std::shared_ptr<LeaseState> lease;
};

/// `Errc::invalid_argument` unless 100 <= ctid <= 999999999.
[[nodiscard]] Result<void> check_ctid(std::uint32_t ctid);

/// A write whose outcome stayed unknown this many times in a row is given up (with its error).
inline constexpr int max_unknown_outcomes = 10;

/// The decimal CTID of a `.../<%09d>` key; 0 when it is none.
[[nodiscard]] std::uint32_t ctid_of_key(std::string_view key);

// Txn pieces in the gateway's JSON (built with operator[]: nested brace-init is ambiguous in
// nlohmann-json and serialized an object as an array, spec §5).
[[nodiscard]] Json compare_create(const std::string& key, std::int64_t revision,
                                  const char* result = "EQUAL");
[[nodiscard]] Json compare_mod(const std::string& key, std::int64_t revision);
[[nodiscard]] Json put_op(const std::string& key, std::string_view value, std::int64_t lease = 0);
[[nodiscard]] Json delete_op(const std::string& key);
[[nodiscard]] Json range_op(const std::string& key, const std::string& range_end = {},
                            std::int64_t limit = 0, bool keys_only = false);
[[nodiscard]] Json txn(Json compares, Json success, Json failure);
/// The first kv of responses[index].response_range, or null.
[[nodiscard]] const Json* range_kv(const Json& txn_reply, std::size_t index);
/// The value of a kv, decoded.
[[nodiscard]] std::string kv_value(const Json& kv);
/// A field of a JSON text value ("" when absent or not JSON).
[[nodiscard]] std::string json_field(std::string_view json_text, const char* field);

} // namespace pct::cluster

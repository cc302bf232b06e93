// SPDX-License-Identifier: AGPL-3.0-or-later
// ClusterStore: opening, node liveness, configs and the CT list.
#include "cluster_store_impl.hpp"

#include <pct/parse/config.hpp>
#include <pct/storage/config_document.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <unistd.h>

namespace pct::cluster {

namespace {

constexpr std::string_view default_prefix = "/pct/v1/default/";

EtcdClientOptions client_options(const ClusterOptions& o) {
    return {.timeout = o.request_timeout,
            .connect_timeout = std::chrono::milliseconds(500),
            .no_leader_budget = o.no_quorum_after};
}

bool valid_node_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '_';
    });
}

Result<std::vector<std::string>> split_endpoints(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view one = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (one.starts_with("http://"))
            one.remove_prefix(7);
        if (one.empty() || one.find_first_of("/ \t\r\n") != std::string_view::npos)
            return fail(Errc::invalid_argument,
                        "invalid etcd endpoint '" + std::string(one) + "' (want host:port)");
        out.emplace_back(one);
    }
    if (out.empty())
        return fail(Errc::invalid_argument, "no etcd endpoint given");
    return out;
}

Error from_call(CallError e) { return std::move(e.error); }

} // namespace

Result<void> check_ctid(std::uint32_t ctid) {
    if (ctid < 100 || ctid > 999999999)
        return fail(Errc::invalid_argument,
                    "invalid CTID " + std::to_string(ctid) + " (100..999999999)");
    return {};
}

ClusterStore::Impl::Impl(std::vector<std::string> endpoints, std::string prefix_, std::string node_,
                         const ClusterOptions& options_)
    : prefix(std::move(prefix_)), node(std::move(node_)), options(options_),
      client(endpoints, client_options(options_)),
      keeper(endpoints, {.timeout = std::chrono::milliseconds(1000),
                         .connect_timeout = std::chrono::milliseconds(300),
                         .no_leader_budget = std::chrono::milliseconds(300)}) {
    std::random_device random;
    m_token_seed = (std::uint64_t(random()) << 32) ^ random();
}

CallResult ClusterStore::Impl::call(std::string_view path, const Json& request, bool idempotent) {
    std::lock_guard lock(mutex);
    return client.call(path, request, idempotent);
}

std::string ClusterStore::Impl::key(const char* kind, std::uint32_t ctid) const {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%09u", ctid);
    return prefix + kind + digits;
}

std::string ClusterStore::Impl::new_token() {
    std::lock_guard lock(mutex);
    char token[80];
    std::snprintf(token, sizeof token, "%d-%016llx-%llu", static_cast<int>(getpid()),
                  static_cast<unsigned long long>(m_token_seed),
                  static_cast<unsigned long long>(++m_token_count));
    return node + ":" + token;
}

Result<std::unique_ptr<ClusterStore>> ClusterStore::open(std::string_view endpoints,
                                                         std::string_view prefix,
                                                         std::string_view node,
                                                         const ClusterOptions& options) {
    auto list = split_endpoints(endpoints);
    if (!list)
        return std::unexpected(std::move(list).error());
    if (!valid_node_name(node))
        return fail(Errc::invalid_argument, "invalid node name '" + std::string(node) +
                                                "' (letters, digits, '.', '-', '_'; at most 64)");
    std::string p(prefix.empty() ? default_prefix : prefix);
    if (!p.starts_with('/') || p.find_first_of("\n\r") != std::string::npos)
        return fail(Errc::invalid_argument, "invalid cluster prefix '" + p + "' (want /...)");
    if (!p.ends_with('/'))
        p += '/';
    if (options.node_ttl.count() < 2)
        return fail(Errc::invalid_argument, "node_ttl below 2 s");

    auto impl = std::make_shared<Impl>(std::move(*list), std::move(p), std::string(node), options);
    // The node's lease: its key lives as long as this process keeps renewing it.
    Json grant;
    grant["TTL"] = std::to_string(options.node_ttl.count());
    auto granted = impl->call("/v3/lease/grant", grant);
    if (!granted)
        return std::unexpected(from_call(std::move(granted).error()));
    impl->node_lease = std::make_shared<LeaseState>(json_int(*granted, "ID"), options.node_ttl);
    Json value;
    value["node"] = impl->node;
    value["pid"] = static_cast<int>(getpid());
    value["started"] = static_cast<std::int64_t>(std::time(nullptr));
    Json put = put_op(impl->node_key(impl->node), value.dump(), impl->node_lease->id);
    auto registered = impl->call("/v3/kv/put", put["request_put"], true);
    if (!registered)
        return std::unexpected(from_call(std::move(registered).error()));
    impl->keeper.add(impl->node_lease);
    return std::unique_ptr<ClusterStore>(new ClusterStore(std::move(impl)));
}

ClusterStore::ClusterStore(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ClusterStore::~ClusterStore() {
    m_impl->keeper.remove(m_impl->node_lease->id);
    Json revoke;
    revoke["ID"] = std::to_string(m_impl->node_lease->id);
    (void)m_impl->call("/v3/lease/revoke", revoke, true);
}

const std::string& ClusterStore::node() const { return m_impl->node; }
const std::string& ClusterStore::prefix() const { return m_impl->prefix; }

Result<StoredConfig> ClusterStore::read_config(std::uint32_t ctid) {
    if (auto ok = check_ctid(ctid); !ok)
        return std::unexpected(std::move(ok).error());
    auto reply =
        m_impl->call("/v3/kv/range", range_op(m_impl->config_key(ctid))["request_range"], true);
    if (!reply)
        return std::unexpected(from_call(std::move(reply).error()));
    auto kvs = reply->find("kvs");
    if (kvs == reply->end() || kvs->empty())
        return fail(Errc::not_found,
                    "CT " + std::to_string(ctid) + " does not exist in the cluster",
                    {.context = m_impl->config_key(ctid)});
    StoredConfig out;
    out.bytes = kv_value((*kvs)[0]);
    out.digest = Digest::from_hex(parse::sha1_hex(out.bytes));
    out.revision = json_int((*kvs)[0], "mod_revision");
    return out;
}

namespace {

// Why a guarded txn's lock compare failed: `lock` is the lock key's kv from the failure
// branch (null: no lock).
Error lock_refusal(std::uint32_t ctid, const Json* lock, const ClusterLock* guard,
                   const std::string& key) {
    if (guard)
        return error(Errc::bad_state,
                     "CT " + std::to_string(ctid) +
                         ": the cluster lock was lost (its lease expired)",
                     {.context = key});
    std::string value = lock ? kv_value(*lock) : std::string();
    return error(Errc::bad_state,
                 "CT " + std::to_string(ctid) + " is locked (" + json_field(value, "op") +
                     " on node " + json_field(value, "node") + ")",
                 {.context = key, .key = "lock"});
}

} // namespace

Result<std::int64_t> ClusterStore::write_config(std::uint32_t ctid, std::string_view bytes,
                                                const WriteCheck& check, const ClusterLock* guard) {
    if (auto ok = check_ctid(ctid); !ok)
        return std::unexpected(std::move(ok).error());
    const std::string key = m_impl->config_key(ctid);
    const std::string lock_key = m_impl->lock_key(ctid);
    if (guard && guard->ctid() != ctid)
        return fail(Errc::invalid_argument, "the lock given is CT " +
                                                std::to_string(guard->ctid()) + "'s, not " +
                                                std::to_string(ctid) + "'s");
    if (guard && !guard->held())
        return std::unexpected(lock_refusal(ctid, nullptr, guard, lock_key));
    if (check.revision <= 0 && check.digest.empty())
        return fail(Errc::invalid_argument,
                    "a config write needs the revision or digest it replaces");

    std::int64_t revision = check.revision;
    if (revision <= 0) {
        auto current = read_config(ctid);
        if (!current)
            return std::unexpected(std::move(current).error());
        if (current->digest != check.digest)
            return std::unexpected(storage::digest_mismatch(key));
        revision = current->revision;
    }
    const Digest wanted = Digest::from_hex(parse::sha1_hex(bytes));
    int unknown = 0;
    for (;;) {
        Json compares = Json::array(
            {compare_mod(key, revision), compare_create(lock_key, guard ? guard->fence() : 0)});
        Json request = txn(std::move(compares), Json::array({put_op(key, bytes)}),
                           Json::array({range_op(key), range_op(lock_key)}));
        auto reply = m_impl->call("/v3/kv/txn", request);
        if (!reply) {
            if (!reply.error().unknown_outcome || ++unknown > max_unknown_outcomes)
                return std::unexpected(from_call(std::move(reply).error()));
            // The same compare-and-swap again decides it: it cannot apply twice.
            continue;
        }
        if (reply->value("succeeded", false))
            return json_int((*reply)["header"], "revision");
        const Json* lock = range_kv(*reply, 1);
        if (json_int(lock ? *lock : Json(), "create_revision") != (guard ? guard->fence() : 0))
            return std::unexpected(lock_refusal(ctid, lock, guard, lock_key));
        const Json* now = range_kv(*reply, 0);
        if (!now)
            return fail(Errc::not_found,
                        "CT " + std::to_string(ctid) + " does not exist in the cluster",
                        {.context = key});
        const std::string current = kv_value(*now);
        if (unknown > 0 && current == bytes)
            return json_int(*now, "mod_revision"); // our earlier attempt committed
        // With a digest (not a revision) as the check, an identical text is still a match.
        if (check.revision <= 0 && Digest::from_hex(parse::sha1_hex(current)) == check.digest &&
            wanted != check.digest) {
            revision = json_int(*now, "mod_revision");
            continue;
        }
        return std::unexpected(storage::digest_mismatch(key));
    }
}

Result<void> ClusterStore::remove(std::uint32_t ctid, const ClusterLock* guard) {
    if (auto ok = check_ctid(ctid); !ok)
        return std::unexpected(std::move(ok).error());
    const std::string lock_key = m_impl->lock_key(ctid);
    if (guard && (guard->ctid() != ctid || !guard->held()))
        return std::unexpected(lock_refusal(ctid, nullptr, guard, lock_key));
    int unknown = 0;
    for (;;) {
        Json compares = Json::array({compare_create(m_impl->ctid_key(ctid), 0, "GREATER"),
                                     compare_create(lock_key, guard ? guard->fence() : 0)});
        Json request = txn(
            std::move(compares),
            Json::array({delete_op(m_impl->ctid_key(ctid)), delete_op(m_impl->config_key(ctid))}),
            Json::array({range_op(m_impl->ctid_key(ctid)), range_op(lock_key)}));
        auto reply = m_impl->call("/v3/kv/txn", request);
        if (!reply) {
            if (!reply.error().unknown_outcome || ++unknown > max_unknown_outcomes)
                return std::unexpected(from_call(std::move(reply).error()));
            continue;
        }
        if (reply->value("succeeded", false))
            return {};
        const Json* lock = range_kv(*reply, 1);
        if (json_int(lock ? *lock : Json(), "create_revision") != (guard ? guard->fence() : 0))
            return std::unexpected(lock_refusal(ctid, lock, guard, lock_key));
        if (unknown > 0)
            return {}; // gone: our earlier attempt removed it
        return fail(Errc::not_found,
                    "CT " + std::to_string(ctid) + " does not exist in the cluster",
                    {.context = m_impl->ctid_key(ctid)});
    }
}

Result<std::vector<ClusterCt>> ClusterStore::list() {
    const std::string from = m_impl->prefix + "ctid/";
    std::vector<ClusterCt> out;
    std::string key = from;
    for (;;) {
        auto reply = m_impl->call("/v3/kv/range",
                                  range_op(key, prefix_end(from), 1000)["request_range"], true);
        if (!reply)
            return std::unexpected(from_call(std::move(reply).error()));
        auto kvs = reply->find("kvs");
        if (kvs == reply->end() || kvs->empty())
            break;
        for (const Json& kv : *kvs) {
            std::string k = base64_decode(kv.value("key", ""));
            if (std::uint32_t id = ctid_of_key(k))
                out.push_back({id, json_field(kv_value(kv), "node")});
            key = k + '\0';
        }
        if (!reply->value("more", false))
            break;
    }
    return out;
}

Result<std::vector<std::string>> ClusterStore::nodes() {
    const std::string from = m_impl->prefix + "node/";
    auto reply = m_impl->call("/v3/kv/range",
                              range_op(from, prefix_end(from), 0, true)["request_range"], true);
    if (!reply)
        return std::unexpected(from_call(std::move(reply).error()));
    std::vector<std::string> out;
    if (auto kvs = reply->find("kvs"); kvs != reply->end())
        for (const Json& kv : *kvs)
            out.push_back(base64_decode(kv.value("key", "")).substr(from.size()));
    std::ranges::sort(out);
    return out;
}

} // namespace pct::cluster

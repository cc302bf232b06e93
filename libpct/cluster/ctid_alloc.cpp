// SPDX-License-Identifier: AGPL-3.0-or-later
// CTID allocation: the lowest free id >= 100 (Proxmox's nextid), taken with its first config
// in one create-if-absent transaction (spec §3, §6).
#include "cluster_store_impl.hpp"

#include <ctime>

namespace pct::cluster {

namespace {

constexpr std::uint32_t first_ctid = 100;
constexpr std::uint32_t last_ctid = 999999999;
// A lost race returns this many taken ids from the tried one: the next candidate without
// another read, and O(1) per conflict (the whole list made it O(n): spec §8.2).
constexpr std::int64_t conflict_window = 64;

// The lowest id >= `from` absent from `kvs` (sorted keys from `from` on); `complete`: the keys
// reached the end of the range.
std::uint32_t first_gap(const Json& kvs, std::uint32_t from) {
    std::uint32_t id = from;
    for (const Json& kv : kvs) {
        std::uint32_t taken = ctid_of_key(base64_decode(kv.value("key", "")));
        if (taken == id)
            ++id;
        else if (taken > id)
            break;
    }
    return id;
}

struct Outcome {
    bool ours = false;
    std::string holder;     ///< the node that has it, when not ours
    std::uint32_t next = 0; ///< from the failure window: the next candidate
};

} // namespace

namespace {

// One create-if-absent attempt on `ctid`, repeated with the same token while its outcome is
// unknown: the repeat either commits or finds the key, holding our token when the earlier
// attempt committed. So a timed-out request never leaks an id.
Result<Outcome> try_take(ClusterStore::Impl& s, std::uint32_t ctid, std::string_view config) {
    const std::string key = s.ctid_key(ctid);
    const std::string token = s.new_token();
    Json value;
    value["node"] = s.node;
    value["type"] = "lxc";
    value["token"] = token;
    value["created"] = static_cast<std::int64_t>(std::time(nullptr));
    Json request = txn(Json::array({compare_create(key, 0)}),
                       Json::array({put_op(key, value.dump()), put_op(s.config_key(ctid), config)}),
                       Json::array({range_op(key), range_op(key, prefix_end(s.prefix + "ctid/"),
                                                            conflict_window, true)}));
    int unknown = 0;
    for (;;) {
        auto reply = s.call("/v3/kv/txn", request);
        if (!reply) {
            if (!reply.error().unknown_outcome || ++unknown > max_unknown_outcomes)
                return std::unexpected(std::move(reply).error().error);
            continue;
        }
        Outcome out;
        if (reply->value("succeeded", false)) {
            out.ours = true;
            return out;
        }
        const Json* holder = range_kv(*reply, 0);
        std::string held = holder ? kv_value(*holder) : std::string();
        if (json_field(held, "token") == token) {
            out.ours = true;
            return out;
        }
        out.holder = json_field(held, "node");
        const Json& window = (*reply)["responses"][1]["response_range"];
        out.next = first_gap(window.contains("kvs") ? window["kvs"] : Json::array(), ctid);
        return out;
    }
}

} // namespace

Result<std::uint32_t> ClusterStore::allocate_ctid(std::string_view initial_config) {
    Impl& s = *m_impl;
    // The first candidate: the lowest gap of the whole list, read in pages.
    const std::string end = prefix_end(s.prefix + "ctid/");
    std::uint32_t candidate = first_ctid;
    for (;;) {
        auto reply = s.call("/v3/kv/range",
                            range_op(s.ctid_key(candidate), end, 256, true)["request_range"], true);
        if (!reply)
            return std::unexpected(std::move(reply).error().error);
        const Json kvs = reply->contains("kvs") ? (*reply)["kvs"] : Json::array();
        std::uint32_t gap = first_gap(kvs, candidate);
        bool more = reply->value("more", false);
        if (gap < candidate + kvs.size() || !more) {
            candidate = gap;
            break;
        }
        candidate = gap;
    }
    for (;;) {
        if (candidate > last_ctid)
            return fail(Errc::not_found, "no free CTID left in the cluster");
        auto outcome = try_take(s, candidate, initial_config);
        if (!outcome)
            return std::unexpected(std::move(outcome).error());
        if (outcome->ours)
            return candidate;
        candidate = outcome->next > candidate ? outcome->next : candidate + 1;
    }
}

Result<void> ClusterStore::claim_ctid(std::uint32_t ctid, std::string_view initial_config) {
    if (auto ok = check_ctid(ctid); !ok)
        return std::unexpected(std::move(ok).error());
    auto outcome = try_take(*m_impl, ctid, initial_config);
    if (!outcome)
        return std::unexpected(std::move(outcome).error());
    if (!outcome->ours)
        return fail(Errc::already_exists,
                    "CT " + std::to_string(ctid) + " already exists (on node " + outcome->holder +
                        ")",
                    {.context = m_impl->ctid_key(ctid)});
    return {};
}

} // namespace pct::cluster

// SPDX-License-Identifier: AGPL-3.0-or-later
// CTID allocation: the lowest free id >= 100 (Proxmox's nextid), taken with its first config
// in one create-if-absent transaction (spec §3, §6).
#include "cluster_store_impl.hpp"

#include <ctime>
#include <random>
#include <vector>

namespace pct::cluster {

namespace {

constexpr std::uint32_t first_ctid = 100;
constexpr std::uint32_t last_ctid = 999999999;
// A lost race returns this many taken ids from the tried one: the next candidate without
// another read, and O(1) per conflict (the whole list made it O(n): spec §8.2).
constexpr std::int64_t conflict_window = 64;
// How far below a store's hint its next search starts.
constexpr std::uint32_t hint_slack = 32;
// After a lost race, the next candidate is one of this many free ids from the window.
constexpr std::size_t spread = 8;

// The free ids >= `from` among `kvs` (sorted keys from `from` on), at most `count` of them.
std::vector<std::uint32_t> gaps(const Json& kvs, std::uint32_t from, std::size_t count) {
    std::vector<std::uint32_t> out;
    std::uint32_t id = from;
    for (const Json& kv : kvs) {
        std::uint32_t taken = ctid_of_key(base64_decode(kv.value("key", "")));
        for (; id < taken && out.size() < count; ++id)
            out.push_back(id);
        if (out.size() == count)
            return out;
        if (taken >= id)
            id = taken + 1;
    }
    while (out.size() < count)
        out.push_back(id++);
    return out;
}

// The lowest id >= `from` absent from `kvs`.
std::uint32_t first_gap(const Json& kvs, std::uint32_t from) { return gaps(kvs, from, 1)[0]; }

struct Outcome {
    bool ours = false;
    std::string holder;              ///< the node that has it, when not ours
    std::vector<std::uint32_t> next; ///< from the failure window: the next free ids
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
        out.next = gaps(window.contains("kvs") ? window["kvs"] : Json::array(), ctid, spread);
        return out;
    }
}

} // namespace

namespace {

// The number of ids taken in [from, to) (a count_only range: no keys travel).
Result<std::int64_t> count_taken(ClusterStore::Impl& s, std::uint32_t from, std::uint32_t to) {
    Json range = range_op(s.ctid_key(from), s.ctid_key(to))["request_range"];
    range["count_only"] = true;
    auto reply = s.call("/v3/kv/range", range, true);
    if (!reply)
        return std::unexpected(std::move(reply).error().error);
    return json_int(*reply, "count");
}

// The lowest free id >= 100 in a few round trips whatever the number of CTs: ids below the
// store's hint are all taken when their count says so (one read, with the window above the
// hint in the same read-only txn); otherwise a hole lies below and a binary search on counts
// finds the lowest one. The txn that takes the id decides; this only picks the candidate.
Result<std::uint32_t> lowest_free(ClusterStore::Impl& s) {
    const std::string end = prefix_end(s.prefix + "ctid/");
    std::uint32_t hint = s.ctid_hint;
    if (hint < first_ctid) {
        // First use: if the ids are dense, the lowest gap is 100 + their number.
        auto all = count_taken(s, first_ctid, last_ctid + 1);
        if (!all)
            return std::unexpected(std::move(all).error());
        hint = first_ctid + static_cast<std::uint32_t>(*all);
    }
    // Racing stores leave short-lived holes just below the frontier (one of them is about to
    // fill each): the count stops a little below the hint and the window covers them, so a
    // race costs no search.
    const std::uint32_t base = hint > first_ctid + hint_slack ? hint - hint_slack : first_ctid;
    Json below = range_op(s.ctid_key(first_ctid), s.ctid_key(base));
    below["request_range"]["count_only"] = true;
    Json read = txn(
        Json::array(),
        Json::array({below, range_op(s.ctid_key(base), end, conflict_window + hint_slack, true)}),
        Json::array());
    auto reply = s.call("/v3/kv/txn", read, true);
    if (!reply)
        return std::unexpected(std::move(reply).error().error);
    const Json& responses = (*reply)["responses"];
    if (json_int(responses[0]["response_range"], "count") == base - first_ctid) {
        const Json& window = responses[1]["response_range"];
        return first_gap(window.contains("kvs") ? window["kvs"] : Json::array(), base);
    }
    // A hole below the hint (a CT was removed): the smallest g with fewer than g - 100 taken
    // ids in [100, g] is the lowest free id.
    std::uint32_t lo = first_ctid, hi = base; // the lowest gap is in [lo, hi)
    while (lo + 1 < hi) {
        std::uint32_t mid = lo + (hi - lo) / 2;
        auto taken = count_taken(s, first_ctid, mid);
        if (!taken)
            return std::unexpected(std::move(taken).error());
        if (*taken < mid - first_ctid)
            hi = mid; // a gap in [100, mid)
        else
            lo = mid;
    }
    return lo;
}

} // namespace

Result<std::uint32_t> ClusterStore::allocate_ctid(std::string_view initial_config) {
    Impl& s = *m_impl;
    auto lowest = lowest_free(s);
    if (!lowest)
        return std::unexpected(std::move(lowest).error());
    std::uint32_t candidate = *lowest;
    std::minstd_rand random(std::random_device{}());
    for (;;) {
        if (candidate > last_ctid)
            return fail(Errc::not_found, "no free CTID left in the cluster");
        auto outcome = try_take(s, candidate, initial_config);
        if (!outcome)
            return std::unexpected(std::move(outcome).error());
        if (outcome->ours) {
            s.ctid_hint = candidate + 1;
            return candidate;
        }
        // Lost a race: the racers all read the same gaps, so each takes one of the first few
        // at random instead of all chasing the lowest (8 writers: about 1.5x the rate of 4
        // gaps, bench/RESULTS.md). Uncontended, the lowest free id is taken (Proxmox's nextid).
        std::uniform_int_distribution<std::size_t> pick(0, outcome->next.size() - 1);
        candidate = outcome->next[pick(random)];
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

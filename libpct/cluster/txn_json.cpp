// SPDX-License-Identifier: AGPL-3.0-or-later
// The txn pieces of cluster_store_impl.hpp.
#include "cluster_store_impl.hpp"

#include <charconv>

namespace pct::cluster {

std::uint32_t ctid_of_key(std::string_view key) {
    auto slash = key.rfind('/');
    if (slash == std::string_view::npos)
        return 0;
    std::uint32_t id = 0;
    auto digits = key.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    return ec == std::errc() && end == digits.data() + digits.size() ? id : 0;
}

Json compare_create(const std::string& key, std::int64_t revision, const char* result) {
    Json c;
    c["key"] = base64_encode(key);
    c["target"] = "CREATE";
    c["result"] = result;
    c["create_revision"] = std::to_string(revision);
    return c;
}

Json compare_mod(const std::string& key, std::int64_t revision) {
    Json c;
    c["key"] = base64_encode(key);
    c["target"] = "MOD";
    c["result"] = "EQUAL";
    c["mod_revision"] = std::to_string(revision);
    return c;
}

Json put_op(const std::string& key, std::string_view value, std::int64_t lease) {
    Json put;
    put["key"] = base64_encode(key);
    put["value"] = base64_encode(value);
    if (lease != 0)
        put["lease"] = std::to_string(lease);
    Json op;
    op["request_put"] = std::move(put);
    return op;
}

Json delete_op(const std::string& key) {
    Json del;
    del["key"] = base64_encode(key);
    Json op;
    op["request_delete_range"] = std::move(del);
    return op;
}

Json range_op(const std::string& key, const std::string& range_end, std::int64_t limit,
              bool keys_only) {
    Json range;
    range["key"] = base64_encode(key);
    if (!range_end.empty())
        range["range_end"] = base64_encode(range_end);
    if (limit > 0)
        range["limit"] = std::to_string(limit);
    if (keys_only)
        range["keys_only"] = true;
    Json op;
    op["request_range"] = std::move(range);
    return op;
}

Json txn(Json compares, Json success, Json failure) {
    Json t;
    t["compare"] = std::move(compares);
    t["success"] = std::move(success);
    t["failure"] = std::move(failure);
    return t;
}

const Json* range_kv(const Json& txn_reply, std::size_t index) {
    auto responses = txn_reply.find("responses");
    if (responses == txn_reply.end() || !responses->is_array() || index >= responses->size())
        return nullptr;
    const Json& r = (*responses)[index];
    auto range = r.find("response_range");
    if (range == r.end())
        return nullptr;
    auto kvs = range->find("kvs");
    if (kvs == range->end() || !kvs->is_array() || kvs->empty())
        return nullptr;
    return &(*kvs)[0];
}

std::string kv_value(const Json& kv) {
    auto v = kv.find("value");
    return v != kv.end() && v->is_string() ? base64_decode(v->get<std::string>()) : std::string();
}

std::string json_field(std::string_view json_text, const char* field) {
    Json j = Json::parse(json_text, nullptr, false);
    if (!j.is_object())
        return {};
    auto it = j.find(field);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace pct::cluster

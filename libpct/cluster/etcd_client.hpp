// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: etcd v3 over its JSON gateway (libcurl + nlohmann-json), the transport under
// ClusterStore. The gateway's rules (../shared/spec/etcd-cluster.md §2): keys and values are
// standard base64, int64 fields are JSON strings, proto3 leaves out default values.
#pragma once

#include <pct/error.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

using CURL = void;
struct curl_slist;

namespace pct::cluster {

using Json = nlohmann::json;

[[nodiscard]] std::string base64_encode(std::string_view bytes);
/// The bytes of standard base64 text; invalid text gives "".
[[nodiscard]] std::string base64_decode(std::string_view text);
/// An int64 field of a gateway reply: a JSON string (or number); absent = 0 (proto3 default).
[[nodiscard]] std::int64_t json_int(const Json& object, const char* field);
/// The end of a prefix range: the prefix with its last byte incremented (`/pct/` -> `/pct0`).
[[nodiscard]] std::string prefix_end(std::string prefix);

/// A failed call. `unknown_outcome`: the request reached a member and may have been applied
/// (timeout, connection lost mid-way); a write must be resolved by reading it back.
struct CallError {
    Error error;
    bool unknown_outcome = false;
};
using CallResult = std::expected<Json, CallError>;

struct EtcdClientOptions {
    std::chrono::milliseconds timeout{3000};         ///< per request, connect to answer
    std::chrono::milliseconds connect_timeout{500};  ///< per endpoint
    std::chrono::milliseconds no_leader_budget{600}; ///< retry "no leader" this long, then fail
};

/// One libcurl easy handle (keep-alive) over an endpoint list, rotated on a refused
/// connection or a 5xx. Every request carries `Grpc-Metadata-hasleader: true`, so a member
/// without a leader answers 503 at once instead of hanging for etcd's 7 s request timeout.
///
/// Threading: one thread at a time (the easy handle is not shareable).
class EtcdClient {
  public:
    EtcdClient(std::vector<std::string> endpoints, EtcdClientOptions options = {});
    EtcdClient(const EtcdClient&) = delete;
    EtcdClient& operator=(const EtcdClient&) = delete;
    ~EtcdClient();

    /// POST `path` (`/v3/kv/txn`) with `request`. A refused connection moves to the next
    /// endpoint (nothing was sent); "no leader" is retried on the others for
    /// `no_leader_budget`, then fails with `Errc::no_quorum`. `idempotent` requests (reads,
    /// keepalives) are also retried on the next endpoint after a timeout, within one more
    /// `timeout`; others return it with `unknown_outcome`.
    [[nodiscard]] CallResult call(std::string_view path, const Json& request,
                                  bool idempotent = false);

    [[nodiscard]] const std::vector<std::string>& endpoints() const { return m_endpoints; }

  private:
    struct Attempt {
        int curl_code = 0;
        long status = 0;
        std::string body;
    };
    Attempt post(const std::string& url, const std::string& body);

    std::vector<std::string> m_endpoints;
    EtcdClientOptions m_options;
    std::size_t m_current = 0;
    CURL* m_handle = nullptr;
    curl_slist* m_headers = nullptr;
};

} // namespace pct::cluster

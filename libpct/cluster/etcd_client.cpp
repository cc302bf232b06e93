// SPDX-License-Identifier: AGPL-3.0-or-later
#include "etcd_client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <mutex>
#include <thread>

namespace pct::cluster {

namespace {

using Clock = std::chrono::steady_clock;

// curl_global_init is not thread-safe before libcurl 7.84; once per process is enough.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// The gateway's gRPC status codes (google.golang.org/grpc/codes) as libpct's.
Errc errc_of_grpc(int code) {
    switch (code) {
    case 3: // InvalidArgument (bad base64, request too large)
        return Errc::invalid_argument;
    case 5: // NotFound (lease)
        return Errc::not_found;
    case 6: // AlreadyExists
        return Errc::already_exists;
    case 9: // FailedPrecondition
        return Errc::bad_state;
    case 14: // Unavailable
        return Errc::no_quorum;
    default:
        return Errc::io;
    }
}

} // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

std::string base64_decode(std::string_view text) {
    if (text.size() % 4 != 0)
        return {};
    std::string out(3 * (text.size() / 4), '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0)
        return {};
    // EVP_DecodeBlock counts the padding as zero bytes: drop one per '='.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i)
        --size;
    out.resize(size);
    return out;
}

std::int64_t json_int(const Json& object, const char* field) {
    if (!object.is_object())
        return 0;
    auto it = object.find(field);
    if (it == object.end())
        return 0;
    if (it->is_string()) {
        try {
            return std::stoll(it->get<std::string>());
        } catch (const std::exception&) {
            return 0;
        }
    }
    return it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string prefix_end(std::string prefix) {
    if (!prefix.empty())
        prefix.back() = static_cast<char>(prefix.back() + 1);
    return prefix;
}

EtcdClient::EtcdClient(std::vector<std::string> endpoints, EtcdClientOptions options)
    : m_endpoints(std::move(endpoints)), m_options(options) {
    init_curl_once();
    m_handle = curl_easy_init();
    m_headers = curl_slist_append(m_headers, "Content-Type: application/json");
    // Fail at once without a leader (spec §4: 19 ms instead of 7 s).
    m_headers = curl_slist_append(m_headers, "Grpc-Metadata-hasleader: true");
    // No "Expect: 100-continue" round trip for bodies over 1 KiB (configs).
    m_headers = curl_slist_append(m_headers, "Expect:");
}

EtcdClient::~EtcdClient() {
    curl_slist_free_all(m_headers);
    if (m_handle)
        curl_easy_cleanup(m_handle);
}

EtcdClient::Attempt EtcdClient::post(const std::string& url, const std::string& body) {
    Attempt a;
    CURL* h = m_handle;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, m_headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a.body);
    a.curl_code = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a.status);
    return a;
}

CallResult EtcdClient::call(std::string_view path, const Json& request, bool idempotent) {
    if (m_endpoints.empty())
        return std::unexpected(CallError{error(Errc::invalid_argument, "no etcd endpoint given")});
    const std::string body = request.dump();
    const auto start = Clock::now();
    std::optional<Clock::time_point> no_leader_since;
    std::size_t refused_in_a_row = 0;
    auto rotate = [&] { m_current = (m_current + 1) % m_endpoints.size(); };
    for (;;) {
        const std::string& endpoint = m_endpoints[m_current];
        Attempt a = post("http://" + endpoint + std::string(path), body);
        if (a.curl_code != CURLE_OK) {
            curl_off_t sent_at = 0;
            curl_easy_getinfo(m_handle, CURLINFO_PRETRANSFER_TIME_T, &sent_at);
            const auto code = static_cast<CURLcode>(a.curl_code);
            std::string what = std::string(curl_easy_strerror(code)) + " (" + endpoint + ")";
            rotate();
            if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
                sent_at == 0) {
                // Nothing was sent: the next member gets the request.
                if (++refused_in_a_row < m_endpoints.size())
                    continue;
                return std::unexpected(CallError{
                    error(Errc::no_quorum, "no quorum: no etcd member answers: " + what)});
            }
            refused_in_a_row = 0;
            if (idempotent && Clock::now() - start < 2 * m_options.timeout)
                continue;
            return std::unexpected(CallError{
                error(Errc::io, "etcd request " + std::string(path) + " failed: " + what +
                                    (idempotent ? "" : "; it may or may not have been applied")),
                !idempotent});
        }
        refused_in_a_row = 0;
        Json reply = Json::parse(a.body, nullptr, false);
        if (a.status == 200 && reply.is_object() && !reply.contains("error"))
            return reply;

        int grpc_code = reply.is_object() ? reply.value("code", -1) : -1;
        std::string message =
            reply.is_object() && reply.contains("error") && reply["error"].is_string()
                ? reply["error"].get<std::string>()
                : a.body.substr(0, 200);
        std::string what = "etcd " + std::string(path) + ": HTTP " + std::to_string(a.status) +
                           " " + message + " (" + endpoint + ")";
        if (a.status == 503 && message.find("no leader") != std::string::npos) {
            // Nothing was proposed. An election lasts about a second; a lost quorum for good.
            rotate();
            auto now = Clock::now();
            if (!no_leader_since)
                no_leader_since = now;
            if (now - *no_leader_since >= m_options.no_leader_budget)
                return std::unexpected(
                    CallError{error(Errc::no_quorum, "no quorum: etcd has no leader: " + what)});
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        if (a.status >= 500 || a.status == 0) {
            // "request timed out", "context deadline exceeded": the proposal may still commit.
            rotate();
            if (idempotent && Clock::now() - start < 2 * m_options.timeout) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            return std::unexpected(CallError{
                error(Errc::io, what + (idempotent ? "" : "; it may or may not have been applied")),
                !idempotent});
        }
        return std::unexpected(CallError{error(errc_of_grpc(grpc_code), what)});
    }
}

} // namespace pct::cluster

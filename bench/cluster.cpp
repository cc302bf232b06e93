// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench-cluster [N] [THREADS]: the cluster store beside raw etcd, same gateway, same run,
// on a throw-away 3-member cluster on loopback (scripts/cluster; or PCT_ETCD_ENDPOINTS).
//  - raw txn: one create-if-absent txn (ctid key + config key) per id through libcurl
//    keep-alive, written here with no libpct code: the least an allocation costs;
//  - raw read txn + txn: the read-only txn an allocation makes first (count below a hint,
//    64 keys above it) then that txn: the same round trips as allocate_ctid, uncontended;
//  - raw range + CAS txn: a range then a mod_revision CAS (a commit);
//  - ClusterStore::claim_ctid (a given id: the txn alone), allocate_ctid (lowest free >= 100,
//    token, config in the txn) and
//    read_config + write_config (CAS on the revision).
// Each row runs N operations in one thread, then N in each of THREADS threads at once (own
// handle or store each: the aggregate rate). Keys live under a fresh prefix per row.
#include <pct/cluster/cluster_store.hpp>

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

std::string b64(const std::string& in) {
    std::string out(4 * ((in.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(in.data()),
                            static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::size_t collect(char* p, std::size_t s, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(p, s * n);
    return s * n;
}

// The raw side: one keep-alive handle, the same headers as libpct's client.
class Raw {
  public:
    explicit Raw(const std::string& endpoint) : m_url("http://" + endpoint) {
        m_h = curl_easy_init();
        m_hdr = curl_slist_append(m_hdr, "Content-Type: application/json");
        m_hdr = curl_slist_append(m_hdr, "Grpc-Metadata-hasleader: true");
        m_hdr = curl_slist_append(m_hdr, "Expect:");
    }
    ~Raw() {
        curl_slist_free_all(m_hdr);
        curl_easy_cleanup(m_h);
    }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    std::string post(const char* path, const std::string& body) {
        std::string out, url = m_url + path;
        curl_easy_setopt(m_h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(m_h, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(m_h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(m_h, CURLOPT_HTTPHEADER, m_hdr);
        curl_easy_setopt(m_h, CURLOPT_TIMEOUT_MS, 3000L);
        curl_easy_setopt(m_h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_h, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(m_h, CURLOPT_WRITEDATA, &out);
        if (curl_easy_perform(m_h) != CURLE_OK)
            throw std::runtime_error("raw request failed");
        return out;
    }

  private:
    std::string m_url;
    CURL* m_h = nullptr;
    curl_slist* m_hdr = nullptr;
};

const std::string config = "arch: amd64\ncores: 2\nhostname: bench\nmemory: 2048\nnet0: "
                           "name=eth0,bridge=vmbr0,ip=dhcp,type=veth\nostype: debian\nrootfs: "
                           "local:100/vm-100-disk-0.raw,size=8G\nswap: 512\n";

std::string take_txn(const std::string& prefix, int id) {
    std::string k = b64(fmt::format("{}ctid/{:09d}", prefix, id));
    std::string c = b64(fmt::format("{}config/{:09d}", prefix, id));
    return fmt::format(
        R"({{"compare":[{{"key":"{0}","target":"CREATE","result":"EQUAL","create_revision":"0"}}],)"
        R"("success":[{{"request_put":{{"key":"{0}","value":"{1}"}}}},{{"request_put":{{"key":"{2}","value":"{3}"}}}}],)"
        R"("failure":[{{"request_range":{{"key":"{0}"}}}}]}})",
        k, b64(R"({"node":"bench","token":"x"})"), c, b64(config));
}

// The read a lowest-free allocation makes first: the count of the ids below a hint (all
// taken?) and the 64 keys from it, in one read-only txn.
std::string lowest_free_read(const std::string& prefix, int hint) {
    return fmt::format(
        R"({{"success":[{{"request_range":{{"key":"{}","range_end":"{}","count_only":true}}}},)"
        R"({{"request_range":{{"key":"{}","range_end":"{}","keys_only":true,"limit":"64"}}}}]}})",
        b64(prefix + "ctid/000000100"), b64(fmt::format("{}ctid/{:09d}", prefix, hint)),
        b64(fmt::format("{}ctid/{:09d}", prefix, hint)), b64(prefix + "ctid0"));
}

// Rate of `threads` x `n` calls of op(thread, i), each thread set up by make(thread).
double rate(int threads, int n, const std::function<std::function<void(int)>(int)>& make) {
    std::vector<std::function<void(int)>> ops;
    for (int t = 0; t < threads; ++t)
        ops.push_back(make(t));
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            while (!go)
                std::this_thread::yield();
            for (int i = 0; i < n; ++i)
                ops[static_cast<std::size_t>(t)](i);
        });
    auto t0 = Clock::now();
    go = true;
    for (auto& th : pool)
        th.join();
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    return threads * n / s;
}

std::string start_cluster(std::string& dir) {
    if (const char* e = std::getenv("PCT_ETCD_ENDPOINTS"))
        return e;
    char tmp[] = "/tmp/pct-bench-etcd.XXXXXX";
    if (!mkdtemp(tmp))
        throw std::runtime_error("mkdtemp");
    dir = tmp;
    std::string cmd = fmt::format("PCT_ETCD_LOGLEVEL=error bash {}/scripts/cluster start {} {}",
                                  PCT_SOURCE_DIR, dir, 30000 + (getpid() % 3000) * 10);
    FILE* p = popen(cmd.c_str(), "r");
    char line[256];
    std::string eps;
    while (p && fgets(line, sizeof line, p))
        if (std::string(line).starts_with("PCT_ETCD_ENDPOINTS="))
            eps = std::string(line + 19, std::string(line + 19).find('\n'));
    if (p)
        pclose(p);
    if (eps.empty())
        throw std::runtime_error("scripts/cluster start failed (etcd installed?)");
    return eps;
}

} // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 400;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 8;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::string dir;
    std::string endpoints;
    try {
        endpoints = start_cluster(dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pct-bench-cluster: %s\n", e.what());
        return 1;
    }
    // Each thread talks to one member, as the stores spread over them: thread t -> member t%3.
    std::vector<std::string> members;
    for (std::size_t at = 0; at <= endpoints.size();) {
        auto comma = endpoints.find(',', at);
        members.push_back(endpoints.substr(at, comma - at));
        if (comma == std::string::npos)
            break;
        at = comma + 1;
    }
    auto member = [&](int t) { return members[static_cast<std::size_t>(t) % members.size()]; };
    auto rotated = [&](int t) {
        std::string out;
        for (std::size_t i = 0; i < members.size(); ++i)
            out += (i ? "," : "") + members[(static_cast<std::size_t>(t) + i) % members.size()];
        return out;
    };
    int row = 0;
    auto fresh = [&] { return fmt::format("/bench/{}/{}/", getpid(), ++row); };

    std::printf("pct-bench-cluster: %d ops per thread, 1 and %d threads, 3 members (%s)\n", n,
                threads, endpoints.c_str());
    std::printf("%-44s %12s %12s\n", "operation", "1 thread/s",
                fmt::format("{} threads/s", threads).c_str());
    auto report = [&](const char* what, double one, double many) {
        std::printf("%-44s %12.0f %12.0f\n", what, one, many);
        std::fflush(stdout);
    };
    try {
        for (int pass = 0; pass < 2; ++pass) {
            // Raw: one create-if-absent txn per id (ids given: no contention, no scan).
            auto raw_txn = [&](int th) {
                std::string prefix = fresh();
                return rate(th, n, [&, prefix, th](int t) {
                    auto raw = std::make_shared<Raw>(member(t));
                    return std::function<void(int)>([raw, prefix, t, th, n](int i) {
                        (void)raw->post("/v3/kv/txn", take_txn(prefix, 100 + t + th * i));
                        (void)n;
                    });
                });
            };
            double r1 = raw_txn(1), rn = raw_txn(threads);
            report("raw txn (create-if-absent, given id)", r1, rn);
            auto raw_scan_txn = [&](int th) {
                std::string prefix = fresh();
                return rate(th, n, [&, prefix, th](int t) {
                    auto raw = std::make_shared<Raw>(member(t));
                    return std::function<void(int)>([raw, prefix, t, th](int i) {
                        int id = 100 + t + th * i;
                        (void)raw->post("/v3/kv/txn", lowest_free_read(prefix, id));
                        (void)raw->post("/v3/kv/txn", take_txn(prefix, id));
                    });
                });
            };
            double s1 = raw_scan_txn(1), sn = raw_scan_txn(threads);
            report("raw read txn + txn (given id)", s1, sn);
            auto allocate = [&](int th) {
                std::string prefix = fresh();
                return rate(th, n, [&, prefix](int t) {
                    auto store = pct::cluster::ClusterStore::open(rotated(t), prefix,
                                                                  fmt::format("node{}", t));
                    if (!store)
                        throw std::runtime_error(pct::to_string(store.error()));
                    std::shared_ptr<pct::cluster::ClusterStore> s(std::move(*store));
                    return std::function<void(int)>([s](int) {
                        if (!s->allocate_ctid(config))
                            throw std::runtime_error("allocate failed");
                    });
                });
            };
            auto claim = [&](int th) {
                std::string prefix = fresh();
                return rate(th, n, [&, prefix, th](int t) {
                    auto store = pct::cluster::ClusterStore::open(rotated(t), prefix,
                                                                  fmt::format("node{}", t));
                    if (!store)
                        throw std::runtime_error(pct::to_string(store.error()));
                    std::shared_ptr<pct::cluster::ClusterStore> s(std::move(*store));
                    return std::function<void(int)>([s, t, th](int i) {
                        if (!s->claim_ctid(static_cast<std::uint32_t>(100 + t + th * i), config))
                            throw std::runtime_error("claim failed");
                    });
                });
            };
            double g1 = claim(1), gn = claim(threads);
            report("ClusterStore::claim_ctid (given id)", g1, gn);
            std::printf("%-44s %12.2f %12.2f\n", "  ratio raw txn / claim", r1 / g1, rn / gn);
            double a1 = allocate(1), an = allocate(threads);
            report("ClusterStore::allocate_ctid (lowest free)", a1, an);
            std::printf("%-44s %12.2f %12.2f\n", "  ratio raw txn / allocation", r1 / a1, rn / an);
            std::printf("%-44s %12.2f %12.2f\n", "  ratio raw read+txn / allocation", s1 / a1,
                        sn / an);

            // Commits: read + CAS on one config per thread.
            auto raw_cas = [&](int th) {
                std::string prefix = fresh();
                return rate(th, n, [&, prefix](int t) {
                    auto raw = std::make_shared<Raw>(member(t));
                    std::string key = b64(fmt::format("{}config/{:09d}", prefix, 100 + t));
                    (void)raw->post("/v3/kv/put", fmt::format(R"({{"key":"{}","value":"{}"}})", key,
                                                              b64(config)));
                    return std::function<void(int)>([raw, key](int i) {
                        std::string got =
                            raw->post("/v3/kv/range", fmt::format(R"({{"key":"{}"}})", key));
                        auto at = got.find("\"mod_revision\":\"") + 16;
                        std::string rev = got.substr(at, got.find('"', at) - at);
                        std::string body = fmt::format(
                            R"({{"compare":[{{"key":"{0}","target":"MOD","result":"EQUAL","mod_revision":"{1}"}}],"success":[{{"request_put":{{"key":"{0}","value":"{2}"}}}}]}})",
                            key, rev, b64(config + "# " + std::to_string(i) + "\n"));
                        if (raw->post("/v3/kv/txn", body).find("\"succeeded\":true") ==
                            std::string::npos)
                            throw std::runtime_error("raw CAS failed");
                    });
                });
            };
            double c1 = raw_cas(1), cn = raw_cas(threads);
            report("raw range + CAS txn", c1, cn);
            auto commit = [&](int th) {
                std::string prefix = fresh();
                return rate(th, n, [&, prefix](int t) {
                    auto store = pct::cluster::ClusterStore::open(rotated(t), prefix,
                                                                  fmt::format("node{}", t));
                    if (!store)
                        throw std::runtime_error(pct::to_string(store.error()));
                    std::shared_ptr<pct::cluster::ClusterStore> s(std::move(*store));
                    std::uint32_t id = static_cast<std::uint32_t>(100 + t);
                    if (!s->claim_ctid(id, config))
                        throw std::runtime_error("claim failed");
                    return std::function<void(int)>([s, id](int i) {
                        auto c = s->read_config(id);
                        if (!c || !s->write_config(id, config + "# " + std::to_string(i) + "\n",
                                                   {.revision = c->revision}))
                            throw std::runtime_error("commit failed");
                    });
                });
            };
            double k1 = commit(1), kn = commit(threads);
            report("ClusterStore read_config + write_config", k1, kn);
            std::printf("%-44s %12.2f %12.2f\n", "  ratio raw / commit", c1 / k1, cn / kn);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pct-bench-cluster: %s\n", e.what());
    }
    if (!dir.empty())
        std::system(fmt::format("bash {}/scripts/cluster stop {}", PCT_SOURCE_DIR, dir).c_str());
    return 0;
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench-storage [ROUNDS]: what the storage issue adds, each beside its baseline in the same
// run (root; builds the busybox template, uses the cached Debian template of
// scripts/mk-debian-template and skips those rows when it cannot be had):
//  - create: runtime::create() of a container (rootfs `local:0`, a directory volume, so the
//    row measures create itself and not mkfs) beside `tar -x` of the same archive into an
//    empty directory as root (zstd, numeric owners: the least any create has to do). Once
//    unprivileged (Proxmox's default: the archive is unpacked inside the id map through
//    lxc-usernsexec) and once privileged. The timed create includes everything create does:
//    lock, config with `lock: create`, allocation, unpack, ostype detection, setup, final
//    config. Destroy and rm -rf between rounds are not timed.
//  - start with 8 mount points beside the same container without them: 8 bind mounts of host
//    directories, and 8 raw volumes (`local:0.125`, ext4 on a loop device each), started ->
//    RUNNING, stopped between rounds (not timed). A row whose set-up fails (a feature the
//    build does not have yet) prints why instead of a figure.
// Rounds alternate which side goes first, so load drift on the shared VM hits both; besides
// the ratio of the medians, the median of the per-round ratios is printed (`paired`).
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/host.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Row {
    std::string what;
    std::string base_name;
    std::vector<double> pct, base;
    std::string failure; // set when the row could not be measured

    void print() const {
        if (!failure.empty()) {
            std::cout << fmt::format("{:<44} n/a: {}\n", what, failure);
            return;
        }
        std::vector<double> ratios;
        for (std::size_t i = 0; i < pct.size() && i < base.size(); ++i)
            ratios.push_back(pct[i] / base[i]);
        auto [pmin, pmax] = std::minmax_element(pct.begin(), pct.end());
        auto [bmin, bmax] = std::minmax_element(base.begin(), base.end());
        std::cout << fmt::format("{:<44} n={:<3} libpct {:8.1f} ms [{:.1f}-{:.1f}]   {} {:8.1f} "
                                 "ms [{:.1f}-{:.1f}]   ratio {:.2f}   paired {:.2f}\n",
                                 what, pct.size(), median(pct), *pmin, *pmax, base_name,
                                 median(base), *bmin, *bmax, median(pct) / median(base),
                                 median(ratios));
    }
};

// A failed side of a round: the row stops with this message.
struct RowFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void paired_rounds(Row& row, int rounds, const std::function<double()>& pct_side,
                   const std::function<double()>& base_side) {
    try {
        for (int r = 0; r < rounds; ++r) {
            if (r % 2 == 0) {
                row.pct.push_back(pct_side());
                row.base.push_back(base_side());
            } else {
                row.base.push_back(base_side());
                row.pct.push_back(pct_side());
            }
        }
    } catch (const RowFailed& e) {
        row.failure = e.what();
    }
}

int run(const std::string& command) { return std::system(command.c_str()); }

void destroy(const storage::Host& host, Vmid id) {
    if (auto ct = runtime::Container::open(host, id)) {
        if (ct->running())
            (void)ct->stop();
        runtime::DestroyOptions d;
        d.force = true;
        (void)ct->destroy(d);
    }
}

// create from `tpl` vs `tar -x` of it, `rounds` times.
Row create_row(const storage::Host& host, const std::string& root, const std::string& label,
               const std::string& tpl, bool unprivileged, Vmid id, int rounds) {
    Row row{fmt::format("create {} ({})", label, unprivileged ? "unprivileged" : "privileged"),
            "tar -x",
            {},
            {},
            {}};
    std::string target = root + "/untar";
    paired_rounds(
        row, rounds,
        [&] {
            runtime::CreateOptions co;
            co.ostemplate = tpl;
            co.options = {{"rootfs", "local:0"},
                          {"hostname", "bench"},
                          {"unprivileged", unprivileged ? "1" : "0"}};
            auto t0 = Clock::now();
            auto ct = runtime::create(host, id, co);
            double ms = ms_since(t0);
            if (!ct)
                throw RowFailed("create: " + ct.error().message);
            destroy(host, id);
            ::sync(); // the next side must not pay for this one's writeback
            return ms;
        },
        [&] {
            fs::create_directories(target);
            auto t0 = Clock::now();
            int rc = run(fmt::format("tar --zstd -xpf '{}' --numeric-owner -C '{}'", tpl, target));
            double ms = ms_since(t0);
            fs::remove_all(target);
            ::sync();
            if (rc != 0)
                throw RowFailed("tar -x failed");
            return ms;
        });
    return row;
}

// start -> RUNNING of a CT with `mounts` beside the same CT without them.
Row mounts_row(const storage::Host& host, const std::string& what, const std::string& tpl,
               const std::function<std::string(int)>& mount, Vmid plain, Vmid with, int rounds) {
    Row row{what, "without", {}, {}, {}};
    auto make = [&](Vmid id, bool mps) -> std::optional<runtime::Container> {
        runtime::CreateOptions co;
        co.ostemplate = tpl;
        co.options = {{"rootfs", "local:0"}, {"ostype", "debian"}, {"memory", "64"}};
        if (mps)
            for (int i = 0; i < 8; ++i)
                co.options[fmt::format("mp{}", i)] = mount(i);
        auto ct = runtime::create(host, id, co);
        if (!ct) {
            row.failure = "create: " + ct.error().message;
            return std::nullopt;
        }
        return std::move(*ct);
    };
    auto a = make(plain, false);
    auto b = a ? make(with, true) : std::nullopt;
    if (!a || !b)
        return row;
    auto timed_start = [](runtime::Container& ct) {
        auto t0 = Clock::now();
        auto s = ct.start();
        double ms = ms_since(t0);
        if (!s)
            throw RowFailed("start: " + s.error().message);
        (void)ct.stop();
        return ms;
    };
    // Warm-up: the first start writes the LXC config and the in-CT files.
    try {
        timed_start(*a);
        timed_start(*b);
    } catch (const RowFailed& e) {
        row.failure = e.what();
    }
    if (row.failure.empty())
        paired_rounds(
            row, rounds, [&] { return timed_start(*b); }, [&] { return timed_start(*a); });
    return row;
}

} // namespace

int main(int argc, char** argv) {
    int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
    std::signal(SIGPIPE, SIG_IGN); // `| head` must not skip the cleanup
    if (::geteuid() != 0) {
        std::cerr << "pct-bench-storage: needs root (real containers)\n";
        return 1;
    }
    char tmpl[] = "/tmp/pct-bench-storage-XXXXXX";
    if (!::mkdtemp(tmpl))
        return 1;
    std::string root = tmpl;
    ::chmod(root.c_str(), 0711); // unprivileged CTs' root (100000) must reach its rootfs
    if (run(fmt::format("sh '{}/scripts/mk-busybox-template' '{}/tpl' >/dev/null", PCT_SOURCE_DIR,
                        root)) != 0) {
        std::cerr << "pct-bench-storage: building the busybox template failed\n";
        fs::remove_all(root);
        return 1;
    }
    std::string busybox = root + "/tpl/busybox-test_1.35_amd64.tar.zst";
    // The Debian template's path is the last line the script prints (exit 77: no mirror).
    std::string debian;
    if (FILE* p = ::popen(
            fmt::format("'{}/scripts/mk-debian-template' 2>/dev/null | tail -n 1", PCT_SOURCE_DIR)
                .c_str(),
            "r")) {
        char line[4096] = {};
        if (std::fgets(line, sizeof line, p))
            debian = line;
        if (::pclose(p) != 0 || !debian.ends_with(".tar.zst\n"))
            debian.clear();
        else
            debian.pop_back();
    }

    storage::Host host(root + "/host");
    fs::create_directories(root + "/host");
    ::chmod((root + "/host").c_str(), 0711);
    std::uint32_t base = 800000000u + static_cast<std::uint32_t>(::getpid() % 90000) * 100u;
    std::vector<Vmid> ids;
    for (unsigned i = 0; i < 4; ++i)
        ids.push_back(Vmid{base + 50 + i});
    auto cleanup = [&] {
        for (Vmid id : ids)
            destroy(host, id);
        fs::remove_all(root);
    };

    std::cout << fmt::format("pct-bench-storage: {} rounds (debian create: {})\n", rounds,
                             std::max(1, rounds / 2));
    std::vector<Row> rows;
    rows.push_back(create_row(host, root, "busybox", busybox, true, ids[0], rounds));
    rows.push_back(create_row(host, root, "busybox", busybox, false, ids[0], rounds));
    if (debian.empty()) {
        Row skipped{"create debian", "", {}, {}, "Debian template not available (no mirror)"};
        rows.push_back(skipped);
    } else {
        int n = std::max(1, rounds / 2);
        rows.push_back(create_row(host, root, "debian", debian, true, ids[0], n));
        rows.push_back(create_row(host, root, "debian", debian, false, ids[0], n));
    }

    // Bind sources (host paths under the layout root) and the CTs' mount points.
    for (int i = 0; i < 8; ++i) {
        fs::create_directories(fmt::format("{}/host/data/b{}", root, i));
        run(fmt::format("chown 100000:100000 '{}/host/data/b{}'", root, i));
    }
    rows.push_back(mounts_row(
        host, "start with 8 bind mount points", busybox,
        [](int i) { return fmt::format("/data/b{0},mp=/mnt/b{0}", i); }, ids[1], ids[2], rounds));
    destroy(host, ids[1]);
    destroy(host, ids[2]);
    rows.push_back(mounts_row(
        host, "start with 8 raw volumes (local:0.125)", busybox,
        [](int i) { return fmt::format("local:0.125,mp=/mnt/v{}", i); }, ids[1], ids[3], rounds));

    for (const auto& row : rows)
        row.print();
    cleanup();
    return 0;
}

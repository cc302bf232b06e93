// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench-lifecycle (root): the config lifecycle's costs beside what they are built on, in
// one run on one btrfs file system (a sparse loop file under /tmp):
//  - `set` (runtime::update_config on a stopped CT): latency alone, and under 16-way contention
//    (16 forked processes, each setting its own key; they queue on the config's flock);
//  - snapshot of a CT whose rootfs subvolume holds 1 GiB (runtime::snapshot_create) beside
//    `btrfs subvolume snapshot -r` of the same subvolume;
//  - full clone of that CT (runtime::clone, full) beside `cp -a --reflink=always` into a new
//    subvolume, and linked clone of it as a template beside `btrfs subvolume snapshot`.
// Rounds alternate libpct and the raw command; medians and ratios are printed.
//
//   pct-bench-lifecycle [ROUNDS]    (default 5)
#include <pct/runtime/clone.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/pending.hpp>
#include <pct/runtime/snapshots.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::ranges::sort(v);
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

void run(const std::string& command) {
    if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "failed: %s\n", command.c_str());
        std::exit(1);
    }
}

double timed(const std::string& command) {
    auto t0 = Clock::now();
    run(command);
    return ms_since(t0);
}

template <class T> T must(Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
        std::exit(1);
    }
    return std::move(*r);
}

void must(Result<void> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
        std::exit(1);
    }
}

// A btrfs file system on a sparse loop file, unmounted and removed at exit (also through
// std::exit after a failure: the cleanup is an atexit handler).
std::string g_cleanup;

struct Fixture {
    std::string root;
    std::string mnt;
    Fixture() {
        char tmpl[] = "/tmp/pct-bench-lc-XXXXXX";
        if (!::mkdtemp(tmpl))
            std::exit(1);
        root = tmpl;
        fs::permissions(root, fs::perms(0711));
        mnt = root + "/mnt/bt";
        g_cleanup = fmt::format("umount -l '{}' 2>/dev/null; rm -rf '{}'", mnt, root);
        std::atexit([] { (void)std::system(g_cleanup.c_str()); });
        fs::create_directories(mnt);
        fs::create_directories(root + "/etc/pve/lxc");
        fs::create_directories(root + "/var/lib/lxc");
        run(fmt::format("truncate -s 6G '{0}/bt.img' && mkfs.btrfs -q '{0}/bt.img' && "
                        "mount -o loop '{0}/bt.img' '{1}'",
                        root, mnt));
        std::ofstream(root + "/etc/pve/storage.cfg")
            << "btrfs: bt\n\tpath /mnt/bt\n\tcontent rootdir\n";
    }
};

void print_row(const char* what, const std::vector<double>& lib, const std::vector<double>& raw,
               const char* raw_name) {
    double l = median(lib), r = median(raw);
    std::printf("| %s | %.1f ms | %s %.1f ms | %.2f |\n", what, l, raw_name, r,
                r > 0 ? l / r : 0.0);
}

} // namespace

int main(int argc, char** argv) {
    int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
    if (::geteuid() != 0) {
        std::puts("SKIP: pct-bench-lifecycle needs root (btrfs loop mount)");
        return 0;
    }
    Fixture fx;
    storage::Host host(fx.root);
    auto storages = must(storage::Storages::load(host), "storages");
    Vmid id{990001};
    std::string volid = must(storage::alloc_ct_disk(storages, id, "bt", 0, 0, 0), "alloc");
    std::string subvol = must(storages.path(volid), "path");
    std::ofstream(host.config_path(id)) << fmt::format(
        "arch: amd64\nhostname: bench\nmemory: 64\nostype: debian\nrootfs: {},size=0T\n", volid);

    // ---- set latency ----
    std::vector<double> alone;
    for (int i = 0; i < 300; ++i) {
        auto t0 = Clock::now();
        must(runtime::update_config(host, id, {.set = {{"memory", std::to_string(64 + i % 2)}}}),
             "set");
        alone.push_back(ms_since(t0));
    }
    constexpr int procs = 16, per_proc = 100;
    const std::array<const char*, procs> keys{"cores",        "memory",   "swap",    "cpulimit",
                                              "cpuunits",     "hostname", "startup", "tags",
                                              "tty",          "onboot",   "console", "cmode",
                                              "searchdomain", "arch",     "ostype",  "nameserver"};
    auto value = [](std::string_view key, int j) -> std::string {
        if (key == "hostname")
            return fmt::format("h{}", j);
        if (key == "startup")
            return fmt::format("order={}", j);
        if (key == "tags")
            return fmt::format("t{}", j);
        if (key == "tty")
            return std::to_string(j % 7);
        if (key == "onboot" || key == "console")
            return std::to_string(j % 2);
        if (key == "cmode")
            return j % 2 ? "tty" : "shell";
        if (key == "searchdomain")
            return fmt::format("d{}.example", j);
        if (key == "arch")
            return j % 2 ? "amd64" : "arm64";
        if (key == "ostype")
            return j % 2 ? "debian" : "ubuntu";
        if (key == "nameserver")
            return fmt::format("10.0.0.{}", j % 250 + 1);
        if (key == "memory" || key == "cpuunits")
            return std::to_string(100 + j);
        return std::to_string(j + 1);
    };
    std::string lat_dir = fx.root + "/lat";
    fs::create_directories(lat_dir);
    auto t_all = Clock::now();
    std::vector<pid_t> pids;
    for (int p = 0; p < procs; ++p) {
        pid_t pid = ::fork();
        if (pid == 0) {
            std::ofstream out(fmt::format("{}/{}", lat_dir, p));
            for (int j = 0; j < per_proc; ++j) {
                auto t0 = Clock::now();
                auto ok = runtime::update_config(host, id, {.set = {{keys[p], value(keys[p], j)}}});
                out << ms_since(t0) << (ok ? "" : " E") << '\n';
            }
            out.close(); // _exit runs no destructor
            ::_exit(0);
        }
        pids.push_back(pid);
    }
    for (pid_t pid : pids)
        ::waitpid(pid, nullptr, 0);
    double wall = ms_since(t_all);
    std::vector<double> contended;
    int failures = 0;
    for (int p = 0; p < procs; ++p) {
        std::ifstream in(fmt::format("{}/{}", lat_dir, p));
        for (std::string line; std::getline(in, line);) {
            contended.push_back(std::stod(line));
            failures += line.ends_with(" E");
        }
    }
    std::printf("## set (runtime::update_config, stopped CT, config on a host layout)\n\n");
    std::printf("| case | median | p95 | max | throughput |\n| --- | --- | --- | --- | --- |\n");
    std::printf("| uncontended, 300 sets | %.2f ms | %.2f ms | %.2f ms | %.0f sets/s |\n",
                median(alone), percentile(alone, 0.95), percentile(alone, 1.0),
                1000.0 / median(alone));
    std::printf("| 16 processes x %d sets | %.2f ms | %.2f ms | %.2f ms | %.0f sets/s |\n",
                per_proc, median(contended), percentile(contended, 0.95),
                percentile(contended, 1.0), 1000.0 * procs * per_proc / wall);
    std::printf("\ncontended median / uncontended median: %.1fx; failed sets (flock timeout): "
                "%d\n\n",
                median(contended) / median(alone), failures);

    // ---- 1 GiB rootfs ----
    run(fmt::format("dd if=/dev/urandom of='{}/big' bs=16M count=64 status=none && sync", subvol));
    std::printf("## 1 GiB rootfs on btrfs (%d rounds, medians)\n\n", rounds);
    std::printf("| operation | libpct | raw | ratio |\n| --- | --- | --- | --- |\n");
    std::vector<double> snap_lib, snap_raw;
    for (int r = 0; r < rounds; ++r) {
        auto t0 = Clock::now();
        must(runtime::snapshot_create(host, id, "bench", {}), "snapshot");
        snap_lib.push_back(ms_since(t0));
        must(runtime::snapshot_delete(host, id, "bench", {}), "delsnapshot");
        snap_raw.push_back(timed(fmt::format(
            "btrfs -q subvolume snapshot -r '{0}' '{1}/raw-snap' >/dev/null", subvol, fx.mnt)));
        run(fmt::format("btrfs -q subvolume delete '{}/raw-snap' >/dev/null", fx.mnt));
    }
    print_row("snapshot", snap_lib, snap_raw, "`btrfs subvolume snapshot -r`");

    std::vector<double> full_lib, full_raw;
    Vmid newid{990002};
    for (int r = 0; r < rounds; ++r) {
        auto t0 = Clock::now();
        must(runtime::clone(host, id, newid, {.full = true}), "full clone");
        full_lib.push_back(ms_since(t0));
        auto ct = must(runtime::Container::open(host, newid), "open clone");
        must(ct.destroy(), "destroy clone");
        full_raw.push_back(
            timed(fmt::format("btrfs -q subvolume create '{1}/raw-copy' >/dev/null && "
                              "cp -a --reflink=always '{0}/.' '{1}/raw-copy/' && sync",
                              subvol, fx.mnt)));
        run(fmt::format("btrfs -q subvolume delete '{}/raw-copy' >/dev/null", fx.mnt));
    }
    print_row("full clone", full_lib, full_raw, "`cp -a --reflink=always`");

    // Linked clones on btrfs are of raw volumes (Proxmox's btrfs plugin: a subvol template has
    // no linked clone): a second CT with a 1 GiB raw rootfs filled with data, made a template.
    Vmid tid{990003};
    std::string raw_volid =
        must(storage::alloc_ct_disk(storages, tid, "bt", 1024 * 1024, 0, 0), "alloc raw");
    std::string raw_path = must(storages.path(raw_volid), "raw path");
    run(fmt::format("m=$(mktemp -d) && mount -o loop '{0}' \"$m\" && "
                    "dd if=/dev/urandom of=\"$m/big\" bs=16M count=56 status=none; "
                    "umount \"$m\" && rmdir \"$m\" && sync",
                    raw_path));
    std::ofstream(host.config_path(tid)) << fmt::format(
        "arch: amd64\nhostname: tmpl\nmemory: 64\nostype: debian\nrootfs: {},size=1G\n", raw_volid);
    id = tid;
    must(runtime::make_template(host, id), "template");
    // The template's rootfs is now the base volume: the raw side snapshots its subvolume.
    auto doc = must(storage::ConfigDocument::load(host, id), "load");
    std::string rootfs(doc.config().main.get("rootfs").value_or(""));
    std::string base =
        fs::path(must(storages.path(rootfs.substr(0, rootfs.find(','))), "base path"))
            .parent_path()
            .string();
    std::vector<double> linked_lib, linked_raw;
    for (int r = 0; r < rounds; ++r) {
        auto t0 = Clock::now();
        must(runtime::clone(host, id, newid, {.full = false}), "linked clone");
        linked_lib.push_back(ms_since(t0));
        auto ct = must(runtime::Container::open(host, newid), "open clone");
        must(ct.destroy(), "destroy clone");
        linked_raw.push_back(timed(fmt::format(
            "btrfs -q subvolume snapshot '{0}' '{1}/raw-link' >/dev/null", base, fx.mnt)));
        run(fmt::format("btrfs -q subvolume delete '{}/raw-link' >/dev/null", fx.mnt));
    }
    print_row("linked clone of a 1 GiB raw template", linked_lib, linked_raw,
              "`btrfs subvolume snapshot`");
    return 0;
}

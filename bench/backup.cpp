// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench-backup (root): vzdump-format backup and restore of a 1 GiB container rootfs beside
// GNU tar + zstd doing the same work on the same tree in the same run:
//  - backup: runtime::backup (stop mode of a stopped CT, zstd with 1 thread, into a dir
//    storage) against `tar cpf - <Proxmox's tar flags> -C ROOTFS . | zstd --threads=1`;
//  - restore: runtime::restore of that archive into a new CT (a subvol on the same storage)
//    against `tar xpf - --zstd <Proxmox's restore flags> -C DIR < archive`.
// The tree (made once per run under /tmp): ~33000 files of mixed sizes and contents (many small
// text files, some medium half-random ones, a few 64 MiB random ones), 1 GiB in all. Rounds
// alternate which of libpct and tar goes first, each step after a `sync`; medians, MiB/s of the
// tree and ratios are printed. The first round checks the restored tree's files and bytes.
//
//   pct-bench-backup [ROUNDS]    (default 3)
#include <pct/runtime/backup.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/restore.hpp>
#include <pct/storage/backups.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace pct;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t tree_bytes = std::uint64_t{1} << 30;

// The tar flags of Proxmox's backup and restore (vzdump-format §2.1, §4.5), so that the
// baseline does the same archive work as libpct's tar run.
constexpr const char* common_tar_flags =
    "--one-file-system -p --sparse --numeric-owner --acls --xattrs "
    "\"--xattrs-include=user.*\" --xattrs-include=security.capability "
    "--warning=no-file-ignored --warning=no-xattr-write";

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    if (v.empty())
        return 0;
    std::ranges::sort(v);
    return v[v.size() / 2];
}

void run(const std::string& command) {
    // pipefail as Proxmox runs its pipelines: a failing tar must fail the baseline too.
    std::string shell = "bash -o pipefail -c '" + command + "'";
    std::fflush(stdout);
    if (std::system(shell.c_str()) != 0) {
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
        std::fprintf(stderr, "%s: %s\n", what, to_string(r.error()).c_str());
        std::exit(1);
    }
    return std::move(*r);
}

void must(Result<void> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", what, to_string(r.error()).c_str());
        std::exit(1);
    }
}

// xorshift64*: a fixed sequence, so every run backs up the same tree.
struct Rng {
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    std::uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1DULL;
    }
    std::uint64_t below(std::uint64_t n) { return next() % n; }
};

// Contents are slices of two pools: random bytes (incompressible) and words (compressible
// about 4:1 by zstd -3, like configs, logs and scripts).
struct Pools {
    std::vector<char> random, text;
    explicit Pools(Rng& rng) : random(std::size_t{96} << 20), text(std::size_t{8} << 20) {
        for (std::size_t i = 0; i + 8 <= random.size(); i += 8) {
            std::uint64_t v = rng.next();
            std::memcpy(random.data() + i, &v, 8);
        }
        static constexpr std::array<std::string_view, 16> words{
            "container", "proxmox", "backup", "restore", "config",  "memory", "network", "the",
            "of",        "and",     "lxc",    "rootfs",  "storage", "zstd",   "archive", "file"};
        std::size_t i = 0;
        while (i < text.size()) {
            std::string_view w = words[rng.below(words.size())];
            for (char c : w)
                if (i < text.size())
                    text[i++] = c;
            if (i < text.size())
                text[i++] = rng.below(12) == 0 ? '\n' : ' ';
        }
    }
};

void write_file(const std::string& path, const Pools& pools, Rng& rng, std::uint64_t size,
                unsigned random_percent) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::perror(path.c_str());
        std::exit(1);
    }
    std::uint64_t left = size;
    while (left > 0) {
        const auto& pool = rng.below(100) < random_percent ? pools.random : pools.text;
        std::uint64_t chunk = std::min<std::uint64_t>(left, std::uint64_t{4} << 20);
        std::uint64_t offset = rng.below(pool.size() - chunk + 1);
        if (::write(fd, pool.data() + offset, chunk) != static_cast<ssize_t>(chunk)) {
            std::perror(path.c_str());
            std::exit(1);
        }
        left -= chunk;
    }
    ::close(fd);
}

struct TreeStats {
    std::uint64_t bytes = 0;
    std::uint64_t files = 0;
    std::uint64_t dirs = 0;
    std::uint64_t links = 0;
};

// 32768 small text files (256 B..12 KiB), 512 medium ones (64 KiB..1 MiB, half random), then
// 64 MiB random files up to exactly 1 GiB; 64x8 directories, a symlink every 1000 files.
TreeStats make_tree(const std::string& rootfs) {
    Rng rng;
    Pools pools(rng);
    TreeStats stats;
    for (int d = 0; d < 64; ++d)
        for (int e = 0; e < 8; ++e) {
            fs::create_directories(fmt::format("{}/d{:02}/e{}", rootfs, d, e));
            ++stats.dirs;
        }
    auto add = [&](std::uint64_t size, unsigned random_percent) {
        size = std::min(size, tree_bytes - stats.bytes);
        std::string dir =
            fmt::format("{}/d{:02}/e{}", rootfs, stats.files % 64, stats.files / 64 % 8);
        std::string path = fmt::format("{}/f{}", dir, stats.files);
        write_file(path, pools, rng, size, random_percent);
        if (stats.files % 1000 == 999) {
            fs::create_symlink(fmt::format("f{}", stats.files),
                               fmt::format("{}/l{}", dir, stats.files));
            ++stats.links;
        }
        stats.bytes += size;
        ++stats.files;
    };
    for (int i = 0; i < 32768; ++i)
        add(256 + rng.below(12 * 1024 - 256), 0);
    for (int i = 0; i < 512; ++i)
        add((64 << 10) + rng.below((1 << 20) - (64 << 10)), 50);
    while (stats.bytes < tree_bytes)
        add(std::uint64_t{64} << 20, 100);
    run("sync");
    return stats;
}

// The host layout in a temporary directory, removed at exit (also after std::exit).
std::string g_cleanup;

struct Fixture {
    std::string root;
    Fixture() {
        char tmpl[] = "/tmp/pct-bench-bk-XXXXXX";
        if (!::mkdtemp(tmpl))
            std::exit(1);
        root = tmpl;
        fs::permissions(root, fs::perms(0711));
        g_cleanup = fmt::format("rm -rf '{}'", root);
        std::atexit([] { (void)std::system(g_cleanup.c_str()); });
        fs::create_directories(root + "/etc/pve/lxc");
        fs::create_directories(root + "/var/lib/lxc");
        fs::create_directories(root + "/tar");
        std::ofstream(root + "/etc/pve/storage.cfg")
            << "dir: bench\n\tpath /store\n\tcontent rootdir,images,backup\n\n";
    }
};

double mib_per_s(double ms) {
    return ms > 0 ? double(tree_bytes) / double(1 << 20) / (ms / 1000) : 0;
}

void print_row(const char* what, const std::vector<double>& lib, const std::vector<double>& raw,
               const char* raw_name) {
    double l = median(lib), r = median(raw);
    std::printf("| %s | %.0f ms (%.0f MiB/s; %.0f-%.0f) | %s %.0f ms (%.0f MiB/s; %.0f-%.0f) | "
                "%.2f |\n",
                what, l, mib_per_s(l), std::ranges::min(lib), std::ranges::max(lib), raw_name, r,
                mib_per_s(r), std::ranges::min(raw), std::ranges::max(raw), r > 0 ? l / r : 0.0);
}

// Regular files and their bytes under `dir` (symlinks not followed).
std::pair<std::uint64_t, std::uint64_t> count_files(const std::string& dir) {
    std::uint64_t files = 0, bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && !e.is_symlink()) {
            ++files;
            bytes += e.file_size();
        }
    }
    return {files, bytes};
}

std::uint64_t file_size(const std::string& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

} // namespace

int main(int argc, char** argv) {
    int rounds = std::max(1, argc > 1 ? std::atoi(argv[1]) : 3);
    if (::geteuid() != 0) {
        std::puts("SKIP: pct-bench-backup needs root (container volumes, ownership)");
        return 0;
    }
    Fixture fx;
    storage::Host host(fx.root);
    auto storages = must(storage::Storages::load(host), "storages");
    const Vmid id{990101};
    const Vmid restored{990102};
    std::string volid = must(storage::alloc_ct_disk(storages, id, "bench", 0, 0, 0), "alloc");
    std::string rootfs = must(storages.path(volid), "path");
    std::ofstream(host.config_path(id)) << fmt::format(
        "arch: amd64\nhostname: bench\nmemory: 64\nostype: unmanaged\nrootfs: {},size=0T\n", volid);

    auto t_tree = Clock::now();
    TreeStats tree = make_tree(rootfs);
    std::printf("tree: %llu MiB in %llu files, %llu dirs, %llu symlinks (made in %.1f s)\n\n",
                static_cast<unsigned long long>(tree.bytes >> 20),
                static_cast<unsigned long long>(tree.files),
                static_cast<unsigned long long>(tree.dirs),
                static_cast<unsigned long long>(tree.links), ms_since(t_tree) / 1000);

    const std::string tar_archive = fx.root + "/tar/vzdump-lxc-990101.tar.zst";
    const std::string tar_target = fx.root + "/tar/x";
    std::vector<double> backup_lib, backup_tar, restore_lib, restore_tar;
    std::uint64_t lib_size = 0, tar_size = 0;
    // Each timed step starts after a `sync` (no write-back of the previous step in it), and
    // the order of libpct and tar alternates between rounds (neither always runs second, on a
    // page cache the other warmed).
    auto settle = [] { run("sync"); };
    for (int r = 0; r < rounds; ++r) {
        const bool libpct_first = r % 2 == 0;
        std::string archive;
        auto lib_backup = [&] {
            runtime::BackupOptions options;
            options.storage = "bench";
            options.mode = runtime::BackupMode::stop;
            options.compress = storage::BackupCompression::zstd;
            options.zstd_threads = 1;
            options.remove = false;
            settle();
            auto t0 = Clock::now();
            auto report = must(runtime::backup(host, id, options), "backup");
            backup_lib.push_back(ms_since(t0));
            lib_size = report.archive_size;
            archive = report.archive;
        };
        auto tar_backup = [&] {
            settle();
            backup_tar.push_back(
                timed(fmt::format("tar cpf - --totals {} -C \"{}\" . 2>/dev/null | zstd -q "
                                  "--threads=1 > \"{}\"",
                                  common_tar_flags, rootfs, tar_archive)));
            tar_size = file_size(tar_archive);
        };
        auto lib_restore = [&] {
            runtime::RestoreOptions restore;
            restore.archive = archive;
            restore.storage = "bench";
            restore.options = {{"rootfs", "bench:0"}};
            settle();
            auto t0 = Clock::now();
            // The first round keeps the restore's log with times: where its time goes.
            std::vector<std::string> steps;
            if (r == 0)
                restore.log = [&](std::string_view line) {
                    steps.push_back(fmt::format("{:8.0f} ms  {}", ms_since(t0), line));
                };
            auto ct = must(runtime::restore(host, restored, restore), "restore");
            restore_lib.push_back(ms_since(t0));
            if (r == 0) {
                std::printf("restore log of round 1 (ms since the call):\n");
                for (const auto& step : steps)
                    std::printf("%s\n", step.c_str());
                std::printf("%8.0f ms  (returned)\n\n", restore_lib.back());
                // The restored rootfs holds the tree (plus the empty pct.fw Proxmox leaves).
                auto doc = must(storage::ConfigDocument::load(host, restored), "restored config");
                std::string vol(doc.config().main.get("rootfs").value_or(""));
                auto [files, bytes] = count_files(
                    must(storages.path(vol.substr(0, vol.find(','))), "restored rootfs"));
                std::printf("restored rootfs: %llu files, %llu bytes (tree: %llu files, %llu "
                            "bytes)\n\n",
                            static_cast<unsigned long long>(files),
                            static_cast<unsigned long long>(bytes),
                            static_cast<unsigned long long>(tree.files),
                            static_cast<unsigned long long>(tree.bytes));
                if (bytes != tree.bytes || files < tree.files || files > tree.files + 1) {
                    std::fprintf(stderr, "restored tree differs from the original\n");
                    std::exit(1);
                }
            }
            must(ct.destroy(), "destroy restored CT");
        };
        auto tar_restore = [&] {
            fs::create_directories(tar_target);
            settle();
            restore_tar.push_back(timed(
                fmt::format("tar xpf - --zstd --totals {} -C \"{}\" --skip-old-files --anchored "
                            "--exclude \"./dev/*\" < \"{}\" 2>/dev/null",
                            common_tar_flags, tar_target, tar_archive)));
            fs::remove_all(tar_target);
        };
        if (libpct_first) {
            lib_backup();
            tar_backup();
            lib_restore();
            tar_restore();
        } else {
            tar_backup();
            lib_backup();
            tar_restore();
            lib_restore();
        }
        must(storage::remove_backup(archive), "remove archive");
        fs::remove(tar_archive);
    }

    std::printf("## backup and restore of a 1 GiB rootfs, zstd 1 thread (%d rounds, medians)\n\n",
                rounds);
    std::printf("| operation | libpct | GNU tar + zstd | ratio |\n| --- | --- | --- | --- |\n");
    print_row("backup (stop mode, stopped CT)", backup_lib, backup_tar, "`tar cpf - | zstd`");
    print_row("restore (new CT, subvol)", restore_lib, restore_tar, "`tar xpf - --zstd`");
    std::printf("\narchive size: libpct %.1f MiB, tar + zstd %.1f MiB\n",
                double(lib_size) / double(1 << 20), double(tar_size) / double(1 << 20));
    return 0;
}

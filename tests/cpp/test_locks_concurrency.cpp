// SPDX-License-Identifier: AGPL-3.0-or-later
// The concurrency acceptance test of the config lifecycle (issue 10): separate processes (not
// threads) on one CT on btrfs. 16 writers make 200 random `set`s each (runtime::update_config,
// half of them with the digest read just before), each writer owning one key; 2 snapshotters
// take and delete snapshots; a reader parses the file in a loop; the parent SIGKILLs writers
// and a snapshotter at random points. Afterwards:
//  - every change was applied or refused with a lock ("CT is locked (X)") or digest error;
//  - none was lost: each writer's key holds its last applied value (a killed writer: that or
//    the one it was writing when killed);
//  - the file always parsed (the reader never saw a torn file) and still does;
//  - the flock does not block (taken at once), no temp file of a dead writer stays after the
//    next write;
//  - what a killed snapshotter left (a `lock`, a half snapshot) is cleaned by `unlock` and
//    `snapshot_delete --force`: then no lock, no snapshot section, no `@snap` subvolume.
#include "btrfs_loop.hpp"
#include "storage_host.hpp"
#include "temp_dir.hpp"

#include <pct/parse/config.hpp>
#include <pct/runtime/locks.hpp>
#include <pct/runtime/pending.hpp>
#include <pct/runtime/snapshots.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
namespace fs = std::filesystem;

namespace {

constexpr int writers = 16;
constexpr int sets_per_writer = 200;
constexpr int snapshotters = 2;
constexpr int snapshot_rounds = 15;

// One key per writer, and the value its `j`th set writes (distinct per j where the key's
// domain allows it).
const std::array<const char*, writers> keys{
    "cores",      "memory",       "swap", "cpulimit", "cpuunits", "hostname", "startup", "tags",
    "nameserver", "searchdomain", "tty",  "onboot",   "console",  "cmode",    "arch",    "ostype"};

std::string value_of(int writer, int j) {
    std::string key = keys[writer];
    if (key == "cores")
        return std::to_string(j + 1);
    if (key == "memory")
        return std::to_string(64 + j);
    if (key == "swap")
        return std::to_string(j);
    if (key == "cpulimit")
        return std::to_string(j + 1);
    if (key == "cpuunits")
        return std::to_string(100 + j);
    if (key == "hostname")
        return fmt::format("w{}-{}", writer, j);
    if (key == "startup")
        return fmt::format("order={}", j);
    if (key == "tags")
        return fmt::format("t{}", j);
    if (key == "nameserver")
        return fmt::format("10.0.{}.{}", writer, j + 1);
    if (key == "searchdomain")
        return fmt::format("d{}.example", j);
    if (key == "tty")
        return std::to_string(j % 7);
    if (key == "onboot" || key == "console")
        return std::to_string(j % 2);
    if (key == "cmode")
        return std::array{"tty", "console", "shell"}[j % 3];
    if (key == "arch")
        return std::array{"amd64", "arm64", "i386", "armhf"}[j % 4];
    return std::array{"debian", "ubuntu", "alpine", "centos", "fedora"}[j % 5];
}

// The writer's key in the config the test starts from.
std::optional<std::string> initial_value(int writer) {
    static const std::map<std::string, std::string> initial{
        {"arch", "amd64"}, {"hostname", "start"}, {"memory", "64"}, {"ostype", "debian"}};
    auto it = initial.find(keys[writer]);
    return it == initial.end() ? std::nullopt : std::optional(it->second);
}

// A journal line written with one write(2), so a SIGKILL never leaves half a line.
void journal(int fd, const std::string& line) {
    std::string l = line + "\n";
    (void)!::write(fd, l.data(), l.size());
}

// A refusal the acceptance allows: the digest, a `lock` ("CT is locked (X)"), or the flock
// not obtained in time (Proxmox's "can't lock file '...' - got timeout"; the polling flock
// lets a writer starve under 16-way contention, see bench/RESULTS.md).
bool lock_or_digest(const Error& e) {
    return e.code == Errc::digest_mismatch || (e.code == Errc::bad_state && e.key == "lock") ||
           (e.code == Errc::bad_state && e.message.starts_with("can't lock file "));
}

[[noreturn]] void writer_main(const storage::Host& host, Vmid id, int w, int fd) {
    std::mt19937 rng(static_cast<unsigned>(::getpid()));
    for (int j = 0; j < sets_per_writer; ++j) {
        runtime::ConfigChange change;
        change.set = {{keys[w], value_of(w, j)}};
        if (rng() % 2) {
            auto doc = storage::ConfigDocument::load(host, id);
            if (doc)
                change.digest = doc->base_digest();
        }
        journal(fd, fmt::format("I {}", j));
        auto done = runtime::update_config(host, id, change);
        if (done)
            journal(fd, fmt::format("A {}", j));
        else if (lock_or_digest(done.error()))
            journal(fd, fmt::format("R {}", j));
        else
            journal(fd, fmt::format("E {} {}", j, done.error().message));
    }
    journal(fd, "D");
    ::_exit(0);
}

[[noreturn]] void snapshotter_main(const storage::Host& host, Vmid id, int s, int fd) {
    for (int r = 0; r < snapshot_rounds; ++r) {
        std::string name = fmt::format("s{}r{}", s, r);
        auto taken = runtime::snapshot_create(host, id, name, {});
        if (!taken) {
            journal(fd, fmt::format("{} {}", lock_or_digest(taken.error()) ? "R" : "E",
                                    taken.error().message));
            continue;
        }
        journal(fd, "A " + name);
        // A delete refused by another operation's lock is retried: the snapshot must go.
        for (int tries = 0; tries < 200; ++tries) {
            auto deleted = runtime::snapshot_delete(host, id, name, {});
            if (deleted) {
                journal(fd, "X " + name);
                break;
            }
            if (!lock_or_digest(deleted.error())) {
                journal(fd, "E " + deleted.error().message);
                break;
            }
            ::usleep(2000);
        }
    }
    journal(fd, "D");
    ::_exit(0);
}

[[noreturn]] void reader_main(const std::string& path, int fd) {
    long parsed = 0;
    for (;;) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto c = parse::config(text.str());
        if (!c)
            journal(fd, "E " + c.error().message);
        else if (++parsed % 200 == 0)
            journal(fd, fmt::format("P {}", parsed));
    }
}

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

pid_t spawn(const std::string& journal_path, auto&& body) {
    int fd = ::open(journal_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        body(fd);
    ::close(fd);
    return pid;
}

} // namespace

TEST_CASE("locks concurrency: 16 writers and 2 snapshotters on one CT with SIGKILLs") {
    test::TempDir dir("pct-lockcc");
    test::BtrfsLoop btrfs(dir.path() + "/mnt/bt", 512);
    if (!btrfs.available()) {
        MESSAGE("SKIP: " << btrfs.why());
        return;
    }
    storage::Host host(dir.path());
    fs::create_directories(host.host_path("/etc/pve/lxc"));
    test::write_text(host.storage_cfg_path(), "btrfs: bt\n\tpath /mnt/bt\n\tcontent rootdir\n");
    Vmid id{910501};
    auto storages = storage::Storages::load(host);
    REQUIRE(storages);
    auto volid = storage::alloc_ct_disk(*storages, id, "bt", 0, 0, 0);
    REQUIRE_MESSAGE(volid, (volid ? "" : volid.error().message));
    const std::string conf_path = host.config_path(id);
    test::write_text(conf_path, fmt::format("arch: amd64\nhostname: start\nmemory: 64\n"
                                            "ostype: debian\nrootfs: {},size=0T\n",
                                            *volid));
    const std::string journals = dir.path() + "/journal";
    fs::create_directories(journals);

    std::vector<pid_t> writer_pids, snap_pids;
    for (int w = 0; w < writers; ++w)
        writer_pids.push_back(spawn(fmt::format("{}/w{}", journals, w),
                                    [&](int fd) { writer_main(host, id, w, fd); }));
    for (int s = 0; s < snapshotters; ++s)
        snap_pids.push_back(spawn(fmt::format("{}/s{}", journals, s),
                                  [&](int fd) { snapshotter_main(host, id, s, fd); }));
    pid_t reader = spawn(journals + "/reader", [&](int fd) { reader_main(conf_path, fd); });

    // SIGKILL three writers and one snapshotter at random points of their run.
    std::mt19937 rng(std::random_device{}());
    std::set<int> killed_writers;
    bool killed_snapshotter = false;
    for (int k = 0; k < 4; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 800));
        if (k == 3) { // last: its leftover lock refuses the sets that follow
            ::kill(snap_pids[0], SIGKILL);
            killed_snapshotter = true;
            continue;
        }
        int w = static_cast<int>(rng() % writers);
        ::kill(writer_pids[w], SIGKILL);
        killed_writers.insert(w);
    }
    auto wait_all = [](const std::vector<pid_t>& pids) {
        for (pid_t p : pids) {
            int status = 0;
            ::waitpid(p, &status, 0);
        }
    };
    wait_all(writer_pids);
    wait_all(snap_pids);
    ::kill(reader, SIGKILL);
    ::waitpid(reader, nullptr, 0);

    // The flock does not block: taken at once.
    {
        auto lock = host.lock(id, std::chrono::milliseconds(200));
        REQUIRE_MESSAGE(lock, (lock ? "" : lock.error().message));
    }
    // The file parses, and the reader never saw it torn.
    auto final_doc = storage::ConfigDocument::load(host, id);
    REQUIRE_MESSAGE(final_doc, (final_doc ? "" : final_doc.error().message));
    long parses = 0;
    for (const auto& l : lines_of(journals + "/reader")) {
        CHECK_MESSAGE(!l.starts_with("E "), l);
        if (l.starts_with("P "))
            parses = std::stol(l.substr(2));
    }
    MESSAGE("reader parsed the file " << parses << "+ times");
    CHECK(parses >= 200);

    // Every set applied or refused with a lock/digest error; none lost.
    int applied_total = 0, refused_total = 0;
    for (int w = 0; w < writers; ++w) {
        CAPTURE(w);
        bool killed = killed_writers.contains(w);
        int last_applied = -1, in_flight = -1, applied = 0, refused = 0;
        bool done = false;
        for (const auto& l : lines_of(fmt::format("{}/w{}", journals, w))) {
            CHECK_MESSAGE(!l.starts_with("E "), l);
            if (l == "D")
                done = true;
            else if (l.starts_with("I "))
                in_flight = std::stoi(l.substr(2));
            else if (l.starts_with("A ")) {
                last_applied = std::stoi(l.substr(2));
                in_flight = -1;
                ++applied;
            } else if (l.starts_with("R ")) {
                in_flight = -1;
                ++refused;
            }
        }
        applied_total += applied;
        refused_total += refused;
        if (!killed) {
            CHECK(done);
            CHECK(applied + refused == sets_per_writer);
        }
        auto current = final_doc->config().main.get(keys[w]);
        std::vector<std::optional<std::string>> allowed{
            last_applied >= 0 ? std::optional(value_of(w, last_applied)) : initial_value(w)};
        if (killed && in_flight >= 0)
            allowed.emplace_back(value_of(w, in_flight));
        bool matches = std::ranges::any_of(allowed, [&](const std::optional<std::string>& v) {
            if (!v || !current)
                return !v && !current;
            return runtime::equivalent_values(keys[w], *current, *v);
        });
        CHECK_MESSAGE(matches, keys[w] << " is " << current.value_or("(absent)")
                                       << ", last applied "
                                       << allowed.front().value_or("(absent)"));
    }
    MESSAGE("sets applied " << applied_total << ", refused (lock/digest) " << refused_total);
    CHECK(applied_total > 0);

    int snaps_taken = 0;
    for (int s = 0; s < snapshotters; ++s)
        for (const auto& l : lines_of(fmt::format("{}/s{}", journals, s))) {
            CHECK_MESSAGE(!l.starts_with("E "), l);
            snaps_taken += l.starts_with("A ");
        }
    MESSAGE("snapshots taken " << snaps_taken);
    CHECK(snaps_taken > 0);

    // What the killed snapshotter left is cleaned by unlock + delsnapshot --force.
    CHECK(killed_snapshotter);
    if (final_doc->config().main.get("lock"))
        REQUIRE(runtime::unlock(host, id));
    auto listed = runtime::list_snapshots(host, id);
    REQUIRE(listed);
    for (const auto& snap : *listed)
        if (!snap.current) {
            auto gone = runtime::snapshot_delete(host, id, snap.name, {.force = true});
            CHECK_MESSAGE(gone, snap.name << ": " << (gone ? "" : gone.error().message));
        }
    auto clean = storage::ConfigDocument::load(host, id);
    REQUIRE(clean);
    CHECK_FALSE(clean->config().main.get("lock"));
    CHECK(clean->config().snapshots.empty());
    // No `@snap` subvolume of the rootfs stays behind.
    auto path = storages->path(*volid);
    REQUIRE(path);
    for (const auto& e : fs::directory_iterator(fs::path(*path).parent_path()))
        CHECK_MESSAGE(e.path().filename().string().find('@') == std::string::npos, e.path());
    // No temp file of a killed writer stays after the next write.
    REQUIRE(runtime::update_config(host, id, {.set = {{"memory", "128"}}}));
    for (const auto& e : fs::directory_iterator(fs::path(conf_path).parent_path()))
        CHECK_MESSAGE(e.path().filename().string().find(".tmp.") == std::string::npos, e.path());
}

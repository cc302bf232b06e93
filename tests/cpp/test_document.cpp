// SPDX-License-Identifier: AGPL-3.0-or-later
// storage::ConfigDocument: lossless edits, the lock rule, the digest check, update(), the temp
// file sweep; and the CLI's writers (`pct file set`, `pct set`) racing on one config.
#include <doctest/doctest.h>

#include <pct/edit.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/config_document.hpp>

#include <temp_dir.hpp>

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <spawn.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;
using pct::Errc;
using pct::storage::ConfigDocument;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;

namespace {

const std::string sample = "# my ct\narch: amd64\nmemory: 512\n\n[snap1]\nmemory: 256\n";

// Runs build/bin/pct quietly; returns the exit code.
int pct_cli(std::vector<std::string> args) {
    const std::string binary = std::string(PCT_BINARY_DIR) + "/bin/pct";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    args.insert(args.begin(), binary);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Forks `n` children running `body(i)` (exit status = its result) and waits for all.
template <class Body> int run_children(int n, Body body) {
    std::vector<pid_t> pids;
    for (int i = 0; i < n; ++i) {
        pid_t pid = ::fork();
        if (pid == 0)
            ::_exit(body(i));
        pids.push_back(pid);
    }
    int failed = 0;
    for (pid_t pid : pids) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    return failed;
}

// The directory for the racing writers: tmpfs when there is one (the lock and the digest are
// under test, not the disk's fsync latency).
std::string race_prefix() { return fs::exists("/dev/shm") ? "/dev/shm/pct-race" : "pct-race"; }

// Edits per CLI writer: 100 (1600 in all), a quarter under the sanitizers, where each of the
// 1600 `pct` runs starts an instrumented binary (several minutes on a loaded 2-core machine);
// 400 racing edits still show a lost update.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int cli_edits = 25;
#else
constexpr int cli_edits = 100;
#endif

} // namespace

TEST_CASE("document: edits are lossless and keep text and model equal") {
    auto doc = ConfigDocument::parse(sample);
    REQUIRE(doc);
    REQUIRE(doc->set("", "memory", "1024"));
    REQUIRE(doc->set("", "onboot", "yes"));
    REQUIRE(doc->lxc_append("", "lxc.mount.entry", "/a a none bind 0 0"));
    REQUIRE(doc->lxc_append("", "lxc.mount.entry", "/b b none bind 0 0"));
    REQUIRE(doc->lxc_remove("", 0));
    REQUIRE(doc->remove("snap1", "memory"));
    CHECK(doc->text() == "# my ct\narch: amd64\nmemory: 1024\nonboot: 1\n"
                         "lxc.mount.entry: /b b none bind 0 0\n\n[snap1]\n");
    CHECK(doc->parsed() == *pct::parse::config(doc->text()));
    CHECK(doc->section("")->options.at("memory") == "1024");
    CHECK(doc->section("snap1") != nullptr);
    CHECK(doc->section("nosuch") == nullptr);
    auto missing = doc->existing_section("nosuch");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);

    auto bad = doc->set("", "memory", "lots");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::invalid_argument);
    CHECK(bad.error().key == "memory");
    auto no_entry = doc->lxc_remove("", 5);
    REQUIRE_FALSE(no_entry);
    CHECK(no_entry.error().code == Errc::not_found);
    CHECK(no_entry.error().message == "lxc entry 5 does not exist");
    auto rejected = doc->lxc_append("", "lxc.rootfs.path", "/x");
    REQUIRE_FALSE(rejected);
    CHECK(rejected.error().code == Errc::invalid_argument);
    CHECK(rejected.error().key == "lxc.rootfs.path");
    auto no_file = doc->commit();
    REQUIRE_FALSE(no_file);
    CHECK(no_file.error().code == Errc::invalid_argument);
}

TEST_CASE("document: the lock of a config file is Proxmox's for a host layout else a sibling") {
    CHECK(pct::storage::config_lock_path("/etc/pve/lxc/100.conf") ==
          "/run/lock/lxc/pve-config-100.lock");
    CHECK(pct::storage::config_lock_path("/tmp/h/etc/pve/lxc/4711.conf") ==
          "/tmp/h/run/lock/lxc/pve-config-4711.lock");
    CHECK(pct::storage::config_lock_path("/tmp/x/100.conf") == "/tmp/x/.100.conf.lock");
    CHECK(pct::storage::config_lock_path("/tmp/h/etc/pve/lxc/99.conf") ==
          "/tmp/h/etc/pve/lxc/.99.conf.lock"); // no valid CTID: not a host config
    // A relative path is resolved: the lock does not depend on the working directory.
    CHECK(pct::storage::config_lock_path("my.conf") ==
          (fs::canonical(fs::current_path()) / ".my.conf.lock").string());

    // Host::lock and the document agree, so the runtime and the editors exclude each other.
    TempDir dir;
    pct::storage::Host host(dir.path());
    auto lock = host.lock(pct::Vmid{101});
    REQUIRE(lock);
    CHECK(lock->path() == pct::storage::config_lock_path(host.config_path(pct::Vmid{101})));
    auto second = pct::storage::lock_config_file(host.config_path(pct::Vmid{101}),
                                                 std::chrono::milliseconds(50));
    REQUIRE_FALSE(second);
    CHECK(second.error().code == Errc::bad_state);
}

TEST_CASE("document: commit refuses a file changed since it was read") {
    TempDir dir;
    std::string path = dir.sub("100.conf");
    write_text(path, sample);
    auto mine = ConfigDocument::load(path);
    auto theirs = ConfigDocument::load(path);
    REQUIRE(mine);
    REQUIRE(theirs);
    CHECK(mine->base_digest() == pct::parse::sha1_hex(sample));
    REQUIRE(theirs->set("", "memory", "2048"));
    REQUIRE(theirs->commit());
    REQUIRE(mine->set("", "swap", "64"));
    auto refused = mine->commit();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::digest_mismatch);
    CHECK(refused.error().key == "digest");
    CHECK(refused.error().context == path);
    CHECK(refused.error().message ==
          "detected modified configuration - file changed by other user? Try again.");
    CHECK(read_text(path) == theirs->text()); // nothing written

    // A committed document commits again (its base is what it wrote).
    REQUIRE(theirs->set("", "cores", "2"));
    REQUIRE(theirs->commit());
    CHECK(read_text(path) == theirs->text());
    CHECK(theirs->base_digest() == pct::parse::sha1_hex(theirs->text()));

    // A removed file never matches; a caller-given digest is what is expected.
    fs::remove(path);
    auto gone = theirs->commit();
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == Errc::digest_mismatch);
    write_text(path, sample);
    auto stale = ConfigDocument::load(path);
    REQUIRE(stale);
    stale->set_base_digest(std::string(40, '0'));
    CHECK(stale->commit().error().code == Errc::digest_mismatch);

    // save() to another file is a plain "save as" under that file's lock; the mode is kept.
    std::string other = dir.sub("other.conf");
    write_text(other, "memory: 1\n");
    ::chmod(other.c_str(), 0600);
    REQUIRE(mine->save(other, mine->text()));
    CHECK(read_text(other) == mine->text());
    struct stat st {};
    REQUIRE(::stat(other.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
}

TEST_CASE("document: commit under a lock the caller holds") {
    TempDir dir;
    pct::storage::Host host(dir.path());
    REQUIRE(pct::storage::make_dirs(host.config_dir()));
    write_text(host.config_path(pct::Vmid{105}), sample);
    auto doc = ConfigDocument::load(host, pct::Vmid{105});
    REQUIRE(doc);
    CHECK(doc->options().vmid == 105);
    REQUIRE(doc->set("", "memory", "64"));
    {
        auto lock = host.lock(pct::Vmid{105});
        REQUIRE(lock);
        REQUIRE(doc->commit(*lock));
        auto wrong = host.lock(pct::Vmid{106});
        REQUIRE(wrong);
        auto refused = doc->commit(*wrong);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::invalid_argument);
    }
    CHECK(read_text(host.config_path(pct::Vmid{105})) == doc->text());
    auto missing = ConfigDocument::load(host, pct::Vmid{107});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message ==
          "Configuration file '" + host.config_path(pct::Vmid{107}) + "' does not exist");
}

TEST_CASE("document: update holds the lock from read to write and writes nothing on error") {
    TempDir dir;
    std::string path = dir.sub("100.conf");
    write_text(path, sample);
    auto done = pct::storage::update(
        path, [](ConfigDocument& doc) { return doc.set("", "memory", "128"); });
    REQUIRE(done);
    CHECK(read_text(path) == "# my ct\narch: amd64\nmemory: 128\n\n[snap1]\nmemory: 256\n");
    auto refused =
        pct::storage::update(path, [](ConfigDocument& doc) { return doc.set("", "memory", "x"); });
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::invalid_argument);
    CHECK(read_text(path) == done->text());
}

TEST_CASE("document: 16 processes x 100 commits with the digest retry lose no update") {
    TempDir dir(race_prefix());
    std::string path = dir.sub("100.conf");
    write_text(path, "arch: amd64\nswap: 0\n");
    int failed = run_children(16, [&](int) {
        for (int n = 0; n < 100; ++n) {
            for (;;) {
                auto doc = ConfigDocument::load(path);
                if (!doc)
                    return 1;
                long value = std::stol(doc->section("")->options.at("swap"));
                if (!doc->set("", "swap", std::to_string(value + 1)))
                    return 1;
                auto ok = doc->commit();
                if (ok)
                    break;
                if (ok.error().code != Errc::digest_mismatch)
                    return 1;
            }
        }
        return 0;
    });
    CHECK(failed == 0);
    CHECK(read_text(path) == "arch: amd64\nswap: 1600\n");
}

TEST_CASE("document: a temp file of a killed writer is swept by the next write") {
    TempDir dir;
    std::string path = dir.sub("100.conf");
    write_text(path, sample);
    // A writer killed between creating and renaming its temp file.
    // The child says through a pipe when its file exists (a handshake, not a poll with a
    // deadline that a loaded machine can miss).
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_t child = ::fork();
    if (child == 0) {
        ::close(ready[0]);
        int fd =
            ::open((dir.sub(".100.conf.tmp.") + std::to_string(::getpid()) + ".abcdef").c_str(),
                   O_CREAT | O_WRONLY, 0600);
        (void)!::write(fd, "partial", 7);
        (void)!::write(ready[1], "x", 1);
        ::pause();
        ::_exit(0);
    }
    ::close(ready[1]);
    char byte = 0;
    ssize_t got = 0;
    do
        got = ::read(ready[0], &byte, 1);
    while (got < 0 && errno == EINTR);
    ::close(ready[0]);
    std::string dead = dir.sub(".100.conf.tmp." + std::to_string(child) + ".abcdef");
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    REQUIRE(got == 1);
    REQUIRE(fs::exists(dead));
    // A live writer's temp file stays; one older than stale_temp_age goes even so.
    std::string live = dir.sub(".100.conf.tmp." + std::to_string(::getpid()) + ".zzzzzz");
    std::string old = dir.sub(".100.conf.tmp.1.yyyyyy");
    std::string other = dir.sub(".101.conf.tmp.999999999.xxxxxx");
    write_text(live, "x");
    write_text(old, "x");
    write_text(other, "x");
    struct timespec times[2] = {{0, UTIME_OMIT}, {::time(nullptr) - 3600, 0}};
    REQUIRE(::utimensat(AT_FDCWD, old.c_str(), times, 0) == 0);

    REQUIRE(pct::storage::write_file_atomic(path, "memory: 1\n"));
    CHECK_FALSE(fs::exists(dead));
    CHECK_FALSE(fs::exists(old));
    CHECK(fs::exists(live));  // its writer (this process) is alive
    CHECK(fs::exists(other)); // another file's temp files are not this write's business
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path()))
        names.insert(e.path().filename().string());
    CHECK(names == std::set<std::string>{"100.conf", live.substr(live.rfind('/') + 1),
                                         other.substr(other.rfind('/') + 1)});
}

TEST_CASE("cli: 16 pct file set processes x 100 keys keep all 1600") {
    TempDir dir(race_prefix());
    std::string path = dir.sub("100.conf");
    write_text(path, "arch: amd64\nhostname: race\n");
    int failed = run_children(16, [&](int i) {
        for (int n = 0; n < cli_edits; ++n) {
            std::string key = "lxc.cgroup2.p" + std::to_string(i) + ".k" + std::to_string(n);
            if (pct_cli({"file", "set", "--lossless", path, key, std::to_string(n)}) != 0)
                return 1;
        }
        return 0;
    });
    CHECK(failed == 0);
    auto doc = ConfigDocument::load(path);
    REQUIRE(doc);
    CHECK(doc->parsed().warnings.empty());
    CHECK(doc->config().main.lxc.size() == 16 * cli_edits);
}

TEST_CASE("cli: 16 pct set processes x 100 edits keep every last value") {
    TempDir dir(race_prefix());
    pct::storage::Host host(dir.path());
    REQUIRE(pct::storage::make_dirs(host.config_dir()));
    std::string path = host.config_path(pct::Vmid{100});
    write_text(path, "arch: amd64\nhostname: race\n");
    // Process i owns unused<16i>..unused<16i+15>; edit n writes disk n into slot n % 16 (with
    // one-dash flags, as Proxmox's CLI takes them). At the end slot k holds the disk of the
    // last n with n % 16 == k: a lost update of any of the last edits shows as an older disk
    // or a missing key.
    int failed = run_children(16, [&](int i) {
        for (int n = 0; n < cli_edits; ++n) {
            std::string key = "-unused" + std::to_string(16 * i + n % 16);
            std::string volume = "local:100/vm-100-disk-" + std::to_string(n) + ".raw";
            if (pct_cli({"--root", dir.path(), "set", "100", key, volume}) != 0)
                return 1;
        }
        return 0;
    });
    CHECK(failed == 0);
    auto doc = ConfigDocument::load(path);
    REQUIRE(doc);
    int kept = 0;
    for (int i = 0; i < 16; ++i)
        for (int k = 0; k < 16; ++k) {
            auto v = doc->config().main.get("unused" + std::to_string(16 * i + k));
            int last = (cli_edits - 1 - k) / 16 * 16 + k; // the last n < cli_edits, n % 16 == k
            kept += v && *v == "local:100/vm-100-disk-" + std::to_string(last) + ".raw";
        }
    CHECK(kept == 256);
}

TEST_CASE("cli: pct set refusals leave the config as it was") {
    TempDir dir;
    pct::storage::Host host(dir.path());
    REQUIRE(pct::storage::make_dirs(host.config_dir()));
    std::string path = host.config_path(pct::Vmid{100});
    const std::string text = "arch: amd64\nmemory: 512\nonboot: 1\n";
    write_text(path, text);
    auto set = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--root", dir.path(), "set", "100"});
        return pct_cli(args);
    };
    CHECK(set({"--memory", "lots"}) == 255);
    CHECK(set({"--bogus", "1"}) == 255);     // not a schema key
    CHECK(set({"--parent", "snap"}) == 255); // in the schema, not settable
    CHECK(set({"--memory"}) == 255);
    CHECK(set({"--memory", "64", "--digest", std::string(40, '0')}) == 255);
    CHECK(set({"--memory", "64", "--delete", "memory"}) == 255);
    CHECK(set({}) == 255);
    CHECK(read_text(path) == text);

    // With the right digest, one-dash flags, --KEY=VALUE and a delete of an unset key.
    CHECK(set({"-memory", "64", "--swap=32", "--digest", pct::parse::sha1_hex(text), "--delete",
               "onboot,tags"}) == 0);
    CHECK(read_text(path) == "arch: amd64\nmemory: 64\nswap: 32\n");
    write_text(path, "arch: amd64\nlock: backup\n");
    CHECK(set({"--memory", "64"}) == 255); // a locked CT
    CHECK(read_text(path) == "arch: amd64\nlock: backup\n");
    CHECK(pct_cli({"--root", dir.path(), "set", "101", "--memory", "64"}) == 255);
}

TEST_CASE("document: one digest refusal and one lock rule for every writer") {
    pct::Error digest = pct::storage::digest_mismatch("/x/100.conf");
    CHECK(digest.code == Errc::digest_mismatch);
    CHECK(digest.key == "digest");
    CHECK(digest.context == "/x/100.conf");
    CHECK(digest.message ==
          "detected modified configuration - file changed by other user? Try again.");

    auto locked = ConfigDocument::parse("arch: amd64\nlock: mounted\n");
    REQUIRE(locked);
    auto refused = pct::storage::check_unlocked(locked->config());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::bad_state);
    CHECK(refused.error().key == "lock");
    CHECK(refused.error().message == "CT is locked (mounted)");
    CHECK(pct::storage::check_unlocked(locked->config(), true)); // `mounted` may pass
    auto plain = ConfigDocument::parse(sample);
    REQUIRE(plain);
    CHECK(pct::storage::check_unlocked(plain->config()));
    // An editor of the file is no operation on the CT: it can remove a stale lock.
    REQUIRE(locked->remove("", "lock"));
    CHECK(pct::storage::check_unlocked(locked->config()));
}

TEST_CASE("document: a value with a NUL is an invalid argument naming the key") {
    // Before, edit's own rule refused LF and CR only: the NUL reached the parser and came back
    // as a parse error (or was stored, cutting the line for liblxc).
    for (const char* key :
         {"arch", "hostname", "tags", "lxc.apparmor.profile", "lxc.mount.entry"}) {
        CAPTURE(key);
        auto doc = ConfigDocument::parse(sample);
        REQUIRE(doc);
        auto bad = doc->set("", key, std::string("a\0b", 3));
        REQUIRE_FALSE(bad);
        CHECK(bad.error().code == Errc::invalid_argument);
        CHECK(bad.error().key == key);
        CHECK(doc->text() == sample);
        auto edited = pct::edit::set(sample, pct::edit::Target{"", key}, std::string("a\0b", 3));
        REQUIRE_FALSE(edited);
        CHECK(edited.error().code == Errc::invalid_argument);
        CHECK(edited.error().key == key);
    }
    // `env` keeps its entries NUL-separated; an entry is still one line.
    auto doc = ConfigDocument::parse(sample);
    REQUIRE(doc);
    REQUIRE(doc->set("", "env", std::string("X=1\0Y=2", 7)));
    auto broken = doc->set("", "env", std::string("X=1\0Y=\n2", 8));
    REQUIRE_FALSE(broken);
    CHECK(broken.error().code == Errc::invalid_argument);
    CHECK(broken.error().key == "env");
}

namespace {

// Runs the test body in `dir` and goes back to where it was, even when a REQUIRE fails.
struct InDirectory {
    fs::path previous = fs::current_path();
    explicit InDirectory(const std::string& dir) { fs::current_path(dir); }
    ~InDirectory() { fs::current_path(previous); }
    InDirectory(const InDirectory&) = delete;
    InDirectory& operator=(const InDirectory&) = delete;
};

bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec);
}

} // namespace

TEST_CASE("document: every spelling of a host config takes the CT's lock") {
    // A Proxmox host's layout: /etc/pve/lxc links to /etc/pve/nodes/NODE/lxc.
    TempDir dir;
    pct::storage::Host host(dir.path());
    REQUIRE(pct::storage::make_dirs(dir.sub("etc/pve/nodes/n1/lxc")));
    REQUIRE(::symlink("nodes/n1/lxc", dir.sub("etc/pve/lxc").c_str()) == 0);
    std::string path = host.config_path(pct::Vmid{100});
    write_text(path, sample);
    auto held = host.lock(pct::Vmid{100}, std::chrono::milliseconds(50));
    REQUIRE(held);
    CHECK(same_file(held->path(), dir.sub("run/lock/lxc/pve-config-100.lock")));

    InDirectory in_lxc(dir.sub("etc/pve/lxc"));
    const std::vector<std::string> spellings = {
        path,
        "./100.conf",
        "100.conf",
        dir.path() + "/etc/pve//lxc/100.conf",
        dir.path() + "/etc/pve/lxc/../lxc/100.conf",
        dir.sub("etc/pve/nodes/n1/lxc/100.conf"),
    };
    auto doc = ConfigDocument::load(path);
    REQUIRE(doc);
    REQUIRE(doc->set("", "memory", "1024"));
    for (const std::string& spelling : spellings) {
        CAPTURE(spelling);
        CHECK(same_file(pct::storage::config_lock_path(spelling), held->path()));
        // While `pct set` (or a start) holds the CT lock, no spelling gets in.
        auto second = pct::storage::lock_config_file(spelling, std::chrono::milliseconds(50));
        REQUIRE_FALSE(second);
        CHECK(second.error().code == Errc::bad_state);
        auto saved = doc->save(spelling, doc->text(), std::chrono::milliseconds(50));
        REQUIRE_FALSE(saved);
        CHECK(saved.error().code == Errc::bad_state);
        auto through = ConfigDocument::load(spelling);
        REQUIRE(through);
        CHECK(through->commit(*held)); // the CT lock guards the file whatever its spelling
    }
    CHECK(read_text(path) == sample);
    REQUIRE(doc->commit(*held)); // the holder commits through the host's spelling
}

TEST_CASE("document: a save to another spelling of the document's file checks the digest") {
    TempDir dir;
    write_text(dir.sub("100.conf"), sample);
    REQUIRE(pct::storage::make_dirs(dir.sub("sub")));
    InDirectory in_dir(dir.path());
    auto mine = ConfigDocument::load("./100.conf");
    auto theirs = ConfigDocument::load(dir.sub("100.conf"));
    REQUIRE(mine);
    REQUIRE(theirs);
    REQUIRE(theirs->set("", "memory", "2048"));
    REQUIRE(theirs->commit());
    REQUIRE(mine->set("", "swap", "64"));
    for (const std::string& spelling :
         {dir.sub("100.conf"), dir.path() + "//100.conf", dir.path() + "/sub/../100.conf"}) {
        CAPTURE(spelling);
        auto refused = mine->save(spelling, mine->text());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::digest_mismatch);
    }
    CHECK(read_text(dir.sub("100.conf")) == theirs->text());
    // What a document wrote through one spelling is what it expects through another.
    REQUIRE(theirs->set("", "cores", "2"));
    REQUIRE(theirs->save(dir.path() + "/sub/../100.conf", theirs->text()));
    REQUIRE(theirs->set("", "cores", "3"));
    REQUIRE(theirs->commit());
}

// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/host.hpp>
#include <pct/storage/lock.hpp>
#include <pct/storage/storage_cfg.hpp>

#include "open_watch.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("storage: host layout paths under a root") {
    storage::Host sys;
    CHECK(sys.root() == "/");
    CHECK(sys.config_path(Vmid{100}) == "/etc/pve/lxc/100.conf");
    CHECK(sys.lxcpath() == "/var/lib/lxc");
    CHECK(sys.ct_dir(Vmid{101}) == "/var/lib/lxc/101");
    CHECK(sys.lock_path(Vmid{102}) == "/run/lock/lxc/pve-config-102.lock");
    CHECK(sys.storage_cfg_path() == "/etc/pve/storage.cfg");

    storage::Host h("/tmp/x//");
    CHECK(h.root() == "/tmp/x");
    CHECK(h.config_path(Vmid{100}) == "/tmp/x/etc/pve/lxc/100.conf");
    CHECK(h.lock_path(Vmid{999999999}) == "/tmp/x/run/lock/lxc/pve-config-999999999.lock");
    CHECK(h.host_path("/srv/a") == "/tmp/x/srv/a");
}

TEST_CASE("storage: CTID range") {
    CHECK(storage::Host::check_vmid(100).has_value());
    CHECK(storage::Host::check_vmid(999999999).has_value());
    auto low = storage::Host::check_vmid(99);
    REQUIRE_FALSE(low.has_value());
    CHECK(low.error().code == Errc::invalid_argument);
    CHECK(low.error().key == "vmid");
    CHECK_FALSE(storage::Host::check_vmid(1000000000).has_value());
}

TEST_CASE("storage: atomic write replaces content and mode and leaves no temp file") {
    TempDir tmp;
    std::string path = tmp.sub("a.conf");
    REQUIRE(storage::write_file_atomic(path, "one\n").has_value());
    REQUIRE(storage::write_file_atomic(path, "two\n", 0600).has_value());
    auto text = storage::read_file(path);
    REQUIRE(text.has_value());
    CHECK(*text == "two\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    int entries = 0;
    for (auto& e : fs::directory_iterator(tmp.path())) {
        (void)e;
        ++entries;
    }
    CHECK(entries == 1);

    SUBCASE("missing directory is an io error naming the file") {
        auto r = storage::write_file_atomic(tmp.sub("nodir/x.conf"), "x");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::io);
        CHECK(r.error().sys_errno == ENOENT);
        CHECK(r.error().context == tmp.sub("nodir/x.conf"));
    }
    SUBCASE("reading a missing file is not_found") {
        auto r = storage::read_file(tmp.sub("nope"));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::not_found);
    }
    SUBCASE("a large file survives intact") {
        std::string big(3 * 1024 * 1024 + 7, 'x');
        big[12345] = 'y';
        REQUIRE(storage::write_file_atomic(path, big).has_value());
        CHECK(storage::read_file(path).value() == big);
    }
}

TEST_CASE("storage: make_dirs creates nested dirs and refuses a file in the way") {
    TempDir tmp;
    REQUIRE(storage::make_dirs(tmp.sub("a/b/c")).has_value());
    CHECK(fs::is_directory(tmp.sub("a/b/c")));
    REQUIRE(storage::make_dirs(tmp.sub("a/b/c")).has_value()); // idempotent
    pct::test::write_text(tmp.sub("f"), "x");
    auto r = storage::make_dirs(tmp.sub("f/g"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().sys_errno == ENOTDIR);
}

TEST_CASE("storage: file lock excludes a second holder until released") {
    TempDir tmp;
    std::string path = tmp.sub("x.lock");
    auto first = storage::FileLock::acquire(path, 100ms);
    REQUIRE(first.has_value());

    auto t0 = std::chrono::steady_clock::now();
    auto second = storage::FileLock::acquire(path, 150ms);
    auto waited = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().code == Errc::bad_state);
    CHECK(second.error().message == "can't lock file '" + path + "' - got timeout");
    CHECK(waited >= 150ms);

    SUBCASE("a waiter gets it once the holder releases") {
        std::atomic<bool> got{false};
        std::thread waiter([&] {
            auto l = storage::FileLock::acquire(path, 5s);
            got = l.has_value();
        });
        std::this_thread::sleep_for(100ms);
        CHECK_FALSE(got.load());
        first->release();
        waiter.join();
        CHECK(got.load());
    }
    SUBCASE("another process is excluded too") {
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            auto l = storage::FileLock::acquire(path, 50ms);
            ::_exit(l.has_value() ? 1 : 0);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    SUBCASE("moving keeps the lock held") {
        storage::FileLock moved = std::move(*first);
        CHECK(moved.held());
        CHECK_FALSE(storage::FileLock::acquire(path, 10ms).has_value());
        moved.release();
        CHECK(storage::FileLock::acquire(path, 10ms).has_value());
    }
}

TEST_CASE("storage: storage.cfg parsing") {
    const char* text = "# comment\n"
                       "dir: local\n"
                       "\tpath /var/lib/vz\n"
                       "\tcontent iso,vztmpl,backup\n"
                       "\n"
                       "lvmthin: local-lvm\n"
                       "\tthinpool data\n"
                       "\tvgname pve\n"
                       "\tcontent rootdir,images\n"
                       "\n"
                       "dir: bulk\n"
                       "        path /srv/bulk\n"
                       "        shared\n"
                       "        disable 0\n";
    auto r = storage::parse_storage_cfg(text, "storage.cfg");
    REQUIRE(r.has_value());
    REQUIRE(r->size() == 3);
    CHECK((*r)[0].name == "local");
    CHECK((*r)[0].path() == "/var/lib/vz");
    CHECK((*r)[0].line == 2);
    CHECK((*r)[1].type == "lvmthin");
    CHECK((*r)[1].options.at("vgname") == "pve");
    CHECK((*r)[2].path() == "/srv/bulk");
    CHECK((*r)[2].options.at("shared") == "1");
    CHECK_FALSE((*r)[2].disabled());

    SUBCASE("local is implied when missing") {
        auto only = storage::parse_storage_cfg("dir: other\n\tpath /o\n");
        REQUIRE(only.has_value());
        REQUIRE(only->size() == 2);
        CHECK(only->back().name == "local");
        CHECK(only->back().type == "dir");
        CHECK(only->back().path() == "/var/lib/vz");
        CHECK(storage::parse_storage_cfg("").value().size() == 1);
    }
    SUBCASE("problems are warnings as in Proxmox: the line or section is skipped") {
        auto cfg = storage::parse_storage_config("dir: a1\n\tpath /a\n\n\tpath /b\n\n"
                                                 "dir: a1\n\tpath /b\n\ndir local\n",
                                                 "/etc/pve/storage.cfg");
        REQUIRE(cfg.entries.size() == 2);
        CHECK(cfg.entries[0].path() == "/a");
        REQUIRE(cfg.warnings.size() == 3);
        CHECK(cfg.warnings[0] == "file storage.cfg line 4 - ignore config line: \tpath /b");
        CHECK(cfg.warnings[1] ==
              "file storage.cfg line 6 (skip section 'a1'): duplicate section ID 'a1'");
        CHECK(cfg.warnings[2] == "file storage.cfg line 9 - ignore config line: dir local");
    }
}

TEST_CASE("storage: volume ids and paths") {
    TempDir tmp;
    storage::Host host(tmp.path());
    pct::test::write_text(host.storage_cfg_path(), "dir: local\n\tpath /var/lib/vz\n\n"
                                                   "dir: bulk\n\tpath /srv/bulk\n\n"
                                                   "dir: off\n\tpath /srv/off\n\tdisable\n\n"
                                                   "zfspool: tank\n\tpool tank/data\n");
    Vmid id{123};
    CHECK(host.volume_path(id, "local:123/subvol-123-disk-0.subvol").value() ==
          tmp.path() + "/var/lib/vz/images/123/subvol-123-disk-0.subvol");
    CHECK(host.volume_path(id, "bulk:subvol-123-disk-1.subvol").value() ==
          tmp.path() + "/srv/bulk/images/123/subvol-123-disk-1.subvol");
    CHECK(host.volume_path(id, "/srv/ct123").value() == tmp.path() + "/srv/ct123");
    CHECK(host.template_path("local:vztmpl/t.tar.zst").value() ==
          tmp.path() + "/var/lib/vz/template/cache/t.tar.zst");
    CHECK(host.template_path("/some/where/t.tar.gz").value() == "/some/where/t.tar.gz");

    auto code_of = [&](std::string_view vol) {
        auto r = host.volume_path(id, vol);
        return r ? Errc::internal : r.error().code;
    };
    CHECK(code_of("nosuch:123/subvol-123-disk-0.subvol") == Errc::not_found);
    CHECK(code_of("tank:subvol-123-disk-0") == Errc::unsupported);
    CHECK(code_of("local:123/vm-123-disk-0.raw") == Errc::unsupported);
    CHECK(code_of("off:x") == Errc::bad_state);
    CHECK(code_of("local:../../etc") == Errc::invalid_argument);
    CHECK(code_of("local:123/../x") == Errc::invalid_argument);
    CHECK(code_of("/srv/../etc") == Errc::invalid_argument);
    CHECK(code_of("relative/path") == Errc::invalid_argument);

    SUBCASE("allocate_subvol takes the lowest free index; free_volume removes it") {
        auto v0 = host.allocate_subvol(id, "bulk");
        REQUIRE(v0.has_value());
        CHECK(*v0 == "bulk:123/subvol-123-disk-0.subvol");
        auto v1 = host.allocate_subvol(id, "bulk");
        CHECK(v1.value() == "bulk:123/subvol-123-disk-1.subvol");
        std::string p0 = host.volume_path(id, *v0).value();
        CHECK(fs::is_directory(p0));
        pct::test::write_text(p0 + "/etc/x", "x");
        REQUIRE(host.free_volume(id, *v0).has_value());
        CHECK_FALSE(fs::exists(p0));
        CHECK(host.allocate_subvol(id, "bulk").value() == *v0);
        CHECK(host.free_volume(id, "/srv/ct123").has_value()); // bind paths are never removed
    }
    SUBCASE("next_subvol names the lowest free volume without making it") {
        CHECK(host.next_subvol(id, "bulk").value() == "bulk:123/subvol-123-disk-0.subvol");
        CHECK(host.next_subvol(id, "bulk").value() == "bulk:123/subvol-123-disk-0.subvol");
        CHECK_FALSE(fs::exists(host.volume_path(id, "bulk:123/subvol-123-disk-0.subvol").value()));
        REQUIRE(host.allocate_subvol(id, "bulk").has_value());
        CHECK(host.next_subvol(id, "bulk").value() == "bulk:123/subvol-123-disk-1.subvol");
        CHECK(host.next_subvol(id, "nosuch").error().code == Errc::not_found);
    }
}

TEST_CASE("storage: config files under the lock") {
    TempDir tmp;
    storage::Host host(tmp.path());
    Vmid id{4242};
    CHECK(host.list().value().empty());
    CHECK_FALSE(host.exists(id));
    auto missing = host.read_config(id);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message ==
          "Configuration file '" + host.config_path(id) + "' does not exist");

    ContainerConfig cfg;
    cfg.main.options["hostname"] = "ct4242";
    cfg.main.options["memory"] = "256";
    {
        auto lock = host.lock(id);
        REQUIRE(lock.has_value());
        REQUIRE(host.create_config(*lock, cfg).has_value());
        auto again = host.create_config(*lock, cfg);
        REQUIRE_FALSE(again.has_value());
        CHECK(again.error().code == Errc::already_exists);
        CHECK(again.error().message == "CT 4242 already exists");
        SUBCASE("lock is exclusive") {
            auto other = host.lock(id, 20ms);
            REQUIRE_FALSE(other.has_value());
            CHECK(other.error().code == Errc::bad_state);
        }
    }
    CHECK(host.exists(id));
    auto read = host.read_config(id);
    REQUIRE(read.has_value());
    CHECK(read->config.main.options.at("hostname") == "ct4242");
    CHECK(storage::read_file(host.config_path(id)).value() == "hostname: ct4242\nmemory: 256\n");

    pct::test::write_text(host.config_dir() + "/101.conf", "memory: 1\n");
    pct::test::write_text(host.config_dir() + "/notes.txt", "x");
    pct::test::write_text(host.config_dir() + "/99.conf", "x");
    pct::test::write_text(host.config_dir() + "/abc.conf", "x");
    auto ids = host.list().value();
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] == Vmid{101});
    CHECK(ids[1] == Vmid{4242});

    {
        auto lock = host.lock(id);
        REQUIRE(lock.has_value());
        REQUIRE(host.remove_config(*lock).has_value());
        CHECK(host.remove_config(*lock).error().code == Errc::not_found);
    }
    CHECK_FALSE(host.exists(id));
}

TEST_CASE("storage: concurrent read-modify-write under the lock loses no update") {
    TempDir tmp;
    storage::Host host(tmp.path());
    Vmid id{4343};
    {
        auto lock = host.lock(id).value();
        ContainerConfig cfg;
        cfg.main.options["cores"] = "0";
        REQUIRE(host.create_config(lock, cfg).has_value());
    }
    constexpr int threads = 4, rounds = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (int i = 0; i < rounds; ++i) {
                auto lock = host.lock(id, 20s);
                if (!lock) {
                    ++failures;
                    continue;
                }
                auto cur = host.read_config(id);
                if (!cur) {
                    ++failures;
                    continue;
                }
                auto cfg = cur->config;
                int n = std::stoi(std::string(cfg.main.options.at("cores")));
                cfg.main.options["cores"] = std::to_string(n + 1);
                if (!host.write_config(*lock, cfg))
                    ++failures;
            }
        });
    for (auto& t : pool)
        t.join();
    CHECK(failures.load() == 0);
    CHECK(host.read_config(id).value().config.main.options.at("cores") ==
          std::to_string(threads * rounds));
}

TEST_CASE("storage: read_file never opens a device node or FIFO, it only looks at it") {
    // Opening a device node has effects of its own (a watchdog's arms it); before, read_file
    // opened the name and only then asked fstat() what it was.
    TempDir tmp;
    std::vector<std::string> planted = {tmp.sub("fifo")};
    REQUIRE(::mkfifo(planted[0].c_str(), 0600) == 0);
    if (::geteuid() == 0) { // /dev/null's numbers: harmless should it be opened after all
        planted.push_back(tmp.sub("null-node"));
        REQUIRE(::mknod(planted[1].c_str(), S_IFCHR | 0600, ::makedev(1, 3)) == 0);
    }
    test::OpenWatch watch(planted);
    for (const auto& path : planted) {
        auto r = storage::read_file(path);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().message.find("is not a regular file") != std::string::npos);
    }
    auto opened = watch.opened();
    CHECK_MESSAGE(opened.empty(), opened.front());
    // The watch does see a real open.
    ::close(::open(planted[0].c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    CHECK(watch.opened() == std::vector<std::string>{planted[0]});
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// What keeps a start cheap without changing its result: derived files rewritten only when
// their content changes (and replaced when anything else about them differs), the start
// marker sections of liblxc's log, host detection narrowed to what a config needs, and the
// liblxc handle reused only while it read the config file that is there; real containers
// check that a changed config still reaches liblxc.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "helpers.hpp"
#include "host_impl.hpp"
#include "temp_dir.hpp"

#include <pct/lxcconf.hpp>
#include <pct/parse/config.hpp>

#include <pct/parse/properties.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fcntl.h>
#include <filesystem>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
using namespace pct::runtime::detail;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;
namespace fs = std::filesystem;

namespace {

ino_t inode(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_ino;
}

mode_t mode_bits(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

ContainerConfig config_of(const std::string& text) {
    auto parsed = parse::config(text);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return std::move(parsed->config);
}

} // namespace

TEST_CASE("runtime perf: derived files are rewritten only when something differs") {
    TempDir dir;
    std::string path = dir.sub("config");

    REQUIRE(write_derived_file(path, "a = 1\n", 0644));
    CHECK(read_text(path) == "a = 1\n");
    CHECK(mode_bits(path) == 0644);
    CHECK(holds_exactly(AT_FDCWD, path, "a = 1\n", 0644));
    ino_t first = inode(path);

    SUBCASE("same content and mode: left alone") {
        REQUIRE(write_derived_file(path, "a = 1\n", 0644));
        CHECK(inode(path) == first);
    }
    SUBCASE("other content, also of the same size or a prefix: replaced") {
        for (std::string text : {"a = 2\n", "a = 1", "a = 1\nb = 2\n", ""}) {
            CHECK_FALSE(holds_exactly(AT_FDCWD, path, text, 0644));
            REQUIRE(write_derived_file(path, text, 0644));
            CHECK(read_text(path) == text);
        }
    }
    SUBCASE("other mode: replaced with the mode") {
        REQUIRE(::chmod(path.c_str(), 0600) == 0);
        CHECK_FALSE(holds_exactly(AT_FDCWD, path, "a = 1\n", 0644));
        REQUIRE(write_derived_file(path, "a = 1\n", 0644));
        CHECK(mode_bits(path) == 0644);
    }
    SUBCASE("a symlink to a file with that content: replaced by a regular file") {
        write_text(dir.sub("elsewhere"), "a = 1\n");
        fs::remove(path);
        fs::create_symlink(dir.sub("elsewhere"), path);
        REQUIRE(write_derived_file(path, "a = 1\n", 0644));
        CHECK(fs::is_regular_file(fs::symlink_status(path)));
        CHECK(read_text(dir.sub("elsewhere")) == "a = 1\n");
    }
    SUBCASE("a second hard link: replaced, the other name keeps its file") {
        REQUIRE(::link(path.c_str(), dir.sub("other").c_str()) == 0);
        CHECK_FALSE(holds_exactly(AT_FDCWD, path, "a = 1\n", 0644));
        REQUIRE(write_derived_file(path, "a = 1\n", 0644));
        CHECK(inode(path) != inode(dir.sub("other")));
    }
    SUBCASE("a FIFO under the name neither blocks nor stays") {
        fs::remove(path);
        REQUIRE(::mkfifo(path.c_str(), 0644) == 0);
        CHECK_FALSE(holds_exactly(AT_FDCWD, path, "", 0644));
        REQUIRE(write_derived_file(path, "a = 1\n", 0644));
        CHECK(fs::is_regular_file(fs::symlink_status(path)));
    }
    SUBCASE("missing: written") {
        fs::remove(path);
        CHECK_FALSE(holds_exactly(AT_FDCWD, path, "a = 1\n", 0644));
        REQUIRE(write_derived_file(path, "a = 1\n", 0644));
        CHECK(read_text(path) == "a = 1\n");
    }
}

TEST_CASE("runtime perf: file stamps tell a replaced or edited file") {
    TempDir dir;
    std::string path = dir.sub("config");
    CHECK_FALSE(file_stamp(path).has_value());
    write_text(path, "x\n");
    auto a = file_stamp(path);
    REQUIRE(a.has_value());
    CHECK(file_stamp(path) == a);
    REQUIRE(write_derived_file(path, "y\n", 0644)); // same size, new inode
    CHECK(file_stamp(path) != a);
    auto b = file_stamp(path);
    { // in place, same inode, other size
        int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, "z", 1) == 1);
        ::close(fd);
    }
    CHECK(file_stamp(path) != b);
}

TEST_CASE("runtime perf: each start gets its own section of liblxc's log") {
    TempDir dir;
    std::string log = dir.sub("lxc.log");
    Vmid id{123};

    begin_log_section(log, id);
    CHECK(mode_bits(log) == 0600);
    std::string text = read_text(log);
    CHECK(text.starts_with("lxc 123 "));
    CHECK(text.ends_with(" INFO     libpct - start of container 123\n"));
    CHECK(last_log_section(text).empty());
    CHECK(last_log_section("no marker\n") == "no marker\n");

    const std::string first_error =
        "lxc 123 20240101120000.000 ERROR start - s.c:f:1 - Old failure\n";
    const std::string second_error =
        "lxc 123 20240101120001.000 ERROR start - s.c:f:1 - New failure\n";
    write_text(log, text + first_error);
    CHECK(log_errors(log) == "Old failure");

    begin_log_section(log, id);
    CHECK(log_errors(log).empty());
    write_text(log, read_text(log) + second_error);
    CHECK(log_errors(log) == "New failure");
    CHECK(std::string(last_log_section(read_text(log))) == second_error);
    // Earlier starts stay in the file, each after its marker.
    CHECK(read_text(log).find("Old failure") != std::string::npos);

    SUBCASE("a log above the limit is emptied first") {
        write_text(log, std::string(max_log_size + 1, 'x'));
        begin_log_section(log, id);
        auto after = read_text(log);
        CHECK(after.size() < 200);
        CHECK(last_log_section(after).empty());
    }
}

TEST_CASE("runtime perf: host facts narrowed to what a config needs") {
    using namespace pct::lxcconf;
    using namespace pct::lxcconf::detail;
    TempDir root;
    auto mk = [&root](const std::string& rel, const std::string& content = "") {
        write_text(root.sub(rel), content);
    };
    for (const char* c : {"cpu", "cpuset", "memory", "devices"})
        mk(std::string("sys/fs/cgroup/") + c + "/cgroup.procs");
    mk("sys/fs/cgroup/cpuset/lxc/cpuset.effective_cpus", "0-3\n");
    for (auto [name, mtu] : {std::pair{"vmbr0", "1500"}, std::pair{"vmbr1", "9000"}}) {
        mk(fmt::format("sys/class/net/{}/mtu", name), std::string(mtu) + "\n");
        fs::create_directories(root.sub(fmt::format("sys/class/net/{}/bridge", name)));
    }
    mk("sys/class/net/eth0/mtu", "1500\n");
    mk("run/pve/lxc-syscalld.sock");

    auto full = detect_host_at(root.path(), "/var/lib/lxc");
    REQUIRE(full.has_value());
    CHECK(full->bridge_mtu.size() == 2);

    SUBCASE("what a config needs") {
        auto needs = host_needs(config_of("arch: amd64\nnet0: name=eth0,bridge=vmbr1\n"
                                          "net3: name=eth3,bridge=nosuchbr\n"
                                          "net1: name=eth1\nnet2: garbage=\nnetwork: x\n"));
        REQUIRE(needs.bridges.has_value());
        CHECK(*needs.bridges == std::vector<std::string>{"vmbr1", "nosuchbr"});
        CHECK_FALSE(needs.cpuset);
        CHECK(host_needs(config_of("cores: 2\n")).cpuset);
        CHECK(host_needs(config_of("cores: 2\n")).bridges->empty());
    }
    SUBCASE("only the named bridges, the cpuset only with cores; the rest as detect_host") {
        auto h = detect_host_for_at(root.path(),
                                    config_of("net0: name=eth0,bridge=vmbr1\n"
                                              "net1: name=eth1,bridge=nosuchbr\n"
                                              "net2: name=eth2,bridge=eth0\n"),
                                    "/var/lib/lxc");
        REQUIRE(h.has_value());
        CHECK(h->bridge_mtu == std::map<std::string, std::uint32_t>{{"vmbr1", 9000}});
        CHECK_FALSE(h->cpuset.has_value());
        CHECK(h->cgroup == full->cgroup);
        CHECK(h->controllers == full->controllers);
        CHECK(h->swap_accounting == full->swap_accounting);
        CHECK(h->apparmor == full->apparmor);
        CHECK(h->syscalld_socket == full->syscalld_socket);
        CHECK(h->lxc_version == full->lxc_version);

        auto with_cores = detect_host_for_at(root.path(), config_of("cores: 1\n"), "/x");
        REQUIRE(with_cores.has_value());
        CHECK(with_cores->cpuset == full->cpuset);
        CHECK(with_cores->bridge_mtu.empty());
        CHECK(with_cores->lxcpath == "/x");
    }
    SUBCASE("bridge names that are not one directory entry are no bridge") {
        fs::create_directories(root.sub("sys/class/bridge"));
        mk("sys/class/net/../bridge/mtu", "1500\n");
        auto h = detect_host_for_at(
            root.path(), config_of("net0: name=eth0,bridge=..\nnet1: name=eth1,bridge=.\n"),
            "/var/lib/lxc");
        REQUIRE(h.has_value());
        CHECK(h->bridge_mtu.empty());
    }
    SUBCASE("the same config generates the same text with either") {
        auto cfg = config_of("arch: amd64\nostype: unmanaged\nrootfs: /srv/ct\nmemory: 256\n"
                             "cores: 2\nnet0: name=eth0,bridge=vmbr1,ip=dhcp\n");
        auto narrowed = detect_host_for_at(root.path(), cfg, "/var/lib/lxc");
        REQUIRE(narrowed.has_value());
        GenerateOptions o;
        o.vmid = 150;
        auto a = generate(cfg, *full, o);
        auto b = generate(cfg, *narrowed, o);
        REQUIRE(a.has_value());
        REQUIRE(b.has_value());
        CHECK(a->config == b->config);
        CHECK(a->warnings == b->warnings);
    }
}

TEST_CASE("runtime perf: detect_host_for on this machine agrees with detect_host") {
    auto full = lxcconf::detect_host("/var/lib/lxc");
    REQUIRE_MESSAGE(full.has_value(), (full ? "" : full.error().message));
    std::string nets = "cores: 1\n";
    int i = 0;
    for (const auto& [bridge, mtu] : full->bridge_mtu)
        nets += fmt::format("net{}: name=eth{},bridge={}\n", i, i, bridge), ++i;
    auto cfg = config_of(nets);
    for (int round = 0; round < 2; ++round) { // the second one from the per-process cache
        auto h = lxcconf::detect_host_for(cfg, "/var/lib/lxc");
        REQUIRE(h.has_value());
        CHECK(h->cgroup == full->cgroup);
        CHECK(h->controllers == full->controllers);
        CHECK(h->swap_accounting == full->swap_accounting);
        CHECK(h->apparmor == full->apparmor);
        CHECK(h->cpuset == full->cpuset);
        CHECK(h->syscalld_socket == full->syscalld_socket);
        // ioctl and sysfs agree (other suites may add or remove bridges meanwhile)
        CHECK(h->bridge_mtu.size() <= full->bridge_mtu.size());
        for (const auto& [bridge, mtu] : h->bridge_mtu) {
            auto it = full->bridge_mtu.find(bridge);
            CHECK((it == full->bridge_mtu.end() || it->second == mtu));
        }
    }
}

TEST_CASE("runtime perf: a changed config reaches liblxc and an unchanged one is not rewritten") {
    if (pct::test::skip_containers("runtime perf"))
        return;
    if (!fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
        MESSAGE("SKIP: no cgroup v1 memory controller on this host");
        return;
    }
    pct::test::CtHost env;
    Vmid id = pct::test::unique_vmid(71);
    auto ct = env.create(id, {{"memory", "64"}, {"hostname", "perf-one"}});
    const auto& host = env.host();
    std::string lxc_config = host.ct_dir(id) + "/config";

    // The memory limit liblxc applied to the running CT.
    auto limit_mb = [&]() -> std::uint64_t {
        std::istringstream in(read_text(fmt::format("/proc/{}/cgroup", ct.init_pid())));
        for (std::string line; std::getline(in, line);) {
            auto a = line.find(':'), b = line.find(':', a + 1);
            if (("," + line.substr(a + 1, b - a - 1) + ",").find(",memory,") == std::string::npos)
                continue;
            std::string path = line.substr(b + 1);
            if (path.ends_with("/ns"))
                path.resize(path.size() - 3);
            return std::stoull(
                       read_text("/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes")) >>
                   20;
        }
        return 0;
    };
    auto set_option = [&](const std::string& key, const std::string& value) {
        auto lock = host.lock(id);
        REQUIRE(lock.has_value());
        auto conf = host.read_config(id);
        REQUIRE(conf.has_value());
        conf->config.main.options[key] = value;
        REQUIRE(host.write_config(*lock, conf->config));
    };

    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    CHECK(limit_mb() == 64);
    ino_t config_inode = inode(lxc_config);
    // The rootfs is mounted in the container's mount namespace only: the file is read in the
    // rootfs volume itself.
    auto rootfs = parse::rootfs(*host.read_config(id).value().config.main.get("rootfs"));
    REQUIRE(rootfs.has_value());
    std::string hostname_file = host.volume_path(id, rootfs->volume).value() + "/etc/hostname";
    ino_t hostname_inode = inode(hostname_file);
    REQUIRE(ct.stop());

    SUBCASE("unchanged: same files, same limit, the log has a section per start") {
        REQUIRE(ct.start());
        CHECK(inode(lxc_config) == config_inode);
        CHECK(inode(hostname_file) == hostname_inode);
        CHECK(limit_mb() == 64);
        std::string log = read_text(host.ct_dir(id) + "/lxc.log");
        std::size_t markers = 0;
        for (auto at = log.find("libpct - start of container"); at != std::string::npos;
             at = log.find("libpct - start of container", at + 1))
            ++markers;
        CHECK(markers == 2);
        CHECK(ct.lxc_log().find("libpct - start of container") == std::string::npos);
        REQUIRE(ct.stop());
    }
    SUBCASE("changed right after the handle was opened: the new config is started") {
        auto fresh = runtime::Container::open(host, id); // its handle has read the old config
        REQUIRE(fresh.has_value());
        set_option("memory", "96");
        set_option("hostname", "perf-two");
        REQUIRE(fresh->start());
        CHECK(inode(lxc_config) != config_inode);
        CHECK(read_text(hostname_file) == "perf-two\n");
        CHECK(limit_mb() == 96);
        REQUIRE(fresh->stop());
    }
    SUBCASE("changed on the same object between two starts") {
        set_option("memory", "80");
        REQUIRE(ct.start());
        CHECK(limit_mb() == 80);
        REQUIRE(ct.stop());
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// lxcconf: what keeps a model from weakening the generated config. Line breaks never reach
// the LXC text (a model is not a file: it can hold what no reader would give), devN paths
// are written as fstab fields, privileged containers on hosts without AppArmor get their
// mounts denied by seccomp, and the golden host facts are pinned instead of read.
#include "test_lxcconf_util.hpp"

#include <pct/render/config.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace lxcconf_test;
using pct::Errc;
using pct::lxcconf::HostFacts;

namespace {

HostFacts ref() { return HostFacts::proxmox_reference(); }

/// Both profiles refuse `cfg` with `key` named.
void check_refused(const pct::ContainerConfig& cfg, const std::string& key) {
    for (const auto& [host, opts] :
         {std::pair{ref(), proxmox_opts()}, std::pair{hybrid_host(), native_opts()}}) {
        auto e = gen_err(cfg, host, opts);
        CHECK(e.code == Errc::invalid_argument);
        CHECK(e.key == key);
    }
}

} // namespace

TEST_CASE("lxcconf: a line break in a model value never reaches the LXC text") {
    auto cfg = load("minimal.conf");
    const std::string injected = "lxc.apparmor.profile = unconfined";
    SUBCASE("an option value, with LF, CR or NUL") {
        for (std::string brk : {std::string("\n"), std::string("\r"), std::string(1, '\0')}) {
            cfg.main.options["hostname"] = "ct1" + brk + injected;
            auto e = gen_err(cfg, ref(), proxmox_opts());
            CHECK(e.code == Errc::invalid_argument);
            CHECK(e.key == "hostname");
            CHECK(e.message ==
                  "the value of 'hostname' must not contain a line break (LF, CR or NUL)");
            check_refused(cfg, "hostname");
        }
        // render() refuses the same model (Proxmox's writer dies on the LF).
        cfg.main.options["hostname"] = "ct1\n" + injected;
        CHECK_FALSE(pct::render::config(cfg).has_value());
    }
    SUBCASE("a property string") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0\nlxc.net.0.type=phys";
        check_refused(cfg, "net0");
    }
    SUBCASE("a raw entry's value") {
        cfg.main.lxc.push_back({"lxc.cap.drop", "sys_time\n" + injected});
        check_refused(cfg, "lxc.cap.drop");
    }
    SUBCASE("a raw entry's key: lxc syntax only") {
        cfg.main.lxc.push_back({injected + " #", "x"});
        check_refused(cfg, injected + " #");
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.message == "invalid raw lxc key '" + injected + " #' (expected lxc.[a-z0-9_.-]+)");
        cfg.main.lxc.back() = {"lxc.cap.drop\nlxc.apparmor.profile", "unconfined"};
        check_refused(cfg, "lxc.cap.drop\nlxc.apparmor.profile");
    }
    SUBCASE("an option key") {
        cfg.main.options["memory\nlxc.apparmor.profile"] = "unconfined";
        check_refused(cfg, "memory\nlxc.apparmor.profile");
    }
    SUBCASE("env: NULs separate entries, a line break inside one is refused") {
        cfg.main.options["env"] = std::string("A=1\0B=2", 7);
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.environment.runtime = A=1"));
        CHECK(has_line(g.config, "lxc.environment.runtime = B=2"));
        cfg.main.options["env"] = std::string("A=1\0B=2\r", 8);
        check_refused(cfg, "env");
    }
    SUBCASE("a host fact: the lxcpath") {
        auto host = hybrid_host();
        host.apparmor = true; // else rules.seccomp, under the lxcpath, comes first
        host.lxcpath = "/var/lib/lxc\n" + injected + "\nlxc.x = ";
        auto e = gen_err(cfg, host, native_opts());
        CHECK(e.code == Errc::invalid_argument);
        CHECK(e.key == "lxc.rootfs.path");
    }
}

TEST_CASE("lxcconf native: a devN path is one fstab field in lxc.mount.entry") {
    if (::geteuid() != 0) {
        MESSAGE("SKIP: creating a device node needs root");
        return;
    }
    // Under /dev, where a devN path must be (pve-lxc-dev-string); removed even on failure.
    std::string node = "/dev/pct test " + std::to_string(::getpid()) + "\\1";
    REQUIRE(::mknod(node.c_str(), S_IFCHR | 0600, ::makedev(1, 3)) == 0);
    struct Remove {
        std::string path;
        ~Remove() { ::unlink(path.c_str()); }
    } remove{node};
    auto cfg = load("minimal.conf");
    cfg.main.options["dev0"] = "path=" + node;
    auto g = gen(cfg, hybrid_host(), native_opts());
    std::string escaped = "/dev/pct\\040test\\040" + std::to_string(::getpid()) + "\\1341";
    CHECK(has_line(g.config, "lxc.mount.entry = " + escaped + ' ' + escaped.substr(1) +
                                 " none bind,create=file 0 0"));
    CHECK(has_line(g.config, "lxc.cgroup.devices.allow = c 1:3 rw"));
}

TEST_CASE("lxcconf native: privileged containers without AppArmor get mounts denied") {
    auto cfg = load("minimal.conf", 150);
    const std::string common = read_file("/usr/share/lxc/config/common.seccomp");
    const std::string denies = "mount errno 1\numount2 errno 1\npivot_root errno 1\n"
                               "open_tree errno 1\nmove_mount errno 1\nfsopen errno 1\n"
                               "fsconfig errno 1\nfsmount errno 1\nfspick errno 1\n"
                               "mount_setattr errno 1\n";
    SUBCASE("liblxc's default policy plus the mount syscalls, /proc/sys and /sys read-only") {
        auto g = gen(cfg, hybrid_host(), native_opts(150));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].path == "/var/lib/lxc/150/rules.seccomp");
        CHECK(g.files[0].content == common + denies);
        // Proxmox's default denies are still there.
        CHECK(g.files[0].content.find("\nkexec_load errno 1\n") != std::string::npos);
        CHECK(g.files[0].content.find("\nopen_by_handle_at errno 1\n") != std::string::npos);
        CHECK(has_line(g.config, "lxc.seccomp.profile = /var/lib/lxc/150/rules.seccomp"));
        CHECK(has_line(g.config, "lxc.mount.auto = proc:mixed sys:mixed"));
        CHECK(g.warnings.empty());
    }
    SUBCASE("features that ask for mounts: a warning naming them, no mount denial") {
        for (std::string features : {"nesting=1", "mount=nfs", "fuse=1"}) {
            cfg.main.options["features"] = features;
            auto g = gen(cfg, hybrid_host(), native_opts(150));
            CHECK(g.files.empty());
            CHECK_FALSE(has_prefix_line(g.config, "lxc.seccomp.profile"));
            CHECK(has_line(g.config, "lxc.mount.auto = proc:mixed sys:mixed"));
            REQUIRE(g.warnings.size() == 1);
            CHECK(g.warnings[0] ==
                  "CT 150 is privileged on a host without AppArmor, and features: " + features +
                      " allows it to mount: its root can mount proc or sysfs and change "
                      "host-wide kernel settings (kernel.core_pattern, ...). Make it "
                      "unprivileged (unprivileged: 1) or drop the feature to have mounts "
                      "denied");
        }
    }
    SUBCASE("a raw seccomp profile replaces the denial, with a warning") {
        cfg.main.lxc.push_back({"lxc.seccomp.profile", "/etc/my.seccomp"});
        auto g = gen(cfg, hybrid_host(), native_opts(150));
        CHECK(g.files.empty());
        CHECK(has_warning(g, "explicitly configured lxc.seccomp.profile replaces the mount "
                             "denial"));
    }
    SUBCASE("a raw lxc.mount.auto after the read-only proc and sys is warned about") {
        cfg.main.lxc.push_back({"lxc.mount.auto", "proc:rw sys:rw"});
        auto g = gen(cfg, hybrid_host(), native_opts(150));
        CHECK(g.files.size() == 1); // the mount denial stays
        CHECK(has_warning(g, "explicitly configured lxc.mount.auto comes after the read-only "
                             "proc and sys"));
        auto host = hybrid_host();
        host.apparmor = true;
        CHECK_FALSE(has_warning(gen(cfg, host, native_opts(150)), "lxc.mount.auto"));
    }
    SUBCASE("AppArmor hosts, unprivileged containers and the proxmox profile are unchanged") {
        auto host = hybrid_host();
        host.apparmor = true;
        auto g = gen(cfg, host, native_opts(150));
        CHECK(g.files.empty());
        CHECK_FALSE(has_line(g.config, "lxc.mount.auto = proc:mixed sys:mixed"));
        auto pve = ref();
        pve.apparmor = false;
        g = gen(cfg, pve, proxmox_opts(150));
        CHECK(g.files.empty());
        cfg.main.options["unprivileged"] = "1";
        g = gen(cfg, hybrid_host(), native_opts(150));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].content.find("\nmount errno") == std::string::npos);
        CHECK_FALSE(has_line(g.config, "lxc.mount.auto = proc:mixed sys:mixed"));
    }
}

TEST_CASE("lxcconf: pinned include files are used instead of the host's") {
    // An empty lxc_config_dir: with the files pinned, nothing is looked up there.
    TempDir dir;
    auto cfg = load("minimal.conf");
    auto host = ref();
    host.lxc_config_dir = dir.path().string();
    auto g = gen(cfg, host, proxmox_opts());
    CHECK(has_line(g.config, "lxc.include = " + dir.path().string() + "/debian.common.conf"));
    host.lxc_config_files = std::vector<std::string>{"common.conf"};
    g = gen(cfg, host, proxmox_opts());
    CHECK(has_line(g.config, "lxc.include = " + dir.path().string() + "/common.conf"));
    // Unpinned, the directory decides (here: nothing, so built-in defaults).
    auto native = hybrid_host();
    native.lxc_config_dir = dir.path().string();
    native.lxc_config_files.reset();
    cfg.main.options["unprivileged"] = "1"; // privileged would need common.seccomp
    cfg.main.options["features"] = "";
    auto e = pct::lxcconf::generate(cfg, native, native_opts());
    REQUIRE_FALSE(e.has_value()); // unprivileged needs common.seccomp too
    CHECK(e.error().code == Errc::not_found);
    write_file(dir.path() / "common.seccomp", "2\ndenylist\n");
    g = gen(cfg, native, native_opts());
    CHECK_FALSE(has_prefix_line(g.config, "lxc.include"));
    CHECK(has_warning(g, "no common.conf"));
}

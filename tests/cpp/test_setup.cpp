// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's in-container OS setup (spec storage.md §5.4-5.9): Proxmox's own setup suite run as
// its README says (copy the tree, post-create twice in test mode, every `.exp` byte for byte),
// our Ubuntu cases derived from the spec, and the safety of the writes (never through a symlink
// out of the rootfs, owned by the mapped root).
#include "ct_setup.hpp"
#include "helpers.hpp"
#include "open_watch.hpp"
#include "setup/ct_root.hpp"
#include "setup/marked_section.hpp"
#include "temp_dir.hpp"

#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <crypt.h>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace pct;
using namespace pct::runtime::detail;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;
namespace fs = std::filesystem;

namespace {

const fs::path suite_dir = fs::path(PCT_CONFORMANCE_DIR) / "pve-setup-tests";

// The files Proxmox's run_setup_tests.pl compares when the case has a `.exp` for them.
std::vector<std::string> compared_files() {
    std::vector<std::string> files = {"etc/hostname",
                                      "etc/hosts",
                                      "etc/inittab",
                                      "etc/locale.conf",
                                      "etc/network/interfaces",
                                      "etc/resolv.conf",
                                      "etc/passwd",
                                      "etc/shadow",
                                      "etc/sysconfig/network",
                                      "etc/systemd/system-preset/00-pve.preset",
                                      "etc/systemd/network/eth0.network",
                                      "etc/init/start-ttys.conf",
                                      "etc/init/tty.conf",
                                      "etc/init/power-status-changed.conf",
                                      "etc/securetty",
                                      "etc/crontab",
                                      "root/.ssh/authorized_keys",
                                      "roothome/.ssh/authorized_keys"};
    for (int i = 0; i < 4; ++i) {
        files.push_back("etc/NetworkManager/system-connections/eth" + std::to_string(i) +
                        ".nmconnection");
        for (const char* f : {"ifcfg", "route", "route6"})
            files.push_back("etc/sysconfig/network-scripts/" + std::string(f) + "-eth" +
                            std::to_string(i));
        for (const char* f : {"ifcfg", "ifroute"})
            files.push_back("etc/sysconfig/network/" + std::string(f) + "-eth" + std::to_string(i));
    }
    return files;
}

ContainerSettings settings_from(const std::string& text) {
    auto parsed = parse::config(text);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    auto s = parse::settings(parsed->config.main);
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    return *s;
}

// `cp -a` of a case into `dst`, made writable (the shared copy is read-only); the case's
// /etc/hosts of test-debian-013 is a symlink in Proxmox's tree (to ../../bad-path.txt), kept
// here as a file holding its target: made a symlink again.
void copy_case(const fs::path& src, const fs::path& dst) {
    fs::copy(src, dst, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    for (auto& e : fs::recursive_directory_iterator(dst))
        if (!e.is_symlink())
            fs::permissions(e.path(),
                            fs::perms::owner_write | fs::perms::owner_read |
                                (e.is_directory() ? fs::perms::owner_exec : fs::perms::none),
                            fs::perm_options::add);
    fs::permissions(dst, fs::perms::owner_all, fs::perm_options::add);
    if (src.filename() == "test-debian-013") {
        std::string target = read_text((dst / "etc/hosts").string());
        fs::remove(dst / "etc/hosts");
        fs::create_symlink(target, dst / "etc/hosts");
    }
}

std::string expected_text(const fs::path& exp) {
    std::string text = read_text(exp.string());
    if (exp.filename() == "shadow.exp") {
        std::string days = std::to_string(std::time(nullptr) / 86400);
        for (auto at = text.find("@DAYS@"); at != std::string::npos; at = text.find("@DAYS@"))
            text.replace(at, 6, days);
    }
    return text;
}

bool refused_by_libpct(const std::string& name) {
    return name.starts_with("test-centos") || name.starts_with("test-fedora") ||
           name.starts_with("test-opensuse");
}

std::string distro_of(const std::string& name) {
    if (name.starts_with("test-centos"))
        return "centos";
    if (name.starts_with("test-fedora"))
        return "fedora";
    return "opensuse";
}

PostCreateOptions suite_options() {
    PostCreateOptions o;
    o.password = "$5$SALT$PASS";
    o.ssh_public_keys = "ssh-rsa ABCDEFG ABC@DEF";
    o.test_mode = true;
    return o;
}

} // namespace

TEST_CASE("setup: Proxmox's setup suite gives the expected files byte for byte") {
    if (!fs::is_directory(suite_dir)) {
        MESSAGE("SKIP: " << suite_dir.string() << " not found (../shared/conformance)");
        return;
    }
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(suite_dir))
        if (e.is_directory() && e.path().filename().string().starts_with("test-"))
            cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    CHECK(cases.size() == 33);
    const auto files = compared_files();
    int passed = 0, refused = 0;
    for (const auto& src : cases) {
        std::string name = src.filename().string();
        CAPTURE(name);
        TempDir tmp("pct-setup-suite");
        fs::path rootfs = fs::path(tmp.path()) / "a" / name;
        fs::create_directories(rootfs.parent_path());
        copy_case(src, rootfs);
        ContainerSettings settings = settings_from(read_text((src / "config").string()));
        for (int run = 1; run <= 2; ++run) { // idempotent, as Proxmox's suite checks
            CAPTURE(run);
            std::vector<std::string> warnings;
            auto r = post_create_setup(rootfs.string(), settings, suite_options(), warnings);
            if (refused_by_libpct(name)) {
                REQUIRE_FALSE(r.has_value());
                CHECK(r.error().code == Errc::unsupported);
                CHECK(r.error().message ==
                      "distribution '" + distro_of(name) + "' is not supported by libpct");
                CHECK(r.error().key == "ostype");
                continue;
            }
            REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
            for (const auto& rel : files) {
                fs::path exp = src / (rel + ".exp");
                if (!fs::exists(exp))
                    continue;
                CAPTURE(rel);
                CHECK(read_text((rootfs / rel).string()) == expected_text(exp));
            }
        }
        // A symlink out of the rootfs (test-debian-013's /etc/hosts) is never written through.
        CHECK_FALSE(fs::exists(fs::path(tmp.path()) / "bad-path.txt"));
        CHECK_FALSE(fs::exists(rootfs / "bad-path.txt"));
        (refused_by_libpct(name) ? refused : passed)++;
    }
    CHECK(passed == 21); // 16 Debian, 2 Devuan, 3 Alpine
    CHECK(refused == 12);
}

TEST_CASE("setup: the detected ostype is what post-create returns") {
    if (!fs::is_directory(suite_dir)) {
        MESSAGE("SKIP: " << suite_dir.string() << " not found (../shared/conformance)");
        return;
    }
    struct Case {
        const char* dir;
        const char* ostype;
    };
    for (auto c : {Case{"test-debian-003", "debian"}, Case{"test-devuan-001", "devuan"},
                   Case{"test-alpine-001", "alpine"}}) {
        TempDir tmp("pct-setup-type");
        fs::path rootfs = fs::path(tmp.path()) / "r";
        copy_case(suite_dir / c.dir, rootfs);
        std::vector<std::string> warnings;
        auto type = post_create_setup(rootfs.string(), settings_from("ostype: ubuntu\n"),
                                      suite_options(), warnings);
        REQUIRE(type.has_value());
        CHECK(*type == c.ostype);
        // Proxmox warns when the config disagrees, and uses what it found.
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0] == std::string("got unexpected ostype (") + c.ostype + " != ubuntu)");
    }
}

namespace {

// A Debian 12 rootfs: what detection needs (spec §5.4, §5.7).
std::string debian_root(const TempDir& tmp) {
    std::string rootfs = tmp.sub("rootfs");
    write_text(rootfs + "/etc/debian_version", "12.5\n");
    return rootfs;
}

} // namespace

TEST_CASE("setup: in-CT writes never follow symlinks out of the rootfs") {
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    std::string outside = tmp.sub("host-file");
    write_text(outside, "host content\n");
    fs::create_symlink(outside, rootfs + "/etc/hostname"); // absolute, points at the host
    fs::create_symlink("/../../..", rootfs + "/etc/escape");
    write_text(rootfs + "/etc/hosts",
               "127.0.0.1 localhost\n# --- BEGIN PVE ---\nold\n# --- END PVE ---\n");
    fs::create_directories(rootfs + "/srv");
    fs::create_symlink("/srv", rootfs + "/etc/network"); // resolves inside: rootfs/srv

    ContainerSettings s = settings_from("hostname: web.example.org\nsearchdomain: example.org\n"
                                        "nameserver: 10.0.0.53 10.0.0.54\n"
                                        "net0: name=eth0,bridge=vmbr0,ip=10.1.2.3/24\n");
    std::vector<std::string> warnings;
    REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
    CHECK(warnings.empty());
    CHECK(read_text(outside) == "host content\n");
    CHECK_FALSE(fs::is_symlink(rootfs + "/etc/hostname"));
    CHECK(read_text(rootfs + "/etc/hostname") == "web\n");
    // §5.6: the host's 127.0.0.1 line outside the section counts, ::1 is added.
    CHECK(read_text(rootfs + "/etc/hosts") ==
          "127.0.0.1 localhost\n# --- BEGIN PVE ---\n::1 localhost.localnet localhost\n"
          "10.1.2.3 web.example.org web\n# --- END PVE ---\n");
    CHECK(read_text(rootfs + "/etc/resolv.conf") ==
          "# --- BEGIN PVE ---\nsearch example.org\nnameserver 10.0.0.53\nnameserver "
          "10.0.0.54\n# --- END PVE ---\n");
    // §5.7: Debian >= 10 gets the CIDR form; `auto lo` is added when none was seen.
    CHECK(read_text(rootfs + "/srv/interfaces") ==
          "auto lo\niface lo inet loopback\niface lo inet6 loopback\n\n"
          "auto eth0\niface eth0 inet static\n\taddress 10.1.2.3/24\n\n");
    CHECK(fs::exists(rootfs + "/fastboot"));

    SUBCASE(".pve-ignore files and unmanaged ostypes are respected") {
        write_text(rootfs + "/etc/.pve-ignore.hosts", "");
        write_text(rootfs + "/etc/hosts", "mine\n");
        s.hostname = "other";
        REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
        CHECK(read_text(rootfs + "/etc/hosts") == "mine\n");
        CHECK(read_text(rootfs + "/etc/hostname") == "other\n");
        s.ostype = "unmanaged";
        s.hostname = "third";
        REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
        CHECK(read_text(rootfs + "/etc/hostname") == "other\n");
        // The detected type wins over the configured one, with Proxmox's warning.
        s.ostype = "centos";
        REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0] == "got unexpected ostype (debian != centos)");
        CHECK(read_text(rootfs + "/etc/hostname") == "third\n");
    }
    SUBCASE("a FIFO planted in the rootfs does not block the setup") {
        fs::remove(rootfs + "/etc/hosts");
        REQUIRE(::mkfifo((rootfs + "/etc/hosts").c_str(), 0644) == 0);
        REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
        CHECK(fs::is_regular_file(rootfs + "/etc/hosts"));
        CHECK(read_text(rootfs + "/etc/hosts") ==
              "# --- BEGIN PVE ---\n127.0.0.1 localhost.localnet localhost\n::1 "
              "localhost.localnet localhost\n10.1.2.3 web.example.org web\n# --- END PVE ---\n");
    }
    SUBCASE("reading through an escaping symlink stays inside") {
        write_text(rootfs + "/marker", "inside\n");
        CHECK(read_file_in_root(rootfs, "etc/escape/marker").value_or("") == "inside\n");
    }
    SUBCASE("a symlinked directory pointing out of the rootfs is resolved inside it") {
        std::string host_dir = tmp.sub("host-etc-network");
        fs::create_directories(host_dir);
        fs::remove(rootfs + "/etc/network");
        fs::create_symlink(host_dir, rootfs + "/etc/network"); // absolute host path
        // Dangling inside the root: Proxmox's make_path fails there too; nothing on the host.
        auto dangling = setup_ct_files(rootfs, s, std::nullopt, warnings);
        REQUIRE_FALSE(dangling.has_value());
        CHECK(dangling.error().code == Errc::io);
        CHECK(fs::is_empty(host_dir));
        fs::create_directories(rootfs + host_dir);
        REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
        CHECK(fs::is_empty(host_dir));
        CHECK(fs::is_regular_file(rootfs + host_dir + "/interfaces"));
    }
}

TEST_CASE("setup: device nodes and FIFOs planted in a rootfs are never opened") {
    // A container's root (or a template) can plant a device node (a watchdog's would arm it,
    // a terminal's could become host root's controlling one) where host root reads.
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    std::string hosts = rootfs + "/etc/hosts", hostname = rootfs + "/etc/hostname";
    std::string resolv = rootfs + "/etc/resolv.conf";
    REQUIRE(::mkfifo(hosts.c_str(), 0644) == 0);
    REQUIRE(::mkfifo(resolv.c_str(), 0644) == 0);
    if (::geteuid() == 0) // /dev/null's numbers: harmless should it be opened after all
        REQUIRE(::mknod(hostname.c_str(), S_IFCHR | 0644, ::makedev(1, 3)) == 0);
    else
        REQUIRE(::mkfifo(hostname.c_str(), 0644) == 0);
    test::OpenWatch watch({hosts, hostname, resolv});

    CHECK_FALSE(read_file_in_root(rootfs, "etc/hosts").has_value());
    ContainerSettings s =
        settings_from("hostname: web\nsearchdomain: example.org\nnameserver: 10.0.0.53\n");
    std::vector<std::string> warnings;
    REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
    auto opened = watch.opened();
    CHECK_MESSAGE(opened.empty(), opened.front());
    // Replaced by regular files (renamed over: the planted nodes stay unopened).
    CHECK(read_text(hostname) == "web\n");
    CHECK(read_text(hosts) == "# --- BEGIN PVE ---\n127.0.0.1 localhost.localnet localhost\n"
                              "::1 localhost.localnet localhost\n127.0.1.1 web.example.org web\n"
                              "# --- END PVE ---\n");
    CHECK(read_text(resolv) ==
          "# --- BEGIN PVE ---\nsearch example.org\nnameserver 10.0.0.53\n# --- END PVE ---\n");
}

TEST_CASE("setup: a rootfs file above 1 MiB is neither read whole nor rewritten") {
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    std::string hosts = rootfs + "/etc/hosts";
    write_text(hosts, "127.0.0.1 localhost\n");
    ContainerSettings s = settings_from("hostname: web\nsearchdomain: example.org\n");
    std::vector<std::string> warnings;
    fs::resize_file(hosts, std::size_t{1} << 20); // at the cap: read and rewritten
    REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings).has_value());
    CHECK(fs::file_size(hosts) > std::size_t{1} << 20);
    fs::resize_file(hosts, (std::size_t{1} << 20) + 1);
    auto r = setup_ct_files(rootfs, s, std::nullopt, warnings);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().context == hosts);
    CHECK(r.error().message == "file '" + hosts + "' is larger than 1048576 bytes: not rewritten");
    CHECK(fs::file_size(hosts) == (std::size_t{1} << 20) + 1);
    CHECK_FALSE(read_file_in_root(rootfs, "etc/hosts").has_value());
}

TEST_CASE("setup: in-CT files belong to the mapped root of an unprivileged CT") {
    if (::geteuid() != 0) {
        MESSAGE("SKIP: chown to the mapped root needs root");
        return;
    }
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    write_text(rootfs + "/etc/hostname", "old\n"); // the template's, owned by host root
    ContainerSettings s = settings_from("hostname: mapped\nsearchdomain: example.org\n"
                                        "nameserver: 10.0.0.53\nunprivileged: 1\n"
                                        "net0: name=eth0,bridge=vmbr0,ip=dhcp\n");
    std::vector<std::string> warnings;
    Owner owner{100000, 100005};
    REQUIRE(setup_ct_files(rootfs, s, owner, warnings).has_value());
    for (const char* rel : {"/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/network",
                            "/etc/network/interfaces", "/fastboot"}) {
        struct stat st {};
        REQUIRE(::lstat((rootfs + rel).c_str(), &st) == 0);
        CHECK_MESSAGE(st.st_uid == 100000, rel);
        CHECK_MESSAGE(st.st_gid == 100005, rel);
    }
    CHECK(read_text(rootfs + "/etc/hostname") == "mapped\n");
    // Unchanged content owned by the right ids is left as it is (no rewrite).
    CHECK(holds_exactly(AT_FDCWD, rootfs + "/etc/hostname", "mapped\n", 0644, owner));
    // Test mode chowns nothing (Proxmox's suite runs without an id map).
    PostCreateOptions o;
    o.owner = owner;
    o.test_mode = true;
    std::string plain = tmp.sub("plain");
    write_text(plain + "/etc/debian_version", "12.5\n");
    REQUIRE(post_create_setup(plain, s, o, warnings).has_value());
    struct stat st {};
    REQUIRE(::lstat((plain + "/etc/hostname").c_str(), &st) == 0);
    CHECK(st.st_uid == ::geteuid());
}

TEST_CASE("setup: distributions libpct does not set up are refused clearly") {
    TempDir tmp;
    int n = 0;
    struct Case {
        const char* marker;
        const char* os_release;
        const char* type;
    };
    for (auto c :
         {Case{"etc/redhat-release", "", "centos"}, Case{"etc/fedora-release", "", "fedora"},
          Case{"etc/arch-release", "", "archlinux"}, Case{"etc/gentoo-release", "", "gentoo"},
          Case{"etc/os-release", "ID=opensuse-leap\n", "opensuse"},
          Case{"etc/os-release", "ID=\"rocky\"\n", "centos"},
          Case{"etc/os-release", "ID=nixos\n", "nixos"},
          Case{"etc/os-release", "ID='openEuler'\n", "openeuler"}}) {
        CAPTURE(c.type);
        std::string rootfs = tmp.sub("r" + std::to_string(++n));
        write_text(rootfs + "/" + c.marker, c.os_release);
        std::vector<std::string> warnings;
        auto r = setup_ct_files(rootfs, ContainerSettings{}, std::nullopt, warnings);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::unsupported);
        CHECK(r.error().key == "ostype");
        CHECK(r.error().message ==
              std::string("distribution '") + c.type + "' is not supported by libpct");
        CHECK(fs::directory_iterator(rootfs + "/etc")->path().filename() ==
              fs::path(c.marker).filename()); // nothing written
    }
    SUBCASE("an os-release nobody recognises is Proxmox's error") {
        std::string rootfs = tmp.sub("unknown");
        write_text(rootfs + "/etc/os-release", "ID=plan9\n");
        std::vector<std::string> warnings;
        auto r = setup_ct_files(rootfs, ContainerSettings{}, std::nullopt, warnings);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message == "unable to detect OS distribution");
        CHECK(warnings ==
              std::vector<std::string>{
                  "unknown ID 'plan9' in /etc/os-release file, trying fallback detection"});
    }
    SUBCASE("no os-release and no marker: unmanaged, nothing written") {
        std::string rootfs = tmp.sub("bare");
        fs::create_directories(rootfs + "/etc");
        std::vector<std::string> warnings;
        REQUIRE(setup_ct_files(rootfs, settings_from("hostname: x\n"), std::nullopt, warnings));
        CHECK(fs::is_empty(rootfs + "/etc"));
        CHECK_FALSE(fs::exists(rootfs + "/fastboot"));
        CHECK(warnings == std::vector<std::string>{"/etc/os-release file not found and "
                                                   "autodetection failed, falling back to "
                                                   "'unmanaged'"});
    }
    SUBCASE("Debian versions Proxmox refuses") {
        std::string rootfs = tmp.sub("old-debian");
        write_text(rootfs + "/etc/debian_version", "3.1\n");
        std::vector<std::string> warnings;
        auto r = setup_ct_files(rootfs, ContainerSettings{}, std::nullopt, warnings);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message == "Container Debian version '3' is too old");
        write_text(rootfs + "/etc/debian_version", "sid\n");
        r = setup_ct_files(rootfs, ContainerSettings{}, std::nullopt, warnings);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message == "unable to parse version info 'sid'");
    }
}

namespace {

// An Ubuntu rootfs with systemd as init (spec §5.8): lsb-release, /sbin/init -> systemd, the
// container-getty template as systemd ships it.
std::string ubuntu_root(const TempDir& tmp, const std::string& release) {
    std::string rootfs = tmp.sub("ubuntu-" + release);
    write_text(rootfs + "/etc/lsb-release",
               "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=" + release + "\nDISTRIB_CODENAME=x\n");
    write_text(rootfs + "/etc/os-release", "NAME=\"Ubuntu\"\nID=ubuntu\n");
    write_text(rootfs + "/etc/debian_version", "bookworm/sid\n");
    write_text(rootfs + "/lib/systemd/systemd", "#!/bin/sh\n");
    fs::permissions(rootfs + "/lib/systemd/systemd", fs::perms::owner_all);
    write_text(rootfs + "/lib/systemd/system/container-getty@.service",
               "[Service]\nExecStart=-/sbin/agetty --noclear --keep-baud pts/%I 115200 $TERM\n");
    fs::create_directories(rootfs + "/sbin");
    fs::create_symlink("/lib/systemd/systemd", rootfs + "/sbin/init");
    fs::create_directories(rootfs + "/etc/systemd/system/getty.target.wants");
    write_text(rootfs + "/etc/netplan/10-lxc.yaml", "network: {}\n");
    fs::create_directories(rootfs + "/root");
    return rootfs;
}

const char* ubuntu_config = "hostname: u1\n"
                            "net0: name=eth0,bridge=vmbr0,ip=192.0.2.10/24,gw=192.0.2.1,"
                            "ip6=2001:db8::10/64,gw6=2001:db8::1\n"
                            "net1: name=eth1,bridge=vmbr0,ip=dhcp,ip6=auto\n"
                            "net2: name=eth2,bridge=vmbr0,ip=10.0.0.5/32,gw=10.0.0.1\n";

} // namespace

TEST_CASE("setup: Ubuntu 22.04 gets systemd-networkd files and container gettys") {
    TempDir tmp;
    std::string rootfs = ubuntu_root(tmp, "22.04");
    for (int run = 0; run < 2; ++run) {
        std::vector<std::string> warnings;
        auto type =
            post_create_setup(rootfs, settings_from(ubuntu_config), suite_options(), warnings);
        REQUIRE_MESSAGE(type.has_value(), (type ? "" : type.error().message));
        CHECK(*type == "ubuntu");
        CHECK(warnings.empty());
        // §5.8 setup_network, v >= 17.10: one .network file per interface.
        CHECK(read_text(rootfs + "/etc/systemd/network/eth0.network") ==
              "[Match]\nName = eth0\n\n[Network]\nDescription = Interface eth0 autoconfigured by "
              "PVE\nAddress = 192.0.2.10/24\nGateway = 192.0.2.1\nAddress = 2001:db8::10/64\n"
              "Gateway = 2001:db8::1\nDHCP = no\nIPv6AcceptRA = false\n");
        CHECK(read_text(rootfs + "/etc/systemd/network/eth1.network") ==
              "[Match]\nName = eth1\n\n[Network]\nDescription = Interface eth1 autoconfigured by "
              "PVE\nDHCP = ipv4\nIPv6AcceptRA = true\n");
        // An off-subnet gateway gets a link route.
        CHECK(read_text(rootfs + "/etc/systemd/network/eth2.network") ==
              "[Match]\nName = eth2\n\n[Network]\nDescription = Interface eth2 autoconfigured by "
              "PVE\nAddress = 10.0.0.5/32\nGateway = 10.0.0.1\nDHCP = no\nIPv6AcceptRA = false\n"
              "\n[Route]\nDestination = 10.0.0.1/32\nScope = link\n");
        CHECK_FALSE(fs::exists(rootfs + "/etc/network/interfaces"));
        // template_fixup, 17.10 <= v < 23.04: networkd enabled, the LXC netplan file gone.
        CHECK(fs::read_symlink(rootfs + "/etc/systemd/system/multi-user.target.wants/"
                                        "systemd-networkd.service") ==
              "/lib/systemd/system/systemd-networkd.service");
        CHECK(fs::read_symlink(rootfs +
                               "/etc/systemd/system/socket.target.wants/systemd-networkd.socket") ==
              "/lib/systemd/system/systemd-networkd.socket");
        CHECK_FALSE(fs::exists(rootfs + "/etc/netplan/10-lxc.yaml"));
        // §5.6 getty: pts/%I becomes tty%I (no /dev/lxc/ on Debian-likes), tty 1..2 linked.
        CHECK(read_text(rootfs + "/lib/systemd/system/container-getty@.service") ==
              "[Service]\nExecStart=-/sbin/agetty --noclear --keep-baud tty%I 115200 $TERM\n");
        std::string wants = rootfs + "/etc/systemd/system/getty.target.wants/";
        CHECK(fs::read_symlink(wants + "container-getty@1.service") ==
              "/lib/systemd/system/container-getty@.service");
        CHECK(fs::is_symlink(wants + "container-getty@2.service"));
        CHECK_FALSE(fs::exists(wants + "container-getty@3.service"));
        // No preset before 23.04.
        CHECK_FALSE(fs::exists(rootfs + "/etc/systemd/system-preset/00-pve.preset"));
        CHECK(read_text(rootfs + "/etc/hostname") == "u1\n");
        CHECK(read_text(rootfs + "/etc/hosts") ==
              "# --- BEGIN PVE ---\n127.0.0.1 localhost.localnet localhost\n::1 "
              "localhost.localnet localhost\n192.0.2.10 u1.proxmox.com u1\n# --- END PVE ---\n");
    }
    SUBCASE("tty 1 at the next start removes the second getty") {
        std::vector<std::string> warnings;
        REQUIRE(setup_ct_files(rootfs, settings_from(std::string(ubuntu_config) + "tty: 1\n"),
                               std::nullopt, warnings));
        std::string wants = rootfs + "/etc/systemd/system/getty.target.wants/";
        CHECK(fs::is_symlink(wants + "container-getty@1.service"));
        CHECK_FALSE(fs::is_symlink(wants + "container-getty@2.service"));
    }
}

TEST_CASE("setup: Ubuntu 24.04 enables networkd by preset") {
    TempDir tmp;
    std::string rootfs = ubuntu_root(tmp, "24.04");
    std::vector<std::string> warnings;
    REQUIRE(post_create_setup(rootfs, settings_from(ubuntu_config), suite_options(), warnings));
    // §5.6 preset: the base set plus the distro's, sorted by unit name.
    CHECK(read_text(rootfs + "/etc/systemd/system-preset/00-pve.preset") ==
          "# Added by PVE at create-time for first-boot configuration.\n"
          "enable container-getty@.service\ndisable getty@.service\n"
          "disable sys-kernel-config.mount\ndisable sys-kernel-debug.mount\n"
          "enable systemd-networkd.service\n");
    CHECK_FALSE(fs::exists(rootfs + "/etc/systemd/system/multi-user.target.wants"));
    CHECK(fs::exists(rootfs + "/etc/systemd/network/eth0.network"));
}

TEST_CASE("setup: Ubuntu 16.04 uses the Debian writer in the netmask form") {
    TempDir tmp;
    std::string rootfs = ubuntu_root(tmp, "16.04");
    write_text(rootfs + "/etc/securetty", "console\ntty1\n");
    std::vector<std::string> warnings;
    REQUIRE(post_create_setup(rootfs, settings_from(ubuntu_config), suite_options(), warnings));
    // §5.8: the CIDR form is only for ostype debian/alpine; §5.7 route block for eth2.
    CHECK(read_text(rootfs + "/etc/network/interfaces") ==
          "auto lo\niface lo inet loopback\niface lo inet6 loopback\n\n"
          "auto eth0\niface eth0 inet static\n\taddress 192.0.2.10\n\tnetmask 255.255.255.0\n"
          "\tgateway 192.0.2.1\n\n"
          "iface eth0 inet6 static\n\taddress 2001:db8::10\n\tnetmask 64\n"
          "\tgateway 2001:db8::1\n\n"
          "auto eth1\niface eth1 inet dhcp\n\niface eth1 inet6 auto\n\n"
          "auto eth2\niface eth2 inet static\n\taddress 10.0.0.5\n\tnetmask 255.255.255.255\n"
          "# --- BEGIN PVE ---\n\tpost-up ip route add 10.0.0.1 dev eth2\n"
          "\tpost-up ip route add default via 10.0.0.1 dev eth2\n"
          "\tpre-down ip route del default via 10.0.0.1 dev eth2\n"
          "\tpre-down ip route del 10.0.0.1 dev eth2\n# --- END PVE ---\n\n");
    CHECK_FALSE(fs::exists(rootfs + "/etc/systemd/network"));
    // 15.04-16.04: login on the console (pts/0 in securetty); no container-getty before 16.10.
    CHECK(read_text(rootfs + "/etc/securetty") == "console\ntty1\npts/0\n");
    CHECK_FALSE(fs::exists(rootfs + "/etc/systemd/system/getty.target.wants/"
                                    "container-getty@1.service"));
}

TEST_CASE("setup: Ubuntu versions Proxmox refuses or warns about") {
    TempDir tmp;
    auto run = [&](const std::string& release, std::vector<std::string>& warnings) {
        std::string rootfs = ubuntu_root(tmp, release);
        return setup_ct_files(rootfs, ContainerSettings{}, std::nullopt, warnings);
    };
    std::vector<std::string> warnings;
    auto ancient = run("11.10", warnings);
    REQUIRE_FALSE(ancient.has_value());
    CHECK(ancient.error().message == "unsupported ancient Ubuntu version '11.10'");
    auto newer = run("27.04", warnings);
    REQUIRE(newer.has_value());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].starts_with("The container's Ubuntu version '27.04' is not in the known "
                                  "version list."));
    std::string other = tmp.sub("not-ubuntu");
    write_text(other + "/etc/os-release", "ID=ubuntu\n");
    write_text(other + "/etc/lsb-release", "DISTRIB_ID=Debian\n");
    auto unknown = setup_ct_files(other, ContainerSettings{}, std::nullopt, warnings);
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().message == "got unknown DISTRIB_ID");
}

TEST_CASE("setup: Debian with systemd gets container gettys and the networkd preset") {
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    write_text(rootfs + "/usr/lib/systemd/system/container-getty@.service",
               "ExecStart=-/sbin/agetty lxc/tty%I\n");
    fs::create_directories(rootfs + "/sbin");
    fs::create_symlink("/lib/systemd/systemd", rootfs + "/sbin/init");
    fs::create_directories(rootfs + "/etc/systemd/system/getty.target.wants");
    fs::create_symlink("/dev/null", rootfs + "/etc/systemd/system/getty.target"); // masked
    write_text(rootfs + "/etc/systemd/system/getty.target.wants/getty@tty1.service", "");
    std::vector<std::string> warnings;
    REQUIRE(
        setup_ct_files(rootfs, settings_from("tty: 3\nsearchdomain: x\n"), std::nullopt, warnings));
    CHECK(read_text(rootfs + "/usr/lib/systemd/system/container-getty@.service") ==
          "ExecStart=-/sbin/agetty tty%I\n");
    std::string wants = rootfs + "/etc/systemd/system/getty.target.wants/";
    CHECK_FALSE(fs::exists(wants + "getty@tty1.service"));
    for (const char* n : {"1", "2", "3"})
        CHECK(fs::read_symlink(wants + "container-getty@" + n + ".service") ==
              "/usr/lib/systemd/system/container-getty@.service");
    CHECK_FALSE(fs::is_symlink(rootfs + "/etc/systemd/system/getty.target"));
    CHECK(read_text(rootfs + "/etc/systemd/system-preset/00-pve.preset") ==
          "# Added by PVE at create-time for first-boot configuration.\n"
          "enable container-getty@.service\ndisable getty@.service\n"
          "disable sys-kernel-config.mount\ndisable sys-kernel-debug.mount\n"
          "disable systemd-networkd.service\n");
}

TEST_CASE("setup: the timezone links /etc/localtime to the CT's zone file") {
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    write_text(rootfs + "/usr/share/zoneinfo/Europe/Vienna", "TZif");
    write_text(rootfs + "/etc/timezone", "Etc/UTC\n");
    write_text(rootfs + "/etc/localtime", "old"); // a copy, not a link
    std::vector<std::string> warnings;
    REQUIRE(setup_ct_files(rootfs, settings_from("timezone: Europe/Vienna\nsearchdomain: x\n"),
                           std::nullopt, warnings));
    CHECK(fs::read_symlink(rootfs + "/etc/localtime") == "/usr/share/zoneinfo/Europe/Vienna");
    CHECK(read_text(rootfs + "/etc/timezone") == "Europe/Vienna\n");
    CHECK(warnings.empty());
    REQUIRE(setup_ct_files(rootfs, settings_from("timezone: Asia/Tokyo\nsearchdomain: x\n"),
                           std::nullopt, warnings));
    CHECK(warnings == std::vector<std::string>{"container does not have "
                                               "/usr/share/zoneinfo/Asia/Tokyo, timezone can "
                                               "not be modified"});
    CHECK(fs::read_symlink(rootfs + "/etc/localtime") == "/usr/share/zoneinfo/Europe/Vienna");
}

TEST_CASE("setup: post-create hashes the password and gives each CT its own identity") {
    TempDir tmp;
    auto make = [&](const std::string& name) {
        std::string rootfs = tmp.sub(name);
        write_text(rootfs + "/etc/debian_version", "12.5\n");
        write_text(rootfs + "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        write_text(rootfs + "/etc/shadow", "root:*:19000:0:99999:7:::\nbin:*:19000::::::\n");
        fs::permissions(rootfs + "/etc/shadow",
                        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read,
                        fs::perm_options::replace);
        fs::create_directories(rootfs + "/root");
        fs::create_directories(rootfs + "/etc/ssh");
        write_text(rootfs + "/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        write_text(rootfs + "/lib/systemd/systemd", "");
        fs::permissions(rootfs + "/lib/systemd/systemd", fs::perms::owner_all);
        write_text(rootfs + "/var/lib/dbus/machine-id", "0123456789abcdef0123456789abcdef\n");
        write_text(rootfs + "/etc/ssl/private/ssl-cert-snakeoil.key", "KEY");
        return rootfs;
    };
    PostCreateOptions o;
    o.password = "s3cret p\xc3\xa4ss";
    o.ssh_public_keys = "ssh-ed25519 AAAAC3Nza test@host";
    std::vector<std::string> warnings;
    std::string a = make("a"), b = make("b");
    ContainerSettings s = settings_from("hostname: ident.example.org\nsearchdomain: x\n");
    REQUIRE(post_create_setup(a, s, o, warnings));
    REQUIRE(post_create_setup(b, s, o, warnings));
    // §5.6: SHA-512 crypt, a random salt each time, days since the epoch in field 3.
    for (const auto& rootfs : {a, b}) {
        std::string shadow = read_text(rootfs + "/etc/shadow");
        REQUIRE(shadow.starts_with("root:$6$"));
        std::string hash = shadow.substr(5, shadow.find(':', 5) - 5);
        crypt_data data{};
        CHECK(std::string(::crypt_r(o.password->c_str(), hash.c_str(), &data)) == hash);
        CHECK(shadow.substr(5 + hash.size()) == ":" + std::to_string(std::time(nullptr) / 86400) +
                                                    ":0:99999:7:::\nbin:*:19000::::::\n");
        CHECK((fs::status(rootfs + "/etc/shadow").permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
        CHECK(read_text(rootfs + "/root/.ssh/authorized_keys") ==
              "# --- BEGIN PVE ---\nssh-ed25519 AAAAC3Nza test@host\n# --- END PVE ---\n");
        CHECK_FALSE(fs::exists(rootfs + "/etc/machine-id"));
        CHECK_FALSE(fs::exists(rootfs + "/var/lib/dbus/machine-id"));
        CHECK_FALSE(fs::exists(rootfs + "/etc/ssl/private/ssl-cert-snakeoil.key"));
        for (const char* type : {"rsa", "ecdsa", "ed25519"}) {
            std::string key = rootfs + "/etc/ssh/ssh_host_" + type + "_key";
            CHECK(read_text(key).find("PRIVATE KEY") != std::string::npos);
            CHECK(read_text(key + ".pub").ends_with(" root@ident\n"));
            CHECK((fs::status(key).permissions() & fs::perms::all) ==
                  (fs::perms::owner_read | fs::perms::owner_write));
        }
    }
    CHECK(read_text(a + "/etc/shadow") != read_text(b + "/etc/shadow"));
    CHECK(read_text(a + "/etc/ssh/ssh_host_ed25519_key") !=
          read_text(b + "/etc/ssh/ssh_host_ed25519_key"));
    // A crypt hash is taken as it is; no password is `*`.
    o.password = "$6$abc$def";
    REQUIRE(post_create_setup(a, s, o, warnings));
    CHECK(read_text(a + "/etc/shadow").starts_with("root:$6$abc$def:"));
    o.password.reset();
    REQUIRE(post_create_setup(a, s, o, warnings));
    CHECK(read_text(a + "/etc/shadow").starts_with("root:*:"));
}

TEST_CASE("setup: the busybox test template is set up like Alpine") {
    TempDir tmp;
    std::string rootfs = tmp.sub("busybox");
    write_text(rootfs + "/etc/os-release", "NAME=\"busybox-test\"\nID=busybox\n");
    write_text(rootfs + "/etc/inittab", "::sysinit:/etc/init.d/rcS\n"
                                        "tty1::respawn:/sbin/getty -L 38400 tty1\n"
                                        "console::respawn:/bin/sh -l\n");
    write_text(rootfs + "/etc/network/interfaces", "auto lo\niface lo inet loopback\n");
    std::vector<std::string> warnings;
    ContainerSettings s =
        settings_from("ostype: debian\nhostname: bb\nsearchdomain: x\nnameserver: 10.0.0.1\n"
                      "net0: name=eth0,bridge=vmbr0,ip=10.0.0.2/24,gw=10.0.0.1,ip6=dhcp\n");
    REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings));
    CHECK(warnings.empty()); // not Proxmox's "unable to detect OS distribution"
    CHECK(read_text(rootfs + "/etc/inittab") ==
          "::sysinit:/etc/init.d/rcS\nconsole::respawn:/bin/sh -l\n"
          "tty1::respawn:/sbin/getty 38400 tty1\ntty2::respawn:/sbin/getty 38400 tty2\n");
    // busybox ifupdown: the netmask form, DHCPv6 as manual (Alpine's rule).
    CHECK(read_text(rootfs + "/etc/network/interfaces") ==
          "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n"
          "\taddress 10.0.0.2\n\tnetmask 255.255.255.0\n\tgateway 10.0.0.1\n\n"
          "iface eth0 inet6 manual\n\n");
    CHECK(read_text(rootfs + "/etc/hostname") == "bb\n");
    // `unmanaged` in the config: left alone, as Proxmox.
    s.ostype = "unmanaged";
    s.hostname = "other";
    REQUIRE(setup_ct_files(rootfs, s, std::nullopt, warnings));
    CHECK(read_text(rootfs + "/etc/hostname") == "bb\n");
}

TEST_CASE("setup: marked sections follow Proxmox's ct_modify_file") {
    using namespace pct::runtime::detail::setup;
    // §5.5: a missing file gets the block; an existing section is replaced; otherwise
    // appended, prepended or replacing the whole file.
    CHECK(modify_section(std::nullopt, "a", Placement::append).text ==
          "# --- BEGIN PVE ---\na\n# --- END PVE ---\n");
    CHECK(modify_section(std::nullopt, "", Placement::append).action == SectionEdit::Action::keep);
    CHECK(modify_section("x\n#  ---  begin pve\nold\n# --- end PVE ---\ny\n", "new",
                         Placement::append)
              .text == "x\n#  ---  begin pve\nold\n# --- end PVE ---\ny\n# --- BEGIN PVE ---\nnew\n"
                       "# --- END PVE ---\n"); // BEGIN is matched case-sensitively
    CHECK(
        modify_section("x\n#--- BEGIN PVE\nold\n#---end pve\ny\n", "new", Placement::append).text ==
        "x\n# --- BEGIN PVE ---\nnew\n# --- END PVE ---\ny\n");
    CHECK(
        modify_section("x\n# --- BEGIN PVE ---\nold\n# --- END PVE ---\ny\n", "", Placement::append)
            .text == "x\n# --- BEGIN PVE ---\n# --- END PVE ---\n\ny\n");
    CHECK(
        modify_section("# --- BEGIN PVE ---\nold\n# --- END PVE ---\n", "", Placement::append, true)
            .action == SectionEdit::Action::remove);
    CHECK(modify_section("x", "a\n", Placement::prepend).text ==
          "# --- BEGIN PVE ---\na\n# --- END PVE ---\nx\n");
    CHECK(modify_section("x\n", "a", Placement::replace).text ==
          "# --- BEGIN PVE ---\na\n# --- END PVE ---\n");
    CHECK(remove_sections("a\n # --- BEGIN PVE ---\n1\n# --- END PVE ---\nb\n"
                          "# --- BEGIN PVE ---\n2\n# --- END PVE --- x\nc\n") == "a\n\nc\n");
}

TEST_CASE("setup: .pve-ignore keeps each file Proxmox would keep") {
    TempDir tmp;
    std::string rootfs = debian_root(tmp);
    write_text(rootfs + "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    write_text(rootfs + "/etc/shadow", "root:!:1:0:99999:7:::\n");
    fs::create_directories(rootfs + "/root");
    for (const char* rel : {"/etc/.pve-ignore.shadow", "/etc/network/.pve-ignore.interfaces",
                            "/etc/.pve-ignore.hostname", "/etc/.pve-ignore.resolv.conf",
                            "/root/.ssh/.pve-ignore.authorized_keys"})
        write_text(rootfs + rel, "");
    write_text(rootfs + "/etc/network/interfaces", "# mine\n");
    write_text(rootfs + "/etc/resolv.conf", "nameserver 192.0.2.53\n");
    write_text(rootfs + "/etc/hostname", "mine\n");
    std::vector<std::string> warnings;
    REQUIRE(post_create_setup(
        rootfs, settings_from("hostname: ign\nnet0: name=eth0,bridge=vmbr0,ip=dhcp\n"),
        suite_options(), warnings));
    CHECK(read_text(rootfs + "/etc/shadow") == "root:!:1:0:99999:7:::\n");
    CHECK(read_text(rootfs + "/etc/passwd") == "root:x:0:0:root:/root:/bin/bash\n");
    CHECK(read_text(rootfs + "/etc/network/interfaces") == "# mine\n");
    CHECK(read_text(rootfs + "/etc/resolv.conf") == "nameserver 192.0.2.53\n");
    CHECK(read_text(rootfs + "/etc/hostname") == "mine\n");
    CHECK_FALSE(fs::exists(rootfs + "/root/.ssh/authorized_keys"));
    // Not ignored: /etc/hosts.
    CHECK(read_text(rootfs + "/etc/hosts").find("127.0.1.1 ign.proxmox.com ign\n") !=
          std::string::npos);
}

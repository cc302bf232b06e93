// SPDX-License-Identifier: AGPL-3.0-or-later
// lxcconf, proxmox profile: Proxmox's own test configs (conformance) and every §9 step.
#include "pct/internal/keys.hpp"
#include "test_lxcconf_util.hpp"

#include <iostream>

using namespace lxcconf_test;
using pct::Errc;
using pct::lxcconf::HostFacts;

namespace {

HostFacts ref() { return HostFacts::proxmox_reference(); }

} // namespace

TEST_CASE("lxcconf: a netN key is net and one or more digits, any number") {
    // Proxmox's m/^net(\d+)$/, one rule for the generator, the host needs and create.
    using pct::detail::is_net_key;
    for (std::string_view key : {"net0", "net31", "net32", "net007", "net123456"})
        CHECK_MESSAGE(is_net_key(key), key);
    for (std::string_view key : {"net", "netx", "net0x", "net-1", "nets", "xnet0", "Net0", ""})
        CHECK_MESSAGE(!is_net_key(key), key);
}

TEST_CASE("lxcconf: conformance with Proxmox's update_lxc_config (pve-tests)") {
    fs::path root = PCT_CONFORMANCE_DIR;
    if (!fs::is_directory(root / "expected" / "pve-tests")) {
        std::cout << "lxcconf conformance: SKIPPED (no conformance corpus at " << root.string()
                  << ")\n";
        return;
    }
    fs::path expected_root = root / "expected" / "pve-tests";
    int lxc_total = 0, lxc_ok = 0, err_total = 0, err_ok = 0;
    for (const auto& entry : fs::recursive_directory_iterator(expected_root)) {
        std::string name = entry.path().filename().string();
        bool is_err = name.ends_with(".lxc.err");
        if (!is_err && !name.ends_with(".lxc"))
            continue;
        fs::path rel = fs::relative(entry.path(), expected_root);
        std::string input_rel = rel.string();
        input_rel.resize(input_rel.size() - (is_err ? 8 : 4));
        fs::path input = root / "pve-tests" / input_rel;
        std::uint32_t vmid = pct::parse::vmid_from_path(input.string());
        auto cfg = parse_text(read_file(input), vmid);
        auto g = pct::lxcconf::generate(cfg, ref(), proxmox_opts(vmid));
        std::string want = read_file(entry.path());
        CAPTURE(input_rel);
        if (is_err) {
            ++err_total;
            while (!want.empty() && want.back() == '\n')
                want.pop_back();
            CHECK_FALSE(g.has_value());
            if (!g && g.error().message == want)
                ++err_ok;
            else if (!g)
                CHECK(g.error().message == want);
        } else {
            ++lxc_total;
            REQUIRE_MESSAGE(g.has_value(), (g ? "" : pct::to_string(g.error())));
            auto got_lines = lines_of(g->config);
            auto want_lines = lines_of(want);
            bool same = got_lines == want_lines;
            if (!same) {
                for (std::size_t i = 0; i < std::max(got_lines.size(), want_lines.size()); ++i) {
                    std::string a = i < got_lines.size() ? got_lines[i] : "<none>";
                    std::string b = i < want_lines.size() ? want_lines[i] : "<none>";
                    if (a != b) {
                        CHECK_MESSAGE(a == b, "line " << i + 1);
                        break;
                    }
                }
            }
            lxc_ok += same ? 1 : 0;
        }
    }
    std::cout << "lxcconf conformance: .lxc " << lxc_ok << "/" << lxc_total << " equal, .lxc.err "
              << err_ok << "/" << err_total << " messages equal\n";
    CHECK(lxc_total == 84);
    CHECK(err_total == 33);
    CHECK(lxc_ok == lxc_total);
    CHECK(err_ok == err_total);
}

TEST_CASE("lxcconf: proxmox profile golden outputs") {
    SUBCASE("privileged with limits and a NIC") {
        auto g = gen(load("privileged.conf", 101), ref(), proxmox_opts(101));
        CHECK(g.config == read_file(data_dir() + "/privileged.proxmox.lxc"));
        CHECK(g.files.empty());
        CHECK(g.warnings.empty());
    }
    SUBCASE("unprivileged with nesting, keyctl and mount types") {
        auto g = gen(load("unprivileged.conf", 102), ref(), proxmox_opts(102));
        CHECK(g.config == read_file(data_dir() + "/unprivileged.proxmox.lxc"));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].path == "/var/lib/lxc/102/rules.seccomp");
        std::string common = read_file("/usr/share/lxc/config/common.seccomp");
        CHECK(g.files[0].content == common + "ioctl errno 1 [1,0x9400,SCMP_CMP_MASKED_EQ,0xff00]\n"
                                             "socket errno 97 [0,38,SCMP_CMP_EQ]\n");
    }
}

TEST_CASE("lxcconf: step 1-3, cgroup dirs, arch, includes") {
    auto cfg = load("minimal.conf");
    SUBCASE("lxc < 4 has no cgroup dir keys and no up-script") {
        auto host = ref();
        host.lxc_version = "3.0";
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:AA";
        auto g = gen(cfg, host, proxmox_opts());
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup.relative"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.script.up"));
        CHECK(lines_of(g.config).front() == "lxc.arch = amd64");
    }
    SUBCASE("missing arch") {
        cfg.main.options.erase("arch");
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.message == "missing 'arch' - internal error");
        CHECK(e.key == "arch");
        CHECK(e.code == Errc::invalid_argument);
    }
    SUBCASE("missing ostype") {
        cfg.main.options.erase("ostype");
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.message == "missing 'ostype' - internal error");
        CHECK(e.key == "ostype");
    }
    SUBCASE("missing rootfs") {
        cfg.main.options.erase("rootfs");
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.message == "missing 'rootfs' configuration");
        CHECK(e.key == "rootfs");
    }
    SUBCASE("includes follow the files that exist") {
        TempDir dir;
        write_file(dir.path() / "common.conf", "");
        write_file(dir.path() / "userns.conf", "");
        write_file(dir.path() / "debian.common.conf", "");
        write_file(dir.path() / "common.seccomp", "2\ndenylist\n");
        auto host = ref();
        host.lxc_config_dir = dir.path().string();
        auto g = gen(cfg, host, proxmox_opts());
        CHECK(has_line(g.config, "lxc.include = " + (dir.path() / "debian.common.conf").string()));
        cfg.main.options["ostype"] = "nixos";
        cfg.main.options["unprivileged"] = "1";
        g = gen(cfg, host, proxmox_opts());
        CHECK(has_line(g.config, "lxc.include = " + (dir.path() / "common.conf").string()));
        CHECK(has_line(g.config, "lxc.include = " + (dir.path() / "userns.conf").string()));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].content.starts_with("2\ndenylist\n"));
    }
    SUBCASE("a missing common.seccomp fails for unprivileged CTs") {
        TempDir dir;
        auto host = ref();
        host.lxc_config_dir = dir.path().string();
        cfg.main.options["unprivileged"] = "1";
        auto e = gen_err(cfg, host, proxmox_opts());
        CHECK(e.code == Errc::not_found);
        CHECK(e.message.find("common.seccomp") != std::string::npos);
    }
    SUBCASE("template") {
        cfg.main.options["template"] = "1";
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.code == Errc::bad_state);
        CHECK(e.key == "template");
    }
}

TEST_CASE("lxcconf: step 4 seccomp") {
    auto cfg = load("minimal.conf", 150);
    cfg.main.options["unprivileged"] = "1";
    std::string common = read_file("/usr/share/lxc/config/common.seccomp");
    const std::string ioctl = "ioctl errno 1 [1,0x9400,SCMP_CMP_MASKED_EQ,0xff00]\n";
    const std::string socket = "socket errno 97 [0,38,SCMP_CMP_EQ]\n";

    SUBCASE("default rules keep keyctl out") {
        auto g = gen(cfg, ref(), proxmox_opts(150));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0] == pct::lxcconf::ExtraFile{"/var/lib/lxc/150/rules.seccomp",
                                                    common + ioctl + "keyctl errno 38\n" + socket});
        CHECK(has_line(g.config, "lxc.seccomp.profile = /var/lib/lxc/150/rules.seccomp"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.seccomp.notify"));
    }
    SUBCASE("keyctl=1 drops the keyctl rule") {
        cfg.main.options["features"] = "keyctl=1";
        auto g = gen(cfg, ref(), proxmox_opts(150));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].content == common + ioctl + socket);
    }
    SUBCASE("mknod=1 adds the notify proxy and the mknod rules, sorted by syscall") {
        cfg.main.options["features"] = "mknod=1";
        auto g = gen(cfg, ref(), proxmox_opts(150));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].content == common + ioctl + "keyctl errno 38\n" +
                                        "mknod notify [1,8192,SCMP_CMP_MASKED_EQ,61440]\n"
                                        "mknod notify [1,24576,SCMP_CMP_MASKED_EQ,61440]\n"
                                        "mknodat notify [2,8192,SCMP_CMP_MASKED_EQ,61440]\n"
                                        "mknodat notify [2,24576,SCMP_CMP_MASKED_EQ,61440]\n" +
                                        socket);
        long proxy =
            line_index(g.config, "lxc.seccomp.notify.proxy = unix:/run/pve-lxc-syscalld/socket");
        long cookie = line_index(g.config, "lxc.seccomp.notify.cookie = 150");
        long profile = line_index(g.config, "lxc.seccomp.profile = /var/lib/lxc/150/rules.seccomp");
        CHECK(proxy >= 0);
        CHECK(cookie == proxy + 1);
        CHECK(profile == cookie + 1);
    }
    SUBCASE("the old syscalld socket when that is the host's") {
        cfg.main.options["features"] = "mknod=1";
        auto host = ref();
        host.syscalld_socket = "/run/pve/lxc-syscalld.sock";
        auto g = gen(cfg, host, proxmox_opts(150));
        CHECK(has_line(g.config, "lxc.seccomp.notify.proxy = unix:/run/pve/lxc-syscalld.sock"));
    }
    SUBCASE("privileged CTs keep the included default profile") {
        cfg.main.options.erase("unprivileged");
        cfg.main.options["features"] = "keyctl=1,mknod=1";
        auto g = gen(cfg, ref(), proxmox_opts(150));
        CHECK(g.files.empty());
        CHECK_FALSE(has_prefix_line(g.config, "lxc.seccomp"));
    }
    SUBCASE("a raw lxc.seccomp.profile suppresses it, with a warning") {
        cfg.main.options["features"] = "keyctl=1,mknod=1";
        cfg.main.lxc.push_back({"lxc.seccomp.profile", "/etc/my.seccomp"});
        auto g = gen(cfg, ref(), proxmox_opts(150));
        CHECK(g.files.empty());
        CHECK(lines_of(g.config).back() == "lxc.seccomp.profile = /etc/my.seccomp");
        CHECK(line_index(g.config, "lxc.seccomp.profile = /etc/my.seccomp") ==
              static_cast<long>(lines_of(g.config).size()) - 1);
        REQUIRE(g.warnings.size() == 1);
        CHECK(g.warnings[0] == "explicitly configured lxc.seccomp.profile overrides the "
                               "following settings: keyctl, mknod");
    }
}

TEST_CASE("lxcconf: steps 5-7 apparmor, fuse, sys mount") {
    auto cfg = load("minimal.conf");
    SUBCASE("fuse") {
        cfg.main.options["features"] = "fuse=1";
        auto g = gen(cfg, ref(), proxmox_opts());
        long deny_sys = line_index(g.config, "lxc.apparmor.raw = deny mount -> /sys/,");
        CHECK(line_index(g.config, "lxc.apparmor.raw = mount fstype=fuse,") == deny_sys + 1);
        CHECK(line_index(g.config,
                         "lxc.mount.entry = /dev/fuse dev/fuse none bind,create=file 0 0") ==
              deny_sys + 2);
    }
    SUBCASE("a raw apparmor profile suppresses the generated lines but not fuse's") {
        cfg.main.options["features"] = "fuse=1,nesting=1,mount=nfs";
        cfg.main.lxc.push_back({"lxc.apparmor.profile", "unconfined"});
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK_FALSE(has_line(g.config, "lxc.apparmor.profile = generated"));
        CHECK_FALSE(has_line(g.config, "lxc.apparmor.allow_nesting = 1"));
        CHECK(has_line(g.config, "lxc.apparmor.raw = mount fstype=fuse,"));
        CHECK(has_line(g.config, "lxc.apparmor.profile = unconfined"));
        REQUIRE(g.warnings.size() == 1);
        CHECK(g.warnings[0] == "explicitly configured lxc.apparmor.profile overrides the "
                               "following settings: features:fuse, features:nesting, "
                               "features:mount");
    }
    SUBCASE("unprivileged: sys:mixed unless force_rw_sys") {
        cfg.main.options["unprivileged"] = "1";
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.mount.auto = sys:mixed"));
        cfg.main.options["features"] = "force_rw_sys=1";
        g = gen(cfg, ref(), proxmox_opts());
        CHECK_FALSE(has_line(g.config, "lxc.mount.auto = sys:mixed"));
    }
    SUBCASE("a raw lxc.idmap makes the CT unprivileged without generated idmaps") {
        cfg.main.lxc.push_back({"lxc.idmap", "u 0 200000 65536"});
        cfg.main.lxc.push_back({"lxc.idmap", "g 0 200000 65536"});
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.include = /usr/share/lxc/config/debian.userns.conf"));
        CHECK(has_line(g.config, "lxc.mount.auto = sys:mixed"));
        CHECK_FALSE(has_line(g.config, "lxc.idmap = u 0 100000 65536"));
        CHECK(has_line(g.config, "lxc.idmap = u 0 200000 65536"));
        CHECK(g.files.size() == 1);
    }
}

TEST_CASE("lxcconf: steps 8 and 17 entrypoint") {
    auto cfg = load("minimal.conf");
    const std::string shm = "lxc.mount.entry = shm dev/shm tmpfs rw,nosuid,nodev,create=dir 0 0";
    cfg.main.options["entrypoint"] = "/bin/sh -c 'exec /app'";
    auto g = gen(cfg, ref(), proxmox_opts());
    CHECK(has_line(g.config, shm));
    CHECK(line_index(g.config, "lxc.init.cmd = /bin/sh -c 'exec /app'") ==
          line_index(g.config, "lxc.rootfs.path = /var/lib/lxc/100/rootfs") + 1);
    cfg.main.options["entrypoint"] = "/sbin/init";
    g = gen(cfg, ref(), proxmox_opts());
    CHECK_FALSE(has_line(g.config, shm));
    CHECK(has_line(g.config, "lxc.init.cmd = /sbin/init"));
}

TEST_CASE("lxcconf: step 9 devices") {
    auto cfg = load("minimal.conf");
    SUBCASE("a char device, read-write and deny-write") {
        cfg.main.options["dev0"] = "/dev/null";
        cfg.main.options["dev1"] = "/dev/zero,deny-write=1";
        auto g = gen(cfg, ref(), proxmox_opts());
        long a0 = line_index(g.config, "lxc.cgroup2.devices.allow = c 1:3 rw");
        CHECK(a0 >= 0);
        CHECK(line_index(g.config, "lxc.cgroup2.devices.allow = c 1:5 r") == a0 + 1);
        CHECK(line_index(g.config, "lxc.cgroup2.devices.deny = c 1:5 w") == a0 + 2);
        CHECK(line_index(g.config, "lxc.monitor.unshare = 1") == a0 + 3);
    }
    SUBCASE("a missing device") {
        cfg.main.options["dev3"] = "/dev/pct-no-such-device";
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.code == Errc::not_found);
        CHECK(e.message == "Device /dev/pct-no-such-device does not exist");
        CHECK(e.key == "dev3");
    }
    SUBCASE("not a device") {
        // Device paths must be under /dev; /dev/shm is a directory there.
        REQUIRE(fs::is_directory("/dev/shm"));
        cfg.main.options["dev0"] = "/dev/shm";
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.code == Errc::invalid_argument);
        CHECK(e.message == "/dev/shm is not a device");
        CHECK(e.key == "dev0");
    }
}

TEST_CASE("lxcconf: steps 10-13 idmap, console, tty, hostname") {
    auto cfg = load("minimal.conf", 123);
    SUBCASE("defaults") {
        auto g = gen(cfg, ref(), proxmox_opts(123));
        CHECK(has_line(g.config, "lxc.tty.max = 2"));
        CHECK(has_line(g.config, "lxc.uts.name = CT123"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.console.path"));
    }
    SUBCASE("console off") {
        cfg.main.options["console"] = "0";
        auto g = gen(cfg, ref(), proxmox_opts(123));
        long path = line_index(g.config, "lxc.console.path = none");
        CHECK(path >= 0);
        CHECK(line_index(g.config, "lxc.cgroup2.devices.deny = c 5:1 rwm") == path + 1);
    }
    SUBCASE("console on, tty count, hostname") {
        cfg.main.options["console"] = "1";
        cfg.main.options["tty"] = "4";
        cfg.main.options["hostname"] = "box";
        auto g = gen(cfg, ref(), proxmox_opts(123));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.console.path"));
        CHECK(has_line(g.config, "lxc.tty.max = 4"));
        CHECK(has_line(g.config, "lxc.uts.name = box"));
    }
    SUBCASE("unprivileged idmap") {
        cfg.main.options["unprivileged"] = "1";
        auto g = gen(cfg, ref(), proxmox_opts(123));
        long u = line_index(g.config, "lxc.idmap = u 0 100000 65536");
        CHECK(u == line_index(g.config, "lxc.monitor.unshare = 1") + 1);
        CHECK(line_index(g.config, "lxc.idmap = g 0 100000 65536") == u + 1);
    }
}

TEST_CASE("lxcconf: steps 14-15 memory and cpu") {
    auto cfg = load("minimal.conf");
    SUBCASE("defaults: 512 MiB, unset swap is 0, no cpu keys") {
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.cgroup2.memory.max = 536870912"));
        CHECK(has_line(g.config, "lxc.cgroup2.memory.high = 532676608"));
        CHECK(has_line(g.config, "lxc.cgroup2.memory.swap.max = 0"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup2.cpu"));
    }
    SUBCASE("memory.high switches formula at 16 GiB") {
        cfg.main.options["memory"] = "16383";
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.cgroup2.memory.high = 17044611072"));
        cfg.main.options["memory"] = "16384";
        g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.cgroup2.memory.max = 17179869184"));
        CHECK(has_line(g.config, "lxc.cgroup2.memory.high = 17045651456"));
    }
    SUBCASE("cpuunits 0 stays 0, large values clamp to 10000") {
        cfg.main.options["cpuunits"] = "0";
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.cgroup2.cpu.weight = 0"));
        cfg.main.options["cpuunits"] = "20000";
        g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.cgroup2.cpu.weight = 10000"));
    }
    SUBCASE("cpulimit uses Perl's double arithmetic; 0 means none") {
        cfg.main.options["cpulimit"] = "0.29";
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK(has_line(g.config, "lxc.cgroup2.cpu.max = 28999 100000"));
        cfg.main.options["cpulimit"] = "0";
        g = gen(cfg, ref(), proxmox_opts());
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup2.cpu.max"));
    }
    SUBCASE("a malformed stored integer names its key") {
        cfg.main.options["memory"] = "lots";
        auto e = gen_err(cfg, ref(), proxmox_opts());
        CHECK(e.key == "memory");
        CHECK(e.code == Errc::invalid_argument);
    }
}

TEST_CASE("lxcconf: step 18 networks") {
    auto cfg = load("minimal.conf", 120);
    SUBCASE("string order: net10 before net2; generated MACs in order") {
        cfg.main.options["net2"] = "name=eth2,bridge=vmbr0";
        cfg.main.options["net10"] = "name=eth10,bridge=vmbr0";
        auto g = gen(cfg, ref(), proxmox_opts(120));
        long n10 = line_index(g.config, "lxc.net.10.type = veth");
        long n2 = line_index(g.config, "lxc.net.2.type = veth");
        CHECK(n10 >= 0);
        CHECK(n10 < n2);
        CHECK(has_line(g.config, "lxc.net.10.hwaddr = BC:24:11:00:00:01"));
        CHECK(has_line(g.config, "lxc.net.2.hwaddr = BC:24:11:00:00:02"));
        CHECK(has_line(g.config, "lxc.net.10.veth.pair = veth120i10"));
    }
    SUBCASE("mtu at or above the bridge's") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:AA,mtu=1400";
        auto g = gen(cfg, ref(), proxmox_opts(120));
        CHECK(has_line(g.config, "lxc.net.0.mtu = 1400"));
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:AA,mtu=9000";
        auto e = gen_err(cfg, ref(), proxmox_opts(120));
        CHECK(e.message == "net0: MTU size '9000' is bigger than bridge MTU '1500'");
        CHECK(e.key == "net0");
        CHECK(e.subkey == "mtu");
    }
    SUBCASE("a bridge the host does not have") {
        auto host = ref();
        host.all_bridges_exist = false;
        host.bridge_mtu = {{"vmbr0", 9000}};
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr9";
        auto e = gen_err(cfg, host, proxmox_opts(120));
        CHECK(e.code == Errc::not_found);
        CHECK(e.message == "bridge 'vmbr9' does not exist");
        CHECK(e.key == "net0");
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0";
        auto g = gen(cfg, host, proxmox_opts(120));
        CHECK(has_line(g.config, "lxc.net.0.mtu = 9000"));
    }
    SUBCASE("host-managed addresses") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:AA,host-managed=1,"
                                   "ip=10.1.2.3/24,gw=10.1.2.1,ip6=fd00::3/64,gw6=fd00::1";
        auto g = gen(cfg, ref(), proxmox_opts(120));
        long up = line_index(g.config, "lxc.net.0.script.up = /usr/share/lxc/lxcnetaddbr");
        CHECK(line_index(g.config, "lxc.net.0.ipv4.address = 10.1.2.3/24") == up + 1);
        CHECK(line_index(g.config, "lxc.net.0.ipv4.gateway = 10.1.2.1") == up + 2);
        CHECK(line_index(g.config, "lxc.net.0.ipv6.address = fd00::3/64") == up + 3);
        CHECK(line_index(g.config, "lxc.net.0.ipv6.gateway = fd00::1") == up + 4);
        CHECK(line_index(g.config, "lxc.net.0.flags = up") == up + 5);

        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,host-managed=1,ip=dhcp,ip6=auto";
        auto e = gen_err(cfg, ref(), proxmox_opts(120));
        CHECK(e.key == "net0");
        CHECK(e.subkey == "ip6");

        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,host-managed=1,ip=dhcp,link_down=1";
        g = gen(cfg, ref(), proxmox_opts(120));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.flags"));
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,host-managed=1,ip=dhcp";
        g = gen(cfg, ref(), proxmox_opts(120));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.ipv4"));
        CHECK(has_line(g.config, "lxc.net.0.flags = up"));
    }
    SUBCASE("without host-managed, addresses and VLANs are the hooks' business") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,ip=10.1.2.3/24,tag=5,firewall=1,rate=10";
        auto g = gen(cfg, ref(), proxmox_opts(120));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.ipv4"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.flags"));
    }
}

TEST_CASE("lxcconf: steps 19-21 env, raw entries, cores") {
    auto cfg = load("minimal.conf");
    SUBCASE("env then raw entries in file order") {
        cfg.main.options["env"] = std::string("FOO=1\0BAR=two words", 19);
        cfg.main.lxc.push_back({"lxc.cap.drop", ""});
        cfg.main.lxc.push_back({"lxc.prlimit.nofile", "4096"});
        auto g = gen(cfg, ref(), proxmox_opts());
        auto all = lines_of(g.config);
        REQUIRE(all.size() >= 4);
        CHECK(all[all.size() - 4] == "lxc.environment.runtime = FOO=1");
        CHECK(all[all.size() - 3] == "lxc.environment.runtime = BAR=two words");
        CHECK(all[all.size() - 2] == "lxc.cap.drop = ");
        CHECK(all[all.size() - 1] == "lxc.prlimit.nofile = 4096");
    }
    SUBCASE("cores: a random subset of the host cpuset, unless a raw cpuset exists") {
        auto host = ref();
        host.cpuset = std::vector<unsigned>{0, 1, 2, 3, 4, 5, 6, 7};
        cfg.main.options["cores"] = "3";
        auto g = gen(cfg, host, proxmox_opts());
        auto last = lines_of(g.config).back();
        REQUIRE(last.starts_with("lxc.cgroup2.cpuset.cpus = "));
        auto g2 = gen(cfg, host, proxmox_opts());
        // Exactly 3 CPUs out of 0-7, however they are grouped into ranges.
        auto count = [](std::string list) {
            int n = 0;
            list = list.substr(list.find('=') + 2);
            std::istringstream in(list);
            for (std::string part; std::getline(in, part, ',');) {
                auto dash = part.find('-');
                n += dash == std::string::npos
                         ? 1
                         : std::stoi(part.substr(dash + 1)) - std::stoi(part.substr(0, dash)) + 1;
            }
            return n;
        };
        CHECK(count(last) == 3);
        CHECK(count(lines_of(g2.config).back()) == 3);
        cfg.main.lxc.push_back({"lxc.cgroup2.cpuset.cpus", "5"});
        g = gen(cfg, host, proxmox_opts());
        CHECK(lines_of(g.config).back() == "lxc.cgroup2.cpuset.cpus = 5");
        CHECK(line_index(g.config, "lxc.cgroup2.cpuset.cpus = 5") ==
              static_cast<long>(lines_of(g.config).size()) - 1);
    }
    SUBCASE("cores without a cpuset controller: nothing (as Proxmox)") {
        cfg.main.options["cores"] = "2";
        auto g = gen(cfg, ref(), proxmox_opts());
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup2.cpuset"));
        CHECK(g.warnings.empty());
    }
}

TEST_CASE("lxcconf: malformed stored values fail with their key, never crash") {
    auto cfg = load("minimal.conf");
    for (auto [key, value] :
         {std::pair{"features", "nesting=maybe"}, std::pair{"rootfs", "local:1,size=huge"},
          std::pair{"net0", "bridge=vmbr0,mtu=abc"}, std::pair{"net1", "name=eth1,bogus=1"},
          std::pair{"dev0", "/dev/null,mode=999999"}, std::pair{"tty", "-1"},
          std::pair{"cpuunits", "1.5"}, std::pair{"cpulimit", "fast"}, std::pair{"cores", "x"}}) {
        CAPTURE(key);
        auto bad = cfg;
        bad.main.options[key] = value;
        for (auto profile : {pct::lxcconf::Profile::proxmox, pct::lxcconf::Profile::native}) {
            pct::lxcconf::GenerateOptions opts;
            opts.profile = profile;
            auto host = profile == pct::lxcconf::Profile::proxmox ? ref() : hybrid_host();
            auto g = pct::lxcconf::generate(bad, host, opts);
            REQUIRE_FALSE(g.has_value());
            CHECK(g.error().key == key);
            CHECK_FALSE(g.error().message.empty());
        }
    }
}

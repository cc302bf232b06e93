// SPDX-License-Identifier: AGPL-3.0-or-later
// lxcconf, native profile: what works on this host (v1/hybrid/v2 cgroups, no Proxmox hooks),
// and host detection on fake /sys trees.
#include "test_lxcconf_util.hpp"

#include "host_impl.hpp"

using namespace lxcconf_test;
using pct::Errc;
using pct::lxcconf::CgroupMode;
using pct::lxcconf::HostFacts;

TEST_CASE("lxcconf native: golden text for v1, hybrid and v2 hosts") {
    auto cfg = load("privileged.conf", 101);
    SUBCASE("hybrid") {
        auto g = gen(cfg, hybrid_host(), native_opts(101));
        CHECK(g.config == read_file(data_dir() + "/privileged.native-v1.lxc"));
        CHECK(g.warnings.empty());
    }
    SUBCASE("pure v1 writes the same keys") {
        auto host = hybrid_host();
        host.cgroup = CgroupMode::v1;
        auto g = gen(cfg, host, native_opts(101));
        CHECK(g.config == read_file(data_dir() + "/privileged.native-v1.lxc"));
    }
    SUBCASE("v2") {
        auto g = gen(cfg, v2_host(), native_opts(101));
        CHECK(g.config == read_file(data_dir() + "/privileged.native-v2.lxc"));
        CHECK(g.warnings.empty());
    }
}

TEST_CASE("lxcconf native: limits the host cannot enforce are warned about") {
    auto cfg = load("privileged.conf", 101);
    SUBCASE("no swap accounting: no memsw, and a warning since swap is set") {
        auto host = hybrid_host();
        host.swap_accounting = false;
        auto g = gen(cfg, host, native_opts(101));
        CHECK(has_line(g.config, "lxc.cgroup.memory.limit_in_bytes = 1073741824"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup.memory.memsw"));
        CHECK(has_warning(g, "swap: the limit cannot be enforced"));
        cfg.main.options.erase("swap");
        g = gen(cfg, host, native_opts(101));
        CHECK(g.warnings.empty());
    }
    SUBCASE("v2 without memory and cpu controllers") {
        auto host = v2_host();
        host.controllers = {"pids"};
        auto g = gen(cfg, host, native_opts(101));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup2.memory"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup2.cpu."));
        CHECK(has_warning(g, "memory: the limit cannot be enforced"));
        CHECK(has_warning(g, "cpulimit/cpuunits: cannot be enforced"));
    }
    SUBCASE("cores without a cpuset") {
        auto host = hybrid_host();
        host.cpuset.reset();
        auto g = gen(cfg, host, native_opts(101));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.cgroup.cpuset"));
        CHECK(has_warning(g, "cores: cannot be enforced"));
    }
    SUBCASE("cores takes the first N host CPUs") {
        auto host = hybrid_host();
        host.cpuset = std::vector<unsigned>{3, 1, 7, 5};
        cfg.main.options["cores"] = "3";
        auto g = gen(cfg, host, native_opts(101));
        CHECK(lines_of(g.config).back() == "lxc.cgroup.cpuset.cpus = 1,3,5");
        cfg.main.options["cores"] = "64";
        g = gen(cfg, host, native_opts(101));
        CHECK(lines_of(g.config).back() == "lxc.cgroup.cpuset.cpus = 1,3,5,7");
    }
    SUBCASE("v1 cpu.shares: default 1024, at least 2") {
        cfg.main.options.erase("cpuunits");
        auto g = gen(cfg, hybrid_host(), native_opts(101));
        CHECK(has_line(g.config, "lxc.cgroup.cpu.shares = 1024"));
        cfg.main.options["cpuunits"] = "0";
        g = gen(cfg, hybrid_host(), native_opts(101));
        CHECK(has_line(g.config, "lxc.cgroup.cpu.shares = 2"));
    }
    SUBCASE("raw cgroup keys of the other version") {
        cfg.main.lxc.push_back({"lxc.cgroup2.pids.max", "50"});
        auto g = gen(cfg, hybrid_host(), native_opts(101));
        CHECK(has_line(g.config, "lxc.cgroup2.pids.max = 50"));
        CHECK(has_warning(g, "lxc.cgroup2.pids.max: liblxc ignores cgroup2 limits"));
        cfg.main.lxc = {{"lxc.cgroup.pids.max", "50"}};
        g = gen(cfg, v2_host(), native_opts(101));
        CHECK(has_warning(g, "lxc.cgroup.pids.max: this host has no cgroup v1"));
    }
}

TEST_CASE("lxcconf native: networks") {
    auto cfg = load("minimal.conf", 130);
    SUBCASE("static addresses are set by liblxc, dhcp and SLAAC are left to the CT") {
        cfg.main.options["ostype"] = "unmanaged"; // no in-container setup writes them
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:AA,"
                                   "ip=10.250.0.130/24,gw=10.250.0.1,ip6=fd00:250::130/64,"
                                   "gw6=fd00:250::1";
        cfg.main.options["net1"] =
            "name=eth1,bridge=vmbr0,hwaddr=BC:24:11:00:00:AB,ip=dhcp,ip6=auto";
        auto g = gen(cfg, hybrid_host(), native_opts(130));
        CHECK(has_line(g.config, "lxc.net.0.link = vmbr0"));
        CHECK(has_line(g.config, "lxc.net.0.flags = up"));
        CHECK(has_line(g.config, "lxc.net.0.ipv4.address = 10.250.0.130/24 10.250.0.255"));
        CHECK(has_line(g.config, "lxc.net.0.ipv4.gateway = 10.250.0.1"));
        CHECK(has_line(g.config, "lxc.net.0.ipv6.address = fd00:250::130/64"));
        CHECK(has_line(g.config, "lxc.net.0.ipv6.gateway = fd00:250::1"));
        CHECK(has_line(g.config, "lxc.net.1.flags = up"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.1.ipv"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.script"));
        CHECK(g.warnings.empty());
    }
    SUBCASE("where the in-container setup writes them, the distribution sets them") {
        // Set by liblxc too, ifupdown's `ip addr add` fails ("File exists") and with it
        // networking.service: only host-managed interfaces keep liblxc's addresses.
        for (const char* ostype : {"debian", "devuan", "ubuntu", "alpine"}) {
            CAPTURE(ostype);
            cfg.main.options["ostype"] = ostype;
            cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,ip=10.250.0.130/24,gw=10.250.0.1,"
                                       "ip6=fd00:250::130/64,gw6=fd00:250::1";
            cfg.main.options["net1"] =
                "name=eth1,bridge=vmbr0,ip=10.250.1.130/24,gw=10.250.1.1,host-managed=1";
            auto g = gen(cfg, hybrid_host(), native_opts(130));
            CHECK(has_line(g.config, "lxc.net.0.flags = up"));
            CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.ipv"));
            CHECK(has_line(g.config, "lxc.net.1.ipv4.address = 10.250.1.130/24 10.250.1.255"));
            CHECK(has_line(g.config, "lxc.net.1.ipv4.gateway = 10.250.1.1"));
        }
    }
    SUBCASE("/32 and link_down") {
        cfg.main.options["ostype"] = "unmanaged";
        cfg.main.options["net0"] =
            "name=eth0,bridge=vmbr0,ip=10.0.0.100/32,gw=11.0.0.1,link_down=1";
        auto g = gen(cfg, hybrid_host(), native_opts(130));
        CHECK(has_line(g.config, "lxc.net.0.ipv4.address = 10.0.0.100/32 10.0.0.100"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.flags"));
    }
    SUBCASE("a missing hwaddr is stable per CT and interface") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0";
        auto a = gen(cfg, hybrid_host(), native_opts(130));
        auto b = gen(cfg, hybrid_host(), native_opts(130));
        auto c = gen(cfg, hybrid_host(), native_opts(131));
        auto mac = [](const std::string& text) {
            for (const auto& l : lines_of(text))
                if (l.starts_with("lxc.net.0.hwaddr = "))
                    return l.substr(19);
            return std::string();
        };
        CHECK(mac(a.config).starts_with("BC:24:11:"));
        CHECK(mac(a.config).size() == 17);
        CHECK(mac(a.config) == mac(b.config));
        CHECK(mac(a.config) != mac(c.config));
    }
    SUBCASE("missing bridge") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr7";
        auto e = gen_err(cfg, hybrid_host(), native_opts(130));
        CHECK(e.code == Errc::not_found);
        CHECK(e.message == "bridge 'vmbr7' does not exist");
        CHECK(e.key == "net0");
        CHECK(e.subkey == "bridge");
    }
    SUBCASE("mtu too large, and within a jumbo bridge") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0,mtu=9000";
        auto e = gen_err(cfg, hybrid_host(), native_opts(130));
        CHECK(e.code == Errc::invalid_argument);
        CHECK(e.message == "net0: MTU size '9000' is bigger than bridge MTU '1500'");
        CHECK(e.subkey == "mtu");
        cfg.main.options["net0"] = "name=eth0,bridge=jumbo0,mtu=9000";
        auto g = gen(cfg, hybrid_host(), native_opts(130));
        CHECK(has_line(g.config, "lxc.net.0.mtu = 9000"));
    }
    SUBCASE("firewall, tag, trunks and rate are refused") {
        for (auto [extra, subkey] :
             {std::pair{"firewall=1", "firewall"}, std::pair{"tag=10", "tag"},
              std::pair{"trunks=10;20", "trunks"}, std::pair{"rate=12.5", "rate"}}) {
            CAPTURE(extra);
            cfg.main.options["net3"] = std::string("name=eth3,bridge=vmbr0,") + extra;
            auto e = gen_err(cfg, hybrid_host(), native_opts(130));
            CHECK(e.code == Errc::unsupported);
            CHECK(e.key == "net3");
            CHECK(e.subkey == subkey);
        }
        cfg.main.options["net3"] = "name=eth3,bridge=vmbr0,firewall=0";
        CHECK(pct::lxcconf::generate(cfg, hybrid_host(), native_opts(130)).has_value());
    }
    SUBCASE("no bridge: an unattached veth, with a warning") {
        cfg.main.options["net0"] = "name=eth0";
        auto g = gen(cfg, hybrid_host(), native_opts(130));
        CHECK(has_line(g.config, "lxc.net.0.type = veth"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.net.0.link"));
        CHECK(has_warning(g, "net0: no bridge"));
    }
}

TEST_CASE("lxcconf native: env, AppArmor, seccomp, devices, console, includes") {
    auto cfg = load("minimal.conf", 140);
    SUBCASE("env is lxc.environment on lxc 5, .runtime from lxc 6") {
        cfg.main.options["env"] = std::string("A=1\0B=2", 7);
        auto g = gen(cfg, hybrid_host(), native_opts(140));
        CHECK(has_line(g.config, "lxc.environment = A=1"));
        CHECK(has_line(g.config, "lxc.environment = B=2"));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.environment.runtime"));
        auto host = hybrid_host();
        host.lxc_version = "6.0";
        g = gen(cfg, host, native_opts(140));
        CHECK(has_line(g.config, "lxc.environment.runtime = A=1"));
    }
    SUBCASE("AppArmor keys only where the kernel has AppArmor") {
        cfg.main.options["features"] = "fuse=1,nesting=1";
        auto g = gen(cfg, hybrid_host(), native_opts(140));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.apparmor"));
        CHECK(has_line(g.config, "lxc.mount.entry = /dev/fuse dev/fuse none bind,create=file 0 0"));
        auto host = hybrid_host();
        host.apparmor = true;
        g = gen(cfg, host, native_opts(140));
        CHECK(has_line(g.config, "lxc.apparmor.profile = generated"));
        CHECK(has_line(g.config, "lxc.apparmor.allow_nesting = 1"));
        CHECK(has_line(g.config, "lxc.apparmor.raw = mount fstype=fuse,"));
    }
    SUBCASE("unprivileged: rules.seccomp under the lxcpath; mknod needs the syscall daemon") {
        cfg.main.options["unprivileged"] = "1";
        cfg.main.options["features"] = "mknod=1";
        auto host = hybrid_host();
        host.lxcpath = "/srv/ct/";
        auto g = gen(cfg, host, native_opts(140));
        REQUIRE(g.files.size() == 1);
        CHECK(g.files[0].path == "/srv/ct/140/rules.seccomp");
        CHECK(g.files[0].content.find("mknod") == std::string::npos);
        CHECK_FALSE(has_prefix_line(g.config, "lxc.seccomp.notify"));
        CHECK(has_warning(g, "features: mknod ignored"));
        CHECK(has_line(g.config, "lxc.rootfs.path = /srv/ct/140/rootfs"));
        CHECK(has_line(g.config, "lxc.idmap = u 0 100000 65536"));
    }
    SUBCASE("devices: v1 device rules and a bind mount of the host node") {
        cfg.main.options["dev0"] = "/dev/null,deny-write=1,mode=0600";
        auto g = gen(cfg, hybrid_host(), native_opts(140));
        long allow = line_index(g.config, "lxc.cgroup.devices.allow = c 1:3 r");
        CHECK(allow >= 0);
        CHECK(line_index(g.config, "lxc.cgroup.devices.deny = c 1:3 w") == allow + 1);
        CHECK(line_index(g.config,
                         "lxc.mount.entry = /dev/null dev/null none bind,create=file 0 0") ==
              allow + 2);
        CHECK(has_warning(g, "dev0: mode/uid/gid are not applied"));
        g = gen(cfg, v2_host(), native_opts(140));
        CHECK(has_line(g.config, "lxc.cgroup2.devices.allow = c 1:3 r"));
        CHECK(has_line(g.config, "lxc.cgroup2.devices.deny = c 1:3 w"));
    }
    SUBCASE("console off: v1 device rule on hybrid, cgroup2 on v2") {
        cfg.main.options["console"] = "0";
        auto g = gen(cfg, hybrid_host(), native_opts(140));
        CHECK(has_line(g.config, "lxc.console.path = none"));
        CHECK(has_line(g.config, "lxc.cgroup.devices.deny = c 5:1 rwm"));
        g = gen(cfg, v2_host(), native_opts(140));
        CHECK(has_line(g.config, "lxc.cgroup2.devices.deny = c 5:1 rwm"));
    }
    SUBCASE("includes only what the host has; built-in defaults without common.conf") {
        TempDir dir;
        auto host = hybrid_host();
        host.lxc_config_dir = dir.path().string();
        host.lxc_config_files.reset();
        host.apparmor = true; // a privileged CT without AppArmor also needs common.seccomp
        auto g = gen(cfg, host, native_opts(140));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.include"));
        CHECK(has_line(g.config, "lxc.mount.auto = proc:mixed sys:mixed cgroup:mixed"));
        CHECK(has_line(g.config, "lxc.pty.max = 1024"));
        CHECK(has_warning(g, "no common.conf"));
        write_file(dir.path() / "common.conf", "");
        g = gen(cfg, host, native_opts(140));
        CHECK(has_line(g.config, "lxc.include = " + (dir.path() / "common.conf").string()));
        CHECK_FALSE(has_prefix_line(g.config, "lxc.mount.auto"));
        CHECK(g.warnings.empty());
    }
    SUBCASE("no Proxmox hooks anywhere") {
        cfg.main.options["net0"] = "name=eth0,bridge=vmbr0";
        auto g = gen(cfg, hybrid_host(), native_opts(140));
        CHECK(g.config.find("lxc-pve") == std::string::npos);
        CHECK(g.config.find("lxcnetaddbr") == std::string::npos);
        CHECK_FALSE(has_prefix_line(g.config, "lxc.hook"));
    }
}

TEST_CASE("lxcconf: host detection on fake /sys trees") {
    using pct::lxcconf::detail::detect_host_at;
    TempDir root;
    auto mk = [&root](const std::string& rel, const std::string& content = "") {
        fs::path p = root.path() / rel;
        fs::create_directories(p.parent_path());
        write_file(p, content);
    };
    auto bridge = [&mk, &root](const std::string& name, const std::string& mtu) {
        mk("sys/class/net/" + name + "/mtu", mtu + "\n");
        fs::create_directories(root.path() / "sys/class/net" / name / "bridge");
    };

    SUBCASE("nothing mounted is an error") {
        auto h = detect_host_at(root.path().string(), "/var/lib/lxc");
        REQUIRE_FALSE(h.has_value());
        CHECK(h.error().code == Errc::io);
    }
    SUBCASE("hybrid: v1 controllers plus cgroup2 at unified") {
        for (const char* c : {"cpu", "cpuset", "memory", "devices"})
            mk(std::string("sys/fs/cgroup/") + c + "/cgroup.procs");
        mk("sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", "9223372036854771712\n");
        mk("sys/fs/cgroup/cpuset/cpuset.effective_cpus", "0-3,6\n");
        mk("sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
        bridge("br0", "1450");
        mk("sys/class/net/eth0/mtu", "1500\n");
        mk("sys/module/apparmor/parameters/enabled", "N\n");
        mk("run/pve/lxc-syscalld.sock");
        auto h = detect_host_at(root.path().string(), "/tmp/lxc");
        REQUIRE(h.has_value());
        CHECK(h->cgroup == CgroupMode::hybrid);
        CHECK(h->controllers == std::vector<std::string>{"cpu", "cpuset", "devices", "memory"});
        CHECK(h->swap_accounting);
        REQUIRE(h->cpuset.has_value());
        CHECK(*h->cpuset == std::vector<unsigned>{0, 1, 2, 3, 6});
        CHECK(h->bridge_mtu == std::map<std::string, std::uint32_t>{{"br0", 1450}});
        CHECK_FALSE(h->all_bridges_exist);
        CHECK_FALSE(h->apparmor);
        CHECK(h->syscalld_socket == "/run/pve/lxc-syscalld.sock");
        CHECK(h->lxcpath == "/tmp/lxc");
    }
    SUBCASE("pure v1, no swap accounting, cpuset from cpu/online") {
        mk("sys/fs/cgroup/memory/cgroup.procs");
        mk("sys/fs/cgroup/cpuset/cgroup.procs");
        mk("sys/devices/system/cpu/online", "0-1\n");
        mk("sys/kernel/security/apparmor/profiles");
        auto h = detect_host_at(root.path().string(), "/var/lib/lxc");
        REQUIRE(h.has_value());
        CHECK(h->cgroup == CgroupMode::v1);
        CHECK_FALSE(h->swap_accounting);
        CHECK(*h->cpuset == std::vector<unsigned>{0, 1});
        CHECK(h->apparmor);
        CHECK(h->syscalld_socket.empty());
    }
    SUBCASE("v2") {
        mk("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
        mk("sys/fs/cgroup/lxc/cpuset.cpus.effective", "2-3\n");
        mk("sys/fs/cgroup/system.slice/memory.swap.max", "max\n");
        mk("run/pve-lxc-syscalld/socket");
        auto h = detect_host_at(root.path().string(), "/var/lib/lxc");
        REQUIRE(h.has_value());
        CHECK(h->cgroup == CgroupMode::v2);
        CHECK(h->controllers == std::vector<std::string>{"cpuset", "cpu", "io", "memory", "pids"});
        CHECK(h->swap_accounting);
        CHECK(*h->cpuset == std::vector<unsigned>{2, 3});
        CHECK(h->syscalld_socket == "/run/pve-lxc-syscalld/socket");
    }
    SUBCASE("cpu lists") {
        using pct::lxcconf::detail::parse_cpu_list;
        CHECK(*parse_cpu_list("0-2,5\n") == std::vector<unsigned>{0, 1, 2, 5});
        CHECK(parse_cpu_list("")->empty());
        CHECK_FALSE(parse_cpu_list("3-1").has_value());
        CHECK_FALSE(parse_cpu_list("a").has_value());
    }
}

TEST_CASE("lxcconf: detect_host on this machine") {
    auto h = pct::lxcconf::detect_host("/var/lib/lxc");
    REQUIRE_MESSAGE(h.has_value(), (h ? "" : h.error().message));
    bool v2 = fs::exists("/sys/fs/cgroup/cgroup.controllers");
    CHECK((h->cgroup == CgroupMode::v2) == v2);
    CHECK(h->lxc_version == pct::lxcconf::detail::built_lxc_version());
    CHECK(h->lxc_version.find('.') != std::string::npos);
    CHECK_FALSE(h->controllers.empty());
    // Whatever this host is, a small config must generate for it.
    auto cfg = load("minimal.conf");
    auto g = pct::lxcconf::generate(cfg, *h, native_opts());
    CHECK_MESSAGE(g.has_value(), (g ? "" : g.error().message));
}

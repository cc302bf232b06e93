// SPDX-License-Identifier: AGPL-3.0-or-later
// validate::value/config/vmid (API-level checks, every problem reported) and the typed
// settings view parse::settings / render::settings.
#include <pct/model/settings.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/validate.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace std::string_literals;
namespace validate = pct::validate;
using pct::Errc;

namespace {

// "key[.subkey]: message" for each problem, in order.
std::vector<std::string> problems(const std::vector<pct::Error>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) {
        CHECK(e.code == Errc::invalid_argument);
        std::string s = e.key;
        if (!e.subkey.empty())
            s += "." + e.subkey;
        out.push_back(s + ": " + e.message);
    }
    return out;
}

std::vector<std::string> check(std::string_view key, std::string_view value) {
    return problems(validate::value(key, value));
}

using V = std::vector<std::string>;

} // namespace

TEST_CASE("validate: scalar keys") {
    CHECK(check("memory", "512").empty());
    CHECK(check("memory", "+512").empty());
    CHECK(check("memory", "8") == V{"memory: value must have a minimum value of 16"});
    CHECK(check("memory", "abc") == V{"memory: type check ('integer') failed - got 'abc'"});
    CHECK(check("memory", "1.5") == V{"memory: type check ('integer') failed - got '1.5'"});
    CHECK(check("cores", "8193") == V{"cores: value must have a maximum value of 8192"});
    CHECK(check("cores", "0") == V{"cores: value must have a minimum value of 1"});
    CHECK(check("tty", "7") == V{"tty: value must have a maximum value of 6"});
    CHECK(check("cpulimit", ".5").empty());
    CHECK(check("cpulimit", "8192.5") == V{"cpulimit: value must have a maximum value of 8192"});
    CHECK(check("cpulimit", "-1") == V{"cpulimit: value must have a minimum value of 0"});
    CHECK(check("cpuunits", "500001") == V{"cpuunits: value must have a maximum value of 500000"});
    CHECK(check("onboot", "yes").empty());
    CHECK(check("onboot", "2") == V{"onboot: type check ('boolean') failed - got '2'"});
    CHECK(check("arch", "riscv64").empty());
    CHECK(check("arch", "sparc") ==
          V{"arch: value 'sparc' does not have a value in the enumeration 'amd64, i386, arm64, "
            "armhf, riscv32, riscv64'"});
    CHECK(check("ostype", "redhat") ==
          V{"ostype: value 'redhat' does not have a value in the enumeration 'debian, devuan, "
            "ubuntu, centos, fedora, opensuse, archlinux, alpine, gentoo, nixos, unmanaged'"});
    CHECK(check("cmode", "shell").empty());
    CHECK(check("lock", "snapshot-delete").empty());
    CHECK(check("hostname", "bad_name") ==
          V{"hostname: invalid format - value does not look like a valid DNS name"});
    CHECK(check("hostname", std::string(255, 'a')).empty());
    CHECK(check("hostname", std::string(256, 'a')) ==
          V{"hostname: value may only be 255 characters long"});
    CHECK(check("hostname", "a\nb") == V{"hostname: property contains a line feed"});
    CHECK(check("nameserver", "1.1.1.1 x") ==
          V{"nameserver: invalid format - value does not look like a valid IP address"});
    CHECK(check("searchdomain", "example.com lan").empty());
    CHECK(check("timezone", "Etc/UTC") ==
          V{"timezone: invalid format - invalid time zone 'Etc/UTC'"});
    CHECK(check("tags", "a;b c").empty());
    CHECK(check("tags", "a;b/c") == V{"tags: invalid format - invalid characters in tag"});
    CHECK(check("hookscript", "local:snippets/x.sh").empty());
    CHECK(check("startup", "0") == V{"startup: invalid format - unable to parse startup options"});
    CHECK(check("entrypoint", "/bin/sh\t-c").empty());
    CHECK(check("entrypoint", "a\x01"s + "b") ==
          V{"entrypoint: value does not match the regex pattern"});
    CHECK(check("env", "A=1\0B_2=x y"s).empty());
    CHECK(check("env", "=1") == V{"env: value does not match the regex pattern"});
    CHECK(check("env", "A B=1") == V{"env: value does not match the regex pattern"});
    CHECK(check("env", "A=1\0\0B=2"s) == V{"env: value does not match the regex pattern"});
}

TEST_CASE("validate: description") {
    CHECK(check("description", "two\nlines\n").empty());
    CHECK(check("description", std::string(8192, 'x')).empty());
    CHECK(check("description", std::string(8193, 'x')) ==
          V{"description: value may only be 8192 characters long"});
    std::string umlauts;
    for (int i = 0; i < 8192; ++i)
        umlauts += "\xc3\xa4"; // 8192 characters, 16384 bytes
    CHECK(check("description", umlauts).empty());
    CHECK(check("description", umlauts + "x") ==
          V{"description: value may only be 8192 characters long"});
}

TEST_CASE("validate: keys that cannot be set") {
    const auto msg = ": property is not defined in schema and the schema does not allow "
                     "additional properties"s;
    CHECK(check("parent", "snap1") == V{"parent" + msg});
    CHECK(check("snaptime", "1") == V{"snaptime" + msg});
    CHECK(check("vmstate", "x") == V{"vmstate" + msg});
    CHECK(check("mp256", "local:1,mp=/x") == V{"mp256" + msg});
    CHECK(check("net32", "name=eth0") == V{"net32" + msg});
}

TEST_CASE("validate: property strings report every sub-key") {
    CHECK(check("net0", "name=eth0,bridge=vmbr0,ip=dhcp").empty());
    CHECK(check("net0", "mtu=10,tag=5000,hwaddr=zz,foo=1") ==
          V{"net0.foo: property is not defined in schema and the schema does not allow "
            "additional properties",
            "net0.hwaddr: invalid format - value does not look like a valid unicast MAC address",
            "net0.mtu: value must have a minimum value of 64",
            "net0.name: property is missing and it is not optional",
            "net0.tag: value must have a maximum value of 4094"});
    CHECK(check("net0", "name=eth0,name=x") ==
          V{"net0.name: duplicate key in comma-separated list property: name"});
    CHECK(check("net0", "name=eth0,bridge=") ==
          V{"net0: missing key in comma-separated list property"});
    CHECK(check("net0", "name=eth0,host-managed=1,ip6=auto") ==
          V{"net0.ip6: SLAAC is not supported with host-managed"});
    CHECK(check("net0", "name=eth0,host-managed=1,ip6=auto,link_down=1").empty());
    CHECK(check("rootfs", "local:8,size=8G,mountoptions=noatime").empty());
    CHECK(check("rootfs", "local:8,size=8X,ro=maybe") ==
          V{"rootfs.ro: type check ('boolean') failed - got 'maybe'",
            "rootfs.size: invalid format - value does not look like a valid disk size: 8X"});
    CHECK(check("mp3", "/a/./b") == V{"mp3.mp: property is missing and it is not optional",
                                      "mp3.volume: invalid format - /a/./b contains illegal "
                                      "character sequences"});
    CHECK(check("dev0", "mode=0666") == V{"dev0.path: Path has to be defined"});
    CHECK(check("dev0", "/dev/null,uid=-1") == V{"dev0.uid: value must have a minimum value of 0"});
    CHECK(check("unused0", "bad") ==
          V{"unused0.volume: invalid format - unable to parse volume ID 'bad'"});
    CHECK(check("features", "nesting=1,fuse=2") ==
          V{"features.fuse: type check ('boolean') failed - got '2'"});
}

TEST_CASE("validate: raw lxc keys") {
    CHECK(check("lxc.apparmor.profile", "unconfined").empty());
    CHECK(check("lxc.cgroup2.devices.allow", "c 10:200 rwm").empty());
    CHECK(check("lxc.cgroup.devices.allow", "a").empty()); // deprecated is only a warning
    CHECK(check("lxc.rootfs.path", "/x") ==
          V{"lxc.rootfs.path: lxc.rootfs.path is auto generated from rootfs"});
    CHECK(check("lxc.tty.dir", "lxc") ==
          V{"lxc.tty.dir: unable to parse config: lxc.tty.dir: lxc"});
}

TEST_CASE("validate: whole config, every section") {
    pct::ContainerConfig c;
    c.main.options = {{"memory", "8"},         {"hostname", "ok-host"}, {"parent", "snap1"},
                      {"snaptime", "x"},       {"vmstate", "local:1"},  {"delete", "memory"},
                      {"snapstate", "prepare"}};
    c.main.lxc = {{"lxc.apparmor.profile", "unconfined"}, {"lxc.rootfs.path", "/x"}};
    c.pending.options = {{"delete", "memory,!net0;foo bar"}, {"net0", "name=eth0,tag=0"}};
    c.snapshots["snap1"].options = {
        {"snapstate", "bogus"}, {"snaptime", "1234567890"}, {"arch", "amd64"}};
    c.snapshots["snap1"].description = std::string(9000, 'd');
    c.snapshots["snap2"].options = {{"snapstate", "delete"}, {"onboot", "1"}};

    auto errors = validate::config(c);
    std::vector<std::string> got;
    for (const auto& e : errors)
        got.push_back("[" + e.context + "] " + problems({e}).front());
    CHECK(got == V{
                     "[] delete: property 'delete' is only allowed in [pve:pending]",
                     "[] memory: value must have a minimum value of 16",
                     "[] snapstate: property 'snapstate' is only allowed in snapshots",
                     "[] snaptime: type check ('integer') failed - got 'x'",
                     "[] vmstate: unknown setting 'vmstate'",
                     "[] lxc.rootfs.path: lxc.rootfs.path is auto generated from rootfs",
                     "[pve:pending] delete: unknown setting 'foo'",
                     "[pve:pending] delete: unknown setting 'bar'",
                     "[pve:pending] net0.tag: value must have a minimum value of 1",
                     "[snap1] snapstate: value 'bogus' does not have a value in the enumeration "
                     "'prepare, delete'",
                     "[snap1] description: value may only be 8192 characters long",
                 });
    CHECK(validate::config(pct::ContainerConfig{}).empty());
}

TEST_CASE("validate: vmid") {
    CHECK(validate::vmid(100)->value == 100u);
    CHECK(validate::vmid(999999999)->value == 999999999u);
    auto low = validate::vmid(99);
    REQUIRE_FALSE(low);
    CHECK(low.error().code == Errc::invalid_argument);
    CHECK(low.error().message == "value must have a minimum value of 100");
    CHECK(validate::vmid(0).error().message == "value must have a minimum value of 100");
    CHECK(validate::vmid(1000000000).error().message ==
          "value must have a maximum value of 999999999");
    CHECK_FALSE(validate::vmid(1ull << 40));
}

TEST_CASE("settings: enum names") {
    CHECK(std::string(pct::to_string(pct::Lock::snapshot_delete)) == "snapshot-delete");
    CHECK(std::string(pct::to_string(pct::Arch::riscv32)) == "riscv32");
    CHECK(std::string(pct::to_string(pct::ConsoleMode::console)) == "console");
    CHECK(std::string(pct::to_string(pct::OsType::unmanaged)) == "unmanaged");
    pct::ContainerSettings s;
    CHECK(!s.os_type());
    s.ostype = "nixos";
    CHECK(s.os_type() == pct::OsType::nixos);
    s.ostype = "redhat";
    CHECK(!s.os_type());
}

TEST_CASE("settings: a typical section") {
    pct::Section section;
    section.options = {{"arch", "amd64"},
                       {"cores", "2"},
                       {"cpulimit", "1.50"},
                       {"env", "A=1\0B=2"s},
                       {"features", "nesting=1,keyctl=1"},
                       {"hostname", "web"},
                       {"lock", "snapshot-delete"},
                       {"memory", "007"},
                       {"net0", "name=eth0,bridge=vmbr0,ip=dhcp"},
                       {"net10", "name=eth10"},
                       {"mp2", "local:vm-100-disk-1,mp=/data,size=8G"},
                       {"unused0", "local:vm-100-disk-9"},
                       {"dev1", "/dev/null"},
                       {"onboot", "yes"},
                       {"ostype", "redhat"},
                       {"rootfs", "local:vm-100-disk-0,size=4G"},
                       {"startup", "order=1,up=30"},
                       {"snapstate", "prepare"}, // not a schema key: ignored
                       {"vmstate", "whatever"}};
    section.description = "line 1\nline 2\n";
    auto s = pct::parse::settings(section);
    REQUIRE_MESSAGE(s, s.error().message);
    CHECK(s->arch == pct::Arch::amd64);
    CHECK(s->cores == 2u);
    CHECK(s->cpulimit->text == "1.50");
    CHECK(s->env == V{"A=1", "B=2"});
    CHECK(s->features->nesting == true);
    CHECK(s->hostname == "web");
    CHECK(s->lock == pct::Lock::snapshot_delete);
    CHECK(s->memory == 7u);
    CHECK(s->net.size() == 2);
    CHECK(s->net.at(10).name == "eth10");
    CHECK(s->mp.at(2).size == 8589934592ull);
    CHECK(s->unused.at(0).volume == "local:vm-100-disk-9");
    CHECK(s->dev.at(1).path == "/dev/null");
    CHECK(s->onboot == true);
    CHECK(s->ostype == "redhat");
    CHECK(s->rootfs->volume == "local:vm-100-disk-0");
    CHECK(s->startup == pct::StartupOrder{1, 30, {}});
    CHECK(s->description == "line 1\nline 2\n");
    CHECK(!s->swap);

    auto back = pct::render::settings(*s);
    REQUIRE(back);
    CHECK(back->options.at("memory") == "7");
    CHECK(back->options.at("onboot") == "1");
    CHECK(back->options.at("env") == "A=1\0B=2"s);
    CHECK(back->options.at("startup") == "order=1,up=30");
    CHECK(back->options.count("vmstate") == 0);
    CHECK(back->description == "line 1\nline 2\n");
    CHECK(*pct::parse::settings(*back) == *s);
}

TEST_CASE("settings: errors name the key and sub-key") {
    auto err = [](std::string key, std::string value) {
        pct::Section section;
        section.options[key] = value;
        auto s = pct::parse::settings(section);
        REQUIRE_FALSE(s);
        CHECK(s.error().code == Errc::invalid_argument);
        CHECK(s.error().key == key);
        return s.error().subkey.empty() ? s.error().message
                                        : s.error().subkey + ": " + s.error().message;
    };
    CHECK(err("memory", "abc") == "type check ('integer') failed - got 'abc'");
    CHECK(err("cores", "99999999999") == "value '99999999999' is out of range");
    CHECK(err("arch", "sparc") == "value 'sparc' does not have a value in the enumeration "
                                  "'amd64, i386, arm64, armhf, riscv32, riscv64'");
    CHECK(err("lock", "x") == "value 'x' does not have a value in the enumeration 'backup, "
                              "create, destroyed, disk, fstrim, migrate, mounted, rollback, "
                              "snapshot, snapshot-delete'");
    CHECK(err("net3", "bridge=vmbr0") ==
          "name: format error\nname: property is missing and it is not optional");
    CHECK(err("dev0", "mode=0600") == "path: Path has to be defined");
    CHECK(err("hostname", "x_y") == "value does not look like a valid DNS name");
    CHECK(err("startup", "0") == "unable to parse startup options");

    pct::ContainerSettings bad;
    bad.net[40].name = "eth0";
    auto r = pct::render::settings(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().key == "net40");
    CHECK(r.error().message == "unknown setting 'net40'");

    pct::ContainerSettings bad_net;
    bad_net.net[1].name = "eth 0";
    r = pct::render::settings(bad_net);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().key == "net1");
    CHECK(r.error().subkey == "name");

    pct::ContainerSettings bad_number;
    bad_number.cpulimit = pct::Number{"1e3"};
    CHECK(pct::render::settings(bad_number).error().message ==
          "type check ('number') failed - got '1e3'");

    pct::ContainerSettings bad_env;
    bad_env.env = {"A=1", ""};
    CHECK(pct::render::settings(bad_env).error().key == "env");
}

// Randomized: parse::settings(render::settings(x)) == x with a fixed seed.
TEST_CASE("settings: randomized round trips") {
    std::mt19937_64 rng(4242);
    auto coin = [&](int pct = 50) { return std::uniform_int_distribution<int>(0, 99)(rng) < pct; };
    auto num = [&](std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
    };
    auto pick = [&](std::vector<std::string> pool) { return pool[num(0, pool.size() - 1)]; };
    auto opt_bool = [&]() { return coin(40) ? std::optional<bool>(coin()) : std::nullopt; };

    for (int i = 0; i < 1500; ++i) {
        pct::ContainerSettings s;
        if (coin())
            s.arch = static_cast<pct::Arch>(num(0, 5));
        if (coin())
            s.cmode = static_cast<pct::ConsoleMode>(num(0, 2));
        s.console = opt_bool();
        if (coin())
            s.cores = static_cast<std::uint32_t>(num(1, 8192));
        if (coin())
            s.cpulimit = pct::Number{pick({"0", "1", "1.50", "007", "8192"})};
        if (coin())
            s.cpuunits = static_cast<std::uint32_t>(num(0, 500000));
        s.debug = opt_bool();
        if (coin(30))
            s.description = pick({"x\n", "two\nlines\n", "no newline", "%41 :"});
        if (coin(30))
            s.entrypoint = pick({"/sbin/init", "/bin/sh -c 'sleep 1'"});
        if (coin(30))
            s.env = {"A=1", "PATH=/usr/bin:/bin"};
        if (coin(30))
            s.features = pct::Features{opt_bool(), opt_bool(), {}, opt_bool(), {}, true};
        if (coin(30))
            s.hookscript = "local:snippets/hook.pl";
        if (coin())
            s.hostname = pick({"ct100", "web.example.com", "a-b"});
        if (coin(30))
            s.lock = static_cast<pct::Lock>(num(0, 9));
        if (coin())
            s.memory = num(16, 1 << 20);
        if (coin(30))
            s.nameserver = pick({"1.1.1.1", "8.8.8.8 2001:db8::1", "fe80::1%eth0"});
        s.onboot = opt_bool();
        if (coin())
            s.ostype = pick({"debian", "ubuntu", "redhat", "openeuler"});
        if (coin(20))
            s.parent = pick({"snap1", "before_upgrade"});
        s.protection = opt_bool();
        if (coin()) {
            pct::MountPoint m;
            m.volume = "local-lvm:vm-" + std::to_string(num(100, 999)) + "-disk-0";
            if (coin())
                m.size = num(1, 64) << 30;
            m.acl = opt_bool();
            s.rootfs = m;
        }
        if (coin(30))
            s.searchdomain = pick({"example.com", "a.b c.d"});
        if (coin(20))
            s.snaptime = num(0, 1ull << 40);
        if (coin(30))
            s.startup = pct::StartupOrder{
                num(0, 10), coin() ? std::optional(num(0, 60)) : std::nullopt, {}};
        if (coin())
            s.swap = num(0, 1 << 16);
        if (coin(30))
            s.tags = pick({"prod", "a;b;c", "x-y+z"});
        s.template_ = opt_bool();
        if (coin(30))
            s.timezone = pick({"host", "UTC", "Europe/Vienna"});
        if (coin())
            s.tty = static_cast<std::uint32_t>(num(0, 6));
        s.unprivileged = opt_bool();
        auto nets = num(0, 3);
        for (std::uint64_t n = 0; n < nets; ++n) {
            pct::NetInterface net;
            net.name = "eth" + std::to_string(n);
            if (coin())
                net.bridge = "vmbr0";
            net.firewall = opt_bool();
            if (coin())
                net.tag = static_cast<std::uint32_t>(num(1, 4094));
            s.net[static_cast<unsigned>(num(0, 31))] = net;
        }
        auto mps = num(0, 3);
        for (std::uint64_t n = 0; n < mps; ++n) {
            pct::MountPoint m;
            m.volume =
                coin() ? "/srv/data" + std::to_string(n) : "local:vm-1-disk-" + std::to_string(n);
            m.mp = "/mnt/m" + std::to_string(n);
            m.backup = opt_bool();
            if (coin())
                m.idmap = {{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}};
            s.mp[static_cast<unsigned>(num(0, 255))] = m;
        }
        if (coin(30))
            s.unused[static_cast<unsigned>(num(0, 255))] = {"local:vm-1-disk-9"};
        if (coin(30)) {
            pct::Device d;
            d.path = "/dev/ttyS" + std::to_string(num(0, 9));
            d.deny_write = opt_bool();
            s.dev[static_cast<unsigned>(num(0, 255))] = d;
        }

        auto section = pct::render::settings(s);
        REQUIRE_MESSAGE(section, section.error().key << ": " << section.error().message);
        auto back = pct::parse::settings(*section);
        REQUIRE_MESSAGE(back, back.error().key << ": " << back.error().message);
        CHECK(*back == s);
        CHECK(*pct::render::settings(*back) == *section);
        // What render writes is also valid at the file level, key by key.
        for (const auto& [key, value] : section->options)
            CHECK_MESSAGE(pct::parse::check_type(key, value) == value, key);
    }
}

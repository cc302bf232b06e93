// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema table, parse::check_type (the file parser's per-line check) and the raw lxc.*
// allow-list, with Proxmox's exact messages.
#include <pct/model/schema.hpp>
#include <pct/parse/lxc_keys.hpp>
#include <pct/parse/properties.hpp>
#include <pct/validate.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <regex>
#include <set>
#include <string>

using namespace std::string_literals;
namespace schema = pct::schema;
using pct::parse::check_lxc_key;
using pct::parse::check_type;
using pct::parse::LxcKeyVerdict;

namespace {

// The stored value check_type yields, or "ERR: <message>" (with "@subkey" when one is named).
std::string ct(std::string_view key, std::string_view value) {
    auto r = check_type(key, value);
    if (r)
        return *r;
    CHECK(r.error().code == pct::Errc::parse);
    CHECK(r.error().key == key);
    std::string out = "ERR: " + r.error().message;
    if (!r.error().subkey.empty())
        out += "@" + r.error().subkey;
    return out;
}

} // namespace

TEST_CASE("schema: 830 sorted, unique key names") {
    auto names = schema::key_names();
    REQUIRE(names.size() == 830);
    CHECK(std::is_sorted(names.begin(), names.end()));
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
    for (auto name : names)
        CHECK_MESSAGE(schema::find(name) != nullptr, name);
    CHECK(names.front() == "arch");
    CHECK(names.back() == "unused99");
    CHECK(std::count_if(names.begin(), names.end(),
                        [](std::string_view n) { return n.starts_with("net"); }) == 32);
}

TEST_CASE("schema: families and unknown keys") {
    SUBCASE("families map to their schema") {
        CHECK(schema::find("net0")->name == "net");
        CHECK(schema::find("net31")->name == "net");
        CHECK(schema::find("mp255")->name == "mp");
        CHECK(schema::find("unused0")->name == "unused");
        CHECK(schema::find("dev255")->name == "dev");
        CHECK(schema::find("rootfs")->name == "rootfs");
    }
    SUBCASE("out of range, padded or bare family names are unknown") {
        for (auto key :
             {"net32", "mp256", "unused256", "dev256", "net", "mp", "net07", "net-1", "netx",
              "vmstate", "digest", "snapname", "snapstate", "delete", "lxc", "Memory", ""})
            CHECK_MESSAGE(schema::find(key) == nullptr, key);
    }
}

TEST_CASE("schema: key facts from $confdesc") {
    const auto* memory = schema::find("memory");
    REQUIRE(memory);
    CHECK(memory->type == schema::Type::integer);
    CHECK(memory->minimum == 16);
    CHECK(!memory->maximum);
    CHECK(memory->default_value == "512");

    const auto* cores = schema::find("cores");
    CHECK(cores->minimum == 1);
    CHECK(cores->maximum == 8192);
    CHECK(schema::find("cpulimit")->type == schema::Type::number);
    CHECK(schema::find("cpuunits")->default_value == "cgroup v1: 1024, cgroup v2: 100");
    CHECK(schema::find("tty")->maximum == 6);
    CHECK(schema::find("hostname")->format == "dns-name");
    CHECK(schema::find("hostname")->max_length == 255u);
    CHECK(schema::find("description")->max_length == 8192u);
    CHECK(schema::find("nameserver")->format == "lxc-ip-with-ll-iface-list");
    CHECK(schema::find("searchdomain")->format == "dns-name-list");
    CHECK(schema::find("timezone")->format == "pve-ct-timezone");
    CHECK(schema::find("startup")->format == "pve-startup-order");
    CHECK(schema::find("console")->default_value == "1");
    CHECK_FALSE(schema::find("parent")->api_settable);
    CHECK_FALSE(schema::find("snaptime")->api_settable);
    CHECK(schema::find("memory")->api_settable);

    const auto* arch = schema::find("arch");
    REQUIRE(arch->enum_values.size() == 6);
    CHECK(arch->enum_values[5] == "riscv64");
    CHECK(arch->default_value == "amd64");
    CHECK(schema::find("lock")->enum_values.size() == 10);
    CHECK(schema::find("ostype")->enum_values.size() == 11);
}

TEST_CASE("schema: property-string sub-keys") {
    auto names = [](std::string_view key) {
        std::string out;
        for (const auto& k : schema::find(key)->sub_keys)
            out += std::string(k.name) + (k.optional ? "" : "!") + (k.default_key ? "*" : "") + " ";
        return out;
    };
    CHECK(names("net0") == "bridge firewall gw gw6 host-managed hwaddr ip ip6 link_down mtu "
                           "name! rate tag trunks type ");
    CHECK(names("rootfs") == "acl idmap mountoptions quota replicate ro shared size volume!* ");
    CHECK(names("mp0") == "acl backup idmap keepattrs mountoptions mp! quota replicate ro shared "
                          "size volume!* ");
    CHECK(names("unused3") == "volume!* ");
    CHECK(names("dev9") == "deny-write gid mode path* uid ");
    CHECK(names("features") == "force_rw_sys fuse keyctl mknod mount nesting ");
    CHECK(names("startup") == "down order* up ");

    const auto& net = schema::find("net1")->sub_keys;
    auto mtu = std::find_if(net.begin(), net.end(), [](const auto& k) { return k.name == "mtu"; });
    CHECK(mtu->minimum == 64);
    CHECK(mtu->maximum == 65535);
    auto type =
        std::find_if(net.begin(), net.end(), [](const auto& k) { return k.name == "type"; });
    REQUIRE(type->enum_values.size() == 1);
    CHECK(type->enum_values[0] == "veth");
}

TEST_CASE("check_type: unknown keys and line feeds") {
    CHECK(ct("vmstate", "x") == "ERR: unknown setting 'vmstate'");
    CHECK(ct("mp256", "local:1,mp=/x") == "ERR: unknown setting 'mp256'");
    CHECK(ct("net32", "name=eth0") == "ERR: unknown setting 'net32'");
    CHECK(ct("digest", "abc") == "ERR: unknown setting 'digest'");
    CHECK(ct("hostname", "a\rb") == "ERR: property contains a line feed");
    CHECK(ct("memory", "5\n12") == "ERR: property contains a line feed");
}

TEST_CASE("check_type: boolean normalization") {
    for (auto v : {"1", "on", "ON", "yes", "Yes", "true", "TRUE"})
        CHECK_MESSAGE(ct("onboot", v) == "1", v);
    for (auto v : {"0", "off", "No", "false", "FaLsE"})
        CHECK_MESSAGE(ct("onboot", v) == "0", v);
    CHECK(ct("onboot", "01") == "ERR: type check ('boolean') failed - got '01'");
    CHECK(ct("template", "y") == "ERR: type check ('boolean') failed - got 'y'");
    CHECK(ct("debug", " ") == "ERR: type check ('boolean') failed - got ' '");
}

TEST_CASE("check_type: integer normalization") {
    CHECK(ct("memory", "007") == "7");
    CHECK(ct("memory", "0") == "0");
    CHECK(ct("swap", "000") == "0");
    CHECK(ct("cores", "99999") == "99999"); // ranges are not checked by the file parser
    CHECK(ct("snaptime", "18446744073709551615") == "18446744073709551615");
    CHECK(ct("snaptime", "18446744073709551616") == "1.84467440737096e+19");
    CHECK(ct("snaptime", "100000000000000000000") == "1e+20");
    for (auto v : {"+1", "-1", "1.0", "1e3", "512M", "", " 1"})
        CHECK_MESSAGE(ct("memory", v) == "ERR: type check ('integer') failed - got '"s + v + "'",
                      v);
}

TEST_CASE("check_type: numbers stay verbatim") {
    CHECK(ct("cpulimit", "1.50") == "1.50");
    CHECK(ct("cpulimit", "007") == "007");
    CHECK(ct("cpulimit", "99999") == "99999");
    for (auto v : {".5", "1.", "-1", "+1", "1e3", "1.5.5", "x"})
        CHECK_MESSAGE(ct("cpulimit", v) == "ERR: type check ('number') failed - got '"s + v + "'",
                      v);
}

TEST_CASE("check_type: plain strings are not checked by the file parser") {
    CHECK(ct("arch", "sparc") == "sparc");
    CHECK(ct("ostype", "redhat") == "redhat");
    CHECK(ct("lock", "whatever") == "whatever");
    CHECK(ct("cmode", "x") == "x");
    CHECK(ct("description", "anything: goes") == "anything: goes");
    CHECK(ct("entrypoint", "/bin/sh -c 'x'") == "/bin/sh -c 'x'");
    CHECK(ct("env", "A=1") == "A=1");
}

TEST_CASE("check_type: named formats") {
    SUBCASE("dns-name") {
        for (auto v : {"ct1", "a.b.c", "web-01.example.com", "1", "A-b"})
            CHECK_MESSAGE(ct("hostname", v) == v, v);
        for (auto v : {"-a", "a-", "a..b", "a.", ".a", "a_b", "a b", "ümlaut"})
            CHECK_MESSAGE(ct("hostname", v) == "ERR: value does not look like a valid DNS name", v);
    }
    SUBCASE("dns-name-list") {
        CHECK(ct("searchdomain", "a.com b.org;c,d") == "a.com b.org;c,d");
        CHECK(ct("searchdomain", ",;") == ",;"); // an empty list is valid
        CHECK(ct("searchdomain", "a.com bad_one") ==
              "ERR: value does not look like a valid DNS name");
    }
    SUBCASE("lxc-ip-with-ll-iface-list") {
        for (auto v : {"8.8.8.8", "1.1.1.1 2001:db8::1", "fe80::1%eth0", "fe80::1%vmbr0.100", "::1",
                       "::", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4"})
            CHECK_MESSAGE(ct("nameserver", v) == v, v);
        for (auto v : {"8.8.8", "256.1.1.1", "01.1.1.1", "fe80::1%", "fe80::1%1eth", "fe80::1%e",
                       "FE80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "1:2:3:4:5:6:7",
                       "1.2.3.4:1::", "dns.example.com", "12345::1"})
            CHECK_MESSAGE(ct("nameserver", v) == "ERR: value does not look like a valid IP address",
                          v);
    }
    SUBCASE("pve-ct-timezone") {
        CHECK(ct("timezone", "host") == "host");
        CHECK(ct("timezone", "UTC") == "UTC");
        CHECK(ct("timezone", "Europe/Vienna") == "Europe/Vienna");
        CHECK(ct("timezone", "America/Argentina/Buenos_Aires") == "America/Argentina/Buenos_Aires");
        CHECK(ct("timezone", "Etc/UTC") == "ERR: invalid time zone 'Etc/UTC'");
        CHECK(ct("timezone", "Mars/Olympus") == "ERR: invalid time zone 'Mars/Olympus'");
        CHECK(ct("timezone", "utc") == "ERR: invalid time zone 'utc'");
    }
    SUBCASE("pve-configid") {
        CHECK(ct("parent", "snap_1-a") == "snap_1-a");
        CHECK(ct("parent", "s") == "ERR: invalid configuration ID 's'");
        CHECK(ct("parent", "1snap") == "ERR: invalid configuration ID '1snap'");
        CHECK(ct("parent", "sn.ap") == "ERR: invalid configuration ID 'sn.ap'");
    }
    SUBCASE("pve-volume-id") {
        CHECK(ct("hookscript", "local:snippets/hook.pl") == "local:snippets/hook.pl");
        CHECK(ct("hookscript", "a-b.c_d:x") == "a-b.c_d:x");
        for (auto v : {"l:x", "local:", "local", "-local:x", "local-:x", ":x", "1local:x"})
            CHECK_MESSAGE(ct("hookscript", v) == "ERR: unable to parse volume ID '"s + v + "'", v);
    }
    SUBCASE("pve-tag-list") {
        CHECK(ct("tags", "prod;web+db.x_y-z") == "prod;web+db.x_y-z");
        CHECK(ct("tags", "") == "");
        CHECK(ct("tags", "ok;-bad") == "ERR: invalid characters in tag");
        CHECK(ct("tags", "a/b") == "ERR: invalid characters in tag");
    }
    SUBCASE("pve-startup-order") {
        for (auto v : {"1", "order=0", "00", "order=1,up=30,down=60", "up=5", ",", " ", "1,,2",
                       "down=1,order=2,order=3"})
            CHECK_MESSAGE(ct("startup", v) == v, v);
        for (auto v : {"0", "order=-1", "up=x", "first", "order=1,up", "Order=1", "1 ", "up =1"})
            CHECK_MESSAGE(ct("startup", v) == "ERR: unable to parse startup options", v);
    }
}

TEST_CASE("check_type: property strings") {
    SUBCASE("valid strings are kept verbatim") {
        CHECK(ct("net0", "name=eth0,bridge=vmbr0,firewall=yes,hwaddr=BC:24:11:00:00:01,ip=dhcp") ==
              "name=eth0,bridge=vmbr0,firewall=yes,hwaddr=BC:24:11:00:00:01,ip=dhcp");
        CHECK(ct("rootfs", "local-lvm:vm-100-disk-0,size=8G") == "local-lvm:vm-100-disk-0,size=8G");
        CHECK(ct("mp0", ",,local:1,,mp=/mnt/x,") == ",,local:1,,mp=/mnt/x,");
        CHECK(ct("unused0", "local:vm-100-disk-1") == "local:vm-100-disk-1");
        CHECK(ct("dev0", "/dev/null,mode=0666,uid=+5,gid=0") == "/dev/null,mode=0666,uid=+5,gid=0");
        CHECK(ct("dev1", "mode=0600") == "mode=0600"); // path is optional in the schema
        CHECK(ct("features", "nesting=1,keyctl=on,mount=nfs;cifs") ==
              "nesting=1,keyctl=on,mount=nfs;cifs");
        CHECK(ct("features", "") == "");
        CHECK(ct("net1", "name=eth0,mtu=+1500,rate=1e3,tag=4094") ==
              "name=eth0,mtu=+1500,rate=1e3,tag=4094");
    }
    SUBCASE("splitting errors") {
        CHECK(ct("net0", "name=eth0,bridge=") ==
              "ERR: missing key in comma-separated list property");
        CHECK(ct("net0", "=x") == "ERR: missing key in comma-separated list property");
        CHECK(ct("net0", "name=eth0,name=eth1") ==
              "ERR: duplicate key in comma-separated list property: name@name");
        CHECK(ct("net0", "eth0") ==
              "ERR: value without key, but schema does not define a default key");
        CHECK(ct("rootfs", "local:1,local:2") ==
              "ERR: duplicate key in comma-separated list property: volume@volume");
        CHECK(ct("rootfs", "volume=local:1,local:2") ==
              "ERR: duplicate key in comma-separated list property: volume@volume");
        CHECK(ct("rootfs", "local:2,volume=local:1") ==
              "ERR: duplicate key in comma-separated list property: volume@volume");
        // A Perl-false default value can be replaced by a bare part.
        CHECK(ct("rootfs", "volume=0,local:1") == "volume=0,local:1");
        CHECK(ct("mp0", "foo=1,foo=2") ==
              "ERR: duplicate key in comma-separated list property: foo@foo");
    }
    SUBCASE("object check errors") {
        CHECK(ct("net0", "bridge=vmbr0") ==
              "ERR: format error\nname: property is missing and it is not optional@name");
        CHECK(ct("net0", "name=eth0, bridge=vmbr0") ==
              "ERR: format error\n bridge: property is not defined in schema and the schema does "
              "not allow additional properties@ bridge");
        CHECK(ct("net0", "name=eth0,gw=1.2.3") ==
              "ERR: format error\ngw: invalid format - value does not look like a valid IPv4 "
              "address\n@gw");
        CHECK(ct("net0", "name=eth0,firewall=maybe") ==
              "ERR: format error\nfirewall: type check ('boolean') failed - got 'maybe'@firewall");
        CHECK(ct("net0", "name=eth0,mtu=1500.0") ==
              "ERR: format error\nmtu: type check ('integer') failed - got '1500.0'@mtu");
        CHECK(ct("net0", "name=eth0,mtu=63") ==
              "ERR: format error\nmtu: value must have a minimum value of 64@mtu");
        CHECK(ct("net0", "name=eth0,tag=4095") ==
              "ERR: format error\ntag: value must have a maximum value of 4094@tag");
        CHECK(ct("net0", "name=eth0,type=macvlan") ==
              "ERR: format error\ntype: value 'macvlan' does not have a value in the enumeration "
              "'veth'@type");
        CHECK(ct("net0", "name=eth/0") ==
              "ERR: format error\nname: value does not match the regex pattern@name");
        CHECK(ct("net0", "name=eth0,rate=fast") ==
              "ERR: format error\nrate: type check ('number') failed - got 'fast'@rate");
        CHECK(ct("net0", "name=eth0,trunks=1;x") ==
              "ERR: format error\ntrunks: value does not match the regex pattern@trunks");
        CHECK(ct("net0", "name=eth0,hwaddr=01:00:00:00:00:00") ==
              "ERR: format error\nhwaddr: invalid format - value does not look like a valid "
              "unicast MAC address\n@hwaddr");
        CHECK(ct("net0", "name=eth0,ip=10.0.0.1/7") ==
              "ERR: format error\nip: invalid format - value does not look like a valid ipv4 "
              "network configuration\n@ip");
        CHECK(ct("net0", "name=eth0,ip6=fe80::1/129") ==
              "ERR: format error\nip6: invalid format - value does not look like a valid ipv6 "
              "network configuration\n@ip6");
        CHECK(ct("rootfs", "local:1,size=8X") ==
              "ERR: format error\nsize: invalid format - value does not look like a valid disk "
              "size: 8X\n@size");
        CHECK(ct("rootfs", "/a/../b") ==
              "ERR: format error\nvolume: invalid format - /a/../b contains illegal character "
              "sequences\n@volume");
        CHECK(
            ct("rootfs", "local:1,mountoptions=noatime;sync") ==
            "ERR: format error\nmountoptions: value does not match the regex pattern@mountoptions");
        CHECK(ct("rootfs", "local:1,mp=/x") ==
              "ERR: format error\nmp: property is not defined in schema and the schema does not "
              "allow additional properties@mp");
        CHECK(ct("mp0", "local:1") ==
              "ERR: format error\nmp: property is missing and it is not optional@mp");
        CHECK(ct("unused0", "nostorage") ==
              "ERR: format error\nvolume: invalid format - unable to parse volume ID "
              "'nostorage'\n@volume");
        CHECK(ct("dev0", "/tmp/x") ==
              "ERR: format error\npath: invalid format - /tmp/x is not a valid device path\n@path");
        CHECK(ct("dev0", "/dev/null,mode=666") ==
              "ERR: format error\nmode: value does not match the regex pattern@mode");
        CHECK(ct("dev0", "/dev/null,uid=-1") ==
              "ERR: format error\nuid: value must have a minimum value of 0@uid");
        CHECK(ct("features", "mount=nfs/x") ==
              "ERR: format error\nmount: value does not match the regex pattern@mount");
    }
    SUBCASE("several errors: one line each, sorted by sub-key") {
        CHECK(ct("net0", "mtu=1,tag=0,zzz=1") ==
              "ERR: format error\nmtu: value must have a minimum value of 64\nname: property is "
              "missing and it is not optional\ntag: value must have a minimum value of 1\nzzz: "
              "property is not defined in schema and the schema does not allow additional "
              "properties@mtu");
    }
}

TEST_CASE("check_type: typical lines come back as stored") {
    // The values the config reader sees on every line (their speed is measured by
    // `pct-bench check-type`, not here).
    CHECK(check_type("memory", "2048") == "2048");
    CHECK(check_type("onboot", "1") == "1");
    CHECK(check_type("hostname", "ct-web-01") == "ct-web-01");
    CHECK(check_type("cpulimit", "1.5") == "1.5");
    const char* net = "name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:2E:5A:01,"
                      "ip=192.168.1.10/24,gw=192.168.1.1,type=veth";
    CHECK(check_type("net0", net) == net);
    CHECK(check_type("rootfs", "local-lvm:vm-100-disk-0,size=8G") ==
          "local-lvm:vm-100-disk-0,size=8G");
}

TEST_CASE("lxc keys: accepted exactly") {
    for (auto key : {"lxc.apparmor.profile",
                     "lxc.apparmor.allow_incomplete",
                     "lxc.apparmor.allow_nesting",
                     "lxc.apparmor.raw",
                     "lxc.selinux.context",
                     "lxc.include",
                     "lxc.arch",
                     "lxc.uts.name",
                     "lxc.signal.halt",
                     "lxc.signal.reboot",
                     "lxc.signal.stop",
                     "lxc.init.cmd",
                     "lxc.init.cwd",
                     "lxc.init.uid",
                     "lxc.init.gid",
                     "lxc.init.groups",
                     "lxc.pty.max",
                     "lxc.console.logfile",
                     "lxc.console.path",
                     "lxc.tty.max",
                     "lxc.devtty.dir",
                     "lxc.hook.autodev",
                     "lxc.autodev",
                     "lxc.kmsg",
                     "lxc.mount.fstab",
                     "lxc.mount.entry",
                     "lxc.mount.auto",
                     "lxc.rootfs.mount",
                     "lxc.cap.drop",
                     "lxc.cap.keep",
                     "lxc.seccomp.profile",
                     "lxc.seccomp.notify.proxy",
                     "lxc.seccomp.notify.cookie",
                     "lxc.idmap",
                     "lxc.hook.pre-start",
                     "lxc.hook.pre-mount",
                     "lxc.hook.mount",
                     "lxc.hook.start",
                     "lxc.hook.stop",
                     "lxc.hook.post-stop",
                     "lxc.hook.clone",
                     "lxc.hook.destroy",
                     "lxc.hook.version",
                     "lxc.log.level",
                     "lxc.log.file",
                     "lxc.start.auto",
                     "lxc.start.delay",
                     "lxc.start.order",
                     "lxc.group",
                     "lxc.environment",
                     "lxc.environment.runtime",
                     "lxc.environment.hooks",
                     "lxc.sysctl.fs.mqueue",
                     "lxc.sysctl.kernel.msgmax",
                     "lxc.sysctl.kernel.msgmnb",
                     "lxc.sysctl.kernel.msgmni",
                     "lxc.sysctl.kernel.sem",
                     "lxc.sysctl.kernel.shmall",
                     "lxc.sysctl.kernel.shmmax",
                     "lxc.sysctl.kernel.shmmni",
                     "lxc.sysctl.kernel.shm_rmid_forced"}) {
        auto c = check_lxc_key(key);
        CHECK_MESSAGE(c.verdict == LxcKeyVerdict::accepted, key);
        CHECK(c.message.empty());
    }
}

TEST_CASE("lxc keys: allowed prefixes") {
    for (auto key : {"lxc.cgroup2.devices.allow", "lxc.cgroup2.memory.max", "lxc.prlimit.nofile",
                     "lxc.net.0.type", "lxc.net.1.ipv4.address", "lxc.net.x"})
        CHECK_MESSAGE(check_lxc_key(key).verdict == LxcKeyVerdict::accepted, key);
}

TEST_CASE("lxc keys: deprecated names warn but are kept") {
    auto c = check_lxc_key("lxc.limit.nofile");
    CHECK(c.verdict == LxcKeyVerdict::deprecated);
    CHECK(c.message == "lxc.limit.nofile: lxc.limit.* was renamed to lxc.prlimit.*");

    c = check_lxc_key("lxc.cgroup.devices.allow");
    CHECK(c.verdict == LxcKeyVerdict::deprecated);
    CHECK(c.message ==
          "lxc.cgroup.devices.allow is deprecated, this will be a hard error in the future!");
    CHECK(check_lxc_key("lxc.cgroup.dir.monitor").message ==
          "lxc.cgroup.dir.monitor is deprecated, this will be a hard error in the future!");

    const std::pair<const char*, const char*> renamed[] = {
        {"lxc.aa_profile", "lxc.apparmor.profile"},
        {"lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"},
        {"lxc.console", "lxc.console.path"},
        {"lxc.devttydir", "lxc.tty.dir"},
        {"lxc.haltsignal", "lxc.signal.halt"},
        {"lxc.rebootsignal", "lxc.signal.reboot"},
        {"lxc.stopsignal", "lxc.signal.stop"},
        {"lxc.id_map", "lxc.idmap"},
        {"lxc.init_cmd", "lxc.init.cmd"},
        {"lxc.loglevel", "lxc.log.level"},
        {"lxc.logfile", "lxc.log.file"},
        {"lxc.mount", "lxc.mount.fstab"},
        {"lxc.network.type", "lxc.net.INDEX.type"},
        {"lxc.network.flags", "lxc.net.INDEX.flags"},
        {"lxc.network.link", "lxc.net.INDEX.link"},
        {"lxc.network.mtu", "lxc.net.INDEX.mtu"},
        {"lxc.network.name", "lxc.net.INDEX.name"},
        {"lxc.network.hwaddr", "lxc.net.INDEX.hwaddr"},
        {"lxc.network.ipv4", "lxc.net.INDEX.ipv4.address"},
        {"lxc.network.ipv4.gateway", "lxc.net.INDEX.ipv4.gateway"},
        {"lxc.network.ipv6", "lxc.net.INDEX.ipv6.address"},
        {"lxc.network.ipv6.gateway", "lxc.net.INDEX.ipv6.gateway"},
        {"lxc.network.script.up", "lxc.net.INDEX.script.up"},
        {"lxc.network.script.down", "lxc.net.INDEX.script.down"},
        {"lxc.pts", "lxc.pty.max"},
        {"lxc.se_context", "lxc.selinux.context"},
        {"lxc.seccomp", "lxc.seccomp.profile"},
        {"lxc.tty", "lxc.tty.max"},
        {"lxc.utsname", "lxc.uts.name"},
    };
    CHECK(std::size(renamed) == 29);
    for (auto [old_name, new_name] : renamed) {
        auto r = check_lxc_key(old_name);
        CHECK_MESSAGE(r.verdict == LxcKeyVerdict::deprecated, old_name);
        CHECK(r.message == std::string(old_name) + " is deprecated and was renamed to " + new_name);
    }
}

TEST_CASE("lxc keys: specific rejections") {
    auto c = check_lxc_key("lxc.rootfs.path");
    CHECK(c.verdict == LxcKeyVerdict::rejected);
    CHECK(c.message == "lxc.rootfs.path is auto generated from rootfs");
    c = check_lxc_key("lxc.rootfs.options");
    CHECK(c.verdict == LxcKeyVerdict::rejected);
    CHECK(c.message ==
          "lxc.rootfs.options is not supported, please use mount point options in the \"rootfs\" "
          "key");
}

TEST_CASE("lxc keys: quirks of the allow-list (spec 12.14)") {
    // lxc.tty.dir is not on the list although lxc.devttydir's message recommends it.
    CHECK(check_lxc_key("lxc.tty.dir").verdict == LxcKeyVerdict::invalid);
    CHECK(check_lxc_key("lxc.devtty.dir").verdict == LxcKeyVerdict::accepted);
    // Only the listed sysctls.
    CHECK(check_lxc_key("lxc.sysctl.fs.mqueue.msg_max").verdict == LxcKeyVerdict::invalid);
    CHECK(check_lxc_key("lxc.sysctl.net.ipv4.ip_forward").verdict == LxcKeyVerdict::invalid);
    // Prefixes need their dot; near misses are invalid.
    for (auto key : {"lxc.cgroup", "lxc.cgroup2", "lxc.prlimit", "lxc.net", "lxc.limit",
                     "lxc.network", "lxc.rootfs", "lxc.apparmor", "lxc.foo", "lxc.hook.pre_start",
                     "lxc.init.cmd.x", "lxc.environment.runtimes"})
        CHECK_MESSAGE(check_lxc_key(key).verdict == LxcKeyVerdict::invalid, key);
    // The example of pct.conf(5) itself warns.
    CHECK(check_lxc_key("lxc.init_cmd").verdict == LxcKeyVerdict::deprecated);
    // lxc.limit.* is checked before anything else, lxc.cgroup.* after the exact list.
    CHECK(check_lxc_key("lxc.limit.").verdict == LxcKeyVerdict::deprecated);
    CHECK(check_lxc_key("lxc.cgroup.").verdict == LxcKeyVerdict::deprecated);
}

// ---------------------------------------------------------------------------------------------
// Cross-checks against the reference material in ../shared (skipped when it is absent).

namespace {

const std::filesystem::path k_conformance = PCT_CONFORMANCE_DIR;

bool have_reference(const std::filesystem::path& p) {
    if (std::filesystem::exists(p))
        return true;
    MESSAGE("skipped: reference data not found at " << p.string());
    return false;
}

nlohmann::json read_json(const std::filesystem::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

std::string type_text(schema::Type t) {
    switch (t) {
    case schema::Type::boolean:
        return "boolean";
    case schema::Type::integer:
        return "integer";
    case schema::Type::number:
        return "number";
    case schema::Type::string:
        return "string";
    }
    return "?";
}

// One schema entry against its schema-facts.json object (all values there are strings).
void compare_entry(const std::string& where, const schema::KeyInfo& k, const nlohmann::json& j) {
    INFO(where);
    CHECK(type_text(k.type) == j.at("type").get<std::string>());
    CHECK(k.optional == j.contains("optional"));
    CHECK(k.default_key == j.contains("default_key"));
    CHECK(std::string(k.default_value) == j.value("default", ""));
    if (j.contains("minimum"))
        CHECK(k.minimum == std::stod(j["minimum"].get<std::string>()));
    else
        CHECK(!k.minimum);
    if (j.contains("maximum"))
        CHECK(k.maximum == std::stod(j["maximum"].get<std::string>()));
    else
        CHECK(!k.maximum);
    if (j.contains("maxLength"))
        CHECK(k.max_length == std::stoul(j["maxLength"].get<std::string>()));
    else
        CHECK(!k.max_length);
    std::vector<std::string> enums(k.enum_values.begin(), k.enum_values.end());
    CHECK(enums == j.value("enum", std::vector<std::string>{}));
    CHECK(k.pattern.empty() == !j.contains("pattern"));
    if (j.contains("format") && j["format"].is_string())
        CHECK(std::string(k.format) == j["format"].get<std::string>());
    if (j.contains("format") && j["format"].is_object()) {
        std::set<std::string> expected;
        for (auto& [name, sub] : j["format"].items()) {
            expected.insert(name);
            auto it = std::find_if(k.sub_keys.begin(), k.sub_keys.end(),
                                   [&](const schema::KeyInfo& s) { return s.name == name; });
            REQUIRE_MESSAGE(it != k.sub_keys.end(), name);
            compare_entry(where + "." + name, *it, sub);
        }
        CHECK(expected.size() == k.sub_keys.size());
    }
}

} // namespace

TEST_CASE("schema: agrees with spec/schema-facts.json") {
    auto path = k_conformance / ".." / "spec" / "schema-facts.json";
    if (!have_reference(path))
        return;
    auto facts = read_json(path);
    int keys = 0;
    for (auto& [name, entry] : facts.items()) {
        if (name == "__counts")
            continue;
        const auto* k = schema::find(name);
        REQUIRE_MESSAGE(k, name);
        compare_entry(name, *k, entry);
        ++keys;
    }
    // 30 scalars + one representative of each family, minus `description`, which the facts
    // file leaves out (its generator dropped every "description" field).
    CHECK(keys == 33);
    CHECK(facts["__counts"]["total_keys"] == std::to_string(schema::key_names().size()));
}

TEST_CASE("check_type: reproduces the conformance corpus") {
    auto root = k_conformance / "expected";
    if (!have_reference(root))
        return;
    int files = 0, values = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".json")
            continue;
        auto j = read_json(entry.path());
        std::set<std::string> warnings(j["warnings"].begin(), j["warnings"].end());
        std::string prefix = "vm " + j["vmid"].get<std::string>() + " - unable to parse value of '";
        auto section = [&](const nlohmann::json& conf) {
            pct::Section typed;
            for (auto& [key, value] : conf.items()) {
                if (!value.is_string() || key == "digest" || key == "description" ||
                    key == "snapstate" || key == "delete")
                    continue;
                auto v = value.get<std::string>();
                typed.options[key] = v;
                ++values;
                auto r = check_type(key, v);
                INFO(entry.path().string() << ": " << key << ": " << v);
                if (r) {
                    CHECK(*r == v); // stored values are already normalized
                } else {
                    // A kept bad value: its warning is in the file's warnings.
                    CHECK(warnings.count(prefix + key + "' - " + r.error().message + "\n") == 1);
                }
            }
            auto s = pct::parse::settings(typed);
            CHECK_MESSAGE(s, entry.path().string());
        };
        section(j["conf"]);
        section(j["conf"]["pending"]);
        for (auto& [name, snap] : j["conf"]["snapshots"].items())
            section(snap);
        ++files;
    }
    CHECK(files == 117);
    MESSAGE("conformance: " << values << " values of " << files << " files");
}

// ---------------------------------------------------------------------------------------------
// The hand-written matchers against std::regex versions of Proxmox's Perl patterns, on random
// strings (fixed seed). std::regex is fine here: tests are not a hot path.

namespace {

const std::string k_octet = "(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])";
const std::string k_ipv4 = "(?:(?:" + k_octet + "\\.){3}" + k_octet + ")";
const std::string k_h16 = "(?:[0-9a-fA-F]{1,4})";
const std::string k_ls32 = "(?:(?:" + k_ipv4 + "|" + k_h16 + ":" + k_h16 + "))";
const std::string k_ipv6 =
    "(?:(?:(?:(?:" + k_h16 + ":){6})" + k_ls32 + ")|(?:(?:::(?:" + k_h16 + ":){5})" + k_ls32 +
    ")|(?:(?:(?:" + k_h16 + ")?::(?:" + k_h16 + ":){4})" + k_ls32 + ")|(?:(?:(?:(?:" + k_h16 +
    ":){0,1}" + k_h16 + ")?::(?:" + k_h16 + ":){3})" + k_ls32 + ")|(?:(?:(?:(?:" + k_h16 +
    ":){0,2}" + k_h16 + ")?::(?:" + k_h16 + ":){2})" + k_ls32 + ")|(?:(?:(?:(?:" + k_h16 +
    ":){0,3}" + k_h16 + ")?::(?:" + k_h16 + ":){1})" + k_ls32 + ")|(?:(?:(?:(?:" + k_h16 +
    ":){0,4}" + k_h16 + ")?::)" + k_ls32 + ")|(?:(?:(?:(?:" + k_h16 + ":){0,5}" + k_h16 + ")?::)" +
    k_h16 + ")|(?:(?:(?:(?:" + k_h16 + ":){0,6}" + k_h16 + ")?::)))";

struct Oracle {
    std::string name;
    std::regex re;
    std::string alphabet;
    std::size_t max_len;
    // true when the library accepts `s`
    std::function<bool(const std::string&)> accepts;
};

bool no_problem(std::string_view key, const std::string& value) {
    return pct::validate::value(key, value).empty();
}

bool subkey_ok(std::string_view key, const std::string& value, std::string_view subkey) {
    for (const auto& e : pct::validate::value(key, value))
        if (e.subkey == subkey)
            return false;
    return true;
}

} // namespace

TEST_CASE("formats: hand-written matchers agree with Proxmox's regexes") {
    using std::regex;
    const auto icase = regex::ECMAScript | regex::icase;
    std::vector<Oracle> oracles = {
        {"ipv4", regex(k_ipv4), "0123456789.", 16,
         [](const std::string& s) { return subkey_ok("net0", "name=e,gw=" + s, "gw"); }},
        {"ipv6", regex(k_ipv6), "0123456789abcdefABCDEF:.", 30,
         [](const std::string& s) { return subkey_ok("net0", "name=e,gw6=" + s, "gw6"); }},
        {"cidr6", regex("(?:" + k_ipv6 + ")/(\\d+)"), "0123456789abcdef:/", 24,
         [](const std::string& s) {
             // the regex part only; the prefix range is checked below
             return !check_type("net0", "name=e,ip6=" + s).has_value() ? false : true;
         }},
        {"dns-name",
         regex("(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?\\.)*"
               "[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?"),
         "ab9-._Z", 12, [](const std::string& s) { return no_problem("hostname", s); }},
        {"mac-addr", regex("[a-f0-9][02468ace](?::[a-f0-9]{2}){5}", icase), "0123aAeEfF:", 17,
         [](const std::string& s) { return subkey_ok("net0", "name=e,hwaddr=" + s, "hwaddr"); }},
        {"pve-volume-id", regex("([a-z][a-z0-9\\-_.]*[a-z0-9]):(.+)", icase), "aZ9-_.:/", 10,
         [](const std::string& s) { return no_problem("hookscript", s); }},
        {"pve-tag", regex("[a-z0-9_][a-z0-9_\\-+.]*", icase), "aZ9_-+./", 8,
         [](const std::string& s) { return no_problem("tags", s) && !s.empty(); }},
        {"pve-configid", regex("[a-z][a-z0-9_-]+", icase), "aZ9_-.", 6,
         [](const std::string& s) { return check_type("parent", s).has_value(); }},
        {"disk-size", regex("\\d+(\\.\\d+)?([KMGT](iB)?)?"), "019.KMGTiBx", 8,
         [](const std::string& s) { return subkey_ok("rootfs", "local:1,size=" + s, "size"); }},
        {"net name", regex("[-_.\\w\\d]+"), "aZ9-_./ ", 6,
         [](const std::string& s) { return subkey_ok("net0", "name=e,bridge=" + s, "bridge"); }},
        {"trunks", regex("\\d+(?:;\\d+)*"), "019;x", 8,
         [](const std::string& s) { return subkey_ok("net0", "name=e,trunks=" + s, "trunks"); }},
        {"mountoptions",
         regex("(discard|lazytime|noatime|nodev|noexec|nosuid)(;(discard|lazytime|noatime|"
               "nodev|noexec|nosuid))*"),
         "", 0,
         [](const std::string& s) {
             return subkey_ok("rootfs", "local:1,mountoptions=" + s, "mountoptions");
         }},
        {"idmap",
         regex(
             "(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)"),
         "ugx01:;", 14,
         [](const std::string& s) { return subkey_ok("rootfs", "local:1,idmap=" + s, "idmap"); }},
        {"features mount", regex("[a-zA-Z0-9_; ]+"), "aZ9_; /", 6,
         [](const std::string& s) { return subkey_ok("features", "mount=" + s, "mount"); }},
        {"dev mode", regex("0[0-7]{3}"), "0178x", 5,
         [](const std::string& s) { return subkey_ok("dev0", "/dev/null,mode=" + s, "mode"); }},
        {"entrypoint", regex("[^\\x00-\\x08\\x0a-\\x1F\\x7F]+"),
         std::string("a /\t\x01\x1f\x7f\xc3", 8), 6,
         [](const std::string& s) { return no_problem("entrypoint", s); }},
        {"env",
         regex("(?:\\w+=[^\\x00-\\x08\\x0a-\\x1F\\x7F]*)(?:\\x00\\w+=[^\\x00-\\x08\\x0a-\\x1F\\x7F]"
               "*)*"),
         std::string("aZ_= \t\x01\0", 9), 8,
         [](const std::string& s) { return no_problem("env", s); }},
    };
    std::mt19937_64 rng(7);
    std::vector<std::string> mount_words = {"noatime", "nodev", "discard", "lazytime", "noexec",
                                            "nosuid",  "sync",  ";",       ""};
    int compared = 0;
    for (auto& o : oracles) {
        for (int i = 0; i < 4000; ++i) {
            std::string s;
            if (o.alphabet.empty()) {
                auto n = rng() % 4;
                for (std::size_t w = 0; w <= n; ++w)
                    s += (w ? ";" : "") + mount_words[rng() % mount_words.size()];
            } else {
                auto n = 1 + rng() % o.max_len;
                for (std::size_t c = 0; c < n; ++c)
                    s += o.alphabet[rng() % o.alphabet.size()];
            }
            if (o.name == "cidr6") {
                // Structured: a valid address plus a random prefix.
                static const char* addrs[] = {
                    "::",      "fe80::1", "2001:db8::", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4",
                    "1::2::3", "12345::"};
                s = std::string(addrs[rng() % 7]) + "/" + std::to_string(rng() % 140);
                std::smatch m;
                bool expect =
                    std::regex_match(s, m, o.re) && std::stoi(m[1]) > 7 && std::stoi(m[1]) <= 128;
                CHECK_MESSAGE(o.accepts(s) == expect, o.name << ": " << s);
                ++compared;
                continue;
            }
            // Commas split the property string and empty values are "missing key" errors.
            if (s.empty() || s.find(',') != std::string::npos)
                continue;
            bool expect = std::regex_match(s, o.re);
            CHECK_MESSAGE(o.accepts(s) == expect, o.name << ": '" << s << "'");
            ++compared;
        }
    }
    // Hand-picked IPv6 corner cases on top of the random ones.
    for (std::string s : {"::",
                          "::1",
                          "1::",
                          "1:2:3:4:5:6:7::",
                          "::2:3:4:5:6:7:8",
                          "1:2:3:4:5:6:7:8",
                          "1:2:3:4:5:6::8",
                          "::1.2.3.4",
                          "1::1.2.3.4",
                          "1:2:3:4:5:6:1.2.3.4",
                          "1:2:3:4:5::1.2.3.4",
                          "1:2:3:4:5:6:7::1",
                          "::1:2:3:4:5:6:7",
                          ":1::",
                          "1:::2",
                          "1.2.3.4::",
                          "::1.2.3.4:1",
                          "fffff::",
                          "1:2:3:4:5:6:7:8:9",
                          "0:0:0:0:0:0:0:0",
                          "a::b::c"}) {
        CHECK_MESSAGE(
            subkey_ok("net0", "name=e,gw6=" + s, "gw6") == std::regex_match(s, regex(k_ipv6)), s);
        ++compared;
    }
    MESSAGE("matcher cross-check: " << compared << " strings");
}

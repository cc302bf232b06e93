// SPDX-License-Identifier: AGPL-3.0-or-later
// Typed property strings and sizes: parse::* / render::* against Proxmox's rules, exact error
// texts, the canonical print order, and randomized round trips (fixed seed).
#include <pct/model/schema.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace std::string_literals;
namespace parse = pct::parse;
namespace render = pct::render;
using pct::Errc;

namespace {

// Builds a value field by field (designated initializers trip -Wmissing-field-initializers).
template <class T, class F> T make(F f) {
    T v{};
    f(v);
    return v;
}

template <class T> std::string err_of(const pct::Result<T>& r) {
    REQUIRE_FALSE(r.has_value());
    return r.error().message;
}

// render(parse(text)) for a kind named as in tests/data/properties/canonical.tsv.
pct::Result<std::string> canonical(std::string_view kind, std::string_view text) {
    auto go = [&](auto parsed, auto printer) -> pct::Result<std::string> {
        if (!parsed)
            return std::unexpected(parsed.error());
        return printer(*parsed);
    };
    if (kind == "net")
        return go(parse::net(text), render::net);
    if (kind == "rootfs")
        return go(parse::rootfs(text), render::rootfs);
    if (kind == "mp")
        return go(parse::mount_point(text), render::mount_point);
    if (kind == "unused")
        return go(parse::unused(text), render::unused);
    if (kind == "dev")
        return go(parse::device(text), render::device);
    if (kind == "features")
        return go(parse::features(text), render::features);
    if (kind == "startup")
        return go(parse::startup(text), render::startup);
    FAIL("unknown kind " << kind);
    return {};
}

} // namespace

TEST_CASE("properties: net, every sub-key") {
    auto n = parse::net("name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,gw6=fe80::1,"
                        "host-managed=0,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.2/24,ip6=auto,"
                        "link_down=1,mtu=1450,rate=12.5,tag=100,trunks=1;2;3,type=veth");
    REQUIRE(n);
    CHECK(n->name == "eth0");
    CHECK(n->bridge == "vmbr0");
    CHECK(n->firewall == true);
    CHECK(n->gw == "10.0.0.1");
    CHECK(n->gw6 == "fe80::1");
    CHECK(n->host_managed == false);
    CHECK(n->hwaddr == "BC:24:11:AA:BB:CC");
    CHECK(n->ip == "10.0.0.2/24");
    CHECK(n->ip6 == "auto");
    CHECK(n->link_down == true);
    CHECK(n->mtu == 1450u);
    REQUIRE(n->rate);
    CHECK(n->rate->text == "12.5");
    CHECK(n->rate->value() == 12.5);
    CHECK(n->tag == 100u);
    CHECK(n->trunks == "1;2;3");
    CHECK(n->type == "veth");
    CHECK(*render::net(*n) ==
          "name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,gw6=fe80::1,host-managed=0,"
          "hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.2/24,ip6=auto,link_down=1,mtu=1450,rate=12.5,"
          "tag=100,trunks=1;2;3,type=veth");

    auto minimal = parse::net("name=eth0");
    REQUIRE(minimal);
    CHECK(*minimal == make<pct::NetInterface>([](auto& v) { v.name = "eth0"; }));
}

TEST_CASE("properties: mount points, every sub-key") {
    auto mp = parse::mount_point(
        "local:vm-100-disk-1,mp=/mnt/data,acl=1,backup=1,idmap=u:0:100000:65536;g:1:2:3,"
        "keepattrs=1,mountoptions=noatime;nodev,quota=0,replicate=0,ro=1,shared=1,size=8G");
    REQUIRE(mp);
    CHECK(mp->volume == "local:vm-100-disk-1");
    CHECK(mp->mp == "/mnt/data");
    CHECK(mp->acl == true);
    CHECK(mp->backup == true);
    REQUIRE(mp->idmap.size() == 2);
    CHECK(mp->idmap[0] == pct::IdMapEntry{'u', 0, 100000, 65536});
    CHECK(mp->idmap[1] == pct::IdMapEntry{'g', 1, 2, 3});
    CHECK(!mp->idmap_passthrough);
    CHECK(mp->keepattrs == true);
    CHECK(mp->mountoptions == "noatime;nodev");
    CHECK(mp->quota == false);
    CHECK(mp->replicate == false);
    CHECK(mp->ro == true);
    CHECK(mp->shared == true);
    CHECK(mp->size == 8589934592ull);
    CHECK(mp->kind() == pct::VolumeKind::volume);
    CHECK(*render::mount_point(*mp) ==
          "local:vm-100-disk-1,mp=/mnt/data,acl=1,backup=1,idmap=u:0:100000:65536;g:1:2:3,"
          "keepattrs=1,mountoptions=noatime;nodev,quota=0,replicate=0,ro=1,shared=1,size=8G");

    auto rootfs = parse::rootfs("/dev/sdb1,idmap=passthrough,size=0");
    REQUIRE(rootfs);
    CHECK(rootfs->idmap_passthrough == true);
    CHECK(rootfs->idmap.empty());
    CHECK(!rootfs->mp); // the typed value keeps what the text says; Proxmox adds mp=/
    CHECK(rootfs->size == 0u);
    CHECK(rootfs->kind() == pct::VolumeKind::device);
    CHECK(*render::rootfs(*rootfs) == "/dev/sdb1,idmap=passthrough,size=0T");

    SUBCASE("rootfs has no mp, backup or keepattrs") {
        for (auto text : {"local:1,mp=/x", "local:1,backup=1", "local:1,keepattrs=1"}) {
            auto r = parse::rootfs(text);
            REQUIRE_FALSE(r);
            CHECK(r.error().code == Errc::parse);
            CHECK(r.error().key == "rootfs");
            CHECK(r.error().message.ends_with(": property is not defined in schema and the schema "
                                              "does not allow additional properties"));
        }
        auto m = make<pct::MountPoint>([](auto& v) {
            v.volume = "local:1";
            v.backup = true;
        });
        auto r = render::rootfs(m);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().subkey == "backup");
        // mp is skipped for rootfs, as print_ct_mountpoint(..., nomp) does.
        CHECK(*render::rootfs(make<pct::MountPoint>([](auto& v) {
            v.volume = "local:1";
            v.mp = "/";
        })) == "local:1");
    }
}

TEST_CASE("properties: volume kinds") {
    auto kind = [](std::string volume) {
        return make<pct::MountPoint>([&](auto& v) { v.volume = std::move(volume); }).kind();
    };
    CHECK(kind("local:vm-100-disk-0") == pct::VolumeKind::volume);
    CHECK(kind("local:8") == pct::VolumeKind::volume);
    CHECK(kind("relative/dir") == pct::VolumeKind::volume);
    CHECK(kind("/mnt/host") == pct::VolumeKind::bind);
    CHECK(kind("/devices") == pct::VolumeKind::bind);
    CHECK(kind("/dev/sdb1") == pct::VolumeKind::device);
    CHECK(kind("/dev/") == pct::VolumeKind::device);
}

TEST_CASE("properties: unused, dev, features, startup") {
    CHECK(parse::unused("local:vm-100-disk-2")->volume == "local:vm-100-disk-2");
    CHECK(*render::unused({"local:vm-1-disk-0"}) == "local:vm-1-disk-0");

    auto d = parse::device("/dev/ttyUSB0,deny-write=yes,gid=20,mode=0660,uid=+7");
    REQUIRE(d);
    CHECK(*d == pct::Device{"/dev/ttyUSB0", "0660", 7, 20, true});
    CHECK(*render::device(*d) == "/dev/ttyUSB0,deny-write=1,gid=20,mode=0660,uid=7");

    auto f = parse::features("force_rw_sys=1,fuse=0,keyctl=on,mknod=no,mount=nfs;cifs,nesting=1");
    REQUIRE(f);
    CHECK(*f == pct::Features{true, false, true, false, "nfs;cifs", true});
    CHECK(*render::features(*f) ==
          "force_rw_sys=1,fuse=0,keyctl=1,mknod=0,mount=nfs;cifs,nesting=1");
    CHECK(*parse::features("") == pct::Features{});
    CHECK(*render::features({}) == "");

    auto s = parse::startup("order=1,up=30,down=60");
    REQUIRE(s);
    CHECK(*s == pct::StartupOrder{1, 30, 60});
    CHECK(*render::startup(*s) == "order=1,up=30,down=60");
    CHECK(*parse::startup("00") == pct::StartupOrder{0, {}, {}});
    CHECK(*parse::startup(",") == pct::StartupOrder{}); // Perl: an empty hash is still true
    CHECK(err_of(parse::startup("0")) == "unable to parse startup options");
    CHECK(err_of(parse::startup("")) == "unable to parse startup options");
    CHECK(err_of(parse::startup("order=x")) == "unable to parse startup options");
    CHECK(err_of(parse::startup("order=99999999999999999999")) ==
          "value '99999999999999999999' is out of range");
    CHECK(render::startup({}).error().code == Errc::invalid_argument);
}

TEST_CASE("properties: numbers keep their text") {
    CHECK(pct::Number{"1.50"}.value() == 1.5);
    CHECK(pct::Number{"+2"}.value() == 2);
    CHECK(pct::Number{"1e3"}.value() == 1000);
    CHECK(pct::Number{".5"}.value() == 0.5);
    CHECK(pct::Number{"1."}.value() == 1);
    CHECK(std::isnan(pct::Number{"abc"}.value()));
    CHECK(std::isnan(pct::Number{""}.value()));
    CHECK(parse::net("name=a,rate=+1.50e1")->rate->text == "+1.50e1");
}

TEST_CASE("properties: sizes") {
    auto sz = [](std::string_view t) { return *parse::size(t); };
    CHECK(sz("1.5G") == 1610612736ull);
    CHECK(render::size(sz("1.5G")) == "1536M");
    CHECK(sz("0.5K") == 512u);
    CHECK(render::size(512) == "512");
    CHECK(sz("1.7") == 1u);
    CHECK(render::size(1) == "1");
    CHECK(sz("8G") == 8589934592ull);
    CHECK(sz("1024") == 1024u);
    CHECK(render::size(1024) == "1K");
    CHECK(sz("1KiB") == 1024u);
    CHECK(sz("2MiB") == 2097152u);
    CHECK(sz("3GiB") == 3221225472ull);
    CHECK(sz("4TiB") == 4398046511104ull);
    CHECK(sz("1.5GiB") == 1610612736ull);
    CHECK(sz("0.001K") == 1u);
    CHECK(sz("0") == 0u);
    CHECK(sz("18446744073709551615") == 18446744073709551615ull);
    CHECK(sz("16777215T") == 18446742974197923840ull);
    CHECK(render::size(0) == "0T"); // format_size(0) in Proxmox
    CHECK(render::size(1023) == "1023");
    CHECK(render::size(1025) == "1025");
    CHECK(render::size(1048576) == "1M");
    CHECK(render::size(5ull << 30) == "5G");
    CHECK(render::size(1ull << 40) == "1T");
    CHECK(render::size(1ull << 50) == "1024T");
    CHECK(render::size(1ull << 63) == "8388608T");
    CHECK(render::size(18446744073709551615ull) == "18446744073709551615");
    CHECK(render::size(1536ull << 10) == "1536K");

    for (auto bad : {"", "G", "1.G", ".5G", "1g", "1Gi", "1GB", "-1", "1 G", " 1", "1.5.5", "1e3",
                     "1KiB2", "1iB", "0x10"}) {
        auto r = parse::size(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::parse);
        CHECK(r.error().message == "value does not look like a valid disk size: "s + bad);
    }
    for (auto huge : {"16777216T", "18446744073709551616", "99999999999999999999999K",
                      "17179869184G", "16777216.5T"}) {
        auto r = parse::size(huge);
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "size out of range: "s + huge);
    }
}

TEST_CASE("properties: parse errors name the key and sub-key") {
    auto e = parse::net("bridge=vmbr0").error();
    CHECK(e.code == Errc::parse);
    CHECK(e.key == "net");
    CHECK(e.subkey == "name");
    CHECK(e.message == "format error\nname: property is missing and it is not optional");

    e = parse::net("name=eth0,name=eth1").error();
    CHECK(e.subkey == "name");
    CHECK(e.message == "duplicate key in comma-separated list property: name");

    e = parse::net("name=eth0,ip=300.1.1.1/24").error();
    CHECK(e.subkey == "ip");
    CHECK(e.message == "format error\nip: invalid format - value does not look like a valid ipv4 "
                       "network configuration\n");

    e = parse::mount_point("local:1,mp=/x,size=1Q").error();
    CHECK(e.key == "mp");
    CHECK(e.subkey == "size");

    e = parse::mount_point("local:1,mp=/x/../y").error();
    CHECK(e.message ==
          "format error\nmp: invalid format - /x/../y contains illegal character sequences\n");

    e = parse::mount_point("local:1,mp=/x,idmap=u:0:1:0").error();
    CHECK(e.subkey == "idmap");
    CHECK(e.message == "format error\nidmap: value does not match the regex pattern");

    e = parse::mount_point("local:1,mp=/x,idmap=u:0:99999999999999999999:1").error();
    CHECK(e.subkey == "idmap");
    CHECK(e.message == "value 'u:0:99999999999999999999:1' is out of range");

    e = parse::device("mode=0666").error();
    CHECK(e.key == "dev");
    CHECK(e.subkey == "path");
    CHECK(e.message == "Path has to be defined");

    e = parse::device("/dev/null,uid=18446744073709551616").error();
    CHECK(e.subkey == "uid");

    e = parse::features("nesting=2").error();
    CHECK(e.message == "format error\nnesting: type check ('boolean') failed - got '2'");

    e = parse::unused("local:1,size=1G").error();
    CHECK(e.subkey == "size");

    e = parse::net("name=eth0\nbridge=vmbr0").error();
    CHECK(e.message == "property contains a line feed");

    e = parse::features("fuse").error();
    CHECK(e.message == "value without key, but schema does not define a default key");
}

TEST_CASE("properties: render errors") {
    auto e = render::net(make<pct::NetInterface>([](auto& v) {
                 v.name = "eth0";
                 v.mtu = 10;
             })).error();
    CHECK(e.code == Errc::invalid_argument);
    CHECK(e.key == "net");
    CHECK(e.subkey == "mtu");
    CHECK(e.message == "format error\nmtu: value must have a minimum value of 64");

    e = render::net(make<pct::NetInterface>([](auto& v) { v.name = "eth,0"; })).error();
    CHECK(e.message == "format error\nname: value does not match the regex pattern");

    e = render::net(pct::NetInterface{}).error();
    CHECK(e.subkey == "name");

    e = render::net(make<pct::NetInterface>([](auto& v) {
            v.name = "e";
            v.hwaddr = "01:02:03:04:05:06";
        })).error();
    CHECK(e.message == "format error\nhwaddr: invalid format - value does not look like a valid "
                       "unicast MAC address\n");

    e = render::mount_point(make<pct::MountPoint>([](auto& v) {
            v.volume = "local:a,b";
            v.mp = "/x";
        })).error();
    CHECK(e.subkey == "volume");
    CHECK(e.message == "illegal value with commas for volume");

    e = render::mount_point(make<pct::MountPoint>([](auto& v) {
            v.volume = "local:1";
            v.mp = "/a,b";
        })).error();
    CHECK(e.message == "illegal value with commas for mp");

    e = render::mount_point(make<pct::MountPoint>([](auto& v) {
            v.volume = "local:1";
            v.mp = "";
        })).error();
    CHECK(e.message == "illegal empty value for mp");

    e = render::mount_point(make<pct::MountPoint>([](auto& v) { v.volume = "local:1"; })).error();
    CHECK(e.message == "format error\nmp: property is missing and it is not optional");

    e = render::mount_point(make<pct::MountPoint>([](auto& v) {
            v.volume = "local:1";
            v.mp = "/x";
            v.idmap_passthrough = true;
            v.idmap = {{'u', 0, 1, 1}};
        })).error();
    CHECK(e.subkey == "idmap");

    e = render::mount_point(make<pct::MountPoint>([](auto& v) {
            v.volume = "local:1";
            v.mp = "/x";
            v.idmap = {{'x', 0, 1, 1}};
        })).error();
    CHECK(e.message == "format error\nidmap: value does not match the regex pattern");

    e = render::device(pct::Device{}).error();
    CHECK(e.message == "Path has to be defined");

    e = render::device(make<pct::Device>([](auto& v) {
            v.path = "/dev/x";
            v.mode = "777";
        })).error();
    CHECK(e.subkey == "mode");

    e = render::features(make<pct::Features>([](auto& v) { v.mount = "a,b"; })).error();
    CHECK(e.subkey == "mount");

    e = render::unused(pct::UnusedVolume{"nostorage"}).error();
    CHECK(e.message == "format error\nvolume: invalid format - unable to parse volume ID "
                       "'nostorage'\n");

    e = render::net(make<pct::NetInterface>([](auto& v) {
            v.name = "eth0";
            v.gw = "1.2.3.4\n";
        })).error();
    CHECK(e.message == "property contains a line feed");

    // A default-key value that would not read back bare is printed with its key.
    CHECK(*render::mount_point(make<pct::MountPoint>([](auto& v) {
        v.volume = "a=b";
        v.mp = "/x";
    })) == "volume=a=b,mp=/x");
    CHECK(*render::mount_point(make<pct::MountPoint>([](auto& v) {
        v.volume = " ";
        v.mp = "/x";
    })) == "volume= ,mp=/x");
}

TEST_CASE("properties: canonical forms from tests/data/properties/canonical.tsv") {
    std::ifstream in(PCT_TEST_DATA_DIR "/properties/canonical.tsv");
    REQUIRE(in);
    std::string line;
    int cases = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        auto t1 = line.find('\t');
        auto t2 = line.find('\t', t1 + 1);
        REQUIRE(t2 != std::string::npos);
        std::string kind = line.substr(0, t1);
        std::string input = line.substr(t1 + 1, t2 - t1 - 1);
        std::string expected = line.substr(t2 + 1);
        auto got = canonical(kind, input);
        INFO(kind << ": " << input);
        REQUIRE_MESSAGE(got, got.error().message);
        CHECK(*got == expected);
        // The canonical form is a fixpoint and the input was accepted by check_type too.
        CHECK(*canonical(kind, expected) == expected);
        std::string key =
            kind == "net" || kind == "mp" || kind == "unused" || kind == "dev" ? kind + "0" : kind;
        CHECK(parse::check_type(key, input).has_value());
        ++cases;
    }
    CHECK(cases >= 20);
}

// ---------------------------------------------------------------------------------------------
// Randomized round trips (fixed seed): parse(render(x)) == x for generated values, and
// render(parse(s)) is a fixpoint for generated (unnormalized) strings.

namespace {

struct Gen {
    std::mt19937_64 rng{20260628};

    bool coin(int percent = 50) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; }
    template <class T> const T& pick(const std::vector<T>& v) {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    }
    std::uint64_t num(std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
    }
    std::optional<bool> opt_bool() { return coin(40) ? std::optional<bool>(coin()) : std::nullopt; }
    std::optional<std::string> opt(const std::vector<std::string>& pool, int percent = 40) {
        return coin(percent) ? std::optional<std::string>(pick(pool)) : std::nullopt;
    }

    std::string ident() {
        static const std::string chars = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_.-";
        std::string out;
        auto n = num(1, 12);
        for (std::uint64_t i = 0; i < n; ++i)
            out += chars[num(0, chars.size() - 1)];
        return out;
    }
    std::string ipv4() {
        return std::to_string(num(0, 255)) + "." + std::to_string(num(0, 255)) + "." +
               std::to_string(num(0, 255)) + "." + std::to_string(num(0, 255));
    }
    std::string mac() {
        static const char hex[] = "0123456789abcdefABCDEF";
        std::string out;
        out += hex[num(0, 21)];
        out += "02468aceACE"[num(0, 10)];
        for (int i = 0; i < 5; ++i) {
            out += ':';
            out += hex[num(0, 21)];
            out += hex[num(0, 21)];
        }
        return out;
    }

    pct::NetInterface net() {
        pct::NetInterface n;
        n.name = ident();
        if (coin(40))
            n.bridge = ident();
        n.firewall = opt_bool();
        if (coin(40))
            n.gw = ipv4();
        n.gw6 = opt({"fe80::1", "2001:db8::1", "::", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1"});
        n.host_managed = opt_bool();
        if (coin(40))
            n.hwaddr = mac();
        if (coin(40))
            n.ip = coin(30) ? pick<std::string>({"dhcp", "manual"})
                            : ipv4() + "/" + std::to_string(num(8, 32));
        n.ip6 = opt({"auto", "dhcp", "manual", "2001:db8::2/64", "fd00::1/8", "::1/128"});
        n.link_down = opt_bool();
        if (coin(40))
            n.mtu = static_cast<std::uint32_t>(num(64, 65535));
        if (coin(40))
            n.rate = pct::Number{pick<std::string>({"1", "12.5", "0.5", "1e3", "+2", "1.", ".25"})};
        if (coin(40))
            n.tag = static_cast<std::uint32_t>(num(1, 4094));
        n.trunks = opt({"1", "1;2;3", "100;200", "4094"});
        n.type = opt({"veth"});
        return n;
    }

    std::string path() {
        std::string out;
        auto n = num(1, 4);
        for (std::uint64_t i = 0; i < n; ++i)
            out += "/" + ident();
        // A component "." or ".." would be refused; keep generated paths legal.
        return out.find("/.") == std::string::npos ? out : "/mnt/x";
    }

    pct::MountPoint mount_point(bool rootfs) {
        pct::MountPoint m;
        switch (num(0, 3)) {
        case 0:
            m.volume = "local-lvm:vm-" + std::to_string(num(100, 999)) + "-disk-0";
            break;
        case 1:
            m.volume = "/dev/sd" + std::string(1, char('a' + num(0, 25)));
            break;
        case 2:
            m.volume = path();
            break;
        default:
            m.volume = "local:" + std::to_string(num(0, 64));
            break;
        }
        if (!rootfs) {
            m.mp = path();
            m.backup = opt_bool();
            m.keepattrs = opt_bool();
        }
        if (coin(40))
            m.size = num(0, 3) == 0 ? num(0, ~0ull) : num(1, 4096) << (10 * num(0, 4));
        m.acl = opt_bool();
        m.mountoptions = opt({"noatime", "nodev;nosuid", "discard;lazytime;noexec"});
        if (coin(20)) {
            m.idmap_passthrough = true;
        } else if (coin(20)) {
            auto n = num(1, 3);
            for (std::uint64_t i = 0; i < n; ++i)
                m.idmap.push_back(
                    {coin() ? 'u' : 'g', num(0, 65535), num(0, 1u << 31), num(1, 65536)});
        }
        m.quota = opt_bool();
        m.replicate = opt_bool();
        m.ro = opt_bool();
        m.shared = opt_bool();
        return m;
    }

    pct::Device device() {
        pct::Device d;
        d.path = "/dev/" + pick<std::string>({"null", "ttyUSB0", "dri/renderD128", "net/tun"});
        d.mode = opt({"0666", "0600", "0000", "0777"});
        if (coin(40))
            d.uid = num(0, 100000);
        if (coin(40))
            d.gid = num(0, ~0ull);
        d.deny_write = opt_bool();
        return d;
    }

    pct::Features features() {
        return {
            opt_bool(), opt_bool(), opt_bool(), opt_bool(), opt({"nfs", "nfs;cifs", "ext4 xfs"}),
            opt_bool()};
    }

    pct::StartupOrder startup() {
        pct::StartupOrder s;
        do {
            if (coin())
                s.order = num(0, 1000);
            if (coin())
                s.up = num(0, 600);
            if (coin())
                s.down = num(0, 600);
        } while (!s.order && !s.up && !s.down);
        return s;
    }

    // An equivalent but unnormalized spelling of a canonical property string: parts shuffled
    // (the bare default part may move), boolean words, blank parts, explicit default key.
    std::string scramble(const std::string& canonical, std::string_view schema_key) {
        const auto& keys = pct::schema::find(schema_key)->sub_keys;
        std::string_view default_key;
        for (const auto& k : keys)
            if (k.default_key)
                default_key = k.name;
        auto is_boolean = [&](std::string_view name) {
            for (const auto& k : keys)
                if (k.name == name)
                    return k.type == pct::schema::Type::boolean;
            return false;
        };
        std::vector<std::string> parts;
        std::stringstream ss(canonical);
        std::string part;
        while (std::getline(ss, part, ','))
            parts.push_back(part);
        for (auto& p : parts) {
            if (p.find('=') == std::string::npos && !default_key.empty() && coin(30))
                p = std::string(default_key) + "=" + p;
            auto eq = p.find('=');
            std::string_view v = eq == std::string::npos ? "" : std::string_view(p).substr(eq + 1);
            if (eq == std::string::npos || !is_boolean(std::string_view(p).substr(0, eq)))
                continue;
            if (v == "1" && coin(50))
                p = p.substr(0, eq + 1) + pick<std::string>({"yes", "on", "TRUE", "1"});
            else if (v == "0" && coin(50))
                p = p.substr(0, eq + 1) + pick<std::string>({"no", "off", "False", "0"});
        }
        std::shuffle(parts.begin(), parts.end(), rng);
        // Blank parts ("" or " ") between the real ones are skipped by the parser.
        std::vector<std::string> spelled;
        for (const auto& p : parts) {
            if (coin(10))
                spelled.push_back(coin() ? "" : " ");
            spelled.push_back(p);
        }
        if (coin(10))
            spelled.push_back("");
        std::string out;
        for (std::size_t i = 0; i < spelled.size(); ++i)
            out += (i ? "," : "") + spelled[i];
        return out;
    }
};

template <class T, class Make, class Print, class Parse>
void round_trip(Gen& g, int count, Make make, Print print, Parse parse_fn,
                std::string_view schema_key) {
    for (int i = 0; i < count; ++i) {
        T value = make();
        auto text = print(value);
        REQUIRE_MESSAGE(text, text.error().message);
        auto back = parse_fn(*text);
        INFO(*text);
        REQUIRE_MESSAGE(back, back.error().message);
        CHECK(*back == value);
        // Any spelling of the same value prints the same canonical text.
        std::string scrambled = g.scramble(*text, schema_key);
        auto reparsed = parse_fn(scrambled);
        INFO(scrambled);
        REQUIRE_MESSAGE(reparsed, reparsed.error().message);
        CHECK(*reparsed == value);
        auto again = print(*reparsed);
        REQUIRE(again);
        CHECK(*again == *text);
    }
}

} // namespace

TEST_CASE("properties: randomized round trips") {
    Gen g;
    constexpr int n = 1500;
    SUBCASE("net") {
        round_trip<pct::NetInterface>(
            g, n, [&] { return g.net(); }, render::net, parse::net, "net0");
    }
    SUBCASE("rootfs") {
        round_trip<pct::MountPoint>(
            g, n, [&] { return g.mount_point(true); }, render::rootfs, parse::rootfs, "rootfs");
    }
    SUBCASE("mp") {
        round_trip<pct::MountPoint>(
            g, n, [&] { return g.mount_point(false); }, render::mount_point, parse::mount_point,
            "mp0");
    }
    SUBCASE("unused") {
        round_trip<pct::UnusedVolume>(
            g, n, [&] { return pct::UnusedVolume{"store" + g.ident() + "a:" + g.ident()}; },
            render::unused, parse::unused, "unused0");
    }
    SUBCASE("dev") {
        round_trip<pct::Device>(
            g, n, [&] { return g.device(); }, render::device, parse::device, "dev0");
    }
    SUBCASE("features") {
        round_trip<pct::Features>(
            g, n, [&] { return g.features(); }, render::features, parse::features, "features");
    }
    SUBCASE("startup") {
        for (int i = 0; i < n; ++i) {
            auto s = g.startup();
            auto text = render::startup(s);
            REQUIRE(text);
            CHECK(*parse::startup(*text) == s);
            CHECK(parse::check_type("startup", *text).has_value());
        }
    }
    SUBCASE("sizes") {
        for (int i = 0; i < n; ++i) {
            std::uint64_t bytes =
                g.coin() ? g.num(0, ~0ull) : g.num(0, 1 << 20) << (10 * g.num(0, 4));
            auto text = render::size(bytes);
            auto back = parse::size(text);
            REQUIRE(back);
            CHECK(*back == bytes);
        }
    }
}

// Random byte soup through every entry point: no crash, errors always carry a message and the
// family key, and whatever parses prints and reads back to the same value (the fuzz invariant).
TEST_CASE("properties: random input never crashes and keeps the round-trip invariant") {
    std::mt19937_64 rng(99);
    static const std::string alphabet = std::string("=,; \t\r\n\0", 8) +
                                        "abcdefhimnoprstuvwxyz0123456789:/.-+_%!\x01\xc3\xa4"
                                        "KMGTiB";
    static const std::vector<std::string> seeds = {
        "name=eth0,bridge=vmbr0,", "local:1,mp=/x,size=1G,",
        "/dev/null,mode=0666,",    "nesting=1,mount=nfs,",
        "order=1,up=2,",           "volume=",
        "idmap=u:0:1:1;g:0:1:1",   "type=veth,"};
    int parsed = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = seeds[rng() % seeds.size()];
        auto n = rng() % 24;
        for (std::uint64_t c = 0; c < n; ++c) {
            auto pos = text.empty() ? 0 : rng() % (text.size() + 1);
            text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
        }
        auto check = [&](auto result, auto printer, auto parser, std::string_view family) {
            if (!result) {
                CHECK(!result.error().message.empty());
                CHECK(result.error().key == family);
                return;
            }
            ++parsed;
            auto printed = printer(*result);
            if (!printed)
                return;
            auto back = parser(*printed);
            REQUIRE_MESSAGE(back, text << " -> " << *printed);
            CHECK(*back == *result);
        };
        check(parse::net(text), render::net, parse::net, "net");
        check(parse::rootfs(text), render::rootfs, parse::rootfs, "rootfs");
        check(parse::mount_point(text), render::mount_point, parse::mount_point, "mp");
        check(parse::unused(text), render::unused, parse::unused, "unused");
        check(parse::device(text), render::device, parse::device, "dev");
        check(parse::features(text), render::features, parse::features, "features");
        check(parse::startup(text), render::startup, parse::startup, "startup");
        if (auto bytes = parse::size(text))
            CHECK(*parse::size(render::size(*bytes)) == *bytes);
        for (auto key : {"net0", "rootfs", "mp1", "unused2", "dev3", "features", "startup",
                         "memory", "onboot", "cpulimit", "hostname", "nameserver", "tags",
                         "timezone", "hookscript", "searchdomain", "parent"}) {
            auto r = parse::check_type(key, text);
            if (!r)
                CHECK(!r.error().message.empty());
        }
    }
    MESSAGE("random inputs that parsed: " << parsed);
    CHECK(parsed > 100);
}

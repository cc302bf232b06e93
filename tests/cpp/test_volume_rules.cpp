// SPDX-License-Identifier: AGPL-3.0-or-later
// The pure rules of the volume operations: resize size arguments, the df table, what rescan
// changes, which volumes destroy frees. Expected values come from Proxmox's code as quoted in
// storage.md §6 and §7.8 (pve-container: API2/LXC.pm resize_vm, CLI/pct.pm df, LXC.pm rescan,
// destroy_lxc_container).
#include "volume_keys.hpp"
#include "volume_rules.hpp"

#include <pct/parse/config.hpp>
#include <pct/runtime/volumes.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace pct;
using namespace pct::runtime;
using namespace pct::runtime::detail;

namespace {

ContainerConfig conf(std::string text) {
    auto parsed = parse::config(text, {});
    REQUIRE(parsed);
    return parsed->config;
}

// A storage volume id `S:VMID/NAME` is owned by VMID (the dir layout); anything else is not a
// storage volume.
std::optional<Vmid> owner_from_volname(std::string_view volid) {
    auto colon = volid.find(':');
    if (volid.starts_with('/') || colon == std::string_view::npos)
        return std::nullopt;
    auto name = volid.substr(colon + 1);
    auto slash = name.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    return Vmid{static_cast<std::uint32_t>(std::stoul(std::string(name.substr(0, slash))))};
}

} // namespace

TEST_CASE("resize: size arguments as Proxmox's pattern") {
    auto r = parse_size_request("+1G");
    REQUIRE(r);
    CHECK(r->relative);
    CHECK(r->bytes == 1073741824.0);
    r = parse_size_request("10");
    REQUIRE(r);
    CHECK_FALSE(r->relative);
    CHECK(r->bytes == 10.0); // no unit: bytes
    r = parse_size_request("1.5M");
    REQUIRE(r);
    CHECK(r->bytes == 1572864.0);
    for (const char* bad : {"", "+", "G", "1g", "-1G", "1.G", ".5G", "1GB", "1 G", "++1", "0x10"}) {
        CAPTURE(bad);
        auto e = parse_size_request(bad);
        REQUIRE_FALSE(e);
        CHECK(e.error().code == Errc::invalid_argument);
        CHECK(e.error().key == "size");
    }
}

TEST_CASE("resize: grow only with Proxmox's messages") {
    const std::uint64_t gib = 1073741824;
    CHECK(resize_target({.relative = true, .bytes = double(gib)}, gib).value() == 2 * gib);
    CHECK(resize_target({.relative = false, .bytes = 3.0 * gib}, gib).value() == 3 * gib);
    // A fractional result is truncated as Perl's int().
    CHECK(resize_target({.relative = false, .bytes = 1536.7}, 1024).value() == 1536);
    auto shrink = resize_target({.relative = false, .bytes = 10}, gib);
    REQUIRE_FALSE(shrink);
    CHECK(shrink.error().message == "unable to shrink disk size");
    auto same = resize_target({.relative = false, .bytes = double(gib)}, gib);
    REQUIRE_FALSE(same);
    CHECK(same.error().message == "disk is already at specified size");
    auto zero = resize_target({.relative = true, .bytes = 0}, gib);
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message == "disk is already at specified size");
}

TEST_CASE("df: sizes as Proxmox's floating point helper") {
    CHECK(df_size(0) == "0");
    CHECK(df_size(1023) == "1023");
    CHECK(df_size(1024) == "1.0K");
    CHECK(df_size(1536) == "1.5K");
    CHECK(df_size(1048575) == "1024.0K"); // 1023.999 K prints rounded, as sprintf does
    CHECK(df_size(1048576) == "1.0M");
    CHECK(df_size(1073741824ull * 8) == "8.0G");
    CHECK(df_size(1099511627776ull * 2) == "2.0T");
    CHECK(df_size(1099511627776ull * 1024) == ""); // Proxmox's helper returns undef there
}

TEST_CASE("df: the table pads columns to the widest cell") {
    std::vector<DfRow> rows{
        {"rootfs", "local:100/vm-100-disk-0.raw", 1073741824, 536870912, 483183820, "/"},
        {"mp0", "/srv/data", 2048, 1024, 1024, "/srv"},
    };
    // Use% is used/total with one decimal (0.5, a fraction: Proxmox's quirk).
    CHECK(format_df(rows) == "MP     Volume                      Size   Used  Avail Use% Path\n"
                             "rootfs local:100/vm-100-disk-0.raw 1.0G 512.0M 460.8M  0.5 /\n"
                             "mp0    /srv/data                   2.0K   1.0K   1.0K  0.5 /srv\n");
    CHECK(format_df({}) == "MP Volume Size Used Avail Use% Path\n");
}

TEST_CASE("volume keys: Proxmox's order and the lowest free unused") {
    auto c = conf("rootfs: local:100/a.raw\nmp10: local:100/c.raw,mp=/c\nmp2: /srv,mp=/b\n"
                  "unused1: local:100/d.raw\nmp01: x\n");
    CHECK(detail::volume_keys_in_order(c.main) ==
          std::vector<std::string>{"rootfs", "mp2", "mp10", "unused1"});
    CHECK(detail::is_mount_key("mp255"));
    CHECK_FALSE(detail::is_mount_key("mp256"));
    CHECK_FALSE(detail::is_mount_key("mp01"));
    CHECK(detail::free_unused_key({"unused0", "unused2"}).value() == "unused1");
    std::set<std::string, std::less<>> all;
    for (int i = 0; i < 256; ++i)
        all.insert("unused" + std::to_string(i));
    auto full = detail::free_unused_key(all);
    REQUIRE_FALSE(full);
    CHECK(full.error().message == "Too many unused volumes - please delete them first.");
}

TEST_CASE("rescan: orphans become unusedN and sizes are updated") {
    auto c = conf("rootfs: local:100/vm-100-disk-0.raw,size=1G\n"
                  "mp0: local:100/subvol-100-disk-1.subvol,mp=/srv,size=0T\n"
                  "mp1: /host/dir,mp=/host\n"
                  "unused0: local:100/vm-100-disk-5.raw\n");
    std::map<std::string, std::string> paths{
        {"local:100/vm-100-disk-0.raw", "/s/images/100/vm-100-disk-0.raw"},
        {"local:100/subvol-100-disk-1.subvol", "/s/images/100/subvol-100-disk-1.subvol"},
        {"local:100/vm-100-disk-5.raw", "/s/images/100/vm-100-disk-5.raw"},
        // the same file as disk-0 through another storage (an alias)
        {"alias:100/vm-100-disk-0.raw", "/s/images/100/vm-100-disk-0.raw"},
    };
    auto path_of = [&](std::string_view v) {
        auto it = paths.find(std::string(v));
        return it == paths.end() ? std::string() : it->second;
    };
    std::vector<ListedVolume> listed{
        {"local:100/vm-100-disk-0.raw", Vmid{100}, 2147483648, "/s/images/100/vm-100-disk-0.raw"},
        {"local:100/subvol-100-disk-1.subvol", Vmid{100}, 0,
         "/s/images/100/subvol-100-disk-1.subvol"},
        {"local:100/vm-100-disk-5.raw", Vmid{100}, 4096, "/s/images/100/vm-100-disk-5.raw"},
        {"alias:100/vm-100-disk-0.raw", Vmid{100}, 2147483648, "/s/images/100/vm-100-disk-0.raw"},
        {"local:100/vm-100-disk-7.raw", Vmid{100}, 4096, "/s/images/100/vm-100-disk-7.raw"},
        {"local:100/vm-100-disk-8.raw", Vmid{100}, 4096, "/s/images/100/vm-100-disk-8.raw"},
        {"local:200/vm-200-disk-0.raw", Vmid{200}, 4096, "/s/images/200/vm-200-disk-0.raw"},
    };
    auto changes = plan_rescan(c, Vmid{100}, listed, path_of);
    REQUIRE(changes);
    using K = RescanChange::Kind;
    std::vector<RescanChange> expected{
        {K::add_unused, "unused1", "local:100/vm-100-disk-7.raw", 0,
         "CT 100: add unreferenced volume 'local:100/vm-100-disk-7.raw' as 'unused1' to "
         "config."},
        {K::add_unused, "unused2", "local:100/vm-100-disk-8.raw", 0,
         "CT 100: add unreferenced volume 'local:100/vm-100-disk-8.raw' as 'unused2' to "
         "config."},
        {K::update_size, "rootfs", "local:100/vm-100-disk-0.raw", 2147483648,
         "CT 100: updated volume size of 'local:100/vm-100-disk-0.raw' in config."},
    };
    CHECK(*changes == expected);

    // Nothing to do a second time once applied.
    auto again = conf("rootfs: local:100/vm-100-disk-0.raw,size=2G\n"
                      "mp0: local:100/subvol-100-disk-1.subvol,mp=/srv,size=0T\n"
                      "unused0: local:100/vm-100-disk-5.raw\n"
                      "unused1: local:100/vm-100-disk-7.raw\n"
                      "unused2: local:100/vm-100-disk-8.raw\n");
    auto none = plan_rescan(again, Vmid{100}, listed, path_of);
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("rescan: a subvol without size gets size 0") {
    auto c = conf("rootfs: local:100/subvol-100-disk-0.subvol\n");
    std::vector<ListedVolume> listed{{"local:100/subvol-100-disk-0.subvol", Vmid{100}, 0, ""}};
    auto changes =
        plan_rescan(c, Vmid{100}, listed, [](std::string_view) { return std::string(); });
    REQUIRE(changes);
    REQUIRE(changes->size() == 1);
    CHECK(changes->at(0).kind == RescanChange::Kind::update_size);
    CHECK(changes->at(0).size == 0);
}

TEST_CASE("destroy: owned storage volumes only, each once") {
    auto c = conf("rootfs: local:100/vm-100-disk-0.raw,size=1G\n"
                  "mp0: local:100/vm-100-disk-1.raw,mp=/a\n"
                  "mp1: /srv/bind-source,mp=/b\n"
                  "mp2: /dev/sdz1,mp=/c\n"
                  "mp3: local:200/vm-200-disk-0.raw,mp=/d,shared=1\n"
                  "unused0: local:100/vm-100-disk-2.raw\n"
                  "unused1: local:100/vm-100-disk-1.raw\n"
                  "\n[pve:pending]\n"
                  "mp4: local:100/vm-100-disk-3.raw,mp=/e\n"
                  "mp5: local:100/vm-100-disk-0.raw,mp=/f\n");
    auto plan = plan_destroy_volumes(c, Vmid{100}, owner_from_volname);
    CHECK(plan.free ==
          std::vector<std::string>{"local:100/vm-100-disk-0.raw", "local:100/vm-100-disk-1.raw",
                                   "local:100/vm-100-disk-2.raw", "local:100/vm-100-disk-3.raw"});
    CHECK(plan.warnings ==
          std::vector<std::string>{
              "ignore deletion of 'local:200/vm-200-disk-0.raw', CT 100 isn't the owner!"});
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// `merge_restored_config` against the rules of vzdump-format §4.6 and its oracle results
// (expected texts written from the spec, printed by the canonical writer), and
// `read_backup_config` (§4.2) on archives made here with GNU tar.
#include "shell.hpp"
#include "temp_dir.hpp"

#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>
#include <pct/runtime/restore.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <unistd.h>

using namespace pct;
using pct::test::sh;

namespace {

ContainerConfig parsed(std::string_view text) {
    auto p = parse::config(text);
    REQUIRE(p.has_value());
    return p->config;
}

std::string merged_text(std::string_view archived, std::string_view given,
                        const runtime::MergeOptions& options) {
    auto merged = runtime::merge_restored_config(parsed(archived), parsed(given), options);
    REQUIRE_MESSAGE(merged.has_value(), (merged ? "" : to_string(merged.error())));
    auto text = render::config(*merged);
    REQUIRE(text.has_value());
    return *text;
}

// The archive config of §2.4's oracle run (what vzdump writes), plus keys merge never copies.
const std::string archived = "#My web server\n"
                             "#second line%3A 50%25 done\n"
                             "arch: amd64\n"
                             "cores: 2\n"
                             "features: nesting=1\n"
                             "hostname: web\n"
                             "memory: 1024\n"
                             "mp0: local-lvm:vm-101-disk-1,mp=/srv/data,backup=1,size=8G\n"
                             "mp1: /mnt/bind/share,mp=/share\n"
                             "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,"
                             "type=veth\n"
                             "ostype: debian\n"
                             "rootfs: local-lvm:vm-101-disk-0,size=8G\n"
                             "swap: 512\n"
                             "template: 1\n"
                             "unprivileged: 1\n"
                             "unused0: local-lvm:vm-101-disk-2\n"
                             "lxc.environment.runtime: FOO=bar\n"
                             "lxc.apparmor.profile: unconfined\n"
                             "\n"
                             "[snap1]\n"
                             "hostname: old\n";

// What create_vm has before the merge: the command line and the new volumes.
const std::string given = "hostname: restored\n"
                          "net0: name=eth0,bridge=vmbr1,hwaddr=BC:24:11:11:22:33,type=veth\n"
                          "rootfs: local:200/subvol-200-disk-0.subvol,size=8G\n"
                          "unprivileged: 0\n";

} // namespace

TEST_CASE("restore merge: as root the command line wins and filtered keys stay out") {
    // Copied unless given: description, arch, cores, features, memory, ostype, swap, env and
    // the raw lxc.* entries (root). Never: rootfs, mpN, unusedN, template, unprivileged,
    // snapshots.
    CHECK(merged_text(archived, given, {}) ==
          "#My web server\n"
          "#second line%3A 50%25 done\n"
          "arch: amd64\n"
          "cores: 2\n"
          "features: nesting=1\n"
          "hostname: restored\n"
          "memory: 1024\n"
          "net0: name=eth0,bridge=vmbr1,hwaddr=BC:24:11:11:22:33,type=veth\n"
          "ostype: debian\n"
          "rootfs: local:200/subvol-200-disk-0.subvol,size=8G\n"
          "swap: 512\n"
          "unprivileged: 0\n"
          "lxc.environment.runtime: FOO=bar\n"
          "lxc.apparmor.profile: unconfined\n");
}

TEST_CASE("restore merge: unique replaces a given netN with the archive's and a new MAC") {
    // The oracle of §4.6: a CLI net0 on vmbr1 comes out as the archive's net0 on vmbr0.
    runtime::MergeOptions o;
    o.unique = true;
    o.new_mac = [] { return std::string("BC:24:11:00:00:01"); };
    std::string text = merged_text(archived, given, o);
    CHECK(text.find("net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth\n") !=
          std::string::npos);
    CHECK(text.find("vmbr1") == std::string::npos);
    // Without a function the MAC is random with Proxmox's prefix.
    o.new_mac = nullptr;
    auto merged = runtime::merge_restored_config(parsed(archived), parsed(given), o);
    REQUIRE(merged.has_value());
    std::string net0(merged->main.get("net0").value_or(""));
    CHECK(net0.starts_with("name=eth0,bridge=vmbr0,hwaddr=BC:24:11:"));
    CHECK(net0.find("AA:BB:CC") == std::string::npos);
}

TEST_CASE("restore merge: a non-root merge drops lxc entries and features going privileged") {
    runtime::MergeOptions o;
    o.root = false;
    std::string text = merged_text(archived, given, o);
    CHECK(text.find("features:") == std::string::npos);
    CHECK(text.find("lxc.apparmor.profile") == std::string::npos);
    CHECK(text.find("lxc.environment.runtime: FOO=bar\n") != std::string::npos); // env is a key
    // Into an unprivileged target the features stay.
    std::string unpriv = given;
    unpriv.replace(unpriv.find("unprivileged: 0"), 15, "unprivileged: 1");
    CHECK(merged_text(archived, unpriv, o).find("features: nesting=1\n") != std::string::npos);
}

TEST_CASE("restore merge: lock and pending of a foreign archive are copied as Proxmox does") {
    CHECK(merged_text("arch: amd64\nhostname: a\nlock: backup\n\n[pve:pending]\nmemory: 2048\n",
                      "hostname: b\n", {}) ==
          "arch: amd64\nhostname: b\nlock: backup\n\n[pve:pending]\nmemory: 2048\n");
    // A given description and given lxc entries are kept.
    CHECK(merged_text("#old\narch: amd64\nlxc.cap.drop: sys_time\n", "#new\nlxc.cap.drop: mknod\n",
                      {}) == "#new\narch: amd64\nlxc.cap.drop: mknod\n");
}

TEST_CASE("restore merge: an archived netN that does not parse names its key") {
    runtime::MergeOptions o;
    o.unique = true;
    auto merged = runtime::merge_restored_config(parsed("net3: name=eth0,bogus=1\n"),
                                                 parsed("hostname: x\n"), o);
    REQUIRE_FALSE(merged.has_value());
    CHECK(merged.error().code == Errc::parse);
    CHECK(merged.error().key == "net3");
}

TEST_CASE("restore config peek: first ./etc/vzdump/pct.conf in any compression") {
    test::TempDir dir("pct-peek");
    std::string src = dir.sub("src");
    std::filesystem::create_directories(src + "/etc/vzdump");
    test::write_text(src + "/etc/vzdump/pct.conf", "hostname: first\n");
    test::write_text(src + "/etc/vzdump/pct.fw", "");
    // Suspend layout: the config twice, the first one wins.
    std::string dup = dir.sub("dup");
    std::filesystem::create_directories(dup + "/etc/vzdump");
    test::write_text(dup + "/etc/vzdump/pct.conf", "hostname: second\n");
    for (const auto& [suffix, compress] : std::vector<std::pair<std::string, std::string>>{
             {".tar", "cat"}, {".tar.gz", "gzip"}, {".tar.lzo", "lzop"}, {".tar.zst", "zstd -q"}}) {
        CAPTURE(suffix);
        std::string archive = dir.sub("b" + suffix);
        auto r = sh(fmt::format("tar cpf '{0}.raw' --numeric-owner --acls --xattrs -C '{1}' "
                                "./etc/vzdump/pct.conf ./etc/vzdump/pct.fw -C '{2}' . && "
                                "{3} < '{0}.raw' > '{0}'",
                                archive, src, dup, compress));
        REQUIRE_MESSAGE(r.status == 0, r.out);
        auto text = runtime::read_backup_config(archive);
        REQUIRE_MESSAGE(text.has_value(), (text ? "" : to_string(text.error())));
        CHECK(*text == "hostname: first\n");
    }
    // A name with a colon is a local file, never tar's `host:file` remote archive.
    REQUIRE(sh(fmt::format("cp '{}' '{}'", dir.sub("b.tar"), dir.sub("x:b.tar"))).status == 0);
    REQUIRE(::chdir(dir.path().c_str()) == 0);
    auto colon = runtime::read_backup_config("x:b.tar");
    CHECK_MESSAGE(colon.has_value(), (colon ? "" : to_string(colon.error())));
    REQUIRE(::chdir("/") == 0);
    // Names without `./` and archives without the member: refused as Proxmox does.
    std::string noprefix = dir.sub("noprefix.tar");
    REQUIRE(sh(fmt::format("tar cf '{}' -C '{}' etc/vzdump/pct.conf", noprefix, src)).status == 0);
    auto r = runtime::read_backup_config(noprefix);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().message == "archive contains no configuration file");
    std::string openvz = dir.sub("openvz.tar");
    test::write_text(src + "/etc/vzdump/vps.conf", "x\n");
    REQUIRE(sh(fmt::format("tar cf '{}' -C '{}' ./etc/vzdump/vps.conf", openvz, src)).status == 0);
    r = runtime::read_backup_config(openvz);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::unsupported);
    // A config above 1 MiB is no config.
    std::string big = dir.sub("big");
    std::filesystem::create_directories(big + "/etc/vzdump");
    test::write_text(big + "/etc/vzdump/pct.conf", std::string(1 << 20, '#'));
    std::string big_tar = dir.sub("big.tar");
    REQUIRE(sh(fmt::format("tar cf '{}' -C '{}' ./etc/vzdump/pct.conf", big_tar, big)).status == 0);
    r = runtime::read_backup_config(big_tar);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    // Not an archive at all.
    test::write_text(dir.sub("junk.tar"), "junk");
    r = runtime::read_backup_config(dir.sub("junk.tar"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().message.starts_with("unable to read archive '" + dir.sub("junk.tar") + "': "));
}

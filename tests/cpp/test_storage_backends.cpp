// SPDX-License-Identifier: AGPL-3.0-or-later
// storage.cfg (spec storage.md §1), the dir backend and alloc_ct_disk (§2, §3.3-3.5, §7.1).
#include <pct/storage/backend.hpp>
#include <pct/storage/storage_cfg.hpp>
#include <pct/storage/storages.hpp>

#include "storage_host.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <pct/storage/atomic_file.hpp>
#include <pct/storage/lock.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace pct;
using pct::test::StorageHost;
namespace fs = std::filesystem;

namespace {

storage::Storages load(const StorageHost& h) {
    auto s = storage::Storages::load(h.host());
    REQUIRE(s.has_value());
    return std::move(*s);
}

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    ::pclose(p);
    return out;
}

} // namespace

TEST_CASE("storage.cfg: values checked and decoded as Proxmox") {
    auto cfg = storage::parse_storage_config("dir: store1\n"
                                             "\tpath /mnt//store1/\n"
                                             "\tcontent rootdir vztmpl;images\n"
                                             "\tshared yes\n"
                                             "\tmaxfiles 3\n"
                                             "\tvgname pve\n"
                                             "\tformat subvol\n"
                                             "\tformat raw\n"
                                             "\tpreallocation lots\n"
                                             "# a comment does not end the section\n"
                                             "\tnodes pve1,bad_node\n"
                                             "\tdisable\n"
                                             "btrfs: inside\n"
                                             "\n"
                                             "btrfs: fast\n"
                                             "\tpath /mnt/fast\n"
                                             "\tcontent-dirs images=x\n"
                                             "\n"
                                             "nfs: shared-nfs\n"
                                             "\texport /x\n"
                                             "\tserver 10.0.0.1\n"
                                             "\n"
                                             "dir: x\n"
                                             "\tpath /x\n"
                                             "\n"
                                             "dir: nopath\n"
                                             "\tcontent images\n"
                                             "\n"
                                             "dir: badpath\n"
                                             "\tpath /a b\n"
                                             "\n"
                                             "dir: dirs\n"
                                             "\tpath /d\n"
                                             "\tcontent-dirs images=../../etc\n"
                                             "\n"
                                             "dir: none\n"
                                             "\tpath /n\n"
                                             "\tcontent none,images\n");
    const std::vector<std::string> expected = {
        "file storage.cfg line 4 (section 'store1') - unable to parse value of 'shared': type "
        "check ('boolean') failed - got 'yes'",
        "file storage.cfg line 5 (section 'store1') - unable to parse value of 'maxfiles': "
        "unknown property type",
        "file storage.cfg line 6 (section 'store1') - unable to parse value of 'vgname': "
        "unexpected property 'vgname'",
        "file storage.cfg line 8 (section 'store1') - unable to parse value of 'format': "
        "duplicate attribute",
        "file storage.cfg line 9 (section 'store1') - unable to parse value of "
        "'preallocation': value 'lots' does not have a value in the enumeration 'off, "
        "metadata, falloc, full'",
        "file storage.cfg line 11 (section 'store1') - unable to parse value of 'nodes': "
        "invalid format - value does not look like a valid node name",
        "file storage.cfg line 13 (section 'store1') - ignore config line: btrfs: inside",
        "file storage.cfg line 17 (section 'fast') - unable to parse value of 'content-dirs': "
        "unexpected property 'content-dirs'",
        "file storage.cfg line 23 (skip section 'x'): storage ID 'x' cannot be shorter than 2 "
        "characters",
        "file storage.cfg line 26 (skip section 'nopath'): missing value for required option "
        "'path'",
        "file storage.cfg line 29 (skip section 'badpath'): illegal path for directory "
        "storage: /a b",
        "file storage.cfg line 34 (section 'dirs') - unable to parse value of 'content-dirs': "
        "invalid format - invalid directory override 'images=../../etc'",
        "file storage.cfg line 36 (skip section 'none'): unable to combine 'none' with other "
        "content types",
    };
    CHECK(cfg.warnings == expected);
    REQUIRE(cfg.entries.size() == 5);
    const auto& s1 = cfg.entries[0];
    CHECK(s1.path() == "/mnt/store1");
    CHECK(s1.option("content") == "images,rootdir,vztmpl");
    CHECK(s1.option("format") == "subvol");
    CHECK(s1.disabled());
    CHECK_FALSE(s1.shared());
    CHECK(s1.nodes().empty()); // the whole bad `nodes` line is dropped
    CHECK(cfg.entries[1].content() == std::set<std::string>{"images", "rootdir"});
    CHECK(cfg.entries[2].shared()); // nfs: forced
    CHECK_FALSE(cfg.entries[3].option("content-dirs"));
    CHECK(cfg.entries[4].name == "local");
    CHECK(cfg.entries[4].line == 0);
}

TEST_CASE("storage.cfg: writer and built-in local") {
    const std::string text = "dir: store1\n"
                             "\tpath /mnt/store1\n"
                             "\tcontent rootdir\n"
                             "\tdisable\n"
                             "\tis_mountpoint yes\n"
                             "\tmkdir 0\n"
                             "\tnodes pve2,pve1\n"
                             "\tprune-backups keep-last=3\n"
                             "\tshared 1\n"
                             "\n"
                             "zfspool: tank\n"
                             "\tsparse\n"
                             "\tpool   tank/data \n"
                             "\n";
    auto cfg = storage::parse_storage_config(text);
    CHECK(cfg.warnings.empty());
    auto out = storage::render_storage_config(cfg);
    REQUIRE(out.has_value());
    // Proxmox's own example (§1.4), the zfspool lines verbatim, the built-in local last.
    CHECK(*out == "dir: store1\n"
                  "\tdisable\n"
                  "\tpath /mnt/store1\n"
                  "\tcontent rootdir\n"
                  "\tis_mountpoint yes\n"
                  "\tmkdir 0\n"
                  "\tnodes pve1,pve2\n"
                  "\tprune-backups keep-last=3\n"
                  "\tshared 1\n"
                  "\n"
                  "zfspool: tank\n"
                  "\tsparse\n"
                  "\tpool   tank/data \n"
                  "\n"
                  "dir: local\n"
                  "\tpath /var/lib/vz\n"
                  "\tcontent backup,images,iso,rootdir,snippets,vztmpl\n"
                  "\tprune-backups keep-all=1\n"
                  "\n");
    auto again = storage::parse_storage_config(*out);
    for (auto* c : {&cfg, &again})
        for (auto& e : c->entries)
            e.line = 0; // the synthesized local now has a line of its own
    CHECK(again.entries == cfg.entries);
    CHECK(storage::render_storage_config(again).value() == *out);

    SUBCASE("a file-defined local keeps its content, another local is replaced") {
        auto own = storage::parse_storage_config("dir: local\n\tpath /var/lib/vz\n\tcontent "
                                                 "iso,vztmpl,backup\n\tnodes pve1\n");
        CHECK_FALSE(own.entries[0].has_content("rootdir"));
        CHECK_FALSE(own.entries[0].option("nodes"));
        auto other = storage::parse_storage_config("lvmthin: local\n\tvgname pve\n");
        REQUIRE(other.entries.size() == 1);
        CHECK(other.entries[0].type == "dir");
        CHECK(other.entries[0].has_content("rootdir"));
        auto moved = storage::parse_storage_config("dir: local\n\tpath /srv\n");
        CHECK(moved.entries[0].path() == "/var/lib/vz");
    }
    SUBCASE("a line feed in a value is refused") {
        cfg.entries[0].options["content"] = "images\nrootdir";
        auto bad = storage::render_storage_config(cfg);
        REQUIRE_FALSE(bad.has_value());
        CHECK(bad.error().message == "property 'content' contains a line feed");
        CHECK(bad.error().key == "content");
    }
}

TEST_CASE("storages: lookups and refusals with Proxmox's texts") {
    StorageHost h("dir: local\n\tpath /var/lib/vz\n\n"
                  "dir: off\n\tpath /srv/off\n\tdisable\n\n"
                  "dir: far\n\tpath /srv/far\n\tnodes no-such-node-here\n\n"
                  "lvmthin: thin\n\tvgname pve\n\tthinpool data\n\n"
                  "dir: tmpl\n\tpath /srv/tmpl\n\tcontent vztmpl\n\n"
                  "dir: mnt\n\tpath /srv/mnt\n\tis_mountpoint yes\n");
    auto st = load(h);
    auto code_msg = [](const auto& r) {
        REQUIRE_FALSE(r.has_value());
        return std::pair{r.error().code, r.error().message};
    };
    CHECK(code_msg(st.entry("")) ==
          std::pair{Errc::invalid_argument, std::string("no storage ID specified")});
    CHECK(code_msg(st.entry("nope")) ==
          std::pair{Errc::not_found, std::string("storage 'nope' does not exist")});
    CHECK(code_msg(st.backend("off")) ==
          std::pair{Errc::bad_state, std::string("storage 'off' is disabled")});
    CHECK(
        code_msg(st.backend("far")).second.starts_with("storage 'far' is not available on node '"));
    CHECK(code_msg(st.backend("thin")) ==
          std::pair{Errc::unsupported,
                    std::string("storage type 'lvmthin' is not supported by this build")});
    CHECK(code_msg(st.alloc("thin", Vmid{100}, storage::VolumeFormat::raw, 1024)).second ==
          "storage type 'lvmthin' is not supported by this build");
    CHECK(code_msg(st.backend("mnt")).second ==
          "unable to activate storage 'mnt' - directory is expected to be a mount point but is "
          "not mounted: '" +
              h.path("/srv/mnt") + "'");
    CHECK(code_msg(st.parse_volume("x:100/vm-100-disk-0.raw")).second ==
          "unable to parse volume ID 'x:100/vm-100-disk-0.raw'");
    CHECK(code_msg(st.parse_volume("local:100/vm-100-disk-0")).second ==
          "unable to parse volume filename 'vm-100-disk-0'");
    CHECK(code_msg(st.parse_volume("local:rootdir/100")).second ==
          "unable to parse directory volume name 'rootdir/100'");
    CHECK(code_msg(st.path("local:100/vm-100-disk-9.raw")) ==
          std::pair{Errc::not_found,
                    std::string("volume 'local:100/vm-100-disk-9.raw' does not exist")});
    CHECK(code_msg(storage::alloc_ct_disk(st, Vmid{100}, "tmpl", 0, 0, 0)) ==
          std::pair{Errc::unsupported,
                    std::string("content type 'rootdir' is not available or configured on "
                                "storage 'tmpl'")});

    auto v = st.parse_volume("local:100/base-100-disk-0.raw/101/vm-101-disk-0.qcow2").value();
    CHECK(v.owner == Vmid{101});
    CHECK(v.base_vmid == Vmid{100});
    CHECK(v.base_name == "base-100-disk-0.raw");
    CHECK(v.format == storage::VolumeFormat::qcow2);
    auto b = st.parse_volume("local:backup/vzdump-lxc-105-2024_01_02-03_04_05.tar.zst").value();
    CHECK(b.vtype == "backup");
    CHECK(b.owner == Vmid{105});
    CHECK(st.parse_volume("local:vztmpl/x.TAR.ZST").value().vtype == "vztmpl");
    CHECK_FALSE(st.parse_volume("local:vztmpl/x.tar.lzo"));
    CHECK(st.parse_volume("local:snippets/hook.pl").value().vtype == "snippets");
    CHECK(code_msg(st.parse_volume("local:snippets/..")).second ==
          "unable to parse directory volume name 'snippets/..'");
    CHECK_FALSE(st.parse_volume("local:100/../x.raw"));
}

TEST_CASE("dir: activation creates the content directories") {
    StorageHost h("dir: local\n\tpath /var/lib/vz\n\tcontent images,rootdir,vztmpl,iso,"
                  "snippets\n\n"
                  "dir: bare\n\tpath /srv/bare\n\tcontent rootdir\n\tcreate-subdirs 0\n\n"
                  "dir: twice\n\tpath /srv/twice\n\tcontent iso,images\n"
                  "\tcontent-dirs iso=images\n");
    auto st = load(h);
    REQUIRE(st.backend("local"));
    for (const char* sub :
         {"images", "private", "template/cache", "template/iso", "dump", "snippets"})
        CHECK_MESSAGE(fs::is_directory(h.path("/var/lib/vz/") + sub), sub);
    REQUIRE(st.backend("bare"));
    CHECK(fs::is_directory(h.path("/srv/bare")));
    CHECK_FALSE(fs::exists(h.path("/srv/bare/images")));
    auto twice = st.backend("twice");
    REQUIRE_FALSE(twice);
    CHECK(twice.error().message == "storage 'twice' uses directory " + h.path("/srv/twice/images") +
                                       " for multiple content types");
}

TEST_CASE("dir: raw and subvol allocation, listing, size, resize and free") {
    StorageHost h("dir: local\n\tpath /var/lib/vz\n\n"
                  "dir: fat\n\tpath /srv/fat\n\tpreallocation falloc\n");
    auto st = load(h);
    using storage::VolumeFormat;
    auto raw = st.alloc("local", Vmid{100}, VolumeFormat::raw, 4096);
    REQUIRE(raw.has_value());
    CHECK(*raw == "local:100/vm-100-disk-0.raw");
    const std::string raw_path = h.path("/var/lib/vz/images/100/vm-100-disk-0.raw");
    CHECK(st.path(*raw).value() == raw_path);
    struct stat sb {};
    REQUIRE(::stat(raw_path.c_str(), &sb) == 0);
    CHECK(sb.st_size == 4 << 20);
    CHECK(sb.st_blocks == 0); // sparse
    CHECK((sb.st_mode & 07777) == 0640);
    REQUIRE(::stat(h.path("/var/lib/vz/images/100").c_str(), &sb) == 0);
    CHECK((sb.st_mode & 07777) == 0740); // Proxmox's umask 0037

    // Disk numbers are shared across prefixes and formats (§2.5).
    auto sub = st.alloc("local", Vmid{100}, VolumeFormat::subvol, 0);
    REQUIRE(sub.has_value());
    CHECK(*sub == "local:100/subvol-100-disk-1.subvol");
    REQUIRE(::stat(st.path(*sub).value().c_str(), &sb) == 0);
    CHECK(S_ISDIR(sb.st_mode));
    CHECK((sb.st_mode & 07777) == 0755);

    auto listed = st.list("local", Vmid{100}).value();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].volid == *sub);
    CHECK(listed[0].format == VolumeFormat::subvol);
    CHECK(listed[0].size == 0);
    CHECK(listed[1].volid == *raw);
    CHECK(listed[1].size == 4 << 20);
    CHECK(st.list("local", Vmid{101}).value().empty());

    CHECK(st.size(*raw).value() == storage::VolumeSize{4 << 20, VolumeFormat::raw, 0});
    CHECK(st.size(*sub).value().format == VolumeFormat::subvol);

    REQUIRE(st.resize(*raw, 8 << 20));
    CHECK(st.size(*raw).value().size == 8 << 20);
    auto shrink = st.resize(*raw, 1 << 20);
    REQUIRE_FALSE(shrink);
    CHECK(shrink.error().message == "unable to shrink disk size");
    CHECK(st.resize(*raw, 8 << 20).error().message == "disk is already at specified size");
    CHECK(st.resize(*sub, 8 << 20).error().message == "can't resize this image format");

    SUBCASE("bad allocations") {
        auto exists = st.alloc_named("local", Vmid{100}, VolumeFormat::raw, "vm-100-disk-0.raw", 1);
        REQUIRE_FALSE(exists);
        CHECK(exists.error().code == Errc::already_exists);
        CHECK(exists.error().message == "disk image '" + raw_path + "' already exists");
        auto ext = st.alloc_named("local", Vmid{100}, VolumeFormat::raw, "vm-100-disk-5.qcow2", 1);
        CHECK(ext.error().message ==
              "illegal name 'vm-100-disk-5.qcow2' - wrong extension for format ('qcow2 != 'raw')");
        auto illegal = st.alloc_named("local", Vmid{100}, VolumeFormat::raw, "../x.raw", 1);
        REQUIRE_FALSE(illegal);
        CHECK(illegal.error().code == Errc::invalid_argument);
        auto quota = st.alloc("local", Vmid{100}, VolumeFormat::subvol, 1024);
        CHECK(quota.error().message == "storage does not support subvol quotas");
        auto q = st.alloc("local", Vmid{100}, VolumeFormat::qcow2, 1024);
        CHECK(q.error().code == Errc::unsupported);
    }
    SUBCASE("preallocation falloc allocates the blocks") {
        auto fat = st.alloc("fat", Vmid{100}, VolumeFormat::raw, 1024).value();
        CHECK(fat == "fat:100/vm-100-disk-0.raw");
        CHECK(st.size(fat).value().used >= 1 << 20);
    }
    SUBCASE("free removes the volumes and the empty owner directory") {
        REQUIRE(st.free(*raw));
        CHECK_FALSE(fs::exists(raw_path));
        CHECK(fs::exists(h.path("/var/lib/vz/images/100")));
        REQUIRE(st.free(*sub));
        CHECK_FALSE(fs::exists(h.path("/var/lib/vz/images/100")));
        CHECK(st.free(*raw)); // already gone: only a warning in Proxmox
        CHECK(fs::exists(st.lock_path("local")));
        CHECK(st.lock_path("local") == h.path("/var/lock/pve-manager/pve-storage-local"));
    }
    SUBCASE("create_base renames vm- to base- and protects the file") {
        auto base = st.create_base(*raw);
        REQUIRE(base.has_value());
        CHECK(*base == "local:100/base-100-disk-0.raw");
        REQUIRE(::stat(st.path(*base).value().c_str(), &sb) == 0);
        CHECK((sb.st_mode & 07777) == 0444);
        CHECK(st.create_base(*base).error().message == "create_base not possible with base image");
        REQUIRE(st.free(*base));
        CHECK_FALSE(fs::exists(h.path("/var/lib/vz/images/100/base-100-disk-0.raw")));
    }
}

TEST_CASE("dir: feature table for container volumes") {
    StorageHost h("");
    auto st = load(h);
    using storage::Feature;
    const std::string raw = "local:100/vm-100-disk-0.raw";
    const std::string base = "local:100/base-100-disk-0.raw";
    const std::string sub = "local:100/subvol-100-disk-0.subvol";
    CHECK_FALSE(st.has_feature(Feature::snapshot, raw));
    CHECK_FALSE(st.has_feature(Feature::snapshot, sub));
    CHECK_FALSE(st.has_feature(Feature::clone, base));
    CHECK_FALSE(st.has_feature(Feature::clone, raw));
    CHECK(st.has_feature(Feature::template_, raw));
    CHECK(st.has_feature(Feature::template_, sub));
    CHECK_FALSE(st.has_feature(Feature::template_, base));
    CHECK(st.has_feature(Feature::copy, raw));
    CHECK(st.has_feature(Feature::copy, base));
    CHECK_FALSE(st.has_feature(Feature::copy, sub));
    CHECK(st.has_feature(Feature::sparseinit, raw));
    CHECK(st.has_feature(Feature::rename, raw));
    CHECK_FALSE(st.has_feature(Feature::rename, base));
    CHECK_FALSE(st.has_feature(Feature::replicate, raw));
    CHECK_FALSE(st.has_feature(Feature::snapshot, "bogus"));
    CHECK_FALSE(st.has_feature(Feature::template_, "thin:vm-100-disk-0"));
    auto snap = st.snapshot(raw, "s1");
    REQUIRE_FALSE(snap);
    CHECK(snap.error().message == "can't snapshot this image format");
}

TEST_CASE("alloc_ct_disk: raw ext4 owned by the mapped root and subvol chowned") {
    if (::geteuid() != 0) {
        MESSAGE("SKIP: alloc_ct_disk needs root (chown)");
        return;
    }
    StorageHost h("");
    auto st = load(h);
    auto raw = storage::alloc_ct_disk(st, Vmid{100}, "local", 64 * 1024, 100000, 100000);
    REQUIRE_MESSAGE(raw.has_value(), (raw ? "" : raw.error().message));
    CHECK(*raw == "local:100/vm-100-disk-0.raw");
    const std::string file = st.path(*raw).value();
    const std::string stat_out = run("debugfs -R 'stat /' " + file + " 2>/dev/null");
    CHECK_MESSAGE(stat_out.find("User: 100000   Group: 100000") != std::string::npos, stat_out);
    const std::string features = run("dumpe2fs -h " + file + " 2>/dev/null");
    CHECK(features.find(" mmp") != std::string::npos);
    CHECK(fs::file_size(file) == 64 << 20);

    auto sub = storage::alloc_ct_disk(st, Vmid{100}, "local", 0, 100000, 100001);
    REQUIRE(sub.has_value());
    CHECK(*sub == "local:100/subvol-100-disk-1.subvol");
    struct stat sb {};
    REQUIRE(::stat(st.path(*sub).value().c_str(), &sb) == 0);
    CHECK(sb.st_uid == 100000);
    CHECK(sb.st_gid == 100001);

    SUBCASE("a failed mkfs frees the volume again") {
        // 64 KiB is too small for an ext4 with a journal: mkfs fails.
        auto tiny = storage::alloc_ct_disk(st, Vmid{100}, "local", 16, 0, 0);
        REQUIRE_FALSE(tiny);
        CHECK(tiny.error().message.starts_with("command 'mkfs.ext4 -O mmp -E root_owner=0:0 "));
        CHECK_FALSE(fs::exists(h.path("/var/lib/vz/images/100/vm-100-disk-2.raw")));
    }
}

TEST_CASE("storages: alloc waits for the storage lock") {
    StorageHost h("");
    auto st = load(h);
    REQUIRE(st.backend("local"));
    REQUIRE(storage::make_dirs(h.path("/var/lock/pve-manager")));
    auto held = storage::FileLock::acquire(st.lock_path("local"), std::chrono::seconds(1));
    REQUIRE(held.has_value());
    std::atomic<bool> done{false};
    std::string volid;
    std::thread other([&] {
        auto r = st.alloc("local", Vmid{100}, storage::VolumeFormat::subvol, 0);
        volid = r ? *r : r.error().message;
        done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_FALSE(done.load());
    CHECK_FALSE(fs::exists(h.path("/var/lib/vz/images/100/subvol-100-disk-0.subvol")));
    held->release();
    other.join();
    CHECK(volid == "local:100/subvol-100-disk-0.subvol");
}

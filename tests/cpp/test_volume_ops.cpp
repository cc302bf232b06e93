// SPDX-License-Identifier: AGPL-3.0-or-later
// The volume operations on real files and loop devices (root): resize of a stopped CT's raw
// volume (file and ext4 grown), their refusals with Proxmox's texts, rescan adopting an orphan,
// fsck, move-volume between two dir storages with the data kept, and destroy freeing the
// volumes the CT owns and nothing else. Containers that run are in test_volume_running.cpp.
#include "btrfs_loop.hpp"
#include "shell.hpp"
#include "storage_host.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iterator>
#include <sstream>
#include <unistd.h>

using namespace pct;
namespace fs = std::filesystem;
using pct::test::sh;

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

bool skip() {
    if (::geteuid() == 0)
        return false;
    static bool said = false;
    if (!said)
        MESSAGE("SKIP volume_ops: needs root (loop devices, mounts)");
    said = true;
    return true;
}

// A host with `local` (dir, /var/lib/vz) and `other` (dir, /srv/other), both for containers.
struct Env {
    test::StorageHost sh{"dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl\n\n"
                         "dir: other\n\tpath /srv/other\n\tcontent rootdir,images\n"};
    const storage::Host& host() const { return sh.host(); }

    std::string alloc(Vmid vmid, std::string_view store, std::uint64_t size_kib) const {
        auto storages = storage::Storages::load(host());
        REQUIRE(storages);
        auto volid = storage::alloc_ct_disk(*storages, vmid, store, size_kib, 0, 0);
        REQUIRE_MESSAGE(volid, (volid ? "" : volid.error().message));
        return *volid;
    }
    std::string path(std::string_view volid) const {
        auto storages = storage::Storages::load(host());
        REQUIRE(storages);
        auto p = storages->path(volid);
        REQUIRE(p);
        return *p;
    }
    void write_config(Vmid vmid, const std::string& text) const {
        test::write_text(host().config_path(vmid), text);
    }
    std::string config(Vmid vmid) const { return test::read_text(host().config_path(vmid)); }
};

// Bytes of the ext4 file system in an image (block count x block size from dumpe2fs).
std::uint64_t ext4_bytes(const std::string& image) {
    auto r = sh(fmt::format("dumpe2fs -h '{}' 2>/dev/null | awk -F: '/^Block count/ {{c=$2}} "
                            "/^Block size/ {{s=$2}} END {{print c*s}}'",
                            image));
    REQUIRE(r.status == 0);
    return std::stoull(r.out);
}

// Runs `script` with the raw image mounted at $M, in a mount namespace of its own.
test::CommandResult in_image(const std::string& image, const std::string& script) {
    test::TempDir mnt("pct-vol-mnt");
    return sh(fmt::format("unshare -m --propagation private sh -c 'mount -o loop \"$0\" \"$1\" "
                          "&& M=\"$1\" && {}' '{}' '{}'",
                          script, image, mnt.path()));
}

template <class T> void check_error(const Result<T>& r, Errc code, const std::string& message) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == code);
    CHECK(r.error().message == message);
}

} // namespace

TEST_CASE("volume ops: resize grows a stopped raw volume and its ext4") {
    if (skip())
        return;
    Env env;
    Vmid id{910001};
    auto vol = env.alloc(id, "local", 64 * 1024);
    env.write_config(id, fmt::format("hostname: t\nrootfs: {},size=64M\n", vol));
    auto r = runtime::resize(env.host(), id, "rootfs", "+32M");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->new_size == 96 * mib);
    CHECK(r->warnings.empty());
    CHECK(fs::file_size(env.path(vol)) == 96 * mib);
    CHECK(ext4_bytes(env.path(vol)) == 96 * mib);
    CHECK(env.config(id) == fmt::format("hostname: t\nrootfs: {},size=96M\n", vol));
    // An absolute size; no unit is bytes.
    REQUIRE(runtime::resize(env.host(), id, "rootfs", "128M"));
    CHECK(ext4_bytes(env.path(vol)) == 128 * mib);
    check_error(runtime::resize(env.host(), id, "rootfs", "10"), Errc::invalid_argument,
                "unable to shrink disk size");
    check_error(runtime::resize(env.host(), id, "rootfs", "128M"), Errc::invalid_argument,
                "disk is already at specified size");
    check_error(runtime::resize(env.host(), id, "rootfs", "+0"), Errc::invalid_argument,
                "disk is already at specified size");
    CHECK(env.config(id) == fmt::format("hostname: t\nrootfs: {},size=128M\n", vol));
}

TEST_CASE("volume ops: resize refusals with Proxmox's texts") {
    if (skip())
        return;
    Env env;
    Vmid id{910002};
    Vmid other{910003};
    auto sub = env.alloc(id, "local", 0);
    auto foreign = env.alloc(other, "local", 16 * 1024);
    fs::create_directories(env.sh.path("/srv/bind"));
    const std::string text = fmt::format("rootfs: {},size=0T\nmp0: {},mp=/f,size=16M\n"
                                         "mp1: /srv/bind,mp=/b\n",
                                         sub, foreign);
    env.write_config(id, text);
    check_error(runtime::resize(env.host(), id, "rootfs", "+1G"), Errc::unsupported,
                "can't resize this image format");
    check_error(runtime::resize(env.host(), id, "mp0", "+1G"), Errc::invalid_argument,
                "can't resize mount point owned by another container (910003)");
    check_error(runtime::resize(env.host(), id, "mp1", "+1G"), Errc::invalid_argument,
                "unable to parse volume ID '/srv/bind'");
    check_error(runtime::resize(env.host(), id, "mp7", "+1G"), Errc::not_found,
                "disk 'mp7' does not exist");
    auto bad_key = runtime::resize(env.host(), id, "net0", "+1G");
    REQUIRE_FALSE(bad_key);
    CHECK(bad_key.error().key == "disk");
    auto bad_size = runtime::resize(env.host(), id, "rootfs", "1GB");
    REQUIRE_FALSE(bad_size);
    CHECK(bad_size.error().key == "size");
    auto stale = runtime::resize(env.host(), id, "rootfs", "+1G", {.digest = std::string(40, '0')});
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == Errc::digest_mismatch);
    env.write_config(id, text + "lock: backup\n");
    check_error(runtime::resize(env.host(), id, "mp0", "+1G"), Errc::bad_state,
                "CT is locked (backup)");
}

TEST_CASE("volume ops: rescan adopts an orphan and updates sizes") {
    if (skip())
        return;
    Env env;
    Vmid id{910004};
    auto root = env.alloc(id, "local", 16 * 1024);
    auto orphan = env.alloc(id, "other", 8 * 1024);
    const std::string text = fmt::format("rootfs: {},size=1G\n", root);
    env.write_config(id, text);
    auto dry = runtime::rescan(env.host(), {.vmid = id, .dryrun = true});
    REQUIRE_MESSAGE(dry, (dry ? "" : dry.error().message));
    CHECK(*dry ==
          std::vector<std::string>{
              "NOTE: running in dry-run mode, won't write changes out!", "rescan volumes...",
              fmt::format("CT {}: add unreferenced volume '{}' as 'unused0' to config.", id.value,
                          orphan),
              fmt::format("CT {}: updated volume size of '{}' in config.", id.value, root)});
    CHECK(env.config(id) == text);
    auto done = runtime::rescan(env.host(), {.vmid = id});
    REQUIRE(done);
    CHECK(done->size() == 3);
    CHECK(env.config(id) == fmt::format("rootfs: {},size=16M\nunused0: {}\n", root, orphan));
    auto again = runtime::rescan(env.host(), {.vmid = id});
    REQUIRE(again);
    CHECK(*again == std::vector<std::string>{"rescan volumes..."});
    // A locked CT stops the rescan, as Proxmox's check_lock.
    env.write_config(id, env.config(id) + "lock: backup\n");
    check_error(runtime::rescan(env.host(), {}), Errc::bad_state, "CT is locked (backup)");
}

TEST_CASE("volume ops: fsck of a stopped CT") {
    if (skip())
        return;
    Env env;
    Vmid id{910005};
    auto root = env.alloc(id, "local", 16 * 1024);
    auto sub = env.alloc(id, "local", 0);
    fs::create_directories(env.sh.path("/srv/plain"));
    env.write_config(
        id, fmt::format("rootfs: {},size=16M\nmp0: {},mp=/s\nmp1: /srv/plain,mp=/p\n", root, sub));
    auto ok = runtime::fsck(env.host(), id, {.device = "rootfs", .force = true});
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    // e2fsck's summary line names the image: "<path>: 11/4096 files ..., .../16384 blocks".
    CHECK(ok->find(env.path(root) + ": ") != std::string::npos);
    check_error(runtime::fsck(env.host(), id, {.device = "mp0"}), Errc::unsupported,
                fmt::format("unable to run fsck for '{}' (format == subvol)", sub));
    check_error(runtime::fsck(env.host(), id, {.device = "mp1"}), Errc::invalid_argument,
                "path '/srv/plain' does not point to a block device");
    check_error(runtime::fsck(env.host(), id, {.device = "mp9"}), Errc::not_found,
                "cannot run command on non-existing mount point mp9");
}

TEST_CASE("volume ops: move-volume between dir storages keeps the data") {
    if (skip())
        return;
    Env env;
    Vmid id{910006};
    auto root = env.alloc(id, "local", 32 * 1024);
    auto sub = env.alloc(id, "local", 0);
    test::write_text(env.path(sub) + "/hello", "subvol data\n");
    REQUIRE(in_image(env.path(root), "echo raw data > \"$M/hello\" && mkdir \"$M/d\"").status == 0);
    env.write_config(id, fmt::format("rootfs: {},size=32M\nmp0: {},mp=/srv,size=0T\n", root, sub));

    auto moved = runtime::move_volume(env.host(), id, "rootfs", {.storage = "other"});
    REQUIRE_MESSAGE(moved, (moved ? "" : moved.error().message));
    CHECK(moved->new_volume.starts_with("other:910006/vm-910006-disk-"));
    CHECK(moved->unused_key == "unused0");
    auto conf = env.config(id);
    // The entry is edited in place; the new unused0 goes where Proxmox's sorted writer puts it.
    CHECK(conf == fmt::format("rootfs: {},size=32M\nmp0: {},mp=/srv,size=0T\nunused0: {}\n",
                              moved->new_volume, sub, root));
    auto seen = in_image(env.path(moved->new_volume), "cat \"$M/hello\" && test -d \"$M/d\"");
    CHECK(seen.status == 0);
    CHECK(seen.out == "raw data\n");
    CHECK(fs::exists(env.path(root))); // kept as unused0

    // A subvol moves to a subvol; --delete frees the source.
    auto sub_moved =
        runtime::move_volume(env.host(), id, "mp0", {.storage = "other", .delete_source = true});
    REQUIRE_MESSAGE(sub_moved, (sub_moved ? "" : sub_moved.error().message));
    CHECK(sub_moved->unused_key.empty());
    CHECK(test::read_text(env.path(sub_moved->new_volume) + "/hello") == "subvol data\n");
    CHECK_FALSE(
        fs::exists(env.sh.path("/var/lib/vz/images/910006/" + sub.substr(sub.rfind('/') + 1))));
    CHECK(env.config(id).find("lock:") == std::string::npos);

    check_error(runtime::move_volume(env.host(), id, "unused0", {.storage = "local"}),
                Errc::invalid_argument,
                "cannot move volume 'unused0', only configured volumes can be moved to another "
                "storage");
    check_error(runtime::move_volume(env.host(), id, "rootfs", {}), Errc::invalid_argument,
                "both 'storage' and 'target-vmid' missing, either needs to be set");
    check_error(runtime::move_volume(env.host(), id, "rootfs",
                                     {.storage = "local", .target_vmid = Vmid{101}}),
                Errc::invalid_argument, "either set 'storage' or 'target-vmid', but not both");
    // A failed copy (unknown target storage) frees nothing of the source and drops the lock.
    auto before = env.config(id);
    auto bad = runtime::move_volume(env.host(), id, "rootfs", {.storage = "nowhere"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "storage 'nowhere' does not exist");
    CHECK(env.config(id) == before);
}

TEST_CASE("volume ops: destroy frees owned volumes only") {
    if (skip())
        return;
    Env env;
    Vmid id{910007};
    Vmid other{910008};
    auto root = env.alloc(id, "local", 16 * 1024);
    auto mp = env.alloc(id, "other", 0);
    auto unused = env.alloc(id, "local", 8 * 1024);
    auto foreign = env.alloc(other, "local", 8 * 1024);
    std::string bind = env.sh.path("/srv/bind-src");
    fs::create_directories(bind);
    test::write_text(bind + "/keep", "host data\n");
    env.write_config(id,
                     fmt::format("rootfs: {},size=16M\nmp0: {},mp=/a,size=0T\n"
                                 "mp1: /srv/bind-src,mp=/b\nmp2: {},mp=/c,shared=1\nunused0: {}\n",
                                 root, mp, foreign, unused));
    std::vector<std::string> owned_paths{env.path(root), env.path(mp), env.path(unused)};
    std::string foreign_path = env.path(foreign);
    auto ct = runtime::Container::open(env.host(), id);
    REQUIRE(ct);
    auto done = ct->destroy();
    REQUIRE_MESSAGE(done, (done ? "" : done.error().message));
    for (const auto& p : owned_paths) {
        CAPTURE(p);
        CHECK_FALSE(fs::exists(p));
    }
    CHECK_FALSE(fs::exists(env.sh.path("/var/lib/vz/images/910007")));
    CHECK(fs::exists(foreign_path));
    CHECK(test::read_text(bind + "/keep") == "host data\n");
    CHECK_FALSE(fs::exists(env.host().config_path(id)));
}

TEST_CASE("volume ops: df and fstrim of a stopped CT through the CLI") {
    if (skip())
        return;
    Env env;
    Vmid id{910009};
    auto root = env.alloc(id, "local", 32 * 1024);
    auto data = env.alloc(id, "other", 16 * 1024);
    std::string bind = env.sh.path("/srv/bind-df");
    fs::create_directories(bind);
    env.write_config(id, fmt::format("hostname: d\nrootfs: {},size=32M\nmp0: {},mp=/data,size=16M\n"
                                     "mp1: /srv/bind-df,mp=/b,ro=1\n",
                                     root, data));
    const std::string before = env.config(id);
    // The CLI runs in a mount namespace of its own, so a failing check leaves no mount behind.
    auto pct = [&](const std::string& args) {
        return sh(fmt::format("unshare -m --propagation private '{}' --root '{}' {} 2>&1", PCT_CLI,
                              env.sh.root(), args));
    };
    auto df = pct(fmt::format("df {}", id.value));
    REQUIRE_MESSAGE(df.status == 0, df.out);
    std::istringstream lines(df.out);
    std::string header, rootfs, mp0, mp1, rest;
    std::getline(lines, header);
    std::getline(lines, rootfs);
    std::getline(lines, mp0);
    std::getline(lines, mp1);
    CHECK_FALSE(std::getline(lines, rest));
    CHECK(header.starts_with("MP     Volume"));
    std::istringstream words(header);
    std::vector<std::string> columns{std::istream_iterator<std::string>(words), {}};
    CHECK(columns ==
          std::vector<std::string>{"MP", "Volume", "Size", "Used", "Avail", "Use%", "Path"});
    CHECK(rootfs.starts_with("rootfs " + root + " "));
    CHECK(rootfs.ends_with(" /"));
    CHECK(mp0.starts_with("mp0    " + data + " "));
    CHECK(mp0.ends_with(" /data"));
    CHECK(mp0.find("M ") != std::string::npos); // a 16 MiB file system in MiB
    CHECK(mp1.starts_with("mp1    /srv/bind-df "));
    CHECK(env.config(id) == before); // `lock: mounted` set for the call only

    // --output-format: the table's rows as objects, sizes in bytes (stdout only).
    auto json_df = sh(fmt::format("unshare -m --propagation private '{}' --root '{}' df {} "
                                  "--output-format json 2>/dev/null",
                                  PCT_CLI, env.sh.root(), id.value));
    REQUIRE(json_df.status == 0);
    auto rows = nlohmann::json::parse(json_df.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["mp"] == "rootfs");
    CHECK(rows[0]["volume"] == root);
    CHECK(rows[0]["path"] == "/");
    CHECK(rows[1]["mp"] == "mp0");
    CHECK(rows[1]["path"] == "/data");
    CHECK(rows[1]["size"].get<std::uint64_t>() > 8u * 1024 * 1024);
    CHECK(rows[1]["size"].get<std::uint64_t>() <= 16u * 1024 * 1024);
    CHECK(rows[1]["used"].get<std::uint64_t>() <= rows[1]["size"].get<std::uint64_t>());
    CHECK(rows[1]["use"].get<double>() < 1.0);
    CHECK(rows[2]["volume"] == "/srv/bind-df");
    CHECK(env.config(id) == before);

    auto trim = pct(fmt::format("fstrim {}", id.value));
    REQUIRE_MESSAGE(trim.status == 0, trim.out);
    CHECK(trim.out.find("/rootfs/: ") != std::string::npos);
    CHECK(trim.out.find("/rootfs/data: ") != std::string::npos);
    CHECK(trim.out.find("/rootfs/b") == std::string::npos); // bind and read-only: skipped
    auto only_root = pct(fmt::format("fstrim {} --ignore-mountpoints", id.value));
    REQUIRE_MESSAGE(only_root.status == 0, only_root.out);
    CHECK(only_root.out.find("/rootfs/data") == std::string::npos);
    CHECK(env.config(id) == before);

    // The other volume commands with Proxmox's arguments and messages.
    auto dry = pct(fmt::format("rescan --vmid {} --dryrun", id.value));
    CHECK(dry.status == 0);
    CHECK(dry.out ==
          "NOTE: running in dry-run mode, won't write changes out!\nrescan volumes...\n");
    auto shrink = pct(fmt::format("resize {} rootfs 10", id.value));
    CHECK(shrink.status == 255);
    CHECK(shrink.out == "unable to shrink disk size\n");
    auto grow = pct(fmt::format("resize {} mp0 +1M", id.value));
    CHECK_MESSAGE(grow.status == 0, grow.out);
    CHECK(env.config(id).find(data + ",mp=/data,size=17M\n") != std::string::npos);
    auto unused = pct(fmt::format("move-volume {} unused0 local", id.value));
    CHECK(unused.status == 255);
    CHECK(unused.out == "cannot move volume 'unused0', only configured volumes can be moved to "
                        "another storage\n");
    auto nokey = pct(fmt::format("fsck {} --device mp9", id.value));
    CHECK(nokey.status == 255);
    CHECK(nokey.out == "cannot run command on non-existing mount point mp9\n");
    auto moved = pct(fmt::format("move-volume {} mp0 local --delete", id.value));
    CHECK_MESSAGE(moved.status == 0, moved.out);
    CHECK(env.config(id).find("mp0: local:") != std::string::npos);
    CHECK(env.config(id).find("unused") == std::string::npos);
    // The copy's progress on stderr: without a terminal one plain line at the end, on a
    // terminal (script(1) gives a pty) a line redrawn with '\r', nothing with --quiet.
    CHECK(moved.out.find("copy: ") != std::string::npos);
    CHECK(moved.out.find(" in ") != std::string::npos);
    CHECK(moved.out.find('\r') == std::string::npos);
    auto quiet = pct(fmt::format("move-volume {} mp0 local --delete --quiet", id.value));
    CHECK_MESSAGE(quiet.status == 0, quiet.out);
    CHECK(quiet.out.empty());
    auto tty = sh(fmt::format("script -qec \"unshare -m --propagation private '{}' --root '{}' "
                              "move-volume {} mp0 local --delete\" /dev/null",
                              PCT_CLI, env.sh.root(), id.value));
    CHECK_MESSAGE(tty.status == 0, tty.out);
    CHECK(tty.out.find("\rcopy: ") != std::string::npos);
    CHECK(tty.out.find("\x1b[K") != std::string::npos);

    const std::string now = env.config(id);
    env.write_config(id, now + "lock: backup\n");
    auto locked = pct(fmt::format("df {}", id.value));
    CHECK(locked.status == 255);
    CHECK(locked.out == "CT is locked (backup)\n");
}

TEST_CASE("volume ops: move-volume dir to btrfs and back, resize and rescan on btrfs") {
    if (skip())
        return;
    test::StorageHost sh("dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n\n"
                         "btrfs: bt\n\tpath /srv/bt\n\tcontent rootdir,images\n");
    test::BtrfsLoop btrfs(sh.path("/srv/bt"));
    if (!btrfs.available()) {
        MESSAGE("SKIP btrfs part: " << btrfs.why());
        return;
    }
    const storage::Host& host = sh.host();
    Vmid id{910010};
    auto storages = storage::Storages::load(host);
    REQUIRE(storages);
    auto root = storage::alloc_ct_disk(*storages, id, "local", 32 * 1024, 0, 0);
    auto sub = storage::alloc_ct_disk(*storages, id, "local", 0, 0, 0);
    REQUIRE(root);
    REQUIRE(sub);
    auto path_of = [&](const std::string& volid) {
        auto s = storage::Storages::load(host);
        REQUIRE(s);
        auto p = s->path(volid);
        REQUIRE_MESSAGE(p, (p ? "" : p.error().message));
        return *p;
    };
    REQUIRE(in_image(path_of(*root), "echo on dir > \"$M/where\"").status == 0);
    test::write_text(path_of(*sub) + "/f", "subvol\n");
    test::write_text(host.config_path(id),
                     fmt::format("rootfs: {},size=32M\nmp0: {},mp=/m,size=0T\n", *root, *sub));

    auto to_btrfs = runtime::move_volume(host, id, "rootfs", {.storage = "bt"});
    REQUIRE_MESSAGE(to_btrfs, (to_btrfs ? "" : to_btrfs.error().message));
    CHECK(to_btrfs->new_volume.starts_with("bt:910010/vm-910010-disk-"));
    CHECK(to_btrfs->new_volume.ends_with(".raw"));
    CHECK(path_of(to_btrfs->new_volume).ends_with("/disk.raw")); // btrfs: NAME/disk.raw
    CHECK(in_image(path_of(to_btrfs->new_volume), "cat \"$M/where\"").out == "on dir\n");

    auto grown = runtime::resize(host, id, "rootfs", "+16M");
    REQUIRE_MESSAGE(grown, (grown ? "" : grown.error().message));
    CHECK(grown->warnings.empty());
    CHECK(ext4_bytes(path_of(to_btrfs->new_volume)) == 48 * mib);

    auto sub_to_btrfs = runtime::move_volume(host, id, "mp0", {.storage = "bt"});
    REQUIRE_MESSAGE(sub_to_btrfs, (sub_to_btrfs ? "" : sub_to_btrfs.error().message));
    CHECK(test::read_text(path_of(sub_to_btrfs->new_volume) + "/f") == "subvol\n");
    auto btrfs_sub = runtime::resize(host, id, "mp0", "+1G");
    REQUIRE_FALSE(btrfs_sub);
    CHECK(btrfs_sub.error().message ==
          "cannot resize subvolume - btrfs quotas are currently not supported");

    auto back =
        runtime::move_volume(host, id, "rootfs", {.storage = "local", .delete_source = true});
    REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
    CHECK(back->new_volume.starts_with("local:910010/vm-910010-disk-"));
    CHECK(in_image(path_of(back->new_volume), "cat \"$M/where\"").out == "on dir\n");
    CHECK_FALSE(fs::exists(btrfs.mount_point() + "/images/910010/" +
                           to_btrfs->new_volume.substr(to_btrfs->new_volume.rfind('/') + 1,
                                                       to_btrfs->new_volume.size() -
                                                           to_btrfs->new_volume.rfind('/') - 5)));

    // An orphan on the btrfs storage is adopted by rescan.
    auto orphan = storage::alloc_ct_disk(*storages, id, "bt", 8 * 1024, 0, 0);
    REQUIRE(orphan);
    auto scanned = runtime::rescan(host, {.vmid = id});
    REQUIRE_MESSAGE(scanned, (scanned ? "" : scanned.error().message));
    auto conf = test::read_text(host.config_path(id));
    CHECK(conf.find(": " + *orphan + "\n") != std::string::npos);
    // Everything the CT owns on both storages goes with it (btrfs subvolumes included).
    auto ct = runtime::Container::open(host, id);
    REQUIRE(ct);
    REQUIRE(ct->destroy());
    auto left = storage::Storages::load(host);
    REQUIRE(left);
    auto on_bt = left->list("bt", id);
    REQUIRE(on_bt);
    CHECK(on_bt->empty());
    auto on_local = left->list("local", id);
    REQUIRE(on_local);
    CHECK(on_local->empty());
}

TEST_CASE("volume ops: move-volume to another container") {
    if (skip())
        return;
    Env env;
    Vmid a{910011};
    Vmid b{910012};
    auto a_root = env.alloc(a, "local", 16 * 1024);
    auto a_data = env.alloc(a, "local", 16 * 1024);
    auto a_unused = env.alloc(a, "other", 8 * 1024);
    auto a_sub = env.alloc(a, "local", 0);
    auto b_root = env.alloc(b, "local", 16 * 1024);
    REQUIRE(in_image(env.path(a_data), "echo moved > \"$M/f\"").status == 0);
    fs::create_directories(env.sh.path("/srv/bind-mv"));
    env.write_config(a, fmt::format("rootfs: {},size=16M\nmp0: {},mp=/data,size=16M\n"
                                    "mp1: {},mp=/s,size=0T\nmp2: /srv/bind-mv,mp=/b\nunused0: {}\n",
                                    a_root, a_data, a_sub, a_unused));
    env.write_config(b, fmt::format("rootfs: {},size=16M\n", b_root));
    auto to = [&](Vmid target, std::optional<std::string> key = std::nullopt) {
        runtime::MoveVolumeOptions o;
        o.target_vmid = target;
        o.target_volume = std::move(key);
        return o;
    };

    auto moved = runtime::move_volume(env.host(), a, "mp0", to(b, "mp3"));
    REQUIRE_MESSAGE(moved, (moved ? "" : moved.error().message));
    CHECK(moved->new_volume.starts_with("local:910012/vm-910012-disk-"));
    CHECK(env.config(b) == fmt::format("rootfs: {},size=16M\nmp3: {},mp=/data,size=16M\n", b_root,
                                       moved->new_volume));
    CHECK(env.config(a).find("mp0:") == std::string::npos);
    CHECK(in_image(env.path(moved->new_volume), "cat \"$M/f\"").out == "moved\n");
    CHECK_FALSE(fs::exists(
        env.sh.path("/var/lib/vz/images/910011/" + a_data.substr(a_data.rfind('/') + 1))));

    auto unused = runtime::move_volume(env.host(), a, "unused0", to(b));
    REQUIRE_MESSAGE(unused, (unused ? "" : unused.error().message));
    CHECK(unused->new_volume.starts_with("other:910012/vm-910012-disk-"));
    CHECK(env.config(b).ends_with("unused0: " + unused->new_volume + "\n"));

    const std::string b_now = env.config(b);
    check_error(runtime::move_volume(env.host(), a, "rootfs", to(b, "mp4")), Errc::invalid_argument,
                "Cannot move to/from 'rootfs'");
    check_error(runtime::move_volume(env.host(), a, "mp1", to(b, "rootfs")), Errc::invalid_argument,
                "Cannot move to/from 'rootfs'");
    check_error(runtime::move_volume(env.host(), a, "mp1", to(b)), Errc::unsupported,
                "Storage does not support moving of this disk to another container");
    check_error(runtime::move_volume(env.host(), a, "mp2", to(b)), Errc::unsupported,
                "Storage does not support moving of this disk to another container");
    check_error(runtime::move_volume(env.host(), b, "mp3", to(a, "mp1")), Errc::already_exists,
                "Target volume key 'mp1' is already in use for container '910011'");
    check_error(runtime::move_volume(env.host(), a, "mp7", to(b)), Errc::not_found,
                "volume 'mp7' for container '910011' does not exist");
    check_error(runtime::move_volume(env.host(), a, "mp1", to(Vmid{910099})), Errc::not_found,
                "could not find CT 910099");
    check_error(runtime::move_volume(env.host(), a, "mp1", to(a, "mp5")), Errc::invalid_argument,
                "Moving a volume to the same container is not possible. Did you mean to move the "
                "volume to a different storage?");
    env.write_config(b, b_now + "template: 1\n");
    check_error(runtime::move_volume(env.host(), b, "mp3", to(a)), Errc::bad_state,
                "Can't move volumes from or to template CT");
    env.write_config(b, b_now);
    auto stale = to(b);
    stale.target_digest = std::string(40, '0');
    auto back = runtime::move_volume(env.host(), b, "mp3", to(a, "mp6"));
    REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
    CHECK(env.config(a).find("mp6: " + back->new_volume + ",mp=/data,size=16M\n") !=
          std::string::npos);
    auto digest = runtime::move_volume(env.host(), a, "mp6", stale);
    REQUIRE_FALSE(digest);
    CHECK(digest.error().code == Errc::digest_mismatch);
    CHECK(env.config(b) == b_now.substr(0, b_now.find("mp3:")) +
                               b_now.substr(b_now.find("\n", b_now.find("mp3:")) + 1));
}

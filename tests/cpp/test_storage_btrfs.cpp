// SPDX-License-Identifier: AGPL-3.0-or-later
// The btrfs backend on a real btrfs file system (a loop file): spec storage.md §2.3,
// §2.7-2.9, §7.1-7.2, §7.5-7.6.
#include <pct/storage/storages.hpp>

#include "btrfs_loop.hpp"
#include "storage_host.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
using pct::test::BtrfsLoop;
using pct::test::StorageHost;
using storage::VolumeFormat;
namespace fs = std::filesystem;

namespace {

const char* cfg = "btrfs: bt\n\tpath /mnt/bt\n\tnocow 1\n\n"
                  "btrfs: notbt\n\tpath /srv/plain\n";

bool is_subvolume(const std::string& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 && st.st_ino == 256;
}

std::string slurp(const std::string& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string& p, const std::string& text) { std::ofstream(p) << text; }

} // namespace

TEST_CASE("btrfs: raw and subvol volumes as subvolumes") {
    StorageHost h(cfg);
    BtrfsLoop loop(h.path("/mnt/bt"));
    if (!loop.available()) {
        MESSAGE(loop.why());
        return;
    }
    auto st = storage::Storages::load(h.host()).value();
    auto notbt = st.backend("notbt");
    REQUIRE_FALSE(notbt);
    CHECK(notbt.error().message == "'" + h.path("/srv/plain") + "' is not a btrfs file system");

    auto raw = st.alloc("bt", Vmid{100}, VolumeFormat::raw, 8192);
    REQUIRE_MESSAGE(raw.has_value(), (raw ? "" : raw.error().message));
    CHECK(*raw == "bt:100/vm-100-disk-0.raw");
    const std::string images = h.path("/mnt/bt/images/100");
    CHECK(is_subvolume(images + "/vm-100-disk-0"));
    CHECK(st.path(*raw).value() == images + "/vm-100-disk-0/disk.raw");
    CHECK(fs::file_size(images + "/vm-100-disk-0/disk.raw") == 8 << 20);
    int fd = ::open((images + "/vm-100-disk-0/disk.raw").c_str(), O_RDONLY | O_CLOEXEC);
    int flags = 0;
    CHECK(::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0);
    CHECK((flags & FS_NOCOW_FL) != 0); // `nocow 1`
    ::close(fd);

    auto sub = st.alloc("bt", Vmid{100}, VolumeFormat::subvol, 0).value();
    CHECK(sub == "bt:100/subvol-100-disk-1.subvol");
    CHECK(is_subvolume(images + "/subvol-100-disk-1.subvol"));

    auto sized = st.alloc("bt", Vmid{100}, VolumeFormat::subvol, 1024);
    REQUIRE_FALSE(sized);
    CHECK(sized.error().message ==
          "btrfs quotas are currently not supported, use an unsized subvolume or a raw file");
    auto exists = st.alloc_named("bt", Vmid{100}, VolumeFormat::raw, "vm-100-disk-0.raw", 1);
    REQUIRE_FALSE(exists);
    CHECK(exists.error().message == "disk image '" + images + "/vm-100-disk-0' already exists");

    auto listed = st.list("bt", Vmid{100}).value();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].volid == sub);
    CHECK(listed[0].size == 0);
    CHECK(listed[1].volid == *raw);
    CHECK(listed[1].size == 8 << 20);

    REQUIRE(st.resize(*raw, 16 << 20));
    CHECK(st.size(*raw).value().size == 16 << 20);
    CHECK(st.resize(sub, 1 << 20).error().message ==
          "cannot resize subvolume - btrfs quotas are currently not supported");

    REQUIRE(st.free(*raw));
    REQUIRE(st.free(sub));
    CHECK_FALSE(fs::exists(images));
}

TEST_CASE("btrfs: snapshot rollback and delete") {
    StorageHost h(cfg);
    BtrfsLoop loop(h.path("/mnt/bt"));
    if (!loop.available()) {
        MESSAGE(loop.why());
        return;
    }
    auto st = storage::Storages::load(h.host()).value();
    auto sub = st.alloc("bt", Vmid{200}, VolumeFormat::subvol, 0).value();
    const std::string dir = st.path(sub).value();
    spit(dir + "/state", "before");
    REQUIRE(st.snapshot(sub, "s1"));
    CHECK(is_subvolume(dir + "@s1"));
    CHECK(st.path(sub, "s1").value() == dir + "@s1");
    CHECK(slurp(dir + "@s1/state") == "before");
    std::ofstream(dir + "@s1/new").good(); // read-only snapshot
    CHECK_FALSE(fs::exists(dir + "@s1/new"));

    spit(dir + "/state", "after");
    REQUIRE(st.rollback(sub, "s1"));
    CHECK(slurp(dir + "/state") == "before");
    CHECK(is_subvolume(dir));
    CHECK(fs::exists(dir + "@s1"));
    // nothing but the volume and its snapshot is left (the .tmp.<pid> rotation is gone)
    CHECK(std::distance(fs::directory_iterator(fs::path(dir).parent_path()),
                        fs::directory_iterator()) == 2);

    REQUIRE(st.delete_snapshot(sub, "s1"));
    CHECK_FALSE(fs::exists(dir + "@s1"));

    auto raw = st.alloc("bt", Vmid{200}, VolumeFormat::raw, 1024).value();
    spit(st.path(raw).value(), "raw before");
    REQUIRE(st.snapshot(raw, "a"));
    spit(st.path(raw).value(), "raw after");
    REQUIRE(st.rollback(raw, "a"));
    CHECK(slurp(st.path(raw).value()) == "raw before");
    REQUIRE(st.snapshot(raw, "b"));
    CHECK(st.path(raw, "a").value() ==
          fs::path(dir).parent_path().string() + "/vm-200-disk-1@a/disk.raw");
    auto bad = st.snapshot(raw, "../x");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::invalid_argument);
    // free deletes the snapshots too
    REQUIRE(st.free(raw));
    CHECK_FALSE(fs::exists(fs::path(dir).parent_path() / "vm-200-disk-1@a"));
    CHECK_FALSE(fs::exists(fs::path(dir).parent_path() / "vm-200-disk-1@b"));
    REQUIRE(st.free(sub));
}

TEST_CASE("btrfs: create_base linked clone and features") {
    StorageHost h(cfg);
    BtrfsLoop loop(h.path("/mnt/bt"));
    if (!loop.available()) {
        MESSAGE(loop.why());
        return;
    }
    auto st = storage::Storages::load(h.host()).value();
    using storage::Feature;
    auto raw = st.alloc("bt", Vmid{300}, VolumeFormat::raw, 1024).value();
    spit(st.path(raw).value(), "template data");
    CHECK(st.has_feature(Feature::snapshot, raw));
    CHECK(st.has_feature(Feature::clone, raw));
    CHECK(st.has_feature(Feature::template_, raw));

    auto base = st.create_base(raw);
    REQUIRE_MESSAGE(base.has_value(), (base ? "" : base.error().message));
    CHECK(*base == "bt:300/base-300-disk-0.raw");
    CHECK(st.has_feature(Feature::clone, *base));
    CHECK_FALSE(st.has_feature(Feature::snapshot, *base));
    CHECK_FALSE(st.has_feature(Feature::template_, *base));

    auto clone = st.clone(*base, Vmid{301});
    REQUIRE_MESSAGE(clone.has_value(), (clone ? "" : clone.error().message));
    CHECK(*clone == "bt:301/vm-301-disk-0.raw");
    CHECK(slurp(st.path(*clone).value()) == "template data");
    spit(st.path(*clone).value(), "changed"); // writable
    CHECK(slurp(st.path(*base).value()) == "template data");

    auto sub = st.alloc("bt", Vmid{300}, VolumeFormat::subvol, 0).value();
    auto sub_base = st.create_base(sub).value();
    CHECK(sub_base == sub);                                // subvol templates keep their name ...
    CHECK_FALSE(st.has_feature(Feature::clone, sub_base)); // ... and are not linked-clonable

    REQUIRE(st.free(*clone));
    REQUIRE(st.free(*base));
    REQUIRE(st.free(sub_base));
    CHECK(st.list("bt").value().empty());
}

TEST_CASE("btrfs: alloc_ct_disk makes a raw ext4 image in a subvolume") {
    StorageHost h(cfg);
    BtrfsLoop loop(h.path("/mnt/bt"));
    if (!loop.available()) {
        MESSAGE(loop.why());
        return;
    }
    auto st = storage::Storages::load(h.host()).value();
    auto raw = storage::alloc_ct_disk(st, Vmid{400}, "bt", 32 * 1024, 100000, 100000);
    REQUIRE_MESSAGE(raw.has_value(), (raw ? "" : raw.error().message));
    CHECK(*raw == "bt:400/vm-400-disk-0.raw");
    auto sub = storage::alloc_ct_disk(st, Vmid{400}, "bt", 0, 100000, 100000).value();
    struct stat sb {};
    REQUIRE(::stat(st.path(sub).value().c_str(), &sb) == 0);
    CHECK(sb.st_uid == 100000);
    REQUIRE(st.free(*raw));
    REQUIRE(st.free(sub));
}

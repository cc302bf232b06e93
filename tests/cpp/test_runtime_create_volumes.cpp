// SPDX-License-Identifier: AGPL-3.0-or-later
// `create` allocating volumes as Proxmox's create_disks (storage spec §3.2-3.5): a raw rootfs
// `local:1` (a sparse 1 GiB file with an ext4 of that size, MMP on, its root owned by the
// mapped root), `local:0` subvols, mpN volumes, a bind mount point and a host device mount
// point, the config rewritten to the volume ids with `size=`, the template unpacked across
// all of them, nothing left mounted, and destroy freeing the volumes but never a bind source
// or a device.
#include "create_leftovers.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
using pct::test::CtHost;
using pct::test::sh;
namespace fs = std::filesystem;

namespace {

struct stat stat_of(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw std::runtime_error("cannot stat " + path);
    return st;
}

// `commands` run in a private mount namespace with `image` mounted read-only at $M (nothing
// of it outlives the shell; the loop device clears itself).
test::CommandResult in_image(const std::string& image, const std::string& commands) {
    return sh(fmt::format("unshare -m --propagation private sh -c 'M=$(mktemp -d) && "
                          "mount -o ro,loop \"$0\" \"$M\" && cd \"$M\" && {}' '{}' 2>&1",
                          commands, image));
}

// A loop device over a small ext4 image, detached again at the end of the scope.
struct TestDevice {
    std::string device;
    explicit TestDevice(const std::string& image) {
        auto r = sh(fmt::format("truncate -s 64M '{0}' && mkfs.ext4 -q '{0}' && "
                                "losetup -f --show '{0}'",
                                image));
        if (r.status != 0)
            throw std::runtime_error("cannot make a test device: " + r.out);
        device = r.out.substr(0, r.out.find('\n'));
    }
    TestDevice(const TestDevice&) = delete;
    TestDevice& operator=(const TestDevice&) = delete;
    ~TestDevice() { (void)sh(fmt::format("losetup -d '{}'", device)); }
};

} // namespace

TEST_CASE("runtime create: raw and subvol volumes, bind and device mount points") {
    if (test::skip_containers("runtime create volumes"))
        return;
    CtHost env;
    test::TempDir scratch("pct-create-vol");
    Vmid id = test::unique_vmid(90);
    env.guard(id);
    std::string ctid = std::to_string(id.value);
    // Host paths of mount points are under the host root, as every path of the host layout.
    std::string bind_src = env.root() + "/srv/bind-src";
    fs::create_directories(bind_src);
    test::write_text(bind_src + "/host-file", "host\n");
    TestDevice dev(scratch.sub("dev.img"));

    runtime::CreateOptions o;
    o.ostemplate = test::busybox_template();
    o.options = {{"ostype", "debian"},
                 {"rootfs", "1"}, // a bare size: <storage>:1
                 {"mp0", "local:0.5,mp=/srv/data,backup=1"},
                 {"mp1", "local:0,mp=/srv/sub"},
                 {"mp2", "/srv/bind-src,mp=/mnt/bind,ro=1"},
                 {"mp3", dev.device + ",mp=/mnt/dev"}};
    auto ct = runtime::create(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));

    // The config as Proxmox's create_disks prints it (§3.2's table).
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    const auto& main = conf->config.main;
    CHECK(main.get("rootfs") == fmt::format("local:{0}/vm-{0}-disk-0.raw,size=1G", ctid));
    CHECK(main.get("mp0") ==
          fmt::format("local:{0}/vm-{0}-disk-1.raw,mp=/srv/data,backup=1,size=512M", ctid));
    CHECK(main.get("mp1") ==
          fmt::format("local:{0}/subvol-{0}-disk-2.subvol,mp=/srv/sub,size=0T", ctid));
    CHECK(main.get("mp2") == "/srv/bind-src,mp=/mnt/bind,ro=1");
    CHECK(main.get("mp3") == dev.device + ",mp=/mnt/dev");
    CHECK_FALSE(main.get("lock").has_value());
    // Nothing stays mounted after create (and no loop device of ours).
    CHECK_MESSAGE(test::read_text("/proc/self/mountinfo").find(env.root()) == std::string::npos,
                  test::read_text("/proc/self/mountinfo"));
    CHECK(sh("losetup -a").out.find(env.root()) == std::string::npos);

    // The raw rootfs: sparse, 1 GiB, ext4 of 1 GiB with MMP, root owned by the mapped root,
    // the template in it, the mount point directories made by the walk.
    std::string images = fmt::format("{}/var/lib/vz/images/{}", env.root(), ctid);
    std::string raw = fmt::format("{}/vm-{}-disk-0.raw", images, ctid);
    auto raw_st = stat_of(raw);
    CHECK(raw_st.st_size == (std::int64_t{1} << 30));
    CHECK(raw_st.st_blocks * 512 < raw_st.st_size); // sparse
    auto fs_info =
        sh(fmt::format("dumpe2fs -h '{}' 2>/dev/null | grep -E '^(Block count|Block size|"
                       "Filesystem features):'",
                       raw));
    CHECK(fs_info.out.find(" mmp") != std::string::npos);
    CHECK(fs_info.out.find("Block size:               4096") != std::string::npos);
    CHECK(fs_info.out.find("Block count:              262144") != std::string::npos); // 1 GiB
    auto inside = in_image(raw, "stat -c \"%n %u %g\" . bin/busybox srv/data srv/sub mnt/bind "
                                "mnt/dev && df -k . | tail -1");
    REQUIRE_MESSAGE(inside.status == 0, inside.out);
    CHECK(inside.out.starts_with(". 100000 100000\nbin/busybox 100000 100000\n"
                                 "srv/data 100000 100000\nsrv/sub 100000 100000\n"
                                 "mnt/bind 100000 100000\nmnt/dev 100000 100000\n"));
    // mp0: its own ext4 of 512 MiB, root owned by the mapped root.
    auto mp0 = in_image(fmt::format("{}/vm-{}-disk-1.raw", images, ctid), "stat -c \"%u %g\" .");
    CHECK(mp0.out == "100000 100000\n");
    CHECK(stat_of(fmt::format("{}/vm-{}-disk-1.raw", images, ctid)).st_size == 512 << 20);
    // mp1: a folder owned by the mapped root.
    auto sub = stat_of(fmt::format("{}/subvol-{}-disk-2.subvol", images, ctid));
    CHECK(S_ISDIR(sub.st_mode));
    CHECK(sub.st_uid == 100000);
    // The bind source and the device are the host's, untouched.
    CHECK(stat_of(bind_src).st_uid == 0);
    CHECK(test::read_text(bind_src + "/host-file") == "host\n");

    REQUIRE(ct->destroy({}).has_value());
    CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                  test::joined(test::create_leftovers(env, id)));
    CHECK(test::read_text(bind_src + "/host-file") == "host\n");
    CHECK(sh(fmt::format("losetup '{}'", dev.device)).status == 0); // not ours to detach
}

TEST_CASE("runtime create: Proxmox's request forms and their refusals") {
    if (test::skip_containers("runtime create volumes"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(91);
    env.guard(id);
    std::string ctid = std::to_string(id.value);
    auto make = [&](std::map<std::string, std::string> options, std::string storage = "local") {
        runtime::CreateOptions o;
        o.ostemplate = test::busybox_template();
        o.storage = std::move(storage);
        o.options = std::move(options);
        o.options["ostype"] = "debian";
        return runtime::create(env.host(), id, o);
    };
    // mpN without rootfs: refused before anything is made.
    auto no_rootfs = make({{"mp0", "local:1,mp=/srv"}});
    REQUIRE_FALSE(no_rootfs.has_value());
    CHECK(no_rootfs.error().code == Errc::invalid_argument);
    CHECK(no_rootfs.error().message == "mount points configured, but 'rootfs' not set - aborting");
    CHECK(test::create_leftovers(env, id).empty());
    // Sizes truncated to whole MiB; `local:0.0001` is a subvol (0 MiB).
    auto tiny = make({{"rootfs", "local:0.0001"}, {"mp0", "0.3,mp=/srv"}});
    REQUIRE_MESSAGE(tiny.has_value(), (tiny ? "" : to_string(tiny.error())));
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    CHECK(conf->config.main.get("rootfs") ==
          fmt::format("local:{0}/subvol-{0}-disk-0.subvol,size=0T", ctid));
    CHECK(conf->config.main.get("mp0") ==
          fmt::format("local:{0}/vm-{0}-disk-1.raw,mp=/srv,size=307M", ctid));
    REQUIRE(tiny->destroy({}).has_value());
    // unusedN is ignored, as Proxmox does.
    auto unused = make({{"rootfs", "local:0"}, {"unused0", "local:1"}});
    REQUIRE_MESSAGE(unused.has_value(), (unused ? "" : to_string(unused.error())));
    conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    CHECK_FALSE(conf->config.main.get("unused0").has_value());
    REQUIRE(unused->destroy({}).has_value());
    // An unknown storage.
    auto unknown = make({}, "nosuch");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().message.find("storage 'nosuch' does not exist") != std::string::npos);
    CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                  test::joined(test::create_leftovers(env, id)));
}

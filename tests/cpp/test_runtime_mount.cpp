// SPDX-License-Identifier: AGPL-3.0-or-later
// Mount points without containers (root): the no-follow walk, the option filter, bind mounts
// with Proxmox's bindmount_test.pl race cases (through the test hook), raw images on
// auto-clearing loop devices, mount_all/umount_all, id-mapped mounts, and validate_id_maps
// with idmap-test.pm's cases. The suite runs in its own mount namespace (slave of the host's):
// nothing it mounts is ever seen on the host, and whatever a failing case leaves is gone with
// the process (loop devices are auto-clearing).
#include "mount.hpp"
#include "temp_dir.hpp"

#include <pct/parse/properties.hpp>
#include <pct/runtime/container.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sched.h>
#include <sstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
using namespace pct::runtime::detail;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;
namespace fs = std::filesystem;

namespace {

/// Puts the test process in a private mount namespace once (slave: host mounts still seen).
void own_namespace() {
    static bool done = [] {
        REQUIRE(::unshare(CLONE_NEWNS) == 0);
        REQUIRE(::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) == 0);
        return true;
    }();
    (void)done;
}

template <class Pred> bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        ::usleep(20000);
    }
    return true;
}

bool is_mounted(const std::string& path) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.find(" " + path + " ") != std::string::npos)
            return true;
    return false;
}

/// Declared after the TempDir it guards: detaches every mount below it before the tree is
/// removed (remove_all must never walk into a bind mount of a host directory).
struct UnmountBelow {
    std::string root;
    ~UnmountBelow() {
        for (int round = 0; round < 64; ++round) {
            std::ifstream in("/proc/self/mountinfo");
            std::string line, found;
            // The mount point is the fifth field; the fourth (the mounted directory of its
            // filesystem) names the source of a bind mount, which may be below `root` too.
            while (std::getline(in, line)) {
                std::istringstream fields(line);
                std::string id, parent, dev, fs_root, mount_point;
                fields >> id >> parent >> dev >> fs_root >> mount_point;
                if (mount_point.starts_with(root))
                    found = mount_point;
            }
            if (found.empty())
                return;
            ::umount2(found.c_str(), MNT_DETACH);
        }
    }
};

MountPoint mp_of(const std::string& text) {
    bool rootfs = text.find(",mp=") == std::string::npos;
    auto mp = rootfs ? parse::rootfs(text) : parse::mount_point(text);
    REQUIRE_MESSAGE(mp.has_value(), text);
    return *mp;
}

void run(const std::string& cmd) { REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd); }

/// A host layout with a `local` dir storage under `root` and the given volumes prepared.
struct MountHost {
    TempDir dir{"pct-mount"};
    UnmountBelow guard{dir.path()};
    storage::Host host{dir.path()};
    Vmid vmid{4242};
    MountHost() {
        own_namespace();
        write_text(dir.sub("etc/pve/storage.cfg"),
                   "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl\n");
        fs::create_directories(dir.sub("var/lib/vz/images/4242/subvol-4242-disk-0.subvol/etc"));
    }
    std::string image(const std::string& name, unsigned mib) {
        std::string path = dir.sub("var/lib/vz/images/4242/" + name);
        fs::create_directories(fs::path(path).parent_path());
        run(fmt::format("truncate -s {}M {} && mkfs.ext4 -q -F -E root_owner=0:0 {}", mib, path,
                        path));
        return path;
    }
    std::string rootdir() const { return rootfs_mount_path(host, vmid); }
};

} // namespace

TEST_CASE("mount: the no-follow walk refuses symlinks and creates what is missing") {
    own_namespace();
    TempDir t("pct-walk");
    fs::create_directories(t.sub("r/a/b"));
    fs::create_symlink("/etc", t.sub("r/a/evil"));
    write_text(t.sub("r/a/file"), "x");

    auto ok = walk_nofollow(t.sub("r"), "a/b", false);
    REQUIRE(ok);
    CHECK(ok->path == t.sub("r/a/b"));
    CHECK(ok->last == "b");

    auto sym = walk_nofollow(t.sub("r"), "/a/evil/x", true);
    REQUIRE_FALSE(sym);
    CHECK(sym.error().message == "symlink encountered at: " + t.sub("r/a/evil"));
    CHECK_FALSE(fs::exists("/etc/x"));
    auto file = walk_nofollow(t.sub("r"), "a/file/x", true);
    REQUIRE_FALSE(file);
    CHECK(file.error().message == "symlink encountered at: " + t.sub("r/a/file"));

    auto missing = walk_nofollow(t.sub("r"), "a/nope", false);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message ==
          "cannot open directory " + t.sub("r/a/nope") + ": No such file or directory");

    auto made = walk_nofollow(t.sub("r"), "//a//new/deep/", true, Owner{100000, 100001});
    REQUIRE(made);
    struct stat st {};
    REQUIRE(::stat(t.sub("r/a/new/deep").c_str(), &st) == 0);
    CHECK(st.st_uid == 100000);
    CHECK(st.st_gid == 100001);
    CHECK((st.st_mode & 07777) == 0755);

    auto up = walk_nofollow(t.sub("r"), "a/../../x", true);
    REQUIRE_FALSE(up);
    CHECK(up.error().code == Errc::invalid_argument);

    auto start = walk_nofollow(t.sub("nowhere"), "a", false);
    REQUIRE_FALSE(start);
    CHECK(start.error().message ==
          "failed to open start directory " + t.sub("nowhere") + ": No such file or directory");
}

TEST_CASE("mount: the option filter keeps Proxmox's lists, acl=0 adds nothing") {
    auto rw = mp_of("/srv/x,mp=/x,mountoptions=noatime;nodev;discard;nosuid;lazytime;noexec,acl=1");
    CHECK(mount_options(rw, false) == std::vector<std::string>{"noatime", "nodev", "discard",
                                                               "nosuid", "lazytime", "noexec",
                                                               "acl"});
    CHECK(mount_options(rw, true) == std::vector<std::string>{"nodev", "nosuid", "noexec", "acl"});
    CHECK(mount_options(mp_of("/srv/x,mp=/x,acl=0"), false).empty());
    CHECK(mount_options(mp_of("/srv/x,mp=/x"), false).empty());
}

namespace {

/// Proxmox's bindmount_test.pl layout: a CT root R with an empty /mnt, a share S/a/b/c, a
/// /secret directory and an evil symlink S/sym -> a/b.
struct BindLayout {
    TempDir t{"pct-bind"};
    UnmountBelow guard{t.path()};
    BindLayout() {
        own_namespace();
        fs::create_directories(t.sub("R/mnt"));
        fs::create_directories(t.sub("S/a/b/c"));
        fs::create_directories(t.sub("secret"));
        write_text(t.sub("secret/key"), "secret");
        write_text(t.sub("S/a/b/c/share"), "share");
        fs::create_symlink("a/b", t.sub("S/sym"));
    }
    WalkedDir target() {
        auto w = walk_nofollow(t.sub("R"), "mnt", false);
        REQUIRE(w);
        return std::move(*w);
    }
    struct HookState {
        std::function<void(BindPhase, const std::string&)> fn;
    } hook;
    void on(std::function<void(BindPhase, const std::string&)> fn) {
        hook.fn = std::move(fn);
        set_bind_test_hook([](BindPhase phase, const std::string& src,
                              void* arg) { static_cast<HookState*>(arg)->fn(phase, src); },
                           &hook);
    }
    ~BindLayout() { set_bind_test_hook(nullptr, nullptr); }
};

} // namespace

TEST_CASE("mount: bind mounts of bindmount_test.pl: plain, symlinked source, deep source") {
    BindLayout l;
    auto walked = walk_nofollow("/", l.t.sub("S/sym/c"), false);
    REQUIRE_FALSE(walked);
    CHECK(walked.error().message == "symlink encountered at: " + l.t.sub("S/sym"));

    {
        auto target = l.target();
        REQUIRE(bind_mount(l.t.sub("S/a"), target, false, {}));
        CHECK(fs::exists(l.t.sub("R/mnt/b/c/share")));
        REQUIRE(::umount2(l.t.sub("R/mnt").c_str(), 0) == 0);
    }
    {
        auto target = l.target();
        auto sym = bind_mount(l.t.sub("S/sym"), target, false, {});
        REQUIRE_FALSE(sym);
        CHECK(sym.error().message == "symlink encountered at: " + l.t.sub("S/sym"));
        CHECK_FALSE(is_mounted(l.t.sub("R/mnt")));
    }
    {
        auto target = l.target();
        REQUIRE(bind_mount(l.t.sub("S/a/b/c"), target, true, {}));
        CHECK(read_text(l.t.sub("R/mnt/share")) == "share");
        // ro: the write is refused with EROFS
        int fd = ::open(l.t.sub("R/mnt/new").c_str(), O_CREAT | O_WRONLY, 0644);
        CHECK(fd < 0);
        CHECK(errno == EROFS);
        REQUIRE(::umount2(l.t.sub("R/mnt").c_str(), 0) == 0);
    }
}

TEST_CASE("mount: bind race: equivalent mounts swapped before the ro remount") {
    BindLayout l;
    // Another bind of the same source put over ours between the mount and the remount: the
    // request (rw or ro) still holds for what ends up there.
    for (bool ro : {false, true}) {
        CAPTURE(ro);
        l.on([&](BindPhase phase, const std::string& src) {
            if (phase == BindPhase::mounted)
                REQUIRE(::mount(src.c_str(), l.t.sub("R/mnt").c_str(), nullptr, MS_BIND, nullptr) ==
                        0);
        });
        auto target = l.target();
        CHECK(bind_mount(l.t.sub("S/a"), target, ro, {}));
        set_bind_test_hook(nullptr, nullptr);
        ::umount2(l.t.sub("R/mnt").c_str(), MNT_DETACH);
        ::umount2(l.t.sub("R/mnt").c_str(), MNT_DETACH);
        CHECK_FALSE(is_mounted(l.t.sub("R/mnt")));
    }
}

TEST_CASE("mount: bind race: a read-write mount injected after the ro remount is caught") {
    BindLayout l;
    l.on([&](BindPhase phase, const std::string& src) {
        if (phase == BindPhase::remounted)
            REQUIRE(::mount(src.c_str(), l.t.sub("R/mnt").c_str(), nullptr, MS_BIND, nullptr) == 0);
    });
    auto target = l.target();
    auto r = bind_mount(l.t.sub("S/a"), target, true, {});
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "failed to mark bind mount read only");
}

TEST_CASE("mount: bind race: the source swapped for a symlink to /secret is detected") {
    // Replaced after the open and before the mount; and the same, restored right after the
    // mount: either way the mounted directory is not the one opened, nothing stays mounted.
    for (bool restore : {false, true}) {
        CAPTURE(restore);
        BindLayout l;
        l.on([&](BindPhase phase, const std::string&) {
            if (phase == BindPhase::opened) {
                fs::rename(l.t.sub("S/a/b"), l.t.sub("S/a/b.orig"));
                fs::create_symlink(l.t.sub("secret"), l.t.sub("S/a/b"));
            } else if (phase == BindPhase::mounted && restore) {
                fs::remove(l.t.sub("S/a/b"));
                fs::rename(l.t.sub("S/a/b.orig"), l.t.sub("S/a/b"));
            }
        });
        auto target = l.target();
        auto r = bind_mount(l.t.sub("S/a/b"), target, false, {});
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "detected mount path change at: " + l.t.sub("S/a/b"));
        CHECK_FALSE(is_mounted(l.t.sub("R/mnt")));
        CHECK_FALSE(fs::exists(l.t.sub("R/mnt/key")));
    }
}

TEST_CASE("mount: mount_all / umount_all: subvol rootfs, raw volume on a loop, ro bind, order") {
    MountHost h;
    std::string image = h.image("vm-4242-disk-1.raw", 64);
    fs::create_directories(h.dir.sub("share/data"));
    write_text(h.dir.sub("share/data/hello"), "hi");
    ContainerSettings s;
    s.rootfs = mp_of("local:4242/subvol-4242-disk-0.subvol");
    s.mp[0] = mp_of("local:4242/vm-4242-disk-1.raw,mp=/srv/vol,mountoptions=noatime");
    s.mp[1] = mp_of("/share/data,mp=/mnt/ro,ro=1");
    s.mp[2] = mp_of("/share,mp=/srv/vol/nested");
    std::vector<std::string> warnings;
    auto root = mount_all(h.host, h.vmid, s, {}, warnings);
    REQUIRE_MESSAGE(root.has_value(), (root ? "" : root.error().message));
    CHECK(*root == h.rootdir());
    CHECK(is_mounted(h.rootdir()));
    CHECK(is_mounted(h.rootdir() + "/srv/vol"));
    CHECK(fs::exists(h.rootdir() + "/srv/vol/lost+found"));
    CHECK(fs::exists(h.rootdir() + "/srv/vol/nested/data/hello")); // mp2 over mp0, key order
    CHECK(loops_of(image).size() == 1);
    CHECK(read_text(h.rootdir() + "/mnt/ro/hello") == "hi");
    CHECK(::open((h.rootdir() + "/mnt/ro/x").c_str(), O_CREAT | O_WRONLY, 0644) < 0);
    // created target directories exist in the rootfs volume, not elsewhere
    CHECK(fs::is_directory(h.dir.sub("var/lib/vz/images/4242/subvol-4242-disk-0.subvol/mnt/ro")));

    auto gone = umount_all(h.host, h.vmid, s, false, warnings);
    REQUIRE(gone);
    CHECK(*gone);
    CHECK_FALSE(is_mounted(h.rootdir()));
    CHECK_FALSE(is_mounted(h.rootdir() + "/srv/vol"));
    // the auto-clearing loop device went with the last unmount
    CHECK(eventually([&] { return loops_of(image).empty(); }, std::chrono::seconds(5)));
}

TEST_CASE("mount: mount_all fails cleanly: missing bind source, symlinked target") {
    MountHost h;
    std::string image = h.image("vm-4242-disk-1.raw", 32);
    ContainerSettings s;
    s.rootfs = mp_of("local:4242/subvol-4242-disk-0.subvol");
    s.mp[0] = mp_of("local:4242/vm-4242-disk-1.raw,mp=/srv");
    s.mp[1] = mp_of("/nonexistent,mp=/mnt");
    std::vector<std::string> warnings;
    auto r = mount_all(h.host, h.vmid, s, {}, warnings);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "directory '" + h.dir.sub("nonexistent") + "' does not exist");
    CHECK(r.error().key == "mp1");
    CHECK(warnings.back() == "mounting container failed");
    CHECK_FALSE(is_mounted(h.rootdir()));
    CHECK(eventually([&] { return loops_of(image).empty(); }, std::chrono::seconds(5)));

    // a symlink in the rootfs on a mount point's path: refused, nothing mounted anywhere
    fs::create_directories(h.dir.sub("outside"));
    fs::create_symlink(h.dir.sub("outside"),
                       h.dir.sub("var/lib/vz/images/4242/subvol-4242-disk-0.subvol/evil"));
    s.mp.erase(1);
    s.mp[0] = mp_of("local:4242/vm-4242-disk-1.raw,mp=/evil/vol");
    auto evil = mount_all(h.host, h.vmid, s, {}, warnings);
    REQUIRE_FALSE(evil);
    CHECK(evil.error().message == "symlink encountered at: " + h.rootdir() + "/evil");
    CHECK(evil.error().key == "mp0");
    CHECK(fs::is_empty(h.dir.sub("outside")));
    CHECK_FALSE(is_mounted(h.rootdir()));
    CHECK(eventually([&] { return loops_of(image).empty(); }, std::chrono::seconds(5)));
}

TEST_CASE("mount: raw volume of a storage without rootdir content is refused") {
    MountHost h;
    write_text(h.dir.sub("etc/pve/storage.cfg"),
               "dir: local\n\tpath /var/lib/vz\n\tcontent images,vztmpl\n");
    h.image("vm-4242-disk-1.raw", 32);
    ContainerSettings s;
    s.rootfs = mp_of("local:4242/vm-4242-disk-1.raw");
    std::vector<std::string> warnings;
    auto r = mount_all(h.host, h.vmid, s, {}, warnings);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "storage 'local' does not support containers");
    CHECK(r.error().key == "rootfs");
}

TEST_CASE("mount: per-mount idmap at start: disk ids shown as the mapped host ids") {
    MountHost h;
    fs::create_directories(h.dir.sub("share"));
    // Id-mapped mounts need a filesystem that allows them (tmpfs, ext4, btrfs; not overlayfs,
    // which a fresh test machine's /tmp can be); MountHost's guard unmounts it.
    run("mount -t tmpfs -o size=1m tmpfs " + h.dir.sub("share"));
    write_text(h.dir.sub("share/f"), "x");
    REQUIRE(::chown(h.dir.sub("share/f").c_str(), 1000, 1000) == 0);
    ContainerSettings s;
    s.rootfs = mp_of("local:4242/subvol-4242-disk-0.subvol");
    s.mp[0] = mp_of("/share,mp=/data,idmap=u:0:1000:1;g:0:1000:1");
    MountAllOptions opt;
    opt.at_start = true;
    opt.id_map.entries = {{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}};
    opt.id_map.root = {100000, 100000};
    std::vector<std::string> warnings;
    auto root = mount_all(h.host, h.vmid, s, opt, warnings);
    REQUIRE_MESSAGE(root.has_value(), (root ? "" : root.error().message));
    struct stat st {};
    REQUIRE(::stat((h.rootdir() + "/data/f").c_str(), &st) == 0);
    CHECK(st.st_uid == 100000); // disk 1000 == CT 0 == host 100000
    CHECK(st.st_gid == 100000);
    REQUIRE(::stat((h.rootdir() + "/data").c_str(), &st) == 0);
    REQUIRE(umount_all(h.host, h.vmid, s, false, warnings));
}

TEST_CASE("mount: resolve_mount_idmap maps covered CT ids to disk ids, the rest identity") {
    MountPoint mp = mp_of("/x,mp=/x,idmap=u:0:1000:1;u:10:2000:5");
    std::vector<IdMapEntry> ct{{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}};
    auto map = resolve_mount_idmap(mp, ct);
    CHECK(map == std::vector<IdMapEntry>{{'u', 1000, 100000, 1},
                                         {'u', 100001, 100001, 9},
                                         {'u', 2000, 100010, 5},
                                         {'u', 100015, 100015, 65521},
                                         {'g', 100000, 100000, 65536}});
    MountPoint pass = mp_of("/x,mp=/x,idmap=passthrough");
    CHECK(resolve_mount_idmap(pass, ct) == ct);
}

namespace {

std::vector<IdMapEntry> ids(std::initializer_list<std::string_view> lines) {
    std::vector<IdMapEntry> out;
    for (auto line : lines) {
        IdMapEntry e;
        unsigned long long c = 0, h = 0, n = 0;
        REQUIRE(std::sscanf(std::string(line).c_str(), "%c %llu %llu %llu", &e.kind, &c, &h, &n) ==
                4);
        e.ct = c;
        e.host = h;
        e.count = n;
        out.push_back(e);
    }
    return out;
}

} // namespace

TEST_CASE("mount: validate_id_maps accepts idmap-test.pm's valid maps") {
    CHECK(validate_id_maps(ids({"u 0 100000 65536", "g 0 100000 65536"})));
    CHECK(validate_id_maps(ids({"u 0 100000 1005", "g 0 100000 1007", "u 1005 1005 1",
                                "g 1007 1007 1", "u 1006 101006 64530", "g 1008 101008 64528"})));
    CHECK(validate_id_maps(
        ids({"u 3000 103000 60000", "u 2000 1000 1000", "u 0 100000 2000", "g 2000 102000 63534",
             "g 1000 2000 1000", "g 0 100000 1000", "u 63000 263000 2536", "g 65534 365534 2"})));
}

TEST_CASE("mount: validate_id_maps refuses idmap-test.pm's invalid maps with its messages") {
    struct Case {
        std::vector<IdMapEntry> map;
        std::string message;
    };
    std::vector<Case> cases{
        {ids({"u 0 100000 1005", "u 1005 1005 2", "u 1007 101007 992", "u 11000 1000 10"}),
         "invalid map entry 'u 1005 1005 2': host uid 1005 is also mapped by entry 'u 11000 1000 "
         "10'"},
        {ids({"u 0 100000 65536", "u 1005 1005 1", "u 1006 201006 64530"}),
         "invalid map entry 'u 1005 1005 1': container uid 1005 is also mapped by entry 'u 0 "
         "100000 65536'"},
        {ids({"u 5 100000 6", "u 0 200000 11", "u 3 300000 2"}),
         "invalid map entry 'u 3 300000 2': container uid 3 is also mapped by entry 'u 0 200000 "
         "11'"},
        {ids({"g 0 100000 1001", "g 1000 1000 10"}),
         "invalid map entry 'g 1000 1000 10': container gid 1000 is also mapped by entry 'g 0 "
         "100000 1001'"},
        {ids({"g 0 100000 1000", "g 2000 102000 1000", "g 3500 99500 5000"}),
         "invalid map entry 'g 0 100000 1000': host gid 100000 is also mapped by entry 'g 3500 "
         "99500 5000'"},
    };
    for (const auto& c : cases) {
        auto r = validate_id_maps(c.map);
        REQUIRE_FALSE(r);
        CHECK(r.error().message == c.message);
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == "lxc.idmap");
    }
}

TEST_CASE("mount: validate_id_maps is not quadratic (idmap-test.pm's performance case)") {
    std::vector<IdMapEntry> map;
    for (std::uint64_t i = 0; i < 200000; ++i) {
        map.push_back({'u', i * 10, 1000000 + i * 10, 10});
        map.push_back({'g', i * 10, 1000000 + i * 10, 10});
    }
    auto t0 = std::chrono::steady_clock::now();
    CHECK(validate_id_maps(map));
    auto took = std::chrono::steady_clock::now() - t0;
    CHECK(took < std::chrono::seconds(2)); // quadratic would be 8e10 comparisons
}

namespace {

/// Runs the pct CLI (in this suite's mount namespace); returns stdout + stderr and the status.
std::string pct_cli(const std::string& args, int& status) {
    std::string cmd = std::string(PCT_CLI) + " " + args + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[512];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    int raw = ::pclose(p);
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return out;
}

} // namespace

TEST_CASE("mount: pct mount / pct unmount with Proxmox's output, lock and refusals") {
    MountHost h;
    h.image("vm-4242-disk-1.raw", 32);
    write_text(h.dir.sub("etc/pve/lxc/4242.conf"),
               "arch: amd64\nostype: debian\nrootfs: local:4242/subvol-4242-disk-0.subvol\n"
               "mp0: local:4242/vm-4242-disk-1.raw,mp=/srv,quota=1\n");
    std::string root = "--root " + h.dir.path();
    int status = 0;
    // A missing bind source: Proxmox's warning, its error, nothing mounted, the lock kept.
    write_text(h.dir.sub("etc/pve/lxc/4242.conf"),
               "arch: amd64\nostype: debian\nrootfs: local:4242/subvol-4242-disk-0.subvol\n"
               "mp0: local:4242/vm-4242-disk-1.raw,mp=/srv\nmp1: /missing,mp=/mnt\n");
    std::string out = pct_cli(root + " mount 4242", status);
    CHECK(status == 255);
    // (the CLI puts the key in front of a message that does not name it)
    CHECK(out == "mounting container failed\nmp1: directory '" + h.dir.sub("missing") +
                     "' does not exist\n");
    CHECK_FALSE(is_mounted(h.rootdir()));
    CHECK(read_text(h.dir.sub("etc/pve/lxc/4242.conf")).find("lock: mounted\n") !=
          std::string::npos);
    out = pct_cli(root + " unmount 4242", status);
    CHECK(status == 0);

    // quota: the journaled quota options on a raw volume, Proxmox's warning for a bind mount
    fs::create_directories(h.dir.sub("share"));
    write_text(h.dir.sub("etc/pve/lxc/4242.conf"),
               "arch: amd64\nostype: debian\nrootfs: local:4242/subvol-4242-disk-0.subvol\n"
               "mp0: local:4242/vm-4242-disk-1.raw,mp=/srv,quota=1\n"
               "mp1: /share,mp=/mnt,quota=1\n");
    out = pct_cli(root + " mount 4242", status);
    CHECK(status == 0);
    CHECK(out == "WARN: cannot enable quota control for bind mounts\nmounted CT 4242 in '" +
                     h.rootdir() + "'\n");
    {
        std::ifstream in("/proc/self/mountinfo");
        std::string line;
        bool quota = false;
        while (std::getline(in, line))
            if (line.find(" " + h.rootdir() + "/srv ") != std::string::npos)
                quota = line.find("usrjquota=aquota.user") != std::string::npos;
        CHECK(quota);
    }
    out = pct_cli(root + " unmount 4242", status);
    CHECK(status == 0);

    write_text(h.dir.sub("etc/pve/lxc/4242.conf"),
               "arch: amd64\nostype: debian\nrootfs: local:4242/subvol-4242-disk-0.subvol\n"
               "mp0: local:4242/vm-4242-disk-1.raw,mp=/srv\n");
    out = pct_cli(root + " mount 4242", status);
    CHECK(status == 0);
    CHECK(out == "mounted CT 4242 in '" + h.rootdir() + "'\n");
    CHECK(is_mounted(h.rootdir() + "/srv"));
    out = pct_cli(root + " mount 4242", status);
    CHECK(status == 255);
    CHECK(out == "CT is locked (mounted)\n");
    out = pct_cli(root + " unmount 4242", status);
    CHECK(status == 0);
    CHECK(out.empty());
    CHECK_FALSE(is_mounted(h.rootdir()));
    out = pct_cli(root + " unmount 4242", status);
    CHECK(status == 255);
    CHECK(out == "no lock found trying to remove 'mounted' lock\n");
}

TEST_CASE("mount: keepattrs at start copies the target directory's owner and mode") {
    MountHost h;
    fs::create_directories(h.dir.sub("share"));
    REQUIRE(::chmod(h.dir.sub("share").c_str(), 0755) == 0);
    std::string target = h.dir.sub("var/lib/vz/images/4242/subvol-4242-disk-0.subvol/data");
    fs::create_directories(target);
    REQUIRE(::chown(target.c_str(), 1234, 5678) == 0);
    REQUIRE(::chmod(target.c_str(), 0710) == 0);
    ContainerSettings s;
    s.rootfs = mp_of("local:4242/subvol-4242-disk-0.subvol");
    s.mp[0] = mp_of("/share,mp=/data,keepattrs=1");
    MountAllOptions opt;
    opt.at_start = true;
    std::vector<std::string> warnings;
    auto root = mount_all(h.host, h.vmid, s, opt, warnings);
    REQUIRE_MESSAGE(root.has_value(), (root ? "" : root.error().message));
    struct stat st {};
    REQUIRE(::stat((h.rootdir() + "/data").c_str(), &st) == 0);
    CHECK(st.st_uid == 1234);
    CHECK(st.st_gid == 5678);
    CHECK((st.st_mode & 07777) == 0710);
    REQUIRE(umount_all(h.host, h.vmid, s, false, warnings));
    // without at_start (pct mount, create) keepattrs is not applied, as in Proxmox
    REQUIRE(::chown(h.dir.sub("share").c_str(), 0, 0) == 0);
    REQUIRE(::chmod(h.dir.sub("share").c_str(), 0755) == 0);
    REQUIRE(mount_all(h.host, h.vmid, s, {}, warnings));
    REQUIRE(::stat((h.rootdir() + "/data").c_str(), &st) == 0);
    CHECK(st.st_uid == 0);
    CHECK((st.st_mode & 07777) == 0755);
    REQUIRE(umount_all(h.host, h.vmid, s, false, warnings));
}

TEST_CASE("mount: destroy of a killed create unmounts first and never reaches into a bind source") {
    MountHost h;
    fs::create_directories(h.dir.sub("share"));
    write_text(h.dir.sub("share/precious"), "keep me\n");
    write_text(h.dir.sub("etc/pve/lxc/4242.conf"),
               "arch: amd64\nostype: debian\nlock: create\n"
               "rootfs: local:4242/subvol-4242-disk-0.subvol\nmp0: /share,mp=/mnt/share\n");
    ContainerSettings s;
    s.rootfs = mp_of("local:4242/subvol-4242-disk-0.subvol");
    s.mp[0] = mp_of("/share,mp=/mnt/share");
    std::vector<std::string> warnings;
    REQUIRE(mount_all(h.host, h.vmid, s, {}, warnings)); // as a create killed after mount_all
    REQUIRE(is_mounted(h.rootdir() + "/mnt/share"));
    auto ct = runtime::Container::open(h.host, h.vmid);
    REQUIRE(ct.has_value());
    auto gone = ct->destroy();
    REQUIRE_MESSAGE(gone.has_value(), (gone ? "" : gone.error().message));
    CHECK_FALSE(is_mounted(h.rootdir()));
    CHECK(read_text(h.dir.sub("share/precious")) == "keep me\n");
    CHECK_FALSE(fs::exists(h.dir.sub("etc/pve/lxc/4242.conf")));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// Mount points of real busybox containers: bind, read-only bind, a raw volume on a loop device
// (seen with df inside), an unprivileged CT whose files on the volume belong to the mapped ids
// on the host, and the hostile cases (a symlink in the rootfs on a mount point's path, a bind
// source with a symlink). The volumes are mounted in the container's private mount namespace:
// nothing appears in the host's mountinfo, and the loop device is gone once the container is,
// also after SIGKILL of its init and monitor.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_traces.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/mount.h>
#include <sys/stat.h>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::CtHost;
using pct::test::eventually;
namespace fs = std::filesystem;

namespace {

void set_option(const storage::Host& host, Vmid id, const std::string& key,
                const std::string& value) {
    auto lock = host.lock(id).value();
    auto cfg = host.read_config(id).value().config;
    cfg.main.options[key] = value;
    REQUIRE(host.write_config(lock, cfg).has_value());
}

/// Lines of the host's (this process's) mountinfo that mention `root`.
std::vector<std::string> host_mounts_under(const std::string& root) {
    std::vector<std::string> out;
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.find(root) != std::string::npos)
            out.push_back(line);
    return out;
}

/// Loop devices bound to `image` (by /sys/block/loop*/loop/backing_file).
std::vector<std::string> loops_of(const std::string& image) {
    std::vector<std::string> out;
    char real[PATH_MAX];
    if (!::realpath(image.c_str(), real))
        return out;
    std::error_code ec;
    for (auto& e : fs::directory_iterator("/sys/block", ec)) {
        std::string name = e.path().filename().string();
        if (!name.starts_with("loop"))
            continue;
        std::ifstream in(e.path().string() + "/loop/backing_file");
        std::string backing;
        if (std::getline(in, backing) && backing == real)
            out.push_back(name);
    }
    return out;
}

/// A raw ext4 volume `vm-<id>-disk-<n>.raw` on the host's `local` storage; detaches any loop
/// device still bound to it when the test ends, whatever happened.
struct RawVolume {
    std::string path;
    std::string volid;
    RawVolume(const CtHost& env, Vmid id, unsigned n, unsigned mib, const std::string& owner) {
        std::string dir = fmt::format("{}/var/lib/vz/images/{}", env.root(), id.value);
        fs::create_directories(dir);
        path = fmt::format("{}/vm-{}-disk-{}.raw", dir, id.value, n);
        volid = fmt::format("local:{}/vm-{}-disk-{}.raw", id.value, id.value, n);
        std::string cmd = fmt::format("truncate -s {}M {} && mkfs.ext4 -q -F -E root_owner={} {}",
                                      mib, path, owner, path);
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    ~RawVolume() {
        for (const auto& l : loops_of(path))
            (void)!std::system(("losetup -d /dev/" + l + " 2>/dev/null").c_str());
    }
};

std::string run_in(runtime::Container& ct, const std::string& shell, int* code = nullptr) {
    runtime::ExecOptions o;
    o.argv = {"/bin/sh", "-c", shell};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    if (code)
        *code = r->exit_code;
    if (r->exit_code != 0)
        MESSAGE(shell << ": " << r->err);
    return r->out;
}

std::string rootfs_volume(const CtHost& env, Vmid id) {
    return fmt::format("{}/var/lib/vz/images/{}/subvol-{}-disk-0.subvol", env.root(), id.value,
                       id.value);
}

} // namespace

TEST_CASE("mounts: bind, read-only bind and a raw volume, only in the CT's namespace") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(60);
    auto ct = env.create(id, {{"unprivileged", "0"}}); // the unprivileged case is below
    RawVolume vol(env, id, 1, 64, "0:0");
    fs::create_directories(env.root() + "/share/rw");
    fs::create_directories(env.root() + "/share/ro");
    pct::test::write_text(env.root() + "/share/ro/hello", "hello\n");
    set_option(env.host(), id, "mp0", vol.volid + ",mp=/srv/vol,size=64M");
    set_option(env.host(), id, "mp1", "/share/rw,mp=/mnt/rw");
    set_option(env.host(), id, "mp2", "/share/ro,mp=/mnt/ro,ro=1");

    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));

    CHECK(run_in(ct, "cat /mnt/ro/hello") == "hello\n");
    int code = 0;
    run_in(ct, "echo x > /mnt/ro/new 2>/dev/null", &code);
    CHECK(code != 0);
    CHECK_FALSE(fs::exists(env.root() + "/share/ro/new"));
    run_in(ct, "echo data > /mnt/rw/new", &code);
    CHECK(code == 0);
    CHECK(pct::test::read_text(env.root() + "/share/rw/new") == "data\n");
    // df -k: 1K-blocks of an ext4 made on 64 MiB (a little less after the journal and tables)
    std::string df = run_in(ct, "df -k /srv/vol | tail -n 1 | awk '{print $2}'");
    long blocks = std::atol(df.c_str());
    CHECK(blocks > 50000);
    CHECK(blocks <= 65536);
    run_in(ct, "echo v > /srv/vol/file", &code);
    CHECK(code == 0);

    // Mounted only where the container lives: the host sees neither the rootfs nor a volume.
    CHECK(host_mounts_under(env.root()).empty());
    CHECK(loops_of(vol.path).size() == 1);

    REQUIRE(ct.stop());
    CHECK(eventually([&] { return loops_of(vol.path).empty(); }, 10s));
    CHECK(host_mounts_under(env.root()).empty());
}

TEST_CASE("mounts: SIGKILL of init and monitor releases the mounts and the loop device") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(61);
    auto ct = env.create(id);
    RawVolume vol(env, id, 1, 32, "0:0");
    set_option(env.host(), id, "mp0", vol.volid + ",mp=/srv/vol");
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    CHECK(loops_of(vol.path).size() == 1);

    int init = ct.init_pid();
    REQUIRE(init > 0);
    for (const auto& m : pct::test::lxc_monitors())
        if (m.id == id)
            ::kill(m.pid, SIGKILL);
    ::kill(init, SIGKILL);
    CHECK(eventually([&] { return loops_of(vol.path).empty(); }, 15s));
    CHECK(host_mounts_under(env.root()).empty());
}

TEST_CASE("mounts: unprivileged CT: files on a raw volume belong to the mapped ids") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(62);
    auto ct = env.create(id, {{"unprivileged", "1"}});
    RawVolume vol(env, id, 1, 32, "100000:100000");
    set_option(env.host(), id, "mp0", vol.volid + ",mp=/srv/vol");
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    int code = 0;
    run_in(ct, "echo u > /srv/vol/by-root && mkdir -p /deep/new/dir", &code);
    CHECK(code == 0);
    // The container's view from the host, through its init's root.
    struct stat st {};
    std::string file = fmt::format("/proc/{}/root/srv/vol/by-root", ct.init_pid());
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK(st.st_uid == 100000);
    CHECK(st.st_gid == 100000);
    // the mount target directory created in the rootfs belongs to the mapped root
    REQUIRE(::stat((rootfs_volume(env, id) + "/srv/vol").c_str(), &st) == 0);
    CHECK(st.st_uid == 100000);
    REQUIRE(ct.stop());
    CHECK(eventually([&] { return loops_of(vol.path).empty(); }, 10s));
}

TEST_CASE("mounts: hostile: a symlink on a mount point's path, a bind source with a symlink") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(63);
    auto ct = env.create(id);
    fs::create_directories(env.root() + "/outside");
    fs::create_directories(env.root() + "/share");
    fs::create_symlink(env.root() + "/outside", rootfs_volume(env, id) + "/evil");
    set_option(env.host(), id, "mp0", "/share,mp=/evil/x");
    auto r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == fmt::format("symlink encountered at: {}/var/lib/lxc/{}/rootfs/evil",
                                           env.root(), id.value));
    CHECK(r.error().key == "mp0");
    CHECK(ct.state() == runtime::State::stopped);
    CHECK(fs::is_empty(env.root() + "/outside"));
    CHECK(host_mounts_under(env.root()).empty());

    fs::create_symlink(env.root() + "/share", env.root() + "/linkshare");
    set_option(env.host(), id, "mp0", "/linkshare,mp=/mnt/x");
    r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "symlink encountered at: " + env.root() + "/linkshare");
    CHECK(r.error().key == "mp0");
    CHECK(ct.state() == runtime::State::stopped);
    CHECK(host_mounts_under(env.root()).empty());
    CHECK(eventually([&] { return pct::test::leftovers(id).empty(); }, 2s));
}

TEST_CASE("mounts: hookscript phases with Proxmox's arguments, a failing pre-start aborts") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(64);
    auto ct = env.create(id);
    std::string log = env.root() + "/hook.log";
    std::string script = env.root() + "/var/lib/vz/snippets/hook.sh";
    pct::test::write_text(script, fmt::format("#!/bin/sh\necho \"$1 $2\" >> {0}\n"
                                              "[ \"$2\" = pre-start ] && [ -e {0}.fail ] && "
                                              "{{ echo refused >&2; exit 3; }}\nexit 0\n",
                                              log));
    fs::permissions(script, fs::perms::owner_all);

    set_option(env.host(), id, "hookscript", "local:snippets/nope.sh");
    auto r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == fmt::format("hookscript error for {} on pre-start: script "
                                           "'local:snippets/nope.sh' does not exist",
                                           id.value));
    CHECK(r.error().key == "hookscript");

    set_option(env.host(), id, "hookscript", "local:snippets/hook.sh");
    pct::test::write_text(log + ".fail", "");
    r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message ==
          fmt::format("hookscript error for {0} on pre-start: command '{1} {0} pre-start' "
                      "failed: exit code 3 (refused)",
                      id.value, script));
    CHECK(ct.state() == runtime::State::stopped);
    CHECK(host_mounts_under(env.root()).empty());
    CHECK(eventually([&] { return pct::test::leftovers(id).empty(); }, 2s));

    fs::remove(log + ".fail");
    fs::remove(log);
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    REQUIRE(ct.stop());
    CHECK(pct::test::read_text(log) == fmt::format("{0} pre-start\n{0} post-start\n{0} pre-stop\n"
                                                   "{0} post-stop\n",
                                                   id.value));
}

TEST_CASE("mounts: devN passes a host block device through (cgroup rule and node)") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(65);
    auto ct = env.create(id, {{"unprivileged", "0"}});
    RawVolume vol(env, id, 1, 8, "0:0");
    // A loop device of the test's own image, detached by RawVolume whatever happens.
    std::string cmd = "losetup -f --show " + vol.path;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[64] = {};
    REQUIRE(std::fgets(buf, sizeof buf, p) != nullptr);
    ::pclose(p);
    std::string device(buf);
    while (!device.empty() && device.back() == '\n')
        device.pop_back();
    REQUIRE(device.starts_with("/dev/loop"));
    set_option(env.host(), id, "dev0", device);
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    int code = 0;
    // the ext4 superblock magic (0xEF53 at 1080) read through the passed-through node
    std::string magic =
        run_in(ct, "dd if=" + device + " bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1", &code);
    CHECK(code == 0);
    CHECK(magic.find("53 ef") != std::string::npos);
    // another block device is not allowed by the device cgroup
    run_in(ct, "mknod /tmp/other b 7 250 && dd if=/tmp/other bs=1 count=1 2>/dev/null", &code);
    CHECK(code != 0);
    REQUIRE(ct.stop());
}

TEST_CASE("mounts: a raw rootfs volume is loop-mounted at start and released at stop") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(66);
    auto ct = env.create(id, {{"unprivileged", "0"}});
    RawVolume vol(env, id, 1, 64, "0:0");
    // The busybox tree copied into the image, in a throw-away mount namespace.
    std::string stage = env.root() + "/stage";
    fs::create_directories(stage);
    std::string copy = fmt::format("unshare -m sh -c 'mount {} {} && cp -a {}/. {}/ && umount {}'",
                                   vol.path, stage, rootfs_volume(env, id), stage, stage);
    REQUIRE(std::system(copy.c_str()) == 0);
    set_option(env.host(), id, "rootfs", vol.volid + ",size=64M");
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    long blocks = std::atol(run_in(ct, "df -k / | tail -n 1 | awk '{print $2}'").c_str());
    CHECK(blocks > 50000);
    CHECK(blocks <= 65536);
    CHECK(loops_of(vol.path).size() == 1);
    CHECK(host_mounts_under(env.root()).empty());
    REQUIRE(ct.stop());
    CHECK(eventually([&] { return loops_of(vol.path).empty(); }, 10s));
}

TEST_CASE("mounts: start while `pct mount` holds the rootfs: the CT gets its own mounts") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(67);
    auto ct = env.create(id, {{"unprivileged", "0"}});
    fs::create_directories(env.root() + "/share");
    pct::test::write_text(env.root() + "/share/hello", "hello\n");
    set_option(env.host(), id, "mp0", "/share,mp=/mnt/share");
    std::string rootdir = fmt::format("{}/var/lib/lxc/{}/rootfs", env.root(), id.value);
    struct Unmount { // whatever happens below, nothing stays mounted on the host
        std::string path;
        ~Unmount() { (void)!std::system(("umount -R " + path + " 2>/dev/null").c_str()); }
    } guard{rootdir};
    auto mounted = ct.mount();
    REQUIRE_MESSAGE(mounted.has_value(), (mounted ? "" : mounted.error().message));
    CHECK(mounted->path == rootdir);
    CHECK(pct::test::read_text(rootdir + "/mnt/share/hello") == "hello\n");
    // `lock: mounted` does not stop a start (Proxmox's pre-start hook unmounts in its own
    // namespace first)
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    CHECK(run_in(ct, "cat /mnt/share/hello") == "hello\n");
    REQUIRE(ct.stop());
    // still mounted on the host (pct mount's), until unmount
    CHECK_FALSE(host_mounts_under(rootdir).empty());
    REQUIRE(ct.unmount());
    CHECK(host_mounts_under(env.root()).empty());
    auto again = ct.unmount();
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().message == "no lock found trying to remove 'mounted' lock");
}

TEST_CASE("mounts: per-mount idmap in an unprivileged CT (id-mapped bind mount)") {
    if (pct::test::skip_containers("runtime mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(68);
    auto ct = env.create(id, {{"unprivileged", "1"}});
    // Id-mapped mounts need a filesystem that allows them (tmpfs, ext4, btrfs; not overlayfs,
    // which a fresh test machine's /tmp can be): the share is a tmpfs of its own, unmounted
    // (lazily, after the CT's stop) when the test ends, whatever happens.
    std::string share = env.root() + "/share";
    fs::create_directories(share);
    REQUIRE(::mount("tmpfs", share.c_str(), "tmpfs", 0, "size=1m") == 0);
    struct Unmount {
        std::string path;
        ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount_share{share};
    pct::test::write_text(env.root() + "/share/f", "x\n");
    REQUIRE(::chown((env.root() + "/share/f").c_str(), 1000, 1000) == 0);
    REQUIRE(::chown((env.root() + "/share").c_str(), 1000, 1000) == 0);
    // disk uid/gid 1000 is the CT's root on this mount point; without idmap it is nobody
    set_option(env.host(), id, "mp0", "/share,mp=/mnt/share,idmap=u:0:1000:1;g:0:1000:1");
    set_option(env.host(), id, "mp1", "/share,mp=/mnt/plain");
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    REQUIRE(pct::test::wait_boot(ct));
    CHECK(run_in(ct, "stat -c %u:%g /mnt/share/f") == "0:0\n");
    CHECK(run_in(ct, "stat -c %u:%g /mnt/plain/f") == "65534:65534\n");
    int code = 0;
    run_in(ct, "echo y > /mnt/share/new", &code);
    CHECK(code == 0);
    struct stat st {};
    REQUIRE(::stat((env.root() + "/share/new").c_str(), &st) == 0);
    CHECK(st.st_uid == 1000); // written by the CT's root, stored as disk uid 1000
    REQUIRE(ct.stop());
    // The test's own tmpfs goes first; nothing of the CT's may be left beside it.
    CHECK(::umount2(share.c_str(), 0) == 0);
    CHECK(host_mounts_under(env.root()).empty());
}

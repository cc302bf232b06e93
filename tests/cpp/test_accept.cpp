// SPDX-License-Identifier: AGPL-3.0-or-later
// The storage issue's acceptance test, driven only through the `pct` CLI with Proxmox's flags
// (config-format.md §10, storage.md §3, §5, §6): a real Debian 12 template
// (scripts/mk-debian-template), an UNPRIVILEGED container with --password, --ssh-public-keys, a
// static net0 on a test bridge, a raw rootfs, a volume mp0, a bind mp1 and a read-only bind mp2.
// It must boot to `systemctl is-system-running` = running, answer ssh with the key, show its
// mounts (ro where set, sizes as allocated, files owned by the mapped ids on the host), carry
// the hostname, hosts, interfaces and resolv.conf Proxmox's setup writes, and host keys and a
// machine-id that differ from the template's.
//
//   test_accept dir     everything on the `dir` storage `local`
//   test_accept btrfs   rootfs and mp0 on `btrfs: bt` (tests/support/btrfs_loop.hpp), `pct resize`
//                       of mp0 running and of the rootfs stopped, seen inside, and
//                       `pct move-volume` of mp0 btrfs -> dir -> btrfs
//
// Exit 0 when every check passed, 1 when one failed (each failure is printed with what it
// needs), 77 (ctest SKIP_RETURN_CODE) with one line when containers cannot run here or the
// Debian mirror is unreachable. Everything is removed afterwards, also after a failure: the
// containers (CtGuard), mounts and loop devices under the test root, the btrfs loop file, the
// bridge, the root.
#include "bridge.hpp"
#include "btrfs_loop.hpp"
#include "ct_env.hpp"
#include "ct_guard.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <pct/storage/host.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace pct;
using pct::test::sh;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int skip_code = 77;
constexpr std::uint32_t mapped_root = 100000; // Proxmox's default map: CT 0 = host 100000
constexpr std::uint64_t gib = 1ull << 30;
const std::string template_name = "debian-12-minbase_12_amd64.tar.zst";
const std::string hostname = "accept-ct";
const std::string searchdomain = "accept.test";
const std::string password = "Acc3pt-pw";

// Units a stock Proxmox Debian 12 CT also reports as failed when unprivileged:
// - sys-kernel-debug.mount: debugfs cannot be mounted from a user namespace ("permission
//   denied"), and the unit is *static* in Debian 12 (pulled in by sysinit.target), so the
//   `disable sys-kernel-debug.mount` line of Proxmox's preset (storage.md §5.6) does not stop
//   it. Seen on this host with the preset in place and the machine-id removed, in some boots
//   and not in others (the unit is then left inactive).
const std::set<std::string> allowed_failed_units = {"sys-kernel-debug.mount"};

// A step that the rest depends on failed: stop here (the destructors clean up).
struct Fatal : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
        s.pop_back();
    return s;
}

// Unmounts everything mounted under the test root (deepest first) and detaches loop devices
// whose backing file is below it, so that TempDir's recursive removal never walks into a
// mounted filesystem and nothing is left attached. Runs after CtGuard (declared before it).
class MountSweep {
  public:
    explicit MountSweep(std::string root) : m_root(std::move(root)) {}
    MountSweep(const MountSweep&) = delete;
    MountSweep& operator=(const MountSweep&) = delete;
    ~MountSweep() {
        sh(fmt::format("awk -v r={}/ 'index($2, r) == 1 {{ print $2 }}' /proc/self/mounts | "
                       "sort -r | while read -r m; do umount -l \"$m\"; done",
                       quote(m_root)));
        sh(fmt::format("losetup -nl -O NAME,BACK-FILE | awk -v r={}/ 'index($2, r) == 1 {{ "
                       "print $1 }}' | while read -r d; do losetup -d \"$d\"; done",
                       quote(m_root)));
    }

  private:
    std::string m_root;
};

class Acceptance {
  public:
    Acceptance(std::string root, std::string tpl, const test::TestBridge& bridge, Vmid id)
        : m_root(std::move(root)), m_template(std::move(tpl)), m_bridge(bridge), m_id(id) {}

    // `pct --root ROOT ARGS`; the command and its output are printed.
    test::CommandResult pct(const std::string& args) const {
        std::string cmd =
            fmt::format("{}/bin/pct --root {} {}", PCT_BINARY_DIR, quote(m_root), args);
        auto r = sh(cmd + " 2>&1");
        std::printf("$ pct %s  -> %d\n%s", args.c_str(), r.status, r.out.c_str());
        std::fflush(stdout);
        return r;
    }
    // A command in the running CT through `pct exec ID -- sh -c CMD` (output not printed).
    test::CommandResult in_ct(const std::string& cmd) const {
        return sh(fmt::format("timeout 60 {}/bin/pct --root {} exec {} -- sh -c {} 2>&1",
                              PCT_BINARY_DIR, quote(m_root), m_id.value, quote(cmd)));
    }

    void check(bool ok, const std::string& what, const std::string& detail = {}) {
        ++m_checks;
        if (ok) {
            std::printf("ok   %s\n", what.c_str());
        } else {
            m_failed.push_back(what);
            std::printf("FAIL %s\n%s%s", what.c_str(), detail.c_str(),
                        detail.empty() || detail.back() == '\n' ? "" : "\n");
        }
        std::fflush(stdout);
    }
    void expect_text(const std::string& file, const std::string& expected) {
        auto r = in_ct("cat " + file);
        check(r.status == 0 && r.out == expected, file + " as Proxmox's setup writes it",
              fmt::format("expected:\n{}---\ngot ({}):\n{}---", expected, r.status, r.out));
    }
    // A step the following ones need: on failure, say what is missing and stop.
    void require(const std::string& args, const std::string& missing) {
        auto r = pct(args);
        if (r.status != 0) {
            m_failed.push_back(missing);
            throw Fatal(fmt::format("`pct {}` failed (exit {}): {}", args, r.status, missing));
        }
    }

    std::string ip() const { return m_bridge.prefix() + "2"; }
    std::string key() const { return m_root + "/id_accept"; }

    // --- the flow -------------------------------------------------------------------------

    // storage.cfg with `local` (and `bt` when given), the template where Proxmox keeps it
    // (local:vztmpl/...), the bind sources, the ssh key pair.
    void prepare(const std::string& extra_storage) {
        test::write_text(m_root + "/etc/pve/storage.cfg",
                         "dir: local\n\tpath /var/lib/vz\n\tcontent "
                         "iso,vztmpl,backup,rootdir,images\n" +
                             extra_storage);
        std::string cache = m_root + "/var/lib/vz/template/cache";
        fs::create_directories(cache);
        std::error_code ec;
        fs::create_hard_link(m_template, cache + "/" + template_name, ec);
        if (ec)
            fs::copy_file(m_template, cache + "/" + template_name);
        // Bind sources are host paths under --root (storage/host.hpp): /data/bind = ROOT/data/bind.
        fs::create_directories(m_root + "/data/bind");
        fs::create_directories(m_root + "/data/ro");
        test::write_text(m_root + "/data/ro/hello", "hello\n");
        sh(fmt::format("chown -R {0}:{0} {1}/data", mapped_root, quote(m_root)));
        auto k = sh(fmt::format("ssh-keygen -q -t ed25519 -N '' -C accept -f {}", quote(key())));
        if (k.status != 0)
            throw Fatal("ssh-keygen failed: " + k.out);
    }

    // `missing`: what the create needs beyond the dir storage (the btrfs backend).
    void create(const std::string& rootfs, const std::string& mp0, const std::string& missing) {
        require(fmt::format("create {} local:vztmpl/{} --unprivileged 1 --hostname {} "
                            "--password {} --ssh-public-keys {} "
                            "--net0 name=eth0,bridge={},ip={}/24,gw={} "
                            "--nameserver {} --searchdomain {} --memory 512 --swap 0 "
                            "--rootfs {} --mp0 {},mp=/srv --mp1 /data/bind,mp=/mnt/bind "
                            "--mp2 /data/ro,mp=/mnt/ro,ro=1",
                            m_id.value, template_name, hostname, quote(password),
                            quote(key() + ".pub"), m_bridge.name(), ip(), m_bridge.gateway(),
                            m_bridge.gateway(), searchdomain, rootfs, mp0),
                "pct create with --password, --ssh-public-keys (post-create setup), STORE:SIZE "
                "allocation of rootfs and mp0" +
                    missing + ", bind mount points (branches create, storage, setup, mount)");
    }

    std::string config() const {
        return sh(fmt::format("{}/bin/pct --root {} config {}", PCT_BINARY_DIR, quote(m_root),
                              m_id.value))
            .out;
    }
    // Each line must be a whole line of `pct config` (the config is printed once on failure).
    void expect_config_lines(const std::vector<std::string>& lines) {
        std::string conf = "\n" + config();
        bool shown = false;
        for (const auto& line : lines) {
            bool ok = conf.find("\n" + line + "\n") != std::string::npos;
            check(ok, "config has `" + line + "`", shown ? "" : "config:" + conf);
            shown = shown || !ok;
        }
    }

    void start() {
        require(fmt::format("start {}", m_id.value),
                "pct start with raw volumes, mpN volumes and bind mounts (branch mount)");
    }
    void stop() { require(fmt::format("stop {}", m_id.value), "pct stop"); }

    // `systemctl is-system-running --wait`: running, or degraded only by allowed units. Right
    // after the start, systemd may not be PID 1 yet ("offline") or not listen yet ("Failed to
    // connect to bus"): ask again.
    void boot() {
        test::CommandResult r;
        for (int i = 0; i < 60; ++i) {
            r = in_ct("systemctl is-system-running --wait");
            if (r.out.find("Failed to connect") == std::string::npos && trim(r.out) != "offline")
                break;
            std::this_thread::sleep_for(1s);
        }
        std::string state = trim(r.out);
        if (state == "degraded") {
            auto failed = in_ct("systemctl --failed --plain --no-legend | awk '{print $1}'");
            std::string bad;
            for (std::size_t at = 0; at < failed.out.size();) {
                auto nl = failed.out.find('\n', at);
                std::string unit = failed.out.substr(at, nl - at);
                at = nl == std::string::npos ? failed.out.size() : nl + 1;
                if (!unit.empty() && !allowed_failed_units.contains(unit))
                    bad += unit + " ";
            }
            check(bad.empty(), "boot: degraded only by units a stock Proxmox CT also fails",
                  "failed units: " + bad);
            return;
        }
        check(state == "running", "boot: systemctl is-system-running = running", "got: " + r.out);
    }

    void check_setup_files() {
        expect_text("/etc/hostname", hostname + "\n");
        check(trim(in_ct("hostname").out) == hostname, "hostname is " + hostname);
        // The template's hosts has 127.0.0.1 and ::1 lines, so the PVE block holds only the
        // address line (storage.md §5.6), appended after the old content.
        expect_text("/etc/hosts", fmt::format("127.0.0.1\tlocalhost\n::1\t\tlocalhost "
                                              "ip6-localhost ip6-loopback\n"
                                              "# --- BEGIN PVE ---\n{} {}.{} {}\n"
                                              "# --- END PVE ---\n",
                                              ip(), hostname, searchdomain, hostname));
        // Debian >= 10: CIDR address; a blank line before the new stanza since the old file
        // does not end in one (§5.7, test-debian-004/015).
        expect_text("/etc/network/interfaces",
                    fmt::format("auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet "
                                "static\n\taddress {}/24\n\tgateway {}\n\n",
                                ip(), m_bridge.gateway()));
        // replace => 1: the whole file becomes the block.
        expect_text("/etc/resolv.conf", fmt::format("# --- BEGIN PVE ---\nsearch {}\nnameserver "
                                                    "{}\n# --- END PVE ---\n",
                                                    searchdomain, m_bridge.gateway()));
    }

    void check_password() {
        auto shadow = in_ct("grep '^root:' /etc/shadow | cut -d: -f2");
        std::string hash = trim(shadow.out);
        auto verify = sh(fmt::format("python3 -W ignore -c 'import crypt,sys; "
                                     "sys.exit(crypt.crypt(sys.argv[1], sys.argv[2]) != "
                                     "sys.argv[2])' {} {}",
                                     quote(password), quote(hash)));
        check(hash.starts_with("$6$") && verify.status == 0,
              "root password stored as a SHA-512 crypt hash of --password", "shadow: " + hash);
    }

    void check_ssh() {
        std::string cmd =
            fmt::format("ssh -i {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
                        "-o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR root@{} hostname",
                        quote(key()), ip());
        test::CommandResult r;
        for (int i = 0; i < 15; ++i) { // sshd may still be starting
            r = sh(cmd + " 2>&1");
            if (r.status == 0)
                break;
            std::this_thread::sleep_for(1s);
        }
        check(r.status == 0 && trim(r.out) == hostname,
              "ssh root@" + ip() + " with the --ssh-public-keys key", r.out);
    }

    void check_identity() {
        for (const char* type : {"rsa", "ecdsa", "ed25519"}) {
            std::string file = fmt::format("/etc/ssh/ssh_host_{}_key.pub", type);
            auto old = sh(fmt::format("zstd -dc {} | tar -xOf - .{}", quote(m_template), file));
            auto now = in_ct("cat " + file);
            check(old.status == 0 && now.status == 0 && !now.out.empty() && now.out != old.out,
                  std::string("SSH host key ") + type + " regenerated (differs from the template)",
                  "template: " + old.out + "CT: " + now.out);
        }
        auto old = sh(fmt::format("zstd -dc {} | tar -xOf - ./etc/machine-id", quote(m_template)));
        auto now = in_ct("cat /etc/machine-id");
        check(now.status == 0 && trim(now.out).size() == 32 && now.out != old.out,
              "/etc/machine-id differs from the template's",
              "template: " + old.out + "CT: " + now.out);
    }

    pid_t init_pid() const {
        auto r = sh(fmt::format("{}/bin/pct --root {} status {} --verbose 1 | sed -n "
                                "'s/^pid: //p'",
                                PCT_BINARY_DIR, quote(m_root), m_id.value));
        return static_cast<pid_t>(std::atoi(r.out.c_str()));
    }

    static bool owned_by(const std::string& path, std::uint32_t uid) {
        struct stat st {};
        return ::lstat(path.c_str(), &st) == 0 && st.st_uid == uid && st.st_gid == uid;
    }

    // Size of a mounted filesystem as df sees it inside, in bytes.
    std::uint64_t df_size(const std::string& path) const {
        auto r = in_ct("df -B1 --output=size " + path + " | tail -n 1");
        return r.status == 0 ? std::strtoull(r.out.c_str(), nullptr, 10) : 0;
    }
    // ext4 on N GiB: df shows N GiB less the journal and metadata (a few %).
    void expect_size(const std::string& path, std::uint64_t gib_count) {
        std::uint64_t size = df_size(path);
        check(size > gib_count * gib * 85 / 100 && size <= gib_count * gib,
              fmt::format("df {}: about {} GiB as allocated", path, gib_count),
              fmt::format("df size: {} bytes", size));
    }

    void check_mounts() {
        auto opts = [&](const std::string& target) {
            return trim(in_ct("findmnt -rn -o OPTIONS --target " + target).out);
        };
        check(opts("/").starts_with("rw"), "/ mounted rw", opts("/"));
        check(opts("/srv").starts_with("rw"), "mp0 /srv mounted rw", opts("/srv"));
        check(opts("/mnt/bind").starts_with("rw"), "mp1 bind /mnt/bind mounted rw",
              opts("/mnt/bind"));
        check(opts("/mnt/ro").starts_with("ro"), "mp2 bind /mnt/ro mounted ro (ro=1)",
              opts("/mnt/ro"));
        check(in_ct("findmnt -rn -o TARGET /srv").out == "/srv\n" &&
                  in_ct("findmnt -rn -o TARGET /mnt/bind").out == "/mnt/bind\n",
              "mp0 and mp1 are mount points of their own");
        check(in_ct("cat /mnt/ro/hello").out == "hello\n", "mp2 shows the bind source's file");
        auto nope = in_ct("touch /mnt/ro/nope");
        check(nope.status != 0 && nope.out.find("Read-only file system") != std::string::npos &&
                  !fs::exists(m_root + "/data/ro/nope"),
              "mp2 refuses a write (read-only file system)", nope.out);
        expect_size("/", 1);
        expect_size("/srv", 1);

        // Ownership on the host: CT root = 100000, CT uid 1000 = 101000.
        auto w = in_ct("echo data > /srv/owned && echo data > /mnt/bind/owned && "
                       "echo data > /mnt/bind/user && chown 1000:1000 /mnt/bind/user && "
                       "echo data > /root-owned && sync");
        check(w.status == 0, "files written in /, /srv and /mnt/bind", w.out);
        check(owned_by(m_root + "/data/bind/owned", mapped_root),
              "bind source file of CT root owned by 100000 on the host");
        check(owned_by(m_root + "/data/bind/user", mapped_root + 1000),
              "bind source file of CT uid 1000 owned by 101000 on the host");
        pid_t pid = init_pid();
        std::string via = fmt::format("/proc/{}/root", pid);
        check(pid > 0 && owned_by(via + "/srv/owned", mapped_root) &&
                  owned_by(via + "/root-owned", mapped_root) && owned_by(via + "/", mapped_root),
              "volume files owned by 100000 on the host (seen through the CT's init)",
              fmt::format("init pid {}", pid));
    }

    void check_volume_file(const std::string& path, std::uint64_t size) {
        struct stat st {};
        bool ok = ::stat(path.c_str(), &st) == 0 &&
                  static_cast<std::uint64_t>(st.st_size) == size &&
                  static_cast<std::uint64_t>(st.st_blocks) * 512 < size / 2;
        check(ok, fmt::format("sparse raw image {} of {} bytes", path, size));
    }

    void check_all_inside() {
        boot();
        check_setup_files();
        check_password();
        check_ssh();
        check_identity();
        check_mounts();
    }

    int summary(const char* mode) const {
        std::printf("\naccept %s: %zu of %d checks passed\n", mode,
                    static_cast<std::size_t>(m_checks) - m_failed.size(), m_checks);
        for (const auto& f : m_failed)
            std::printf("  missing/failed: %s\n", f.c_str());
        return m_failed.empty() ? 0 : 1;
    }
    void fatal(const std::string& message) {
        std::printf("FATAL %s\n", message.c_str());
        ++m_checks;
    }

    const std::string& root() const { return m_root; }
    Vmid id() const { return m_id; }

  private:
    std::string m_root;
    std::string m_template;
    const test::TestBridge& m_bridge;
    Vmid m_id;
    int m_checks = 0;
    std::vector<std::string> m_failed;
};

std::string raw_volume(const char* store, Vmid id, int n) {
    return fmt::format("{}:{}/vm-{}-disk-{}.raw", store, id.value, id.value, n);
}

int run_dir(Acceptance& t) {
    t.prepare("");
    t.create("local:1", "local:1", "");
    Vmid id = t.id();
    t.expect_config_lines({"rootfs: " + raw_volume("local", id, 0) + ",size=1G",
                           "mp0: " + raw_volume("local", id, 1) + ",mp=/srv,size=1G",
                           "mp1: /data/bind,mp=/mnt/bind", "mp2: /data/ro,mp=/mnt/ro,ro=1",
                           "unprivileged: 1"});
    std::string images = fmt::format("{}/var/lib/vz/images/{}", t.root(), id.value);
    t.check_volume_file(fmt::format("{}/vm-{}-disk-0.raw", images, id.value), gib);
    t.check_volume_file(fmt::format("{}/vm-{}-disk-1.raw", images, id.value), gib);
    t.start();
    t.check_all_inside();
    t.stop();
    // destroy frees the CT's volumes, never a bind source.
    t.require(fmt::format("destroy {}", id.value), "pct destroy of a CT with volumes");
    t.check(!fs::exists(images + fmt::format("/vm-{}-disk-0.raw", id.value)) &&
                !fs::exists(images + fmt::format("/vm-{}-disk-1.raw", id.value)),
            "destroy freed rootfs and mp0");
    t.check(fs::is_directory(t.root() + "/data/bind") && fs::exists(t.root() + "/data/ro/hello"),
            "destroy kept the bind sources");
    return t.summary("dir");
}

int run_btrfs(Acceptance& t) {
    t.prepare("\nbtrfs: bt\n\tpath /mnt/bt\n\tcontent rootdir,images\n");
    t.create("bt:1", "bt:1", " on a btrfs storage");
    Vmid id = t.id();
    t.expect_config_lines({"rootfs: " + raw_volume("bt", id, 0) + ",size=1G",
                           "mp0: " + raw_volume("bt", id, 1) + ",mp=/srv,size=1G",
                           "unprivileged: 1"});
    // btrfs keeps a raw volume NAME as a subvolume holding disk.raw (storage.md §2).
    t.check_volume_file(
        fmt::format("{}/mnt/bt/images/{}/vm-{}-disk-0/disk.raw", t.root(), id.value, id.value),
        gib);
    t.start();
    t.check_all_inside();

    // Grow mp0 of the running CT (§6.1): loop capacity, then resize2fs in a mount namespace.
    // That online grow needs CAP_SYS_RESOURCE, which some hosts (this project's VM) do not
    // give: Proxmox then only warns "Failed to update the container's filesystem", and so
    // must libpct; the size recorded and the image grown either way.
    auto online = t.pct(fmt::format("resize {} mp0 +1G", id.value));
    t.check(online.status == 0, "pct resize of mp0 while running", online.out);
    t.expect_config_lines({"mp0: " + raw_volume("bt", id, 1) + ",mp=/srv,size=2G"});
    bool host_refused =
        online.out.find("Failed to update the container's filesystem") != std::string::npos;
    t.check(online.out.find("not attached to a loop device") == std::string::npos,
            "resize found the loop device of the running CT's mp0", online.out);
    if (!host_refused)
        t.expect_size("/srv", 2);
    else
        std::printf("note: the online grow of /srv was refused by this host (Proxmox's warning "
                    "above); its size is checked after the move below\n");

    // Grow the rootfs of the stopped CT: e2fsck + resize2fs on the image, seen at the next start.
    t.stop();
    t.require(fmt::format("resize {} rootfs +1G", id.value), "pct resize (branch volops)");
    t.expect_config_lines({"rootfs: " + raw_volume("bt", id, 0) + ",size=2G"});

    // move-volume needs a stopped CT (§6.2): mp0 btrfs -> dir -> btrfs, data kept. The copy
    // is a new volume of the recorded size (2 GiB) with the files rsynced over.
    t.require(fmt::format("move-volume {} mp0 local --delete 1", id.value),
              "pct move-volume to another storage (branch volops)");
    std::string conf = t.config();
    t.check(conf.find("\nmp0: local:" + std::to_string(id.value) + "/vm-") != std::string::npos &&
                conf.find(",mp=/srv,size=2G\n") != std::string::npos &&
                conf.find("unused0") == std::string::npos,
            "mp0 moved to local (no unused0 with --delete)", conf);
    t.require(fmt::format("move-volume {} mp0 bt --delete 1", id.value),
              "pct move-volume back to btrfs (branch volops)");
    conf = t.config();
    t.check(conf.find("\nmp0: bt:" + std::to_string(id.value) + "/vm-") != std::string::npos,
            "mp0 moved back to bt", conf);
    t.start();
    t.check(t.in_ct("cat /srv/owned").out == "data\n", "mp0's data survived both moves");
    t.expect_size("/", 2);
    t.expect_size("/srv", 2);
    t.stop();
    t.require(fmt::format("destroy {}", id.value), "pct destroy of a CT with btrfs volumes");
    t.check(
        trim(sh(fmt::format("btrfs subvolume list -o {}/mnt/bt | wc -l", quote(t.root()))).out) ==
            "0",
        "destroy freed every btrfs volume");
    return t.summary("btrfs");
}

// The cached Debian template, or exit 77 (skip) / 1 from mk-debian-template.
std::string debian_template() {
    auto r = sh(fmt::format("{}/scripts/mk-debian-template", PCT_SOURCE_DIR));
    if (r.status == skip_code) { // its one "skipped: <reason>" line
        std::string reason = trim(r.out);
        if (reason.starts_with("skipped: "))
            reason.erase(0, std::string("skipped: ").size());
        std::printf("SKIP accept: %s\n", reason.c_str());
        std::exit(skip_code);
    }
    if (r.status != 0)
        throw Fatal("scripts/mk-debian-template failed: " + r.out);
    // stderr may carry the build line: the path is the last line.
    std::string out = trim(r.out);
    return out.substr(out.rfind('\n') + 1);
}

} // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode != "dir" && mode != "btrfs") {
        std::fprintf(stderr, "usage: test_accept dir|btrfs\n");
        return 2;
    }
    if (auto reason = test::container_skip_reason()) {
        std::printf("SKIP accept %s: %s\n", mode.c_str(), reason->c_str());
        return skip_code;
    }
    try {
        std::string tpl = debian_template();
        // Destruction order matters: bridge, containers (CtGuard), btrfs, stray mounts, root.
        test::TempDir dir("pct-rt");
        MountSweep sweep(dir.path());
        // The storage `bt`: a btrfs on a sparse loop file (6 GiB: two 1 GiB volumes, a resize
        // to 2 GiB, and the copies of move-volume), mounted at ROOT/mnt/bt.
        std::unique_ptr<test::BtrfsLoop> btrfs;
        if (mode == "btrfs") {
            btrfs = std::make_unique<test::BtrfsLoop>(dir.path() + "/mnt/bt", 6144);
            if (!btrfs->available())
                throw Fatal("no btrfs loop file system: " + btrfs->why());
        }
        storage::Host host(dir.path());
        Vmid id = test::unique_vmid(mode == "dir" ? 90 : 91);
        test::CtGuard guard(host, {id});
        test::TestBridge bridge;
        Acceptance t(dir.path(), tpl, bridge, id);
        try {
            return mode == "dir" ? run_dir(t) : run_btrfs(t);
        } catch (const Fatal& e) {
            t.fatal(e.what());
            t.summary(mode.c_str());
            return 1;
        }
    } catch (const std::exception& e) {
        std::printf("FATAL accept %s: %s\n", mode.c_str(), e.what());
        return 1;
    }
}

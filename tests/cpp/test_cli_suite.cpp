// SPDX-License-Identifier: AGPL-3.0-or-later
// The `pct` CLI suite (issue 11's acceptance): every single-host subcommand driven end to end
// on real busybox containers, and its error paths as an admin meets them: an unknown CTID, a
// locked CT, a running CT where it must be stopped, bad values. Each refusal is one line on
// stderr naming the problem, exit 255, and the config file byte for byte as before.
#include "btrfs_loop.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "temp_dir.hpp"

#include <pct/storage/config_document.hpp>
#include <pct/storage/host.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace pct;
namespace fs = std::filesystem;

namespace {

struct Run {
    int status = -1;
    std::string out; ///< stdout
    std::string err; ///< stderr
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A host root under /tmp (dir storage `local`, plus `bt`, btrfs on a loop file, when asked),
// its containers stopped and destroyed by the guard even when a check fails.
class Suite {
  public:
    explicit Suite(bool with_btrfs = false)
        : m_btrfs(with_btrfs ? std::make_unique<test::BtrfsLoop>(m_dir.path() + "/mnt/bt", 512)
                             : nullptr),
          m_host(m_dir.path()), m_guard(m_host, {}) {
        fs::create_directories(m_dir.path() + "/etc/pve/lxc");
        std::ofstream(m_dir.path() + "/etc/pve/storage.cfg")
            << "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl\n"
            << (with_btrfs ? "\nbtrfs: bt\n\tpath /mnt/bt\n\tcontent rootdir,images\n" : "");
    }
    [[nodiscard]] bool btrfs_missing() const { return m_btrfs && !m_btrfs->available(); }
    [[nodiscard]] std::string why() const { return m_btrfs ? m_btrfs->why() : ""; }
    [[nodiscard]] const std::string& root() const { return m_dir.path(); }
    [[nodiscard]] const storage::Host& host() const { return m_host; }
    void guard(Vmid id) { m_guard.add(id); }

    /// `pct --root R ARGS` (a shell word list), stdout and stderr apart.
    Run pct(const std::string& args) const {
        std::string err_file = m_dir.path() + "/.stderr";
        auto r = test::sh(
            fmt::format("('{}' --root '{}' {} 2>'{}')", PCT_CLI, m_dir.path(), args, err_file));
        return {r.status, r.out, slurp(err_file)};
    }
    /// The config file's bytes ("" when there is none).
    [[nodiscard]] std::string conf(Vmid id) const {
        return slurp(fmt::format("{}/etc/pve/lxc/{}.conf", m_dir.path(), id.value));
    }
    /// Creates a stopped busybox CT through `pct create`.
    void create(Vmid id, const std::string& options = "--rootfs local:0") {
        guard(id);
        auto r = pct(fmt::format("create {} '{}' --ostype debian --hostname suite --memory 96 {}",
                                 id.value, test::busybox_template(), options));
        REQUIRE_MESSAGE(r.status == 0, r.err);
    }
    /// Sets `key: value` through the library's config editor (as another tool would).
    void set(Vmid id, const std::string& key, const std::string& value) const {
        auto doc = storage::ConfigDocument::load(m_host, id);
        REQUIRE(doc);
        REQUIRE(doc->set("", key, value));
        REQUIRE(doc->commit());
    }

  private:
    test::TempDir m_dir{"pct-rt"};
    std::unique_ptr<test::BtrfsLoop> m_btrfs;
    storage::Host m_host;
    test::CtGuard m_guard;
};

// The refusal contract: exit `status`, nothing on stdout, exactly one line on stderr that
// contains `needle`.
void check_refusal(const Run& r, const std::string& args, const std::string& needle,
                   int status = 255) {
    INFO("pct " << args << " -> [" << r.status << "] stdout: " << r.out << " stderr: " << r.err);
    CHECK(r.status == status);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK((!r.err.empty() && r.err.back() == '\n'));
    CHECK(r.err.find(needle) != std::string::npos);
}

// Runs each command (with "ID" replaced by the CTID) and checks the refusal contract and that
// the config file kept its bytes.
void check_refused(const Suite& s, Vmid id,
                   const std::vector<std::pair<std::string, std::string>>& cases) {
    for (const auto& [tmpl, needle] : cases) {
        const std::string before = s.conf(id);
        std::string args = tmpl;
        for (auto at = args.find("ID"); at != std::string::npos; at = args.find("ID", at))
            args.replace(at, 2, std::to_string(id.value));
        check_refusal(s.pct(args), args, needle);
        CHECK_MESSAGE(s.conf(id) == before, "pct " << args << " changed the config");
    }
}

} // namespace

TEST_CASE("cli suite: an unknown CTID is one line on stderr with exit 255 and nothing is made") {
    if (test::skip_containers("cli suite"))
        return;
    Suite s;
    Vmid id = test::unique_vmid(96);
    s.guard(id);
    const std::string missing = fmt::format("Configuration file '{}/etc/pve/lxc/{}.conf' does not "
                                            "exist",
                                            s.root(), id.value);
    for (std::string cmd : {"config ID",
                            "config ID --current",
                            "pending ID",
                            "set ID --memory 256",
                            "destroy ID",
                            "start ID",
                            "stop ID",
                            "shutdown ID",
                            "reboot ID",
                            "suspend ID",
                            "resume ID",
                            "status ID",
                            "status ID --verbose",
                            "console ID",
                            "enter ID",
                            "exec ID -- true",
                            "push ID /etc/hostname /x",
                            "pull ID /x /tmp/x",
                            "mount ID",
                            "unmount ID",
                            "df ID",
                            "fsck ID",
                            "fstrim ID",
                            "resize ID rootfs +1G",
                            "move-volume ID rootfs local",
                            "snapshot ID s1",
                            "listsnapshot ID",
                            "rollback ID s1",
                            "delsnapshot ID s1",
                            "clone ID 999999999",
                            "template ID",
                            "unlock ID",
                            "config ID --output-format json"}) {
        for (auto at = cmd.find("ID"); at != std::string::npos; at = cmd.find("ID", at))
            cmd.replace(at, 2, std::to_string(id.value));
        check_refusal(s.pct(cmd), cmd, missing);
    }
    CHECK_FALSE(fs::exists(fmt::format("{}/etc/pve/lxc/{}.conf", s.root(), id.value)));
    CHECK_FALSE(fs::exists(fmt::format("{}/etc/pve/lxc/999999999.conf", s.root())));
    CHECK_FALSE(fs::exists(fmt::format("{}/var/lib/vz/images/{}", s.root(), id.value)));
    CHECK_FALSE(fs::exists(fmt::format("{}/var/lib/lxc/{}", s.root(), id.value)));
    // A CTID out of range is a usage error naming it.
    auto bad = s.pct("config 99");
    CHECK(bad.status == 255);
    CHECK(bad.out.empty());
    CHECK(bad.err.find("99") != std::string::npos);
}

TEST_CASE("cli suite: a locked CT refuses changes in one line and keeps its config") {
    if (test::skip_containers("cli suite"))
        return;
    Suite s;
    Vmid id = test::unique_vmid(97);
    s.create(id);
    s.set(id, "lock", "backup");
    const std::string locked = "CT is locked (backup)";
    check_refused(s, id,
                  {{"set ID --memory 256", locked},
                   {"set ID --delete hostname", locked},
                   {"start ID", locked},
                   {"destroy ID", locked},
                   {"mount ID", locked},
                   {"df ID", locked},
                   {"fstrim ID", locked},
                   {"resize ID rootfs +1G", locked},
                   {"move-volume ID rootfs local", locked},
                   {"snapshot ID s1", locked},
                   {"template ID", locked},
                   {"clone ID 999999998", locked}});
    CHECK_FALSE(fs::exists(fmt::format("{}/etc/pve/lxc/999999998.conf", s.root())));
    // Reading is allowed, and `config` shows the lock as Proxmox does.
    auto shown = s.pct(fmt::format("config {}", id.value));
    CHECK(shown.status == 0);
    CHECK(shown.out.find("lock: backup\n") != std::string::npos);
    // `unlock` removes it; then the change goes through.
    CHECK(s.pct(fmt::format("unlock {}", id.value)).status == 0);
    CHECK(s.conf(id).find("lock:") == std::string::npos);
    auto set = s.pct(fmt::format("set {} --memory 128", id.value));
    CHECK_MESSAGE(set.status == 0, set.err);
    CHECK(s.conf(id).find("memory: 128\n") != std::string::npos);
}

TEST_CASE("cli suite: a running CT refuses what needs it stopped in one line") {
    if (test::skip_containers("cli suite"))
        return;
    Suite s;
    Vmid id = test::unique_vmid(98);
    s.create(id);
    auto started = s.pct(fmt::format("start {}", id.value));
    REQUIRE_MESSAGE(started.status == 0, started.err);
    const std::string ctid = std::to_string(id.value);
    check_refused(
        s, id,
        {{"destroy ID", fmt::format("CT {} is running - destroy failed", ctid)},
         {"template ID", "you can't convert a CT to template if the CT is running"},
         {"move-volume ID rootfs local", "cannot move volumes of a running container"},
         {"clone ID 999999997", "Full clone of a running container is only possible from a "
                                "snapshot"},
         {"start ID", fmt::format("CT {} already running", ctid)},
         {"resume ID", "not suspended"}});
    CHECK_FALSE(fs::exists(fmt::format("{}/etc/pve/lxc/999999997.conf", s.root())));
    auto stopped = s.pct(fmt::format("stop {}", id.value));
    CHECK(stopped.status == 0);
    // And the other way round: what needs it running.
    check_refused(s, id,
                  {{"stop ID", fmt::format("CT {} not running", ctid)},
                   {"exec ID -- true", "not running"},
                   {"push ID /etc/hostname /x", "can only push files to a running CT"},
                   {"pull ID /etc/hostname /tmp/x", "can only pull files from a running CT"},
                   {"suspend ID", "not running"}});
}

TEST_CASE("cli suite: bad values are one line naming the key and change nothing") {
    if (test::skip_containers("cli suite"))
        return;
    Suite s;
    Vmid id = test::unique_vmid(99);
    s.create(id);
    check_refused(
        s, id,
        {{"set ID --memory abc", "memory"},
         {"set ID --cores 0", "cores"},
         {"set ID --hostname 'bad_name!'", "hostname"},
         {"set ID --net0 'name=eth0,bridge=vmbr0,ip=300.1.1.1/24'", "net0"},
         {"set ID --mp0 '/srv,mp=/a/../b'", "mp0"},
         {"set ID --onboot maybe", "onboot"},
         {"set ID --delete nosuchkey", "nosuchkey"},
         {"set ID --memory 256 --delete memory", "memory"},
         {"set ID --digest 0000000000000000000000000000000000000000 --memory 256", "digest"},
         {"resize ID rootfs abc", "abc"},
         {"resize ID mp7 +1G", "mp7"},
         {"snapshot ID 1bad", "1bad"},
         {"rollback ID nosuchsnap", "nosuchsnap"},
         {"delsnapshot ID nosuchsnap", "nosuchsnap"},
         {"config ID --snapshot nosuchsnap", "nosuchsnap"},
         {"move-volume ID rootfs nosuchstore", "nosuchstore"},
         {"fsck ID --device mp9", "mp9"}});
    // Usage errors (Proxmox's parameter verification) name the problem, then the usage line.
    const std::string before = s.conf(id);
    for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
             {fmt::format("status {} --output-format xml", id.value), "output-format"},
             {fmt::format("set {} --nosuchoption 1", id.value), "nosuchoption"},
             {fmt::format("set {} --memory", id.value), "memory"}}) {
        auto r = s.pct(args);
        INFO("pct " << args << " -> [" << r.status << "] stderr: " << r.err);
        CHECK(r.status == 255);
        CHECK(r.out.empty());
        CHECK(r.err.substr(0, r.err.find("\npct ")).find(needle) != std::string::npos);
        CHECK(r.err.find("\npct ") != std::string::npos);
        CHECK(s.conf(id) == before);
    }
}

TEST_CASE("cli suite: every single-host subcommand end to end on one container") {
    if (test::skip_containers("cli suite"))
        return;
    Suite s(true);
    if (s.btrfs_missing()) {
        MESSAGE("SKIP cli suite: no btrfs loop file system: " << s.why());
        return;
    }
    Vmid id = test::unique_vmid(95), copy = test::unique_vmid(94);
    s.guard(copy);
    const std::string ct = std::to_string(id.value);
    auto ok = [&](const std::string& args) {
        auto r = s.pct(args);
        INFO("pct " << args << " -> [" << r.status << "] stdout: " << r.out
                    << " stderr: " << r.err);
        CHECK(r.status == 0);
        return r;
    };
    s.create(id, "--rootfs bt:1");
    CHECK(ok("config " + ct).out.find("rootfs: bt:" + ct + "/vm-" + ct + "-disk-0.raw,size=1G\n") !=
          std::string::npos);
    CHECK(ok("list").out.find(ct + " ") != std::string::npos);
    ok("set " + ct + " --memory 128 --description 'made by the suite'");
    CHECK(ok("pending " + ct).out.find("cur memory: 128\n") != std::string::npos);
    ok("start " + ct);
    CHECK(ok("status " + ct).out == "status: running\n");
    CHECK(ok("exec " + ct + " -- cat /proc/1/comm").out == "init\n");
    // A live change: the new limit reaches the container's cgroup at once, nothing pending.
    ok("set " + ct + " --memory 160");
    CHECK(ok("pending " + ct).out.find("new memory") == std::string::npos);
    CHECK(ok("config " + ct + " --current").out.find("memory: 160\n") != std::string::npos);
    CHECK(ok("status " + ct + " --verbose").out.find("maxmem: 167772160\n") != std::string::npos);
    // push/pull with owner and mode.
    const std::string file = s.root() + "/.payload";
    std::ofstream(file) << "payload\n";
    ok(fmt::format("push {} '{}' /root/payload --user 1000 --perms 0640", ct, file));
    CHECK(ok("exec " + ct + " -- stat -c '%u %a' /root/payload").out == "1000 640\n");
    ok(fmt::format("pull {} /root/payload '{}.back'", ct, file));
    CHECK(slurp(file + ".back") == "payload\n");
    CHECK(ok("df " + ct).out.starts_with("MP"));
    ok("snapshot " + ct + " s1 --description first");
    CHECK(ok("listsnapshot " + ct).out.find("s1") != std::string::npos);
    CHECK(ok("config " + ct + " --snapshot s1").out.find("memory: 160\n") != std::string::npos);
    ok("exec " + ct + " -- touch /after-s1");
    ok("suspend " + ct);
    ok("resume " + ct);
    ok("stop " + ct);
    ok("rollback " + ct + " s1");
    ok("delsnapshot " + ct + " s1");
    CHECK(s.conf(id).find("[s1]") == std::string::npos);
    ok("mount " + ct);
    CHECK(fs::exists(fmt::format("{}/var/lib/lxc/{}/rootfs/etc", s.root(), ct)));
    CHECK_FALSE(fs::exists(fmt::format("{}/var/lib/lxc/{}/rootfs/after-s1", s.root(), ct)));
    ok("unmount " + ct);
    ok("resize " + ct + " rootfs +64M");
    CHECK(s.conf(id).find(",size=1088M\n") != std::string::npos);
    ok("fsck " + ct);
    ok("fstrim " + ct);
    ok("move-volume " + ct + " rootfs local --quiet");
    CHECK(s.conf(id).find("rootfs: local:" + ct + "/vm-" + ct + "-disk-") != std::string::npos);
    CHECK(s.conf(id).find("unused0: bt:") != std::string::npos);
    ok(fmt::format("clone {} {} --hostname copy --quiet", ct, copy.value));
    CHECK(s.conf(copy).find("hostname: copy\n") != std::string::npos);
    ok(fmt::format("template {}", copy.value));
    CHECK(s.conf(copy).find("template: 1\n") != std::string::npos);
    CHECK(ok("rescan --vmid " + ct + " --dryrun").out.starts_with("NOTE: running in dry-run"));
    CHECK(ok("cpusets").status == 0);
    s.set(id, "lock", "backup");
    ok("unlock " + ct);
    CHECK(s.conf(id).find("lock:") == std::string::npos);
    ok("start " + ct);
    ok("reboot " + ct + " --timeout 20");
    CHECK(ok("status " + ct).out == "status: running\n");
    ok("shutdown " + ct + " --timeout 20 --forceStop 1");
    ok(fmt::format("destroy {} --purge", ct));
    ok(fmt::format("destroy {} --purge", copy.value));
    CHECK(s.conf(id).empty());
    CHECK(ok("list").out.empty());
}

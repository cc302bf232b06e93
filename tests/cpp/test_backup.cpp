// SPDX-License-Identifier: AGPL-3.0-or-later
// `runtime::backup` (vzdump-format.md §1-§3) on real busybox containers: the archive's member
// order and owners (`tar tvf`), the pct.conf bytes, excludes, mount points, each mode (a
// running CT restarted after stop mode, the `vzdump` snapshot removed after snapshot mode on
// btrfs, the suspend fallback on a dir storage), and failures that leave no `.dat`, no lock and
// no mount but the `.log`.
#include "btrfs_loop.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/backup.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t mapped_root = 100000;

// A host root with `local` (dir) and, on request, `bt` (btrfs on a loop file at R/mnt/bt).
class BackupHost {
  public:
    explicit BackupHost(bool with_btrfs = false)
        : m_btrfs(with_btrfs ? std::make_unique<test::BtrfsLoop>(m_dir.path() + "/mnt/bt", 2048)
                             : nullptr),
          m_host(m_dir.path()), m_guard(m_host, {}) {
        test::write_text(m_dir.path() + "/etc/pve/storage.cfg",
                         "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl,backup\n"
                         "\tprune-backups keep-last=1\n" +
                             std::string(with_btrfs ? "\nbtrfs: bt\n\tpath /mnt/bt\n\tcontent "
                                                      "rootdir,images\n"
                                                    : ""));
    }
    [[nodiscard]] bool btrfs_missing() const { return m_btrfs && !m_btrfs->available(); }
    [[nodiscard]] std::string why() const { return m_btrfs ? m_btrfs->why() : ""; }
    [[nodiscard]] const storage::Host& host() const { return m_host; }
    [[nodiscard]] std::string path(const std::string& abs) const { return m_host.host_path(abs); }
    /// `pct --root R ARGS` with stdout and stderr.
    [[nodiscard]] test::CommandResult pct(const std::string& args) const {
        return test::sh(fmt::format("{} --root '{}' {} 2>&1", PCT_CLI, m_dir.path(), args));
    }

    runtime::Container create(Vmid id, std::map<std::string, std::string> options) {
        m_guard.add(id);
        options.emplace("ostype", "debian");
        runtime::CreateOptions co;
        co.ostemplate = test::busybox_template();
        co.options = std::move(options);
        auto ct = runtime::create(m_host, id, co);
        REQUIRE_MESSAGE(ct, (ct ? "" : to_string(ct.error())));
        return std::move(*ct);
    }
    [[nodiscard]] ContainerConfig config(Vmid id) const {
        auto c = m_host.read_config(id);
        REQUIRE_MESSAGE(c, (c ? "" : c.error().message));
        return c->config;
    }
    void set(Vmid id, const std::string& key, const std::string& value) const {
        auto doc = storage::ConfigDocument::load(m_host, id);
        REQUIRE(doc);
        REQUIRE(doc->set("", key, value));
        REQUIRE(doc->commit());
    }
    /// The rootfs directory of a CT on `local:0` (a subvol).
    [[nodiscard]] std::string rootfs(Vmid id) const {
        return path(fmt::format("/var/lib/vz/images/{0}/subvol-{0}-disk-0.subvol", id.value));
    }

  private:
    test::TempDir m_dir{"pct-rt"};
    std::unique_ptr<test::BtrfsLoop> m_btrfs;
    storage::Host m_host;
    test::CtGuard m_guard;
};

/// `tar tvf --numeric-owner` split into (owner "uid/gid", name) per member, in order.
struct Member {
    std::string owner;
    std::string name;
    char type = '-';
};

std::vector<Member> list_archive(const std::string& archive) {
    auto r = test::sh(fmt::format("tar tvf '{}' --numeric-owner 2>/dev/null", archive));
    REQUIRE(r.status == 0);
    std::vector<Member> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string mode, owner, size, date, time, name;
        f >> mode >> owner >> size >> date >> time;
        std::getline(f, name);
        name.erase(0, name.find_first_not_of(' '));
        if (auto arrow = name.find(" -> "); arrow != std::string::npos)
            name.resize(arrow);
        if (auto link = name.find(" link to "); link != std::string::npos)
            name.resize(link);
        out.push_back({owner, name, mode.empty() ? '?' : mode[0]});
    }
    return out;
}

bool has_member(const std::vector<Member>& members, std::string_view name) {
    for (const auto& m : members)
        if (m.name == name)
            return true;
    return false;
}

std::string archived_text(const std::string& archive, const std::string& member) {
    auto r = test::sh(fmt::format("tar xOf '{}' '{}' --occurrence", archive, member));
    REQUIRE(r.status == 0);
    return r.out;
}

std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

runtime::Container started(const storage::Host& host, Vmid id) {
    auto ct = runtime::Container::open(host, id);
    REQUIRE(ct);
    auto s = ct->start();
    REQUIRE_MESSAGE(s, (s ? "" : to_string(s.error())));
    REQUIRE(test::wait_boot(*ct));
    return std::move(*ct);
}

int in_ct(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return r->exit_code;
}

/// No mount of the host's mount table lies below `root` (the backup mounts privately).
bool nothing_mounted_below(const std::string& root) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.find(" " + root + "/") != std::string::npos &&
            line.find("/mnt/bt") == std::string::npos)
            return false;
    return true;
}

} // namespace

TEST_CASE("backup: stop mode of a stopped unprivileged CT writes Proxmox's member order") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h;
    Vmid id = test::unique_vmid(70);
    h.create(id, {{"rootfs", "local:0"}, {"hostname", "bk"}});
    // a raw mp0 with backup=1 (included) and a subvol mp1 without (excluded, its dir stays)
    auto storages = storage::Storages::load(h.host());
    REQUIRE(storages);
    auto data = storage::alloc_ct_disk(*storages, id, "local", 32 * 1024, mapped_root, mapped_root);
    REQUIRE(data);
    auto other = storage::alloc_ct_disk(*storages, id, "local", 0, mapped_root, mapped_root);
    REQUIRE(other);
    h.set(id, "mp0", *data + ",mp=/data,backup=1,size=32M");
    h.set(id, "mp1", *other + ",mp=/other");
    {
        auto ct = started(h.host(), id);
        CHECK(in_ct(ct,
                    "echo d > /data/file && echo o > /other/file && mkdir -p /srv/a/lost+found"
                    " /tmp/keepdir && echo t > /tmp/keepdir/t && echo v > /var/tmp/v && "
                    "echo s > /etc/skipme && echo k > /root/x.skip && echo k > /root/keep") == 0);
        REQUIRE(ct.stop());
    }
    // pending changes and a snapshot section never reach the archive (§2.4)
    std::string conf_path = h.host().config_path(id);
    std::string canonical = test::read_text(conf_path);
    test::write_text(conf_path, "parent: s1\n" + canonical +
                                    "\n[pve:pending]\nmemory: 1024\n\n[s1]\narch: amd64\n");

    test::TempDir dump("pct-bk");
    runtime::BackupOptions o;
    o.dumpdir = dump.path();
    o.mode = runtime::BackupMode::snapshot; // a stopped CT is backed up in stop mode anyway
    o.exclude_paths = {"/etc/skipme", "*.skip"};
    std::vector<std::string> lines;
    o.log = [&](std::string_view l) { lines.emplace_back(l); };
    auto r = runtime::backup(h.host(), id, o);
    REQUIRE_MESSAGE(r, (r ? "" : to_string(r.error())));
    CHECK(r->mode == runtime::BackupMode::stop);
    CHECK(r->volid.empty());
    auto name = fs::path(r->archive).filename().string();
    CHECK(name.starts_with(fmt::format("vzdump-lxc-{}-", id.value)));
    CHECK(name.ends_with(".tar"));
    CHECK(storage::archive_info(name).has_value());
    CHECK(fs::path(r->archive).parent_path() == dump.path());
    CHECK(r->log_path == dump.path() + "/" + name.substr(0, name.size() - 4) + ".log");
    // the archive and its log, nothing else (no .dat, no temp dir)
    CHECK(files_in(dump.path()) ==
          std::vector<std::string>{fs::path(r->log_path).filename().string(), name});
    CHECK_FALSE(h.config(id).main.get("lock"));

    auto members = list_archive(r->archive);
    REQUIRE(members.size() > 5);
    CHECK(members[0].name == "./etc/vzdump/pct.conf");
    CHECK(members[1].name == "./etc/vzdump/pct.fw");
    CHECK(members[2].name == "./");
    // ids container-relative; the host-root-owned config files unmapped inside the userns
    CHECK(members[0].owner == "65534/65534");
    CHECK(members[2].owner == "0/0");
    for (const auto& m : members)
        CHECK(m.name.starts_with("./"));
    CHECK(has_member(members, "./data/file"));
    CHECK(has_member(members, "./other/"));
    CHECK_FALSE(has_member(members, "./other/file"));
    CHECK(has_member(members, "./tmp/"));
    CHECK_FALSE(has_member(members, "./tmp/keepdir/"));
    CHECK_FALSE(has_member(members, "./tmp/keepdir/t"));
    CHECK_FALSE(has_member(members, "./var/tmp/v"));
    CHECK_FALSE(has_member(members, "./etc/skipme"));
    CHECK_FALSE(has_member(members, "./root/x.skip"));
    CHECK(has_member(members, "./root/keep"));
    CHECK(has_member(members, "./srv/a/"));
    CHECK_FALSE(has_member(members, "./srv/a/lost+found/"));
    // the mount point directory twice: from the rootfs walk and as its own source (§2.2)
    CHECK(std::count_if(members.begin(), members.end(),
                        [](const Member& m) { return m.name == "./data/"; }) == 2);

    // write_pct_config's layout: keys sorted, no lock/parent/sections (§2.4)
    CHECK(archived_text(r->archive, "./etc/vzdump/pct.conf") ==
          fmt::format("arch: amd64\nhostname: bk\nmemory: 512\n"
                      "mp0: local:{0}/vm-{0}-disk-1.raw,mp=/data,backup=1,size=32M\n"
                      "mp1: local:{0}/subvol-{0}-disk-2.subvol,mp=/other\nostype: debian\n"
                      "rootfs: local:{0}/subvol-{0}-disk-0.subvol,size=0T\nswap: 512\n"
                      "unprivileged: 1\n",
                      id.value));
    CHECK(archived_text(r->archive, "./etc/vzdump/pct.fw").empty());

    std::string log = test::read_text(r->log_path);
    CHECK(log.find("INFO: Starting Backup of VM") != std::string::npos);
    CHECK(log.find("INFO: backup mode: stop") != std::string::npos);
    CHECK(log.find("INFO: including mount point mp0 ('/data') in backup") != std::string::npos);
    CHECK(log.find("INFO: excluding volume mount point mp1 ('/other') from backup (disabled)") !=
          std::string::npos);
    CHECK(log.find("INFO: Total bytes written: ") != std::string::npos);
    CHECK(std::find(lines.begin(), lines.end(), "INFO: backup mode: stop") != lines.end());
    CHECK(nothing_mounted_below(h.path("/")));
}

TEST_CASE("backup: compression by name and a firewall file in a privileged CT") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h;
    Vmid id = test::unique_vmid(71);
    h.create(id, {{"rootfs", "local:0"}, {"unprivileged", "0"}});
    test::write_text(h.path(fmt::format("/etc/pve/firewall/{}.fw", id.value)),
                     "[OPTIONS]\nenable: 1\n");
    test::TempDir dump("pct-bk");
    for (auto [c, ext, flag] :
         {std::tuple{storage::BackupCompression::zstd, ".tar.zst", "--zstd"},
          std::tuple{storage::BackupCompression::gzip, ".tar.gz", "-z"},
          std::tuple{storage::BackupCompression::lzo, ".tar.lzo", "--lzop"}}) {
        CAPTURE(ext);
        runtime::BackupOptions o;
        o.dumpdir = dump.path();
        o.compress = c;
        auto r = runtime::backup(h.host(), id, o);
        REQUIRE_MESSAGE(r, (r ? "" : to_string(r.error())));
        CHECK(r->archive.ends_with(ext));
        CHECK(r->archive_size == fs::file_size(r->archive));
        auto first =
            test::sh(fmt::format("tar tvf '{}' {} --numeric-owner | head -3", r->archive, flag));
        CHECK(first.out.find("0/0") != std::string::npos);
        CHECK(first.out.find("./etc/vzdump/pct.conf\n") < first.out.find("./etc/vzdump/pct.fw"));
        CHECK(archived_text(r->archive, "./etc/vzdump/pct.fw") == "[OPTIONS]\nenable: 1\n");
        ::sleep(1); // the next archive gets the next second's name
    }
}

TEST_CASE("backup: stop mode restarts a running CT and snapshot mode on dir falls back") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h;
    Vmid id = test::unique_vmid(72);
    h.create(id, {{"rootfs", "local:0"}});
    auto ct = started(h.host(), id);
    CHECK(in_ct(ct, "echo live > /root/live") == 0);
    test::TempDir dump("pct-bk");

    runtime::BackupOptions o;
    o.dumpdir = dump.path();
    o.mode = runtime::BackupMode::stop;
    auto r = runtime::backup(h.host(), id, o);
    REQUIRE_MESSAGE(r, (r ? "" : to_string(r.error())));
    CHECK(r->mode == runtime::BackupMode::stop);
    CHECK(ct.running());
    CHECK(has_member(list_archive(r->archive), "./root/live"));
    std::string log = test::read_text(r->log_path);
    CHECK(log.find("INFO: stopping virtual guest") < log.find("INFO: creating vzdump archive"));
    CHECK(log.find("INFO: restarting vm") != std::string::npos);
    REQUIRE(test::wait_boot(ct));
    ::sleep(1);

    // snapshot mode on a dir storage: no snapshots there, Proxmox's fallback to suspend
    o.mode = runtime::BackupMode::snapshot;
    r = runtime::backup(h.host(), id, o);
    REQUIRE_MESSAGE(r, (r ? "" : to_string(r.error())));
    CHECK(r->mode == runtime::BackupMode::suspend);
    CHECK(ct.running());
    CHECK(ct.state() == runtime::State::running); // thawed
    log = test::read_text(r->log_path);
    CHECK(log.find("INFO: mode failure - some volumes do not support snapshots") !=
          std::string::npos);
    CHECK(log.find("INFO: trying 'suspend' mode instead") != std::string::npos);
    CHECK(log.find("INFO: starting final sync") != std::string::npos);
    auto members = list_archive(r->archive);
    REQUIRE(members.size() > 3);
    CHECK(members[0].name == "./etc/vzdump/pct.conf");
    CHECK(members[1].name == "./etc/vzdump/pct.fw");
    CHECK(members[2].name == "./");
    CHECK(members[2].owner == "0/0");
    CHECK(has_member(members, "./root/live"));
    CHECK(has_member(members, "./etc/vzdump/")); // suspend layout: the copy's own dir (§2.2)
    CHECK_FALSE(h.config(id).main.get("lock"));
    CHECK(files_in(dump.path()).size() == 4);
    REQUIRE(ct.stop());
}

TEST_CASE("backup: snapshot mode on btrfs takes and removes the vzdump snapshot") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h(true);
    if (h.btrfs_missing()) {
        MESSAGE("SKIP backup: no btrfs loop file system: " << h.why());
        return;
    }
    Vmid id = test::unique_vmid(73);
    h.create(id, {{"rootfs", "bt:0"}});
    auto storages = storage::Storages::load(h.host());
    REQUIRE(storages);
    auto data = storage::alloc_ct_disk(*storages, id, "bt", 32 * 1024, mapped_root, mapped_root);
    REQUIRE(data);
    h.set(id, "mp0", *data + ",mp=/data,backup=1,size=32M");
    auto ct = started(h.host(), id);
    CHECK(in_ct(ct, "echo snap > /root/snap && echo d > /data/d && sync") == 0);
    test::TempDir dump("pct-bk");
    runtime::BackupOptions o;
    o.dumpdir = dump.path();
    o.mode = runtime::BackupMode::snapshot;
    o.compress = storage::BackupCompression::zstd;
    auto r = runtime::backup(h.host(), id, o);
    REQUIRE_MESSAGE(r, (r ? "" : to_string(r.error())));
    CHECK(r->mode == runtime::BackupMode::snapshot);
    CHECK(ct.state() == runtime::State::running);
    auto members = list_archive(r->archive);
    CHECK(has_member(members, "./root/snap"));
    CHECK(has_member(members, "./data/d"));
    auto conf = h.config(id);
    CHECK_FALSE(conf.snapshots.contains("vzdump"));
    CHECK_FALSE(conf.main.get("lock"));
    CHECK_FALSE(conf.main.get("parent"));
    CHECK_FALSE(fs::exists(
        h.path(fmt::format("/mnt/bt/images/{0}/subvol-{0}-disk-0.subvol@vzdump", id.value))));
    std::string pct_conf = archived_text(r->archive, "./etc/vzdump/pct.conf");
    CHECK(pct_conf.find("[vzdump]") == std::string::npos);
    CHECK(pct_conf.find("lock:") == std::string::npos);
    std::string log = test::read_text(r->log_path);
    CHECK(log.find("INFO: create storage snapshot 'vzdump'") != std::string::npos);
    CHECK(log.find("INFO: cleanup temporary 'vzdump' snapshot") != std::string::npos);
    REQUIRE(ct.stop());
}

TEST_CASE("backup: a failing tar leaves the log and nothing else") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h;
    Vmid id = test::unique_vmid(74);
    h.create(id, {{"rootfs", "local:0"}});
    // a directory of an unmapped host owner that CT root cannot read (§7 #3)
    std::string secret = h.rootfs(id) + "/secret";
    REQUIRE(::mkdir(secret.c_str(), 0700) == 0);
    REQUIRE(::chown(secret.c_str(), 5, 5) == 0);
    test::write_text(secret + "/f", "x");
    test::TempDir dump("pct-bk");
    runtime::BackupOptions o;
    o.dumpdir = dump.path();
    o.compress = storage::BackupCompression::zstd;
    auto r = runtime::backup(h.host(), id, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().message.find("Permission denied") != std::string::npos);
    auto left = files_in(dump.path());
    REQUIRE(left.size() == 1);
    CHECK(left[0].ends_with(".log"));
    CHECK(test::read_text(dump.path() + "/" + left[0]).find("ERROR: Backup of VM") !=
          std::string::npos);
    CHECK_FALSE(h.config(id).main.get("lock"));
    CHECK(nothing_mounted_below(h.path("/")));
    std::string var_tmp = h.path("/var/tmp");
    CHECK((!fs::exists(var_tmp) || files_in(var_tmp).empty()));
}

TEST_CASE("backup: refusals name the problem") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h;
    Vmid id = test::unique_vmid(75);
    h.create(id, {{"rootfs", "local:0"}});
    test::TempDir dump("pct-bk");
    runtime::BackupOptions o;
    o.dumpdir = dump.path();

    h.set(id, "lock", "mounted");
    auto r = runtime::backup(h.host(), id, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().message == "CT is locked (mounted)");
    CHECK(h.config(id).main.get("lock") == std::optional<std::string_view>("mounted"));
    {
        auto doc = storage::ConfigDocument::load(h.host(), id);
        REQUIRE(doc);
        REQUIRE(doc->remove("", "lock"));
        REQUIRE(doc->commit());
    }

    o.storage = "local";
    r = runtime::backup(h.host(), id, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().key == "dumpdir");

    Vmid missing = test::unique_vmid(76);
    o.storage.reset();
    r = runtime::backup(h.host(), missing, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::not_found);
    CHECK_FALSE(fs::exists(h.host().config_path(missing)));
}

TEST_CASE("backup: a storage target gets notes and protection and is pruned by keep-last") {
    if (test::skip_containers("backup"))
        return;
    BackupHost h;
    Vmid id = test::unique_vmid(77);
    h.create(id, {{"rootfs", "local:0"}, {"hostname", "web"}});
    const std::string dump = h.path("/var/lib/vz/dump");

    runtime::BackupOptions o;
    o.storage = "local";
    o.protect = true;
    o.notes_template = "first {{vmid}}";
    auto first = runtime::backup(h.host(), id, o);
    REQUIRE_MESSAGE(first, (first ? "" : to_string(first.error())));
    CHECK(first->archive.starts_with(dump + "/"));
    CHECK(first->volid == "local:backup/" + fs::path(first->archive).filename().string());
    CHECK(fs::exists(first->archive + ".protected"));
    CHECK(test::read_text(first->archive + ".notes") == fmt::format("first {}", id.value));
    CHECK(first->pruned.empty()); // a protected backup does not count
    ::sleep(1);

    // through the CLI: vzdump's INFO lines on stdout
    auto second = h.pct(fmt::format("backup {} --storage local --compress zstd --quiet "
                                    "--notes-template '{{{{guestname}}}}\\nline2'",
                                    id.value));
    CHECK(second.status == 0);
    CHECK(second.out.find("INFO: creating vzdump archive '" + dump) != std::string::npos);
    CHECK(second.out.find("INFO: adding notes to backup") != std::string::npos);
    auto listed = storage::list_backups(dump, id);
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    std::string second_archive = (*listed)[1].path;
    CHECK(second_archive.ends_with(".tar.zst"));
    CHECK(test::read_text(second_archive + ".notes") == "web\nline2");
    ::sleep(1);

    auto third = h.pct(fmt::format("backup {} --storage local", id.value));
    CHECK(third.status == 0);
    CHECK(third.out.find("INFO: prune older backups with retention: keep-last=1") !=
          std::string::npos);
    CHECK(third.out.find("INFO: pruned 1 backup(s) not covered by keep-retention policy") !=
          std::string::npos);
    listed = storage::list_backups(dump, id);
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    CHECK((*listed)[0].path == first->archive); // protected: kept
    CHECK((*listed)[0].is_protected);
    CHECK_FALSE(fs::exists(second_archive));
    CHECK_FALSE(fs::exists(second_archive + ".notes"));

    // the CLI's refusals: one line, exit 255, no lock left
    auto bad = h.pct(fmt::format("backup {} --mode fast", id.value));
    CHECK(bad.status == 255);
    CHECK(bad.out.find("mode") != std::string::npos);
    bad = h.pct(fmt::format("backup {} --compress bzip2", id.value));
    CHECK(bad.status == 255);
    CHECK_FALSE(h.config(id).main.get("lock"));
}

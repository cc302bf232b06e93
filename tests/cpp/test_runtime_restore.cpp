// SPDX-License-Identifier: AGPL-3.0-or-later
// `restore` on real volumes and containers: archives made here with GNU tar and Proxmox's own
// backup command line (vzdump-format spec §2.1) from the busybox template, restored in simple
// and advanced mode, privileged and unprivileged, then started; the refusals (truncated and
// hostile archives, no config, names without `./`, ids outside the target's map) leave
// nothing behind; --force, --unique and the firewall file.
#include "create_leftovers.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/restore.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
using pct::test::CtHost;
using pct::test::sh;
namespace fs = std::filesystem;

namespace {

// Proxmox's backup tar (stop mode, §2.1) of `rootfs` with pct.conf/pct.fw from `tmpdir`.
std::string backup_tar_command(const std::string& tmpdir, const std::string& rootfs) {
    return fmt::format(
        "tar cpf - --totals --one-file-system -p --sparse --numeric-owner --acls --xattrs "
        "'--xattrs-include=user.*' --xattrs-include=security.capability "
        "--warning=no-file-ignored --warning=no-xattr-write --one-file-system "
        "--warning=no-file-ignored '--directory={}' ./etc/vzdump/pct.conf ./etc/vzdump/pct.fw "
        "'--directory={}' --no-anchored --anchored '--exclude=./tmp/?*' '--exclude=./var/tmp/?*' "
        "'--exclude=./var/run/?*.pid' ./",
        tmpdir, rootfs);
}

// A source "container": the busybox template unpacked into `dir/root`, plus a marker file.
struct Source {
    test::TempDir dir{"pct-restore-src"};
    std::string root = dir.sub("root");
    std::string tmp = dir.sub("tmp");
    Source() {
        fs::create_directories(root);
        fs::create_directories(tmp + "/etc/vzdump");
        auto r = sh(fmt::format("zstd -q -d -c '{}' | tar xpf - --numeric-owner -C '{}'",
                                test::busybox_template(), root));
        if (r.status != 0)
            throw std::runtime_error("cannot unpack the busybox template: " + r.out);
        test::write_text(root + "/etc/restore-marker", "restored\n");
    }
    // pct.conf and pct.fw in the temp dir vzdump's tar reads them from.
    void write_meta(const std::string& conf, const std::string& fw = "") const {
        test::write_text(tmp + "/etc/vzdump/pct.conf", conf);
        fs::remove(tmp + "/etc/vzdump/pct.fw");
        test::write_text(tmp + "/etc/vzdump/pct.fw", fw);
    }
    // The archive `out` of what write_meta wrote and the rootfs, piped through `compress`.
    void pack(const std::string& out, const std::string& compress = "cat") const {
        auto r = sh(fmt::format("{0} > '{2}.raw' && {1} < '{2}.raw' > '{2}' && rm '{2}.raw'",
                                backup_tar_command(tmp, root), compress, out));
        if (r.status != 0)
            throw std::runtime_error("cannot make the archive: " + r.out);
    }
    // The archive `out` with `conf` as pct.conf and `fw` as pct.fw, piped through `compress`.
    void archive(const std::string& out, const std::string& conf, const std::string& fw = "",
                 const std::string& compress = "cat") const {
        write_meta(conf, fw);
        pack(out, compress);
    }
};

const std::string privileged_conf = "arch: amd64\n"
                                    "hostname: source\n"
                                    "memory: 256\n"
                                    "ostype: debian\n"
                                    "rootfs: local:100/subvol-100-disk-0.subvol,size=0T\n"
                                    "swap: 64\n";

std::string dump_dir(const CtHost& env) {
    std::string dir = env.root() + "/var/lib/vz/dump";
    fs::create_directories(dir);
    return dir;
}

std::string rootfs_dir(const CtHost& env, Vmid id) {
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    std::string value(conf->config.main.get("rootfs").value_or(""));
    auto path = env.host().volume_path(id, value.substr(0, value.find(',')));
    REQUIRE(path.has_value());
    return *path;
}

struct stat lstat_of(const std::string& path) {
    struct stat st {};
    REQUIRE_MESSAGE(::lstat(path.c_str(), &st) == 0, path);
    return st;
}

std::string firewall_path(const CtHost& env, Vmid id) {
    return fmt::format("{}/etc/pve/firewall/{}.fw", env.root(), id.value);
}

// A refused restore: the error, and nothing of the CT left.
void check_refused_clean(const CtHost& env, Vmid id, const Result<runtime::Container>& r) {
    REQUIRE_FALSE(r.has_value());
    auto left = test::create_leftovers(env, id);
    CHECK_MESSAGE(left.empty(), test::joined(left));
    CHECK_FALSE(fs::exists(firewall_path(env, id)));
}

} // namespace

TEST_CASE("runtime restore: simple mode from a storage volume id then start") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(96);
    env.guard(id);
    std::string name = fmt::format("vzdump-lxc-{}-2026_01_02-03_04_05.tar", id.value);
    src.archive(dump_dir(env) + "/" + name, privileged_conf, "[OPTIONS]\nenable: 1\n");
    std::vector<std::string> log;
    std::vector<runtime::Progress> reports;
    runtime::RestoreOptions o;
    o.archive = "local:backup/" + name;
    o.log = [&](std::string_view line) { log.emplace_back(line); };
    o.progress = [&](const runtime::Progress& p) { reports.push_back(p); };
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    const auto& main = conf->config.main;
    CHECK(main.get("hostname") == "source");
    CHECK(main.get("memory") == "256");
    CHECK(main.get("swap") == "64");
    CHECK(main.get("unprivileged") == "0");
    CHECK_FALSE(main.get("lock"));
    CHECK(main.get("rootfs") ==
          fmt::format("local:{0}/subvol-{0}-disk-0.subvol,size=0T", id.value));
    std::string rootfs = rootfs_dir(env, id);
    CHECK(test::read_text(rootfs + "/etc/restore-marker") == "restored\n");
    CHECK(lstat_of(rootfs + "/bin/busybox").st_uid == 0);
    // The config member is consumed, a non-empty pct.fw becomes the host's firewall file.
    CHECK_FALSE(fs::exists(rootfs + "/etc/vzdump/pct.conf"));
    CHECK_FALSE(fs::exists(rootfs + "/etc/vzdump/pct.fw"));
    CHECK(test::read_text(firewall_path(env, id)) == "[OPTIONS]\nenable: 1\n");
    REQUIRE_FALSE(reports.empty());
    CHECK(reports.back().phase == "restore");
    CHECK(reports.back().done);
    CHECK(reports.back().bytes == fs::file_size(dump_dir(env) + "/" + name));
    CHECK(std::ranges::find(log, fmt::format("extracting archive '{}/{}'", dump_dir(env), name)) !=
          log.end());
    REQUIRE(ct->start().has_value());
    CHECK(test::wait_boot(*ct));
    runtime::ExecOptions cat;
    cat.argv = {"cat", "/etc/restore-marker"};
    auto out = ct->exec(cat);
    REQUIRE(out.has_value());
    CHECK(out->out == "restored\n");
    REQUIRE(ct->stop({}).has_value());
    REQUIRE(ct->destroy({}).has_value());
}

TEST_CASE("runtime restore: unprivileged target shifts ids and keeps an empty pct.fw") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    ::chown((src.root + "/etc/restore-marker").c_str(), 1000, 1000);
    Vmid id = test::unique_vmid(97);
    env.guard(id);
    std::string archive = src.dir.sub("backup.tar.zst");
    src.archive(archive, privileged_conf + "unprivileged: 1\n", "", "zstd -q --threads=1");
    runtime::RestoreOptions o;
    o.archive = archive;
    o.start = true;
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    CHECK(test::wait_boot(*ct));
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    CHECK(conf->config.main.get("unprivileged") == "1");
    std::string rootfs = rootfs_dir(env, id);
    CHECK(lstat_of(rootfs + "/bin/busybox").st_uid == 100000);
    CHECK(lstat_of(rootfs + "/etc/restore-marker").st_uid == 101000);
    CHECK(lstat_of(rootfs + "/etc/restore-marker").st_gid == 101000);
    // As in Proxmox, an empty pct.fw stays in the CT and no firewall file is made.
    CHECK(fs::exists(rootfs + "/etc/vzdump/pct.fw"));
    CHECK_FALSE(fs::exists(firewall_path(env, id)));
    REQUIRE(ct->stop({}).has_value());
    REQUIRE(ct->destroy({}).has_value());
}

namespace {

// A small crafted archive: `members` as (name, kind, data/link) written with Python's tarfile
// (pax, as GNU tar writes with --acls/--xattrs).
std::string crafted(const test::TempDir& dir, const std::string& name, const std::string& body) {
    std::string out = dir.sub(name);
    std::string script = dir.sub(name + ".py");
    test::write_text(script, "import io, sys, tarfile\n"
                             "t = tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT)\n"
                             "def add(path, kind=tarfile.REGTYPE, link='', data=b'x\\n'):\n"
                             "    i = tarfile.TarInfo(path)\n"
                             "    i.type, i.linkname = kind, link\n"
                             "    i.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644\n"
                             "    if kind == tarfile.REGTYPE:\n"
                             "        i.size = len(data)\n"
                             "        t.addfile(i, io.BytesIO(data))\n"
                             "    else:\n"
                             "        t.addfile(i)\n" +
                                 body + "t.close()\n");
    auto r = sh(fmt::format("/usr/bin/python3 '{}' '{}'", script, out));
    if (r.status != 0)
        throw std::runtime_error("cannot craft " + name + ": " + r.out);
    return out;
}

const std::string crafted_head = "add('./etc/vzdump/pct.conf', data=b'hostname: evil\\n"
                                 "rootfs: local:100/subvol-100-disk-0.subvol,size=0T\\n')\n"
                                 "add('./etc/vzdump/pct.fw', data=b'[OPTIONS]\\nenable: 1\\n')\n"
                                 "add('./', tarfile.DIRTYPE)\n"
                                 "add('./etc', tarfile.DIRTYPE)\n";

} // namespace

TEST_CASE("runtime restore: truncated and hostile archives are refused and leave nothing") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    test::TempDir outside("pct-restore-outside");
    Vmid id = test::unique_vmid(98);
    env.guard(id);
    std::string full = src.dir.sub("full.tar");
    src.archive(full, privileged_conf, "[OPTIONS]\nenable: 1\n");
    std::string truncated = src.dir.sub("truncated.tar");
    auto cut = sh(
        fmt::format("head -c $(( $(stat -c %s '{0}') / 2 + 100 )) '{0}' > '{1}'", full, truncated));
    REQUIRE(cut.status == 0);
    struct Case {
        std::string what, archive;
        Errc code;
        std::string message_part;
        bool unprivileged;
    };
    std::vector<Case> cases = {
        {"truncated", truncated, Errc::io, "Unexpected EOF", false},
        {"dotdot", crafted(src.dir, "dotdot.tar", crafted_head + "add('./../pct-restore-evil')\n"),
         Errc::io, "tar exit code 2", false},
        {"symlink then write",
         crafted(src.dir, "symlink.tar",
                 crafted_head + fmt::format("add('./link', tarfile.SYMTYPE, '{}')\n"
                                            "add('./link/pct-restore-evil')\n",
                                            outside.path())),
         Errc::io, "tar exit code 2", true},
        {"device node outside /dev",
         crafted(src.dir, "mknod.tar",
                 crafted_head + "i = tarfile.TarInfo('./etc/pct-restore-null')\n"
                                "i.type, i.devmajor, i.devminor = tarfile.CHRTYPE, 1, 3\n"
                                "t.addfile(i)\n"),
         Errc::io, "Cannot mknod", true},
        {"no config",
         crafted(src.dir, "noconf.tar", "add('./', tarfile.DIRTYPE)\nadd('./etc/hostname')\n"),
         Errc::invalid_argument, "archive contains no configuration file", false},
        {"no ./ prefix",
         crafted(src.dir, "noprefix.tar",
                 "add('etc/vzdump/pct.conf', data=b'hostname: x\\n"
                 "rootfs: local:100/subvol-100-disk-0.subvol,size=0T\\n')\n"),
         Errc::invalid_argument, "archive contains no configuration file", false},
    };
    for (const auto& c : cases) {
        for (bool unprivileged : {false, true}) {
            if (unprivileged && !c.unprivileged)
                continue;
            if (!unprivileged && c.what == "device node outside /dev")
                continue; // a privileged target makes device nodes, as in Proxmox
            CAPTURE(c.what);
            CAPTURE(unprivileged);
            runtime::RestoreOptions o;
            o.archive = c.archive;
            if (unprivileged)
                o.options["unprivileged"] = "1";
            auto r = runtime::restore(env.host(), id, o);
            check_refused_clean(env, id, r);
            if (r)
                continue;
            CHECK(r.error().code == c.code);
            CHECK_MESSAGE(r.error().message.find(c.message_part) != std::string::npos,
                          r.error().message);
            CHECK_FALSE(fs::exists(fs::path(env.root()).parent_path() / "pct-restore-evil"));
            CHECK_FALSE(fs::exists(outside.path() + "/pct-restore-evil"));
        }
    }
}

TEST_CASE("runtime restore: ids outside an unprivileged target fail unless ignored") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    ::chown((src.root + "/etc/restore-marker").c_str(), 70000, 70000);
    Vmid id = test::unique_vmid(99);
    env.guard(id);
    std::string archive = src.dir.sub("backup.tar");
    src.archive(archive, privileged_conf);
    runtime::RestoreOptions o;
    o.archive = archive;
    o.options["unprivileged"] = "1";
    auto r = runtime::restore(env.host(), id, o);
    check_refused_clean(env, id, r);
    if (!r) {
        CHECK(r.error().code == Errc::io);
        CHECK_MESSAGE(r.error().message.starts_with(
                          fmt::format("unable to restore CT {} - unable to unpack", id.value)),
                      r.error().message);
        CHECK_MESSAGE(r.error().message.find("Cannot change ownership") != std::string::npos,
                      r.error().message);
    }
    o.ignore_unpack_errors = true;
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    std::string rootfs = rootfs_dir(env, id);
    // The file stays owned by the CT's root, as in Proxmox.
    CHECK(lstat_of(rootfs + "/etc/restore-marker").st_uid == 100000);
    REQUIRE(ct->destroy({}).has_value());
}

TEST_CASE("runtime restore: force replaces a stopped CT and is refused on a running one") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(96);
    auto old = env.create(id, {{"hostname", "old"}, {"unprivileged", "0"}});
    std::string old_rootfs = rootfs_dir(env, id);
    std::string archive = src.dir.sub("backup.tar");
    src.archive(archive, privileged_conf);
    runtime::RestoreOptions o;
    o.archive = archive;
    auto r = runtime::restore(env.host(), id, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::already_exists);
    REQUIRE(old.start().has_value());
    o.force = true;
    r = runtime::restore(env.host(), id, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().message == fmt::format("unable to restore CT {} - CT is running", id.value));
    CHECK(env.host().read_config(id)->config.main.get("hostname") == "old");
    REQUIRE(old.stop({}).has_value());
    // A failing restore before the old volumes are freed leaves the old CT as it was.
    runtime::RestoreOptions bad = o;
    bad.archive = src.dir.sub("missing.tar");
    test::write_text(bad.archive, "not a tar");
    r = runtime::restore(env.host(), id, bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(env.host().read_config(id)->config.main.get("hostname") == "old");
    CHECK(fs::exists(old_rootfs + "/bin/busybox"));
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    CHECK(env.host().read_config(id)->config.main.get("hostname") == "source");
    std::string new_rootfs = rootfs_dir(env, id);
    CHECK(new_rootfs != old_rootfs);
    CHECK_FALSE(fs::exists(old_rootfs));
    CHECK(fs::exists(new_rootfs + "/etc/restore-marker"));
    REQUIRE(ct->destroy({}).has_value());
}

TEST_CASE("runtime restore: unique gives new MACs and advanced mode takes the given rootfs") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(97);
    env.guard(id);
    std::string archive = src.dir.sub("backup.tar.gz");
    src.archive(archive,
                privileged_conf + "mp0: local:100/vm-100-disk-1.raw,mp=/data,backup=1,size=64M\n"
                                  "net0: name=eth0,bridge=vmbr9,hwaddr=BC:24:11:AA:BB:CC,"
                                  "type=veth\n",
                "", "gzip --rsyncable");
    for (bool unique : {false, true}) {
        CAPTURE(unique);
        runtime::RestoreOptions o;
        o.archive = archive;
        o.unique = unique;
        o.options = {{"rootfs", "local:0"}, {"net0", "name=eth1,bridge=vmbr1"}};
        auto ct = runtime::restore(env.host(), id, o);
        REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
        auto conf = env.host().read_config(id);
        REQUIRE(conf.has_value());
        const auto& main = conf->config.main;
        // Advanced mode: the archive's mp0 is not recreated; its files land in the rootfs.
        CHECK_FALSE(main.get("mp0"));
        std::string net0(main.get("net0").value_or(""));
        if (unique) { // Proxmox's quirk: the archive's net0 with a new MAC replaces the given
            CHECK(net0.find("bridge=vmbr9") != std::string::npos);
            CHECK(net0.find("hwaddr=BC:24:11:") != std::string::npos);
            CHECK(net0.find("AA:BB:CC") == std::string::npos);
        } else {
            CHECK(net0.starts_with("name=eth1,bridge=vmbr1,hwaddr=BC:24:11:"));
            CHECK(net0.ends_with(",type=veth"));
        }
        REQUIRE(ct->destroy({}).has_value());
    }
}

TEST_CASE("runtime restore: pct restore and pct create --restore 1 on the command line") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(98);
    env.guard(id);
    std::string archive = src.dir.sub("backup.tar.lzo");
    src.archive(archive, privileged_conf, "", "lzop -c");
    auto pct = [&](const std::string& args) {
        return sh(
            fmt::format("'{}/bin/pct' --root '{}' {} 2>&1", PCT_BINARY_DIR, env.root(), args));
    };
    auto hostname = [&] {
        auto conf = env.host().read_config(id);
        return conf ? std::string(conf->config.main.get("hostname").value_or("")) : std::string();
    };
    auto r = pct(fmt::format("restore {} '{}' --hostname cli --quiet", id.value, archive));
    CHECK_MESSAGE(r.status == 0, r.out);
    CHECK(r.out.empty());
    CHECK(hostname() == "cli");
    // Refused over an existing CT without --force: Proxmox's exit status and one line.
    r = pct(fmt::format("create {} '{}' --restore 1", id.value, archive));
    CHECK(r.status == 255);
    CHECK(r.out == fmt::format("CT {} already exists\n", id.value));
    r = pct(fmt::format("create {} '{}' --restore 1 --force 1 --quiet", id.value, archive));
    CHECK_MESSAGE(r.status == 0, r.out);
    CHECK(hostname() == "source");
    // From stdin: uncompressed, --rootfs required; the log names STDIN.
    std::string plain = src.dir.sub("backup.tar");
    src.archive(plain, privileged_conf);
    r = pct(fmt::format("restore {} - --force 1 < '{}'", id.value, plain));
    CHECK(r.status == 255);
    CHECK(r.out == "restore from pipe requires rootfs parameter\n");
    r = pct(fmt::format("restore {} - --force 1 --rootfs local:0 --hostname piped < '{}'", id.value,
                        plain));
    CHECK_MESSAGE(r.status == 0, r.out);
    CHECK(r.out.find("extracting archive from STDIN\n") != std::string::npos);
    CHECK(hostname() == "piped");
    // Privileged: the stream carries no config before extraction (§4.3).
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    CHECK(conf->config.main.get("unprivileged") == "0");
    auto ct = runtime::Container::open(env.host(), id);
    REQUIRE(ct.has_value());
    REQUIRE(ct->destroy({}).has_value());
}

TEST_CASE("runtime restore: raw volumes in simple mode and a template's backup") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(99);
    env.guard(id);
    std::string archive = src.dir.sub("backup.tar");
    src.archive(archive, "arch: amd64\nhostname: tpl\nostype: debian\n"
                         "mp0: local:100/vm-100-disk-1.raw,mp=/data,backup=0,size=32M\n"
                         "rootfs: local:100/vm-100-disk-0.raw,size=64M\n"
                         "template: 1\n");
    runtime::RestoreOptions o;
    o.archive = archive;
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    const auto& main = conf->config.main;
    CHECK(main.get("template") == "1");
    CHECK(main.get("rootfs") == fmt::format("local:{0}/base-{0}-disk-0.raw,size=64M", id.value));
    CHECK(main.get("mp0") ==
          fmt::format("local:{0}/base-{0}-disk-1.raw,mp=/data,backup=0,size=32M", id.value));
    CHECK(main.get("hostname") == "tpl");
    REQUIRE(ct->destroy({}).has_value());
    auto left = test::create_leftovers(env, id);
    CHECK_MESSAGE(left.empty(), test::joined(left));
}

TEST_CASE("runtime restore: delayed bind mounts, ./dev, a symlinked pct.fw, sizes, bwlimit") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(96);
    env.guard(id);
    test::write_text(src.root + "/dev/pct-restore-dev", "never extracted\n");
    std::string bind = src.dir.sub("share");
    fs::create_directories(bind);
    std::string conf =
        privileged_conf + fmt::format("mp1: {},mp=/share\n", bind) + "lxc.cap.drop: sys_time\n";
    src.write_meta(conf);
    fs::remove(src.tmp + "/etc/vzdump/pct.fw");
    fs::create_symlink("/etc/hostname", src.tmp + "/etc/vzdump/pct.fw");
    std::string archive = src.dir.sub("backup.tar");
    src.pack(archive);
    runtime::RestoreOptions o;
    o.archive = archive;
    o.bwlimit_kib = 1024;                   // 2.4 MiB at 1 MiB/s: two seconds at least
    o.options["mp2"] = "local:0,mp=/extra"; // simple mode keeps a given mpN beside the archive's
    std::vector<std::string> log;
    o.log = [&](std::string_view line) { log.emplace_back(line); };
    auto begin = std::chrono::steady_clock::now();
    auto ct = runtime::restore(env.host(), id, o);
    auto took = std::chrono::steady_clock::now() - begin;
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    CHECK(took >= std::chrono::milliseconds(1900));
    auto read = env.host().read_config(id);
    REQUIRE(read.has_value());
    CHECK(read->config.main.get("mp1") == fmt::format("{},mp=/share", bind));
    // Host-facing entries of a foreign archive are restored as root@pam does, and named.
    REQUIRE(read->config.main.lxc.size() == 1);
    CHECK(read->config.main.lxc[0].key == "lxc.cap.drop");
    auto said = [&](const std::string& line) {
        return std::find(log.begin(), log.end(), line) != log.end();
    };
    CHECK(said("WARN: restoring raw LXC key from the archive: lxc.cap.drop"));
    CHECK(said(
        fmt::format("WARN: restoring host mount point from the archive: mp1: {},mp=/share", bind)));
    CHECK(read->config.main.get("mp2") ==
          fmt::format("local:{0}/subvol-{0}-disk-1.subvol,mp=/extra,size=0T", id.value));
    std::string rootfs = rootfs_dir(env, id);
    CHECK_FALSE(fs::exists(rootfs + "/dev/pct-restore-dev"));
    CHECK(fs::is_symlink(rootfs + "/etc/vzdump/pct.fw")); // ignored, left as it came
    CHECK_FALSE(fs::exists(firewall_path(env, id)));
    REQUIRE(ct->destroy({}).has_value());
    CHECK(fs::exists(bind)); // a bind source is never the CT's

    // A volume without size= cannot be made again (simple mode).
    src.archive(archive, "arch: amd64\nrootfs: local:100/subvol-100-disk-0.subvol\n");
    o.bwlimit_kib = 0;
    o.options.erase("mp2");
    auto r = runtime::restore(env.host(), id, o);
    check_refused_clean(env, id, r);
    if (!r) {
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().message == "unable to detect disk size - please specify rootfs (size)");
    }
    // A bind-mounted rootfs needs --rootfs.
    src.archive(archive, fmt::format("arch: amd64\nrootfs: {}\n", bind));
    r = runtime::restore(env.host(), id, o);
    check_refused_clean(env, id, r);
    if (!r)
        CHECK(r.error().message ==
              "restoring rootfs to bind mount is only possible by specifying -rootfs manually!");
    // --force never replaces a protected CT.
    src.archive(archive, privileged_conf);
    auto made = runtime::restore(env.host(), id, o);
    REQUIRE(made.has_value());
    auto protect = env.host().lock(id);
    REQUIRE(protect.has_value());
    auto cfg = env.host().read_config(id);
    REQUIRE(cfg.has_value());
    cfg->config.main.options["protection"] = "1";
    REQUIRE(env.host().write_config(*protect, cfg->config).has_value());
    protect->release();
    o.force = true;
    r = runtime::restore(env.host(), id, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().message ==
          fmt::format("unable to restore CT {} - protection mode enabled", id.value));
    CHECK(env.host().read_config(id)->config.main.get("protection") == "1");
    cfg->config.main.options.erase("protection");
    protect = env.host().lock(id);
    REQUIRE(protect.has_value());
    REQUIRE(env.host().write_config(*protect, cfg->config).has_value());
    protect->release();
    REQUIRE(made->destroy({}).has_value());
}

TEST_CASE("runtime restore: a restore killed half-way is removed by destroy") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(97);
    env.create(id, {{"hostname", "old"}, {"unprivileged", "0"}});
    std::string old_rootfs = rootfs_dir(env, id);
    std::string archive = src.dir.sub("backup.tar");
    src.archive(archive, privileged_conf);
    // 2.4 MiB at 256 KiB/s: about ten seconds of extraction to kill it in.
    auto bg = sh(fmt::format("'{}/bin/pct' --root '{}' restore {} '{}' --force 1 --bwlimit 256 "
                             "--quiet >/dev/null 2>&1 & echo $!",
                             PCT_BINARY_DIR, env.root(), id.value, archive));
    REQUIRE(bg.status == 0);
    pid_t pid = std::stoi(bg.out);
    bool extracting = test::eventually(
        [&] {
            auto conf = env.host().read_config(id);
            return conf && conf->config.main.get("lock") == "create" &&
                   !conf->config.main.get("unused0") && !fs::exists(old_rootfs);
        },
        std::chrono::seconds(8));
    ::kill(pid, SIGKILL);
    REQUIRE(extracting);
    auto ct = runtime::Container::open(env.host(), id);
    REQUIRE(ct.has_value());
    auto destroyed = ct->destroy({});
    REQUIRE_MESSAGE(destroyed.has_value(), (destroyed ? "" : to_string(destroyed.error())));
    auto left = test::create_leftovers(env, id);
    CHECK_MESSAGE(left.empty(), test::joined(left));
}

TEST_CASE("runtime restore: an absolute member name lands inside the rootfs") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(98);
    env.guard(id);
    std::string archive = src.dir.sub("backup.tar");
    src.archive(archive, privileged_conf);
    std::string marker = fmt::format("/tmp/pct-restore-abs-{}", ::getpid());
    auto appended =
        sh(fmt::format("/usr/bin/python3 -c 'import io, sys, tarfile\n"
                       "t = tarfile.open(sys.argv[1], \"a\", format=tarfile.PAX_FORMAT)\n"
                       "i = tarfile.TarInfo(sys.argv[2]); i.size = 4\n"
                       "t.addfile(i, io.BytesIO(b\"abs\\n\")); t.close()' '{}' '{}'",
                       archive, marker));
    REQUIRE_MESSAGE(appended.status == 0, appended.out);
    runtime::RestoreOptions o;
    o.archive = archive;
    o.options["unprivileged"] = "1";
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    CHECK_FALSE(fs::exists(marker));
    std::string rootfs = rootfs_dir(env, id);
    CHECK(test::read_text(rootfs + marker) == "abs\n");
    CHECK(lstat_of(rootfs + marker).st_uid == 100000);
    REQUIRE(ct->destroy({}).has_value());
}

TEST_CASE("runtime restore: compression by file name and a compressed stream refused") {
    if (test::skip_containers("runtime restore"))
        return;
    CtHost env;
    Source src;
    Vmid id = test::unique_vmid(99);
    env.guard(id);
    for (const auto& [suffix, compress] : std::vector<std::pair<std::string, std::string>>{
             {".tar.bz2", "bzip2 -c"}, {".tar.xz", "xz -c -T1"}}) {
        CAPTURE(suffix);
        std::string archive = src.dir.sub("backup" + suffix);
        src.archive(archive, privileged_conf, "", compress);
        runtime::RestoreOptions o;
        o.archive = archive;
        auto ct = runtime::restore(env.host(), id, o);
        REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
        CHECK(fs::exists(rootfs_dir(env, id) + "/etc/restore-marker"));
        REQUIRE(ct->destroy({}).has_value());
    }
    // A name Proxmox does not know is refused before anything is made.
    std::string zst = src.dir.sub("backup.tar.zst");
    src.archive(zst, privileged_conf, "", "zstd -q");
    std::string odd = src.dir.sub("backup.tar.rar");
    fs::copy_file(zst, odd);
    runtime::RestoreOptions o;
    o.archive = odd;
    auto r = runtime::restore(env.host(), id, o);
    check_refused_clean(env, id, r);
    if (!r)
        CHECK(r.error().message == "unrecognized compression format: .rar");
    // A stream is never decompressed (as Proxmox's restore from a pipe): tar refuses it.
    int fd = ::open(zst.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    o.archive = "-";
    o.input_fd = fd;
    o.options["rootfs"] = "local:0";
    r = runtime::restore(env.host(), id, o);
    ::close(fd);
    check_refused_clean(env, id, r);
    if (!r) {
        CHECK(r.error().code == Errc::io);
        CHECK_MESSAGE(r.error().message.find("unable to unpack 'STDIN'") != std::string::npos,
                      r.error().message);
    }
}

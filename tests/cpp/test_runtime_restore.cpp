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
    // The archive `out` with `conf` as pct.conf and `fw` as pct.fw, piped through `compress`.
    void archive(const std::string& out, const std::string& conf, const std::string& fw = "",
                 const std::string& compress = "cat") const {
        test::write_text(tmp + "/etc/vzdump/pct.conf", conf);
        test::write_text(tmp + "/etc/vzdump/pct.fw", fw);
        auto r = sh(fmt::format("{0} > '{2}.raw' && {1} < '{2}.raw' > '{2}' && rm '{2}.raw'",
                                backup_tar_command(tmp, root), compress, out));
        if (r.status != 0)
            throw std::runtime_error("cannot make the archive: " + r.out);
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

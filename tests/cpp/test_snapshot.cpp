// SPDX-License-Identifier: AGPL-3.0-or-later
// Snapshots for real (include/pct/runtime/snapshots.hpp): a running busybox container with its
// rootfs (a subvolume) and a volume mount point (a raw ext4 image) on a btrfs loop file system is
// snapshotted, changed and rolled back; the blocking check names a bind mount; the list and the
// tree; the name rule.
#include "btrfs_loop.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "shell.hpp"
#include "snapshot_driver.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/snapshots.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <sys/stat.h>

using namespace pct;
namespace fs = std::filesystem;

namespace {

std::string sh(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return r->out;
}

void write_conf(const storage::Host& host, Vmid id, const std::string& text) {
    fs::create_directories(host.config_dir());
    test::write_text(host.config_path(id), text);
}

} // namespace

TEST_CASE("snapshot: a running btrfs container rolls back rootfs and a raw volume mount point") {
    test::TempDir dir("pct-rt");
    test::BtrfsLoop btrfs(dir.path() + "/mnt/bt", 512);
    if (!btrfs.available()) {
        MESSAGE("SKIP: " << btrfs.why());
        return;
    }
    ::chmod(dir.path().c_str(), 0711);
    storage::Host host(dir.path());
    fs::create_directories(host.host_path("/etc/pve"));
    test::write_text(host.storage_cfg_path(),
                     "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl\n\n"
                     "btrfs: bt\n\tpath /mnt/bt\n\tcontent rootdir,images\n");
    Vmid id = test::unique_vmid(1);
    test::CtGuard guard(host, {id});
    runtime::CreateOptions co;
    co.ostemplate = test::busybox_template();
    co.options = {{"ostype", "debian"}, {"rootfs", "bt:0"}, {"mp0", "bt:0.1,mp=/data"}};
    auto created = runtime::create(host, id, co);
    REQUIRE_MESSAGE(created, (created ? "" : created.error().message));
    auto ct = std::move(*created);
    REQUIRE(ct.start());
    REQUIRE(test::wait_boot(ct));
    sh(ct, "echo before > /root/f; echo before > /data/f");

    CHECK(runtime::snapshot_blockers(host, id)->empty());

    // The driver freezes the running container for the volume snapshots and thaws it again;
    // a container the user froze stays frozen.
    {
        auto storages = storage::Storages::load(host);
        REQUIRE(storages);
        runtime::detail::HostSnapshotDriver driver(host, id, std::move(*storages));
        std::vector<std::string> warnings;
        CHECK(driver.running());
        REQUIRE(driver.freeze());
        CHECK(ct.state() == runtime::State::frozen);
        driver.thaw(warnings);
        CHECK(warnings.empty());
        CHECK(ct.state() == runtime::State::running);
        REQUIRE(ct.suspend());
        REQUIRE(driver.freeze());
        driver.thaw(warnings);
        CHECK(ct.state() == runtime::State::frozen);
        REQUIRE(ct.resume());
    }
    auto taken = runtime::snapshot_create(host, id, "before", {.description = "first\nmore"});
    REQUIRE_MESSAGE(taken, (taken ? "" : taken.error().message));
    CHECK(ct.running()); // thawed again
    CHECK(ct.state() == runtime::State::running);

    // The btrfs snapshots: read-only siblings NAME@before of both subvolumes.
    auto conf = host.read_config(id);
    REQUIRE(conf);
    auto storages = storage::Storages::load(host);
    REQUIRE(storages);
    std::vector<std::string> paths;
    for (const char* key : {"rootfs", "mp0"}) {
        std::string volid(
            conf->config.main.get(key)->substr(0, conf->config.main.get(key)->find(',')));
        auto p = storages->path(volid);
        REQUIRE(p);
        // A raw image lives as NAME/disk.raw in its subvolume NAME.
        paths.push_back(p->ends_with("/disk.raw") ? fs::path(*p).parent_path().string() : *p);
        CHECK(fs::exists(paths.back() + "@before/"));
    }
    CHECK(conf->config.main.get("parent") == std::optional<std::string_view>("before"));
    CHECK_FALSE(conf->config.main.get("lock"));
    CHECK(conf->config.snapshots.at("before").description == "first\nmore\n");

    sh(ct, "echo after > /root/f; echo after > /data/f; echo new > /root/g");
    auto rolled = runtime::snapshot_rollback(host, id, "before", {.start = true});
    REQUIRE_MESSAGE(rolled, (rolled ? "" : rolled.error().message));
    CHECK(rolled->warnings.empty()); // the raw image's MMP block was cleared
    auto again = runtime::Container::open(host, id);
    REQUIRE(again);
    REQUIRE(test::wait_boot(*again));
    CHECK(sh(*again, "cat /root/f /data/f; test -e /root/g && echo g-exists; true") ==
          "before\nbefore\n");
    conf = host.read_config(id);
    REQUIRE(conf);
    CHECK_FALSE(conf->config.main.get("lock"));
    CHECK(conf->config.main.get("parent") == std::optional<std::string_view>("before"));

    // The tree: the snapshot, then "current" under it.
    auto tree = runtime::format_snapshot_tree(*runtime::list_snapshots(host, id));
    CHECK(tree.starts_with("`-> before "));
    CHECK(tree.find("first\n") != std::string::npos);
    CHECK(tree.find(" `-> current ") != std::string::npos);

    // Delete: the subvolume snapshots go, the section and the parent too.
    auto deleted = runtime::snapshot_delete(host, id, "before");
    REQUIRE_MESSAGE(deleted, (deleted ? "" : deleted.error().message));
    for (const auto& p : paths)
        CHECK_FALSE(fs::exists(p + "@before"));
    conf = host.read_config(id);
    REQUIRE(conf);
    CHECK(conf->config.snapshots.empty());
    CHECK_FALSE(conf->config.main.get("parent"));
    CHECK_FALSE(conf->config.main.get("lock"));
    auto missing = runtime::snapshot_delete(host, id, "before");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message == "snapshot 'before' does not exist");

    // A bind mount blocks: named by key and reason, refused before anything is written.
    fs::create_directories(dir.path() + "/srv/shared");
    {
        auto doc = storage::ConfigDocument::load(host, id);
        REQUIRE(doc);
        REQUIRE(doc->set("", "mp1", dir.path() + "/srv/shared,mp=/shared"));
        REQUIRE(doc->commit(*host.lock(id)));
    }
    auto blockers = runtime::snapshot_blockers(host, id);
    REQUIRE(blockers);
    REQUIRE(blockers->size() == 1);
    CHECK(blockers->front().key == "mp1");
    CHECK(blockers->front().reason == "bind mount");
    std::string before_text = test::read_text(host.config_path(id));
    auto refused = runtime::snapshot_create(host, id, "second");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::unsupported);
    CHECK(refused.error().key == "mp1");
    CHECK(refused.error().message ==
          "snapshot feature is not available: mp1 (" + dir.path() + "/srv/shared): bind mount");
    CHECK(test::read_text(host.config_path(id)) == before_text);
    for (const auto& p : paths)
        CHECK_FALSE(fs::exists(p + "@second"));
}

TEST_CASE("snapshot: blockers name device mounts and dir volumes") {
    test::TempDir dir("pct-snap");
    storage::Host host(dir.path());
    Vmid id{123};
    write_conf(host, id,
               "mp0: /dev/sdz1,mp=/dev0\nmp1: local:123/vm-123-disk-1.raw,mp=/m\n"
               "ostype: debian\nrootfs: local:123/subvol-123-disk-0.subvol\n");
    auto b = runtime::snapshot_blockers(host, id);
    REQUIRE(b);
    REQUIRE(b->size() == 3);
    CHECK((*b)[0] == runtime::SnapshotBlocker{"rootfs", "local:123/subvol-123-disk-0.subvol",
                                              "storage 'local' (type dir) cannot snapshot "
                                              "subvol volumes"});
    CHECK((*b)[1] == runtime::SnapshotBlocker{"mp0", "/dev/sdz1", "device mount"});
    CHECK((*b)[2].key == "mp1");
    CHECK((*b)[2].reason == "storage 'local' (type dir) cannot snapshot raw volumes");
    auto refused = runtime::snapshot_create(host, id, "s1");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().key == "rootfs");
    CHECK_FALSE(host.read_config(id)->config.main.get("lock"));
}

TEST_CASE("snapshot: names follow pve-configid and reserved names are refused") {
    CHECK(runtime::check_snapshot_name("before-upgrade_2"));
    CHECK(runtime::check_snapshot_name("Ab"));
    for (const char* bad : {"a", "1abc", "a.b", "a b", ""}) {
        CAPTURE(bad);
        auto r = runtime::check_snapshot_name(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == "snapname");
    }
    CHECK(runtime::check_snapshot_name(std::string(40, 'a')));
    CHECK(runtime::check_snapshot_name(std::string(41, 'a')).error().message ==
          "value may only be 40 characters long");
    CHECK(runtime::check_snapshot_name("current").error().message ==
          "unable to use snapshot name 'current' (reserved name)");
    CHECK(runtime::check_snapshot_name("vzdump").error().message ==
          "unable to use snapshot name 'vzdump' (reserved name)");
}

TEST_CASE("snapshot: listsnapshot prints Proxmox's tree") {
    ContainerConfig c;
    c.main.options.insert_or_assign("parent", "b");
    Section a, b, d;
    a.options.insert_or_assign("snaptime", "100");
    a.description = "root one\nsecond line\n";
    b.options.insert_or_assign("snaptime", "200");
    b.options.insert_or_assign("parent", "a");
    d.options.insert_or_assign("snaptime", "150");
    d.options.insert_or_assign("parent", "gone"); // a missing parent makes a root
    c.snapshots.emplace("a", a);
    c.snapshots.emplace("b", b);
    c.snapshots.emplace("d", d);
    auto list = runtime::list_snapshots(c);
    REQUIRE(list.size() == 4);
    CHECK(list[0].name == "a");
    CHECK(list[1].name == "d");
    CHECK(list[2].name == "b");
    CHECK(list[3].current);
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    // PVE::GuestHelpers: printf("%s %-${len}s %-23s %s\n") with len = 30 - length(prefix).
    CHECK(runtime::format_snapshot_tree(list) ==
          "`-> a                           1970-01-01 00:01:40     root one\n"
          " `-> b                          1970-01-01 00:03:20     no-description\n"
          "  `-> current                                           You are here!\n"
          "`-> d                           1970-01-01 00:02:30     no-description\n");
}

TEST_CASE("snapshot: the pct commands") {
    test::TempDir dir("pct-snapcli");
    storage::Host host(dir.path());
    write_conf(host, Vmid{150},
               "mp0: /srv/data,mp=/data\nostype: debian\nparent: s2\n\n[s1]\n#first\n"
               "ostype: debian\nsnaptime: 0\n\n[s2]\nostype: debian\nparent: s1\nsnaptime: 0\n");
    auto pct = [&](const std::string& args) {
        return test::sh(std::string("TZ=UTC '") + PCT_CLI + "' --root '" + dir.path() + "' " +
                        args + " 2>&1");
    };
    auto list = pct("listsnapshot 150");
    CHECK(list.status == 0);
    CHECK(list.out == "`-> s1                          1970-01-01 00:00:00     first\n"
                      " `-> s2                         1970-01-01 00:00:00     no-description\n"
                      "  `-> current                                           You are here!\n");
    auto refused = pct("snapshot 150 s3 --description 'x'");
    CHECK(refused.status == 255);
    CHECK(refused.out == "snapshot feature is not available: mp0 (/srv/data): bind mount\n");
    auto reserved = pct("snapshot 150 vzdump");
    CHECK(reserved.status == 255);
    CHECK(reserved.out == "snapname: unable to use snapshot name 'vzdump' (reserved name)\n");
    auto missing = pct("rollback 150 nope --start");
    CHECK(missing.status == 255);
    CHECK(missing.out == "snapname: snapshot 'nope' does not exist\n");
    auto deleted = pct("delsnapshot 150 s1 --force");
    CHECK(deleted.status == 0);
    CHECK(deleted.out.empty());
    CHECK(pct("listsnapshot 150").out ==
          "`-> s2                          1970-01-01 00:00:00     no-description\n"
          " `-> current                                            You are here!\n");
    CHECK(pct("listsnapshot 99").status == 255);
}

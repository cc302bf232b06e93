// SPDX-License-Identifier: AGPL-3.0-or-later
// The `lock` property: the table of which lock blocks which operation checked against
// Proxmox's check_lock call sites (written out here by hand, not read from the table),
// `pct unlock` (C++ and CLI), and every operation on a stopped CT refusing a blocking lock with
// "CT is locked (LOCK)", key `lock`, before it touches anything.
#include "shell.hpp"
#include "storage_host.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/locks.hpp>
#include <pct/runtime/volumes.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

using namespace pct;
using namespace pct::runtime;
using pct::test::sh;

namespace {

const std::vector<std::string> all_locks{"backup",   "create",         "destroyed", "disk",
                                         "fstrim",   "migrate",        "mounted",   "rollback",
                                         "snapshot", "snapshot-delete"};

// Proxmox's rules, per `pct` command: the locks that do not refuse it ("*" = never looked at).
// pve-container Status.pm (start/stop let `mounted` pass, shutdown/suspend check_lock, resume
// does not look), CLI/pct.pm (mount/fstrim/df set_lock, fsck/exec/enter/console do not look),
// API2/LXC.pm (destroy, resize, move-volume, template, clone), Config.pm (set),
// AbstractConfig.pm (snapshot, rollback, delsnapshot). Reboot and destroy: see locks.cpp.
const std::map<std::string, std::set<std::string>> proxmox_rules{
    {"start", {"mounted"}},  {"stop", {"mounted"}}, {"shutdown", {}},
    {"reboot", {"mounted"}}, {"suspend", {}},       {"resume", {"*"}},
    {"destroy", {"create"}}, {"mount", {}},         {"df", {}},
    {"resize", {}},          {"move-volume", {}},   {"rescan", {}},
    {"fsck", {"*"}},         {"fstrim", {}},        {"set", {}},
    {"exec", {"*"}},         {"enter", {"*"}},      {"console", {"*"}},
    {"snapshot", {}},        {"rollback", {}},      {"delsnapshot", {}},
    {"template", {}},        {"clone", {}},         {"backup", {}},
};

void check_locked(const Result<void>& r, std::string_view lock) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().key == "lock");
    CHECK(r.error().message == fmt::format("CT is locked ({})", lock));
}

template <class T> Result<void> as_void(const Result<T>& r) {
    if (!r)
        return std::unexpected(r.error());
    return {};
}

ContainerConfig config_with_lock(std::string_view lock) {
    ContainerConfig c;
    c.main.options["arch"] = "amd64";
    if (!lock.empty())
        c.main.options["lock"] = std::string(lock);
    return c;
}

} // namespace

TEST_CASE("locks: the table is Proxmox's check_lock rule for every operation") {
    CHECK(lock_rules().size() == proxmox_rules.size());
    for (const LockRule& rule : lock_rules()) {
        CAPTURE(rule.name);
        REQUIRE(proxmox_rules.contains(std::string(rule.name)));
        CHECK(locked_op(rule.name) == rule.op);
        CHECK(&lock_rule(rule.op) == &rule);
        CHECK_FALSE(rule.source.empty());
        const auto& passes = proxmox_rules.at(std::string(rule.name));
        CHECK(lock_allows(rule.op, "")); // no lock: every operation may run
        for (const std::string& lock : all_locks) {
            CAPTURE(lock);
            bool expected = passes.contains("*") || passes.contains(lock);
            CHECK(lock_allows(rule.op, lock) == expected);
            auto checked = check_lock(config_with_lock(lock), rule.op);
            CHECK(bool(checked) == expected);
            if (!expected)
                check_locked(checked, lock);
        }
    }
    CHECK_FALSE(locked_op("migrate"));
    CHECK_FALSE(locked_op(""));
}

TEST_CASE("locks: skiplock passes any lock and an unlocked config passes every operation") {
    check_locked(check_lock(config_with_lock("backup"), LockedOp::start), "backup");
    CHECK(check_lock(config_with_lock("backup"), LockedOp::start, true));
    CHECK(check_lock(config_with_lock("snapshot"), LockedOp::stop, true));
    for (const LockRule& rule : lock_rules())
        CHECK(check_lock(config_with_lock(""), rule.op));
}

TEST_CASE("locks: unlock removes any lock and refuses when there is none") {
    test::TempDir root("pct-locks");
    storage::Host host(root.path());
    Vmid id{910201};
    const std::string text = "arch: amd64\nhostname: a\nlock: snapshot-delete\nmemory: 64\n";
    test::write_text(host.config_path(id), text);
    auto removed = unlock(host, id);
    REQUIRE_MESSAGE(removed, (removed ? "" : removed.error().message));
    CHECK(*removed == "snapshot-delete");
    CHECK(test::read_text(host.config_path(id)) == "arch: amd64\nhostname: a\nmemory: 64\n");

    auto again = unlock(host, id);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::bad_state);
    CHECK(again.error().key == "lock");
    CHECK(again.error().message == "no lock found trying to remove any lock");
    CHECK(again.error().context == host.config_path(id));

    auto missing = unlock(host, Vmid{910202});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("locks: pct unlock and pct set follow Proxmox") {
    test::TempDir root("pct-locks");
    storage::Host host(root.path());
    Vmid id{910203};
    test::write_text(host.config_path(id), "arch: amd64\nlock: backup\nmemory: 64\n");
    auto pct = [&](const std::string& args) {
        return sh(fmt::format("'{}' --root '{}' {} 2>&1", PCT_CLI, root.path(), args));
    };
    // Proxmox's update_vm refuses any lock, also a new `lock` value: `pct unlock` is the way
    // out (before, `pct set --lock` replaced a lock).
    auto set = pct("set 910203 --memory 128");
    CHECK(set.status == 255);
    CHECK(set.out == "CT is locked (backup)\n");
    auto relock = pct("set 910203 --lock mounted");
    CHECK(relock.status == 255);
    CHECK(relock.out == "CT is locked (backup)\n");
    auto un = pct("unlock 910203");
    CHECK(un.status == 0);
    CHECK(un.out.empty());
    CHECK(test::read_text(host.config_path(id)) == "arch: amd64\nmemory: 64\n");
    auto none = pct("unlock 910203");
    CHECK(none.status == 255);
    CHECK(none.out == "no lock found trying to remove any lock\n");
    CHECK(pct("set 910203 --memory 128").status == 0);
    CHECK(pct("unlock 910299").status == 255);
}

TEST_CASE("locks: every operation on a stopped CT refuses a blocking lock by name") {
    test::StorageHost env("dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n\n"
                          "dir: other\n\tpath /srv/other\n\tcontent rootdir,images\n");
    const storage::Host& host = env.host();
    Vmid id{910204};
    const std::string base = "arch: amd64\nhostname: locked\nmemory: 64\nostype: debian\n"
                             "rootfs: local:910204/vm-910204-disk-0.raw,size=1G\n";
    for (const std::string& lock : {std::string("backup"), std::string("mounted"),
                                    std::string("snapshot"), std::string("disk")}) {
        CAPTURE(lock);
        const std::string text = base + "lock: " + lock + "\n";
        test::write_text(host.config_path(id), text);
        auto ct = Container::open(host, id);
        REQUIRE_MESSAGE(ct, (ct ? "" : ct.error().message));
        if (lock != "mounted") // start lets `mounted` pass (and would really start)
            check_locked(as_void(ct->start()), lock);
        check_locked(ct->destroy(), lock);
        check_locked(as_void(ct->mount()), lock);
        check_locked(as_void(df(host, id)), lock);
        check_locked(as_void(resize(host, id, "rootfs", "+1G")), lock);
        check_locked(as_void(move_volume(host, id, "rootfs", {.storage = "other"})), lock);
        check_locked(as_void(rescan(host, {.vmid = id})), lock);
        check_locked(as_void(fstrim(host, id)), lock);
        // Nothing was touched: the config is as it was, the lock still there.
        CHECK(test::read_text(host.config_path(id)) == text);
        // fsck does not look at the lock (Proxmox neither): it fails on the missing volume.
        auto fsck_result = fsck(host, id);
        REQUIRE_FALSE(fsck_result);
        CHECK(fsck_result.error().key != "lock");
    }
}

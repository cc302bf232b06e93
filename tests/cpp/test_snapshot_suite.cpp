// SPDX-License-Identifier: AGPL-3.0-or-later
// pve-container's snapshot suite (src/test/run_snapshot_tests.pl) through libpct's snapshot
// engine: for each `snapshot-input/<phase>/lxc/<CTID>.conf` of ../shared/conformance/pve-tests
// the phase's operation runs on a copy over a simulated storage and container, and the file
// it leaves must equal `snapshot-expected/<phase>/lxc/<CTID>.conf` byte for byte; failure
// cases must fail with their error. The cases and the simulated storage are those of the
// table in ../shared/conformance/README.md.
#include "snapshot_engine.hpp"

#include "temp_dir.hpp"

#include <pct/storage/host.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using namespace pct;
using namespace pct::runtime::detail;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;
namespace fs = std::filesystem;

namespace {

const fs::path suite_dir = fs::path(PCT_CONFORMANCE_DIR) / "pve-tests";

// The suite's storage: `local:snapshotable-disk-1..3` snapshot, only -1 deletes, -1..-3 roll
// back, -4 claims it can roll back and fails doing it; every other volume can do none of it.
// Per case: the snapshot feature at all, activation, freeze, running, killable.
struct SimulatedWorld : SnapshotDriver {
    bool feature = true;
    bool activation_fails = false;
    bool freeze_fails = false;
    bool is_running = false;
    bool killable = true;

    static bool disk(const MountPoint& mp, std::initializer_list<int> numbers) {
        for (int n : numbers)
            if (mp.volume == fmt::format("local:snapshotable-disk-{}", n))
                return true;
        return false;
    }
    static Result<void> refuse(std::string_view what, const MountPoint& mp) {
        return fail(Errc::io, fmt::format("{} of '{}' failed (simulated)", what, mp.volume));
    }

    bool can_snapshot(std::string_view, const MountPoint&) override { return feature; }
    Result<void> activate_storages(const std::vector<std::string>&) override {
        if (activation_fails)
            return fail(Errc::io, "storage activation failed (simulated)");
        return {};
    }
    Result<void> volume_snapshot(const MountPoint& mp, std::string_view) override {
        return disk(mp, {1, 2, 3}) ? Result<void>{} : refuse("volume snapshot", mp);
    }
    Result<void> volume_snapshot_delete(const MountPoint& mp, std::string_view) override {
        return disk(mp, {1}) ? Result<void>{} : refuse("volume snapshot delete", mp);
    }
    Result<void> volume_rollback_is_possible(const MountPoint& mp, std::string_view) override {
        return disk(mp, {1, 2, 3, 4}) ? Result<void>{} : refuse("rollback check", mp);
    }
    Result<void> volume_snapshot_rollback(const MountPoint& mp, std::string_view,
                                          std::vector<std::string>&) override {
        return disk(mp, {1, 2, 3}) ? Result<void>{} : refuse("volume rollback", mp);
    }
    bool running() override { return is_running; }
    Result<void> freeze() override {
        if (freeze_fails)
            return fail(Errc::lxc, "freeze failed (simulated)");
        return {};
    }
    void thaw(std::vector<std::string>&) override {}
    Result<void> hard_stop() override {
        if (!killable)
            return fail(Errc::lxc, "container did not stop (simulated)");
        is_running = false;
        return {};
    }
    std::int64_t now() override { return 1234567890; }
};

struct Case {
    std::string phase;
    unsigned id;
    std::string snap;
    std::optional<std::string> error; // exact text; nullopt = must succeed
    void (*setup)(SimulatedWorld&) = nullptr;
    std::string comment = {};
    bool vmstate = false;
    bool force = false;
};

const std::string ok_comment = "test comment";
const std::string vmstate_error = "vmstate is not supported for containers";

std::vector<Case> suite() {
    auto no_feature = [](SimulatedWorld& w) { w.feature = false; };
    auto no_activation = [](SimulatedWorld& w) { w.activation_fails = true; };
    auto no_freeze = [](SimulatedWorld& w) {
        w.is_running = true;
        w.freeze_fails = true;
    };
    auto unkillable = [](SimulatedWorld& w) {
        w.is_running = true;
        w.killable = false;
    };
    const std::string activation = "storage activation failed (simulated)";
    return {
        {"prepare", 101, "test", std::nullopt, nullptr, ok_comment},
        {"prepare", 102, "test2", std::nullopt, nullptr, ok_comment},
        {"prepare", 200, "test", "CT is locked (snapshot)"},
        {"prepare", 201, "test", "snapshot name 'test' already used"},
        {"prepare", 202, "test", vmstate_error, nullptr, "", true},
        {"prepare", 300, "test", "snapshot feature is not available", no_feature},
        {"commit", 101, "test", std::nullopt},
        {"commit", 102, "test2", std::nullopt},
        {"commit", 201, "test", "missing snapshot lock"},
        {"commit", 202, "test", "snapshot 'test' does not exist"},
        {"commit", 203, "test", "wrong snapshot state"},
        {"create", 101, "test", std::nullopt, nullptr, ok_comment},
        {"create", 102, "test2", std::nullopt, nullptr, ok_comment},
        {"create", 103, "test", std::nullopt, nullptr, ok_comment},
        {"create", 201, "test",
         "volume snapshot of 'local:unsnapshotable-disk-1' failed (simulated)"},
        {"create", 202, "test", "freeze failed (simulated)", no_freeze},
        {"create", 203, "test",
         "volume snapshot of 'local:unsnapshotable-disk-1' failed (simulated)"},
        {"create", 204, "test", activation, no_activation},
        {"delete", 101, "test", std::nullopt},
        {"delete", 102, "test2", std::nullopt},
        {"delete", 103, "test", std::nullopt},
        {"delete", 104, "test2", std::nullopt},
        {"delete", 105, "test", std::nullopt, nullptr, "", false, true},
        {"delete", 106, "test", std::nullopt, nullptr, "", false, true},
        {"delete", 201, "test",
         "volume snapshot delete of 'local:unsnapshotable-disk-1' failed (simulated)"},
        {"delete", 202, "test", "CT is locked (backup)"},
        {"delete", 203, "test",
         "volume snapshot delete of 'local:unsnapshotable-disk-1' failed (simulated)"},
        {"delete", 204, "test", activation, no_activation},
        {"rollback", 101, "test", std::nullopt},
        {"rollback", 102, "test2", std::nullopt},
        {"rollback", 103, "test", std::nullopt},
        {"rollback", 104, "test2", std::nullopt},
        {"rollback", 105, "test", std::nullopt},
        {"rollback", 201, "test2", "snapshot 'test2' does not exist"},
        {"rollback", 202, "test",
         "rollback check of 'local:unsnapshotable-disk-1' failed (simulated)"},
        {"rollback", 203, "test", "unable to rollback to incomplete snapshot (snapstate = delete)"},
        {"rollback", 204, "test", "CT is locked (backup)"},
        {"rollback", 205, "test", vmstate_error},
        {"rollback", 206, "test", "unable to rollback vm 206: vm is running", unkillable},
        {"rollback", 207, "test",
         "rollback check of 'local:unsnapshotable-disk-1' failed (simulated)"},
        {"rollback", 208, "test",
         "volume rollback of 'local:snapshotable-disk-4' failed (simulated)"},
        {"rollback", 209, "test", activation, no_activation},
    };
}

Result<void> run(SnapshotEngine& engine, const Case& c) {
    if (c.phase == "prepare")
        return engine.prepare(c.snap, c.comment, c.vmstate);
    if (c.phase == "commit")
        return engine.commit(c.snap);
    if (c.phase == "create")
        return engine.create(c.snap, c.comment, c.vmstate);
    if (c.phase == "delete")
        return engine.remove(c.snap, c.force);
    return engine.rollback(c.snap);
}

void run_phase(const std::string& phase) {
    if (!fs::exists(suite_dir / "snapshot-input")) {
        MESSAGE("SKIP: " << suite_dir.string() << " not found (../shared/conformance)");
        return;
    }
    unsigned seen = 0;
    for (const Case& c : suite()) {
        if (c.phase != phase)
            continue;
        ++seen;
        CAPTURE(c.phase);
        CAPTURE(c.id);
        const std::string file = fmt::format("{}/lxc/{}.conf", c.phase, c.id);
        TempDir dir("pct-snapsuite");
        storage::Host host(dir.path());
        Vmid vmid{c.id};
        fs::create_directories(fs::path(host.config_dir()));
        write_text(host.config_path(vmid),
                   read_text((suite_dir / "snapshot-input" / file).string()));

        SimulatedWorld world;
        if (c.setup)
            c.setup(world);
        SnapshotEngine engine(host, vmid, world);
        auto result = run(engine, c);
        if (c.error) {
            REQUIRE_FALSE(result);
            CHECK(result.error().message == *c.error);
        } else {
            REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
        }
        CHECK(read_text(host.config_path(vmid)) ==
              read_text((suite_dir / "snapshot-expected" / file).string()));
    }
    // Every input of the phase is a case of the table (none forgotten, none invented).
    unsigned inputs = 0;
    for (const auto& e : fs::directory_iterator(suite_dir / "snapshot-input" / phase / "lxc"))
        inputs += e.path().extension() == ".conf" ? 1U : 0U;
    CHECK(seen == inputs);
}

} // namespace

TEST_CASE("snapshot suite: prepare") { run_phase("prepare"); }
TEST_CASE("snapshot suite: commit") { run_phase("commit"); }
TEST_CASE("snapshot suite: create") { run_phase("create"); }
TEST_CASE("snapshot suite: delete") { run_phase("delete"); }
TEST_CASE("snapshot suite: rollback") { run_phase("rollback"); }

// Beyond the suite, with the same simulated world.
namespace {

struct EngineHost {
    TempDir dir{"pct-snapeng"};
    storage::Host host{dir.path()};
    Vmid vmid{150};
    SimulatedWorld world;
    SnapshotEngine engine{host, vmid, world};
    explicit EngineHost(const std::string& conf) {
        fs::create_directories(fs::path(host.config_dir()));
        write_text(host.config_path(vmid), conf);
    }
    std::string conf() const { return read_text(host.config_path(vmid)); }
};

} // namespace

TEST_CASE("snapshot engine: rollback drops pending changes and keeps replaced volumes unused") {
    EngineHost h("memory: 1024\nmp0: local:snapshotable-disk-3,mp=/new\nostype: debian\n"
                 "parent: s1\nrootfs: local:snapshotable-disk-1\n\n[pve:pending]\n"
                 "memory: 2048\n\n[s1]\nmemory: 512\nmp0: local:snapshotable-disk-2,mp=/old\n"
                 "ostype: debian\nrootfs: local:snapshotable-disk-1\nsnaptime: 5\n");
    REQUIRE(h.engine.rollback("s1"));
    CHECK(h.conf() == "memory: 512\nmp0: local:snapshotable-disk-2,mp=/old\nostype: debian\n"
                      "parent: s1\nrootfs: local:snapshotable-disk-1\n"
                      "unused0: local:snapshotable-disk-3\n\n[s1]\nmemory: 512\n"
                      "mp0: local:snapshotable-disk-2,mp=/old\nostype: debian\n"
                      "rootfs: local:snapshotable-disk-1\nsnaptime: 5\n");
}

TEST_CASE("snapshot engine: a running container is stopped before a rollback") {
    EngineHost h("ostype: debian\nrootfs: local:snapshotable-disk-1\n\n[s1]\nostype: debian\n"
                 "rootfs: local:snapshotable-disk-1\nsnaptime: 5\n");
    h.world.is_running = true;
    REQUIRE(h.engine.rollback("s1"));
    CHECK_FALSE(h.world.is_running);
    CHECK(h.conf().find("parent: s1\n") != std::string::npos);
}

TEST_CASE("snapshot engine: a forced delete cleans up a create killed half-way") {
    // What a create killed between prepare and commit leaves: its lock and a prepared section.
    const std::string killed = "lock: snapshot\nostype: debian\nrootfs: local:snapshotable-disk-1\n"
                               "\n[s1]\nostype: debian\nrootfs: local:snapshotable-disk-1\n"
                               "snapstate: prepare\nsnaptime: 5\n";
    EngineHost h(killed);
    auto plain = h.engine.remove("s1", false);
    REQUIRE_FALSE(plain);
    CHECK(plain.error().message == "CT is locked (snapshot)");
    CHECK(h.conf() == killed);
    REQUIRE(h.engine.remove("s1", true));
    CHECK(h.conf() == "ostype: debian\nrootfs: local:snapshotable-disk-1\n");

    // Another snapshot's half-done state does not let a forced delete take the lock.
    EngineHost other(killed + "\n[s0]\nostype: debian\nsnaptime: 1\n");
    auto refused = other.engine.remove("s0", true);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "CT is locked (snapshot)");
}

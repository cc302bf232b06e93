// SPDX-License-Identifier: AGPL-3.0-or-later
// Volume operations on a running busybox container: a raw `mp0` grown while it runs is seen
// grown inside (df in the CT), `pct df` through /proc/<pid>/root and, stopped, with the volumes
// mounted for the call (no `lock` left), and the refusals of a running CT (move, fsck).
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sstream>

using namespace pct;
using pct::test::CtHost;

namespace {

constexpr std::uint32_t mapped_root = 100000;

// KiB size of the file system at `path` inside the container (busybox df -k).
std::uint64_t size_inside(runtime::Container& ct, const std::string& path) {
    runtime::ExecOptions o;
    o.argv = {"df", "-k", path};
    auto r = ct.exec(o);
    REQUIRE(r);
    REQUIRE_MESSAGE(r->exit_code == 0, r->err);
    // Filesystem 1K-blocks Used Available Use% Mounted on / <dev> <blocks> ...
    std::istringstream in(r->out.substr(r->out.find('\n') + 1));
    std::string dev;
    std::uint64_t blocks = 0;
    in >> dev >> blocks;
    return blocks;
}

// Whether this process has CAP_SYS_RESOURCE (bit 24 of CapEff), which ext4 needs to grow a
// mounted file system.
bool has_sys_resource() {
    auto status = test::sh("awk '/^CapEff/ {print $2}' /proc/self/status");
    return (std::stoull(status.out, nullptr, 16) >> 24) & 1;
}

} // namespace

TEST_CASE("volume running: a raw mp0 grown while running is seen inside") {
    if (test::skip_containers("volume running"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(40);
    auto ct = env.create(id);
    auto storages = storage::Storages::load(env.host());
    REQUIRE(storages);
    auto vol = storage::alloc_ct_disk(*storages, id, "local", 64 * 1024, mapped_root, mapped_root);
    REQUIRE_MESSAGE(vol, (vol ? "" : vol.error().message));
    auto image = storages->path(*vol);
    REQUIRE(image);
    auto doc = storage::ConfigDocument::load(env.host(), id);
    REQUIRE(doc);
    REQUIRE(doc->set("", "mp0", *vol + ",mp=/data,size=64M"));
    REQUIRE(doc->commit());

    auto started = ct.start();
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
    REQUIRE(test::wait_boot(ct));
    std::uint64_t before = size_inside(ct, "/data");
    CHECK(before > 50 * 1024);
    CHECK(before < 64 * 1024);

    auto grown = runtime::resize(env.host(), id, "mp0", "+64M");
    REQUIRE_MESSAGE(grown, (grown ? "" : grown.error().message));
    CHECK(grown->new_size == 128 * 1024 * 1024);
    std::uint64_t after = size_inside(ct, "/data");
    CAPTURE(before);
    CAPTURE(after);
    if (has_sys_resource()) {
        CHECK_MESSAGE(grown->warnings.empty(),
                      (grown->warnings.empty() ? "" : grown->warnings.front()));
        CHECK(after > before + 60 * 1024);
    } else {
        // ext4's online resize needs CAP_SYS_RESOURCE (the kernel's ext4_resize_begin): without
        // it the volume and its loop device grow, and the file system stays as it was with
        // Proxmox's warning (the next stopped resize or fsck-free mount does not change that).
        MESSAGE("no CAP_SYS_RESOURCE here: the online grow is expected to be refused");
        REQUIRE(grown->warnings.size() == 1);
        CHECK(grown->warnings.front().starts_with(
            "Failed to update the container's filesystem: command 'unshare -m -- sh -c"));
        CHECK(after == before);
    }
    // The loop device the container mounts saw the new capacity either way.
    auto capacity =
        test::sh(fmt::format("blockdev --getsize64 $(losetup -j '{}' | cut -d: -f1)", *image));
    CHECK(capacity.out == "134217728\n");

    auto rows = runtime::df(env.host(), id);
    REQUIRE_MESSAGE(rows, (rows ? "" : rows.error().message));
    REQUIRE(rows->size() == 2);
    CHECK(rows->at(1).key == "mp0");
    CHECK(rows->at(1).path == "/data");
    CHECK(rows->at(1).total / 1024 == after); // seen through /proc/<pid>/root

    auto move = runtime::move_volume(env.host(), id, "mp0", {.storage = "local"});
    REQUIRE_FALSE(move);
    CHECK(move.error().message == "cannot move volumes of a running container");
    Vmid other = test::unique_vmid(41);
    env.guard(other);
    test::write_text(env.host().config_path(other), "hostname: other\n");
    runtime::MoveVolumeOptions to_other;
    to_other.target_vmid = other;
    auto reassign = runtime::move_volume(env.host(), id, "mp0", to_other);
    REQUIRE_FALSE(reassign);
    CHECK(reassign.error().message ==
          "Cannot move in-use volume while the source CT is running - detach or shutdown first");
    auto check = runtime::fsck(env.host(), id, {.device = "mp0"});
    REQUIRE_FALSE(check);
    CHECK(check.error().message == "cannot run fsck when container is running");

    REQUIRE(ct.stop());
    auto stopped = runtime::df(env.host(), id);
    REQUIRE_MESSAGE(stopped, (stopped ? "" : stopped.error().message));
    REQUIRE(stopped->size() == 2);
    CHECK(stopped->at(1).total / 1024 == after);
    // Stopped, resize grows the file system offline: now it is seen at its full size.
    auto offline = runtime::resize(env.host(), id, "mp0", "+16M");
    REQUIRE_MESSAGE(offline, (offline ? "" : offline.error().message));
    CHECK(offline->warnings.empty());
    REQUIRE(ct.start());
    REQUIRE(test::wait_boot(ct));
    CHECK(size_inside(ct, "/data") > 128 * 1024);
    REQUIRE(ct.stop());
    auto conf = env.host().read_config(id);
    REQUIRE(conf);
    CHECK_FALSE(conf->config.main.get("lock"));
    auto fsck = runtime::fsck(env.host(), id, {.device = "mp0", .force = true});
    CHECK_MESSAGE(fsck, (fsck ? "" : fsck.error().message));
}

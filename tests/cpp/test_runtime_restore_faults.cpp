// SPDX-License-Identifier: AGPL-3.0-or-later
// `restore` made to fail at each of its steps (libpct/runtime/restore_steps.hpp is the seam):
// a new container leaves nothing on the host (config, volumes, folders, mounts, loop devices,
// firewall file); with --force the old container stays as it was when the failure comes
// before its volumes are freed (allocation) and is gone, with nothing left, after that.
#include "create_leftovers.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "restore_steps.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/restore.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

using namespace pct;
using pct::runtime::detail::CreateStep;
using pct::test::CtHost;
using pct::test::sh;
namespace fs = std::filesystem;

namespace {

constexpr CreateStep all_steps[] = {CreateStep::allocate, CreateStep::mount, CreateStep::extract,
                                    CreateStep::setup, CreateStep::config};

// A stop-mode archive of the busybox template (Proxmox's backup tar command line) with a raw
// rootfs, a subvol mount point and a firewall file.
std::string make_archive(const test::TempDir& dir) {
    std::string root = dir.sub("root"), tmp = dir.sub("tmp"), out = dir.sub("backup.tar");
    fs::create_directories(root);
    fs::create_directories(tmp + "/etc/vzdump");
    test::write_text(tmp + "/etc/vzdump/pct.conf",
                     "arch: amd64\nhostname: restored\nostype: debian\n"
                     "mp0: local:100/subvol-100-disk-1.subvol,mp=/srv/data,backup=1,size=0T\n"
                     "rootfs: local:100/vm-100-disk-0.raw,size=256M\n");
    test::write_text(tmp + "/etc/vzdump/pct.fw", "[OPTIONS]\nenable: 1\n");
    auto r = sh(fmt::format(
        "zstd -q -d -c '{0}' | tar xpf - --numeric-owner -C '{1}' && "
        "tar cpf '{3}' --one-file-system -p --sparse --numeric-owner --acls --xattrs "
        "'--xattrs-include=user.*' --xattrs-include=security.capability "
        "'--directory={2}' ./etc/vzdump/pct.conf ./etc/vzdump/pct.fw '--directory={1}' ./",
        test::busybox_template(), root, tmp, out));
    if (r.status != 0)
        throw std::runtime_error("cannot make the archive: " + r.out);
    return out;
}

runtime::detail::CreateStepHook fail_at(CreateStep target) {
    return [target](CreateStep step) -> Result<void> {
        if (step == target)
            return fail(Errc::io, "injected failure");
        return {};
    };
}

} // namespace

TEST_CASE("runtime restore: a failure at each step leaves nothing") {
    if (test::skip_containers("runtime restore faults"))
        return;
    CtHost env;
    test::TempDir dir("pct-restore-faults");
    std::string archive = make_archive(dir);
    Vmid id = test::unique_vmid(94);
    env.guard(id);
    std::string fw = fmt::format("{}/etc/pve/firewall/{}.fw", env.root(), id.value);
    for (bool unprivileged : {false, true}) {
        for (CreateStep step : all_steps) {
            std::string name(runtime::detail::step_name(step));
            CAPTURE(name);
            CAPTURE(unprivileged);
            runtime::RestoreOptions o;
            o.archive = archive;
            o.options["unprivileged"] = unprivileged ? "1" : "0";
            auto r = runtime::detail::restore_with_hook(env.host(), id, o, fail_at(step));
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().code == Errc::io);
            CHECK(r.error().message ==
                  fmt::format("unable to restore CT {} - injected failure", id.value));
            auto left = test::create_leftovers(env, id);
            CHECK_MESSAGE(left.empty(), test::joined(left));
            CHECK_FALSE(fs::exists(fw));
        }
    }
    // The same restore without a failure works (so the hook is what failed it).
    runtime::RestoreOptions o;
    o.archive = archive;
    auto ct = runtime::restore(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    CHECK(fs::exists(fw));
    REQUIRE(ct->destroy({}).has_value());
}

TEST_CASE("runtime restore: force keeps the old CT until its volumes are freed") {
    if (test::skip_containers("runtime restore faults"))
        return;
    CtHost env;
    test::TempDir dir("pct-restore-faults");
    std::string archive = make_archive(dir);
    Vmid id = test::unique_vmid(95);
    for (CreateStep step : all_steps) {
        std::string name(runtime::detail::step_name(step));
        CAPTURE(name);
        auto old = env.create(id, {{"hostname", "old"}, {"unprivileged", "0"}});
        auto conf = env.host().read_config(id);
        REQUIRE(conf.has_value());
        std::string rootfs(conf->config.main.get("rootfs").value_or(""));
        auto old_dir = env.host().volume_path(id, rootfs.substr(0, rootfs.find(',')));
        REQUIRE(old_dir.has_value());
        runtime::RestoreOptions o;
        o.archive = archive;
        o.force = true;
        auto r = runtime::detail::restore_with_hook(env.host(), id, o, fail_at(step));
        REQUIRE_FALSE(r.has_value());
        if (step == CreateStep::allocate) {
            auto kept = env.host().read_config(id);
            REQUIRE(kept.has_value());
            CHECK(kept->config == conf->config);
            CHECK(fs::exists(*old_dir + "/bin/busybox"));
            REQUIRE(old.destroy({}).has_value());
        }
        auto left = test::create_leftovers(env, id);
        CHECK_MESSAGE(left.empty(), test::joined(left));
    }
}
